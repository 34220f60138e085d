/**
 * QBO's per-company limits, on the sandbox clock: 500 requests a minute, 10 a second, and 40 batch
 * requests a minute (qbo-api-notes §4). Answered requests count; throttled ones do not.
 */
import type { SandboxContext } from "./context";

export interface ThrottleLimits {
  perMinute: number;
  perSecond: number;
  batchPerMinute: number;
}

export const QBO_LIMITS: ThrottleLimits = { perMinute: 500, perSecond: 10, batchPerMinute: 40 };

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
  w.all.push(now);
  if (isBatch) w.batch.push(now);
  return false;
}
