import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Sale } from "../../../shared/domain/pos";
import { Sale as SaleSchema } from "../../../shared/domain/pos";
import { TillbridgeError } from "../../../shared/errors";
import { toSale } from "../../../worker/pos/mappers/sale";
import { ctx, IDS, sale2026, sale20 } from "./fixtures";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The invariants every mapped sale keeps, whatever the payload. */
function expectReconciled(s: Sale) {
  expect(SaleSchema.parse(s)).toEqual(s);
  expect(s.totalExTaxMinor + s.totalTaxMinor).toBe(s.totalMinor);
  expect(sum(s.lines.map((l) => l.netMinor))).toBe(s.totalExTaxMinor);
  expect(sum(s.taxes.map((t) => t.taxMinor))).toBe(s.totalTaxMinor);
  for (const t of s.taxes) {
    expect(sum(s.lines.flatMap((l) => l.taxes.filter((x) => x.rateId === t.rateId).map((x) => x.taxMinor)))).toBe(
      t.taxMinor,
    );
  }
  for (const l of s.lines) expect(l.listMinor - l.discountMinor).toBe(l.netMinor);
}

function failure(f: () => unknown): TillbridgeError {
  try {
    f();
  } catch (e) {
    if (e instanceof TillbridgeError) return e;
    throw e;
  }
  throw new Error("expected a TillbridgeError");
}

describe("toSale: a 2026-07 sale", () => {
  const s = toSale(sale2026(), ctx());

  it("reconciles lines to the sale's totals to the cent", () => {
    expectReconciled(s);
    expect(s.totalMinor).toBe(7109);
    expect(s.totalTaxMinor).toBe(600);
    expect(s.taxes).toEqual([
      { rateId: IDS.gst, taxMinor: 200 },
      { rateId: IDS.qst, taxMinor: 400 },
      { rateId: IDS.noTaxRate, taxMinor: 0 },
    ]);
  });

  it("classifies lines: product (with leaf category), sale-level discount, gift card", () => {
    expect(s.lines.map((l) => [l.kind, l.categoryId])).toEqual([
      ["product", IDS.apparel],
      ["product", IDS.kitchen],
      ["sale_discount", null],
      ["gift_card", null],
    ]);
    expect(s.lines[0]).toMatchObject({
      quantity: "2",
      unitListPrice: "20",
      listMinor: 4000,
      discountMinor: 400,
      netMinor: 3600,
    });
    expect(s.lines[0]!.productName).toBe("Chemise à carreaux — Érable 🍁");
    expect(s.lines[1]).toMatchObject({ unitListPrice: "9.09091", listMinor: 909, discountMinor: 0, netMinor: 909 });
    expect(s.lines[2]).toMatchObject({ listMinor: 0, discountMinor: 500, netMinor: -500 });
    expect(s.lines[3]).toMatchObject({ giftCardNumber: "6001000100", listMinor: 2500, netMinor: 2500 });
  });

  it("keeps cash rounding, payment sequence ids and the completion sequence", () => {
    expect(s.roundingMinor).toBe(1);
    expect(sum(s.payments.map((p) => p.amountMinor))).toBe(s.totalMinor + s.roundingMinor);
    expect(s.payments[0]).toMatchObject({
      paymentTypeId: IDS.cash,
      paymentTypeName: "Cash",
      sequenceId: IDS.sequence,
      registerId: IDS.register,
    });
    expect(s.completedSequenceId).toBe(IDS.sequence);
    expect(s).toMatchObject({
      kind: "regular",
      state: "closed",
      outletId: IDS.outlet,
      version: "13092885034",
      saleDate: "2026-11-03T22:15:00Z",
    });
    expect(s.customer?.companyName).toBe("Stark Industries Inc");
  });
});

