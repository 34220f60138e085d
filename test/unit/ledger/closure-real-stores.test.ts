import { describe, expect, it } from "vitest";
import type { Sale, SaleLine } from "../../../shared/domain/pos";
import { buildClosurePosting } from "../../../worker/ledger";
import { ACCOUNTS as A, CLOSURE_ID, caContext, closure, pay, PT } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, journalSides, line, planOf, taxDetail } from "./helpers";

/**
 * SPEC §4.1–4.3 through the whole closure posting: a tax-inclusive till (GST 5 % here, prices
 * including it, so the POS records ex-tax amounts and tax at five decimals), tips, surcharges,
 * custom charges, a charge type the POS adds later, and Loyalty payments.
 */

let seq = 0;
/** A product line as the connector maps a tax-inclusive one: cents split per sale, exact amounts kept. */
function inclusiveLine(categoryId: string, list: string, net: string, tax: string, cents: [number, number, number]) {
  const [listMinor, netMinor, taxMinor] = cents;
  const l: SaleLine = {
    id: `il${++seq}`,
    kind: "product",
    productId: "p-book",
    productName: "Field guide",
    sku: null,
    categoryId,
    quantity: "1",
    unitListPrice: list,
    listMinor,
    discountMinor: listMinor - netMinor,
    netMinor,
    taxId: "tx-gst",
    taxes: [{ rateId: "pr-gst", taxMinor, exact: tax }],
    isReturn: false,
    giftCardNumber: null,
    listExact: list,
    netExact: net,
  };
  return l;
}

/** A sale of those lines; `extra` adds charges and tips (and their part of the totals). */
function inclusiveSale(n: string, lines: SaleLine[], paid: number, extra: Partial<Sale> = {}): Sale {
  const charges = extra.charges ?? [];
  const exTax =
    lines.reduce((s, l) => s + l.netMinor, 0) + charges.reduce((s, c) => s + c.amountMinor, 0) + (extra.tipsMinor ?? 0);
  const taxMinor =
    lines.reduce((s, l) => s + l.taxes[0]!.taxMinor, 0) +
    charges.reduce((s, c) => s + c.taxes.reduce((t, x) => t + x.taxMinor, 0), 0);
  const exact = [
    ...lines.map((l) => l.taxes[0]!.exact!),
    ...charges.flatMap((c) => c.taxes.map((t) => t.exact ?? String(t.taxMinor / 100))),
  ];
  const sum = exact.reduce((s, e) => s + Math.round(Number(e) * 100000), 0) / 100000;
  return {
    id: `sale-${n}`,
    version: "3",
    outletId: "out-mtl",
    registerId: "reg-1",
    invoiceNumber: n,
    saleDate: "2026-03-14T17:59:00Z",
    state: "closed",
    kind: "regular",
    customer: null,
    completedSequenceId: CLOSURE_ID,
    returnForSaleId: null,
    lines,
    totalExTaxMinor: exTax,
    totalTaxMinor: taxMinor,
    totalMinor: exTax + taxMinor,
    taxes: [{ rateId: "pr-gst", taxMinor, exact: sum.toFixed(5) }],
    roundingMinor: paid - (exTax + taxMinor),
    payments: [pay(PT.cash, paid)],
    note: null,
    ...extra,
  };
}

const cashRow = (expected: number) => ({
  paymentTypeId: PT.cash,
  name: "Cash",
  expectedMinor: expected,
  countedMinor: expected,
});

describe("a tax-inclusive closure: each figure summed at full precision, rounded once (SPEC §4.1)", () => {
  // three books at 10.00 including GST: ex 9.52381 and GST 0.47619 each, recorded by the POS
  const book = () => inclusiveLine("cat-books", "9.52381", "9.52381", "0.47619", [952, 952, 48]);
  const sales = ["1", "2", "3"].map((n) => inclusiveSale(n, [book()], 1000));
  const plan = planOf(buildClosurePosting(closure(sales, [cashRow(3000)]), caContext()));
  const receipt = doc(plan, "sales");

  it("books the POS's own GST (1.42857 → 1.43), not the sum of per-sale cents (3 × 0.48)", () => {
    expectSound(plan);
    expect(cents(taxDetail(receipt)!.TotalTax)).toBe(143);
    expect(cents(line(receipt, "Sales – Books (GST)").Amount)).toBe(2857); // 28.57143 once, not 3 × 9.52
    expect(effectMap(plan)[A.booksIncome]).toBe(-2857);
    expect(plan.variance.find((v) => v.line === "tax")).toMatchObject({ posMinor: 143, postedMinor: 143 });
  });

  it("leaves nothing for rounding when sales + tax already make what customers paid", () => {
    expect(plan.summary.find((s) => s.label === "Rounding")).toBeUndefined();
    expect(journalSides(doc(plan, "payments")).byAccount.get(A.cash)).toBe(3000);
  });

  it("puts the residue of rounding the discounts once on the Rounding line, shown", () => {
    // 10.00 list (ex 9.52381) sold at 9.50 (ex 9.04762, GST 0.45238): 9.52 − 0.48 + 0.45 = 9.49 of 9.50 paid
    const discounted = inclusiveSale(
      "4",
      [inclusiveLine("cat-books", "9.52381", "9.04762", "0.45238", [952, 905, 45])],
      950,
    );
    const p = planOf(buildClosurePosting(closure([discounted], [cashRow(950)]), caContext()));
    const r = doc(p, "sales");
    expectSound(p);
    expect(cents(line(r, "Sales – Books (GST)").Amount)).toBe(952);
    expect(cents(line(r, "Discounts given (GST)").Amount)).toBe(-48);
    expect(cents(taxDetail(r)!.TotalTax)).toBe(45);
    const rounding = line(r, "Rounding: cash 0.00, tax-inclusive residue 0.01");
    expect(cents(rounding.Amount)).toBe(1);
    expect(p.variance.filter((v) => v.line === "rounding").map((v) => [v.label, v.posMinor, v.postedMinor])).toEqual([
      ["Cash rounding", 0, 0],
      ["Tax-inclusive rounding residue", 1, 1],
    ]);
  });
});

