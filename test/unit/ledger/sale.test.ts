import { describe, expect, it } from "vitest";
import type { Sale } from "../../../shared/domain/pos";
import { buildSaleInvoicePosting, buildSalePaymentPosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, CUSTOMER, giftCardLine, pay, product, PT, sale } from "./fixtures";
import {
  blockersOf,
  cents,
  doc,
  effectMap,
  expectSound,
  hasPlaceholder,
  line,
  linesOf,
  planOf,
  taxDetail,
} from "./helpers";

/**
 * On-account sale #5001 for Atelier Tremblay:
 *  Handbag 1 × 100.00 (GST 5.00, QST 9.975 → 9.98)
 *  Scarf 3 × 9.09091 = 27.27 less 2.27 → 25.00 (GST 1.25, QST 2.49375 → 2.49)
 *  Gloves 0.375 × 12.99999 = 4.87…, the POS says 4.88 (GST 0.244 → 0.24)
 *  = 129.88 + GST 6.49 + QST 12.47 = 148.84
 */
function onAccount(extra: Partial<Sale> = {}): Sale {
  return sale(
    "5001",
    [
      product("Handbag", "cat-acc", "1", "100.00000", 10000, 0, "tx-gstqst", [
        ["pr-gst", 500],
        ["pr-qst", 998],
      ]),
      product("Scarf", "cat-acc", "3", "9.09091", 2727, 227, "tx-gstqst", [
        ["pr-gst", 125],
        ["pr-qst", 249],
      ]),
      product("Gloves", "cat-tops", "0.375", "12.99999", 488, 0, "tx-gst", [["pr-gst", 24]]),
    ],
    [pay(PT.onAccount, 14884), pay(PT.cash, 5000, "seq-12", "2026-03-16T03:30:00Z")],
    { kind: "on_account", state: "pending", customer: CUSTOMER, completedSequenceId: null, ...extra },
  );
}

