import { TillbridgeError } from "../../shared/errors";
import type { SealedTokens } from "../db/connections";
import type { AppEnv } from "../env";
import { createTokenStore, sealTokens as seal, tokenAad as aad } from "../lib/token-store";
import type { CoreServices } from "../services";
import { QboError } from "./faults";
import { refreshTokens, type TokenSet } from "./oauth";

/** The QBO access token of a tenant: the shared single-flight token store (lib/token-store.ts). */
export type QboServices = CoreServices;

export interface QboAccess {
  accessToken: string;
  realmId: string;
  generation: number;
  accessExpiresAt: Date;
}

/** Refresh when the access token has less than this left (Intuit tokens last an hour). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export const tokenAad = (tenantId: string, which: "access" | "refresh") => aad("qbo", tenantId, which);
export const sealTokens = (env: Pick<AppEnv, "TOKEN_KEYS">, tenantId: string, t: TokenSet): Promise<SealedTokens> =>
  seal(env, "qbo", tenantId, t);

const store = createTokenStore({
  provider: "qbo",
  label: "QuickBooks Online",
  refreshMarginMs: REFRESH_MARGIN_MS,
  notConnected: "qbo_not_connected",
  needsReconnect: "qbo_needs_reconnect",
  transient: "qbo_transient",
  unusable: (row, env) =>
    row.environment && row.environment !== env.QBO_ENVIRONMENT
      ? new TillbridgeError(
          "qbo_needs_reconnect",
          `connected to a ${row.environment} company; this deployment uses ${env.QBO_ENVIRONMENT}`,
        )
      : null,
  refresh: (s, _row, refreshToken) => refreshTokens(s, refreshToken),
  isInvalidGrant: (e) => e instanceof QboError && e.code === "qbo_needs_reconnect",
});

export const endConnection = store.endConnection;

export async function getQboAccess(
  s: QboServices,
  tenantId: string,
  opts: { rejectedGeneration?: number } = {},
): Promise<QboAccess> {
  const a = await store.getAccess(s, tenantId, opts);
  return {
    accessToken: a.accessToken,
    realmId: a.externalId,
    generation: a.generation,
    accessExpiresAt: a.accessExpiresAt,
  };
}
