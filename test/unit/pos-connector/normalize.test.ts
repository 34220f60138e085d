import { describe, expect, it } from "vitest";
import { TillbridgeError } from "../../../shared/errors";
import { parseDec } from "../../../shared/money";
import { toSale } from "../../../worker/pos/mappers/sale";
import { readObject } from "../../../worker/pos/read";
import { RawCustomer, RawProduct, RawSale, RawTax } from "../../../worker/pos/schemas";
import { ctx, IDS, sale2026, sale20 } from "./fixtures";

const SALE = "sale 0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1";
const dec = (v: string) => parseDec(v);

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TillbridgeError && e.code === "pos_payload_invalid" && e.detail) return e.detail;
    throw e;
  }
  throw new Error("expected pos_payload_invalid");
}

/** The sale as the schema reads it, and as the mapper reports it: the refusal must be the same. */
function refusedBoth(payload: Record<string, unknown>): string {
  const bySchema = refusal(() => readObject(RawSale, payload, "sale"));
  expect(refusal(() => toSale(payload, ctx()))).toBe(bySchema);
  return bySchema;
}

const withLine = (sale: Record<string, unknown>, i: number, patch: Record<string, unknown>) => {
  const lines = [...(sale.line_items as Record<string, unknown>[])];
  lines[i] = { ...lines[i], ...patch };
  return { ...sale, line_items: lines };
};
const withPayment = (sale: Record<string, unknown>, patch: Record<string, unknown>) => {
  const [first, ...rest] = sale.payments as Record<string, unknown>[];
  return { ...sale, payments: [{ ...first, ...patch }, ...rest] };
};

describe("RawSale: both API generations read into one shape", () => {
  const modern = readObject(RawSale, sale2026(), "sale");
  const legacy = readObject(RawSale, sale20(), "sale");

  it("gives the same canonical sale for the same sale in either spelling", () => {
    // 2.0 has no completion sequence, no tax-inclusive total and no adjustment names: the only differences.
    expect(legacy).toEqual({
      ...modern,
      _metadata: { ...modern._metadata, complete_open_sequence_id: null },
      totals: { ...modern.totals, price_incl_tax: null },
      adjustments: modern.adjustments.map((a) => ({ ...a, name: "" })),
    });
  });

  it("uses the 2026-07 names, with amounts exact and every required field present", () => {
    expect(modern).toMatchObject({
      _metadata: { version: "13092885034", complete_open_sequence_id: IDS.sequence },
      source: { outlet_id: IDS.outlet, register_id: IDS.register },
      date: "2026-11-03T22:15:00Z",
      state: "closed",
      attributes: [],
      note: null,
      totals: { price: dec("65.09"), tax: dec("6"), price_incl_tax: dec("71.09") },
      taxes: [
        { id: IDS.gst, tax: dec("2") },
        { id: IDS.qst, tax: dec("4") },
      ],
      adjustments: [{ adjustment_type: "ROUNDING", total: dec("0.01") }],
    });
    expect(legacy.line_items[0]).toEqual({
      id: "li-1",
      product: { id: IDS.shirt },
      gift_card_number: null,
      quantity: dec("2"),
      pricing: { price: dec("18"), discount: dec("2"), total: dec("36"), cost_total: dec("16") },
      tax: { id: IDS.gstQst, total: dec("5.391") },
      _metadata: {
        tax_components: [
          { rate_id: IDS.gst, total_tax: dec("1.8") },
          { rate_id: IDS.qst, total_tax: dec("3.591") },
        ],
      },
      return: { is_return: false },
      surcharges: [],
    });
    expect(legacy.payments[0]).toEqual({
      id: "pay-1",
      amount: dec("71.1"),
      date: "2026-11-03T22:15:10Z",
      type: { config_id: IDS.cash },
      source: { register_id: IDS.register },
      _metadata: { register_open_sequence_id: IDS.sequence },
    });
  });

  it("decides defaults once: no discount, a total of price × quantity, a return from a negative quantity", () => {
    const sale = sale20({
      line_items: [{ id: "x", product_id: IDS.mug, quantity: -3, unit_price: "2.5", tax_id: IDS.noTax }],
    });
    expect(readObject(RawSale, sale, "sale").line_items[0]).toMatchObject({
      pricing: { price: dec("2.5"), discount: dec("0"), total: dec("-7.5") },
      tax: { id: IDS.noTax, total: null },
      _metadata: { tax_components: [] },
      return: { is_return: true },
    });
  });

  it("reads the legacy status as the documented state and attributes", () => {
    const cases: [string, string, string[]][] = [
      ["ONACCOUNT", "pending", ["onaccount"]],
      ["LAYBY_CLOSED", "closed", ["layby"]],
      ["DISPATCHED_CLOSED", "closed", ["delivery"]],
      ["SAVED", "parked", []],
    ];
    for (const [status, state, attributes] of cases) {
      expect(readObject(RawSale, sale20({ status }), "sale")).toMatchObject({ state, attributes });
    }
    expect(readObject(RawSale, sale2026({ state: "CLOSED", attributes: ["OnAccount"] }), "sale")).toMatchObject({
      state: "closed",
      attributes: ["onaccount"],
    });
  });

  it("keeps a voided line's and a deleted payment's place, so later errors name the payload's index", () => {
    const voided = { id: "v", quantity: 1, status: "VOIDED" }; // no product, no price: not part of the sale
    const sale = sale2026({ line_items: [voided, ...(sale2026().line_items as unknown[])] });
    expect(readObject(RawSale, sale, "sale").line_items[0]).toBeNull();
    expect(refusal(() => toSale(withLine(sale, 2, { product: { id: "ghost" } }), ctx()))).toBe(
      `${SALE}: line_items[2].product_id: unknown product ghost`,
    );
    const gone = { id: "gone", amount: 1, deleted_at: "2026-11-03T22:16:00Z" }; // no type, no date
    const paid = sale2026({ payments: [gone, ...(sale2026().payments as unknown[])] });
    expect(readObject(RawSale, paid, "sale").payments[0]).toBeNull();
    expect(toSale(paid, ctx()).payments.map((p) => p.id)).toEqual(["pay-1"]);
  });
});