describe("an on-account sale → an Invoice", () => {
  const plan = planOf(buildSaleInvoicePosting(onAccount(), caContext()));
  const invoice = doc(plan, "invoice");

  it("one line per sale line with Qty × UnitPrice when it lands on the amount, else Qty 1", () => {
    expectSound(plan);
    expect(invoice.entity).toBe("Invoice");
    expect(line(invoice, "Handbag").SalesItemLineDetail).toMatchObject({
      ItemRef: { value: "101" },
      Qty: 1,
      UnitPrice: 100,
      TaxCodeRef: { value: "5" },
    });
    expect(line(invoice, "Scarf")).toMatchObject({
      Amount: 27.27,
      SalesItemLineDetail: { Qty: 3, UnitPrice: 9.09091 },
    });
    expect(line(invoice, "Gloves")).toMatchObject({
      Amount: 4.88,
      SalesItemLineDetail: { ItemRef: { value: "100" }, Qty: 1, UnitPrice: 4.88, TaxCodeRef: { value: "6" } },
    });
    expect(cents(line(invoice, "Discounts given (GST + QST)").Amount)).toBe(-227);
    expect(linesOf(invoice)).toHaveLength(4);
  });

  it("tax as the POS charged it, per QBO rate; total 148.84 to A/R", () => {
    expect(taxDetail(invoice)).toEqual({
      TotalTax: 18.96,
      TaxLine: [
        {
          DetailType: "TaxLineDetail",
          Amount: 6.49,
          TaxLineDetail: {
            TaxRateRef: { value: "r-gst" },
            PercentBased: true,
            TaxPercent: 5,
            NetAmountTaxable: 129.88,
          },
        },
        {
          DetailType: "TaxLineDetail",
          Amount: 12.47,
          TaxLineDetail: {
            TaxRateRef: { value: "r-qst" },
            PercentBased: true,
            TaxPercent: 9.975,
            NetAmountTaxable: 125,
          },
        },
      ],
    });
    expect(effectMap(plan)).toEqual({
      [A.receivable]: 14884,
      [A.accessoriesIncome]: -12727,
      [A.clothingIncome]: -488,
      [A.discounts]: 227,
      "tax:r-gst": -649,
      "tax:r-qst": -1247,
    });
    expect(plan.variance.filter((r) => r.line !== "tax_override").every((r) => r.diffMinor === 0)).toBe(true);
  });

  it("the customer is a placeholder the engine resolves; then no placeholder remains", () => {
    expect(invoice.body.CustomerRef).toEqual({ value: "__customer__" });
    expect(plan.needs).toEqual({ customer: CUSTOMER });
    const resolved = planOf(buildSaleInvoicePosting(onAccount(), caContext(), { customerId: "77" }));
    expect(doc(resolved, "invoice").body.CustomerRef).toEqual({ value: "77" });
    expect(resolved.needs).toEqual({});
    expect(hasPlaceholder(resolved)).toBe(false);
  });

  it("keyed by the sale's version, dated the sale's local day, numbered after the receipt", () => {
    expect(plan.key).toBe("tb1|laurier|sale|sale-5001|7");
    expect(plan.txnDate).toBe("2026-03-14");
    expect(invoice.docNumber).toMatch(/^5001-[0-9A-Z]{8}$/);
    expect(String(invoice.body.PrivateNote)).toContain("customer Atelier Tremblay (cust-1)");
  });

  it("a gift card sold on account goes through the liability service", () => {
    const s = sale("5002", [giftCardLine("GC-7", 2500)], [pay(PT.onAccount, 2500)], {
      kind: "on_account",
      state: "pending",
      customer: CUSTOMER,
      completedSequenceId: null,
    });
    const p = planOf(buildSaleInvoicePosting(s, caContext()));
    expect(line(doc(p, "invoice"), "Gift card GC-7").SalesItemLineDetail).toMatchObject({
      ItemRef: { value: "111" },
      TaxCodeRef: { value: "7" },
    });
    expect(effectMap(p)).toEqual({ [A.receivable]: 2500, [A.giftCardLiability]: -2500 });
  });

  it("a net-negative on-account sale (a return) is a CreditMemo with lines negated", () => {
    const s = sale(
      "5003",
      [product("Scarf", "cat-acc", "-1", "20.00000", -2000, 0, "tx-gst", [["pr-gst", -100]])],
      [],
      {
        kind: "on_account",
        state: "closed",
        customer: CUSTOMER,
        completedSequenceId: null,
      },
    );
    const p = planOf(buildSaleInvoicePosting(s, caContext()));
    expectSound(p);
    const memo = doc(p, "invoice");
    expect(memo.entity).toBe("CreditMemo");
    expect(line(memo, "Scarf")).toMatchObject({ Amount: 20, SalesItemLineDetail: { Qty: 1, UnitPrice: 20 } });
    expect(effectMap(p)).toEqual({ [A.receivable]: -2100, [A.accessoriesIncome]: 2000, "tax:r-gst": 100 });
  });

  it("a voided on-account sale has nothing to post; a regular sale or one without a customer is refused", () => {
    expect(planOf(buildSaleInvoicePosting(onAccount({ state: "voided" }), caContext())).documents).toEqual([]);
    expect(blockersOf(buildSaleInvoicePosting(onAccount({ kind: "regular", customer: null }), caContext()))).toEqual([
      { code: "pos_payload_invalid", detail: "sale #5001: not an on-account or layby sale" },
      { code: "pos_payload_invalid", detail: "sale #5001: an on-account sale without a customer" },
    ]);
  });

  it("unmapped things of an invoice are all named", () => {
    const ctx = caContext();
    delete ctx.mappings.categories["cat-acc"];
    ctx.mappings.items.discount = undefined;
    ctx.mappings.taxes["tx-gst"] = { taxCodeId: "8" };
    expect(blockersOf(buildSaleInvoicePosting(onAccount(), ctx))).toEqual([
      { code: "needs_mapping", detail: "category 'Accessories'", mappingKey: "categories.cat-acc" },
      {
        code: "qbo_invalid_reference",
        detail: "POS tax 'GST': its rates (GST 5%) do not match the rates of QBO tax code 'HST ON' (HST ON 13%)",
        mappingKey: "taxes.tx-gst",
      },
      { code: "needs_mapping", detail: "the discount item", mappingKey: "items.discount" },
    ]);
  });
});

