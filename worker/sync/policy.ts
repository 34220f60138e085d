import { type About, ERRORS, type ErrorCode, type TillbridgeError } from "../../shared/errors";

/**
 * What happens to a sync item after an attempt: pure, so the retry policy is tested on its own.
 * Transient failures back off exponentially with jitter (capped); after MAX_ATTEMPTS a failing
 * item is rejected so nothing retries forever without becoming visible in red.
 */
export const BACKOFF_BASE_SECONDS = 30;
export const BACKOFF_CAP_SECONDS = 3600;
export const MAX_ATTEMPTS = 12;

export type Outcome = (
  | { state: "blocked"; code: ErrorCode; detail: string; blockedOn: string }
  | { state: "failed"; code: ErrorCode; detail: string; nextAttemptAt: Date }
  | { state: "rejected"; code: ErrorCode; detail: string }
) & {
  /** What it is about, for each language to word (`detail` holds the English words) */
  about?: About[];
};

/** Seconds to wait before attempt `attempts + 1`, with ±20 % jitter from `random` ∈ [0, 1). */
export function backoffSeconds(attempts: number, random: number): number {
  const raw = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.floor(raw * (0.8 + 0.4 * random)));
}

/** What a heal key means: the fix that lets a blocked item retry by itself. */
export function blockedOnFor(code: ErrorCode, mappingKey?: string): string {
  switch (code) {
    case "needs_mapping":
    case "qbo_invalid_reference":
      return `mapping:${mappingKey ?? "*"}`;
    case "qbo_not_connected":
    case "qbo_needs_reconnect":
    case "qbo_subscription_lapsed":
    case "qbo_forbidden":
      return "connection:qbo";
    case "pos_not_connected":
    case "pos_needs_reconnect":
      return "connection:pos";
    case "needs_counted_totals":
      return "counted";
    case "closed_period":
      return "period";
    case "waiting_for":
      return `waiting:${mappingKey ?? "*"}`;
    case "not_live":
      return "setup";
    default:
      return "other";
  }
}

/** Decides the next state for an error met while posting. */
export function outcomeOf(
  error: TillbridgeError,
  attempts: number,
  now: Date,
  random: number,
  mappingKey?: string,
): Outcome {
  const info = ERRORS[error.code];
  const detail = error.detail ?? "";
  const about = error.extra.about?.length ? { about: error.extra.about } : {};
  if (info.state === "blocked")
    return { state: "blocked", code: error.code, detail, blockedOn: blockedOnFor(error.code, mappingKey), ...about };
  if (info.state === "rejected" || info.decision === "person")
    return { state: "rejected", code: error.code, detail, ...about };
  if (attempts >= MAX_ATTEMPTS) {
    const gaveUp = `${detail} (gave up after ${attempts} attempts)`.trim();
    return { state: "rejected", code: error.code, detail: gaveUp, ...about };
  }
  const wait =
    info.decision === "wait_then_retry"
      ? Math.max(error.extra.retryAfterSeconds ?? 60, 1)
      : backoffSeconds(attempts, random);
  return { state: "failed", code: error.code, detail, nextAttemptAt: new Date(now.getTime() + wait * 1000), ...about };
}