describe("RawSale: a missing required field is refused as Tillbridge always reported it", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ["version", sale2026({ _metadata: {} }), sale20({ version: undefined }), "version: missing"],
    ["outlet", sale2026({ source: {} }), sale20({ outlet_id: undefined }), "outlet_id: missing"],
    ["sale date", sale2026({ date: undefined }), sale20({ sale_date: undefined }), "sale_date: missing"],
    [
      "state",
      sale2026({ state: undefined }),
      sale20({ status: undefined }),
      "state: missing (neither state nor status)",
    ],
    ["total", sale2026({ totals: { tax: "6.00" } }), sale20({ total_price: undefined }), "total_price: missing"],
    ["tax total", sale2026({ totals: { price: "65.09" } }), sale20({ total_tax: null }), "total_tax: missing"],
    [
      "a listed tax's amount",
      sale2026({ taxes: [{ id: IDS.gst }] }),
      sale20({ taxes: [{ id: IDS.gst, name: "GST" }] }),
      "taxes[0].amount: missing",
    ],
    [
      "a line's price",
      withLine(sale2026(), 1, { pricing: { total: "9.09" } }),
      withLine(sale20(), 1, { price: undefined }),
      "line_items[1].price: missing",
    ],
    [
      "a line's product",
      withLine(sale2026(), 1, { product: undefined }),
      withLine(sale20(), 1, { product_id: undefined }),
      "line_items[1].product_id: missing",
    ],
    [
      "a payment's type",
      withPayment(sale2026(), { type: undefined }),
      withPayment(sale20(), { retailer_payment_type_id: undefined }),
      "payments[0].retailer_payment_type_id: missing",
    ],
    [
      "a payment's date",
      withPayment(sale2026(), { date: undefined }),
      withPayment(sale20(), { payment_date: undefined }),
      "payments[0].payment_date: missing",
    ],
  ];
  it.each(cases)("%s", (_name, modern, legacy, detail) => {
    expect(refusedBoth(modern)).toBe(`${SALE}: ${detail}`);
    expect(refusedBoth(legacy)).toBe(`${SALE}: ${detail}`);
  });

  it("a gift-card line sold by its number needs no product", () => {
    const sale = withLine(sale2026(), 3, { product: undefined });
    expect(readObject(RawSale, sale, "sale").line_items[3]).toMatchObject({
      product: null,
      gift_card_number: "6001000100",
    });
    expect(toSale(sale, ctx()).lines[3]).toMatchObject({ kind: "gift_card", productId: null });
  });

  it("an unknown state or status, or contradictory attributes, is refused by name", () => {
    expect(refusedBoth(sale20({ status: "HALF_PAID" }))).toBe(`${SALE}: status: unknown status "HALF_PAID"`);
    expect(refusedBoth(sale2026({ state: "archived" }))).toBe(`${SALE}: state: unknown state "archived"`);
    expect(refusedBoth(sale2026({ attributes: ["layby", "onaccount"] }))).toBe(
      `${SALE}: attributes: both onaccount and layby`,
    );
  });

  it("refuses in the order it always has: version, outlet, date, state, lines, then totals", () => {
    const many = withLine(sale20({ total_price: undefined, sale_date: undefined }), 0, { price: undefined });
    expect(refusedBoth(many)).toBe(`${SALE}: sale_date: missing`);
    expect(refusedBoth({ ...many, sale_date: "2026-11-03 22:15:00" })).toBe(`${SALE}: line_items[0].price: missing`);
  });

  it("a type error still names the field as the payload spells it, before any normalising", () => {
    const bad = withLine(sale2026({ totals: { tax: "6.00" } }), 1, { pricing: { price: "nine" } });
    expect(refusedBoth(bad)).toBe(`${SALE}: line_items[1].pricing.price: not a decimal number: "nine"`);
  });
});

