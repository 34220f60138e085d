import { z } from "zod";
import type { AppEnv } from "../env";
import { toBase64 } from "../lib/crypto";
import { errorFromNoAnswer, QboError, tokenEndpointError } from "./faults";
import { withTimeout } from "./http";

/**
 * Intuit OAuth 2.0, called directly with the injected fetch (qbo-api-notes §6; why not
 * intuit-oauth: worker/qbo/README.md). Each call is made exactly once: no automatic retries here,
 * because replaying a code exchange invalidates the tokens and replaying a refresh can race a
 * rotation. Token values never reach a log.
 */

export const QBO_SCOPE = "com.intuit.quickbooks.accounting";
const TOKEN_TIMEOUT_MS = 20_000;

export interface OAuthDeps {
  env: Pick<
    AppEnv,
    "QBO_CLIENT_ID" | "QBO_CLIENT_SECRET" | "QBO_AUTHORIZE_URL" | "QBO_TOKEN_URL" | "QBO_REVOKE_URL" | "PUBLIC_URL"
  >;
  fetch: typeof fetch;
  now: () => Date;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
  x_refresh_token_expires_in: z.coerce.number().int().positive().optional(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
}

export function redirectUri(env: Pick<AppEnv, "PUBLIC_URL">): string {
  return `${env.PUBLIC_URL.replace(/\/+$/, "")}/auth/qbo/callback`;
}

export function authorizeUrl(env: OAuthDeps["env"], state: string): string {
  const url = new URL(env.QBO_AUTHORIZE_URL);
  url.searchParams.set("client_id", env.QBO_CLIENT_ID);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", QBO_SCOPE);
  url.searchParams.set("redirect_uri", redirectUri(env));
  url.searchParams.set("state", state);
  return url.toString();
}

function basicAuth(env: OAuthDeps["env"]): string {
  return `Basic ${toBase64(new TextEncoder().encode(`${env.QBO_CLIENT_ID}:${env.QBO_CLIENT_SECRET}`))}`;
}

/** One POST with a timeout; the answer's status and text, or a classified no-answer error. */
async function post(
  deps: OAuthDeps,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const work = (async () => {
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method: "POST",
        headers: { authorization: basicAuth(deps.env), accept: "application/json", ...headers },
        body,
        signal: controller.signal,
      });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      throw errorFromNoAnswer(e, { write: false, now: deps.now() });
    }
  })();
  return withTimeout(work, TOKEN_TIMEOUT_MS, controller, () =>
    errorFromNoAnswer(new Error("timeout"), { write: false, now: deps.now(), timedOutAfterMs: TOKEN_TIMEOUT_MS }),
  );
}

async function tokenRequest(deps: OAuthDeps, form: Record<string, string>): Promise<TokenSet> {
  const startedAt = deps.now();
  const { status, text } = await post(
    deps,
    deps.env.QBO_TOKEN_URL,
    { "content-type": "application/x-www-form-urlencoded" },
    new URLSearchParams(form).toString(),
  );
  if (status < 200 || status >= 300) throw tokenEndpointError(status, text, deps.now());
  let parsed: z.infer<typeof TokenResponse>;
  try {
    parsed = TokenResponse.parse(JSON.parse(text));
  } catch {
    throw new QboError("qbo_transient", `token endpoint answered HTTP ${status} without tokens`, {
      httpStatus: status,
      errors: [],
      outcomeUnknown: false,
    });
  }
  // Expiries count from when the request was sent, so latency only makes them earlier.
  return {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token,
    accessExpiresAt: new Date(startedAt.getTime() + parsed.expires_in * 1000),
    refreshExpiresAt: parsed.x_refresh_token_expires_in
      ? new Date(startedAt.getTime() + parsed.x_refresh_token_expires_in * 1000)
      : null,
  };
}

/** Exchanges an authorization code. Call it once per code: a second exchange may kill the tokens. */
export function exchangeCode(deps: OAuthDeps, code: string): Promise<TokenSet> {
  return tokenRequest(deps, { grant_type: "authorization_code", code, redirect_uri: redirectUri(deps.env) });
}

/** Refreshes. The answer's refresh token must be stored (it may have rotated) before anything else. */
export function refreshTokens(deps: OAuthDeps, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(deps, { grant_type: "refresh_token", refresh_token: refreshToken });
}

/** Revokes a token at Intuit (JSON {token}, Basic auth). Revoking the refresh token ends the grant. */
export async function revokeToken(deps: OAuthDeps, token: string): Promise<void> {
  const { status, text } = await post(
    deps,
    deps.env.QBO_REVOKE_URL,
    { "content-type": "application/json" },
    JSON.stringify({ token }),
  );
  if (status < 200 || status >= 300) throw tokenEndpointError(status, text, deps.now());
}
