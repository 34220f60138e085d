import { allocate, type Dec, type Minor, negDec, normalize, toMinor } from "../../../shared/money";

/**
 * Small exact-decimal helpers the mappers share. A closure's thousands of lines go through `near`
 * and `sumDec` several times each, so they align scales once with cached powers of ten rather than
 * through addDec/cmpDec (which raise 10 to a bigint power and normalise at every step).
 */

export const ZERO: Dec = { m: 0n, s: 0 };

const POW10 = Array.from({ length: 40 }, (_, k) => 10n ** BigInt(k));
const pow10 = (k: number): bigint => POW10[k] ?? 10n ** BigInt(k);

export function sumDec(values: Iterable<Dec>): Dec {
  const list = [...values];
  let s = 0;
  for (const v of list) if (v.s > s) s = v.s;
  let m = 0n;
  for (const v of list) m += v.m * pow10(s - v.s);
  return normalize({ m, s });
}

export function absDec(d: Dec): Dec {
  return d.m < 0n ? negDec(d) : d;
}

/** Cents, halves away from zero: how the POS rounds a decimal total it shows in cents. */
export const cents = (d: Dec): Minor => toMinor(d, "half-up");

/** |a − b| ≤ tolerance */
export function near(a: Dec, b: Dec, tolerance: Dec): boolean {
  const s = Math.max(a.s, b.s, tolerance.s);
  const diff = a.m * pow10(s - a.s) - b.m * pow10(s - b.s);
  return (diff < 0n ? -diff : diff) <= tolerance.m * pow10(s - tolerance.s);
}

/**
 * The rounding slack between a total and the sum of its parts when each may have been rounded to
 * the cent on its own: half a cent per part, plus a cent.
 */
export function slack(parts: number): Dec {
  return { m: 5n * BigInt(parts) + 10n, s: 3 };
}

/**
 * Splits `total` cents across parts in proportion to their exact values, so the parts sum to the
 * total exactly and a part whose exact value is zero gets zero.
 */
export function allocateExact(total: Minor, exact: readonly Dec[]): Minor[] {
  const scale = exact.reduce((s, d) => Math.max(s, d.s), 0);
  const weights = exact.map((d) => d.m * pow10(scale - d.s));
  if (weights.reduce((a, b) => a + b, 0n) === 0n && weights.some((w) => w !== 0n)) return cancelling(total, exact);
  return allocate(total, weights);
}

/**
 * Parts that cancel each other out (a cancelled layby: each line again with a negative quantity)
 * have no proportion to split by: each is its own value in cents, and whatever the total says
 * beyond their sum goes on the largest one.
 */
function cancelling(total: Minor, exact: readonly Dec[]): Minor[] {
  const parts = exact.map(cents);
  const residue = total - parts.reduce((a, b) => a + b, 0);
  if (residue !== 0) {
    let at = 0;
    for (let i = 1; i < parts.length; i++) if (Math.abs(parts[i]!) > Math.abs(parts[at]!)) at = i;
    parts[at]! += residue;
  }
  return parts;
}
