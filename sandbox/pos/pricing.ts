import {
  addDec,
  allocate,
  formatDec,
  minorToDec,
  mulDec,
  negDec,
  normalize,
  parseDec,
  roundDec,
  subDec,
  toMinor,
  toMinorExact,
  type Dec,
} from "../../shared/money";
import type { AdjustmentRec, Cents, DecText, LineTaxRec, SaleLineRec, TaxRateRec } from "./types";

/**
 * How the sandbox prices a sale, in one place. THE RULE for tax-EXCLUSIVE stores (Canada, the US; the
 * POS does not publish its own; this is the sandbox's, and the connector must reconcile to whatever
 * totals a sale carries):
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
 *
 * THE RULE for tax-INCLUSIVE stores (Australia, the UK: `retailer.tax_exclusive: false`, every outlet
 * `display_prices: "inclusive"`) — the customer pays the shelf price, tax included, and the POS keeps
 * the ex-tax amounts and the tax at up to five decimals:
 * 7. A line's unit price incl. tax (`unitIncl`) is whole cents: list price incl. tax − the discount
 *    (a percentage discount is rounded half-up to the cent on the unit incl. price).
 * 8. The ex-tax unit price is `round_half_up_5(unitIncl / (1 + Σ rates))` (`pricing.price`); the unit tax is
 *    the rest, `unitIncl − price`, so price + tax is exactly the shelf price. With several rates each rate
 *    but the last takes `round_half_up_5(price × rate)` and the last the remainder. `pricing.discount` =
 *    ex-tax list unit price − ex-tax unit price (both by rule 8).
 * 9. Line totals are unit × quantity, NOT rounded: `pricing.total`, `tax.total`, `tax_components` carry up
 *    to 5 decimals; what the customer pays for the line is unitIncl × quantity, whole cents.
 * 10. Sale totals are the sums, NOT rounded: `totals.price` = Σ line totals + Σ charges ex tax, `totals.tax`
 *    = Σ line and charge taxes, `taxes[].tax` per rate likewise; `totals.price_incl_tax` = their sum, whole
 *    cents (what the customer pays before cash rounding). A sale-level discount is one discount line per
 *    tax of −round_half_up(percent × that tax's incl. net) incl. tax, priced by rule 8.
 * 11. Cash rounding as rule 6 (Australia rounds to 0.05 like Canada; the UK does not round).
 *
 * CHARGES (both kinds of store): a sale's `adjustments[]` (TIP, SURCHARGE, NON_CASH_FEE,
 * ECOM_CUSTOM_CHARGE) are part of its totals: line totals + adjustments = `totals.price`, and the sale's
 * tax includes theirs.
 * 12. A tip is whole cents, never taxed, carried by one card payment.
 * 13. A card surcharge or non-cash fee is `round_half_up(percent × the amount the card pays before it)`:
 *     incl. tax in an inclusive store, ex tax in an exclusive one. It is spread over the sale's lines —
 *     first over the taxes in proportion to each tax's net, then over that tax's lines in proportion to
 *     their totals (largest remainder, `allocate`) — and each line's share is taxed at the line's rates
 *     (rule 8 for an incl. share; share × rate, unrounded, for an ex share). The surcharge shows three
 *     times: the SURCHARGE adjustment (ex tax + tax components), the lines' `surcharges[]` (the same
 *     shares) and the paying tender's `surcharge.amount` = what it added to the payment, tax included.
 * 14. An e-commerce custom charge is taxed at its own tax (the outlet's default): incl. by rule 8 in an
 *     inclusive store, ex tax + unrounded tax in an exclusive one.
 * In an exclusive store the charges' unrounded tax joins the lines' in rule 4 (one rounding per rate).
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

/** round_half_up(a / b) to `digits` places, exactly (bigint arithmetic). */
export function divRound(a: Dec, b: Dec, digits: number): Dec {
  if (b.m === 0n) throw new Error("division by zero");
  // a/b = (a.m / 10^a.s) / (b.m / 10^b.s); scaled by 10^digits
  let num = a.m * 10n ** BigInt(b.s + digits);
  let den = b.m * 10n ** BigInt(a.s);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return normalize({ m: negative ? -q : q, s: digits });
}

export function sumDecs(values: readonly Dec[]): Dec {
  return values.reduce((a, b) => addDec(a, b), ZERO);
}

export function rateSum(rates: readonly TaxRateRec[]): Dec {
  return sumDecs(rates.map((r) => dec(r.rate)));
}

