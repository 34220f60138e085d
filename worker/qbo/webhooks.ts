import { TillbridgeError } from "../../shared/errors";
import { hmacSha256, timingSafeEqual } from "../lib/crypto";

/**
 * Intuit's entity change notifications (qbo-api-notes §7): the raw body signed in `intuit-signature`
 * as base64(HMAC-SHA256(body, verifier token)), in the legacy shape (`eventNotifications[].realmId,
 * dataChangeEvent.entities[]`) or the CloudEvents one (an array of `{type: "qbo.<entity>.<verb>.v1",
 * intuitaccountid, intuitentityid}`). Each is a hint: what changed is read again from QBO.
 */

export const MAX_QBO_WEBHOOK_BYTES = 256 * 1024;

export interface QboChange {
  realmId: string;
  entity: string;
  id: string;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** The signature over the raw body, compared in constant time; no verifier token configured: refused. */
export async function intuitSignatureValid(
  header: string | undefined,
  raw: Uint8Array<ArrayBuffer>,
  verifier: string | undefined,
): Promise<boolean> {
  if (!verifier || !header) return false;
  return timingSafeEqual(header.trim(), toBase64(await hmacSha256(verifier, raw)));
}

const text = (v: unknown) => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null);

/** The changes a notification names, in either shape; anything else is a bad request. */
export function readNotification(body: string): QboChange[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new TillbridgeError("bad_request", "intuit webhook: the body is not JSON");
  }
  const out: QboChange[] = [];
  if (Array.isArray(json)) {
    for (const e of json as Record<string, unknown>[]) {
      const m = /^qbo\.([a-z]+)\./i.exec(String(e?.type ?? ""));
      const realmId = text(e?.intuitaccountid);
      const id = text(e?.intuitentityid);
      if (m && realmId && id) out.push({ realmId, entity: m[1]!.toLowerCase(), id });
    }
    return out;
  }
  const notes = (json as { eventNotifications?: unknown })?.eventNotifications;
  if (!Array.isArray(notes)) throw new TillbridgeError("bad_request", "intuit webhook: no eventNotifications");
  for (const n of notes as Record<string, unknown>[]) {
    const realmId = text(n?.realmId);
    const entities = (n?.dataChangeEvent as { entities?: unknown } | undefined)?.entities;
    if (!realmId || !Array.isArray(entities)) continue;
    for (const e of entities as Record<string, unknown>[]) {
      const entity = text(e?.name);
      const id = text(e?.id);
      if (entity && id) out.push({ realmId, entity: entity.toLowerCase(), id });
    }
  }
  return out;
}

/** The entities the cached reference data holds (a change to one may heal what waits on it). */
export const REFERENCE_ENTITIES = new Set(["account", "item", "class", "department", "paymentmethod", "preferences"]);
