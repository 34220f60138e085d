import { TillbridgeError, type ErrorCode } from "../../shared/errors";
import { audit } from "../db/audit";
import {
  getConnection,
  markNeedsReconnect,
  releaseRefreshLease,
  takeRefreshLease,
  writeRefreshedTokens,
  type ConnectionRow,
  type Provider,
  type SealedTokens,
} from "../db/connections";
import type { AppEnv } from "../env";
import type { CoreServices } from "../services";
import { currentKeyId, decryptSecret, encryptSecret, randomToken } from "./crypto";

/**
 * A provider's access token for one tenant, refreshed single-flight across requests and isolates
 * (the same scheme for QBO and the POS): a D1 lease on the connection row lets one caller refresh;
 * the rotated tokens are written compare-and-set on `generation`; everyone else waits briefly and
 * re-reads. A rejected refresh token (invalid_grant) only ends the connection after storage shows no
 * newer generation — so a rotated refresh token is never lost to a race.
 */
export interface TokenSet {
  accessToken: string;
  /** Absent when a provider answers a refresh without rotating (the old one stays) */
  refreshToken?: string;
  accessExpiresAt: Date;
  refreshExpiresAt?: Date | null;
}

export interface ProviderTokens {
  provider: Provider;
  /** Who the merchant knows: "QuickBooks Online", "Retail POS" */
  label: string;
  refreshMarginMs: number;
  notConnected: ErrorCode;
  needsReconnect: ErrorCode;
  transient: ErrorCode;
  /** Extra reasons a stored connection cannot be used (e.g. a sandbox company on a production deployment) */
  unusable?(row: ConnectionRow, env: AppEnv): TillbridgeError | null;
  refresh(s: CoreServices, row: ConnectionRow, refreshToken: string): Promise<TokenSet>;
  /** The refresh was refused for good (invalid_grant): the connection may have to end */
  isInvalidGrant(e: unknown): boolean;
}

export interface Access {
  accessToken: string;
  externalId: string;
  generation: number;
  accessExpiresAt: Date;
}

/** Longer than a token request's own timeout (20 s), so a live refresh keeps its lease. */
const LEASE_MS = 45_000;
const WAIT_STEPS_MS = [50, 100, 200, 300, 500, 750, 1000, 1000, 1000, 1500, 1500, 2000, 2000, 2000];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const tokenAad = (p: Provider, tenantId: string, which: "access" | "refresh") => `${p}:${tenantId}:${which}`;

export async function sealTokens(
  env: Pick<AppEnv, "TOKEN_KEYS">,
  p: Provider,
  tenantId: string,
  t: TokenSet & { refreshToken: string },
): Promise<SealedTokens> {
  return {
    accessTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.accessToken, tokenAad(p, tenantId, "access")),
    refreshTokenEnc: await encryptSecret(env.TOKEN_KEYS, t.refreshToken, tokenAad(p, tenantId, "refresh")),
    keyId: await currentKeyId(env.TOKEN_KEYS),
    accessExpiresAt: t.accessExpiresAt.toISOString(),
    refreshExpiresAt: t.refreshExpiresAt?.toISOString() ?? null,
  };
}