describe("toSale: the same sale in the 2.0 spelling", () => {
  it("maps to the same domain sale (2.0 has no completion sequence)", () => {
    const a = toSale(sale2026(), ctx());
    const b = toSale(sale20(), ctx());
    expect(b).toEqual({ ...a, completedSequenceId: null });
  });

  it("reads money the same whether numbers or decimal strings", () => {
    const asText = sale20({ total_price: "65.09", total_tax: "6.00" });
    (asText.payments as Record<string, unknown>[])[0]!.amount = "71.10";
    expect(toSale(asText, ctx())).toEqual(toSale(sale20(), ctx()));
  });
});

describe("toSale: kinds and states", () => {
  const cases: [Record<string, unknown>, Sale["state"], Sale["kind"]][] = [
    [{ state: "pending", attributes: ["onaccount"] }, "pending", "on_account"],
    [{ state: "closed", attributes: ["onaccount"] }, "closed", "on_account"],
    [{ state: "pending", attributes: ["layby"] }, "pending", "layby"],
    [{ state: "closed", attributes: ["pickup"] }, "closed", "regular"],
    [{ state: undefined, status: "ONACCOUNT" }, "pending", "on_account"],
    [{ state: undefined, status: "ONACCOUNT_CLOSED" }, "closed", "on_account"],
    [{ state: undefined, status: "LAYBY_CLOSED" }, "closed", "layby"],
    [{ state: undefined, status: "VOIDED" }, "voided", "regular"],
    [{ state: undefined, status: "SAVED" }, "parked", "regular"],
    [{ state: "closed", deleted_at: "2026-11-04T00:00:00Z" }, "voided", "regular"],
  ];
  it.each(cases)("%j → %s %s", (over, state, kind) => {
    expect(toSale(sale2026(over), ctx())).toMatchObject({ state, kind });
  });

  it("refuses an unknown status, an unknown state, and contradictory attributes", () => {
    expect(failure(() => toSale(sale20({ status: "HALF_PAID" }), ctx())).detail).toBe(
      'sale 0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1: status: unknown status "HALF_PAID"',
    );
    expect(failure(() => toSale(sale2026({ state: "archived" }), ctx())).detail).toMatch(
      /: state: unknown state "archived"$/,
    );
    expect(failure(() => toSale(sale2026({ attributes: ["onaccount", "layby"] }), ctx())).detail).toMatch(
      /: attributes: both onaccount and layby$/,
    );
    expect(failure(() => toSale(sale2026({ state: undefined }), ctx())).detail).toMatch(/: state: missing/);
  });
});

describe("toSale: returns", () => {
  const ret = sale2026({
    id: "ret-1",
    return: { is_return: true, original_sale_id: "0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1" },
    totals: { price: "-18.00", tax: "-2.69", price_incl_tax: "-20.69" },
    taxes: [],
    adjustments: [{ adjustment_type: "ROUNDING", total: "-0.01" }],
    line_items: [
      {
        id: "r-1",
        product: { id: IDS.shirt },
        quantity: -1,
        pricing: { price: "18.00000", discount: "2.00000", total: "-18.00" },
        return: { is_return: true },
        _metadata: {
          tax_components: [
            { rate_id: IDS.gst, total_tax: "-0.9" },
            { rate_id: IDS.qst, total_tax: "-1.7955" },
          ],
        },
      },
    ],
    payments: [
      {
        id: "rp-1",
        amount: "-15.00",
        date: "2026-11-05T15:00:00Z",
        type: { config_id: IDS.storeCredit },
        _metadata: { register_open_sequence_id: IDS.otherSequence },
      },
      {
        id: "rp-2",
        amount: "-5.70",
        date: "2026-11-05T15:00:00Z",
        type: { config_id: IDS.cash },
        _metadata: { register_open_sequence_id: IDS.otherSequence },
      },
    ],
  });

  it("maps a return as a negative sale: negative lines, reversed tax, refunds by payment type", () => {
    const s = toSale(ret, ctx());
    expectReconciled(s);
    expect(s.returnForSaleId).toBe("0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1");
    expect(s.lines[0]).toMatchObject({
      quantity: "-1",
      isReturn: true,
      listMinor: -2000,
      discountMinor: -200,
      netMinor: -1800,
    });
    expect(s.totalTaxMinor).toBe(-269);
    expect(s.taxes).toEqual([
      { rateId: IDS.gst, taxMinor: -90 },
      { rateId: IDS.qst, taxMinor: -179 },
    ]);
    expect(s.payments.map((p) => [p.paymentTypeName, p.amountMinor])).toEqual([
      ["Store Credit", -1500],
      ["Cash", -570],
    ]);
    expect(sum(s.payments.map((p) => p.amountMinor))).toBe(s.totalMinor + s.roundingMinor);
  });

  it("reads the 2.0 return_for and a negative quantity without is_return as a return line", () => {
    const lines = ret.line_items as Record<string, unknown>[];
    const s = toSale(
      { ...ret, return: undefined, return_for: "orig-9", line_items: [{ ...lines[0], return: undefined }] },
      ctx(),
    );
    expect(s.returnForSaleId).toBe("orig-9");
    expect(s.lines[0]!.isReturn).toBe(true);
  });
});

