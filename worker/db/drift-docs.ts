import { z } from "zod";

/**
 * What the drift check (sync/drift.ts) found of each posted document (`drift_docs`): the baseline
 * read back first, its status since (ok, edited, voided, deleted), and for an invoice the amount
 * paid on it in QBO rather than in the POS. Badges and the drift report read it, never QBO.
 */

export type DriftStatus = "ok" | "edited" | "deleted" | "voided";

/** A posted document of a current posting, with what the last check found of it (nothing yet: nulls). */
export const DriftCandidate = z.object({
  item_id: z.number().int(),
  kind: z.string(),
  pos_id: z.string(),
  pos_version: z.string(),
  part: z.string(),
  entity: z.string(),
  qbo_id: z.string(),
  doc_number: z.string().nullable(),
  baseline_json: z.string().nullable(),
  status: z.enum(["ok", "edited", "deleted", "voided"]).nullable(),
  detail: z.string().nullable(),
});
export type DriftCandidate = z.infer<typeof DriftCandidate>;

/** Records that are not transactions (customers, vendors) are never checked. */
const PARTIES = ["Customer", "Vendor"];

/**
 * The next documents to check: never-checked first, then those checked longest ago; documents
 * found deleted are not read again (a re-send replaces them).
 */
export async function driftCandidates(
  db: D1Database,
  tenantId: string,
  limit: number,
  only?: { kind: string; posId: string },
): Promise<DriftCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id AS item_id, s.kind, s.pos_id, s.pos_version, json_extract(j.value, '$.part') AS part, json_extract(j.value, '$.entity') AS entity,
              json_extract(j.value, '$.id') AS qbo_id, json_extract(j.value, '$.docNumber') AS doc_number, d.baseline_json, d.status, d.detail
       FROM sync_items AS s JOIN json_each(s.docs_json) AS j
       LEFT JOIN drift_docs AS d ON d.tenant_id = s.tenant_id AND d.entity = json_extract(j.value, '$.entity') AND d.qbo_id = json_extract(j.value, '$.id')
       WHERE s.tenant_id = ?1 AND s.state = 'posted' AND json_extract(j.value, '$.entity') NOT IN ('${PARTIES.join("', '")}')
         AND (d.status IS NULL OR d.status != 'deleted')
         AND (?3 IS NULL OR (s.kind = ?3 AND s.pos_id = ?4))
       ORDER BY d.checked_at IS NOT NULL, d.checked_at, s.id, j.key
       LIMIT ?2`,
    )
    .bind(tenantId, limit, only?.kind ?? null, only?.posId ?? null)
    .all();
  return results.map((r) => DriftCandidate.parse(r));
}

export interface DriftCheck {
  status: DriftStatus;
  detail: string | null;
  /** What was posted, as first read back (kept once set) */
  baselineJson: string | null;
  syncToken: string | null;
  checkedAt: string;
  /** When the status changed in this check (kept otherwise) */
  flaggedAt: string | null;
}

/** Stores one check of a document (first check: its row). */
export function driftCheckStatement(
  db: D1Database,
  tenantId: string,
  c: DriftCandidate,
  check: DriftCheck,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO drift_docs (tenant_id, entity, qbo_id, item_id, kind, pos_id, part, doc_number, baseline_json, sync_token, status, detail, checked_at, flagged_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
       ON CONFLICT (tenant_id, entity, qbo_id) DO UPDATE SET item_id = excluded.item_id, baseline_json = COALESCE(drift_docs.baseline_json, excluded.baseline_json),
         sync_token = excluded.sync_token, status = excluded.status, detail = excluded.detail, checked_at = excluded.checked_at,
         flagged_at = COALESCE(excluded.flagged_at, drift_docs.flagged_at)`,
    )
    .bind(
      tenantId,
      c.entity,
      c.qbo_id,
      c.item_id,
      c.kind,
      c.pos_id,
      c.part,
      c.doc_number,
      check.baselineJson,
      check.syncToken,
      check.status,
      check.detail,
      check.checkedAt,
      check.flaggedAt,
    );
}

