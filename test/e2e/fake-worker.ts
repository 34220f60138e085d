import { createHash, randomBytes } from "node:crypto";
import { Hono } from "hono";
import {
  CountedTotalsRequest,
  PosConnectRequest,
  SessionExchangeRequest,
  StatusRequest,
  SendRequest,
} from "../../shared/api";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";

/**
 * A stand-in for the Worker's HTTP API, ONLY for the extension's fast e2e while the real routes are
 * being written: requests are validated with the same shared/api.ts schemas, answers follow the
 * contract. The lead's full-stack e2e runs the real Worker instead.
 */
export function createFakeWorker(opts: { origin: () => string }) {
  const app = new Hono();
  const handoffs = new Map<string, string>(); // code → nonceHash
  const sessions = new Set<string>();
  const states = new Map<string, ObjectStatus>();
  const log: { route: string; body: unknown }[] = [];
  let sendsHeld: Promise<void> | undefined;
  const key = (r: ObjectRef) => `${r.kind}:${r.posId}`;
  const unknown = (r: ObjectRef): ObjectStatus => ({ ...r, state: "unknown", docs: [], attempts: 0 });
  const posted = (r: ObjectRef, entity: "SalesReceipt" | "Bill", id: string): ObjectStatus => ({
    ...r,
    state: "posted",
    attempts: 1,
    docs: [
      {
        part: entity === "Bill" ? "bill" : "sales",
        entity,
        id,
        docNumber: `TB-${id}`,
        url: `${opts.origin()}/qbo/${entity}/${id}`,
      },
    ],
  });
  const err = (code: string, status: 400 | 401 | 404) =>
    Response.json({ error: { code, message: code, action: "" } }, { status });

  app.use("/api/*", async (c, next) => {
    const token = c.req.header("authorization")?.replace(/^Bearer /, "");
    if (!token || !sessions.has(token)) return err("unauthorized", 401);
    await next();
  });

  app.post("/auth/pos/start", async (c) => {
    const body = PosConnectRequest.parse(await c.req.json());
    const code = randomBytes(24).toString("hex");
    handoffs.set(code, body.nonceHash);
    log.push({ route: "posStart", body });
    // The "consent page": approves at once and sends the browser back to the extension.
    return c.json({
      authorizeUrl: `${opts.origin()}/consent?to=${encodeURIComponent(`${body.returnTo}#code=${code}`)}`,
    });
  });
  app.get("/consent", (c) => c.redirect(c.req.query("to")!, 302));
  app.post("/auth/session", async (c) => {
    const body = SessionExchangeRequest.parse(await c.req.json());
    const expected = handoffs.get(body.code);
    if (!expected || createHash("sha256").update(body.nonce).digest("hex") !== expected)
      return err("oauth_state_invalid", 400);
    handoffs.delete(body.code);
    const session = `tbs_${randomBytes(16).toString("hex")}`;
    sessions.add(session);
    return c.json({ session, tenantId: "tenant-demo", storeName: "Boutique Démo", expiresAt: "2099-01-01T00:00:00Z" });
  });

  app.get("/api/me", (c) =>
    c.json({
      tenantId: "tenant-demo",
      storeName: "Boutique Démo",
      pos: { status: "connected", displayName: "Boutique Démo", externalId: "demo" },
      qbo: { status: "not_connected" },
      counts: {},
    }),
  );
  app.post("/api/status", async (c) => {
    const { objects } = StatusRequest.parse(await c.req.json());
    log.push({ route: "status", body: objects });
    return c.json({ objects: objects.map((o) => states.get(key(o)) ?? unknown(o)) });
  });
  app.post("/api/sync/send", async (c) => {
    const ref = SendRequest.parse(await c.req.json());
    log.push({ route: "send", body: ref });
    await sendsHeld; // while the test holds sends (holdSends), a second click lands with the first in flight
    const s = states.get(key(ref)) ?? posted(ref, "Bill", String(states.size + 100));
    states.set(key(ref), s);
    return c.json({ object: s });
  });
  app.post("/api/sync/retry", async (c) => {
    const ref = SendRequest.parse(await c.req.json());
    log.push({ route: "retry", body: ref });
    const s: ObjectStatus = { ...ref, state: "posting", docs: [], attempts: 2 };
    states.set(key(ref), s);
    // The job settles a moment later; the badge follows it.
    setTimeout(() => states.set(key(ref), posted(ref, "SalesReceipt", "500")), 1500);
    return c.json({ object: s });
  });
  app.post("/api/closures/:id/counted", async (c) => {
    const body = CountedTotalsRequest.parse(await c.req.json());
    log.push({ route: "counted", body: { id: c.req.param("id"), ...body } });
    return c.json({ ok: true, counted: String(body.payments.length) });
  });
  app.get("/qbo/:entity/:id", (c) => c.html(`<h1>${c.req.param("entity")} ${c.req.param("id")}</h1>`));

  /** Holds every send's answer until the returned function is called: no race with the machine's speed. */
  const holdSends = (): (() => void) => {
    let release!: () => void;
    sendsHeld = new Promise<void>((r) => (release = r));
    return () => {
      sendsHeld = undefined;
      release();
    };
  };

  return { app, states, log, holdSends };
}
