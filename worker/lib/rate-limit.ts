import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { countRateWindow, peekRateWindow } from "../db/counters";
import type { Services } from "../services";

/**
 * Fixed-window rate limits for the public routes (no session guards them): the OAuth starts and
 * callbacks, the session exchange, and the POS webhooks. Counts live in D1 (`op_counters`, name
 * `rate_limit`, `hour` = the window's start): one atomic upsert per request, exact across isolates,
 * unlike KV's read-then-write. The window ends at a fixed instant, so Retry-After is exact too.
 */

export interface Limit {
  /** Which counter: a route (or group of routes) */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/**
 * The public routes' limits, per client address unless said otherwise. A merchant connects a few
 * times a year; a POS delivers bursts of webhooks for one store, from addresses shared by every store,
 * so webhooks are never counted per address: accepted ones per store, refused ones per store and
 * secret (a stale subscription with a wrong secret waits out its minute; the store's own deliveries,
 * and every other store's, from the same address, go on).
 */
export const LIMITS = {
  posStart: { bucket: "auth-pos-start", limit: 30, windowSeconds: 60 },
  posCallback: { bucket: "auth-pos-callback", limit: 30, windowSeconds: 60 },
  session: { bucket: "auth-session", limit: 30, windowSeconds: 60 },
  qboCallback: { bucket: "auth-qbo-callback", limit: 30, windowSeconds: 60 },
  webhookPerStore: { bucket: "webhook-store", limit: 600, windowSeconds: 60 },
  webhookRefusedPerStoreSecret: { bucket: "webhook-refused", limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, Limit>;

/** The caller's address as Cloudflare's edge states it (a client cannot set it); tools and in-process tests share one bucket. */
export function clientAddress(c: Context): string {
  return (c.req.header("cf-connecting-ip") ?? "").trim().slice(0, 64) || "unknown";
}

const windowStart = (now: Date, seconds: number) => Math.floor(now.getTime() / (seconds * 1000)) * seconds * 1000;

export interface Verdict {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** Counts one request against `limit` for `key`; a D1 failure lets the request through (the route's own guards still apply). */
export async function hit(
  s: Pick<Services, "homeDb" | "now" | "log">,
  limit: Limit,
  key: string,
  opts: { count?: boolean } = {},
): Promise<Verdict> {
  const now = s.now();
  const start = windowStart(now, limit.windowSeconds);
  const retryAfterSeconds = Math.max(1, Math.ceil((start + limit.windowSeconds * 1000 - now.getTime()) / 1000));
  const scope = `rl:${limit.bucket}:${key}`;
  const window = new Date(start).toISOString();
  try {
    const count =
      opts.count === false
        ? await peekRateWindow(s.homeDb, scope, window)
        : await countRateWindow(s.homeDb, scope, window);
    return { allowed: opts.count === false ? count < limit.limit : count <= limit.limit, count, retryAfterSeconds };
  } catch (e) {
    s.log.warn("rate limit not checked", { bucket: limit.bucket, error: e instanceof Error ? e.message : String(e) });
    return { allowed: true, count: 0, retryAfterSeconds };
  }
}

export function limited(limit: Limit, v: Verdict): TillbridgeError {
  return new TillbridgeError(
    "rate_limited",
    `at most ${limit.limit} requests a ${limit.windowSeconds === 60 ? "minute" : `${limit.windowSeconds} s`}`,
    { retryAfterSeconds: v.retryAfterSeconds },
  );
}

/** A route's limit, keyed by the client's address. */
export function rateLimit(limit: Limit) {
  return createMiddleware<AppContext>(async (c, next) => {
    const v = await hit(c.get("services"), limit, clientAddress(c));
    if (!v.allowed) throw limited(limit, v);
    await next();
  });
}