describe("toSale: a tax-inclusive store (5-decimal unit prices)", () => {
  it("splits the rounded totals across lines so they add up exactly", () => {
    // 3 × 49.99 incl. 14.975 %: ex-tax unit 43.47978, tax kept at full precision per line
    const line = (id: string) => ({
      id,
      product: { id: IDS.mug },
      quantity: 1,
      pricing: { price: "43.47978", discount: "0", total: "43.47978" },
      _metadata: {
        tax_components: [
          { rate_id: IDS.gst, total_tax: "2.173989" },
          { rate_id: IDS.qst, total_tax: "4.3371080550" },
        ],
      },
    });
    const s = toSale(
      sale2026({
        totals: { price: "130.43934", tax: "19.53291", price_incl_tax: "149.97225" },
        taxes: [],
        adjustments: [],
        line_items: [line("a"), line("b"), line("c")],
        payments: [{ id: "p", amount: "149.97", date: "2026-11-03T22:15:10Z", type: { config_id: IDS.card } }],
      }),
      ctx(),
    );
    expectReconciled(s);
    expect(s.totalMinor).toBe(14997);
    expect(s.totalTaxMinor).toBe(1953);
    expect(s.totalExTaxMinor).toBe(13044);
    expect(s.lines.map((l) => l.netMinor).sort()).toEqual([4348, 4348, 4348]);
    // no phantom discount on undiscounted lines when a cent moves
    expect(s.lines.every((l) => l.discountMinor === 0)).toBe(true);
  });

  it("keeps every invariant for any mix of lines (property)", () => {
    const lineArb = fc.record({
      cents5: fc.integer({ min: -5_000_000, max: 5_000_000 }), // unit price in 1e-5
      disc5: fc.integer({ min: 0, max: 500_000 }),
      qty: fc.integer({ min: -5, max: 12 }).filter((q) => q !== 0),
      rate: fc.constantFrom("0.05", "0.09975", "0.13", "0"),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), (spec) => {
        let price = 0n;
        const exactTax = new Map<string, bigint>(); // in 1e-10
        const items = spec.map((l, i) => {
          const total5 = BigInt(l.cents5) * BigInt(l.qty);
          price += total5;
          const tax10 = total5 * BigInt(Math.round(Number(l.rate) * 1e5));
          const rateId = `rate-${l.rate}`;
          exactTax.set(rateId, (exactTax.get(rateId) ?? 0n) + tax10);
          return {
            id: `l${i}`,
            product: { id: IDS.shirt },
            quantity: l.qty,
            pricing: { price: (l.cents5 / 1e5).toFixed(5), discount: (l.disc5 / 1e5).toFixed(5) },
            _metadata: { tax_components: [{ rate_id: rateId, total_tax: fmt(tax10, 10) }] },
          };
        });
        const tax = [...exactTax.values()].reduce((a, b) => a + b, 0n);
        const s = toSale(
          sale2026({
            totals: { price: fmt(price, 5), tax: fmt(tax, 10) },
            taxes: [],
            adjustments: [],
            line_items: items,
            payments: [],
          }),
          ctx(),
        );
        expectReconciled(s);
      }),
      { numRuns: 300 },
    );
  });
});

