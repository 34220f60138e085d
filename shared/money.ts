/**
 * Exact money. Amounts are integers of minor units (cents); decimal quantities and unit prices are
 * `Dec` values (a bigint mantissa and a decimal scale). Nothing here touches binary floating point:
 * a JSON number from a payload is read through its shortest round-trip decimal text, which is the
 * decimal the sender wrote.
 */

/** Integer minor units (cents for CAD/USD). Always a safe integer. */
export type Minor = number;

/** An exact decimal: value = m / 10^s. */
export interface Dec {
  readonly m: bigint;
  readonly s: number;
}

export type Rounding = "half-up" | "half-even";

export class MoneyError extends Error {
  override name = "MoneyError";
}

const DECIMAL_TEXT = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_SCALE = 12;

/** Reads "25.30", "-0.5", "9.09091", 0.87, 1e-7 exactly. Rejects NaN, Infinity, "", "1,5". */
export function parseDec(input: string | number | bigint): Dec {
  if (typeof input === "bigint") return { m: input, s: 0 };
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new MoneyError(`not a finite number: ${input}`);
    input = String(input);
  }
  const text = input.trim();
  const match = DECIMAL_TEXT.exec(text);
  if (!match || (match[2] === undefined && (match[3] === undefined || match[3] === ""))) {
    throw new MoneyError(`not a decimal number: "${input}"`);
  }
  const [, sign, intPart = "", fracPart = "", expPart] = match;
  let m = BigInt((intPart || "0") + fracPart);
  let s = fracPart.length;
  const exp = expPart === undefined ? 0 : Number(expPart);
  if (exp > 0) {
    if (exp >= s) {
      m *= 10n ** BigInt(exp - s);
      s = 0;
    } else s -= exp;
  } else if (exp < 0) s += -exp;
  if (sign === "-") m = -m;
  const out = normalize({ m, s });
  if (out.s > MAX_SCALE) throw new MoneyError(`too many decimal places (${out.s}) in "${input}"`);
  return out;
}

/** Drops trailing zeros so equal values have one representation. */
export function normalize(d: Dec): Dec {
  let { m, s } = d;
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s -= 1;
  }
  return { m, s };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.m * 10n ** BigInt(s - a.s), b.m * 10n ** BigInt(s - b.s), s];
}

export function addDec(a: Dec, b: Dec): Dec {
  const [x, y, s] = align(a, b);
  return normalize({ m: x + y, s });
}

export function subDec(a: Dec, b: Dec): Dec {
  const [x, y, s] = align(a, b);
  return normalize({ m: x - y, s });
}

export function mulDec(a: Dec, b: Dec): Dec {
  return normalize({ m: a.m * b.m, s: a.s + b.s });
}

export function negDec(a: Dec): Dec {
  return { m: -a.m, s: a.s };
}

export function cmpDec(a: Dec, b: Dec): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZeroDec(a: Dec): boolean {
  return a.m === 0n;
}

/** Divides a bigint by 10^k, rounding as named. */
function roundDiv(m: bigint, k: number, mode: Rounding): bigint {
  if (k <= 0) return m * 10n ** BigInt(-k);
  const div = 10n ** BigInt(k);
  const neg = m < 0n;
  const abs = neg ? -m : m;
  let q = abs / div;
  const r = abs % div;
  const twice = r * 2n;
  if (twice > div || (twice === div && (mode === "half-up" || q % 2n === 1n))) q += 1n;
  return neg ? -q : q;
}

/** Rounds to `digits` decimal places. Half-up rounds halves away from zero; half-even is banker's. */
export function roundDec(a: Dec, digits: number, mode: Rounding): Dec {
  if (a.s <= digits) return a;
  return normalize({ m: roundDiv(a.m, a.s - digits, mode), s: digits });
}

function toSafe(n: bigint, what: string): Minor {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(`${what} is out of range`);
  }
  return Number(n);
}

