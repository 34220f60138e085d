import { Hono } from "hono";
import { z } from "zod";
import {
  ConnectResponse,
  CountedTotalsRequest,
  MeResponse,
  PosConnectRequest,
  SessionExchangeRequest,
  SessionResponse,
} from "../../shared/api";
import { TillbridgeError } from "../../shared/errors";
import { SyncState } from "../../shared/sync";
import type { AppContext } from "../app";
import { webhookEventStatement } from "../db/webhook-events";
import { announcedClosureStatement } from "../db/closures";
import { getConnection, statusOf } from "../db/connections";
import { stateCounts } from "../db/sync-items";
import { getTenant } from "../db/tenants";
import { sha256Hex } from "../lib/crypto";
import { hit, limited, LIMITS } from "../lib/rate-limit";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { servicesFor } from "../shards";
import { completePosConnect, disconnectPos, exchangeHandoff, startPosConnect } from "../pos/connect";
import { acceptCountedTotals } from "../pos/counted";
import { type PosHooks, withDefaults } from "../pos/hooks";
import {
  announcedClosure,
  logDelivery,
  MAX_WEBHOOK_BYTES,
  readDelivery,
  secretMatches,
  signatureValid,
} from "../pos/webhooks";
import type { Deps, Services } from "../services";

/**
 * The Retail POS routes: OAuth (start, callback) and the extension's session handoff, the
 * session's view of its store (/api/me), disconnect, counted totals from the back office, and the
 * POS webhooks (public, guarded by the per-tenant secret in the URL and the POS's signature).
 */

const CallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2048).optional(),
  domain_prefix: z.string().max(100).optional(),
  error: z.string().max(200).optional(),
});

const zeroCounts = () => Object.fromEntries(SyncState.options.map((st) => [st, 0])) as Record<SyncState, number>;

