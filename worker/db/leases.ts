/**
 * Short named leases per tenant (in the cursors table, resource "lease:<name>"): one holder at a
 * time, taken atomically by D1, expiring by themselves so a Worker that dies never blocks anyone.
 * Used so that overlapping cron runs and bursts of webhooks run one discovery per tenant at a time.
 */
export async function takeLease(
  db: D1Database,
  tenantId: string,
  name: string,
  now: Date,
  seconds: number,
): Promise<boolean> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + seconds * 1000).toISOString();
  const res = await db
    .prepare(
      `INSERT INTO cursors (tenant_id, resource, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (tenant_id, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
       WHERE cursors.cursor <= ?4`,
    )
    .bind(tenantId, `lease:${name}`, until, at)
    .run();
  return (res.meta.changes ?? 0) === 1;
}

export async function releaseLease(db: D1Database, tenantId: string, name: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE cursors SET cursor = ?3 WHERE tenant_id = ?1 AND resource = ?2")
    .bind(tenantId, `lease:${name}`, now.toISOString())
    .run();
}