/** Rule 8: the ex-tax part of an incl.-tax amount and its tax per rate (5 places, summing exactly). */
export function splitInclusive(
  incl: Dec,
  rates: readonly TaxRateRec[],
): { ex: Dec; taxes: { rateId: string; tax: Dec }[] } {
  const ex = divRound(incl, addDec(dec(1), rateSum(rates)), 5);
  let left = subDec(incl, ex);
  const taxes = rates.map((r, i) => {
    const tax = i === rates.length - 1 ? left : roundDec(mulDec(ex, dec(r.rate)), 5, "half-up");
    left = subDec(left, tax);
    return { rateId: r.id, tax };
  });
  return { ex, taxes };
}

export interface InclusiveLineInput {
  productId: string;
  kind: SaleLineRec["kind"];
  categoryId: string | null;
  quantity: Dec;
  /** Unit list price incl. tax (whole cents) and the unit discount incl. tax (whole cents). */
  unitInclList: Dec;
  unitInclDiscount: Dec;
  taxId: string;
  rates: TaxRateRec[];
  isReturn: boolean;
  giftCardNumber: string | null;
  originalLineId?: string | null;
}

/** Rules 7–9: a line of a tax-inclusive outlet. Throws when unit × quantity is not whole cents. */
export function priceInclusiveLine(id: string, input: InclusiveLineInput): SaleLineRec {
  const unitIncl = subDec(input.unitInclList, input.unitInclDiscount);
  const list = splitInclusive(input.unitInclList, input.rates);
  const sold = splitInclusive(unitIncl, input.rates);
  const q = input.quantity;
  const listTotal = mulDec(list.ex, q);
  const total = mulDec(sold.ex, q);
  const inclTotal = toMinorExact(mulDec(unitIncl, q));
  return {
    id,
    productId: input.productId,
    kind: input.kind,
    categoryId: input.categoryId,
    quantity: text(q),
    unitList: text(list.ex),
    unitDiscount: text(subDec(list.ex, sold.ex)),
    unitPrice: text(sold.ex),
    listTotal: cents(listTotal),
    total: cents(total),
    taxId: input.taxId,
    taxes: sold.taxes.map((t) => ({ rateId: t.rateId, exact: text(mulDec(t.tax, q)) })),
    isReturn: input.isReturn,
    giftCardNumber: input.giftCardNumber,
    originalLineId: input.originalLineId ?? null,
    inclusive: {
      unitInclList: text(input.unitInclList),
      unitIncl: text(unitIncl),
      unitTaxes: sold.taxes.map((t) => ({ rateId: t.rateId, exact: text(t.tax) })),
      listTotal: text(listTotal),
      total: text(total),
      inclTotal,
    },
  };
}

/** The line's total ex tax as recorded: unrounded in an inclusive outlet, cents otherwise. */
export function lineTotalDec(line: SaleLineRec): Dec {
  return line.inclusive ? dec(line.inclusive.total) : centsToDec(line.total);
}

export function lineListTotalDec(line: SaleLineRec): Dec {
  return line.inclusive ? dec(line.inclusive.listTotal) : centsToDec(line.listTotal);
}

/** What the customer pays for a line, tax included (inclusive outlets; exclusive lines have no such figure). */
export function lineInclCents(line: SaleLineRec): Cents {
  return line.inclusive ? line.inclusive.inclTotal : line.total;
}

export const counted = (lines: readonly SaleLineRec[]) => lines.filter((l) => !l.voided);

export function adjustmentTotal(a: AdjustmentRec): Dec {
  return dec(a.total);
}

/** Rules 10 and 4–5 with charges: the sale's totals from its counted lines and its adjustments. */
export interface Totals {
  /** Cents views (an inclusive sale's per-rate taxes rounded half-up, price = incl − tax). */
  taxes: { rateId: string; tax: Cents }[];
  price: Cents;
  tax: Cents;
  /** Tax-inclusive sales: the unrounded figures as recorded. */
  exact?: { price: DecText; tax: DecText; taxes: { rateId: string; tax: DecText }[] };
}

function taxesByRate(lines: readonly SaleLineRec[], adjustments: readonly AdjustmentRec[]): Map<string, Dec> {
  const byRate = new Map<string, Dec>();
  const add = (t: LineTaxRec) => byRate.set(t.rateId, addDec(byRate.get(t.rateId) ?? ZERO, dec(t.exact)));
  for (const line of lines) for (const t of line.taxes) add(t);
  for (const a of adjustments) for (const t of a.taxes) add(t);
  return byRate;
}

