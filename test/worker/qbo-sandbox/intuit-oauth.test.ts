/**
 * Conformance: Intuit's own client, intuit-oauth 4.2.5, completes its whole flow against the sandbox.
 * Its axios calls go through the global fetch, which this test routes to the sandbox while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, CLIENT, REDIRECT, api, makeSandbox, type J } from "./helpers";

const { sb } = makeSandbox();
const realFetch = globalThis.fetch;
const seen: string[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let OAuthClient: any;

beforeAll(async () => {
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push(`${req.method} ${new URL(req.url).pathname}`);
    return sb.fetch(req);
  }) as typeof fetch;
  // Imported after the patch in case axios captures fetch when it loads.
  OAuthClient = ((await import("intuit-oauth")) as J).default;
});

afterAll(() => {
  globalThis.fetch = realFetch;
});

describe("intuit-oauth against the sandbox", () => {
  it("authorizeUri → consent → createToken → refreshUsingToken → revoke", async () => {
    const client = new OAuthClient({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      environment: "sandbox",
      redirectUri: REDIRECT,
    });
    client.setAuthorizeURLs({
      authorizeEndpoint: `${BASE}/connect/oauth2`,
      tokenEndpoint: `${BASE}/oauth2/v1/tokens/bearer`,
      revokeEndpoint: `${BASE}/v2/oauth2/tokens/revoke`,
      userInfoEndpoint: `${BASE}/v1/openid_connect/userinfo`,
    });
    const uri: string = client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: "conformance-1" });
    expect(uri.startsWith(`${BASE}/connect/oauth2?`)).toBe(true);

    sb.setConsent("us");
    const consent = await sb.fetch(new Request(uri, { redirect: "manual" }));
    expect(consent.status).toBe(302);
    const callback = consent.headers.get("location")!;
    expect(new URL(callback).searchParams.get("state")).toBe("conformance-1");

    const created = await client.createToken(callback);
    const token = created.getToken();
    expect(token.realmId).toBe(sb.realms.us);
    expect(token.token_type).toBe("bearer");
    expect(token.expires_in).toBe(3600);
    expect(client.isAccessTokenValid()).toBe(true);
    const info = await api(sb, token.realmId, token.access_token).get("CompanyInfo", token.realmId);
    expect(info.body.CompanyInfo.CompanyName).toBe("Tillbridge Demo Store LLC");

    const refreshed = await client.refreshUsingToken(token.refresh_token);
    const next = refreshed.getToken();
    expect(next.refresh_token).not.toBe(token.refresh_token);
    expect(next.access_token).not.toBe(token.access_token);

    const revoked = await client.revoke({ refresh_token: next.refresh_token });
    expect(revoked.status()).toBe(200);
    expect((await api(sb, token.realmId, next.access_token).get("CompanyInfo", token.realmId)).status).toBe(401);

    expect(seen).toEqual([
      "POST /oauth2/v1/tokens/bearer",
      "POST /oauth2/v1/tokens/bearer",
      "POST /v2/oauth2/tokens/revoke",
    ]);
  });

  it("surfaces the sandbox's invalid_grant on a superseded refresh token", async () => {
    const client = new OAuthClient({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      environment: "sandbox",
      redirectUri: REDIRECT,
    });
    const err = await client.refreshUsingToken("RT1-not-a-token").then(
      () => null,
      (e: J) => e,
    );
    expect(
      JSON.stringify({
        message: err?.message,
        error: err?.error,
        body: err?.authResponse?.json ?? err?.response?.data,
      }),
    ).toMatch(/invalid_grant/);
  });
});
