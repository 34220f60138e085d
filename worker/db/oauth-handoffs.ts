/**
 * One-time handoff codes (table `session_handoffs`): the POS OAuth callback hands the extension a
 * code in the redirect's fragment; the extension exchanges it, with the nonce whose SHA-256 it sent
 * when it started the flow, for a session. Only the code's hash is stored; single use; short-lived.
 */
export const HANDOFF_TTL_MS = 5 * 60 * 1000;

export interface HandoffRow {
  code_hash: string;
  tenant_id: string;
  nonce_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export async function createHandoff(
  db: D1Database,
  h: { codeHash: string; tenantId: string; nonceHash: string },
  now: Date,
  ttlMs = HANDOFF_TTL_MS,
): Promise<void> {
  await db
    .prepare(
      "INSERT INTO session_handoffs (code_hash, tenant_id, nonce_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(h.codeHash, h.tenantId, h.nonceHash, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString())
    .run();
}

export async function getHandoff(db: D1Database, codeHash: string): Promise<HandoffRow | null> {
  return db.prepare("SELECT * FROM session_handoffs WHERE code_hash = ?1").bind(codeHash).first<HandoffRow>();
}

/** Marks the code used if it is unused and unexpired. Exactly one concurrent caller gets true. */
export async function consumeHandoff(db: D1Database, codeHash: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const res = await db
    .prepare("UPDATE session_handoffs SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2")
    .bind(codeHash, at)
    .run();
  return res.meta.changes === 1;
}

/** Housekeeping: handoffs a day past their expiry are of no use. */
export async function purgeHandoffs(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare("DELETE FROM session_handoffs WHERE expires_at < ?1")
    .bind(new Date(now.getTime() - 24 * 3600_000).toISOString())
    .run();
}
