/** The audit trail: who sent or retried what, when, with the payload hash and the QBO ids. */
export interface AuditEntry {
  tenantId: string;
  actor: string; // user:<label> | cron | webhook | system
  action: string;
  kind?: string;
  posId?: string;
  posVersion?: string;
  qboEntity?: string;
  qboId?: string;
  payloadHash?: string;
  detail?: string;
}

export function auditStatement(db: D1Database, e: AuditEntry, now: Date): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (tenant_id, at, actor, action, kind, pos_id, pos_version, qbo_entity, qbo_id, payload_hash, detail)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(
      e.tenantId,
      now.toISOString(),
      e.actor,
      e.action,
      e.kind ?? null,
      e.posId ?? null,
      e.posVersion ?? null,
      e.qboEntity ?? null,
      e.qboId ?? null,
      e.payloadHash ?? null,
      e.detail ?? null,
    );
}

export async function audit(db: D1Database, e: AuditEntry, now: Date): Promise<void> {
  await auditStatement(db, e, now).run();
}

/** An audit row as the trail shows it. */
export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  kind: string | null;
  pos_id: string | null;
  pos_version: string | null;
  qbo_entity: string | null;
  qbo_id: string | null;
  payload_hash: string | null;
  detail: string | null;
}

export interface AuditFilter {
  /** At or after (ISO) */
  from?: string | undefined;
  /** Before (ISO) */
  to?: string | undefined;
  kind?: string | undefined;
  action?: string | undefined;
  posId?: string | undefined;
  limit: number;
}

/** A tenant's audit trail, newest first. */
export async function auditEntries(db: D1Database, tenantId: string, q: AuditFilter): Promise<AuditRow[]> {
  const { results } = await db
    .prepare(
      `SELECT at, actor, action, kind, pos_id, pos_version, qbo_entity, qbo_id, payload_hash, detail FROM audit_log
       WHERE tenant_id = ?1 AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3) AND (?4 IS NULL OR kind = ?4)
         AND (?5 IS NULL OR action = ?5) AND (?6 IS NULL OR pos_id = ?6)
       ORDER BY id DESC LIMIT ?7`,
    )
    .bind(tenantId, q.from ?? null, q.to ?? null, q.kind ?? null, q.action ?? null, q.posId ?? null, q.limit)
    .all<AuditRow>();
  return results;
}
