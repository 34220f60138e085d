import { addDec, allocate, cmpDec, type Dec, type Minor, negDec, subDec, toMinor } from "../../../shared/money";

/** Small exact-decimal helpers the mappers share. */

export const ZERO: Dec = { m: 0n, s: 0 };

export function sumDec(values: Iterable<Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = addDec(total, v);
  return total;
}

export function absDec(d: Dec): Dec {
  return d.m < 0n ? negDec(d) : d;
}

/** Cents, halves away from zero: how the POS rounds a decimal total it shows in cents. */
export const cents = (d: Dec): Minor => toMinor(d, "half-up");

/** |a − b| ≤ tolerance */
export function near(a: Dec, b: Dec, tolerance: Dec): boolean {
  return cmpDec(absDec(subDec(a, b)), tolerance) <= 0;
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
  return allocate(
    total,
    exact.map((d) => d.m * 10n ** BigInt(scale - d.s)),
  );
}
