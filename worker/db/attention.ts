import { SyncItemRow } from "./sync-items";

/**
 * What needs attention: a tenant's current items (latest, not superseded, per object) that are
 * blocked, failed or rejected, oldest stuck first; and "retry all" over the same set.
 */

const STUCK = "('blocked', 'failed', 'rejected')";

export async function stuckItems(db: D1Database, tenantId: string, limit: number): Promise<SyncItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT s.* FROM sync_items AS s
       WHERE s.tenant_id = ?1 AND s.state IN ${STUCK}
         AND s.id = (SELECT MAX(t.id) FROM sync_items AS t WHERE t.tenant_id = s.tenant_id AND t.kind = s.kind AND t.pos_id = s.pos_id AND t.state != 'superseded')
       ORDER BY s.updated_at, s.id LIMIT ?2`,
    )
    .bind(tenantId, limit)
    .all();
  return results.map((r) => SyncItemRow.parse(r));
}

/** How many of each stuck state (current items only): the toolbar icon's count. */
export async function stuckCounts(
  db: D1Database,
  tenantId: string,
): Promise<{ blocked: number; failed: number; rejected: number }> {
  const { results } = await db
    .prepare(
      `SELECT s.state AS state, COUNT(*) AS n FROM sync_items AS s
       WHERE s.tenant_id = ?1 AND s.state IN ${STUCK}
         AND s.id = (SELECT MAX(t.id) FROM sync_items AS t WHERE t.tenant_id = s.tenant_id AND t.kind = s.kind AND t.pos_id = s.pos_id AND t.state != 'superseded')
       GROUP BY s.state`,
    )
    .bind(tenantId)
    .all<{ state: "blocked" | "failed" | "rejected"; n: number }>();
  const counts = { blocked: 0, failed: 0, rejected: 0 };
  for (const r of results) counts[r.state] = r.n;
  return counts;
}

/** A person asks to retry everything stuck: every blocked, failed or rejected item is due now. */
export async function retryAllStuck(db: D1Database, tenantId: string, now: Date): Promise<number> {
  const res = await db
    .prepare(
      `UPDATE sync_items SET state = 'ready', next_attempt_at = ?2, attempts = CASE WHEN state = 'rejected' THEN 0 ELSE attempts END, updated_at = ?2
       WHERE tenant_id = ?1 AND state IN ${STUCK}`,
    )
    .bind(tenantId, now.toISOString())
    .run();
  return res.meta.changes ?? 0;
}

/** Names of closures as the POS shows them: the register and the closure's sequence number. */
export async function closureNames(
  db: D1Database,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, { registerId: string; sequenceNumber: number | null }>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      "SELECT id, register_id, sequence_number FROM closures WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
    )
    .bind(tenantId, JSON.stringify(ids))
    .all<{ id: string; register_id: string; sequence_number: number | null }>();
  return new Map(results.map((r) => [r.id, { registerId: r.register_id, sequenceNumber: r.sequence_number }]));
}

/** One readable field of stored POS objects (pos_objects): a register's name, a sale's invoice number. */
export async function objectFields(
  db: D1Database,
  tenantId: string,
  kind: string,
  ids: readonly string[],
  paths: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const pick = [...paths.map((p) => `json_extract(json, '${p.replace(/'/g, "")}')`), "NULL"].join(", ");
  const { results } = await db
    .prepare(
      `SELECT id, COALESCE(${pick}) AS v FROM pos_objects WHERE tenant_id = ?1 AND kind = ?2 AND id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(tenantId, kind, JSON.stringify(ids))
    .all<{ id: string; v: string | number | null }>();
  return new Map(results.filter((r) => r.v !== null && r.v !== "").map((r) => [r.id, String(r.v)]));
}

/** Closures that opened within [fromIso, toIso): the reconciliation's raw material. */
export async function closuresOpenedBetween(
  db: D1Database,
  tenantId: string,
  fromIso: string,
  toIso: string,
): Promise<{ id: string; opened_at: string; payments_json: string | null }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, opened_at, payments_json FROM closures WHERE tenant_id = ?1 AND opened_at >= ?2 AND opened_at < ?3
       ORDER BY opened_at, id`,
    )
    .bind(tenantId, fromIso, toIso)
    .all<{ id: string; opened_at: string; payments_json: string | null }>();
  return results;
}
