import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { revokeSession } from "../../../worker/db/sessions";
import { sha256Hex } from "../../../worker/lib/crypto";
import { connectionRow, createHarness, EXTENSION, forgetConnections, RETURN_TO, type Harness } from "./harness";

/** Starts a connection and lets the sandbox consent; returns the callback path Intuit redirected to. */
async function consent(h: Harness, session: string, returnTo = RETURN_TO): Promise<string> {
  const res = await h.api("/api/qbo/connect", session, { body: { returnTo } });
  expect(res.status).toBe(200);
  const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
  const back = new URL((await h.sandbox.fetch(new Request(authorizeUrl))).headers.get("location")!);
  return `${back.pathname}${back.search}`;
}

const callback = (h: Harness, path: string) => h.app.request(path, {}, env);

describe("POST /api/qbo/connect", () => {
  beforeEach(forgetConnections);

  it("answers Intuit's authorize URL with a single-use state stored hashed, bound to the session", async () => {
    const h = createHarness();
    const session = await h.session("shop-c");
    const res = await h.api("/api/qbo/connect", session, { body: { returnTo: `${RETURN_TO}?tab=connections` } });
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(env.QBO_AUTHORIZE_URL);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: "tillbridge-test-qbo",
      response_type: "code",
      scope: "com.intuit.quickbooks.accounting",
      redirect_uri: `${env.PUBLIC_URL}/auth/qbo/callback`,
    });
    const state = url.searchParams.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(43);
    const row = await env.DB.prepare("SELECT * FROM oauth_states WHERE state_hash = ?1")
      .bind(await sha256Hex(state))
      .first<{ expires_at: string; created_at: string }>();
    expect(row).toMatchObject({
      provider: "qbo",
      tenant_id: "shop-c",
      session_hash: await sha256Hex(session),
      return_to: `${RETURN_TO}?tab=connections`,
    });
    expect(Date.parse(row!.expires_at) - Date.parse(row!.created_at)).toBe(10 * 60_000);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_states WHERE state_hash = ?1")
        .bind(state)
        .first<{ n: number }>(),
    ).toEqual({ n: 0 });
  });

  it.each([
    ["another origin", "https://evil.example/options.html"],
    ["another extension", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/options.html"],
    ["a script URL", "javascript:alert(1)"],
    ["a fragment", `${RETURN_TO}#x`],
    ["credentials", `chrome-extension://user:pw@${EXTENSION.slice("chrome-extension://".length)}/options.html`],
    ["not a page", `${EXTENSION}/background.js`],
    ["not a URL", "options.html"],
  ])("refuses returnTo with %s", async (_, returnTo) => {
    const h = createHarness();
    const res = await h.api("/api/qbo/connect", await h.session("shop-c"), { body: { returnTo } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe("bad_request");
    expect(Object.keys(body.error.fields)).toEqual(["returnTo"]);
  });

  it("forgets states that expired more than a day ago", async () => {
    const h = createHarness();
    const session = await h.session("shop-p");
    const old = new Date(h.now().getTime() - 2 * 24 * 3600_000);
    await env.DB.prepare(
      "INSERT INTO oauth_states (state_hash, provider, tenant_id, return_to, created_at, expires_at) VALUES ('old', 'qbo', 'shop-p', ?1, ?2, ?2)",
    )
      .bind(RETURN_TO, old.toISOString())
      .run();
    await h.api("/api/qbo/connect", session, { body: { returnTo: RETURN_TO } });
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_states WHERE state_hash = 'old'").first<{ n: number }>(),
    ).toEqual({ n: 0 });
  });

  it("needs a session", async () => {
    const h = createHarness();
    const res = await h.app.request(
      "/api/qbo/connect",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ returnTo: RETURN_TO }),
      },
      env,
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const status = await h.app.request("/api/qbo/connection", {}, env);
    expect(status.status).toBe(401);
  });

  it("reports not_connected before any connection", async () => {
    const h = createHarness();
    expect(await (await h.api("/api/qbo/connection", await h.session("shop-n"))).json()).toEqual({
      status: "not_connected",
    });
    expect(await (await h.api("/api/qbo/disconnect", await h.session("shop-n"), { method: "POST" })).json()).toEqual({
      ok: true,
      status: "not_connected",
      revoked: false,
    });
  });
});

