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

/**
 * Register sequences seen on sales that no closure explains yet ("suspects"), kept beside the
 * cursors as `seq?:<sequence id>` rows whose `updated_at` is when the sequence was first seen.
 */
const SUSPECT = "seq?:";

/** Each suspect sequence of a tenant with when it was first seen. */
export async function suspectSequences(db: D1Database, tenantId: string): Promise<Map<string, string>> {
  const { results } = await db
    .prepare("SELECT resource, updated_at FROM cursors WHERE tenant_id = ?1 AND resource LIKE 'seq?:%'")
    .bind(tenantId)
    .all<{ resource: string; updated_at: string }>();
  return new Map(results.map((r) => [r.resource.slice(SUSPECT.length), r.updated_at]));
}

/** Forgets suspects now settled and remembers new ones (with when each was first seen), in one batch. */
export async function updateSuspects(
  db: D1Database,
  tenantId: string,
  change: { forget: readonly string[]; remember: readonly (readonly [seq: string, firstSeen: string])[] },
): Promise<void> {
  const writes = [
    ...change.forget.map((seq) =>
      db.prepare("DELETE FROM cursors WHERE tenant_id = ?1 AND resource = ?2").bind(tenantId, SUSPECT + seq),
    ),
    ...change.remember.map(([seq, firstSeen]) =>
      db
        .prepare("INSERT OR IGNORE INTO cursors (tenant_id, resource, cursor, updated_at) VALUES (?1, ?2, '0', ?3)")
        .bind(tenantId, SUSPECT + seq, firstSeen),
    ),
  ];
  if (writes.length) await db.batch(writes);
}
