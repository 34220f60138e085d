import { describe, expect, it } from "vitest";
import {
  BASE,
  CLIENT,
  REDIRECT,
  api,
  authorizeCode,
  basic,
  connect,
  makeSandbox,
  tokenRequest,
  type J,
  type Tokens,
} from "./helpers";

const authorizeUrl = (over: Record<string, string> = {}) => {
  const p = new URLSearchParams({
    client_id: CLIENT.id,
    response_type: "code",
    scope: "com.intuit.quickbooks.accounting openid",
    redirect_uri: REDIRECT,
    state: "xyz",
    ...over,
  });
  return new Request(`${BASE}/connect/oauth2?${p}`, { redirect: "manual" });
};

describe("Intuit OAuth 2.0", () => {
  it("shows a consent page with both companies, and Authorize redirects with code, state and realmId", async () => {
    const { sb } = makeSandbox({ autoApprove: false });
    const page = await sb.fetch(authorizeUrl());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Boutique Tillbridge Démo Inc.");
    expect(html).toContain("Tillbridge Demo Store LLC");
    const form = new URLSearchParams({
      client_id: CLIENT.id,
      redirect_uri: REDIRECT,
      scope: "com.intuit.quickbooks.accounting",
      state: "xyz",
      realmId: sb.realms.us,
      decision: "authorize",
    });
    const res = await sb.fetch(
      new Request(`${BASE}/connect/oauth2/consent`, { method: "POST", body: form, redirect: "manual" }),
    );
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect(loc.searchParams.get("state")).toBe("xyz");
    expect(loc.searchParams.get("realmId")).toBe(sb.realms.us);
    expect(loc.searchParams.get("code")).toMatch(/^AB/);
  });

  it("Cancel on the consent page redirects with error=access_denied", async () => {
    const { sb } = makeSandbox({ autoApprove: false });
    const form = new URLSearchParams({
      client_id: CLIENT.id,
      redirect_uri: REDIRECT,
      scope: "com.intuit.quickbooks.accounting",
      state: "s9",
      realmId: sb.realms.ca,
      decision: "cancel",
    });
    const res = await sb.fetch(
      new Request(`${BASE}/connect/oauth2/consent`, { method: "POST", body: form, redirect: "manual" }),
    );
    const loc = new URL(res.headers.get("location")!);
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("state")).toBe("s9");
    expect(loc.searchParams.get("code")).toBeNull();
  });

  it("refuses an unknown client, an unregistered redirect URI, a missing state, and a scope without accounting", async () => {
    const { sb } = makeSandbox();
    expect((await sb.fetch(authorizeUrl({ client_id: "nobody" }))).status).toBe(400);
    expect((await sb.fetch(authorizeUrl({ redirect_uri: "https://evil.example.com/cb" }))).status).toBe(400);
    expect((await sb.fetch(authorizeUrl({ state: "" }))).status).toBe(400);
    const scope = await sb.fetch(authorizeUrl({ scope: "openid" }));
    expect(scope.status).toBe(302);
    expect(new URL(scope.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
  });

  it("accepts an extra client's exact redirect URI only", async () => {
    const { sb } = makeSandbox({
      clients: [{ clientId: "other", clientSecret: "s", redirectUris: ["https://app.example.com/cb"] }],
    });
    expect(
      (await sb.fetch(authorizeUrl({ client_id: "other", redirect_uri: "https://app.example.com/cb" }))).status,
    ).toBe(302);
    expect((await sb.fetch(authorizeUrl({ client_id: "other", redirect_uri: REDIRECT }))).status).toBe(400);
  });

  it("exchanges a code for Intuit's token response", async () => {
    const { sb } = makeSandbox();
    const { code, realmId } = await authorizeCode(sb);
    expect(realmId).toBe(sb.realms.ca);
    const res = await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    const t = (await res.json()) as Tokens;
    expect(t.token_type).toBe("bearer");
    expect(t.expires_in).toBe(3600);
    expect(t.x_refresh_token_expires_in).toBe(8726400);
    expect(t.access_token).toBeTruthy();
    expect(t.refresh_token).toBeTruthy();
  });

  it("a code used twice fails with invalid_grant and revokes the tokens it issued", async () => {
    const { sb } = makeSandbox();
    const { code, realmId } = await authorizeCode(sb);
    const first = (await (
      await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })
    ).json()) as Tokens;
    expect((await api(sb, realmId, first.access_token).get("CompanyInfo", realmId)).status).toBe(200);
    const again = await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(((await again.json()) as J).error).toBe("invalid_grant");
    expect((await api(sb, realmId, first.access_token).get("CompanyInfo", realmId)).status).toBe(401);
    const refresh = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(refresh.status).toBe(400);
  });

  it("codes are short-lived and bound to their redirect URI", async () => {
    const { sb, clock } = makeSandbox();
    const a = await authorizeCode(sb);
    const wrong = await tokenRequest(sb, {
      grant_type: "authorization_code",
      code: a.code,
      redirect_uri: "http://127.0.0.1:9999/other",
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as J).error).toBe("invalid_grant");
    const b = await authorizeCode(sb);
    clock.advance(301);
    const late = await tokenRequest(sb, { grant_type: "authorization_code", code: b.code, redirect_uri: REDIRECT });
    expect(late.status).toBe(400);
    expect(((await late.json()) as J).error).toBe("invalid_grant");
  });

  it("refuses bad client credentials with invalid_client 401", async () => {
    const { sb } = makeSandbox();
    const { code } = await authorizeCode(sb);
    const res = await tokenRequest(
      sb,
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT },
      basic(CLIENT.id, "wrong"),
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_client" });
    const none = await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, "");
    expect(none.status).toBe(401);
  });

  it("rotates the refresh token on every refresh and rejects the old one at once", async () => {
    const { sb } = makeSandbox();
    const { tokens, realmId } = await connect(sb);
    const r1 = (await (
      await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })
    ).json()) as Tokens;
    expect(r1.refresh_token).not.toBe(tokens.refresh_token);
    expect(r1.access_token).not.toBe(tokens.access_token);
    const stale = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(stale.status).toBe(400);
    expect(((await stale.json()) as J).error).toBe("invalid_grant");
    const r2 = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: r1.refresh_token });
    expect(r2.status).toBe(200);
    expect((await api(sb, realmId, r1.access_token).get("CompanyInfo", realmId)).status).toBe(200);
  });

  it("access tokens expire after the TTL on the sandbox clock, with Intuit's 401 shape", async () => {
    const { sb, clock } = makeSandbox({ accessTokenTtlSeconds: 600 });
    const { token, realmId, tokens } = await connect(sb);
    expect(tokens.expires_in).toBe(600);
    clock.advance(599);
    expect((await api(sb, realmId, token).get("CompanyInfo", realmId)).status).toBe(200);
    clock.advance(1);
    const res = await api(sb, realmId, token).get("CompanyInfo", realmId);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="Intuit", error="invalid_token"');
    expect(res.body.fault.type).toBe("AUTHENTICATION");
    expect(res.body.fault.error[0]).toMatchObject({
      message: "message=AuthenticationFailed; errorCode=003200; statusCode=401",
      code: "3200",
    });
    expect(res.body.fault.error[0].detail).toMatch(/^Token expired/);
  });

  it("revoke (JSON or form) ends the whole grant: access and refresh", async () => {
    for (const style of ["json", "form"] as const) {
      const { sb } = makeSandbox();
      const { token, realmId, tokens } = await connect(sb);
      const body =
        style === "json"
          ? JSON.stringify({ token: tokens.refresh_token })
          : new URLSearchParams({ token: tokens.refresh_token });
      const res = await sb.fetch(
        new Request(`${BASE}/v2/oauth2/tokens/revoke`, {
          method: "POST",
          headers: { authorization: basic(), ...(style === "json" ? { "content-type": "application/json" } : {}) },
          body,
        }),
      );
      expect(res.status).toBe(200);
      expect((await api(sb, realmId, token).get("CompanyInfo", realmId)).status).toBe(401);
      expect(
        (await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status,
      ).toBe(400);
    }
  });

  it("revokeAll (a disconnect from QBO's side) ends every grant of the company", async () => {
    const { sb } = makeSandbox();
    const { token, realmId, tokens } = await connect(sb);
    sb.revokeAll(realmId);
    expect((await api(sb, realmId, token).get("CompanyInfo", realmId)).status).toBe(401);
    expect((await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status).toBe(
      400,
    );
  });

  it("a token for one company gets 403 ApplicationAuthorizationFailed on another", async () => {
    const { sb } = makeSandbox();
    const { token } = await connect(sb, "ca");
    const res = await api(sb, sb.realms.us, token).get("CompanyInfo", sb.realms.us);
    expect(res.status).toBe(403);
    expect(res.body.fault.error[0]).toMatchObject({
      message: "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
      code: "3100",
    });
  });

  it("publishes a discovery document naming its own endpoints", async () => {
    const { sb } = makeSandbox({ baseUrl: "http://127.0.0.1:8788" });
    for (const path of ["openid_configuration", "openid_sandbox_configuration"]) {
      const doc = (await (await sb.fetch(new Request(`${BASE}/.well-known/${path}`))).json()) as J;
      expect(doc.authorization_endpoint).toBe("http://127.0.0.1:8788/connect/oauth2");
      expect(doc.token_endpoint).toBe("http://127.0.0.1:8788/oauth2/v1/tokens/bearer");
      expect(doc.revocation_endpoint).toBe("http://127.0.0.1:8788/v2/oauth2/tokens/revoke");
    }
  });
});
