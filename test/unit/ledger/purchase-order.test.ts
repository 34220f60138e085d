import { describe, expect, it } from "vitest";
import type { PurchaseOrderReceipt } from "../../../shared/domain/pos";
import { buildPurchaseOrderPosting, receivedSince } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, SUPPLIER, usContext } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, hasPlaceholder, linesOf, planOf } from "./helpers";

/**
 * Delivery 2 of PO-77 (partial): linen 12.5 m × 8.40000 = 105.00, buttons 200 × 0.03125 = 6.25,
 * thread not received; shipping 15.00, duties 4.30, supplier discount 5.00 → 125.55 before tax.
 * QBO's input tax on it: GST 5 % = 6.2775 → 6.28, QST 9.975 % = 12.5236125 → 12.52.
 */
function receipt(extra: Partial<PurchaseOrderReceipt> = {}): PurchaseOrderReceipt {
  return {
    purchaseOrderId: "po-77",
    deliveryId: "del-2",
    version: "4",
    outletId: "out-mtl",
    timeZone: "America/Toronto",
    supplier: SUPPLIER,
    orderNumber: "PO-77",
    supplierInvoice: "INV-2026-0042",
    receivedAt: "2026-03-15T02:30:00Z",
    lines: [
      {
        id: "pl1",
        productId: "p-linen",
        productName: "Linen",
        sku: "LIN-1",
        receivedQuantity: "12.5",
        unitCost: "8.40000",
        totalMinor: 10500,
      },
      {
        id: "pl2",
        productId: "p-btn",
        productName: "Buttons",
        sku: null,
        receivedQuantity: "200",
        unitCost: "0.03125",
        totalMinor: 625,
      },
      {
        id: "pl3",
        productId: "p-thread",
        productName: "Thread",
        sku: null,
        receivedQuantity: "0",
        unitCost: "1.20000",
        totalMinor: 0,
      },
    ],
    costs: [
      { type: "SHIPPING", amountMinor: 1500 },
      { type: "DUTIES", amountMinor: 430 },
    ],
    discounts: [{ type: "DISCOUNT", amountMinor: 500 }],
    linesTotalMinor: 11125,
    ...extra,
  };
}

describe("a received purchase order → a Bill", () => {
  const plan = planOf(buildPurchaseOrderPosting(receipt(), caContext()));
  const bill = doc(plan, "bill");

  it("received products to Inventory Asset; shipping, duties and discount to their accounts; the thread not received stays out", () => {
    expectSound(plan);
    expect(bill.entity).toBe("Bill");
    expect(
      linesOf(bill).map((l) => [
        l.Description,
        cents(l.Amount),
        (l.AccountBasedExpenseLineDetail as { AccountRef: { value: string } }).AccountRef.value,
      ]),
    ).toEqual([
      ["Linen (LIN-1) – received 12.5 × 8.40000", 10500, A.inventory],
      ["Buttons – received 200 × 0.03125", 625, A.inventory],
      ["Shipping (purchase order PO-77)", 1500, A.freight],
      ["Duties (purchase order PO-77)", 430, A.duties],
      ["Supplier discount (purchase order PO-77)", -500, A.purchaseDiscounts],
    ]);
  });

  it("lines carry the purchase tax code and QBO computes the input tax (TaxExcluded)", () => {
    expect(bill.body.GlobalTaxCalculation).toBe("TaxExcluded");
    for (const l of linesOf(bill))
      expect(l.AccountBasedExpenseLineDetail).toMatchObject({ TaxCodeRef: { value: "5" }, ClassRef: { value: "c1" } });
    expect(effectMap(plan)).toEqual({
      [A.inventory]: 11125,
      [A.freight]: 1500,
      [A.duties]: 430,
      [A.purchaseDiscounts]: -500,
      "tax:p-gst": 628,
      "tax:p-qst": 1252,
      [A.payable]: -14435,
    });
  });

  it("the supplier invoice is the DocNumber; the order, delivery, supplier and key are in the PrivateNote; dated the local day received", () => {
    expect(bill.docNumber).toBe("INV-2026-0042");
    const note = String(bill.body.PrivateNote);
    for (const s of [
      "purchase order PO-77 (po-77)",
      "delivery del-2",
      "supplier invoice INV-2026-0042",
      "Tissus Nord",
      plan.key,
    ])
      expect(note).toContain(s);
    expect(plan.txnDate).toBe("2026-03-14"); // 22:30 in Montréal
    expect(plan.posId).toBe("po-77:del-2");
    expect(plan.key).toBe("tb1|laurier|purchase_order|po-77:del-2|4");
  });

  it("the vendor is a placeholder until the engine resolves it, then never", () => {
    expect(bill.body.VendorRef).toEqual({ value: "__vendor__" });
    expect(plan.needs).toEqual({ vendor: SUPPLIER });
    const resolved = planOf(buildPurchaseOrderPosting(receipt(), caContext(), { vendorId: "56" }));
    expect(doc(resolved, "bill").body.VendorRef).toEqual({ value: "56" });
    expect(resolved.needs).toEqual({});
    expect(hasPlaceholder(resolved)).toBe(false);
  });

  it("variance: products and each charge tie out", () => {
    expect(plan.variance).toEqual([
      { line: "bill_products", label: "Received products at cost", posMinor: 11125, postedMinor: 11125, diffMinor: 0 },
      { line: "bill_charge", label: "cost SHIPPING", posMinor: 1500, postedMinor: 1500, diffMinor: 0 },
      { line: "bill_charge", label: "cost DUTIES", posMinor: 430, postedMinor: 430, diffMinor: 0 },
      { line: "bill_charge", label: "discount DISCOUNT", posMinor: -500, postedMinor: -500, diffMinor: 0 },
    ]);
  });
});

