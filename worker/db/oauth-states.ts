import type { Provider } from "./connections";

/**
 * OAuth `state` values: only their SHA-256 is stored; short-lived; single-use. The first callback
 * claims the state (used_at) and records its outcome (result_json); a duplicate callback (reload,
 * prefetch) replays that outcome instead of exchanging the code a second time.
 */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

export interface OAuthStateRow {
  state_hash: string;
  provider: Provider;
  tenant_id: string | null;
  session_hash: string | null;
  nonce_hash: string | null;
  return_to: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  result_json: string | null;
}

export async function createOAuthState(
  db: D1Database,
  s: {
    stateHash: string;
    provider: Provider;
    tenantId?: string;
    sessionHash?: string;
    nonceHash?: string;
    returnTo: string;
  },
  now: Date,
  ttlMs = OAUTH_STATE_TTL_MS,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO oauth_states (state_hash, provider, tenant_id, session_hash, nonce_hash, return_to, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(
      s.stateHash,
      s.provider,
      s.tenantId ?? null,
      s.sessionHash ?? null,
      s.nonceHash ?? null,
      s.returnTo,
      now.toISOString(),
      new Date(now.getTime() + ttlMs).toISOString(),
    )
    .run();
}

export async function getOAuthState(
  db: D1Database,
  stateHash: string,
  provider: Provider,
): Promise<OAuthStateRow | null> {
  return db
    .prepare("SELECT * FROM oauth_states WHERE state_hash = ?1 AND provider = ?2")
    .bind(stateHash, provider)
    .first<OAuthStateRow>();
}

/** Claims an unused, unexpired state for this callback. Exactly one concurrent caller gets true. */
export async function claimOAuthState(
  db: D1Database,
  stateHash: string,
  provider: Provider,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const res = await db
    .prepare(
      "UPDATE oauth_states SET used_at = ?3 WHERE state_hash = ?1 AND provider = ?2 AND used_at IS NULL AND expires_at > ?3",
    )
    .bind(stateHash, provider, at)
    .run();
  return res.meta.changes === 1;
}

/** Records the first callback's outcome (never tokens: only what the redirect says). */
export async function recordOAuthResult(
  db: D1Database,
  stateHash: string,
  result: Record<string, unknown>,
): Promise<void> {
  await db
    .prepare("UPDATE oauth_states SET result_json = ?2 WHERE state_hash = ?1")
    .bind(stateHash, JSON.stringify(result))
    .run();
}

/** Housekeeping: states expired for a day are of no use, even for replaying a reload. */
export async function purgeOAuthStates(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare("DELETE FROM oauth_states WHERE expires_at < ?1")
    .bind(new Date(now.getTime() - 24 * 3600_000).toISOString())
    .run();
}