/** What was last found paid in QBO on a document (an invoice), in cents; null: nothing. */
export async function paidInQbo(
  db: D1Database,
  tenantId: string,
  entity: string,
  qboId: string,
): Promise<number | null> {
  const row = await db
    .prepare("SELECT paid_in_qbo_minor FROM drift_docs WHERE tenant_id = ?1 AND entity = ?2 AND qbo_id = ?3")
    .bind(tenantId, entity, qboId)
    .first<{ paid_in_qbo_minor: number | null }>();
  return row?.paid_in_qbo_minor ?? null;
}

export async function setPaidInQbo(
  db: D1Database,
  tenantId: string,
  entity: string,
  qboId: string,
  minor: number | null,
): Promise<void> {
  await db
    .prepare("UPDATE drift_docs SET paid_in_qbo_minor = ?4 WHERE tenant_id = ?1 AND entity = ?2 AND qbo_id = ?3")
    .bind(tenantId, entity, qboId, minor)
    .run();
}

/** A document of a current posting that needs a word on its object's badge. */
export interface DriftNoteRow {
  kind: string;
  pos_id: string;
  entity: string;
  qbo_id: string;
  doc_number: string | null;
  status: DriftStatus;
  detail: string | null;
  paid_in_qbo_minor: number | null;
}

/** One query for every object on a page: its current posting's flagged documents, and those paid in QBO. */
export async function driftNotes(
  db: D1Database,
  tenantId: string,
  objects: readonly { kind: string; posId: string }[],
): Promise<DriftNoteRow[]> {
  const { results } = await db
    .prepare(
      `WITH wanted AS MATERIALIZED (SELECT DISTINCT json_extract(value, '$.kind') AS kind, json_extract(value, '$.posId') AS pos_id FROM json_each(?2))
       SELECT d.kind, d.pos_id, d.entity, d.qbo_id, d.doc_number, d.status, d.detail, d.paid_in_qbo_minor FROM wanted AS w
       CROSS JOIN drift_docs AS d ON d.tenant_id = ?1 AND d.kind = w.kind AND d.pos_id = w.pos_id
       JOIN sync_items AS s ON s.id = d.item_id AND s.state = 'posted'
       WHERE d.status != 'ok' OR d.paid_in_qbo_minor > 0 ORDER BY d.pos_id, d.part`,
    )
    .bind(tenantId, JSON.stringify(objects.map((x) => ({ kind: x.kind, posId: x.posId }))))
    .all<DriftNoteRow>();
  return results;
}

export const FlaggedDoc = z.object({
  kind: z.string(),
  pos_id: z.string(),
  part: z.string(),
  entity: z.string(),
  qbo_id: z.string(),
  doc_number: z.string().nullable(),
  status: z.enum(["edited", "voided", "deleted"]),
  detail: z.string().nullable(),
  flagged_at: z.string().nullable(),
  checked_at: z.string(),
});
export type FlaggedDoc = z.infer<typeof FlaggedDoc>;

/** Documents of current postings found changed in QBO, most recently flagged first. */
export async function flaggedDocs(db: D1Database, tenantId: string): Promise<FlaggedDoc[]> {
  const { results } = await db
    .prepare(
      `SELECT d.kind, d.pos_id, d.part, d.entity, d.qbo_id, d.doc_number, d.status, d.detail, d.flagged_at, d.checked_at FROM drift_docs AS d
       JOIN sync_items AS s ON s.id = d.item_id AND s.state = 'posted'
       WHERE d.tenant_id = ?1 AND d.status != 'ok' ORDER BY d.flagged_at DESC, d.pos_id LIMIT 500`,
    )
    .bind(tenantId)
    .all();
  return results.map((r) => FlaggedDoc.parse(r));
}
