import { describe, expect, it } from "vitest";
import { Mappings } from "../../../shared/mappings";
import { buildClosurePosting, type LedgerContext } from "../../../worker/ledger";
import { toSale } from "../../../worker/pos/mappers/sale";
import { ctx as saleCtx, IDS, paymentTypes, taxes } from "../pos-connector/fixtures";
import { ACCOUNTS as A, caContext, caMappings, closure } from "./fixtures";
import { cents, doc, effectMap, expectSound, formTotal, line, linesOf, planOf, taxDetail } from "./helpers";

/**
 * SPEC §4.4: an exchange (positive and negative lines in one sale) posts each line in its own
 * category at list price; nothing nets across categories. The sales are 2026-07 payloads as the POS
 * sends them (the pos-connector fixtures' Québec store: GST 5 % + QST 9.975 % as one tax group),
 * read by the connector's mapper, then posted by the ledger.
 */

const tc = (gst: string, qst: string) => [
  { rate_id: IDS.gst, total_tax: gst },
  { rate_id: IDS.qst, total_tax: qst },
];

const cardPayment = (id: string, amount: string, at: string) => ({
  id,
  amount,
  date: at,
  type: { config_id: IDS.card, id: "3", name: "Credit Card" },
  source: { register_id: IDS.register, outlet_id: IDS.outlet },
  _metadata: { register_open_sequence_id: IDS.sequence },
});

/** Two shirts (Apparel) at 20.00 list, 2.00 off each: 36.00 + GST 1.80 + QST 3.591 = 41.39, by card. */
const original = {
  id: "0a4d8d4b-9b5a-11ee-f6f1-00000000aa01",
  _metadata: { version: 13092885001, complete_open_sequence_id: IDS.sequence },
  source: { outlet_id: IDS.outlet, register_id: IDS.register },
  customer_id: null,
  invoice_number: "MR-1710",
  date: "2026-11-03T15:02:00Z",
  state: "closed",
  attributes: [],
  note: "",
  totals: { price: "36.00", tax: "5.391", price_incl_tax: "41.391" },
  taxes: [
    { id: IDS.gst, tax: "1.80" },
    { id: IDS.qst, tax: "3.591" },
  ],
  adjustments: [],
  line_items: [
    {
      id: "li-shirts",
      product: { id: IDS.shirt },
      quantity: 2,
      pricing: { price: "18.00000", discount: "2.00000", total: "36.00" },
      tax: { id: IDS.gstQst, total: "5.391" },
      _metadata: { tax_components: tc("1.80", "3.591") },
      return: { is_return: false },
      status: "CONFIRMED",
    },
  ],
  payments: [cardPayment("pay-orig", "41.39", "2026-11-03T15:02:10Z")],
  return: { is_return: false, original_sale_id: null, return_sale_ids: [] },
};

/**
 * The exchange, later the same day: one shirt back at its own price and discount (−18.00, tax
 * −2.6955), a mug (Kitchen) at 9.09091 instead; the customer is refunded the difference, 10.24.
 */
const exchange = {
  id: "0a4d8d4b-9b5a-11ee-f6f1-00000000aa02",
  _metadata: { version: 13092885099, complete_open_sequence_id: IDS.sequence },
  source: { outlet_id: IDS.outlet, register_id: IDS.register },
  customer_id: null,
  invoice_number: "MR-1711",
  date: "2026-11-03T19:40:00Z",
  state: "closed",
  attributes: [],
  note: "Exchange of MR-1710",
  totals: { price: "-8.91", tax: "-1.3341362275", price_incl_tax: "-10.2441362275" },
  taxes: [
    { id: IDS.gst, tax: "-0.4454545" },
    { id: IDS.qst, tax: "-0.8886817275" },
  ],
  adjustments: [],
  line_items: [
    {
      id: "li-back",
      product: { id: IDS.shirt },
      quantity: -1,
      pricing: { price: "18.00000", discount: "2.00000", total: "-18.00" },
      tax: { id: IDS.gstQst, total: "-2.6955" },
      _metadata: { tax_components: tc("-0.90", "-1.7955") },
      return: { is_return: true, reason: "" },
      status: "CONFIRMED",
    },
    {
      id: "li-instead",
      product: { id: IDS.mug },
      quantity: 1,
      pricing: { price: "9.09091", discount: "0", total: "9.09" },
      tax: { id: IDS.gstQst, total: "1.3613637725" },
      _metadata: { tax_components: tc("0.4545455", "0.9068182725") },
      return: { is_return: false, reason: null },
      status: "CONFIRMED",
    },
  ],
  payments: [cardPayment("pay-exch", "-10.24", "2026-11-03T19:40:30Z")],
  return: { is_return: true, original_sale_id: original.id, return_sale_ids: [] },
};

