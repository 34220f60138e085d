import { buildStoreCreditIssuePosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { LIABILITY_SCAN_SECONDS } from "./gift-card-expiry";
import { defineKind } from "./kind";
import { itemOnClick } from "./record";

/** Store credit issued by hand in the POS: a JournalEntry, expense up and liability up (DESIGN §1.5). */
export default defineKind({
  kind: "store_credit_issue",
  entities: ["JournalEntry"],

  // No version cursor either: read in the same scan as gift-card expiries.
  discover: async (d) => {
    if (!(await d.scanDue("liabilities", LIABILITY_SCAN_SECONDS))) return 0;
    let created = 0;
    for (const e of await d.pos.storeCreditIssues())
      if (e.occurredAt.slice(0, 10) >= d.syncFrom && (await d.record("store_credit_issue", e.transactionId))) created++;
    return created;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "store_credit_issue", posId, async () => void (await c.pos.loadStoreCreditIssue(posId))),

  build: async (b, posId) => [buildStoreCreditIssuePosting(await b.pos.loadStoreCreditIssue(posId), b.ledger)],

  backfill: {
    rank: 3,
    objectsIn: async (r) => ({
      objects: (await r.pos.storeCreditIssues()).flatMap((e) => {
        const day = businessDate(e.occurredAt, e.timeZone);
        return r.inRange(day)
          ? [{ kind: "store_credit_issue" as const, posId: e.transactionId, businessDate: day }]
          : [];
      }),
    }),
  },
});
