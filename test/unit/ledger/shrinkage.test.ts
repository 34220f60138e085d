import { describe, expect, it } from "vitest";
import type { StockAdjustment, Stocktake } from "../../../shared/domain/pos";
import type { QboRefs } from "../../../shared/domain/qbo";
import { buildStockAdjustmentPosting, buildStocktakePosting, type LedgerContext } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, journalSides, linesOf, planOf } from "./helpers";

const SHRINK = "80";
const THEFT = "81";

function context(shrinkage: Partial<LedgerContext["mappings"]["shrinkage"]> = { default: SHRINK, theft: THEFT }) {
  const ctx = caContext();
  const acct = (id: string, name: string) => ({
    id,
    name,
    fullyQualifiedName: name,
    accountType: "Cost of Goods Sold",
    accountSubType: null,
    active: true,
  });
  const refs: QboRefs = {
    ...ctx.refs,
    accounts: [...ctx.refs.accounts, acct(SHRINK, "Inventory shrinkage"), acct(THEFT, "Theft losses")],
  };
  return { ...ctx, refs, mappings: { ...ctx.mappings, shrinkage } };
}

/**
 * Montréal's count of the 15th, completed 2026-11-16 04:10 UTC (the 15th, 23:10 local):
 *  tee: expected 12, counted 10 at 8.33333 → −16.66666
 *  mug: expected 4, counted 5 at 3.12345 → +3.12345
 *  cap: expected 7, counted 7 (no change)
 * Net −13.54321 → −13.54 (rounded once; line by line it would be −16.67 + 3.12 = −13.55).
 */
const stocktake = (): Stocktake => ({
  id: "st-15",
  version: "42",
  outletId: "out-mtl",
  timeZone: "America/Toronto",
  name: "Count 15th",
  completedAt: "2026-11-16T04:10:00Z",
  lines: [
    { productId: "p-tee", productName: "Tee", sku: "TEE", expected: "12", counted: "10", unitCost: "8.33333" },
    { productId: "p-mug", productName: "Mug", sku: null, expected: "4", counted: "5", unitCost: "3.12345" },
    { productId: "p-cap", productName: "Cap", sku: null, expected: "7", counted: "7", unitCost: "5.00000" },
  ],
});

const adjustment = (extra: Partial<StockAdjustment> = {}): StockAdjustment => ({
  id: "adj-7",
  outletId: "out-mtl",
  timeZone: "America/Toronto",
  productId: "p-tee",
  productName: "Tee",
  sku: "TEE",
  quantity: "-3",
  reason: "THEFT",
  customReasonName: null,
  unitCost: "8.33333",
  createdAt: "2026-11-20T15:00:00Z",
  ...extra,
});

describe("a completed stocktake → a JournalEntry", () => {
  it("its net loss at cost, rounded once: Dr the stocktake account (else the default), Cr Inventory Asset", () => {
    const plan = planOf(buildStocktakePosting(stocktake(), context()));
    expectSound(plan);
    expect(plan.txnDate).toBe("2026-11-15");
    expect(plan.key).toBe("tb1|laurier|stocktake|st-15|42");
    const je = doc(plan, "stocktake");
    expect(je.entity).toBe("JournalEntry");
    const sides = journalSides(je);
    expect(sides.byAccount.get(A.inventory)).toBe(-1354);
    expect(sides.byAccount.get(SHRINK)).toBe(1354);
    expect(effectMap(plan)).toEqual({ [A.inventory]: -1354, [SHRINK]: 1354 });
    for (const l of linesOf(je)) expect(l.JournalEntryLineDetail).toMatchObject({ ClassRef: { value: "c1" } });
  });

  it("a net gain moves the other way; the stocktake's own account when mapped", () => {
    const gain = { ...stocktake(), lines: [stocktake().lines[1]!] };
    const plan = planOf(buildStocktakePosting(gain, context({ default: SHRINK, stocktake: THEFT })));
    const sides = journalSides(doc(plan, "stocktake"));
    expect(sides.byAccount.get(A.inventory)).toBe(312);
    expect(sides.byAccount.get(THEFT)).toBe(-312);
  });

  it("waits for the default shrinkage account when nothing is mapped", () => {
    expect(blockersOf(buildStocktakePosting(stocktake(), context({})))).toEqual([
      { code: "needs_mapping", detail: "the default shrinkage account", mappingKey: "shrinkage.default" },
    ]);
  });
});

describe("a stock adjustment → a JournalEntry", () => {
  it("a theft at the average cost the POS answered: Dr the theft account, Cr Inventory Asset", () => {
    const plan = planOf(buildStockAdjustmentPosting(adjustment(), context()));
    expectSound(plan);
    expect(plan.txnDate).toBe("2026-11-20");
    const je = doc(plan, "adjustment");
    expect(linesOf(je).map((l) => cents(l.Amount))).toEqual([2500, 2500]);
    expect(effectMap(plan)).toEqual({ [A.inventory]: -2500, [THEFT]: 2500 });
    expect(String(linesOf(je)[0]!.Description)).toBe("Stock adjustment (theft): Tee (TEE) -3 × 8.33333");
  });

  it("stock found is a gain to the default account when its reason has none; zero posts nothing", () => {
    const found = planOf(buildStockAdjustmentPosting(adjustment({ quantity: "2", reason: "STOCK_FOUND" }), context()));
    expect(effectMap(found)).toEqual({ [A.inventory]: 1667, [SHRINK]: -1667 });
    const zero = planOf(buildStockAdjustmentPosting(adjustment({ unitCost: "0" }), context()));
    expect(zero.documents).toEqual([]);
  });
});