describe("a POS payment on an on-account sale → a Payment applied to its invoice", () => {
  const s = onAccount();
  const cashPayment = s.payments[1]!;

  it("deposited to the payment type's account, linked to the invoice, dated the local day paid", () => {
    const plan = planOf(buildSalePaymentPosting(s, cashPayment.id, caContext()));
    expectSound(plan);
    const payment = doc(plan, "payment");
    expect(payment.entity).toBe("Payment");
    expect(payment.body).toMatchObject({
      TotalAmt: 50,
      CustomerRef: { value: "__customer__" },
      DepositToAccountRef: { value: A.cash },
      Line: [{ Amount: 50, LinkedTxn: [{ TxnId: "__invoice__", TxnType: "Invoice" }] }],
      DepartmentRef: { value: "d1" },
    });
    expect(plan.txnDate).toBe("2026-03-15"); // 23:30 in Montréal
    expect(plan.needs).toEqual({ customer: CUSTOMER, invoiceOfSaleId: "sale-5001" });
    expect(plan.key).toBe(`tb1|laurier|sale_payment|${cashPayment.id}|1`);
    expect(effectMap(plan)).toEqual({ [A.cash]: 5000, [A.receivable]: -5000 });
  });

  it("with the invoice and customer resolved, no placeholder remains", () => {
    const plan = planOf(
      buildSalePaymentPosting(s, cashPayment.id, caContext(), { customerId: "77", invoiceId: "1042" }),
    );
    expect(hasPlaceholder(plan)).toBe(false);
    expect(doc(plan, "payment").body.Line).toEqual([
      { Amount: 50, LinkedTxn: [{ TxnId: "1042", TxnType: "Invoice" }] },
    ]);
    expect(plan.needs).toEqual({});
  });

  it("a gift-card payment lands in clearing and a journal moves it to the liability", () => {
    const gc = pay(PT.giftCard, 1500);
    const plan = planOf(
      buildSalePaymentPosting(onAccount({ payments: [gc] }), gc.id, caContext(), {
        customerId: "77",
        invoiceId: "1042",
      }),
    );
    expectSound(plan);
    expect(plan.documents.map((d) => [d.part, d.entity])).toEqual([
      ["payment", "Payment"],
      ["redemption", "JournalEntry"],
    ]);
    expect(doc(plan, "payment").body.DepositToAccountRef).toMatchObject({ value: A.clearing });
    expect(effectMap(plan)).toEqual({ [A.giftCardLiability]: 1500, [A.receivable]: -1500 });
  });

  it("the On Account charge itself and zero payments post nothing", () => {
    expect(planOf(buildSalePaymentPosting(s, s.payments[0]!.id, caContext())).documents).toEqual([]);
  });

  it("money paid out on the sale leaves the payment type's account against the customer's A/R (SPEC §4.4)", () => {
    const refund = pay(PT.cash, -1000);
    const plan = planOf(
      buildSalePaymentPosting(onAccount({ payments: [refund] }), refund.id, caContext(), { customerId: "77" }),
    );
    expectSound(plan);
    expect(hasPlaceholder(plan)).toBe(false);
    const je = doc(plan, "refund");
    expect(je.entity).toBe("JournalEntry");
    const ar = linesOf(je).find((l) => (l.JournalEntryLineDetail as { PostingType: string }).PostingType === "Debit")!;
    expect(ar.JournalEntryLineDetail).toMatchObject({
      AccountRef: { value: A.receivable },
      Entity: { Type: "Customer", EntityRef: { value: "77" } },
    });
    expect(effectMap(plan)).toEqual({ [A.receivable]: 1000, [A.cash]: -1000 });
    expect(plan.needs).toEqual({});
  });

  it("a deposit kept as store credit moves to the store-credit liability, against the customer", () => {
    const kept = pay(PT.storeCredit, -2500);
    const plan = planOf(buildSalePaymentPosting(onAccount({ payments: [kept] }), kept.id, caContext()));
    expectSound(plan);
    expect(plan.documents.map((d) => d.entity)).toEqual(["JournalEntry"]);
    expect(effectMap(plan)).toEqual({ [A.receivable]: 2500, [A.storeCreditLiability]: -2500 });
    expect(plan.needs).toEqual({ customer: CUSTOMER });
  });

  it("an unmapped payment type, an unknown payment", () => {
    const pp = pay(PT.paypal, 1000);
    expect(blockersOf(buildSalePaymentPosting(onAccount({ payments: [pp] }), pp.id, caContext()))).toEqual([
      { code: "needs_mapping", detail: "payment type 'PayPal'", mappingKey: `paymentTypes.${PT.paypal}` },
    ]);
    expect(blockersOf(buildSalePaymentPosting(s, "nope", caContext()))).toEqual([
      { code: "pos_payload_invalid", detail: "sale #5001: it has no payment nope" },
    ]);
  });
});

describe("invoice and payment blockers are collected, not stopped at the first", () => {
  it("an inconsistent sale and its unmapped things in one answer", () => {
    const ctx = caContext();
    delete ctx.mappings.categories["cat-acc"];
    const s = onAccount();
    s.totalTaxMinor += 1;
    s.totalMinor += 1;
    expect(blockersOf(buildSaleInvoicePosting(s, ctx))).toEqual([
      { code: "pos_payload_invalid", detail: "sale #5001: its taxes per rate total 18.96 but the sale says 18.97" },
      { code: "needs_mapping", detail: "category 'Accessories'", mappingKey: "categories.cat-acc" },
    ]);
  });

  it("a payment of an unknown outlet on an unmapped payment type", () => {
    const pp = pay(PT.paypal, 1000);
    const s = onAccount({ payments: [pp], outletId: "out-gone" });
    expect(blockersOf(buildSalePaymentPosting(s, pp.id, caContext()))).toEqual([
      { code: "pos_payload_invalid", detail: "sale #5001: unknown outlet out-gone" },
      { code: "needs_mapping", detail: "payment type 'PayPal'", mappingKey: `paymentTypes.${PT.paypal}` },
    ]);
  });

  it("a store-credit payment needs the clearing and liability accounts", () => {
    const ctx = caContext();
    ctx.mappings.accounts.closureClearing = undefined;
    ctx.mappings.accounts.storeCreditLiability = undefined;
    const sc = pay(PT.storeCredit, 700);
    expect(blockersOf(buildSalePaymentPosting(onAccount({ payments: [sc] }), sc.id, ctx))).toEqual([
      { code: "needs_mapping", detail: "the closure clearing account", mappingKey: "accounts.closureClearing" },
      {
        code: "needs_mapping",
        detail: "the store credit liability account",
        mappingKey: "accounts.storeCreditLiability",
      },
    ]);
  });
});
