import { addDec, type Dec, formatDec, type Minor, minorToDec } from "../../../shared/money";
import type { PosSale } from "../normalize/sale";
import type { Fail } from "../read";
import { allocateExact, cents, near, slack, sumDec, ZERO } from "./exact";

/** What carries tax on a sale: its lines and its charges, each with its exact tax per rate. */
export interface Taxed {
  taxes: Map<string, Dec>;
}

/** The sale's tax per rate: in cents (summing to its tax total) and as the POS recorded it. */
export interface SaleRates {
  minor: Map<string, Minor>;
  exact: Map<string, Dec>;
}

/**
 * The sale's tax per rate in cents, summing to its tax total, in the order the rates first appear
 * on its lines: the lines' exact amounts per rate, checked against the sale's own list and total.
 */
export function taxPerRate(
  lines: readonly Taxed[],
  listed: PosSale["taxes"],
  taxExact: Dec,
  totalTaxMinor: Minor,
  fail: Fail,
): SaleRates {
  const exact = new Map<string, Dec>();
  for (const l of lines) for (const [rate, amount] of l.taxes) exact.set(rate, addDec(exact.get(rate) ?? ZERO, amount));
  const own = listedPerRate(listed, exact, slack(lines.length), fail);
  const rateSum = sumDec(exact.values());
  if (!near(rateSum, taxExact, slack(lines.length))) {
    throw fail("total_tax", `${formatDec(taxExact)} is not the sum of the lines' tax (${formatDec(rateSum)})`);
  }
  if (totalTaxMinor !== 0 && exact.size === 0)
    throw fail("total_tax", "the sale has tax but no line carries a tax rate");
  const minor = splitTax(totalTaxMinor, exact, own);
  // the POS's own figure per rate; where it lists none, the sale's cents
  const recorded = new Map([...minor].map(([r, m]) => [r, own.get(r) ?? minorToDec(m)] as const));
  return { minor, exact: recorded };
}

/**
 * The POS's own amount per line rate, each checked against the lines'. An entry keyed by something
 * other than a line rate (e.g. a tax-group id) is informational.
 */
function listedPerRate(listed: PosSale["taxes"], exact: Map<string, Dec>, tolerance: Dec, fail: Fail) {
  const own = new Map<string, Dec>();
  for (const [i, t] of listed.entries()) {
    const fromLines = exact.get(t.id);
    if (fromLines === undefined) continue;
    if (!near(fromLines, t.tax, tolerance)) {
      throw fail(
        `taxes[${i}].amount`,
        `${formatDec(t.tax)} for rate ${t.id} is not the sum of the lines' tax (${formatDec(fromLines)})`,
      );
    }
    own.set(t.id, addDec(own.get(t.id) ?? ZERO, t.tax));
  }
  return own;
}

/**
 * The POS's own per-rate amounts when it lists every rate and they add up, else the total split by
 * the lines' exact amounts.
 */
function splitTax(total: Minor, exact: Map<string, Dec>, own: Map<string, Dec>): Map<string, Minor> {
  const rateIds = [...exact.keys()];
  if (!rateIds.length) return new Map();
  if (rateIds.every((r) => own.has(r))) {
    const listed = rateIds.map((r) => cents(own.get(r)!));
    if (listed.reduce((a, b) => a + b, 0) === total) return new Map(rateIds.map((r, i) => [r, listed[i]!]));
  }
  const split = allocateExact(
    total,
    rateIds.map((r) => exact.get(r)!),
  );
  return new Map(rateIds.map((r, i) => [r, split[i]!]));
}
