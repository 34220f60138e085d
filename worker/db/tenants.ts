/** Tenants: one per POS retailer, keyed by its domain_prefix. */
export interface TenantRow {
  id: string;
  name: string;
  webhook_secret_hash: string | null;
  settings_json: string;
  created_at: string;
  updated_at: string;
}

export async function ensureTenant(db: D1Database, id: string, name: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .prepare(
      `INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
       ON CONFLICT (id) DO UPDATE SET name = CASE WHEN excluded.name != '' THEN excluded.name ELSE tenants.name END, updated_at = ?3`,
    )
    .bind(id, name, at)
    .run();
}

export async function getTenant(db: D1Database, id: string): Promise<TenantRow | null> {
  return db.prepare("SELECT * FROM tenants WHERE id = ?1").bind(id).first<TenantRow>();
}

export async function listTenantIds(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT id FROM tenants ORDER BY id").all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The hash of the secret the store's webhooks are verified with; null when it has none (disconnected). */
export async function setWebhookSecretHash(db: D1Database, id: string, hash: string | null, now: Date): Promise<void> {
  await db
    .prepare("UPDATE tenants SET webhook_secret_hash = ?2, updated_at = ?3 WHERE id = ?1")
    .bind(id, hash, now.toISOString())
    .run();
}

/** Records the day the tenant's history starts (discovery leaves earlier objects to a backfill). */
export async function setSyncFrom(db: D1Database, id: string, syncFrom: string, now: Date): Promise<void> {
  await db
    .prepare(
      "UPDATE tenants SET settings_json = json_set(settings_json, '$.syncFrom', ?2), updated_at = ?3 WHERE id = ?1",
    )
    .bind(id, syncFrom, now.toISOString())
    .run();
}