/** `deps.posHooks`: the sync engine's hooks (the lead adds `posHooks?: Partial<PosHooks>` to Deps). */
export function posRoutes(deps: Deps & { posHooks?: Partial<PosHooks> } = {}) {
  const hooks = withDefaults(deps.posHooks);
  const later = (s: Services, what: string, run: () => Promise<void>) =>
    s.waitUntil(
      run().catch((e) =>
        s.log.error(`pos hook ${what} failed`, {
          error: e instanceof Error ? { name: e.name, message: e.message } : String(e),
        }),
      ),
    );

  const auth = new Hono<AppContext>()
    .post("/pos/start", valid("json", PosConnectRequest), async (c) => {
      return c.json(ConnectResponse.parse(await startPosConnect(c.get("services"), c.req.valid("json"))));
    })
    .get("/pos/callback", async (c) => {
      const parsed = CallbackQuery.safeParse(c.req.query());
      const q = parsed.success ? parsed.data : { state: c.req.query("state")?.slice(0, 200), error: "invalid_request" };
      const location = await completePosConnect(c.get("services"), q);
      // The URL carried a code and the redirect a handoff code: keep both out of caches and Referer.
      c.header("cache-control", "no-store");
      c.header("referrer-policy", "no-referrer");
      return c.redirect(location, 302);
    })
    .post("/session", valid("json", SessionExchangeRequest), async (c) => {
      c.header("cache-control", "no-store");
      return c.json(SessionResponse.parse(await exchangeHandoff(c.get("services"), c.req.valid("json"))));
    });

  // requireSession per route: a use("*") here would also guard other sub-apps' /api paths.
  const api = new Hono<ApiContext>()
    .get("/me", requireSession, async (c) => {
      const { db } = c.get("services");
      const { tenantId } = c.get("session");
      const [tenant, pos, qbo, counts] = await Promise.all([
        getTenant(db, tenantId),
        getConnection(db, tenantId, "pos"),
        getConnection(db, tenantId, "qbo"),
        stateCounts(db, tenantId),
      ]);
      const body: MeResponse = {
        tenantId,
        storeName: tenant?.name ?? tenantId,
        pos: statusOf(pos),
        qbo: statusOf(qbo),
        counts: {
          ...zeroCounts(),
          ...Object.fromEntries(Object.entries(counts).filter(([k]) => (SyncState.options as string[]).includes(k))),
        },
      };
      return c.json(MeResponse.parse(body));
    })
    .post("/pos/disconnect", requireSession, async (c) => {
      const session = c.get("session");
      // Routes.posDisconnect answers {ok: true}; the connection's status rides along.
      return c.json({
        ok: true as const,
        pos: await disconnectPos(c.get("services"), session.tenantId, actorOf(session)),
      });
    })
    .post("/closures/:id/counted", requireSession, valid("json", CountedTotalsRequest), async (c) => {
      const s = c.get("services");
      const session = c.get("session");
      const closureId = c.req.param("id");
      const out = await acceptCountedTotals(s, session.tenantId, closureId, c.req.valid("json"), actorOf(session));
      if (out.accepted) later(s, "onCountedTotals", () => hooks.onCountedTotals(session.tenantId, closureId, s));
      return c.json(out);
    });

  const webhooks = new Hono<AppContext>().post("/pos/:tenant/:secret", async (c) => {
    const home = c.get("services");
    const tenantId = c.req.param("tenant");
    // Refusals count per store and secret (the secret only as a digest: counters are not secrets'
    // place): a sender whose deliveries keep being refused waits out the window, and nobody else.
    const sender = `${tenantId.slice(0, 100)}:${(await sha256Hex(c.req.param("secret"))).slice(0, 24)}`;
    const refusals = await hit(home, LIMITS.webhookRefusedPerStoreSecret, sender, { count: false });
    if (!refusals.allowed) throw limited(LIMITS.webhookRefusedPerStoreSecret, refusals);
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_WEBHOOK_BYTES) throw new TillbridgeError("payload_too_large");
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength > MAX_WEBHOOK_BYTES) throw new TillbridgeError("payload_too_large");

    const refuse = async (e: TillbridgeError) => {
      await hit(home, LIMITS.webhookRefusedPerStoreSecret, sender);
      return e;
    };
    // the URL names the store: its rows are in its shard (a store being moved: 503, the POS retries)
    const s = await servicesFor(home, tenantId);
    const tenant = await getTenant(s.db, tenantId);
    if (!tenant) throw await refuse(new TillbridgeError("not_found", "webhook endpoint"));
    if (!(await secretMatches(c.req.param("secret"), tenant.webhook_secret_hash)))
      throw await refuse(new TillbridgeError("webhook_signature_invalid", "unknown webhook secret"));
    if (!(await signatureValid(c.req.header("x-signature"), raw, s.env.POS_CLIENT_SECRET)))
      throw await refuse(new TillbridgeError("webhook_signature_invalid", "X-Signature does not match the body"));
    // Counted per store once the delivery is proven the store's: a stranger cannot spend its budget.
    const budget = await hit(s, LIMITS.webhookPerStore, tenantId);
    if (!budget.allowed) throw limited(LIMITS.webhookPerStore, budget);

    const delivery = readDelivery(new TextDecoder().decode(raw), c.req.query("type"));
    if (delivery.domainPrefix && delivery.domainPrefix !== tenantId)
      throw new TillbridgeError("bad_request", "webhook: domain_prefix is another store's");
    const log = s.log.child({ tenant: tenantId });
    const seen = webhookEventStatement(s.db, tenantId, await sha256Hex(raw), s.now());

    if (delivery.type === "register_closure.create") {
      let closure: ReturnType<typeof announcedClosure>;
      try {
        closure = announcedClosure(delivery.payload);
      } catch (e) {
        if (e instanceof TillbridgeError)
          throw new TillbridgeError(
            "bad_request",
            `webhook: ${e.detail ?? e.code}`,
            e.extra.fields ? { fields: e.extra.fields } : {},
          );
        throw e;
      }
      // One transaction: the event and the closure are recorded together or not at all; a replay
      // re-applies the same figures, which the first-webhook-wins rule makes a no-op.
      const [event] = await s.db.batch([seen, announcedClosureStatement(s.db, tenantId, closure, s.now())]);
      if (event!.meta.changes === 0) return c.json({ ok: true, duplicate: true });
      logDelivery(log, delivery, "closure recorded");
      later(s, "onClosureAnnounced", () => hooks.onClosureAnnounced(tenantId, closure.id, s));
      return c.json({ ok: true, closureId: closure.id });
    }

    const id = delivery.payload.id;
    const [event] = await s.db.batch([seen]);
    if (event!.meta.changes === 0) return c.json({ ok: true, duplicate: true });
    if (!delivery.type || (typeof id !== "string" && typeof id !== "number")) {
      logDelivery(log, delivery, "ignored");
      return c.json({ ok: true, ignored: true });
    }
    logDelivery(log, delivery, "hint");
    later(s, "onPosChange", () => hooks.onPosChange(tenantId, delivery.type!, String(id), s));
    return c.json({ ok: true });
  });

  return new Hono<AppContext>().route("/auth", auth).route("/api", api).route("/webhooks", webhooks);
}