function fmt(v: bigint, scale: number): string {
  const neg = v < 0n;
  const d = (neg ? -v : v).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${d.slice(0, -scale)}.${d.slice(-scale)}`;
}

describe("toSale: payloads that cannot be read fail with the object and field named", () => {
  const id = "sale 0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1";
  const withLine = (i: number, patch: Record<string, unknown>) => {
    const s = sale2026();
    const lines = s.line_items as Record<string, unknown>[];
    lines[i] = { ...lines[i], ...patch };
    return s;
  };
  const cases: [string, Record<string, unknown>, string][] = [
    ["missing total", sale2026({ totals: { tax: "6.00" } }), `${id}: total_price: missing`],
    ["missing version", sale2026({ _metadata: {} }), `${id}: version: missing`],
    ["missing outlet", sale2026({ source: {} }), `${id}: outlet_id: missing`],
    ["missing quantity", withLine(0, { quantity: undefined }), `${id}: line_items[0].quantity: missing`],
    [
      "quantity of the wrong type",
      withLine(1, { quantity: { value: 1 } }),
      `${id}: line_items[1].quantity: expected a number or a decimal string, got an object`,
    ],
    [
      "price as words",
      withLine(1, { pricing: { price: "nine" } }),
      `${id}: line_items[1].pricing.price: not a decimal number: "nine"`,
    ],
    [
      "absurd precision",
      withLine(1, { pricing: { price: "9.0909090909091" } }),
      `${id}: line_items[1].pricing.price: too many decimal places (13) in "9.0909090909091"`,
    ],
    [
      "absurd magnitude",
      sale2026({ totals: { price: 1e14, tax: 0 } }),
      `${id}: totals.price: number 100000000000000 is out of range`,
    ],
    [
      "unknown product",
      withLine(1, { product: { id: "nope-1" } }),
      `${id}: line_items[1].product_id: unknown product nope-1`,
    ],
    ["line without a product", withLine(1, { product: undefined }), `${id}: line_items[1].product_id: missing`],
    [
      "line total not price × quantity",
      withLine(0, { pricing: { price: "18", discount: "2", total: "40.00" } }),
      `${id}: line_items[0].price_total: 40 is not price 18 × quantity 2`,
    ],
    [
      "lines that do not add up",
      sale2026({ totals: { price: "75.09", tax: "6.00" } }),
      `${id}: total_price: 75.09 is not the sum of the lines' prices (65.09)`,
    ],
    [
      "tax that does not add up",
      sale2026({ totals: { price: "65.09", tax: "7.00" } }),
      `${id}: total_tax: 7 is not the sum of the lines' tax (6.0036137725)`,
    ],
    [
      "price incl tax that disagrees",
      sale2026({ totals: { price: "65.09", tax: "6.00", price_incl_tax: "80" } }),
      `${id}: totals.price_incl_tax: 80 is not price 65.09 + tax 6`,
    ],
    ["unknown customer", sale2026({ customer_id: "ghost" }), `${id}: customer_id: unknown customer ghost`],
  ];
  it.each(cases)("%s", (_name, payload, detail) => {
    const e = failure(() => toSale(payload, ctx()));
    expect(e.code).toBe("pos_payload_invalid");
    expect(e.detail).toBe(detail);
  });

  it("refuses a payment of an unknown payment type, and one without a type", () => {
    const s = sale2026();
    (s.payments as Record<string, unknown>[])[0]!.type = { config_id: "pt-gone" };
    expect(failure(() => toSale(s, ctx())).detail).toBe(
      `${id}: payments[0].retailer_payment_type_id: unknown payment type pt-gone`,
    );
    (s.payments as Record<string, unknown>[])[0]!.type = undefined;
    expect(failure(() => toSale(s, ctx())).detail).toBe(`${id}: payments[0].retailer_payment_type_id: missing`);
  });

  it("accepts a payment of a deleted payment type and a line of a deleted (but known) product", () => {
    const s = withLine(1, { product: { id: IDS.oldScarf } });
    (s.payments as Record<string, unknown>[])[0]!.type = { config_id: IDS.afterpay };
    const out = toSale(s, ctx());
    expect(out.lines[1]!.productName).toBe("Scarf (discontinued)");
    expect(out.payments[0]!.paymentTypeName).toBe("Afterpay");
  });

  it("needs a per-rate breakdown for a tax group, not for a single-rate tax", () => {
    const group = withLine(1, { _metadata: {} });
    expect(failure(() => toSale(group, ctx())).detail).toBe(
      `${id}: line_items[1].tax_components: missing: the line has tax but no amount per tax rate`,
    );
    const single = sale20({
      total_price: 10,
      total_tax: 0.5,
      taxes: [],
      adjustments: [],
      line_items: [
        { id: "x", product_id: IDS.mug, quantity: 1, price: 10, price_total: 10, tax_id: IDS.gstOnly, tax_total: 0.5 },
      ],
      payments: [],
    });
    expect(toSale(single, ctx()).taxes).toEqual([{ rateId: IDS.gst, taxMinor: 50 }]);
  });

  it("leaves voided lines out of the sale", () => {
    const s = sale2026();
    (s.line_items as Record<string, unknown>[]).push({
      id: "v",
      product: { id: IDS.mug },
      quantity: 3,
      status: "VOIDED",
      pricing: { price: "9.09091", total: "27.27" },
    });
    expect(toSale(s, ctx()).lines.map((l) => l.id)).toEqual(["li-1", "li-2", "li-3", "li-4"]);
  });

  it("ignores deleted payments", () => {
    const s = sale2026();
    (s.payments as Record<string, unknown>[]).push({
      id: "gone",
      amount: "5",
      date: "2026-11-03T22:15:10Z",
      type: { config_id: IDS.card },
      deleted_at: "2026-11-03T22:16:00Z",
    });
    expect(toSale(s, ctx()).payments.map((p) => p.id)).toEqual(["pay-1"]);
  });
});