describe("GET /auth/qbo/callback", () => {
  beforeEach(forgetConnections);

  it("answers an unknown or missing state with oauth_state_invalid, not a redirect", async () => {
    const h = createHarness();
    for (const path of ["/auth/qbo/callback?code=x&state=nope&realmId=1", "/auth/qbo/callback?code=x"]) {
      const res = await callback(h, path);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("oauth_state_invalid");
    }
    expect(h.grants("authorization_code")).toBe(0);
  });

  it("refuses an expired state without exchanging the code", async () => {
    const h = createHarness();
    const path = await consent(h, await h.session("shop-e"));
    h.advance(10 * 60_000 + 1000);
    const res = await callback(h, path);
    expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=oauth_state_invalid`);
    expect(h.grants("authorization_code")).toBe(0);
    expect(await connectionRow("shop-e")).toBeNull();
  });

  it("records a denied consent and replays it", async () => {
    const h = createHarness();
    h.sandbox.setConsent("deny");
    const path = await consent(h, await h.session("shop-d"));
    expect(path).toContain("error=access_denied");
    for (let i = 0; i < 2; i++) {
      const res = await callback(h, path);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=oauth_denied`);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    expect(h.grants("authorization_code")).toBe(0);
  });

  it("exchanges the code once when two callbacks arrive together", async () => {
    const h = createHarness();
    const path = await consent(h, await h.session("shop-2"));
    const [a, b] = await Promise.all([callback(h, path), callback(h, path)]);
    expect(a.headers.get("location")).toBe(`${RETURN_TO}#qbo=connected`);
    expect(b.headers.get("location")).toBe(`${RETURN_TO}#qbo=connected`);
    expect(h.grants("authorization_code")).toBe(1);
    expect((await connectionRow("shop-2"))!.status).toBe("connected");
  });

  it("refuses a company already connected to another store, before exchanging the code", async () => {
    const h = createHarness();
    await h.connect("shop-x");
    const path = await consent(h, await h.session("shop-y"));
    const res = await callback(h, path);
    expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=conflict`);
    expect(h.grants("authorization_code")).toBe(1);
    expect(await connectionRow("shop-y")).toBeNull();
    expect((await connectionRow("shop-x"))!.status).toBe("connected");
    // the other store disconnects: now the company is free
    await h.api("/api/qbo/disconnect", await h.session("shop-x"), { method: "POST" });
    expect((await h.connect("shop-y")).location).toBe(`${RETURN_TO}#qbo=connected`);
  });

  it("refuses a callback whose session was signed out meanwhile", async () => {
    const h = createHarness();
    const session = await h.session("shop-s");
    const path = await consent(h, session);
    await revokeSession(env.DB, await sha256Hex(session), h.now());
    const res = await callback(h, path);
    expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=oauth_state_invalid`);
    expect(h.grants("authorization_code")).toBe(0);
  });

  it("moves a store to another company: the old grant is revoked, the reference cache dropped", async () => {
    const h = createHarness();
    await h.connect("shop-m");
    await env.KV.put("qbo-refs:shop-m", "{}");
    h.sandbox.setConsent("us");
    const moved = await h.connect("shop-m");
    expect(moved.location).toBe(`${RETURN_TO}#qbo=connected`);
    expect((await connectionRow("shop-m"))!.external_id).toBe(h.sandbox.realms.us);
    expect(h.calls.filter((c) => c.url.pathname === "/v2/oauth2/tokens/revoke")).toHaveLength(1);
    expect(await env.KV.get("qbo-refs:shop-m")).toBeNull();
  });

  it("gives the grant back when the company cannot be read for a lasting reason", async () => {
    const h = createHarness();
    h.sandbox.injectFault({
      realm: h.sandbox.realms.ca,
      kind: "fault",
      fault: {
        status: 403,
        code: "3100",
        type: "SERVICE",
        message: "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
      },
    });
    const { location } = await h.connect("shop-f");
    expect(location).toBe(`${RETURN_TO}#qbo=error&code=qbo_forbidden`);
    expect(await connectionRow("shop-f")).toBeNull();
    expect(h.calls.filter((c) => c.url.pathname === "/v2/oauth2/tokens/revoke")).toHaveLength(1);
  });

  it("keeps the connection when only the company name is unavailable (transient)", async () => {
    const h = createHarness();
    h.sandbox.injectFault({ realm: h.sandbox.realms.ca, kind: "http503" });
    const { location, session } = await h.connect("shop-g");
    expect(location).toBe(`${RETURN_TO}#qbo=connected`);
    const status = (await (await h.api("/api/qbo/connection", session)).json()) as Record<string, unknown>;
    expect(status.status).toBe("connected");
    expect(status.displayName).toBeUndefined();
  });
});
