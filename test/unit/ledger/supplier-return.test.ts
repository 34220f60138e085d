import { describe, expect, it } from "vitest";
import type { SupplierReturn } from "../../../shared/domain/pos";
import { buildSupplierReturnPosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, SUPPLIER, usContext } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, hasPlaceholder, linesOf, planOf } from "./helpers";

/**
 * Return RTN-9 to Fournitures Laurentides, sent 2026-11-27 01:30 UTC (the 26th in Montréal):
 * linen 3 × 8.40000 = 25.20; buttons 17 × 0.03125 = 0.53125 → 0.53 (each line to the cent, as the
 * POS's own figures) → 25.73 at cost. QBO's input tax reversed: GST 5 % = 1.2865 → 1.29, QST
 * 9.975 % = 2.5665675 → 2.57; A/P down 29.59.
 */
function supplierReturn(extra: Partial<SupplierReturn> = {}): SupplierReturn {
  return {
    id: "rtn-9",
    version: "1",
    outletId: "out-mtl",
    timeZone: "America/Toronto",
    supplier: SUPPLIER,
    reference: "RTN-9",
    name: "Faulty dye lot",
    sentAt: "2026-11-27T01:30:00Z",
    lines: [
      {
        productId: "p-linen",
        productName: "Linen",
        sku: "LIN-1",
        quantity: "3",
        unitCost: "8.40000",
        totalMinor: 2520,
      },
      { productId: "p-btn", productName: "Buttons", sku: null, quantity: "17", unitCost: "0.03125", totalMinor: 53 },
    ],
    ...extra,
  };
}

describe("a sent supplier return → a VendorCredit", () => {
  it("takes the returned cost out of Inventory Asset with the purchase tax code; A/P down with the tax", () => {
    const plan = planOf(buildSupplierReturnPosting(supplierReturn(), caContext(), { vendorId: "55" }));
    expectSound(plan);
    expect(plan.kind).toBe("supplier_return");
    expect(plan.txnDate).toBe("2026-11-26");
    const credit = doc(plan, "credit");
    expect(credit.entity).toBe("VendorCredit");
    expect(credit.body).toMatchObject({
      VendorRef: { value: "55" },
      TxnDate: "2026-11-26",
      GlobalTaxCalculation: "TaxExcluded",
      DepartmentRef: { value: "d1" },
    });
    expect(String(credit.body.DocNumber)).toMatch(/^RTN-9-/);
    expect(linesOf(credit).map((l) => [l.Description, cents(l.Amount)])).toEqual([
      ["Linen (LIN-1) – returned 3 × 8.40000", 2520],
      ["Buttons – returned 17 × 0.03125", 53],
    ]);
    for (const l of linesOf(credit))
      expect(l.AccountBasedExpenseLineDetail).toMatchObject({
        AccountRef: { value: A.inventory },
        TaxCodeRef: { value: "5" },
        ClassRef: { value: "c1" },
      });
    expect(effectMap(plan)).toEqual({
      [A.inventory]: -2573,
      "tax:p-gst": -129,
      "tax:p-qst": -257,
      [A.payable]: 2959,
    });
    expect(hasPlaceholder(plan)).toBe(false);
  });

  it("asks for the supplier as a vendor until it is resolved, and keys by the return's version", () => {
    const plan = planOf(buildSupplierReturnPosting(supplierReturn(), caContext()));
    expect(plan.needs).toEqual({ vendor: SUPPLIER });
    expect(hasPlaceholder(plan)).toBe(true);
    expect(plan.key).toBe("tb1|laurier|supplier_return|rtn-9|1");
  });

  it("a US company: no tax code, A/P down by the cost alone", () => {
    const plan = planOf(buildSupplierReturnPosting(supplierReturn(), usContext(), { vendorId: "55" }));
    expectSound(plan);
    const credit = doc(plan, "credit");
    expect(credit.body.GlobalTaxCalculation).toBeUndefined();
    expect(linesOf(credit).every((l) => !("TaxCodeRef" in (l.AccountBasedExpenseLineDetail as object)))).toBe(true);
    expect(plan.effects.reduce((s, e) => s + Math.max(0, e.debitMinor), 0)).toBe(2573);
  });

  it("waits for the Inventory Asset account and the purchase tax code; nothing returned posts nothing", () => {
    const ctx = caContext();
    const bare = {
      ...ctx,
      mappings: {
        ...ctx.mappings,
        purchaseTaxCodeId: undefined,
        accounts: { ...ctx.mappings.accounts, inventoryAsset: undefined },
      },
    };
    expect(blockersOf(buildSupplierReturnPosting(supplierReturn(), bare)).map((b) => b.mappingKey)).toEqual([
      "accounts.inventoryAsset",
      "purchaseTaxCodeId",
    ]);
    const none = planOf(buildSupplierReturnPosting(supplierReturn({ lines: [] }), ctx));
    expect(none.documents).toEqual([]);
  });
});
