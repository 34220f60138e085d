import { describe, expect, it } from "vitest";
import { Sale as SaleSchema } from "../../../shared/domain/pos";
import { toSale } from "../../../worker/pos/mappers/sale";
import { ctx, IDS } from "./fixtures";

/**
 * A tax-inclusive sale as the 2026-07 API gives it (shaped on the AU demo store's): a GST line and a
 * No Tax line, a 1.5 % card surcharge spread over both (adjustment, lines' `surcharges[]`, and the
 * tender's `surcharge.amount` tax included), a tip, amounts at five decimals.
 */
function inclusiveSale(over: Record<string, unknown> = {}): Record<string, unknown> {
  const line = (
    id: string,
    product: string,
    taxId: string,
    rate: string,
    price: string,
    tax: string,
    surcharge: [string, string],
  ) => ({
    id,
    product: { id: product },
    quantity: 1,
    status: "CONFIRMED",
    pricing: { price, discount: 0, total: price },
    tax: { id: taxId, amount: tax, total: tax },
    _metadata: { tax_components: [{ rate_id: rate, total_tax: tax }] },
    surcharges: [{ value: surcharge[0], tax_components: [{ rate_id: rate, total_tax: surcharge[1] }] }],
    return: { is_return: false },
  });
  return {
    id: "sale-au-1",
    _metadata: { version: 12, complete_open_sequence_id: IDS.sequence },
    source: { outlet_id: IDS.outlet, register_id: IDS.register },
    date: "2026-10-01T00:58:48+00:00",
    state: "closed",
    attributes: [],
    line_items: [
      line("l1", IDS.shirt, IDS.gstOnly, IDS.gst, "40.90909", "2.04545", ["0.61818", "0.03091"]),
      line("l2", IDS.mug, IDS.noTax, IDS.noTaxRate, "24", "0", ["0.3", "0"]),
    ],
    adjustments: [
      {
        adjustment_type: "SURCHARGE",
        name: "Card surcharge (Credit card 1.5%)",
        total: "0.91818",
        tax_components: [
          { rate_id: IDS.gst, total_tax: "0.03091" },
          { rate_id: IDS.noTaxRate, total_tax: "0" },
        ],
      },
      { adjustment_type: "TIP", name: "Tip", total: "3", tax_components: [] },
    ],
    totals: { price: "68.82727", tax: "2.07636", price_incl_tax: "70.90363" },
    taxes: [
      { id: IDS.gst, tax: "2.07636" },
      { id: IDS.noTaxRate, tax: "0" },
    ],
    payments: [
      {
        id: "pay-au-1",
        amount: "70.90",
        date: "2026-10-01T00:58:48+00:00",
        type: { config_id: IDS.card },
        source: { register_id: IDS.register },
        _metadata: { register_open_sequence_id: IDS.sequence },
        surcharge: { amount: "0.95", rule: "Credit card 1.5%" },
      },
    ],
    ...over,
  };
}

describe("toSale: tips and charges (SPEC §4.2), tax-inclusive amounts (SPEC §4.1)", () => {
  const s = toSale(inclusiveSale(), ctx({ taxInclusive: true }));

  it("counts the surcharge once, split under each line's POS tax, and the tip apart, untaxed", () => {
    expect(SaleSchema.parse(s)).toEqual(s);
    expect(s.totalMinor).toBe(7090);
    expect(s.tipsMinor).toBe(300);
    expect(s.charges!.map((c) => [c.type, c.taxId, c.amountExact ?? c.amountMinor / 100])).toEqual([
      ["SURCHARGE", IDS.gstOnly, "0.61818"],
      ["SURCHARGE", IDS.noTax, 0.3],
    ]);
    expect(s.charges![0]!.taxes).toEqual([{ rateId: IDS.gst, taxMinor: 3, exact: "0.03091" }]);
    const net = s.lines.reduce((a, l) => a + l.netMinor, 0) + s.charges!.reduce((a, c) => a + c.amountMinor, 0);
    expect(net + s.tipsMinor!).toBe(s.totalExTaxMinor);
  });

  it("keeps the POS's five-decimal amounts for the closure to add up and round once", () => {
    expect(s.lines[0]).toMatchObject({ listExact: "40.90909", netExact: "40.90909" });
    expect(s.lines[0]!.taxes).toEqual([{ rateId: IDS.gst, taxMinor: 205, exact: "2.04545" }]);
    expect(s.taxes.find((t) => t.rateId === IDS.gst)).toEqual({ rateId: IDS.gst, taxMinor: 208, exact: "2.07636" });
    // a tax-exclusive store's amounts are its cents: nothing extra rides along
    const exclusive = toSale(inclusiveSale(), ctx());
    expect(exclusive.lines[0]!.listExact).toBeUndefined();
    expect(exclusive.taxes.every((t) => t.exact === undefined)).toBe(true);
  });

  it("keeps a charge type it does not know by name, for a mapping, rather than refusing the sale", () => {
    const later = inclusiveSale({
      adjustments: [
        {
          adjustment_type: "SERVICE_CHARGE",
          name: "Service",
          total: "0.91818",
          tax_components: [{ rate_id: IDS.gst, total_tax: "0.03091" }],
        },
        { adjustment_type: "TIP", name: "Tip", total: "3", tax_components: [] },
      ],
    });
    const mapped = toSale(later, ctx({ taxInclusive: true }));
    expect(mapped.charges!.map((c) => [c.type, c.taxId])).toEqual([["SERVICE_CHARGE", IDS.gstOnly]]);
  });

  it("leaves voided lines out", () => {
    const raw = inclusiveSale();
    const items = raw.line_items as Record<string, unknown>[];
    const voided = { ...items[1]!, id: "l3", status: "VOIDED" };
    const withVoid = toSale({ ...raw, line_items: [...items, voided] }, ctx({ taxInclusive: true }));
    expect(withVoid.lines.map((l) => l.id)).toEqual(["l1", "l2"]);
  });
});
