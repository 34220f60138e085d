/**
 * QBO's per-company limits (qbo-api-notes §4), on the sandbox clock: 500 requests in any 60 s, 10 in any
 * 1 s, at most 10 in flight at once (Intuit's older concurrency rule, still the natural ceiling when each
 * request takes a round trip), and 40 batch requests in any 60 s. A batch counts as one request towards
 * the 500 and the 10; its items are limited to 30 (batch.ts). Answered requests count; throttled ones do
 * not. Every limit answers 429 with fault 3001.
 */
import type { SandboxContext } from "./context";

export interface ThrottleLimits {
  perMinute: number;
  perSecond: number;
  batchPerMinute: number;
  /** Requests of one company between arrival and answer; default 10 */
  maxConcurrent?: number | undefined;
}

export const QBO_LIMITS: ThrottleLimits = { perMinute: 500, perSecond: 10, batchPerMinute: 40, maxConcurrent: 10 };

/** Whether this request goes over a limit; if not, it is counted. */
export function overLimit(
  ctx: SandboxContext,
  limits: ThrottleLimits | false,
  realmId: string,
  isBatch: boolean,
): boolean {
  if (!limits) return false;
  const now = ctx.now().getTime();
  const w = ctx.throttle.get(realmId) ?? { all: [], batch: [] };
  w.all = w.all.filter((t) => t > now - 60_000 && t <= now);
  w.batch = w.batch.filter((t) => t > now - 60_000 && t <= now);
  ctx.throttle.set(realmId, w);
  const lastSecond = w.all.filter((t) => t > now - 1000).length;
  if (w.all.length >= limits.perMinute || lastSecond >= limits.perSecond) return true;
  if (isBatch && w.batch.length >= limits.batchPerMinute) return true;
  // The request itself is already counted in flight.
  if ((ctx.inFlight.get(realmId) ?? 0) > (limits.maxConcurrent ?? 10)) return true;
  w.all.push(now);
  if (isBatch) w.batch.push(now);
  return false;
}
