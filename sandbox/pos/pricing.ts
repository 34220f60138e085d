import {
  addDec,
  formatDec,
  minorToDec,
  mulDec,
  negDec,
  parseDec,
  roundDec,
  subDec,
  toMinor,
  type Dec,
} from "../../shared/money";
import type { Cents, DecText, LineTaxRec, SaleLineRec, TaxRateRec } from "./types";

/**
 * How the sandbox prices a sale, in one place. THE RULE (the POS does not publish its own; this is the
 * sandbox's, and the connector must reconcile to whatever totals a sale carries):
 *
 * 1. A line's unit price ex tax may carry up to 5 decimals. `unitPrice = unitList − unitDiscount`.
 * 2. `total = round_half_up(unitPrice × quantity)` to the cent; `listTotal = round_half_up(unitList ×
 *    quantity)`; the line's discount in cents is `listTotal − total` (so list − discount = net exactly).
 * 3. Tax per line and rate is kept at FULL precision: `exact = unitPrice × quantity × rate`.
 * 4. The sale's tax per rate is `round_half_up(Σ lines' exact)` — rounded once per sale per rate.
 * 5. `totals.price = Σ line totals`, `totals.tax = Σ per-rate taxes`, `price_incl_tax = price + tax`.
 * 6. Cash rounding (Canada): a remainder paid in cash is rounded to the nearest 0.05 (1,2 → down;
 *    3,4 → up); the ROUNDING adjustment is `paid − total`, so `payments − rounding = price_incl_tax`.
 * Half-up rounds halves away from zero, so a full return is the exact negative of its sale.
 */

export const ZERO: Dec = { m: 0n, s: 0 };

export function dec(text: DecText | number): Dec {
  return parseDec(text);
}

export function text(d: Dec): DecText {
  return formatDec(d);
}

export function cents(d: Dec): Cents {
  return toMinor(d, "half-up");
}

export function centsToDec(c: Cents): Dec {
  return minorToDec(c);
}

export interface LineInput {
  productId: string;
  kind: SaleLineRec["kind"];
  categoryId: string | null;
  quantity: Dec;
  unitList: Dec;
  unitDiscount: Dec;
  taxId: string;
  rates: TaxRateRec[];
  isReturn: boolean;
  giftCardNumber: string | null;
  originalLineId?: string | null;
}

export function priceLine(id: string, input: LineInput): SaleLineRec {
  const unitPrice = subDec(input.unitList, input.unitDiscount);
  const taxes: LineTaxRec[] = input.rates.map((r) => ({
    rateId: r.id,
    exact: text(mulDec(mulDec(unitPrice, input.quantity), dec(r.rate))),
  }));
  return {
    id,
    productId: input.productId,
    kind: input.kind,
    categoryId: input.categoryId,
    quantity: text(input.quantity),
    unitList: text(input.unitList),
    unitDiscount: text(input.unitDiscount),
    unitPrice: text(unitPrice),
    listTotal: cents(mulDec(input.unitList, input.quantity)),
    total: cents(mulDec(unitPrice, input.quantity)),
    taxId: input.taxId,
    taxes,
    isReturn: input.isReturn,
    giftCardNumber: input.giftCardNumber,
    originalLineId: input.originalLineId ?? null,
  };
}

/** Rules 4 and 5: the sale's per-rate taxes and totals from its lines. */
export function saleTotals(lines: readonly SaleLineRec[]): {
  taxes: { rateId: string; tax: Cents }[];
  price: Cents;
  tax: Cents;
} {
  const byRate = new Map<string, Dec>();
  for (const line of lines) {
    for (const t of line.taxes) byRate.set(t.rateId, addDec(byRate.get(t.rateId) ?? ZERO, dec(t.exact)));
  }
  const taxes = [...byRate].map(([rateId, exact]) => ({ rateId, tax: cents(exact) }));
  return {
    taxes,
    price: lines.reduce((s, l) => s + l.total, 0),
    tax: taxes.reduce((s, t) => s + t.tax, 0),
  };
}

/** Rule 6: the cash actually handed over for a remainder, nearest 0.05. */
export function cashRound(amount: Cents): Cents {
  const sign = amount < 0 ? -1 : 1;
  const abs = Math.abs(amount);
  const r = abs % 5;
  return sign * (r <= 2 ? abs - r : abs + (5 - r));
}

/** Unit discount for a percentage off a list price, kept to 5 decimals like the POS's unit prices. */
export function percentOff(unitList: Dec, percent: Dec): Dec {
  return roundDec(mulDec(unitList, mulDec(percent, dec("0.01"))), 5, "half-up");
}

export function neg(d: Dec): Dec {
  return negDec(d);
}

/** round_half_up(a × b / c) on integers (cents), for prorating a discount over a partial return. */
export function mulDivRound(a: Cents, b: Cents, c: Cents): Cents {
  if (c === 0) return 0;
  const num = BigInt(a) * BigInt(b);
  const den = BigInt(c);
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return Number(neg ? -q : q);
}
