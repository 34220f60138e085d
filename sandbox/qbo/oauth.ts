/**
 * Intuit OAuth 2.0 as QBO apps meet it (qbo-api-notes §6): the consent page, the token endpoint with
 * single-use codes (a reused code revokes what it issued) and strict refresh-token rotation, the revoke
 * endpoint, and the discovery document.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { type SandboxContext, LOOPBACK_REDIRECT } from "./context";
import { type AccessToken, type Grant, randomToken } from "./state";
import { consentPage, errorPage } from "./ui";

const CODE_TTL_MS = 5 * 60 * 1000;
const REFRESH_TTL_S = 8_726_400;
const ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting";

export function clientFor(ctx: SandboxContext, clientId: string | undefined) {
  return ctx.clients.find((c) => c.clientId === clientId);
}

function redirectAllowed(ctx: SandboxContext, clientId: string, uri: string): boolean {
  const client = clientFor(ctx, clientId);
  if (!client) return false;
  if (client.redirectUris?.includes(uri)) return true;
  return !client.redirectUris && LOOPBACK_REDIRECT.test(uri);
}

/** HTTP Basic client authentication, as the token and revoke endpoints require. */
function basicClient(ctx: SandboxContext, header: string | undefined) {
  const m = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = atob(m[1]!.trim());
  } catch {
    return undefined;
  }
  const sep = decoded.indexOf(":");
  const client = clientFor(ctx, decodeURIComponent(decoded.slice(0, sep)));
  return client && client.clientSecret === decodeURIComponent(decoded.slice(sep + 1)) ? client : undefined;
}

const tokenError = (c: Context, error: string, status: 400 | 401, description?: string) =>
  c.json(description ? { error, error_description: description } : { error }, status, { "cache-control": "no-store" });

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function revokeGrant(ctx: SandboxContext, grantId: string): void {
  const grant = ctx.state.oauth.grants[grantId];
  if (grant) grant.revoked = true;
  for (const [token, t] of Object.entries(ctx.state.oauth.accessTokens))
    if (t.grantId === grantId) delete ctx.state.oauth.accessTokens[token];
}

function issue(ctx: SandboxContext, grantId: string, grant: Grant) {
  const now = ctx.now().getTime();
  const access = randomToken(32);
  ctx.state.oauth.accessTokens[access] = {
    grantId,
    realmId: grant.realmId,
    expiresAt: now + ctx.accessTokenTtlSeconds * 1000,
  } satisfies AccessToken;
  return {
    token_type: "bearer",
    access_token: access,
    refresh_token: grant.refreshToken,
    expires_in: ctx.accessTokenTtlSeconds,
    x_refresh_token_expires_in: Math.max(0, Math.floor((grant.refreshExpiresAt - now) / 1000)),
  };
}

