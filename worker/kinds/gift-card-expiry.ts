import { buildGiftCardExpiryPosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { defineKind } from "./kind";
import { itemOnClick } from "./record";

/** How often the POS's event lists (no version cursor) are read for new expiries and issues. */
export const LIABILITY_SCAN_SECONDS = 15 * 60;

/** A gift card expiring in the POS: a JournalEntry, liability down and breakage income up (DESIGN §1.4). */
export default defineKind({
  kind: "gift_card_expiry",
  entities: ["JournalEntry"],

  // Gift-card expiries have no version cursor: the list is read every few minutes.
  discover: async (d) => {
    if (!(await d.scanDue("liabilities", LIABILITY_SCAN_SECONDS))) return 0;
    let created = 0;
    for (const e of await d.pos.giftCardExpiries())
      if (e.occurredAt.slice(0, 10) >= d.syncFrom && (await d.record("gift_card_expiry", e.transactionId))) created++;
    return created;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "gift_card_expiry", posId, async () => void (await c.pos.loadGiftCardExpiry(posId))),

  build: async (b, posId) => [buildGiftCardExpiryPosting(await b.pos.loadGiftCardExpiry(posId), b.ledger)],

  backfill: {
    rank: 3,
    objectsIn: async (r) => ({
      objects: (await r.pos.giftCardExpiries()).flatMap((e) => {
        const day = businessDate(e.occurredAt, e.timeZone);
        return r.inRange(day) ? [{ kind: "gift_card_expiry" as const, posId: e.transactionId, businessDate: day }] : [];
      }),
    }),
  },
});
