import { describe, expect, it } from "vitest";
import type { StockTransfer } from "../../../shared/domain/pos";
import { buildStockTransferPosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext } from "./fixtures";
import { blockersOf, cents, doc, expectSound, linesOf, planOf } from "./helpers";

const SHRINK = "80";

/** The Quebec company with a second outlet (Québec) and a shrinkage account; outlets' classes as given. */
function context(quebecClass: string | undefined) {
  const ctx = caContext();
  return {
    ...ctx,
    refs: {
      ...ctx.refs,
      accounts: [
        ...ctx.refs.accounts,
        {
          id: SHRINK,
          name: "Inventory shrinkage",
          fullyQualifiedName: "Inventory shrinkage",
          accountType: "Cost of Goods Sold",
          accountSubType: null,
          active: true,
        },
      ],
      classes: [...ctx.refs.classes, { id: "c3", name: "Québec", active: true }],
    },
    outlets: [...ctx.outlets, { id: "out-qc", name: "Québec", timeZone: "America/Toronto", currency: "CAD" }],
    mappings: {
      ...ctx.mappings,
      outlets: { ...ctx.mappings.outlets, "out-qc": quebecClass ? { classId: quebecClass } : {} },
      shrinkage: { default: SHRINK },
    },
  };
}

/**
 * Transfer T-5 Montréal → Québec, received 2026-11-03 16:00 UTC: tee 10 sent, 9 received at 8.33333
 * → sent 83.3333 → 83.33, received 74.99997 → 75.00, lost 8.33; mug 4 / 4 at 3.12345 → 12.4938.
 * Sent Σ 95.8271 → 95.83, received Σ 87.49377 → 87.49 (each rounded once), lost 8.34.
 */
const transfer = (extra: Partial<StockTransfer> = {}): StockTransfer => ({
  id: "tr-5",
  version: "9",
  sourceOutletId: "out-mtl",
  outletId: "out-qc",
  timeZone: "America/Toronto",
  name: "T-5",
  receivedAt: "2026-11-03T16:00:00Z",
  lines: [
    { productId: "p-tee", productName: "Tee", sku: "TEE", sent: "10", received: "9", unitCost: "8.33333" },
    { productId: "p-mug", productName: "Mug", sku: null, sent: "4", received: "4", unitCost: "3.12345" },
  ],
  ...extra,
});

const byLine = (plan: ReturnType<typeof planOf>) =>
  linesOf(doc(plan, "transfer")).map((l) => {
    const d = l.JournalEntryLineDetail as {
      PostingType: string;
      AccountRef: { value: string };
      ClassRef?: { value: string };
    };
    return [d.AccountRef.value, d.PostingType, cents(l.Amount), d.ClassRef?.value];
  });

describe("a transfer between outlets", () => {
  it("between classes: one JournalEntry, sent out of the source's class, received into the destination's, the loss to shrinkage", () => {
    const plan = planOf(buildStockTransferPosting(transfer(), context("c3")));
    expectSound(plan);
    expect(plan.txnDate).toBe("2026-11-03");
    expect(byLine(plan)).toEqual([
      [A.inventory, "Credit", 9583, "c1"],
      [A.inventory, "Debit", 8749, "c3"],
      [SHRINK, "Debit", 834, "c1"],
    ]);
    // two locations: QBO keeps one per journal, so it carries none
    expect(doc(plan, "transfer").body.DepartmentRef).toBeUndefined();
  });

  it("within one class: nothing to post unless stock was lost in transit", () => {
    const whole = transfer({ lines: [transfer().lines[1]!] });
    expect(planOf(buildStockTransferPosting(whole, context("c1"))).documents).toEqual([]);
    const unclassed = context(undefined);
    const none = { ...unclassed, mappings: { ...unclassed.mappings, outlets: {} } };
    expect(planOf(buildStockTransferPosting(whole, none)).documents).toEqual([]);
    // one outlet classed and the other not: they differ, the value moves
    expect(planOf(buildStockTransferPosting(whole, unclassed)).documents).toHaveLength(1);
    const plan = planOf(buildStockTransferPosting(transfer(), context("c1")));
    expect(byLine(plan)).toEqual([
      [A.inventory, "Credit", 834, "c1"],
      [SHRINK, "Debit", 834, "c1"],
    ]);
  });

  it("a loss waits for the default shrinkage account", () => {
    const ctx = context("c3");
    const bare = { ...ctx, mappings: { ...ctx.mappings, shrinkage: {} } };
    expect(blockersOf(buildStockTransferPosting(transfer(), bare)).map((b) => b.mappingKey)).toEqual([
      "shrinkage.default",
    ]);
  });
});