export function oauthRoutes(ctx: SandboxContext): Hono {
  const app = new Hono();

  const discovery = (c: Context) =>
    c.json({
      issuer: `${ctx.baseUrl}/op/v1`,
      authorization_endpoint: `${ctx.baseUrl}/connect/oauth2`,
      token_endpoint: `${ctx.baseUrl}/oauth2/v1/tokens/bearer`,
      userinfo_endpoint: `${ctx.baseUrl}/v1/openid_connect/userinfo`,
      revocation_endpoint: `${ctx.baseUrl}/v2/oauth2/tokens/revoke`,
      jwks_uri: `${ctx.baseUrl}/op/v1/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: [
        "openid",
        "email",
        "profile",
        "address",
        "phone",
        ACCOUNTING_SCOPE,
        "com.intuit.quickbooks.payment",
      ],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "exp", "iat", "iss", "realmid", "sub"],
    });
  app.get("/.well-known/openid_configuration", discovery);
  app.get("/.well-known/openid_sandbox_configuration", discovery);

  app.get("/connect/oauth2", (c) => {
    const q = c.req.query();
    const client = clientFor(ctx, q.client_id);
    if (!client) return c.html(errorPage("invalid_client", "The client_id is not registered with Intuit."), 400);
    if (!q.redirect_uri || !redirectAllowed(ctx, client.clientId, q.redirect_uri)) {
      return c.html(errorPage("invalid_request", "The redirect_uri is not registered for this app."), 400);
    }
    if (!q.state) return c.html(errorPage("invalid_request", "The state parameter is required."), 400);
    if (q.response_type !== "code")
      return c.redirect(withParams(q.redirect_uri, { error: "unsupported_response_type", state: q.state }), 302);
    const scopes = (q.scope ?? "").split(/[\s+]+/).filter(Boolean);
    if (!scopes.includes(ACCOUNTING_SCOPE))
      return c.redirect(withParams(q.redirect_uri, { error: "invalid_scope", state: q.state }), 302);
    if (ctx.consent === "page") {
      const companies = Object.values(ctx.realms).flatMap((id) => {
        const r = ctx.state.realms[id];
        return r ? [{ realmId: r.realmId, name: String(r.companyInfo.CompanyName) }] : [];
      });
      return c.html(
        consentPage({
          clientId: client.clientId,
          redirectUri: q.redirect_uri,
          scope: scopes.join(" "),
          state: q.state,
          companies,
        }),
      );
    }
    if (ctx.consent === "deny")
      return c.redirect(withParams(q.redirect_uri, { error: "access_denied", state: q.state }), 302);
    return c.redirect(
      authorize(ctx, client.clientId, q.redirect_uri, scopes.join(" "), q.state, ctx.realms[ctx.consent]),
      302,
    );
  });

  app.post("/connect/oauth2/consent", async (c) => {
    const f = await c.req.parseBody();
    const get = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : "");
    const clientId = get("client_id");
    const redirectUri = get("redirect_uri");
    if (!clientFor(ctx, clientId) || !redirectAllowed(ctx, clientId, redirectUri))
      return c.html(errorPage("invalid_request", "This consent form is not valid."), 400);
    if (get("decision") !== "authorize")
      return c.redirect(withParams(redirectUri, { error: "access_denied", state: get("state") }), 302);
    if (!ctx.state.realms[get("realmId")]) return c.html(errorPage("invalid_request", "Choose a company."), 400);
    return c.redirect(authorize(ctx, clientId, redirectUri, get("scope"), get("state"), get("realmId")), 302);
  });

  app.post("/oauth2/v1/tokens/bearer", async (c) => {
    const client = basicClient(ctx, c.req.header("authorization"));
    if (!client) return tokenError(c, "invalid_client", 401);
    const f = await c.req.parseBody();
    const get = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
    const now = ctx.now().getTime();
    const oauth = ctx.state.oauth;
    if (get("grant_type") === "authorization_code") {
      const code = oauth.codes[get("code") ?? ""];
      if (!code || code.clientId !== client.clientId) return tokenError(c, "invalid_grant", 400);
      if (code.grantId) {
        // Intuit treats a second exchange as an attack: what the code issued is revoked.
        revokeGrant(ctx, code.grantId);
        return tokenError(c, "invalid_grant", 400, "Authorization code already used");
      }
      if (code.expiresAt <= now) return tokenError(c, "invalid_grant", 400, "Authorization code expired");
      if (get("redirect_uri") !== code.redirectUri)
        return tokenError(c, "invalid_grant", 400, "redirect_uri does not match");
      const grantId = randomToken(12);
      const grant: Grant = {
        clientId: client.clientId,
        realmId: code.realmId,
        scope: code.scope,
        refreshToken: `RT1-${randomToken(24)}`,
        refreshExpiresAt: now + REFRESH_TTL_S * 1000,
        revoked: false,
      };
      oauth.grants[grantId] = grant;
      code.grantId = grantId;
      return c.json(issue(ctx, grantId, grant), 200, { "cache-control": "no-store" });
    }
    if (get("grant_type") === "refresh_token") {
      const presented = get("refresh_token") ?? "";
      const entry = Object.entries(oauth.grants).find(([, g]) => g.refreshToken === presented);
      if (!entry) return tokenError(c, "invalid_grant", 400, "Refresh token not found");
      const [grantId, grant] = entry;
      if (grant.revoked || grant.clientId !== client.clientId || grant.refreshExpiresAt <= now)
        return tokenError(c, "invalid_grant", 400);
      // Strict rotation: a new refresh token every time; the presented one is dead from now on.
      grant.refreshToken = `RT1-${randomToken(24)}`;
      grant.refreshExpiresAt = now + REFRESH_TTL_S * 1000;
      return c.json(issue(ctx, grantId, grant), 200, { "cache-control": "no-store" });
    }
    return tokenError(c, "unsupported_grant_type", 400);
  });

  app.post("/v2/oauth2/tokens/revoke", async (c) => {
    const client = basicClient(ctx, c.req.header("authorization"));
    if (!client) return tokenError(c, "invalid_client", 401);
    let token: string | undefined;
    if ((c.req.header("content-type") ?? "").includes("application/json")) {
      const body = (await c.req.json().catch(() => ({}))) as { token?: unknown };
      token = typeof body.token === "string" ? body.token : undefined;
    } else {
      const f = await c.req.parseBody();
      token = typeof f.token === "string" ? f.token : undefined;
    }
    if (!token) return tokenError(c, "invalid_request", 400, "token is required");
    const oauth = ctx.state.oauth;
    const grantId =
      oauth.accessTokens[token]?.grantId ?? Object.entries(oauth.grants).find(([, g]) => g.refreshToken === token)?.[0];
    if (grantId && oauth.grants[grantId]?.clientId === client.clientId) revokeGrant(ctx, grantId);
    return c.body(null, 200);
  });

  return app;
}

function authorize(
  ctx: SandboxContext,
  clientId: string,
  redirectUri: string,
  scope: string,
  state: string,
  realmId: string,
): string {
  const code = `AB${randomToken(20)}`;
  ctx.state.oauth.codes[code] = { clientId, redirectUri, realmId, scope, expiresAt: ctx.now().getTime() + CODE_TTL_MS };
  return withParams(redirectUri, { code, state, realmId });
}

/** The user disconnects the app from QBO's side: every grant for the company ends. */
export function revokeRealm(ctx: SandboxContext, realmId: string): void {
  for (const [id, g] of Object.entries(ctx.state.oauth.grants)) if (g.realmId === realmId) revokeGrant(ctx, id);
}
