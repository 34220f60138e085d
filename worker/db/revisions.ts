import { z } from "zod";
import type { ObjectRef } from "../../shared/sync";

/**
 * Re-sends in progress or done (`revisions`): one row per posted item being replaced, with what has
 * been voided so far, so a replacement that stopped half-way resumes where it stopped and a second
 * click answers what the first one did.
 */

export const RevisionRow = z.object({
  kind: z.string(),
  pos_id: z.string(),
  from_item_id: z.number().int(),
  from_version: z.string(),
  to_version: z.string(),
  status: z.enum(["voiding", "posting", "done"]),
  voided_json: z.string(),
});
export type RevisionRow = z.infer<typeof RevisionRow>;

/** One document taken out of the books by a re-send. */
export const Voided = z.array(
  z.object({
    kind: z.string(),
    posId: z.string(),
    part: z.string(),
    entity: z.string(),
    id: z.string(),
    how: z.enum(["void", "delete", "gone"]),
  }),
);
export type Voided = z.infer<typeof Voided>;

/** The latest revision of an object: replacing `fromVersion`, or one not done yet (`pending`). */
export async function revisionOf(
  db: D1Database,
  tenantId: string,
  ref: ObjectRef,
  where: { fromVersion?: string; pending?: boolean },
): Promise<RevisionRow | null> {
  const row = await db
    .prepare(
      `SELECT * FROM revisions WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND (?4 IS NULL OR from_version = ?4) AND (?5 = 0 OR status != 'done')
       ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(tenantId, ref.kind, ref.posId, where.fromVersion ?? null, where.pending ? 1 : 0)
    .first();
  return row ? RevisionRow.parse(row) : null;
}

/** Starts replacing a posted item by `toVersion` (once: a second start of the same is a no-op). */
export async function startRevision(
  db: D1Database,
  tenantId: string,
  r: { ref: ObjectRef; fromItemId: number; fromVersion: string; toVersion: string; actor: string },
  now: Date,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO revisions (tenant_id, kind, pos_id, from_item_id, from_version, to_version, status, actor, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'voiding', ?7, ?8, ?8) ON CONFLICT DO NOTHING`,
    )
    .bind(tenantId, r.ref.kind, r.ref.posId, r.fromItemId, r.fromVersion, r.toVersion, r.actor, now.toISOString())
    .run();
}

/** Keeps the documents voided so far (in the same batch as their audit entry). */
export function voidedStatement(
  db: D1Database,
  tenantId: string,
  rev: RevisionRow,
  voided: Voided,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE revisions SET voided_json = ?5, updated_at = ?6 WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND from_item_id = ?4",
    )
    .bind(tenantId, rev.kind, rev.pos_id, rev.from_item_id, JSON.stringify(voided), now.toISOString());
}

/** Moves a revision on: voided everything → posting the new version → done. */
export function revisionStatusStatement(
  db: D1Database,
  tenantId: string,
  rev: RevisionRow,
  status: "posting" | "done",
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE revisions SET status = ?6, updated_at = ?5 WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND from_item_id = ?4",
    )
    .bind(tenantId, rev.kind, rev.pos_id, rev.from_item_id, now.toISOString(), status);
}
