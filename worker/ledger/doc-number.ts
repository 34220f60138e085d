import { shortHash } from "../../shared/hash";

export const DOC_NUMBER_MAX = 21;
const HASH_LENGTH = 8;
const READABLE_MAX = DOC_NUMBER_MAX - HASH_LENGTH - 1;

/**
 * `<readable>-<hash>`, e.g. `Z12-S-7KQ2M9XA` for a closure's sales document: readable enough for a
 * bookkeeper, and unique per (object version, part) through the hash of the key, so a clash with a
 * duplicate-number error means "this very posting already exists".
 */
export function docNumber(readable: string, key: string, part: string): string {
  const clean = readable.replace(/[^A-Za-z0-9-]/g, "").replace(/-+/g, "-");
  // keep the tail: receipt and sequence numbers differ at their end
  const cut = clean.length > READABLE_MAX ? clean.slice(clean.length - READABLE_MAX).replace(/^-+/, "") : clean;
  const hash = shortHash(`${key}|${part}`, HASH_LENGTH);
  return cut ? `${cut.replace(/-+$/, "")}-${hash}` : hash;
}

/** A supplier's own invoice number as a bill's DocNumber, cut to QBO's 21 characters. */
export function billDocNumber(supplierInvoice: string): string {
  return supplierInvoice.trim().slice(0, DOC_NUMBER_MAX);
}
