import { TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import { getConnection, markNeedsReconnect, releaseRefreshLease, takeRefreshLease, writeRefreshedTokens, type ConnectionRow, type SealedTokens } from "../db/connections";
import type { AppEnv } from "../env";
import { currentKeyId, decryptSecret, encryptSecret, randomToken } from "../lib/crypto";
import type { Logger } from "../lib/log";
import { QboError } from "./faults";
import { refreshTokens, type TokenSet } from "./oauth";

/**
 * The QBO access token of a tenant, refreshed single-flight across requests and isolates:
 * a D1 lease on the connection row lets one caller refresh; the new tokens are written with a
 * compare-and-set on `generation`; everyone else waits briefly and re-reads. A rejected refresh
 * token (invalid_grant) only ends the connection after storage shows no newer generation.
 */

export interface QboServices {
  env: AppEnv;
  db: D1Database;
  kv: KVNamespace;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
}

export interface QboAccess {
  accessToken: string;
  realmId: string;
  generation: number;
  accessExpiresAt: Date;
}

/** Refresh when the access token has less than this left (Intuit tokens last an hour). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Longer than the token request's own timeout (20 s), so a live refresh keeps its lease. */
const LEASE_MS = 45_000;
const WAIT_STEPS_MS = [50, 100, 200, 300, 500, 750, 1000, 1000, 1000, 1500, 1500, 2000, 2000, 2000];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const tokenAad = (tenantId: string, which: "access" | "refresh") => `qbo:${tenantId}:${which}`;

export async function sealTokens(env: Pick<AppEnv, "TOKEN_KEYS">, tenantId: string, t: TokenSet): Promise<SealedTokens> {
  return {
    accessTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.accessToken, tokenAad(tenantId, "access")),
    refreshTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.refreshToken, tokenAad(tenantId, "refresh")),
    keyId: await currentKeyId(env.TOKEN_KEYS),
    accessExpiresAt: t.accessExpiresAt.toISOString(),
    refreshExpiresAt: t.refreshExpiresAt?.toISOString() ?? null,
  };
}

/** Why a connection cannot be used, as the error the engine understands. */
function unusable(row: ConnectionRow | null, env: Pick<AppEnv, "QBO_ENVIRONMENT">): TillbridgeError | null {
  if (!row || row.status === "disconnected" || !row.external_id) return new TillbridgeError("qbo_not_connected");
  if (row.status === "needs_reconnect") return new TillbridgeError("qbo_needs_reconnect", row.status_reason ?? undefined);
  if (!row.access_token_enc || !row.refresh_token_enc || !row.access_expires_at) return new TillbridgeError("qbo_needs_reconnect", "no stored tokens");
  if (row.environment && row.environment !== env.QBO_ENVIRONMENT) {
    return new TillbridgeError("qbo_needs_reconnect", `connected to a ${row.environment} company; this deployment uses ${env.QBO_ENVIRONMENT}`);
  }
  return null;
}

async function open(s: QboServices, tenantId: string, row: ConnectionRow, which: "access" | "refresh"): Promise<string> {
  const sealed = which === "access" ? row.access_token_enc! : row.refresh_token_enc!;
  try {
    return await decryptSecret(s.env.TOKEN_KEYS, sealed, tokenAad(tenantId, which));
  } catch (e) {
    const reason = "stored QuickBooks tokens cannot be decrypted (TOKEN_KEYS rotated?)";
    s.log.error("qbo tokens unreadable", { error: e instanceof Error ? e.message : String(e) });
    await endConnection(s, tenantId, reason, row.generation);
    throw new TillbridgeError("qbo_needs_reconnect", reason);
  }
}

async function accessOf(s: QboServices, tenantId: string, row: ConnectionRow): Promise<QboAccess> {
  return { accessToken: await open(s, tenantId, row, "access"), realmId: row.external_id!, generation: row.generation, accessExpiresAt: new Date(row.access_expires_at!) };
}

/** Marks needs_reconnect (unless newer tokens appeared) and audits it once. */
export async function endConnection(s: QboServices, tenantId: string, reason: string, atGeneration?: number): Promise<boolean> {
  const changed = await markNeedsReconnect(s.db, tenantId, "qbo", reason, s.now(), atGeneration);
  if (changed) {
    s.log.warn("qbo connection needs reconnect", { reason });
    await audit(s.db, { tenantId, actor: "system", action: "qbo_needs_reconnect", detail: reason }, s.now());
  }
  return changed;
}

