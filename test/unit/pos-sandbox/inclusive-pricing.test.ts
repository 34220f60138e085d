import { describe, expect, it } from "vitest";
import {
  dec,
  divRound,
  priceInclusiveLine,
  splitInclusive,
  spreadCharge,
  text,
  totalsOf,
  type InclusiveLineInput,
} from "../../../sandbox/pos/pricing";
import type { TaxRateRec } from "../../../sandbox/pos/types";

/** pricing.ts rules 7–13: tax-inclusive outlets, worked to five decimals. */

const GST: TaxRateRec = { id: "gst", name: "GST", rate: "0.1" };
const FREE: TaxRateRec = { id: "free", name: "GST Free", rate: "0" };
const VAT20: TaxRateRec = { id: "vat20", name: "VAT 20%", rate: "0.2" };
const VAT5: TaxRateRec = { id: "vat5", name: "VAT 5%", rate: "0.05" };

function line(
  unitIncl: string,
  quantity: string,
  rates: TaxRateRec[],
  discount = "0",
  taxId = "t",
): InclusiveLineInput {
  return {
    productId: "p",
    kind: "product",
    categoryId: "c",
    quantity: dec(quantity),
    unitInclList: dec(unitIncl),
    unitInclDiscount: dec(discount),
    taxId,
    rates,
    isReturn: quantity.startsWith("-"),
    giftCardNumber: null,
  };
}

describe("rule 8: the ex-tax price of a shelf price, and its tax", () => {
  it.each([
    ["49.95", [GST], "45.40909", ["4.54091"]],
    ["24.99", [GST], "22.71818", ["2.27182"]],
    ["8.95", [GST], "8.13636", ["0.81364"]],
    ["24", [FREE], "24", ["0"]],
    ["89", [VAT20], "74.16667", ["14.83333"]],
    ["9.5", [VAT5], "9.04762", ["0.45238"]],
    // two rates (GST + QST in a tax-inclusive outlet): all but the last rounded, the last takes the rest
    [
      "28.73",
      [
        { id: "g", name: "GST", rate: "0.05" },
        { id: "q", name: "QST", rate: "0.09975" },
      ],
      "24.98804",
      ["1.2494", "2.49256"],
    ],
  ] as const)("%s incl. → ex %s, tax %j", (incl, rates, ex, taxes) => {
    const split = splitInclusive(dec(incl), [...rates]);
    expect(text(split.ex)).toBe(ex);
    expect(split.taxes.map((t) => text(t.tax))).toEqual(taxes);
  });

  it("rounds half-up, away from zero, so negative amounts mirror positive ones", () => {
    expect(text(divRound(dec(1), dec(8), 2))).toBe("0.13");
    expect(text(divRound(dec(-1), dec(8), 2))).toBe("-0.13");
    expect(text(divRound(dec(2), dec(3), 5))).toBe("0.66667");
    expect(text(divRound(dec("-28.73"), dec("1.14975"), 5))).toBe("-24.98804");
  });
});

