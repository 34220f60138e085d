import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDec,
  allocate,
  formatDec,
  formatMinor,
  MoneyError,
  mulDec,
  parseDec,
  parseMinor,
  roundDec,
  toMinor,
  toMinorExact,
  toQboAmount,
} from "../../shared/money";

describe("parseDec reads what the POS sends, exactly", () => {
  it.each([
    ["25.30", "25.3"],
    ["9.09091", "9.09091"],
    [0.87, "0.87"],
    ["-0.50", "-0.5"],
    [1e-7, "0.0000001"],
    ["1e3", "1000"],
    [".5", "0.5"],
    ["007.10", "7.1"],
  ])("%s", (input, text) => {
    expect(formatDec(parseDec(input))).toBe(text);
  });

  it.each([["abc"], [""], ["1,5"], ["1.2.3"], [Number.NaN], [Number.POSITIVE_INFINITY], ["."], ["0.1234567890123"]])(
    "rejects %s",
    (input) => {
      expect(() => parseDec(input as string)).toThrow(MoneyError);
    },
  );

  it("0.1 + 0.2 is 0.3, unlike floating point", () => {
    expect(formatDec(addDec(parseDec(0.1), parseDec(0.2)))).toBe("0.3");
  });
});

describe("rounding is explicit and named", () => {
  it.each([
    ["2.345", "half-up", 235],
    ["2.355", "half-up", 236],
    ["2.345", "half-even", 234],
    ["2.355", "half-even", 236],
    ["-2.345", "half-up", -235],
    ["-2.345", "half-even", -234],
    ["448.39", "half-up", 44839],
  ] as const)("%s %s → %d cents", (value, mode, cents) => {
    expect(toMinor(parseDec(value), mode)).toBe(cents);
  });

  it("QST at 9.975% on 4495.16 is 448.39 exactly half-up (the published QBO mismatch case)", () => {
    const tax = mulDec(parseDec("4495.16"), parseDec("0.09975"));
    expect(formatDec(tax)).toBe("448.39221");
    expect(toMinor(tax, "half-up")).toBe(44839);
  });

  it("a unit price with 5 decimals times a quantity", () => {
    expect(toMinor(mulDec(parseDec("9.09091"), parseDec("3")), "half-up")).toBe(2727);
  });

  it("toMinorExact refuses sub-cent amounts", () => {
    expect(toMinorExact(parseDec("12.3"))).toBe(1230);
    expect(() => toMinorExact(parseDec("12.345"))).toThrow(MoneyError);
  });

  it("roundDec keeps the requested digits", () => {
    expect(formatDec(roundDec(parseDec("1.23456"), 3, "half-up"))).toBe("1.235");
  });
});

describe("formatting for QBO", () => {
  it("formats minor units with two decimals", () => {
    expect(formatMinor(1230)).toBe("12.30");
    expect(formatMinor(-5)).toBe("-0.05");
    expect(formatMinor(0)).toBe("0.00");
    expect(toQboAmount(1230)).toBe(12.3);
    expect(JSON.stringify({ Amount: toQboAmount(10) })).toBe('{"Amount":0.1}');
  });
});

describe("allocate never loses or invents a cent", () => {
  it("splits 100 in thirds", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
  it("follows weights and signs", () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-33, -33, -34]);
    expect(allocate(1000, [500, 300, 200])).toEqual([500, 300, 200]);
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([4, 3]);
  });

  it("property: the parts always sum to the total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (total, magnitudes, negative) => {
          // lines of one sign (all sales, or all refunds), as the ledger allocates them
          const weights = magnitudes.map((w) => (negative ? -w : w));
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: each part is within one cent of its exact share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 1, max: 1e6 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          const sumW = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exactTimesSum = BigInt(total) * BigInt(weights[i]!);
            const low = exactTimesSum / BigInt(sumW);
            expect(BigInt(p) >= low && BigInt(p) <= low + 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe("parse ∘ format is identity", () => {
  it("property: for any amount in minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        expect(parseMinor(formatMinor(minor))).toBe(minor);
      }),
      { numRuns: 5000 },
    );
  });

  it("property: for any decimal text up to 12 places", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), (m, s) => {
        const d = { m, s };
        const again = parseDec(formatDec(d));
        expect(formatDec(again)).toBe(formatDec(parseDec(formatDec(d))));
        expect(again.m * 10n ** BigInt(s)).toBe(m * 10n ** BigInt(again.s));
      }),
    );
  });

  it("property: a JSON number read back through its text keeps its decimal value", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (cents) => {
        const asNumber = JSON.parse(formatMinor(cents)) as number;
        expect(parseMinor(asNumber)).toBe(cents);
      }),
    );
  });
});
