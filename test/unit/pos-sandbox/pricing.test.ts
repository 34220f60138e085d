import { describe, expect, it } from "vitest";
import { cashRound, dec, mulDivRound, priceLine, saleTotals, ZERO, type LineInput } from "../../../sandbox/pos/pricing";
import { addDays, localDate, localToUtc } from "../../../sandbox/pos/time";
import { Prng, seedPrng } from "../../../sandbox/pos/prng";

const GST = { id: "gst", name: "GST", rate: "0.05" };
const QST = { id: "qst", name: "QST", rate: "0.09975" };

function line(unitList: string, quantity: string, unitDiscount = "0", rates = [GST, QST]): LineInput {
  return {
    productId: "p",
    kind: "product",
    categoryId: "c",
    quantity: dec(quantity),
    unitList: dec(unitList),
    unitDiscount: dec(unitDiscount),
    taxId: "t",
    rates,
    isReturn: quantity.startsWith("-"),
    giftCardNumber: null,
  };
}

describe("the sandbox's pricing rule", () => {
  it("rounds line totals half-up to the cent and keeps list − discount = net exactly", () => {
    const l = priceLine("l1", line("9.09091", "3", "0.90909"));
    expect(l.unitPrice).toBe("8.18182");
    expect(l.listTotal).toBe(2727); // 27.27273
    expect(l.total).toBe(2455); // 24.54546
    expect(l.listTotal - l.total).toBe(272);
  });

  it("keeps each line's tax per rate at full precision (unit price × quantity × rate)", () => {
    const l = priceLine("l1", line("24.99", "2"));
    expect(l.taxes).toEqual([
      { rateId: "gst", exact: "2.499" },
      { rateId: "qst", exact: "4.985505" },
    ]);
  });

  it("rounds tax once per sale per rate, not per line", () => {
    // Three lines of 0.10 at 5%: per-line rounding would give 3 × 0.01 = 0.03; per sale it is 0.015 → 0.02.
    const lines = [1, 2, 3].map((i) => priceLine(`l${i}`, line("0.10", "1", "0", [GST])));
    const t = saleTotals(lines);
    expect(t.taxes).toEqual([{ rateId: "gst", tax: 2 }]);
    expect(t.price).toBe(30);
    expect(t.tax).toBe(2);
  });

  it("makes a full return the exact negative of its sale (half-up is symmetric)", () => {
    const sale = saleTotals([priceLine("a", line("54.54545", "1")), priceLine("b", line("19.99", "3", "2.00"))]);
    const back = saleTotals([priceLine("a", line("54.54545", "-1")), priceLine("b", line("19.99", "-3", "2.00"))]);
    expect(back.price).toBe(-sale.price);
    expect(back.taxes.map((t) => t.tax)).toEqual(sale.taxes.map((t) => -t.tax));
  });

  it.each([
    [1001, 1000],
    [1002, 1000],
    [1003, 1005],
    [1004, 1005],
    [1005, 1005],
    [1006, 1005],
    [1007, 1005],
    [1008, 1010],
    [1009, 1010],
    [-1003, -1005],
    [-1002, -1000],
    [2, 0],
  ])("rounds cash %i¢ to %i¢ (Canada's 5-cent rule)", (amount, paid) => {
    expect(cashRound(amount)).toBe(paid);
  });

  it("prorates with half-up on integers, sign-aware", () => {
    expect(mulDivRound(-1000, 1, 3)).toBe(-333);
    expect(mulDivRound(-1000, 2, 3)).toBe(-667);
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(-5, 1, 2)).toBe(-3);
    expect(mulDivRound(123, 0, 0)).toBe(0);
  });

  it("treats a zero quantity as a zero line", () => {
    expect(priceLine("z", { ...line("10", "1"), quantity: ZERO }).total).toBe(0);
  });
});

describe("local time", () => {
  it("turns outlet wall-clock times into UTC, across the November DST change", () => {
    expect(localToUtc("2026-10-15", 9 * 60, "America/Toronto").toISOString()).toBe("2026-10-15T13:00:00.000Z");
    expect(localToUtc("2026-11-02", 9 * 60, "America/Toronto").toISOString()).toBe("2026-11-02T14:00:00.000Z");
    // 00:35 after the evening of Oct 31 is still EDT (the change is at 02:00 on Nov 1)
    expect(localToUtc("2026-10-31", 24 * 60 + 35, "America/Toronto").toISOString()).toBe("2026-11-01T04:35:00.000Z");
    expect(localDate("2026-11-01T04:35:00Z", "America/Toronto")).toBe("2026-11-01");
    expect(localDate("2026-11-01T03:59:00Z", "America/Toronto")).toBe("2026-10-31");
    expect(addDays("2026-10-31", 1)).toBe("2026-11-01");
  });
});

describe("the seeded PRNG", () => {
  it("repeats exactly for a seed and survives a JSON round trip of its state", () => {
    const a = new Prng(seedPrng(42));
    const b = new Prng(seedPrng(42));
    const first = [a.u32(), a.u32(), a.uuid()];
    expect([b.u32(), b.u32(), b.uuid()]).toEqual(first);
    const copy = new Prng(JSON.parse(JSON.stringify(a.state)));
    expect(copy.u32()).toBe(a.u32());
    expect(new Prng(seedPrng(43)).u32()).not.toBe(new Prng(seedPrng(42)).u32());
  });

  it("draws v4-shaped uuids and in-range integers", () => {
    const r = new Prng(seedPrng(7));
    for (let i = 0; i < 200; i++) {
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });
});