export function createTokenStore(cfg: ProviderTokens) {
  const unusable = (row: ConnectionRow | null, env: AppEnv): TillbridgeError | null => {
    if (!row || row.status === "disconnected" || !row.external_id) return new TillbridgeError(cfg.notConnected);
    if (row.status === "needs_reconnect")
      return new TillbridgeError(cfg.needsReconnect, row.status_reason ?? undefined);
    if (!row.access_token_enc || !row.refresh_token_enc || !row.access_expires_at)
      return new TillbridgeError(cfg.needsReconnect, "no stored tokens");
    return cfg.unusable?.(row, env) ?? null;
  };

  /** Marks needs_reconnect (unless newer tokens appeared) and audits it once. */
  async function endConnection(
    s: CoreServices,
    tenantId: string,
    reason: string,
    atGeneration?: number,
  ): Promise<boolean> {
    const changed = await markNeedsReconnect(s.db, tenantId, cfg.provider, reason, s.now(), atGeneration);
    if (changed) {
      s.log.warn(`${cfg.provider} connection needs reconnect`, { reason });
      await audit(
        s.db,
        { tenantId, actor: "system", action: `${cfg.provider}_needs_reconnect`, detail: reason },
        s.now(),
      );
    }
    return changed;
  }

  async function open(
    s: CoreServices,
    tenantId: string,
    row: ConnectionRow,
    which: "access" | "refresh",
  ): Promise<string> {
    try {
      return await decryptSecret(
        s.env.TOKEN_KEYS,
        which === "access" ? row.access_token_enc! : row.refresh_token_enc!,
        tokenAad(cfg.provider, tenantId, which),
      );
    } catch (e) {
      const reason = `stored ${cfg.label} tokens cannot be decrypted (TOKEN_KEYS rotated?)`;
      s.log.error(`${cfg.provider} tokens unreadable`, { error: e instanceof Error ? e.message : String(e) });
      await endConnection(s, tenantId, reason, row.generation);
      throw new TillbridgeError(cfg.needsReconnect, reason);
    }
  }

  const accessOf = async (s: CoreServices, tenantId: string, row: ConnectionRow): Promise<Access> => ({
    accessToken: await open(s, tenantId, row, "access"),
    externalId: row.external_id!,
    generation: row.generation,
    accessExpiresAt: new Date(row.access_expires_at!),
  });

  /**
   * A usable access token. `rejectedGeneration`: the provider just answered 401 to the token of
   * that generation, so refresh even if it looks unexpired (unless someone already did).
   */
  async function getAccess(
    s: CoreServices,
    tenantId: string,
    opts: { rejectedGeneration?: number } = {},
  ): Promise<Access> {
    let row = await getConnection(s.db, tenantId, cfg.provider);
    for (let attempt = 0; ; attempt++) {
      const blocked = unusable(row, s.env);
      if (blocked) throw blocked;
      const current = row!;
      const expiresAt = Date.parse(current.access_expires_at!);
      const rejected = opts.rejectedGeneration !== undefined && current.generation <= opts.rejectedGeneration;
      if (!rejected && expiresAt - s.now().getTime() >= cfg.refreshMarginMs) return accessOf(s, tenantId, current);

      const owner = randomToken(12);
      if (
        await takeRefreshLease(
          s.db,
          tenantId,
          cfg.provider,
          current.generation,
          owner,
          s.now(),
          new Date(s.now().getTime() + LEASE_MS),
        )
      ) {
        return refreshUnderLease(s, tenantId, current, owner, rejected);
      }
      // Someone else is refreshing (or just did): wait for a newer generation.
      const waitMs = WAIT_STEPS_MS[attempt];
      if (waitMs === undefined) {
        if (!rejected && expiresAt > s.now().getTime()) return accessOf(s, tenantId, current);
        throw new TillbridgeError(cfg.transient, `a ${cfg.label} token refresh is still in progress elsewhere`);
      }
      await sleep(waitMs);
      row = await getConnection(s.db, tenantId, cfg.provider);
    }
  }

  async function refreshUnderLease(
    s: CoreServices,
    tenantId: string,
    row: ConnectionRow,
    owner: string,
    rejected: boolean,
  ): Promise<Access> {
    let refreshToken: string;
    let tokens: TokenSet;
    try {
      refreshToken = await open(s, tenantId, row, "refresh");
      tokens = await cfg.refresh(s, row, refreshToken);
    } catch (e) {
      await releaseRefreshLease(s.db, tenantId, cfg.provider, owner);
      if (cfg.isInvalidGrant(e)) return afterInvalidGrant(s, tenantId, row, e);
      if (e instanceof TillbridgeError && e.code === cfg.needsReconnect) throw e; // unreadable stored tokens
      // A failed proactive refresh is no reason to fail while the current token still works.
      if (!rejected && Date.parse(row.access_expires_at!) > s.now().getTime() + 10_000) {
        s.log.warn(`${cfg.provider} proactive refresh failed; using the current token`, {
          fault: e instanceof TillbridgeError ? e.code : "unknown",
        });
        return accessOf(s, tenantId, row);
      }
      throw e;
    }
    const sealed = await sealTokens(s.env, cfg.provider, tenantId, {
      ...tokens,
      refreshToken: tokens.refreshToken ?? refreshToken,
    });
    const generation = await writeRefreshedTokens(s.db, tenantId, cfg.provider, row.generation, sealed, s.now());
    if (generation === null) {
      // Lost the compare-and-set (a reconnect, or a lease that outlived us): storage wins.
      s.log.warn(`${cfg.provider} refresh result not stored: a newer generation exists`);
      await releaseRefreshLease(s.db, tenantId, cfg.provider, owner);
      return getAccess(s, tenantId);
    }
    s.log.info(`${cfg.provider} tokens refreshed`, { generation });
    return {
      accessToken: tokens.accessToken,
      externalId: row.external_id!,
      generation,
      accessExpiresAt: tokens.accessExpiresAt,
    };
  }

  /** invalid_grant: storage first (a concurrent refresh may have rotated the token), then reconnect. */
  async function afterInvalidGrant(
    s: CoreServices,
    tenantId: string,
    row: ConnectionRow,
    err: unknown,
  ): Promise<Access> {
    const latest = await getConnection(s.db, tenantId, cfg.provider);
    if (latest && latest.status === "connected" && latest.generation > row.generation) return getAccess(s, tenantId);
    const detail = err instanceof TillbridgeError ? err.detail : undefined;
    const reason = `${cfg.label} refused the refresh token (${detail ?? "invalid_grant"})`;
    // Not marked: the row moved on meanwhile (a reconnect), so read what it is now.
    if (!(await endConnection(s, tenantId, reason, row.generation))) return getAccess(s, tenantId);
    throw new TillbridgeError(cfg.needsReconnect, reason);
  }

  return { getAccess, endConnection };
}