describe("rule 9: a line keeps ex-tax totals and tax unrounded; the customer pays whole cents", () => {
  it("prices three at 49.95 incl. GST", () => {
    const l = priceInclusiveLine("l", line("49.95", "3", [GST]));
    expect(l.unitPrice).toBe("45.40909");
    expect(l.inclusive).toEqual({
      unitInclList: "49.95",
      unitIncl: "49.95",
      unitTaxes: [{ rateId: "gst", exact: "4.54091" }],
      listTotal: "136.22727",
      total: "136.22727",
      inclTotal: 14985,
    });
    expect(l.taxes).toEqual([{ rateId: "gst", exact: "13.62273" }]);
    // the cents views round the recorded amounts
    expect([l.total, l.listTotal]).toEqual([13623, 13623]);
  });

  it("takes a percentage discount off the shelf price to the cent, then splits", () => {
    // 15 % of 49.95 = 7.4925 → 7.49; 42.46 / 1.1 = 38.6
    const l = priceInclusiveLine("l", line("49.95", "1", [GST], "7.49"));
    expect([l.unitList, l.unitDiscount, l.unitPrice]).toEqual(["45.40909", "6.80909", "38.6"]);
    expect(l.inclusive?.inclTotal).toBe(4246);
    expect(l.taxes).toEqual([{ rateId: "gst", exact: "3.86" }]);
  });

  it("makes a return the exact negative of the sale", () => {
    const sold = priceInclusiveLine("a", line("89", "2", [VAT20]));
    const back = priceInclusiveLine("b", line("89", "-2", [VAT20]));
    expect(back.inclusive?.total).toBe("-148.33334");
    expect(sold.inclusive?.total).toBe("148.33334");
    expect(back.taxes[0]!.exact).toBe(`-${sold.taxes[0]!.exact}`);
    expect(back.inclusive?.inclTotal).toBe(-17800);
  });

  it("refuses a quantity whose incl. total is not whole cents", () => {
    expect(() => priceInclusiveLine("l", line("9.95", "0.333", [GST]))).toThrow();
  });
});

describe("rule 10: sale totals are the unrounded sums; price incl. tax is whole cents", () => {
  it("adds GST and GST-free lines", () => {
    const lines = [
      priceInclusiveLine("a", line("49.95", "3", [GST])),
      priceInclusiveLine("b", line("8.95", "1", [GST])),
      priceInclusiveLine("c", line("24", "1", [FREE], "0", "free")),
    ];
    const t = totalsOf(lines, [], true);
    expect(t.exact).toEqual({
      price: "168.36363",
      tax: "14.43637",
      taxes: [
        { rateId: "gst", tax: "14.43637" },
        { rateId: "free", tax: "0" },
      ],
    });
    // cents views: per-rate tax rounded, price = what the customer pays − tax
    expect(t.taxes).toEqual([
      { rateId: "gst", tax: 1444 },
      { rateId: "free", tax: 0 },
    ]);
    expect([t.price, t.tax, t.price + t.tax]).toEqual([16836, 1444, 18280]);
  });

  it("leaves voided lines out", () => {
    const voided = priceInclusiveLine("v", line("149", "1", [GST]));
    voided.voided = true;
    const t = totalsOf([priceInclusiveLine("a", line("8.95", "1", [GST])), voided], [], true);
    expect(t.exact?.price).toBe("8.13636");
  });
});

describe("rule 13: a card surcharge spread over the lines, taxed at each line's rates", () => {
  it("splits 1.11 incl. over a GST line and a GST-free line by their nets", () => {
    const lines = [
      priceInclusiveLine("a", line("49.95", "1", [GST], "0", "gst-tax")),
      priceInclusiveLine("b", line("24", "1", [FREE], "0", "free-tax")),
    ];
    const shares = spreadCharge(111, lines, true, (taxId) => (taxId === "gst-tax" ? [GST] : [FREE]));
    expect(shares.map((s) => [s.lineId, text(s.value), s.taxes])).toEqual([
      ["a", "0.68182", [{ rateId: "gst", exact: "0.06818" }]],
      ["b", "0.36", [{ rateId: "free", exact: "0" }]],
    ]);
  });

  it("splits an ex-tax surcharge in a tax-exclusive store, its tax unrounded", () => {
    const excl = {
      id: "l",
      productId: "p",
      kind: "product" as const,
      categoryId: "c",
      quantity: "1",
      unitList: "24.99",
      unitDiscount: "0",
      unitPrice: "24.99",
      listTotal: 2499,
      total: 2499,
      taxId: "ny",
      taxes: [{ rateId: "nyc", exact: "2.2178625" }],
      isReturn: false,
      giftCardNumber: null,
      originalLineId: null,
    };
    const shares = spreadCharge(82, [excl], false, () => [{ id: "nyc", name: "NYC", rate: "0.08875" }]);
    expect(shares.map((s) => [text(s.value), s.taxes])).toEqual([["0.82", [{ rateId: "nyc", exact: "0.072775" }]]]);
  });
});