/**
 * A usable access token. `rejectedGeneration`: QBO just answered 401 to the token of that
 * generation, so refresh even if it looks unexpired (unless someone already did).
 */
export async function getQboAccess(s: QboServices, tenantId: string, opts: { rejectedGeneration?: number } = {}): Promise<QboAccess> {
  let row = await getConnection(s.db, tenantId, "qbo");
  for (let attempt = 0; ; attempt++) {
    const blocked = unusable(row, s.env);
    if (blocked) throw blocked;
    const current = row!;
    const expiresAt = Date.parse(current.access_expires_at!);
    const rejected = opts.rejectedGeneration !== undefined && current.generation <= opts.rejectedGeneration;
    if (!rejected && expiresAt - s.now().getTime() >= REFRESH_MARGIN_MS) return accessOf(s, tenantId, current);

    const owner = randomToken(12);
    if (await takeRefreshLease(s.db, tenantId, "qbo", current.generation, owner, s.now(), new Date(s.now().getTime() + LEASE_MS))) {
      return refreshUnderLease(s, tenantId, current, owner, rejected);
    }
    // Someone else is refreshing (or just did): wait for a newer generation.
    const waitMs = WAIT_STEPS_MS[attempt];
    if (waitMs === undefined) {
      if (!rejected && expiresAt > s.now().getTime()) return accessOf(s, tenantId, current);
      throw new QboError("qbo_transient", "a token refresh is still in progress elsewhere", { errors: [], outcomeUnknown: false });
    }
    await sleep(waitMs);
    row = await getConnection(s.db, tenantId, "qbo");
  }
}

async function refreshUnderLease(s: QboServices, tenantId: string, row: ConnectionRow, owner: string, rejected: boolean): Promise<QboAccess> {
  let tokens: TokenSet;
  try {
    const refreshToken = await open(s, tenantId, row, "refresh");
    tokens = await refreshTokens(s, refreshToken);
  } catch (e) {
    await releaseRefreshLease(s.db, tenantId, "qbo", owner);
    if (e instanceof QboError && e.code === "qbo_needs_reconnect") return afterInvalidGrant(s, tenantId, row, e);
    if (e instanceof TillbridgeError && e.code === "qbo_needs_reconnect") throw e; // unreadable stored tokens
    // A failed proactive refresh is no reason to fail while the current token still works.
    if (!rejected && Date.parse(row.access_expires_at!) > s.now().getTime() + 10_000) {
      s.log.warn("qbo proactive refresh failed; using the current token", { fault: e instanceof TillbridgeError ? e.code : "unknown" });
      return accessOf(s, tenantId, row);
    }
    throw e;
  }
  const sealed = await sealTokens(s.env, tenantId, tokens);
  const generation = await writeRefreshedTokens(s.db, tenantId, "qbo", row.generation, sealed, s.now());
  if (generation === null) {
    // Lost the compare-and-set (a reconnect, or a lease that outlived us): storage wins.
    s.log.warn("qbo refresh result not stored: a newer generation exists");
    await releaseRefreshLease(s.db, tenantId, "qbo", owner);
    return getQboAccess(s, tenantId);
  }
  s.log.info("qbo tokens refreshed", { generation });
  return { accessToken: tokens.accessToken, realmId: row.external_id!, generation, accessExpiresAt: tokens.accessExpiresAt };
}

/** invalid_grant: storage first (a concurrent refresh may have rotated the token), then reconnect. */
async function afterInvalidGrant(s: QboServices, tenantId: string, row: ConnectionRow, err: QboError): Promise<QboAccess> {
  const latest = await getConnection(s.db, tenantId, "qbo");
  if (latest && latest.status === "connected" && latest.generation > row.generation) return getQboAccess(s, tenantId);
  const reason = `QuickBooks Online refused the refresh token (${err.detail ?? "invalid_grant"})`;
  // Not marked: the row moved on meanwhile (a reconnect), so read what it is now.
  if (!(await endConnection(s, tenantId, reason, row.generation))) return getQboAccess(s, tenantId);
  throw new TillbridgeError("qbo_needs_reconnect", reason);
}
