import { Hono } from "hono";
import { z } from "zod";
import { PosSandboxError } from "./store";
import type { Runtime } from "./runtime";

/**
 * The POS's OAuth 2.0 authorization-code flow (notes §1.2): `/connect` → consent page (the merchant
 * picks the store) → redirect with `code`, `domain_prefix`, `state`; `POST /<prefix>/api/1.0/token`
 * exchanges a code (single use, 10 minutes) or rotates a refresh token (the old one is revoked). Access
 * tokens expire by the sandbox clock. Tokens are opaque random strings kept in the exported state.
 */

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  prefix: string;
  expiresAt: number;
  used: boolean;
}

export interface TokenRec {
  kind: "access" | "refresh";
  clientId: string;
  prefix: string;
  /** Epoch ms; null for refresh tokens (they live until rotated or revoked). */
  expiresAt: number | null;
  revoked: boolean;
}

export interface AuthState {
  codes: Record<string, AuthCode>;
  tokens: Record<string, TokenRec>;
}

export const CODE_TTL_MS = 10 * 60 * 1000;

export function randomToken(bytes = 24): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

const ConnectQuery = z.object({
  response_type: z.literal("code"),
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  state: z.string().min(8, "state must be at least 8 characters"),
  domain_prefix: z.string().optional(),
});

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function redirectWith(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function consentPage(rt: Runtime, q: z.infer<typeof ConnectQuery>): string {
  const chosen = q.domain_prefix ?? rt.prefixes()[0];
  const stores = rt.prefixes().map((p) => {
    const name = rt.store(p).retailer.name;
    return `<label><input type="radio" name="domain_prefix" value="${esc(p)}"${p === chosen ? " checked" : ""}> ${esc(name)} (${esc(p)})</label><br>`;
  });
  const hidden = ["client_id", "redirect_uri", "state"]
    .map((k) => `<input type="hidden" name="${k}" value="${esc(String(q[k as keyof typeof q]))}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connect an add-on — Retail POS sandbox</title></head>
<body><h1>Allow “${esc(q.client_id)}” to access your store?</h1>
<form method="post" action="/connect">${hidden}<fieldset><legend>Store</legend>${stores.join("")}</fieldset>
<button type="submit" name="decision" value="approve" id="approve">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></form></body></html>`;
}

function issueCode(rt: Runtime, clientId: string, redirectUri: string, prefix: string): string {
  const code = randomToken(16);
  rt.auth.codes[code] = { clientId, redirectUri, prefix, expiresAt: rt.now().getTime() + CODE_TTL_MS, used: false };
  return code;
}

function issueTokens(rt: Runtime, clientId: string, prefix: string) {
  const access = randomToken();
  const refresh = randomToken();
  const now = rt.now().getTime();
  const ttl = rt.accessTokenTtlSeconds;
  rt.auth.tokens[access] = { kind: "access", clientId, prefix, expiresAt: now + ttl * 1000, revoked: false };
  rt.auth.tokens[refresh] = { kind: "refresh", clientId, prefix, expiresAt: null, revoked: false };
  return {
    access_token: access,
    token_type: "Bearer",
    expires: Math.floor(now / 1000) + ttl,
    expires_in: ttl,
    refresh_token: refresh,
    domain_prefix: prefix,
    scope: "",
  };
}

const oauthError = (error: string, description: string) => ({ error, error_description: description });

export function oauthRoutes(rt: Runtime) {
  const app = new Hono();

  app.get("/connect", (c) => {
    const q = ConnectQuery.safeParse(c.req.query());
    if (!q.success)
      return c.html(
        `<!doctype html><p>Invalid request: ${esc(q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}</p>`,
        400,
      );
    if (!rt.clientSecret(q.data.client_id)) return c.html("<!doctype html><p>Unknown client_id</p>", 400);
    if (rt.autoApprove) {
      const prefix =
        q.data.domain_prefix && rt.hasStore(q.data.domain_prefix) ? q.data.domain_prefix : rt.prefixes()[0]!;
      const code = issueCode(rt, q.data.client_id, q.data.redirect_uri, prefix);
      return c.redirect(redirectWith(q.data.redirect_uri, { code, domain_prefix: prefix, state: q.data.state }), 302);
    }
    return c.html(consentPage(rt, q.data));
  });

  app.post("/connect", async (c) => {
    const form = await c.req.parseBody();
    const q = ConnectQuery.omit({ response_type: true })
      .extend({ decision: z.enum(["approve", "deny"]) })
      .safeParse(form);
    if (!q.success || !rt.clientSecret(q.data.client_id))
      return c.html("<!doctype html><p>Invalid consent form</p>", 400);
    if (q.data.decision === "deny")
      return c.redirect(redirectWith(q.data.redirect_uri, { error: "access_denied", state: q.data.state }), 302);
    const prefix = q.data.domain_prefix ?? "";
    if (!rt.hasStore(prefix)) return c.html("<!doctype html><p>Pick a store</p>", 400);
    const code = issueCode(rt, q.data.client_id, q.data.redirect_uri, prefix);
    return c.redirect(redirectWith(q.data.redirect_uri, { code, domain_prefix: prefix, state: q.data.state }), 302);
  });

  app.post("/:prefix/api/1.0/token", async (c) => {
    const prefix = c.req.param("prefix");
    if (!rt.hasStore(prefix)) return c.json({ error: "Not Found" }, 404);
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
      return c.json(oauthError("invalid_request", "the token request is a form post"), 400);
    }
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
    const clientId = str("client_id");
    const secret = rt.clientSecret(clientId);
    if (!secret || secret !== str("client_secret"))
      return c.json(oauthError("invalid_client", "unknown client or wrong secret"), 401);

    if (str("grant_type") === "authorization_code") {
      const code = rt.auth.codes[str("code")];
      if (
        !code ||
        code.used ||
        code.expiresAt < rt.now().getTime() ||
        code.clientId !== clientId ||
        code.prefix !== prefix ||
        code.redirectUri !== str("redirect_uri")
      ) {
        return c.json(
          oauthError(
            "invalid_grant",
            "the code is invalid, expired, already used, or for another client, store or redirect_uri",
          ),
          400,
        );
      }
      code.used = true;
      return c.json(issueTokens(rt, clientId, prefix));
    }
    if (str("grant_type") === "refresh_token") {
      const old = rt.auth.tokens[str("refresh_token")];
      if (old?.kind !== "refresh" || old.revoked || old.clientId !== clientId || old.prefix !== prefix) {
        return c.json(oauthError("invalid_grant", "the refresh token is invalid or was revoked"), 400);
      }
      old.revoked = true; // rotation: the used refresh token dies once the new one is issued
      return c.json(issueTokens(rt, clientId, prefix));
    }
    return c.json(oauthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token"), 400);
  });

  return app;
}

/** The store a bearer token opens, or a 401. */
export function authenticate(rt: Runtime, prefix: string, header: string | undefined): TokenRec {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const token = match ? rt.auth.tokens[match[1]!] : undefined;
  if (
    token?.kind !== "access" ||
    token.revoked ||
    token.prefix !== prefix ||
    (token.expiresAt ?? 0) <= rt.now().getTime()
  ) {
    throw new PosSandboxError(401, "Unauthorized");
  }
  return token;
}

/** The merchant uninstalls the add-on: every token of the store dies (refresh included). */
export function revokeStoreGrants(rt: Runtime, prefix: string, clientId?: string): number {
  let n = 0;
  for (const t of Object.values(rt.auth.tokens)) {
    if (t.prefix === prefix && !t.revoked && (!clientId || t.clientId === clientId)) {
      t.revoked = true;
      n++;
    }
  }
  return n;
}
