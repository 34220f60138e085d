import { countInWindow, dropWindowsBefore, fillWindow } from "../db/qbo-rate";
import { QboError } from "./faults";

/**
 * Per-company request budget in D1 (`qbo_rate`), shared by every request and isolate: Intuit
 * allows 500 requests/min and 10/s per realm, and 40 batch requests/min (qbo-api-notes §4). We
 * stay under with margins and never send a request just to be told 429: when the budget is
 * spent the caller gets qbo_throttled with the seconds to wait.
 *
 * Windows are rows keyed by a prefix and the window's start: "m2026-11-28T12:00" (minute),
 * "b2026-11-28T12:00" (batch requests per minute) and "e2026-11-28T12:00:07.3" (an eighth of a
 * second). The pace is one request per eighth of a second: any sliding second then holds at most 9,
 * which leaves room for the gap between counting a request and its arrival at Intuit. (Calendar
 * seconds of 8 would not: 8 at the end of one second and 8 at the start of the next.)
 */
export const RATE_LIMITS = { perMinute: 450, perEighthSecond: 1, batchPerMinute: 35 };
const EIGHTH_MS = 125;
/** About two seconds of waiting for the pace (a burst of up to 16 requests) before giving up. */
const PACE_TRIES = 16;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const minuteOf = (d: Date) => d.toISOString().slice(0, 16);
const eighthOf = (d: Date) => `${d.toISOString().slice(0, 19)}.${Math.floor(d.getUTCMilliseconds() / EIGHTH_MS)}`;
const secondsLeftInMinute = (d: Date) => Math.max(1, 60 - d.getUTCSeconds());

/**
 * Takes one request slot for `realmId` (a batch request takes a batch slot too). Waits up to about
 * two seconds when only the pace is exceeded (a burst); throws qbo_throttled otherwise.
 */
export async function takeRequestSlot(
  db: D1Database,
  realmId: string,
  now: () => Date,
  opts: { batch?: boolean } = {},
): Promise<void> {
  const at = now();
  if (opts.batch) {
    const b = await countInWindow(db, realmId, `b${minuteOf(at)}`, RATE_LIMITS.batchPerMinute);
    if (!b.ok) throw batchBudgetError(secondsLeftInMinute(at));
  }
  const minute = await countInWindow(db, realmId, `m${minuteOf(at)}`, RATE_LIMITS.perMinute);
  if (!minute.ok) throw throttled("the request budget of this minute is spent", secondsLeftInMinute(at));
  // First request of a new minute: drop the windows of earlier minutes.
  if (minute.n === 1) await dropWindowsBefore(db, realmId, minuteOf(at));
  // The pace comes last, so the request leaves right after the moment it was counted at.
  for (
    let tries = 1, t = now();
    !(await countInWindow(db, realmId, `e${eighthOf(t)}`, RATE_LIMITS.perEighthSecond)).ok;
    tries++, t = now()
  ) {
    if (tries >= PACE_TRIES) throw throttled("more than the per-second pace", 1);
    await sleep(EIGHTH_MS - (t.getUTCMilliseconds() % EIGHTH_MS) + 2);
  }
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
