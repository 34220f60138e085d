import { TillbridgeError } from "../../shared/errors";
import type { AppEnv } from "../env";
import { excerpt, exchange, type PosHttpDeps, retryAfterSeconds } from "./http";
import { TokenResponse } from "./schemas";

/**
 * The POS's OAuth 2.0 (authorization code; reference/pos-api-notes.md §1.2): authorize URL, code
 * exchange and refresh against the store's own token URL. Each token call is made exactly once —
 * replaying a refresh races the refresh-token rotation. Token values never reach a log.
 */

export type PosOAuthEnv = Pick<
  AppEnv,
  "POS_CLIENT_ID" | "POS_CLIENT_SECRET" | "POS_AUTHORIZE_URL" | "POS_TOKEN_URL_TEMPLATE" | "PUBLIC_URL"
>;

export interface PosTokenSet {
  accessToken: string;
  /** null when the answer kept the previous refresh token (no rotation) */
  refreshToken: string | null;
  accessExpiresAt: Date;
  domainPrefix: string | null;
}

/** Without an expiry in the answer, refresh within the hour (refreshing is harmless). */
const DEFAULT_LIFETIME_S = 3600;

export const DOMAIN_PREFIX = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function redirectUri(env: Pick<AppEnv, "PUBLIC_URL">): string {
  return `${env.PUBLIC_URL.replace(/\/+$/, "")}/auth/pos/callback`;
}

export function fillPrefix(template: string, domainPrefix: string): string {
  if (!DOMAIN_PREFIX.test(domainPrefix))
    throw new TillbridgeError("bad_request", `not a store domain prefix: "${domainPrefix.slice(0, 70)}"`);
  return template.replaceAll("{domain_prefix}", domainPrefix);
}

export function authorizeUrl(env: PosOAuthEnv, state: string): string {
  const url = new URL(env.POS_AUTHORIZE_URL);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", env.POS_CLIENT_ID);
  url.searchParams.set("redirect_uri", redirectUri(env));
  url.searchParams.set("state", state);
  return url.toString();
}

async function tokenRequest(
  deps: PosHttpDeps & { env: PosOAuthEnv },
  domainPrefix: string,
  form: Record<string, string>,
): Promise<PosTokenSet> {
  const startedAt = deps.now();
  const body = new URLSearchParams({
    ...form,
    client_id: deps.env.POS_CLIENT_ID,
    client_secret: deps.env.POS_CLIENT_SECRET,
  }).toString();
  const answer = await exchange(deps, fillPrefix(deps.env.POS_TOKEN_URL_TEMPLATE, domainPrefix), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
  });
  if (answer.status === 429) {
    const wait = retryAfterSeconds(answer.headers.get("retry-after"), deps.now()) ?? 60;
    throw new TillbridgeError("pos_throttled", "the token endpoint is rate limited", { retryAfterSeconds: wait });
  }
  if (answer.status >= 500) throw new TillbridgeError("pos_transient", `token endpoint HTTP ${answer.status}`);
  if (answer.status >= 400) {
    // invalid_grant, invalid_client, a revoked add-on: only the merchant reconnecting helps.
    let reason = `HTTP ${answer.status}`;
    try {
      const e = JSON.parse(answer.text) as { error?: unknown; error_description?: unknown };
      if (typeof e.error === "string")
        reason = e.error + (typeof e.error_description === "string" ? `: ${e.error_description}` : "");
    } catch {
      reason = `${reason} ${excerpt(answer.text, 80)}`.trim();
    }
    throw new TillbridgeError("pos_needs_reconnect", `the Retail POS refused the token request (${reason})`);
  }
  let parsed: TokenResponse;
  try {
    parsed = TokenResponse.parse(JSON.parse(answer.text));
  } catch {
    throw new TillbridgeError("pos_transient", `token endpoint answered HTTP ${answer.status} without tokens`);
  }
  // Relative lifetimes count from when the request was sent; an absolute `expires` is the POS's word.
  const expiresAt =
    parsed.expires_in != null
      ? new Date(startedAt.getTime() + parsed.expires_in * 1000)
      : parsed.expires != null
        ? new Date(parsed.expires * 1000)
        : new Date(startedAt.getTime() + DEFAULT_LIFETIME_S * 1000);
  return {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token ?? null,
    accessExpiresAt: expiresAt,
    domainPrefix: parsed.domain_prefix ?? null,
  };
}

/** Exchanges an authorization code. Once per code. */
export function exchangeCode(
  deps: PosHttpDeps & { env: PosOAuthEnv },
  domainPrefix: string,
  code: string,
): Promise<PosTokenSet> {
  return tokenRequest(deps, domainPrefix, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(deps.env),
  });
}

/** Refreshes. The answer's refresh token (rotated) must be stored before anything else. */
export function refreshTokens(
  deps: PosHttpDeps & { env: PosOAuthEnv },
  domainPrefix: string,
  refreshToken: string,
): Promise<PosTokenSet> {
  return tokenRequest(deps, domainPrefix, { grant_type: "refresh_token", refresh_token: refreshToken });
}