export function totalsOf(
  lines: readonly SaleLineRec[],
  adjustments: readonly AdjustmentRec[],
  inclusive: boolean,
): Totals {
  const live = counted(lines);
  if (!inclusive) {
    const base = saleTotals(live);
    if (adjustments.length === 0) return base;
    const taxes = [...taxesByRate(live, adjustments)].map(([rateId, exact]) => ({ rateId, tax: cents(exact) }));
    const charges = adjustments.reduce((s, a) => s + toMinorExact(dec(a.total)), 0);
    return { taxes, price: base.price + charges, tax: taxes.reduce((s, t) => s + t.tax, 0) };
  }
  const byRate = [...taxesByRate(live, adjustments)];
  const price = sumDecs([...live.map(lineTotalDec), ...adjustments.map(adjustmentTotal)]);
  const tax = sumDecs(byRate.map(([, d]) => d));
  const incl = toMinorExact(addDec(price, tax));
  const taxes = byRate.map(([rateId, d]) => ({ rateId, tax: cents(d) }));
  const taxCents = taxes.reduce((s, t) => s + t.tax, 0);
  return {
    taxes,
    price: incl - taxCents,
    tax: taxCents,
    exact: { price: text(price), tax: text(tax), taxes: byRate.map(([rateId, d]) => ({ rateId, tax: text(d) })) },
  };
}

/** One line's share of a spread charge (rule 13). */
export interface ChargeShare {
  lineId: string;
  taxId: string;
  value: Dec;
  taxes: LineTaxRec[];
}

/**
 * Rule 13: spreads `amount` cents (incl. tax in an inclusive store, ex tax in an exclusive one) over the
 * counted lines — over the taxes by their net, then over each tax's non-discount lines by their totals.
 */
export function spreadCharge(
  amount: Cents,
  lines: readonly SaleLineRec[],
  inclusive: boolean,
  ratesOf: (taxId: string) => TaxRateRec[],
): ChargeShare[] {
  const live = counted(lines);
  const weight = (l: SaleLineRec) => (inclusive ? lineInclCents(l) : l.total);
  const taxIds = [...new Set(live.map((l) => l.taxId))];
  const nets = taxIds.map((id) => live.filter((l) => l.taxId === id).reduce((s, l) => s + weight(l), 0));
  const byTax = allocate(amount, nets);
  const out: ChargeShare[] = [];
  taxIds.forEach((taxId, i) => {
    const members = live.filter((l) => l.taxId === taxId && l.kind !== "discount");
    if (members.length === 0) return;
    const parts = allocate(byTax[i]!, members.map(weight));
    members.forEach((line, k) => {
      const share = centsToDec(parts[k]!);
      const rates = ratesOf(taxId);
      if (inclusive) {
        const split = splitInclusive(share, rates);
        out.push({
          lineId: line.id,
          taxId,
          value: split.ex,
          taxes: split.taxes.map((t) => ({ rateId: t.rateId, exact: text(t.tax) })),
        });
      } else {
        out.push({
          lineId: line.id,
          taxId,
          value: share,
          taxes: rates.map((r) => ({ rateId: r.id, exact: text(mulDec(share, dec(r.rate))) })),
        });
      }
    });
  });
  return out;
}

/** Sums tax components by rate, in order of first appearance. */
export function mergeTaxes(parts: readonly (readonly LineTaxRec[])[]): LineTaxRec[] {
  const byRate = new Map<string, Dec>();
  for (const taxes of parts)
    for (const t of taxes) byRate.set(t.rateId, addDec(byRate.get(t.rateId) ?? ZERO, dec(t.exact)));
  return [...byRate].map(([rateId, d]) => ({ rateId, exact: text(d) }));
}

/** Rule 7: a percentage off a unit price incl. tax, to the cent. */
export function percentOffCents(unitIncl: Dec, percent: Dec): Dec {
  return roundDec(mulDec(unitIncl, mulDec(percent, dec("0.01"))), 2, "half-up");
}

/** Loyalty a unit earns: round_half_up(unit price incl. tax × ratio) to the cent. */
export function loyaltyPerUnit(unitIncl: Dec, ratio: Dec): Dec {
  return roundDec(mulDec(unitIncl, ratio), 2, "half-up");
}
