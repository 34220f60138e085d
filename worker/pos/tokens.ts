import { TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import {
  type ConnectionRow,
  getConnection,
  markNeedsReconnect,
  releaseRefreshLease,
  type SealedTokens,
  takeRefreshLease,
  writeRefreshedTokens,
} from "../db/connections";
import type { AppEnv } from "../env";
import { currentKeyId, decryptSecret, encryptSecret, randomToken } from "../lib/crypto";
import type { Logger } from "../lib/log";
import { type PosTokenSet, refreshTokens } from "./oauth";

/**
 * A tenant's POS access token, refreshed single-flight across requests and isolates with the same
 * scheme as the QBO connection (worker/qbo/tokens.ts, on the provider-generic db/connections.ts): a
 * D1 lease lets one caller refresh, the rotated tokens are written compare-and-set on
 * `generation`, everyone else waits briefly and re-reads. invalid_grant ends the connection only
 * when storage holds no newer generation.
 */

export interface PosServices {
  env: AppEnv;
  db: D1Database;
  kv: KVNamespace;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
}

export interface PosAccess {
  accessToken: string;
  domainPrefix: string;
  generation: number;
}

/** Refresh when less than this is left. */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;
/** Longer than the token request's own timeout (20 s). */
const LEASE_MS = 45_000;
const WAIT_STEPS_MS = [50, 100, 200, 300, 500, 750, 1000, 1000, 1000, 1500, 1500, 2000, 2000, 2000];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const tokenAad = (tenantId: string, which: "access" | "refresh") => `pos:${tenantId}:${which}`;

export async function sealPosTokens(env: Pick<AppEnv, "TOKEN_KEYS">, tenantId: string, t: { accessToken: string; refreshToken: string; accessExpiresAt: Date }): Promise<SealedTokens> {
  return {
    accessTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.accessToken, tokenAad(tenantId, "access")),
    refreshTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.refreshToken, tokenAad(tenantId, "refresh")),
    keyId: await currentKeyId(env.TOKEN_KEYS),
    accessExpiresAt: t.accessExpiresAt.toISOString(),
    refreshExpiresAt: null,
  };
}

function unusable(row: ConnectionRow | null): TillbridgeError | null {
  if (!row || row.status === "disconnected" || !row.external_id) return new TillbridgeError("pos_not_connected");
  if (row.status === "needs_reconnect") return new TillbridgeError("pos_needs_reconnect", row.status_reason ?? undefined);
  if (!row.access_token_enc || !row.refresh_token_enc || !row.access_expires_at) return new TillbridgeError("pos_needs_reconnect", "no stored tokens");
  return null;
}

async function open(s: PosServices, tenantId: string, row: ConnectionRow, which: "access" | "refresh"): Promise<string> {
  try {
    return await decryptSecret(s.env.TOKEN_KEYS, which === "access" ? row.access_token_enc! : row.refresh_token_enc!, tokenAad(tenantId, which));
  } catch (e) {
    const reason = "stored Retail POS tokens cannot be decrypted (TOKEN_KEYS rotated?)";
    s.log.error("pos tokens unreadable", { error: e instanceof Error ? e.message : String(e) });
    await endPosConnection(s, tenantId, reason, row.generation);
    throw new TillbridgeError("pos_needs_reconnect", reason);
  }
}

async function accessOf(s: PosServices, tenantId: string, row: ConnectionRow): Promise<PosAccess> {
  return { accessToken: await open(s, tenantId, row, "access"), domainPrefix: row.external_id!, generation: row.generation };
}

/** Marks needs_reconnect (unless newer tokens appeared) and audits it once. */
export async function endPosConnection(s: PosServices, tenantId: string, reason: string, atGeneration?: number): Promise<boolean> {
  const changed = await markNeedsReconnect(s.db, tenantId, "pos", reason, s.now(), atGeneration);
  if (changed) {
    s.log.warn("pos connection needs reconnect", { reason });
    await audit(s.db, { tenantId, actor: "system", action: "pos_needs_reconnect", detail: reason }, s.now());
  }
  return changed;
}

/**
 * A usable access token. `rejectedGeneration`: the POS just answered 401 to that generation's
 * token, so refresh even if it looks unexpired (unless someone already did).
 */
export async function getPosAccess(s: PosServices, tenantId: string, opts: { rejectedGeneration?: number } = {}): Promise<PosAccess> {
  let row = await getConnection(s.db, tenantId, "pos");
  for (let attempt = 0; ; attempt++) {
    const blocked = unusable(row);
    if (blocked) throw blocked;
    const current = row!;
    const expiresAt = Date.parse(current.access_expires_at!);
    const rejected = opts.rejectedGeneration !== undefined && current.generation <= opts.rejectedGeneration;
    if (!rejected && expiresAt - s.now().getTime() >= REFRESH_MARGIN_MS) return accessOf(s, tenantId, current);

    const owner = randomToken(12);
    if (await takeRefreshLease(s.db, tenantId, "pos", current.generation, owner, s.now(), new Date(s.now().getTime() + LEASE_MS))) {
      return refreshUnderLease(s, tenantId, current, owner, rejected);
    }
    const waitMs = WAIT_STEPS_MS[attempt];
    if (waitMs === undefined) {
      if (!rejected && expiresAt > s.now().getTime()) return accessOf(s, tenantId, current);
      throw new TillbridgeError("pos_transient", "a Retail POS token refresh is still in progress elsewhere");
    }
    await sleep(waitMs);
    row = await getConnection(s.db, tenantId, "pos");
  }
}

async function refreshUnderLease(s: PosServices, tenantId: string, row: ConnectionRow, owner: string, rejected: boolean): Promise<PosAccess> {
  let refreshToken: string;
  let tokens: PosTokenSet;
  try {
    refreshToken = await open(s, tenantId, row, "refresh");
    tokens = await refreshTokens(s, row.external_id!, refreshToken);
  } catch (e) {
    await releaseRefreshLease(s.db, tenantId, "pos", owner);
    if (e instanceof TillbridgeError && e.code === "pos_needs_reconnect") return afterInvalidGrant(s, tenantId, row, e);
    if (!rejected && Date.parse(row.access_expires_at!) > s.now().getTime() + 10_000) {
      s.log.warn("pos proactive refresh failed; using the current token", { code: e instanceof TillbridgeError ? e.code : "unknown" });
      return accessOf(s, tenantId, row);
    }
    throw e;
  }
  // Before rotation reached a store, a refresh answer may omit the refresh token: keep the old one.
  const sealed = await sealPosTokens(s.env, tenantId, { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken });
  const generation = await writeRefreshedTokens(s.db, tenantId, "pos", row.generation, sealed, s.now());
  if (generation === null) {
    s.log.warn("pos refresh result not stored: a newer generation exists");
    await releaseRefreshLease(s.db, tenantId, "pos", owner);
    return getPosAccess(s, tenantId);
  }
  s.log.info("pos tokens refreshed", { generation });
  return { accessToken: tokens.accessToken, domainPrefix: row.external_id!, generation };
}

async function afterInvalidGrant(s: PosServices, tenantId: string, row: ConnectionRow, err: TillbridgeError): Promise<PosAccess> {
  const latest = await getConnection(s.db, tenantId, "pos");
  if (latest && latest.status === "connected" && latest.generation > row.generation) return getPosAccess(s, tenantId);
  const reason = err.detail ?? "the Retail POS refused the refresh token";
  if (!(await endPosConnection(s, tenantId, reason, row.generation))) return getPosAccess(s, tenantId);
  throw new TillbridgeError("pos_needs_reconnect", reason);
}
