import { Hono } from "hono";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { qboRealms } from "../db/connections";
import { realmDirectory } from "../db/shards";
import { servicesFor } from "../shards";
import { intuitSignatureValid, MAX_QBO_WEBHOOK_BYTES, readNotification, REFERENCE_ENTITIES } from "../qbo/webhooks";
import { drainTenant } from "../sync/now";
import { openTenant } from "../sync/runtime";

/**
 * Intuit's webhooks (public; the verifier token's signature is the guard). A change to reference
 * data a blocked item waits on (an account reactivated, the closing date moved) re-reads the cache
 * by Change Data Capture and posts what it healed at once, without waiting for the cron (which does
 * the same each run: the fallback when a notification is lost). Answered before that work is done.
 */
export const qboWebhooks = new Hono<AppContext>().post("/qbo", async (c) => {
  const s = c.get("services");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (raw.byteLength > MAX_QBO_WEBHOOK_BYTES) throw new TillbridgeError("payload_too_large");
  if (!(await intuitSignatureValid(c.req.header("intuit-signature"), raw, s.env.QBO_WEBHOOK_VERIFIER)))
    throw new TillbridgeError("webhook_signature_invalid", "intuit-signature does not match the body");
  const changes = readNotification(new TextDecoder().decode(raw));
  // realm → tenant in the home database: the realm map (every shard's tenants) and, for tenants at
  // home connected before the map existed, the home database's own connections
  const realms = new Map([...(await qboRealms(s.homeDb)), ...(await realmDirectory(s.homeDb))]);
  const tenants = new Set<string>();
  for (const ch of changes) {
    const tenantId = realms.get(ch.realmId);
    if (tenantId && REFERENCE_ENTITIES.has(ch.entity)) tenants.add(tenantId);
  }
  for (const tenantId of tenants) {
    s.waitUntil(
      (async () => {
        const ts = await servicesFor(s, tenantId);
        const rt = await openTenant(ts, tenantId, "qbo-webhook");
        if ((await rt.recheckBlocked()) > 0) await drainTenant(ts, tenantId, "qbo-webhook");
      })().catch((e) =>
        s.log.error("qbo webhook work failed", {
          tenant: tenantId,
          error: e instanceof Error ? { name: e.name, message: e.message } : String(e),
        }),
      ),
    );
  }
  s.log.info("qbo webhook", { changes: changes.length, tenants: tenants.size });
  return c.json({ ok: true });
});
