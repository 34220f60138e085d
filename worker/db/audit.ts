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
