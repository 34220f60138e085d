import { randomToken, sha256Hex } from "../lib/crypto";

/**
 * Extension sessions: a random 256-bit token handed to the extension once; only its SHA-256 is
 * stored. Sessions expire (30 days, sliding on use) and can be revoked.
 */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  tenantId: string;
  userLabel: string;
  tokenHash: string;
  expiresAt: string;
}

export async function createSession(
  db: D1Database,
  tenantId: string,
  userLabel: string,
  now: Date,
): Promise<{ token: string; session: Session }> {
  const token = `tbs_${randomToken(32)}`;
  const tokenHash = await sha256Hex(token);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await db
    .prepare(
      "INSERT INTO sessions (token_hash, tenant_id, user_label, created_at, expires_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
    )
    .bind(tokenHash, tenantId, userLabel, now.toISOString(), expiresAt)
    .run();
  return { token, session: { tenantId, userLabel, tokenHash, expiresAt } };
}

/** The live session for a bearer token, or null (unknown, expired or revoked). Slides expiry. */
export async function verifySession(db: D1Database, token: string, now: Date): Promise<Session | null> {
  if (!/^tbs_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const row = await db
    .prepare("SELECT tenant_id, user_label, expires_at, revoked_at, last_seen_at FROM sessions WHERE token_hash = ?1")
    .bind(tokenHash)
    .first<{
      tenant_id: string;
      user_label: string;
      expires_at: string;
      revoked_at: string | null;
      last_seen_at: string | null;
    }>();
  if (!row || row.revoked_at || row.expires_at <= now.toISOString()) return null;
  let expiresAt = row.expires_at;
  // slide at most once an hour to keep writes rare
  if (!row.last_seen_at || now.getTime() - Date.parse(row.last_seen_at) > 3600_000) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await db
      .prepare("UPDATE sessions SET last_seen_at = ?2, expires_at = ?3 WHERE token_hash = ?1")
      .bind(tokenHash, now.toISOString(), expiresAt)
      .run();
  }
  return { tenantId: row.tenant_id, userLabel: row.user_label, tokenHash, expiresAt };
}

export async function revokeSession(db: D1Database, tokenHash: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL")
    .bind(tokenHash, now.toISOString())
    .run();
}

export async function revokeTenantSessions(db: D1Database, tenantId: string, now: Date): Promise<void> {
  await db
    .prepare("UPDATE sessions SET revoked_at = ?2 WHERE tenant_id = ?1 AND revoked_at IS NULL")
    .bind(tenantId, now.toISOString())
    .run();
}

/** The label of the session with this hash while it is live (not revoked, not expired), else null. */
export async function liveSessionLabel(db: D1Database, sessionHash: string | null, now: Date): Promise<string | null> {
  if (!sessionHash) return null;
  const row = await db
    .prepare("SELECT user_label, expires_at, revoked_at FROM sessions WHERE token_hash = ?1")
    .bind(sessionHash)
    .first<{ user_label: string; expires_at: string; revoked_at: string | null }>();
  return row && !row.revoked_at && row.expires_at > now.toISOString() ? row.user_label : null;
}
