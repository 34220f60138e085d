import { z } from "zod";
import type { ObjectKind } from "../../shared/sync";

/**
 * Backfills in D1 (`backfills`, `backfill_items`): the range, the merchant's choice for unknown
 * counted totals, the objects in posting order and which sync item each became. Progress is read
 * from the sync items themselves, so a posting that heals later (a mapping fixed) moves the bar.
 */

export type BackfillStatus = "running" | "paused" | "done" | "cancelled";
export type CountedPolicy = "expected" | "wait";

export const BackfillRow = z.object({
  id: z.number().int(),
  tenant_id: z.string(),
  from_date: z.string(),
  to_date: z.string(),
  status: z.enum(["running", "paused", "done", "cancelled"]),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  counted_policy: z.enum(["expected", "wait"]),
  phase: z.enum(["planning", "posting", "finished"]),
  run_started_at: z.string().nullable(),
  run_settled_start: z.number().int(),
  note: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type BackfillRow = z.infer<typeof BackfillRow>;

const parse = (r: unknown) => BackfillRow.parse(r);

export async function createBackfill(
  db: D1Database,
  b: { tenantId: string; from: string; to: string; countedPolicy: CountedPolicy; createdBy: string },
  now: Date,
): Promise<BackfillRow> {
  const at = now.toISOString();
  const row = await db
    .prepare(
      `INSERT INTO backfills (tenant_id, from_date, to_date, status, counted_policy, phase, created_by, created_at, updated_at, run_started_at)
       VALUES (?1, ?2, ?3, 'running', ?4, 'planning', ?5, ?6, ?6, ?6) RETURNING *`,
    )
    .bind(b.tenantId, b.from, b.to, b.countedPolicy, b.createdBy, at)
    .first();
  return parse(row);
}

export async function latestBackfill(db: D1Database, tenantId: string): Promise<BackfillRow | null> {
  const row = await db
    .prepare("SELECT * FROM backfills WHERE tenant_id = ?1 ORDER BY id DESC LIMIT 1")
    .bind(tenantId)
    .first();
  return row ? parse(row) : null;
}

export async function backfillById(db: D1Database, id: number): Promise<BackfillRow | null> {
  const row = await db.prepare("SELECT * FROM backfills WHERE id = ?1").bind(id).first();
  return row ? parse(row) : null;
}

/** The tenant's running or paused backfill (at most one: starting another cancels a paused one). */
export async function activeBackfill(db: D1Database, tenantId: string): Promise<BackfillRow | null> {
  const row = await db
    .prepare(
      "SELECT * FROM backfills WHERE tenant_id = ?1 AND status IN ('running', 'paused') ORDER BY id DESC LIMIT 1",
    )
    .bind(tenantId)
    .first();
  return row ? parse(row) : null;
}

/** Running and paused backfills of every tenant, and those changed since `since`: newest first, 100 at most. */
export async function recentBackfills(db: D1Database, since: Date): Promise<BackfillRow[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM backfills WHERE status IN ('running', 'paused') OR updated_at >= ?1 ORDER BY id DESC LIMIT 100",
    )
    .bind(since.toISOString())
    .all();
  return results.map(parse);
}

export async function tenantsWithRunningBackfills(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT tenant_id AS t FROM backfills WHERE status = 'running' ORDER BY tenant_id")
    .all<{ t: string }>();
  return results.map((r) => r.t);
}

/** Moves a backfill from one of `from` to `to`; false when it was not in one of them (a race). */
export async function setStatus(
  db: D1Database,
  id: number,
  from: BackfillStatus[],
  to: BackfillStatus,
  now: Date,
  settled?: number,
): Promise<boolean> {
  const at = now.toISOString();
  const res = await db
    .prepare(
      `UPDATE backfills SET status = ?2, updated_at = ?3,
         run_started_at = CASE WHEN ?2 = 'running' THEN ?3 ELSE run_started_at END,
         run_settled_start = CASE WHEN ?2 = 'running' AND ?4 IS NOT NULL THEN ?4 ELSE run_settled_start END,
         finished_at = CASE WHEN ?2 IN ('done', 'cancelled') THEN ?3 ELSE finished_at END,
         phase = CASE WHEN ?2 = 'done' THEN 'finished' ELSE phase END
       WHERE id = ?1 AND status IN (SELECT value FROM json_each(?5))`,
    )
    .bind(id, to, at, settled ?? null, JSON.stringify(from))
    .run();
  return (res.meta.changes ?? 0) === 1;
}

export async function setNote(db: D1Database, id: number, note: string | null, now: Date): Promise<void> {
  await db
    .prepare("UPDATE backfills SET note = ?2, updated_at = ?3 WHERE id = ?1")
    .bind(id, note ? note.slice(0, 1000) : null, now.toISOString())
    .run();
}

/** One object of a backfill, in posting order. */
export interface PlannedObject {
  kind: ObjectKind;
  posId: string;
  businessDate: string;
  /** Its sync item, when one already exists and the backfill only follows it */
  syncItemId: number | null;
  maybePosted: boolean;
}

/** Writes the plan and moves to posting, with the ETA's clock starting now. */
export async function savePlan(
  db: D1Database,
  id: number,
  objects: readonly PlannedObject[],
  now: Date,
): Promise<void> {
  const stmts: D1PreparedStatement[] = [db.prepare("DELETE FROM backfill_items WHERE backfill_id = ?1").bind(id)];
  // 5 parameters a row besides the backfill id; D1 binds at most 100 per statement
  for (let i = 0; i < objects.length; i += 16) {
    const chunk = objects.slice(i, i + 16);
    const marks = chunk
      .map((_, k) => `(?1, ${i + k}, ?${k * 5 + 2}, ?${k * 5 + 3}, ?${k * 5 + 4}, ?${k * 5 + 5}, ?${k * 5 + 6})`)
      .join(", ");
    const values = chunk.flatMap((o) => [o.kind, o.posId, o.businessDate, o.syncItemId, o.maybePosted ? 1 : 0]);
    stmts.push(
      db
        .prepare(
          `INSERT INTO backfill_items (backfill_id, seq, kind, pos_id, business_date, sync_item_id, maybe_posted) VALUES ${marks}`,
        )
        .bind(id, ...values),
    );
  }
  const at = now.toISOString();
  stmts.push(
    db
      .prepare("UPDATE backfills SET phase = 'posting', total = ?2, note = NULL, updated_at = ?3 WHERE id = ?1")
      .bind(id, objects.length, at),
  );
  for (let i = 0; i < stmts.length; i += 50) await db.batch(stmts.slice(i, i + 50));
  const p = await progressOf(db, id);
  await db
    .prepare("UPDATE backfills SET run_started_at = ?2, run_settled_start = ?3 WHERE id = ?1")
    .bind(id, at, p.done + p.failed)
    .run();
}

export interface BackfillItemRow {
  seq: number;
  kind: ObjectKind;
  pos_id: string;
  business_date: string;
  sync_item_id: number | null;
  maybe_posted: number;
}

/** The next objects the backfill has not released yet, in order. */
export async function nextUnreleased(db: D1Database, id: number, limit: number): Promise<BackfillItemRow[]> {
  const { results } = await db
    .prepare(
      "SELECT seq, kind, pos_id, business_date, sync_item_id, maybe_posted FROM backfill_items WHERE backfill_id = ?1 AND sync_item_id IS NULL ORDER BY seq LIMIT ?2",
    )
    .bind(id, limit)
    .all<BackfillItemRow>();
  return results;
}

export async function linkItem(
  db: D1Database,
  id: number,
  kind: string,
  posId: string,
  syncItemId: number,
): Promise<void> {
  await db
    .prepare("UPDATE backfill_items SET sync_item_id = ?4 WHERE backfill_id = ?1 AND kind = ?2 AND pos_id = ?3")
    .bind(id, kind, posId, syncItemId)
    .run();
}

export interface Progress {
  total: number;
  /** Posted, nothing to post, or replaced by a newer posting */
  done: number;
  /** Waiting for a person or a fix: blocked or rejected */
  failed: number;
  /** Not released yet, due, being posted, or failed transiently (retried by itself) */
  remaining: number;
  unreleased: number;
}

export async function progressOf(db: D1Database, id: number): Promise<Progress> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS total,
         COALESCE(SUM(CASE WHEN s.state IN ('posted', 'not_applicable', 'superseded') THEN 1 ELSE 0 END), 0) AS done,
         COALESCE(SUM(CASE WHEN s.state IN ('blocked', 'rejected') THEN 1 ELSE 0 END), 0) AS failed,
         COALESCE(SUM(CASE WHEN b.sync_item_id IS NULL THEN 1 ELSE 0 END), 0) AS unreleased
       FROM backfill_items AS b LEFT JOIN sync_items AS s ON s.id = b.sync_item_id
       WHERE b.backfill_id = ?1`,
    )
    .bind(id)
    .first<{ total: number; done: number; failed: number; unreleased: number }>();
  const total = row?.total ?? 0;
  const done = row?.done ?? 0;
  const failed = row?.failed ?? 0;
  return { total, done, failed, remaining: total - done - failed, unreleased: row?.unreleased ?? 0 };
}

/** Keeps the row's numbers in step (what an operator reads in D1 without the join). */
export async function saveProgress(db: D1Database, id: number, p: Progress, now: Date): Promise<void> {
  await db
    .prepare("UPDATE backfills SET total = ?2, done = ?3, failed = ?4, updated_at = ?5 WHERE id = ?1")
    .bind(id, p.total, p.done, p.failed, now.toISOString())
    .run();
}

/**
 * Seconds left at the pace observed since it last started or resumed (null until something was
 * settled in this run): the pace already includes QBO's rate limit and the cron's rhythm.
 */
export function etaSeconds(
  row: Pick<BackfillRow, "status" | "run_started_at" | "run_settled_start">,
  p: Progress,
  now: Date,
): number | null {
  if (row.status !== "running" || p.remaining === 0 || !row.run_started_at) return null;
  const settled = p.done + p.failed - row.run_settled_start;
  const elapsed = (now.getTime() - Date.parse(row.run_started_at)) / 1000;
  if (settled <= 0 || elapsed <= 0) return null;
  return Math.ceil((p.remaining * elapsed) / settled);
}
