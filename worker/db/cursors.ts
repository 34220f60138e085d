/**
 * Version cursors per tenant and POS resource (`sales`, `registers`, `purchase_orders`, …): the
 * highest POS version already stored. A cursor only moves forward, and it moves in the same D1 batch
 * that stores the page it covers, so a crash never skips objects.
 */

export async function getCursor(db: D1Database, tenantId: string, resource: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT cursor FROM cursors WHERE tenant_id = ?1 AND resource = ?2")
    .bind(tenantId, resource)
    .first<{ cursor: string }>();
  return row?.cursor ?? null;
}

/** Advances the cursor (never backwards: versions compare as 64-bit integers). */
export function advanceCursorStatement(
  db: D1Database,
  tenantId: string,
  resource: string,
  cursor: string,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO cursors (tenant_id, resource, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (tenant_id, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
       WHERE CAST(excluded.cursor AS INTEGER) > CAST(cursors.cursor AS INTEGER)`,
    )
    .bind(tenantId, resource, cursor, now.toISOString());
}

/** Starts a resource over (a backfill from the beginning). */
export async function resetCursor(db: D1Database, tenantId: string, resource: string): Promise<void> {
  await db.prepare("DELETE FROM cursors WHERE tenant_id = ?1 AND resource = ?2").bind(tenantId, resource).run();
}
