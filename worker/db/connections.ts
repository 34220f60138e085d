/**
 * OAuth connections (table `connections`, one row per tenant and provider). Tokens arrive here
 * already encrypted; this file never sees plaintext. Every token write bumps `generation`, and a
 * refresh writes only if the generation it read is still current (compare-and-set), so a rotated
 * refresh token is never overwritten by an older one.
 */
import type { ConnectionStatus as ApiConnectionStatus } from "../../shared/api";

export type Provider = "pos" | "qbo";
export type ConnectionStatus = "connected" | "needs_reconnect" | "disconnected";

export interface ConnectionRow {
  tenant_id: string;
  provider: Provider;
  status: ConnectionStatus;
  external_id: string | null;
  environment: string | null;
  display_name: string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  key_id: string | null;
  access_expires_at: string | null;
  refresh_expires_at: string | null;
  generation: number;
  refresh_lease_until: string | null;
  refresh_lease_owner: string | null;
  status_reason: string | null;
  connected_at: string | null;
  updated_at: string;
}

/** Sealed tokens and their expiries, as written by a connect or a refresh. */
export interface SealedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  keyId: string;
  accessExpiresAt: string;
  refreshExpiresAt: string | null;
}

export class ExternalIdTaken extends Error {
  override name = "ExternalIdTaken";
}

export async function getConnection(
  db: D1Database,
  tenantId: string,
  provider: Provider,
): Promise<ConnectionRow | null> {
  return db
    .prepare("SELECT * FROM connections WHERE tenant_id = ?1 AND provider = ?2")
    .bind(tenantId, provider)
    .first<ConnectionRow>();
}

/** The live (not disconnected) connection to an external account (a QBO realm), whoever holds it. */
export async function findLiveByExternalId(
  db: D1Database,
  provider: Provider,
  externalId: string,
): Promise<ConnectionRow | null> {
  return db
    .prepare("SELECT * FROM connections WHERE provider = ?1 AND external_id = ?2 AND status != 'disconnected' LIMIT 1")
    .bind(provider, externalId)
    .first<ConnectionRow>();
}

/**
 * Stores a fresh connection (first connect or reconnect). Generation starts at 1 and only ever
 * grows, so a refresh that read an older connection can never write over this one. `connected_at`
 * is when this external account was first connected, kept across reconnects of the same account:
 * discovery reads it as the line between the store's history (a backfill's) and what it posts by
 * itself, and a reconnect after a lapse must not turn the lapse's closures into history. Throws
 * ExternalIdTaken when another tenant holds the same external account (unique index).
 */
export async function saveConnected(
  db: D1Database,
  c: {
    tenantId: string;
    provider: Provider;
    externalId: string;
    environment: string | null;
    displayName: string | null;
    tokens: SealedTokens;
  },
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  try {
    const row = await db
      .prepare(
        `INSERT INTO connections (tenant_id, provider, status, external_id, environment, display_name, access_token_enc, refresh_token_enc,
           key_id, access_expires_at, refresh_expires_at, generation, refresh_lease_until, refresh_lease_owner, status_reason, connected_at, updated_at)
         VALUES (?1, ?2, 'connected', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, NULL, NULL, NULL, ?11, ?11)
         ON CONFLICT (tenant_id, provider) DO UPDATE SET
           status = 'connected', external_id = excluded.external_id, environment = excluded.environment,
           display_name = excluded.display_name, access_token_enc = excluded.access_token_enc,
           refresh_token_enc = excluded.refresh_token_enc, key_id = excluded.key_id,
           access_expires_at = excluded.access_expires_at, refresh_expires_at = excluded.refresh_expires_at,
           generation = connections.generation + 1, refresh_lease_until = NULL, refresh_lease_owner = NULL,
           status_reason = NULL,
           connected_at = CASE WHEN connections.external_id = excluded.external_id AND connections.connected_at IS NOT NULL
                               THEN connections.connected_at ELSE excluded.connected_at END,
           updated_at = excluded.updated_at
         RETURNING generation`,
      )
      .bind(
        c.tenantId,
        c.provider,
        c.externalId,
        c.environment,
        c.displayName,
        c.tokens.accessTokenEnc,
        c.tokens.refreshTokenEnc,
        c.tokens.keyId,
        c.tokens.accessExpiresAt,
        c.tokens.refreshExpiresAt,
        at,
      )
      .first<{ generation: number }>();
    return row!.generation;
  } catch (e) {
    if (/UNIQUE constraint failed: connections\.external_id/i.test(e instanceof Error ? e.message : String(e)))
      throw new ExternalIdTaken(c.externalId);
    throw e;
  }
}

/**
 * Takes the single-flight refresh lease when nobody holds a live one and the generation is still
 * the one the caller read. True when this caller now owns the refresh.
 */
