import { TillbridgeError } from "../../shared/errors";
import type { AnnouncedClosure } from "../db/closures";
import type { AppEnv } from "../env";
import { hmacSha256, randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import type { Logger } from "../lib/log";
import type { PosClient } from "./client";
import { cents } from "./mappers/exact";
import { readObject } from "./read";
import { RawClosureWebhook, RawWebhook, WEBHOOK_TYPES, type PosWebhookType } from "./schemas";

/**
 * POS webhooks: Tillbridge's subscriptions at the POS (one URL per tenant carrying a secret, only
 * its hash stored), and reading a delivery — form-encoded `payload` JSON, an optional
 * `X-Signature: signature=<hex>, algorithm=HMAC-SHA256` over the raw body keyed by the app's client
 * secret. Webhooks are hints: objects are re-read from the API, except a closure's counted totals.
 */

export const MAX_WEBHOOK_BYTES = 512 * 1024;

const base = (env: Pick<AppEnv, "PUBLIC_URL">) => `${env.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/pos/`;

export function webhookUrl(env: Pick<AppEnv, "PUBLIC_URL">, tenantId: string, secret: string): string {
  return `${base(env)}${encodeURIComponent(tenantId)}/${secret}`;
}

export async function newWebhookSecret(): Promise<{ secret: string; hash: string }> {
  const secret = randomToken(32);
  return { secret, hash: await sha256Hex(secret) };
}

/** Tillbridge's subscriptions at the POS: any URL under our /webhooks/pos/ (older secrets included). */
async function ours(client: PosClient, env: Pick<AppEnv, "PUBLIC_URL">): Promise<{ id: string; url: string }[]> {
  const body = (await client.get("/webhooks")) as { data?: unknown } | unknown[] | null;
  const list = Array.isArray(body)
    ? body
    : Array.isArray((body as { data?: unknown })?.data)
      ? ((body as { data: unknown[] }).data as unknown[])
      : [];
  const out: { id: string; url: string }[] = [];
  for (const raw of list) {
    const w = RawWebhook.safeParse(raw);
    if (w.success && w.data.url.startsWith(base(env))) out.push({ id: w.data.id, url: w.data.url });
  }
  return out;
}

/** Deletes Tillbridge's subscriptions at the POS. Returns how many went. */
export async function removeWebhooks(client: PosClient, env: Pick<AppEnv, "PUBLIC_URL">): Promise<number> {
  let n = 0;
  for (const w of await ours(client, env)) {
    try {
      await client.send("DELETE", `/webhooks/${encodeURIComponent(w.id)}`);
      n++;
    } catch (e) {
      if (!(e instanceof TillbridgeError && e.code === "pos_not_found")) throw e;
    }
  }
  return n;
}

/** Replaces Tillbridge's older subscriptions with one per type at the tenant's current URL. */
export async function registerWebhooks(
  client: PosClient,
  env: Pick<AppEnv, "PUBLIC_URL">,
  tenantId: string,
  secret: string,
): Promise<string[]> {
  await removeWebhooks(client, env);
  const url = webhookUrl(env, tenantId, secret);
  const ids: string[] = [];
  for (const type of WEBHOOK_TYPES) {
    const created = (await client.send("POST", "/webhooks", { url, active: true, type })) as {
      data?: { id?: unknown };
    } | null;
    const id = created?.data?.id;
    if (typeof id === "string" || typeof id === "number") ids.push(String(id));
  }
  return ids;
}

/** Constant-time check of the secret in the URL against the stored hash. */
export async function secretMatches(secret: string, storedHash: string | null): Promise<boolean> {
  const hash = await sha256Hex(secret);
  return storedHash !== null && timingSafeEqual(hash, storedHash);
}

/**
 * Verifies `X-Signature` when the POS sent one: HMAC-SHA256 of the raw body keyed by the client
 * secret, hex, compared in constant time. No header: true (the secret URL is the guard).
 */
export async function signatureValid(
  header: string | undefined,
  rawBody: Uint8Array<ArrayBuffer>,
  clientSecret: string,
): Promise<boolean> {
  if (header === undefined) return true;
  const parts = Object.fromEntries(
    header.split(",").map((p) => {
      const [k, ...v] = p.trim().split("=");
      return [(k ?? "").toLowerCase(), v.join("=").trim()];
    }),
  );
  if (
    (parts.algorithm ?? "HMAC-SHA256").toUpperCase() !== "HMAC-SHA256" ||
    !/^[0-9a-fA-F]{64}$/.test(parts.signature ?? "")
  )
    return false;
  const mac = await hmacSha256(clientSecret, rawBody);
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  return timingSafeEqual(hex, parts.signature!.toLowerCase());
}

export interface Delivery {
  type: string | null;
  payload: Record<string, unknown>;
  domainPrefix: string | null;
}

/** The form body: `payload` (JSON object), `type` and `domain_prefix` when present. 400 otherwise. */
export function readDelivery(rawBody: string, queryType: string | undefined): Delivery {
  const form = new URLSearchParams(rawBody);
  const text = form.get("payload");
  if (text === null || !text.trim()) throw new TillbridgeError("bad_request", "webhook: the payload field is missing");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new TillbridgeError("bad_request", "webhook: the payload is not JSON");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    throw new TillbridgeError("bad_request", "webhook: the payload is not a JSON object");
  const p = payload as Record<string, unknown>;
  return {
    type: form.get("type") || queryType || inferType(p),
    payload: p,
    domainPrefix: form.get("domain_prefix") || null,
  };
}

/** When the delivery does not say its type: the payload's shape does (webhooks carry the API object). */
function inferType(p: Record<string, unknown>): PosWebhookType | null {
  if ("register_close_time" in p && Array.isArray(p.payments)) return "register_closure.create";
  if (Array.isArray(p.line_items) || "register_sale_products" in p) return "sale.update";
  if (typeof p.type === "string" && typeof p.status === "string" && ("supplier_id" in p || "reference" in p))
    return "consignment.receive";
  return null;
}

/**
 * The one value of a field the payload may spell two ways: either spelling, and when both are there
 * they must agree (a payload naming two different closures, or two payment types on one line, is
 * refused rather than guessed at).
 */
function agreed<T>(a: T | null | undefined, b: T | null | undefined, where: string): T | undefined {
  if (a != null && b != null && a !== b)
    throw new TillbridgeError(
      "pos_payload_invalid",
      `${where}: its two spellings disagree (${String(a)} ≠ ${String(b)})`,
    );
  return a ?? b ?? undefined;
}

/** The closure a `register_closure.create` payload announces, amounts in cents. */
export function announcedClosure(payload: unknown): AnnouncedClosure {
  const c = readObject(RawClosureWebhook, payload, "register closure");
  const id = agreed(c.id, c.register_closure_id, "register closure: id / register_closure_id");
  if (!id) throw new TillbridgeError("pos_payload_invalid", "register closure (no id): id: missing");
  const sequenceNumber = agreed(
    c.sequence_number,
    c.register_closure_sequence_number,
    `register closure ${id}: sequence_number / register_closure_sequence_number`,
  );
  return {
    id,
    registerId: c.register_id,
    outletId: c.outlet_id ?? null,
    sequenceNumber: sequenceNumber ?? null,
    openedAt: c.register_open_time,
    closedAt: c.register_close_time,
    payments: c.payments.map((p, i) => {
      const paymentTypeId = agreed(
        p.retailer_payment_type_id,
        p.payment_type_id,
        `register closure ${id}: payments[${i}].retailer_payment_type_id / payment_type_id`,
      );
      if (!paymentTypeId)
        throw new TillbridgeError(
          "pos_payload_invalid",
          `register closure ${id}: payments[${i}].retailer_payment_type_id: missing`,
        );
      return {
        paymentTypeId,
        name: p.name ?? p.payment_type_name ?? paymentTypeId,
        expectedMinor: cents(p.expected),
        countedMinor: p.counted == null ? null : cents(p.counted),
      };
    }),
  };
}

export function logDelivery(log: Logger, d: Delivery, outcome: string): void {
  const id = d.payload.id ?? d.payload.register_closure_id;
  log.info("pos webhook", { type: d.type, id: typeof id === "string" ? id : undefined, outcome });
}
