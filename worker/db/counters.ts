/**
 * Counters an operator reads (GET /ops/counters), and the public routes' rate windows, which share
 * `op_counters` under their own name. Posting outcomes are not counted twice: the audit trail
 * already records every document posted or adopted and every failed, blocked or rejected attempt,
 * and sync_items holds the current states. Only what nothing else records — QBO's 429s, 5xx and
 * answers that never came — is counted here, per QBO realm and UTC hour.
 */

export type HttpCounter = "qbo_429" | "qbo_5xx" | "qbo_no_answer";

const hourOf = (d: Date) => d.toISOString().slice(0, 13);

/** Counting must never fail the call it observes. */
export async function bumpCounter(db: D1Database, scope: string, name: HttpCounter, now: Date): Promise<void> {
  try {
    await db
      .prepare(
        "INSERT INTO op_counters (scope, name, hour, count) VALUES (?1, ?2, ?3, 1) ON CONFLICT (scope, name, hour) DO UPDATE SET count = count + 1",
      )
      .bind(scope, name, hourOf(now))
      .run();
  } catch {
    // a missing table (migration not applied yet) or a D1 hiccup: the call's own outcome matters more
  }
}

export interface PostingCounters {
  /** Items that reached posted in the window */
  posted: number;
  /** Items that needed no document */
  nothingToPost: number;
  /** QBO documents created / found already there and adopted */
  documentsCreated: number;
  documentsAdopted: number;
  /** Attempts that failed transiently (each is retried with backoff) */
  failed: number;
  /** Attempts blocked on a fix (mapping, connection, counted totals, closed period) */
  blocked: number;
  /** Attempts rejected: a person must act */
  rejected: number;
  /** Attempts beyond the first, of the items tried in the window */
  retries: number;
  /** Current states of the items, whenever they were recorded */
  current: Record<string, number>;
}

const ACTIONS: Record<string, keyof PostingCounters> = {
  post: "documentsCreated",
  adopt: "documentsAdopted",
  nothing_to_post: "nothingToPost",
  fail: "failed",
  block: "blocked",
  reject: "rejected",
};

export async function postingCounters(
  db: D1Database,
  tenantId: string,
  since: string,
  until: string,
): Promise<PostingCounters> {
  const [events, posted, retries, states] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT action, COUNT(*) AS n FROM audit_log WHERE tenant_id = ?1 AND at >= ?2 AND at < ?3 AND action IN ('post', 'adopt', 'nothing_to_post', 'fail', 'block', 'reject') GROUP BY action`,
      )
      .bind(tenantId, since, until),
    db
      .prepare(
        "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state IN ('posted', 'superseded') AND posted_at >= ?2 AND posted_at < ?3",
      )
      .bind(tenantId, since, until),
    db
      .prepare(
        "SELECT COALESCE(SUM(attempts - 1), 0) AS n FROM sync_items WHERE tenant_id = ?1 AND attempts > 1 AND last_attempt_at >= ?2 AND last_attempt_at < ?3",
      )
      .bind(tenantId, since, until),
    db
      .prepare(
        "SELECT state, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state != 'superseded' GROUP BY state",
      )
      .bind(tenantId),
  ]);
  const out: PostingCounters = {
    posted: 0,
    nothingToPost: 0,
    documentsCreated: 0,
    documentsAdopted: 0,
    failed: 0,
    blocked: 0,
    rejected: 0,
    retries: 0,
    current: {},
  };
  for (const r of events!.results as { action: string; n: number }[]) {
    const key = ACTIONS[r.action];
    if (key && key !== "current") (out[key] as number) = r.n;
  }
  out.posted = (posted!.results[0] as { n: number } | undefined)?.n ?? 0;
  out.retries = (retries!.results[0] as { n: number } | undefined)?.n ?? 0;
  for (const r of states!.results as { state: string; n: number }[]) out.current[r.state] = r.n;
  return out;
}

export function addPostingCounters(a: PostingCounters, b: PostingCounters): PostingCounters {
  const current = { ...a.current };
  for (const [k, v] of Object.entries(b.current)) current[k] = (current[k] ?? 0) + v;
  return {
    posted: a.posted + b.posted,
    nothingToPost: a.nothingToPost + b.nothingToPost,
    documentsCreated: a.documentsCreated + b.documentsCreated,
    documentsAdopted: a.documentsAdopted + b.documentsAdopted,
    failed: a.failed + b.failed,
    blocked: a.blocked + b.blocked,
    rejected: a.rejected + b.rejected,
    retries: a.retries + b.retries,
    current,
  };
}

/** HTTP counters per scope (QBO realm) over the hours touching [since, until); the rate limiter's windows share the table, not the names. */
export async function httpCounters(
  db: D1Database,
  since: string,
  until: string,
): Promise<{ scope: string; name: string; count: number }[]> {
  const { results } = await db
    .prepare(
      "SELECT scope, name, SUM(count) AS count FROM op_counters WHERE name IN ('qbo_429', 'qbo_5xx', 'qbo_no_answer') AND hour >= ?1 AND hour <= ?2 GROUP BY scope, name ORDER BY scope, name",
    )
    .bind(since.slice(0, 13), until.slice(0, 13))
    .all<{ scope: string; name: string; count: number }>();
  return results;
}

/**
 * The public routes' fixed windows (lib/rate-limit.ts) share the table under one name, `hour`
 * holding the window's start.
 */
export const RATE_COUNTER = "rate_limit";

/** Counts one request in a rate window; returns the window's count with it. */
export async function countRateWindow(db: D1Database, scope: string, window: string): Promise<number> {
  const row = await db
    .prepare(
      "INSERT INTO op_counters (scope, name, hour, count) VALUES (?1, ?2, ?3, 1) ON CONFLICT (scope, name, hour) DO UPDATE SET count = count + 1 RETURNING count",
    )
    .bind(scope, RATE_COUNTER, window)
    .first<{ count: number }>();
  return row?.count ?? 0;
}

/** A rate window's count so far, without counting. */
export async function peekRateWindow(db: D1Database, scope: string, window: string): Promise<number> {
  const row = await db
    .prepare("SELECT count FROM op_counters WHERE scope = ?1 AND name = ?2 AND hour = ?3")
    .bind(scope, RATE_COUNTER, window)
    .first<{ count: number }>();
  return row?.count ?? 0;
}

/** Windows over an hour old are of no use: the cron drops them. */
export async function purgeRateWindows(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare("DELETE FROM op_counters WHERE name = ?1 AND hour < ?2")
    .bind(RATE_COUNTER, new Date(now.getTime() - 3600_000).toISOString())
    .run();
}
