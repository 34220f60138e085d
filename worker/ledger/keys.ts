import { requestIdOf, shortHash } from "../../shared/hash";
import type { ObjectKind } from "../../shared/sync";

/** The idempotency key of one version of one POS object (DESIGN §2). */
export function idempotencyKey(tenantId: string, kind: ObjectKind, posId: string, posVersion: string): string {
  return `tb1|${tenantId}|${kind}|${posId}|${posVersion}`;
}

/** QBO requestid of one document (part) of a posting: same key and part, same id, across retries. */
export function requestIdFor(key: string, part: string): string {
  return requestIdOf(`${key}|${part}`);
}

/** The short tag written into every PrivateNote so a document can be found and adopted after an ambiguous outcome. */
export function keyTag(key: string): string {
  return shortHash(key, 10);
}

const PRIVATE_NOTE_MAX = 4000;

/**
 * PrivateNote text: the Tillbridge tag and key first (so truncation never loses them), then the
 * POS facts a bookkeeper would search for.
 */
export function privateNote(key: string, part: string, facts: readonly string[]): string {
  const text = [`Tillbridge ${keyTag(key)}`, `key ${key}`, `part ${part}`, ...facts].join(" | ");
  return clip(text, PRIVATE_NOTE_MAX);
}

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}