describe("reference objects: both generations read into one shape", () => {
  it("a product's category: 2026-07 product_category, 2.0 product_type_id or the embedded type", () => {
    const base = { id: "p", name: "Mug", sku: 1234 };
    const modern = RawProduct.parse({ ...base, product_category: { id: "cat" } });
    expect(modern).toEqual({
      id: "p",
      name: "Mug",
      handle: null,
      sku: "1234",
      variant_name: null,
      product_category: { id: "cat" },
      deleted_at: null,
    });
    expect(RawProduct.parse({ ...base, product_type_id: "cat" })).toEqual(modern);
    expect(RawProduct.parse({ ...base, type: { id: "cat" } })).toEqual(modern);
    expect(RawProduct.parse(base).product_category).toBeNull();
  });

  it("a tax's rates: a 2.0 single-rate tax is its own rate", () => {
    const group = RawTax.parse({ id: "t", name: "GST", rates: [{ id: "t", name: "GST", rate: "0.05" }] });
    expect(RawTax.parse({ id: "t", name: "GST", rate: 0.05 })).toEqual(group);
    expect(group.rates).toEqual([{ id: "t", name: "GST", display_name: null, rate: dec("0.05") }]);
  });

  it("a customer's names: split from the deprecated `name` only when there is nothing else", () => {
    expect(RawCustomer.parse({ id: "c", name: "Mary Jane Watson" })).toMatchObject({
      first_name: "Mary Jane",
      last_name: "Watson",
    });
    expect(RawCustomer.parse({ id: "c", name: "Cher" })).toMatchObject({ first_name: "Cher", last_name: null });
    expect(RawCustomer.parse({ id: "c", name: "Old Name", first_name: "Tony" })).toMatchObject({
      first_name: "Tony",
      last_name: null,
    });
  });
});