describe("bill variations", () => {
  it("a long supplier invoice is cut to 21; without one the DocNumber is the order number with a hash", () => {
    const long = planOf(
      buildPurchaseOrderPosting(receipt({ supplierInvoice: "SUPPLIER-INVOICE-2026-000042-B" }), caContext()),
    );
    expect(long.documents[0]!.docNumber).toBe("SUPPLIER-INVOICE-2026");
    const none = planOf(buildPurchaseOrderPosting(receipt({ supplierInvoice: null }), caContext()));
    expect(none.documents[0]!.docNumber).toMatch(/^PO-77-[0-9A-Z]{8}$/);
  });

  it("a whole order received without deliveries is keyed by the order", () => {
    const plan = planOf(buildPurchaseOrderPosting(receipt({ deliveryId: null }), caContext()));
    expect(plan.posId).toBe("po-77");
  });

  it("US company: no tax code on bill lines, no GlobalTaxCalculation; A/P takes the lines", () => {
    const ctx = usContext();
    ctx.mappings.purchaseTaxCodeId = undefined;
    const plan = planOf(buildPurchaseOrderPosting(receipt({ timeZone: "America/New_York" }), ctx));
    const bill = doc(plan, "bill");
    expect(bill.body.GlobalTaxCalculation).toBeUndefined();
    expect(JSON.stringify(bill.body)).not.toContain("TaxCodeRef");
    expect(effectMap(plan)[A.payable]).toBe(-12555);
  });

  it("a mapped A/P account is named on the bill", () => {
    const ctx = caContext();
    ctx.mappings.accounts.accountsPayable = A.payable;
    expect(doc(planOf(buildPurchaseOrderPosting(receipt(), ctx)), "bill").body.APAccountRef).toEqual({
      value: A.payable,
      name: "Accounts Payable (A/P)",
    });
  });

  it("nothing received and no charges: nothing to post", () => {
    const plan = planOf(
      buildPurchaseOrderPosting(receipt({ lines: [], costs: [], discounts: [], linesTotalMinor: 0 }), caContext()),
    );
    expect(plan.documents).toEqual([]);
  });
});

describe("bill blockers", () => {
  it("an unknown charge type, unmapped accounts and the purchase tax code, all at once", () => {
    const ctx = caContext();
    ctx.mappings.accounts.inventoryAsset = undefined;
    ctx.mappings.accounts.duties = undefined;
    ctx.mappings.purchaseTaxCodeId = undefined;
    const r = buildPurchaseOrderPosting(
      receipt({
        costs: [
          { type: "HANDLING", amountMinor: 200 },
          { type: "DUTIES", amountMinor: 430 },
        ],
      }),
      ctx,
    );
    expect(blockersOf(r)).toEqual([
      { code: "needs_mapping", detail: "the inventory asset account", mappingKey: "accounts.inventoryAsset" },
      { code: "needs_mapping", detail: "purchase-order cost type 'HANDLING'" },
      { code: "needs_mapping", detail: "the customs duties account", mappingKey: "accounts.duties" },
      { code: "needs_mapping", detail: "the purchase tax code", mappingKey: "purchaseTaxCodeId" },
    ]);
  });

  it("lines that do not add up to the received cost", () => {
    expect(blockersOf(buildPurchaseOrderPosting(receipt({ linesTotalMinor: 11126 }), caContext()))).toEqual([
      {
        code: "pos_payload_invalid",
        detail: "purchase order PO-77: its lines total 111.25 but its received cost is 111.26",
      },
    ]);
  });

  it("discounts larger than the bill cannot be a bill", () => {
    const r = buildPurchaseOrderPosting(
      receipt({ discounts: [{ type: "DISCOUNT", amountMinor: 20000 }] }),
      caContext(),
    );
    expect(blockersOf(r)).toEqual([
      {
        code: "unsupported_event",
        detail: "purchase order PO-77: discounts exceed the bill (-69.45); record a vendor credit by hand",
      },
    ]);
  });

  it("an inventory asset account of the wrong type", () => {
    const ctx = caContext();
    ctx.mappings.accounts.inventoryAsset = A.freight;
    expect(blockersOf(buildPurchaseOrderPosting(receipt(), ctx))).toEqual([
      {
        code: "qbo_invalid_reference",
        detail:
          "the inventory asset account: QBO account 'Freight in' is of type Cost of Goods Sold; it must be Other Current Asset",
        mappingKey: "accounts.inventoryAsset",
      },
    ]);
  });
});

describe("received purchase orders sent by themselves", () => {
  const at = (receivedAt: string, timeZone = "America/Toronto") => ({ receivedAt, timeZone });
  it("leave an order received wholly before the first day synced to a backfill", () => {
    expect(receivedSince([at("2026-10-30T15:00:00Z"), at("2026-10-28T15:00:00Z")], "2026-10-31")).toBe(false);
    expect(receivedSince([at("2026-10-30T15:00:00Z"), at("2026-10-31T15:00:00Z")], "2026-10-31")).toBe(true);
    expect(receivedSince([], "2026-10-31")).toBe(false);
  });

  it("judge each delivery by its business date in the outlet's zone", () => {
    // 02:00 UTC on the 31st is still the 30th in Toronto, already the 31st in Sydney
    expect(receivedSince([at("2026-10-31T02:00:00Z")], "2026-10-31")).toBe(false);
    expect(receivedSince([at("2026-10-30T14:00:00Z", "Australia/Sydney")], "2026-10-31")).toBe(true);
  });
});
