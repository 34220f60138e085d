/**
 * Small synchronous, deterministic hashes for identifiers (document numbers, request ids). Not for
 * secrets: payload hashes and session hashes use SHA-256 through WebCrypto in the Worker.
 */

const MASK64 = (1n << 64n) - 1n;
const FNV_PRIME = 0x100000001b3n;
const FNV_OFFSET = 0xcbf29ce484222325n;

/** FNV-1a 64-bit over the UTF-8 bytes of `text`, with an optional seed mixed in first. */
export function fnv1a64(text: string, seed = 0): bigint {
  let h = FNV_OFFSET ^ BigInt(seed);
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Crockford base32 text of a non-negative bigint, left-padded to `width`. */
export function base32(n: bigint, width: number): string {
  let out = "";
  while (n > 0n) {
    out = CROCKFORD[Number(n % 32n)] + out;
    n /= 32n;
  }
  return out.padStart(width, "0").slice(-width);
}

/** A short uppercase tag of `text`: `length` Crockford base32 characters (5 bits each). */
export function shortHash(text: string, length = 8): string {
  const a = base32(fnv1a64(text, 1), 13);
  const b = base32(fnv1a64(text, 2), 13);
  return (a + b).slice(0, length);
}

/** A 32-character id (~160 bits) for QBO's `requestid` (≤ 36 in batch, ≤ 50 otherwise). */
export function requestIdOf(text: string): string {
  return [1, 2, 3]
    .map((seed) => base32(fnv1a64(text, seed), 13))
    .join("")
    .slice(0, 32)
    .toLowerCase();
}
