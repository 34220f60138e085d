/**
 * The home database's directory of tenants and shards (migrations/0007_tenant_shards.sql) and its
 * realm → tenant map. Shard 0 is the home database itself; a tenant without a row lives there.
 */
export type ShardState = "active" | "moving";

export interface DirectoryEntry {
  shard: number;
  state: ShardState;
}

export async function directoryEntry(home: D1Database, tenantId: string): Promise<DirectoryEntry | null> {
  return home
    .prepare("SELECT shard, state FROM tenant_shards WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<DirectoryEntry>();
}

/** Records a new tenant's shard unless it already has one; returns the entry that holds. */
export async function placeInDirectory(
  home: D1Database,
  tenantId: string,
  shard: number,
  now: Date,
): Promise<DirectoryEntry> {
  await home
    .prepare(
      "INSERT INTO tenant_shards (tenant_id, shard, state, updated_at) VALUES (?1, ?2, 'active', ?3) ON CONFLICT (tenant_id) DO NOTHING",
    )
    .bind(tenantId, shard, now.toISOString())
    .run();
  return (await directoryEntry(home, tenantId))!;
}

/** Sets a tenant's entry (a move: `moving` on its old shard, then `active` on its new one). */
export async function setDirectoryEntry(
  home: D1Database,
  tenantId: string,
  entry: DirectoryEntry,
  now: Date,
): Promise<void> {
  await home
    .prepare(
      `INSERT INTO tenant_shards (tenant_id, shard, state, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (tenant_id) DO UPDATE SET shard = excluded.shard, state = excluded.state, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, entry.shard, entry.state, now.toISOString())
    .run();
}

/** How many tenants the directory places on each shard other than home. */
export async function directoryCounts(home: D1Database): Promise<Map<number, number>> {
  const { results } = await home
    .prepare("SELECT shard, COUNT(*) AS n FROM tenant_shards WHERE shard > 0 GROUP BY shard")
    .all<{ shard: number; n: number }>();
  return new Map(results.map((r) => [r.shard, r.n]));
}

/** The tenants the directory places on one shard. */
export async function tenantsPlacedOn(home: D1Database, shard: number): Promise<string[]> {
  const { results } = await home
    .prepare("SELECT tenant_id FROM tenant_shards WHERE shard = ?1 ORDER BY tenant_id")
    .bind(shard)
    .all<{ tenant_id: string }>();
  return results.map((r) => r.tenant_id);
}

/**
 * Claims a QBO company for a tenant: true when the tenant holds it now (it was free, already its
 * own, or held by `replacing`, a tenant found no longer connected to it), false when another holds it.
 */
export async function claimRealm(
  home: D1Database,
  realmId: string,
  tenantId: string,
  now: Date,
  replacing: string | null = null,
): Promise<boolean> {
  const row = await home
    .prepare(
      `INSERT INTO qbo_realms (realm_id, tenant_id, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (realm_id) DO UPDATE SET tenant_id = excluded.tenant_id, updated_at = excluded.updated_at
         WHERE qbo_realms.tenant_id = excluded.tenant_id OR qbo_realms.tenant_id = ?4
       RETURNING tenant_id`,
    )
    .bind(realmId, tenantId, now.toISOString(), replacing)
    .first<{ tenant_id: string }>();
  return row?.tenant_id === tenantId;
}

/** Frees the tenant's QBO companies (a disconnect), or all but `keep` (a reconnect to another company). */
export async function releaseRealms(home: D1Database, tenantId: string, keep?: string): Promise<void> {
  await home
    .prepare("DELETE FROM qbo_realms WHERE tenant_id = ?1 AND (?2 IS NULL OR realm_id != ?2)")
    .bind(tenantId, keep ?? null)
    .run();
}

/** QBO company → tenant, for every tenant whatever its shard. */
export async function realmDirectory(home: D1Database): Promise<Map<string, string>> {
  const { results } = await home
    .prepare("SELECT realm_id, tenant_id FROM qbo_realms")
    .all<{ realm_id: string; tenant_id: string }>();
  return new Map(results.map((r) => [r.realm_id, r.tenant_id]));
}

/** The tenant holding a QBO company, if any. */
export async function realmHolder(home: D1Database, realmId: string): Promise<string | null> {
  const row = await home
    .prepare("SELECT tenant_id FROM qbo_realms WHERE realm_id = ?1")
    .bind(realmId)
    .first<{ tenant_id: string }>();
  return row?.tenant_id ?? null;
}