describe("toSale: a cancelled layby (lines that cancel each other)", () => {
  it("keeps each line's own cents, not an even split of the zero total", () => {
    const line = (id: string, qty: number, total: string, gst: string, qst: string, isReturn: boolean) => ({
      id,
      product: { id: IDS.shirt },
      quantity: qty,
      pricing: { price: "18.00000", discount: "0", total },
      tax: { id: IDS.gstQst, total: String(Number(gst) + Number(qst)) },
      _metadata: {
        tax_components: [
          { rate_id: IDS.gst, total_tax: gst },
          { rate_id: IDS.qst, total_tax: qst },
        ],
      },
      return: { is_return: isReturn },
    });
    const s = toSale(
      sale2026({
        state: "closed",
        attributes: ["layby"],
        totals: { price: "0", tax: "0", price_incl_tax: "0" },
        taxes: [
          { id: IDS.gst, tax: "0" },
          { id: IDS.qst, tax: "0" },
        ],
        adjustments: [],
        line_items: [
          line("made", 2, "36.00", "1.80", "3.591", false),
          line("undo", -2, "-36.00", "-1.80", "-3.591", true),
        ],
        payments: [],
      }),
      ctx(),
    );
    expectReconciled(s);
    expect(s.lines.map((l) => [l.netMinor, l.taxes.map((t) => t.taxMinor)])).toEqual([
      [3600, [180, 359]],
      [-3600, [-180, -359]],
    ]);
  });
});
