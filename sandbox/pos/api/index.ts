import { Hono } from "hono";
import type { TokenRec } from "../oauth";
import { authenticate } from "../oauth";
import type { Runtime } from "../runtime";
import { PosSandboxError } from "../store";
import type { StoreState } from "../types";
import { catalogRoutes } from "./catalog";
import { consignmentRoutes } from "./consignments";
import { contactRoutes } from "./contacts";
import { inventoryRoutes } from "./inventory";
import { liabilityRoutes } from "./liabilities";
import { registerRoutes } from "./registers";
import { saleRoutes } from "./sales";
import { stockRoutes } from "./stock";
import { webhookRoutes } from "./webhooks";

/**
 * The API 2026-07 surface, mounted at `/<domain_prefix>/api/2026-07`. Every call: the store must exist
 * (404), carry a live bearer token for it (401), fit the rate limit (429 with Retry-After as an RFC
 * 1123 date), and may meet an injected fault (500, 429, malformed or truncated JSON).
 */

export type ApiEnv = { Variables: { store: StoreState; token: TokenRec } };

const WINDOW_MS = 300_000;

export function apiRoutes(rt: Runtime) {
  const api = new Hono<ApiEnv>();

  api.use("*", async (c, next) => {
    const prefix = c.req.param("prefix") ?? "";
    const store = rt.store(prefix);
    const token = authenticate(rt, prefix, c.req.header("authorization"));

    const now = rt.now().getTime();
    const limit = rt.rateLimit(store);
    let w = rt.windows[prefix];
    if (!w || now - w.start >= WINDOW_MS) w = rt.windows[prefix] = { start: now, count: 0 };
    const reset = new Date(w.start + WINDOW_MS);
    if (w.count >= limit) {
      return c.json({ error: "Too Many Requests", limit, retry_after: reset.toUTCString() }, 429, {
        "Retry-After": reset.toUTCString(),
        "X-RateLimit-Limit": String(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": String(Math.ceil(reset.getTime() / 1000)),
      });
    }
    w.count++;
    c.header("X-RateLimit-Limit", String(limit));
    c.header("X-RateLimit-Remaining", String(limit - w.count));
    c.header("X-RateLimit-Reset", String(Math.ceil(reset.getTime() / 1000)));

    const fault = rt.takeFault(new URL(c.req.url).pathname);
    if (fault?.kind === "http500") return c.json({ error: "Internal Server Error" }, 500);
    if (fault?.kind === "http429") {
      const retry = new Date(now + 30_000).toUTCString();
      return c.json({ error: "Too Many Requests" }, 429, {
        "Retry-After": retry,
        "X-RateLimit-Limit": String(limit),
        "X-RateLimit-Remaining": "0",
      });
    }
    if (fault?.kind === "malformed")
      return c.body('{"data":[{"id":"5e1f0c2a-', 200, { "content-type": "application/json" });

    c.set("store", store);
    c.set("token", token);
    await next();

    if (fault?.kind === "truncated") {
      const text = await c.res.text();
      const headers = new Headers(c.res.headers);
      headers.delete("content-length");
      c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: c.res.status, headers });
    }
  });

  api.route("/", catalogRoutes());
  api.route("/", registerRoutes(rt));
  api.route("/", saleRoutes());
  api.route("/", contactRoutes());
  api.route("/", stockRoutes());
  api.route("/", consignmentRoutes());
  api.route("/", inventoryRoutes(rt));
  api.route("/", liabilityRoutes());
  api.route("/", webhookRoutes());
  api.all("*", (c) => c.json({ error: "Not Found" }, 404));
  return api;
}

/** How the sandbox answers a thrown error: the POS's `{"error": ...}` with the status it carries. */
export function posError(err: Error): Response {
  if (err instanceof PosSandboxError) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (err.status === 401) headers["www-authenticate"] = 'Bearer realm="Retail POS sandbox"';
    return new Response(JSON.stringify({ error: err.message }), { status: err.status, headers });
  }
  // A malformed amount or quantity in a request (shared/money.ts refuses it) is the caller's mistake.
  if (err.name === "MoneyError")
    return new Response(JSON.stringify({ error: err.message }), {
      status: 400,
      headers: { "content-type": "application/json" },
    });
  return new Response(JSON.stringify({ error: "Internal Server Error", detail: err.message }), {
    status: 500,
    headers: { "content-type": "application/json" },
  });
}
