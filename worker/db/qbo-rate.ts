/**
 * QBO's per-company request windows (`qbo_rate`): one row per realm and window start, counted by an
 * atomic upsert so every isolate shares the budget. The windows' meaning is qbo/rate.ts's.
 */

/** Counts one request in a window if it is under `limit`; not ok when the window is full. */
export async function countInWindow(
  db: D1Database,
  realmId: string,
  window: string,
  limit: number,
): Promise<{ ok: boolean; n: number }> {
  const row = await db
    .prepare(
      `INSERT INTO qbo_rate (realm_id, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (realm_id, window_start) DO UPDATE SET count = count + 1 WHERE count < ?3
       RETURNING count`,
    )
    .bind(realmId, window, limit)
    .first<{ count: number }>();
  return row ? { ok: true, n: row.count } : { ok: false, n: limit };
}

/** The row holding a realm's pace: the time (ms) of the last request slot handed out. */
export const PACE_ROW = "p";

/**
 * A ticket for the next request slot of a realm: `spacingMs` after the last one handed out, or
 * `nowMs` if that is later. One atomic upsert, so callers in every isolate queue in order.
 */
export async function claimPaceSlot(
  db: D1Database,
  realmId: string,
  nowMs: number,
  spacingMs: number,
): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO qbo_rate (realm_id, window_start, count) VALUES (?1, ?2, ?3)
       ON CONFLICT (realm_id, window_start) DO UPDATE SET count = max(count + ?4, ?3)
       RETURNING count`,
    )
    .bind(realmId, PACE_ROW, nowMs, spacingMs)
    .first<{ count: number }>();
  return row?.count ?? nowMs;
}

/**
 * Counts one request in the sliding window made of the buckets from `firstBucket` to `bucket` (keys
 * that sort by time) if their sum is under `limit`; not ok (nothing counted) when it is not. One
 * statement, so every isolate shares the count.
 */
export async function countInSlidingWindow(
  db: D1Database,
  realmId: string,
  bucket: string,
  firstBucket: string,
  limit: number,
): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO qbo_rate (realm_id, window_start, count)
       SELECT ?1, ?2, 1 WHERE (SELECT COALESCE(SUM(count), 0) FROM qbo_rate
         WHERE realm_id = ?1 AND window_start >= ?3 AND window_start <= ?2) < ?4
       ON CONFLICT (realm_id, window_start) DO UPDATE SET count = count + 1
       RETURNING count`,
    )
    .bind(realmId, bucket, firstBucket, limit)
    .first<{ count: number }>();
  return row !== null;
}

/** Drops a realm's windows that started before `minute` (any prefix: the start follows one letter; not the pace row). */
export async function dropWindowsBefore(db: D1Database, realmId: string, minute: string): Promise<void> {
  await db
    .prepare("DELETE FROM qbo_rate WHERE realm_id = ?1 AND substr(window_start, 2) < ?2 AND window_start != 'p'")
    .bind(realmId, minute)
    .run();
}

/** Fills a window to `count` at least (QBO said 429 anyway: nobody sends in it any more). */
export async function fillWindow(db: D1Database, realmId: string, window: string, count: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO qbo_rate (realm_id, window_start, count) VALUES (?1, ?2, ?3)
       ON CONFLICT (realm_id, window_start) DO UPDATE SET count = max(count, ?3)`,
    )
    .bind(realmId, window, count)
    .run();
}
