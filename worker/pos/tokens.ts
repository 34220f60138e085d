import { TillbridgeError } from "../../shared/errors";
import type { SealedTokens } from "../db/connections";
import type { AppEnv } from "../env";
import { createTokenStore, sealTokens, tokenAad as aad } from "../lib/token-store";
import type { CoreServices } from "../services";
import { refreshTokens } from "./oauth";

/** A tenant's POS access token: the shared single-flight token store (lib/token-store.ts). */
export type PosServices = CoreServices;

export interface PosAccess {
  accessToken: string;
  domainPrefix: string;
  generation: number;
  /** Absent for a token not read from storage */
  accessExpiresAt?: Date;
}

/** Refresh when less than this is left. */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;

export const tokenAad = (tenantId: string, which: "access" | "refresh") => aad("pos", tenantId, which);

export function sealPosTokens(
  env: Pick<AppEnv, "TOKEN_KEYS">,
  tenantId: string,
  t: { accessToken: string; refreshToken: string; accessExpiresAt: Date },
): Promise<SealedTokens> {
  return sealTokens(env, "pos", tenantId, { ...t, refreshExpiresAt: null });
}

const store = createTokenStore({
  provider: "pos",
  label: "the Retail POS",
  refreshMarginMs: REFRESH_MARGIN_MS,
  notConnected: "pos_not_connected",
  needsReconnect: "pos_needs_reconnect",
  transient: "pos_transient",
  // Before rotation reached a store, a refresh answer may omit the refresh token: the old one stays.
  refresh: async (s, row, refreshToken) => {
    const t = await refreshTokens(s, row.external_id!, refreshToken);
    return {
      accessToken: t.accessToken,
      ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      accessExpiresAt: t.accessExpiresAt,
      refreshExpiresAt: null,
    };
  },
  isInvalidGrant: (e) => e instanceof TillbridgeError && e.code === "pos_needs_reconnect",
});

export const endPosConnection = store.endConnection;

export async function getPosAccess(
  s: PosServices,
  tenantId: string,
  opts: { rejectedGeneration?: number } = {},
): Promise<PosAccess> {
  const a = await store.getAccess(s, tenantId, opts);
  return {
    accessToken: a.accessToken,
    domainPrefix: a.externalId,
    generation: a.generation,
    accessExpiresAt: a.accessExpiresAt,
  };
}