/** Minor units of a decimal amount, rounded as named (2 digits for CAD/USD). */
export function toMinor(a: Dec, mode: Rounding, digits = 2): Minor {
  return toSafe(roundDiv(a.m, a.s - digits, mode), "amount");
}

/** Minor units of an amount that must already be exact to the cent (e.g. a POS total). */
export function toMinorExact(a: Dec, digits = 2): Minor {
  if (a.s > digits) throw new MoneyError(`amount has more than ${digits} decimal places`);
  return toSafe(a.m * 10n ** BigInt(digits - a.s), "amount");
}

export function minorToDec(minor: Minor, digits = 2): Dec {
  assertMinor(minor);
  return normalize({ m: BigInt(minor), s: digits });
}

/** Parses a money value the POS sends (string or number) straight to minor units. */
export function parseMinor(input: string | number, mode: Rounding = "half-up", digits = 2): Minor {
  return toMinor(parseDec(input), mode, digits);
}

export function assertMinor(x: Minor): void {
  if (!Number.isSafeInteger(x)) throw new MoneyError(`not an integer amount of minor units: ${x}`);
}

export function sumMinor(values: Iterable<Minor>): Minor {
  let total = 0;
  for (const v of values) {
    assertMinor(v);
    total += v;
  }
  assertMinor(total);
  return total;
}

/** "1234.5" style text of a decimal, no exponent, at least `minDigits` decimals. */
export function formatDec(a: Dec, minDigits = 0): string {
  const neg = a.m < 0n;
  let digits = (neg ? -a.m : a.m).toString();
  const scale = Math.max(a.s, minDigits);
  const m = a.s < minDigits ? digits + "0".repeat(minDigits - a.s) : digits;
  digits = m.padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** "12.30" text of an amount in minor units. */
export function formatMinor(minor: Minor, digits = 2): string {
  assertMinor(minor);
  return formatDec({ m: BigInt(minor), s: digits }, digits);
}

/**
 * The JSON number QBO expects for an amount (QBO's wire format is a JSON number). Built from the
 * decimal text, so it serialises back to exactly that text.
 */
export function toQboAmount(minor: Minor, digits = 2): number {
  return Number(formatMinor(minor, digits));
}

/** A JSON number for a quantity or unit price with up to `maxDigits` decimals (QBO allows 7). */
export function toQboDecimal(a: Dec): number {
  return Number(formatDec(a));
}

/**
 * Splits `total` across `weights` in proportion, without losing or inventing a cent: the sum of the
 * parts is exactly `total`. Largest-remainder method; ties go to the earlier weight. All-zero weights
 * split evenly. Negative totals and weights are allowed (parts follow the sign of total × weight).
 */
export function allocate(total: Minor, weights: readonly (Minor | bigint)[]): Minor[] {
  assertMinor(total);
  if (weights.length === 0) {
    if (total !== 0) throw new MoneyError("cannot allocate a non-zero total across no lines");
    return [];
  }
  let w = weights.map((x) => BigInt(x));
  let sumW = w.reduce((a, b) => a + b, 0n);
  if (sumW === 0n) {
    w = w.map(() => 1n);
    sumW = BigInt(w.length);
  }
  // Work on |total| with weights oriented so their sum is positive.
  const sign = sumW < 0n ? -1n : 1n;
  w = w.map((x) => x * sign);
  sumW *= sign;
  const T = BigInt(total);
  const parts: bigint[] = [];
  const rems: { i: number; r: bigint }[] = [];
  let used = 0n;
  for (let i = 0; i < w.length; i++) {
    const num = T * w[i]!;
    // floor division toward -infinity so remainders are non-negative
    let q = num / sumW;
    let r = num % sumW;
    if (r < 0n) {
      q -= 1n;
      r += sumW;
    }
    parts.push(q);
    rems.push({ i, r });
    used += q;
  }
  let left = T - used; // 0 <= left < n
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[rems[k % rems.length]!.i]! += 1n;
  return parts.map((p) => toSafe(p, "allocated amount"));
}