describe("tips, surcharges, custom charges and Loyalty (SPEC §4.2–4.3)", () => {
  // 20.00 of books ex tax + 1.00 GST; a 1.5 % card surcharge of 0.31 + 0.02 GST; a 3.00 tip; 5.00 paid in Loyalty
  const lines = [inclusiveLine("cat-books", "20", "20", "1", [2000, 2000, 100])];
  const surcharge = {
    type: "SURCHARGE",
    name: "Card surcharge (1.5%)",
    taxId: "tx-gst",
    amountMinor: 31,
    taxes: [{ rateId: "pr-gst", taxMinor: 2 }],
  };
  const s = inclusiveSale("10", lines, 2433, { charges: [surcharge], tipsMinor: 300 });
  s.payments = [pay(PT.card, 1933), { ...pay(PT.loyalty, 500), paymentTypeName: "Loyalty" }];
  const payments = [
    { paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 1933, countedMinor: 1933 },
    // a counted figure for Loyalty is ignored, as for gift cards
    { paymentTypeId: PT.loyalty, name: "Loyalty", expectedMinor: 500, countedMinor: 0 },
  ];
  const plan = planOf(buildClosurePosting(closure([s], payments), caContext()));
  const receipt = doc(plan, "sales");

  it("the surcharge is income through its item, taxed as the POS taxed it; the tip goes to tips payable untaxed", () => {
    expectSound(plan);
    const charge = line(receipt, "Surcharges (GST)");
    expect(cents(charge.Amount)).toBe(31);
    expect(charge.SalesItemLineDetail).toMatchObject({ ItemRef: { value: "116" }, TaxCodeRef: { value: "6" } });
    const tip = line(receipt, "Tips (owed to staff)");
    expect(cents(tip.Amount)).toBe(300);
    expect(tip.SalesItemLineDetail).toMatchObject({ ItemRef: { value: "115" }, TaxCodeRef: { value: "7" } });
    expect(cents(taxDetail(receipt)!.TotalTax)).toBe(102);
  });

  it("Loyalty debits the loyalty account, never a bank, whatever was counted", () => {
    const sides = journalSides(doc(plan, "payments"));
    expect(sides.byAccount.get(A.loyalty)).toBe(500);
    expect(sides.byAccount.get(A.card)).toBe(1933);
    expect(effectMap(plan)).toMatchObject({
      [A.tipsPayable]: -300,
      [A.surchargeIncome]: -31,
      [A.loyalty]: 500,
      [A.booksIncome]: -2000,
    });
  });

  it("a charge type the POS adds later waits for its own mapping, then posts by itself", () => {
    const later = { ...surcharge, type: "SERVICE_CHARGE", name: "Service charge" };
    const withLater = inclusiveSale("11", lines, 2433, { charges: [later], tipsMinor: 300 });
    withLater.payments = [pay(PT.card, 2433)];
    const c = closure(
      [withLater],
      [{ paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 2433, countedMinor: 2433 }],
    );
    const blocked = buildClosurePosting(c, caContext());
    expect(blockersOf(blocked)).toEqual([
      {
        code: "needs_mapping",
        detail: "the POS charge type 'SERVICE_CHARGE'",
        mappingKey: "adjustmentTypes.SERVICE_CHARGE",
      },
    ]);
    const ctx = caContext();
    ctx.mappings.adjustmentTypes.SERVICE_CHARGE = "116";
    const healed = planOf(buildClosurePosting(c, ctx));
    expect(cents(line(doc(healed, "sales"), "Charges – SERVICE_CHARGE (GST)").Amount)).toBe(31);
  });

  it("a tips service that does not post to the tips payable account is refused by name", () => {
    const ctx = caContext();
    ctx.mappings.items.tips = "116";
    expect(blockersOf(buildClosurePosting(closure([s], payments), ctx))).toEqual([
      {
        code: "qbo_invalid_reference",
        detail:
          "the tips service: QBO product/service 'Surcharges and fees' posts to 'Surcharges and fees', not to the tips payable account 'Tips payable'",
        mappingKey: "items.tips",
      },
    ]);
  });
});