/** The connector fixtures' store, mapped to the ledger fixtures' QBO company: Apparel and Kitchen to their own items. */
function ledgerContext(): LedgerContext {
  const base = caMappings();
  return caContext({
    mappings: Mappings.parse({
      ...base,
      categories: { [IDS.apparel]: "100", [IDS.kitchen]: "101" },
      paymentTypes: {
        [IDS.cash]: { role: "deposit", accountId: A.cash },
        [IDS.card]: { role: "deposit", accountId: A.card },
      },
      taxes: { [IDS.gstQst]: { taxCodeId: "5" }, [IDS.noTax]: { taxCodeId: "7" } },
      outlets: { [IDS.outlet]: { classId: "c1", departmentId: "d1" } },
    }),
    paymentTypes,
    taxes,
    categories: [
      { id: IDS.apparel, name: "Apparel", path: "Apparel", leaf: true },
      { id: IDS.kitchen, name: "Kitchen", path: "Kitchen", leaf: true },
    ],
    outlets: [{ id: IDS.outlet, name: "Mile End", timeZone: "America/Toronto", currency: "CAD" }],
  });
}

function closureOf(payloads: Record<string, unknown>[], cardMinor: number) {
  const sales = payloads.map((p) => toSale(p, saleCtx()));
  return closure(
    sales,
    [{ paymentTypeId: IDS.card, name: "Credit Card", expectedMinor: cardMinor, countedMinor: cardMinor }],
    {
      id: IDS.sequence,
      registerId: IDS.register,
      outletId: IDS.outlet,
      outletName: "Mile End",
      openedAt: "2026-11-03T13:00:00Z",
      closedAt: "2026-11-03T23:00:00Z",
    },
  );
}

describe("an exchange in a closure (SPEC §4.4)", () => {
  it("the connector keeps each line's sign and category: −20.00 list of Apparel, +9.09 of Kitchen", () => {
    const s = toSale(exchange, saleCtx());
    expect(s.lines.map((l) => [l.categoryId, l.listMinor, l.discountMinor, l.netMinor])).toEqual([
      [IDS.apparel, -2000, -200, -1800],
      [IDS.kitchen, 909, 0, 909],
    ]);
    expect(s.totalMinor).toBe(-1024);
  });

  it("alone: the returned shirt and the mug each post in their own category at list price, nothing nets", () => {
    const plan = planOf(buildClosurePosting(closureOf([exchange], -1024), ledgerContext()));
    expectSound(plan);
    // net-negative: a RefundReceipt, whose amounts are the sale's negated
    const receipt = doc(plan, "sales");
    expect(receipt.entity).toBe("RefundReceipt");
    expect(cents(line(receipt, "Sales – Apparel").Amount)).toBe(2000);
    expect(cents(line(receipt, "Sales – Kitchen").Amount)).toBe(-909);
    // the returned shirt's discount comes back: contra-income reversed
    expect(cents(line(receipt, "Discounts given").Amount)).toBe(-200);
    expect(cents(taxDetail(receipt)!.TotalTax)).toBe(133);
    expect(formTotal(receipt)).toBe(1024);
    // tax per rate exactly as the connector read it from the POS (−0.4454545 and −0.8886817275 → −1.33)
    const taxOf = (rateId: string) => toSale(exchange, saleCtx()).taxes.find((t) => t.rateId === rateId)!.taxMinor;
    expect(taxOf(IDS.gst) + taxOf(IDS.qst)).toBe(-133);
    expect(effectMap(plan)).toEqual({
      [A.clothingIncome]: 2000,
      [A.accessoriesIncome]: -909,
      [A.discounts]: -200,
      "tax:r-gst": -taxOf(IDS.gst),
      "tax:r-qst": -taxOf(IDS.qst),
      [A.card]: -1024,
    });
  });

  it("with the original sale in the same closure: Apparel sums within its category (2 − 1 shirts), Kitchen stays apart", () => {
    const plan = planOf(buildClosurePosting(closureOf([original, exchange], 4139 - 1024), ledgerContext()));
    expectSound(plan);
    const receipt = doc(plan, "sales");
    const sales = linesOf(receipt).filter((l) => String(l.Description).startsWith("Sales – "));
    expect(sales.map((l) => [l.Description, cents(l.Amount)])).toEqual([
      ["Sales – Kitchen (GST + QST)", 909],
      ["Sales – Apparel (GST + QST)", 2000],
    ]);
    expect(cents(line(receipt, "Discounts given").Amount)).toBe(-200);
    expect(formTotal(receipt)).toBe(4139 - 1024);
    const effects = effectMap(plan);
    expect(effects[A.clothingIncome]).toBe(-2000);
    expect(effects[A.accessoriesIncome]).toBe(-909);
    expect(effects[A.card]).toBe(3115);
  });
});