export async function takeRefreshLease(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  generation: number,
  owner: string,
  now: Date,
  until: Date,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE connections SET refresh_lease_owner = ?4, refresh_lease_until = ?6
       WHERE tenant_id = ?1 AND provider = ?2 AND status = 'connected' AND generation = ?3
         AND (refresh_lease_until IS NULL OR refresh_lease_until <= ?5)`,
    )
    .bind(tenantId, provider, generation, owner, now.toISOString(), until.toISOString())
    .run();
  return res.meta.changes === 1;
}

export async function releaseRefreshLease(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  owner: string,
): Promise<void> {
  await db
    .prepare(
      "UPDATE connections SET refresh_lease_owner = NULL, refresh_lease_until = NULL WHERE tenant_id = ?1 AND provider = ?2 AND refresh_lease_owner = ?3",
    )
    .bind(tenantId, provider, owner)
    .run();
}

/**
 * Compare-and-set of refreshed tokens: writes only if `generation` is still the one read before the
 * refresh. Releases the lease in the same statement. Returns the new generation, or null if another
 * writer got there first.
 */
export async function writeRefreshedTokens(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  readGeneration: number,
  tokens: SealedTokens,
  now: Date,
): Promise<number | null> {
  const row = await db
    .prepare(
      `UPDATE connections SET access_token_enc = ?4, refresh_token_enc = ?5, key_id = ?6, access_expires_at = ?7,
         refresh_expires_at = COALESCE(?8, refresh_expires_at), generation = generation + 1,
         refresh_lease_owner = NULL, refresh_lease_until = NULL, updated_at = ?9
       WHERE tenant_id = ?1 AND provider = ?2 AND generation = ?3 AND status = 'connected'
       RETURNING generation`,
    )
    .bind(
      tenantId,
      provider,
      readGeneration,
      tokens.accessTokenEnc,
      tokens.refreshTokenEnc,
      tokens.keyId,
      tokens.accessExpiresAt,
      tokens.refreshExpiresAt,
      now.toISOString(),
    )
    .first<{ generation: number }>();
  return row?.generation ?? null;
}

/**
 * Marks a connection as needing the merchant to reconnect, with the reason shown to them. With
 * `onlyAtGeneration`, only if no newer tokens were written meanwhile. Returns whether it changed.
 */
export async function markNeedsReconnect(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  reason: string,
  now: Date,
  onlyAtGeneration?: number,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE connections SET status = 'needs_reconnect', status_reason = ?3, refresh_lease_owner = NULL, refresh_lease_until = NULL, updated_at = ?4
       WHERE tenant_id = ?1 AND provider = ?2 AND status = 'connected' AND (?5 IS NULL OR generation = ?5)`,
    )
    .bind(tenantId, provider, reason.slice(0, 500), now.toISOString(), onlyAtGeneration ?? null)
    .run();
  return res.meta.changes === 1;
}

/** Ends a connection: tokens dropped, realm released for another tenant, reason kept. */
export async function markDisconnected(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  reason: string,
  now: Date,
): Promise<void> {
  await db
    .prepare(
      `UPDATE connections SET status = 'disconnected', status_reason = ?3, access_token_enc = NULL, refresh_token_enc = NULL,
         key_id = NULL, access_expires_at = NULL, refresh_expires_at = NULL, refresh_lease_owner = NULL, refresh_lease_until = NULL,
         generation = generation + 1, updated_at = ?4
       WHERE tenant_id = ?1 AND provider = ?2`,
    )
    .bind(tenantId, provider, reason.slice(0, 500), now.toISOString())
    .run();
}

export async function setDisplayName(
  db: D1Database,
  tenantId: string,
  provider: Provider,
  displayName: string,
  now: Date,
): Promise<void> {
  await db
    .prepare(
      "UPDATE connections SET display_name = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND provider = ?2 AND display_name IS NOT ?3",
    )
    .bind(tenantId, provider, displayName, now.toISOString())
    .run();
}

/** A connection as the API reports it (shared/api.ts ConnectionStatus). */
export function statusOf(row: ConnectionRow | null): ApiConnectionStatus {
  if (!row) return { status: "not_connected" };
  return {
    status: row.status,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    ...(row.display_name ? { displayName: row.display_name } : {}),
    ...(row.environment ? { environment: row.environment } : {}),
    ...(row.connected_at ? { connectedAt: row.connected_at } : {}),
    ...(row.status_reason ? { reason: row.status_reason } : {}),
  };
}

/** QBO company (realm id) → the tenant connected to it, for the operator's per-company counters. */
export async function qboRealms(db: D1Database): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(
      "SELECT external_id AS realmId, tenant_id AS tenantId FROM connections WHERE provider = 'qbo' AND external_id IS NOT NULL",
    )
    .all<{ realmId: string; tenantId: string }>();
  return new Map(results.map((r) => [r.realmId, r.tenantId]));
}

/** A tenant with one of its connections (both providers: two rows; none: one row of nulls). */
export interface TenantConnectionRow {
  id: string;
  provider: Provider | null;
  status: ConnectionStatus | null;
  status_reason: string | null;
  refresh_expires_at: string | null;
}

/** Every tenant (or one) with the stored state of its connections, by tenant id. */
export async function tenantConnections(db: D1Database, tenantId?: string): Promise<TenantConnectionRow[]> {
  const { results } = await db
    .prepare(
      `SELECT t.id, c.provider, c.status, c.status_reason, c.refresh_expires_at FROM tenants AS t
       LEFT JOIN connections AS c ON c.tenant_id = t.id WHERE ?1 IS NULL OR t.id = ?1 ORDER BY t.id`,
    )
    .bind(tenantId ?? null)
    .all<TenantConnectionRow>();
  return results;
}
