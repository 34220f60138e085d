import { claimPaceSlot, countInSlidingWindow, countInWindow, dropWindowsBefore, fillWindow } from "../db/qbo-rate";
import { QboError } from "./faults";

/**
 * Per-company request budget in D1 (`qbo_rate`), shared by every request and isolate: Intuit
 * allows 500 requests/min and 10/s per realm, and 40 batch requests/min (qbo-api-notes §4). We
 * stay under with margins and never send a request just to be told 429: when the budget is
 * spent the caller gets qbo_throttled with the seconds to wait.
 *
 * Windows are rows keyed by a prefix and the window's start: "m2026-11-28T12:00" (minute) and
 * "b2026-11-28T12:00" (batch requests per minute). The pace is one request per eighth of a second,
 * handed out as tickets (row "p": the last slot given): a request waits for its slot, so callers
 * queue in order instead of racing for each eighth (with several postings in flight, a race let
 * one caller lose often enough to give up), and any sliding second holds at most 8, which leaves
 * room for the gap between a slot and the request's arrival at Intuit.
 *
 * Intuit's 40 batches are counted in any 60 s, not per calendar minute: 35 at the end of one minute
 * and 35 at the start of the next were 70 in a minute's span (a 429 seen in the bench). So batches
 * are counted in 6-second buckets ("c2026-11-28T12:00:06"), and a batch goes only while the buckets
 * of the last 66 s hold fewer than 35; otherwise its creates go as single requests. The windows of
 * the two previous minutes are kept for that.
 */
export const RATE_LIMITS = { perMinute: 450, perEighthSecond: 1, batchPerMinute: 35 };
const EIGHTH_MS = 125;
/** 60 s / 1.7 s: at most 36 batch slots in any 60 s, under Intuit's 40 */
/** The batch window's buckets, six seconds each */
const BATCH_BUCKET_MS = 6_000;
/**
 * How far back the batch window reaches: Intuit's 60 s and one bucket more, because a batch is
 * counted when its slot is asked for and reaches Intuit after the request pace's wait (up to 4 s).
 */
const BATCH_WINDOW_MS = 66_000;
/** At most this long in the pace's queue (about 32 requests ahead) before giving up for now. */
const MAX_PACE_WAIT_MS = 4_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const minuteOf = (d: Date) => d.toISOString().slice(0, 16);
const secondsLeftInMinute = (d: Date) => Math.max(1, 60 - d.getUTCSeconds());

/**
 * Takes one request slot for `realmId` (a batch request takes a batch slot too). Waits for its turn
 * in the pace (up to 4 s: a burst); throws qbo_throttled when a budget is spent or the queue is longer.
 */
export async function takeRequestSlot(
  db: D1Database,
  realmId: string,
  now: () => Date,
  opts: { batch?: boolean } = {},
): Promise<void> {
  const at = now();
  if (opts.batch) {
    const bucket = (ms: number) => `c${new Date(ms - (ms % BATCH_BUCKET_MS)).toISOString().slice(0, 19)}`;
    const t = at.getTime();
    const ok = await countInSlidingWindow(
      db,
      realmId,
      bucket(t),
      bucket(t - BATCH_WINDOW_MS),
      RATE_LIMITS.batchPerMinute,
    );
    if (!ok) throw batchBudgetError(Math.ceil(BATCH_BUCKET_MS / 1000));
  }
  const minute = await countInWindow(db, realmId, `m${minuteOf(at)}`, RATE_LIMITS.perMinute);
  if (!minute.ok) throw throttled("the request budget of this minute is spent", secondsLeftInMinute(at));
  // First request of a new minute: drop the windows of the minutes before the two previous ones
  // (their batch buckets may still be inside the batch window).
  if (minute.n === 1) await dropWindowsBefore(db, realmId, minuteOf(new Date(at.getTime() - 120_000)));
  // The pace comes last: a ticket for the next free eighth of a second, first come first served
  // across isolates, so a request leaves at the moment it was given (never more than 8 in a second).
  const slot = await claimPaceSlot(db, realmId, now().getTime(), EIGHTH_MS);
  const wait = slot - now().getTime();
  if (wait > MAX_PACE_WAIT_MS) throw throttled("more than the per-second pace", Math.ceil(wait / 1000));
  if (wait > 0) await sleep(wait);
}

const batchBudgetSpent = new WeakSet<object>();

/** This minute's batch budget is spent (nothing was sent): qbo_throttled, recognised by isBatchBudgetSpent. */
export function batchBudgetError(seconds: number): QboError {
  const e = throttled("the batch budget of this minute is spent", seconds);
  batchBudgetSpent.add(e);
  return e;
}

/** Whether `e` is this minute's batch budget being spent: nothing was sent, single requests may still go. */
export const isBatchBudgetSpent = (e: unknown): boolean =>
  typeof e === "object" && e !== null && batchBudgetSpent.has(e);

/** QBO answered 429 anyway (another app, another deployment): close this minute for everyone. */
export async function noteThrottled(db: D1Database, realmId: string, now: Date): Promise<void> {
  await fillWindow(db, realmId, `m${minuteOf(now)}`, RATE_LIMITS.perMinute);
}

function throttled(why: string, seconds: number): QboError {
  return new QboError(
    "qbo_throttled",
    `Tillbridge's own limit: ${why}`,
    { errors: [], outcomeUnknown: false },
    { retryAfterSeconds: seconds },
  );
}
