import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { TillbridgeError } from "../../../shared/errors";
import { decryptSecret } from "../../../worker/lib/crypto";
import { QboClient } from "../../../worker/qbo/client";
import { refreshTokens } from "../../../worker/qbo/oauth";
import { getQboAccess } from "../../../worker/qbo/tokens";
import { connectionRow, createHarness, expectNoTokenInLogs, forgetConnections, RETURN_TO } from "./harness";

const HOUR = 3600_000;

async function rejection(p: Promise<unknown>): Promise<TillbridgeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TillbridgeError) return e;
    throw e;
  }
  throw new Error("expected a TillbridgeError");
}

describe("QBO connection lifecycle against the sandbox", () => {
  beforeEach(forgetConnections);

  it("connects, calls, refreshes once for concurrent callers, keeps the rotated token, ends on revoke, reconnects and disconnects", async () => {
    const h = createHarness();
    const realm = h.sandbox.realms.ca;

    // --- connect
    const first = await h.connect("shop-a");
    expect(first.location).toBe(`${RETURN_TO}#qbo=connected`);
    expect(h.grants("authorization_code")).toBe(1);
    const status = await (await h.api("/api/qbo/connection", first.session)).json();
    expect(status).toMatchObject({
      status: "connected",
      externalId: realm,
      displayName: "Boutique Tillbridge Démo Inc.",
      environment: "sandbox",
    });

    // tokens at rest: sealed with the current key, bound to this tenant, never plaintext
    const row = (await connectionRow("shop-a"))!;
    expect(row.generation).toBe(1);
    expect(row.key_id).toBe("k2");
    expect(String(row.access_token_enc)).toMatch(/^v1\.k2\./);
    const access1 = await decryptSecret(env.TOKEN_KEYS, String(row.access_token_enc), "qbo:shop-a:access");
    const refresh1 = await decryptSecret(env.TOKEN_KEYS, String(row.refresh_token_enc), "qbo:shop-a:refresh");
    expect(h.issuedTokens.has(access1) && h.issuedTokens.has(refresh1)).toBe(true);
    await expect(decryptSecret(env.TOKEN_KEYS, String(row.refresh_token_enc), "qbo:shop-b:refresh")).rejects.toThrow();
    const audits = await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE tenant_id = 'shop-a' ORDER BY id",
    ).all<{ action: string; actor: string }>();
    expect(audits.results).toContainEqual({ action: "connect", actor: "user:owner@shop-a" });

    // a duplicate callback (reload) replays the outcome and never exchanges the code again
    const replay = await h.app.request(first.callbackPath, {}, env);
    expect(replay.headers.get("location")).toBe(`${RETURN_TO}#qbo=connected`);
    expect(h.grants("authorization_code")).toBe(1);

    // --- call: every request pins minorversion=75 and asks for JSON
    const client = await QboClient.open(h.services, "shop-a");
    const accounts = await client.query("select * from Account where Active IN (true, false)");
    expect(accounts.length).toBeGreaterThan(10);
    const apiCall = h.apiCalls().at(-1)!;
    expect(apiCall.url.searchParams.get("minorversion")).toBe("75");
    expect(apiCall.headers.get("accept")).toBe("application/json");
    expect(apiCall.url.pathname).toBe(`/v3/company/${realm}/query`);

    // --- 59 minutes later: under 5 minutes left. Two concurrent callers → ONE refresh.
    h.advance(59 * 60_000);
    const [a, b] = await Promise.all([
      QboClient.open(h.services, "shop-a").then((c) => c.companyInfo()),
      QboClient.open(h.services, "shop-a").then((c) => c.preferences()),
    ]);
    expect(a.CompanyName).toBe("Boutique Tillbridge Démo Inc.");
    expect(b).toHaveProperty("CurrencyPrefs");
    expect(h.grants("refresh_token")).toBe(1);
    const row2 = (await connectionRow("shop-a"))!;
    expect(row2.generation).toBe(2);
    expect(row2.refresh_lease_owner).toBeNull();
    const refresh2 = await decryptSecret(env.TOKEN_KEYS, String(row2.refresh_token_enc), "qbo:shop-a:refresh");
    expect(refresh2).not.toBe(refresh1); // the sandbox rotates on every refresh: the new one was stored

    // the older client instance picks up the stored token, it does not refresh again
    await client.query("select * from Class");
    expect(h.grants("refresh_token")).toBe(1);

    // --- two hours later: expired. The refresh works only because the rotated token was kept.
    h.advance(2 * HOUR);
    await (await QboClient.open(h.services, "shop-a")).companyInfo();
    expect(h.grants("refresh_token")).toBe(2);
    expect((await connectionRow("shop-a"))!.generation).toBe(3);
    // and the superseded refresh token is dead at Intuit (this probe is a token request of its own)
    await expect(refreshTokens(h.services, refresh1)).rejects.toMatchObject({ code: "qbo_needs_reconnect" });
    let refreshes = h.grants("refresh_token");

    // --- QBO says 401 to a token we thought valid: refresh, retry once, transparently
    h.sandbox.injectFault({ realm, kind: "expireToken" });
    const info = await (await QboClient.open(h.services, "shop-a")).companyInfo();
    expect(info.CompanyName).toBe("Boutique Tillbridge Démo Inc.");
    expect(h.grants("refresh_token")).toBe(++refreshes);
    expect((await connectionRow("shop-a"))!.generation).toBe(4);

    // --- the merchant disconnects the app in QBO: 401, one refresh attempt (invalid_grant), needs_reconnect
    h.sandbox.revokeAll(realm);
    const revoked = await rejection((await QboClient.open(h.services, "shop-a")).companyInfo());
    expect(revoked.code).toBe("qbo_needs_reconnect");
    expect(revoked.decision).toBe("after_fix");
    expect(h.grants("refresh_token")).toBe(++refreshes);
    const needs = (await (await h.api("/api/qbo/connection", first.session)).json()) as {
      status: string;
      reason: string;
    };
    expect(needs.status).toBe("needs_reconnect");
    expect(needs.reason).toMatch(/refused the refresh token.*invalid_grant/);
    const needsAudit = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = 'shop-a' AND action = 'qbo_needs_reconnect'",
    ).first<{ n: number }>();
    expect(needsAudit?.n).toBe(1);

    // not retried in a loop: later calls fail at once, without touching QBO or the token endpoint
    const before = h.calls.length;
    expect((await rejection(QboClient.open(h.services, "shop-a"))).code).toBe("qbo_needs_reconnect");
    expect((await rejection(getQboAccess(h.services, "shop-a"))).code).toBe("qbo_needs_reconnect");
    expect(h.calls.length).toBe(before);

    // --- reconnect: a new grant, a newer generation, calls work again
    const again = await h.connect("shop-a");
    expect(again.location).toBe(`${RETURN_TO}#qbo=connected`);
    const row3 = (await connectionRow("shop-a"))!;
    expect(row3.status).toBe("connected");
    expect(row3.status_reason).toBeNull();
    expect(Number(row3.generation)).toBeGreaterThan(3);
    expect((await (await QboClient.open(h.services, "shop-a")).companyInfo()).CompanyName).toBe(
      "Boutique Tillbridge Démo Inc.",
    );

    // --- disconnect: revoked at Intuit, tokens dropped, audited
    const storedRefresh = await decryptSecret(env.TOKEN_KEYS, String(row3.refresh_token_enc), "qbo:shop-a:refresh");
    const disc = await h.api("/api/qbo/disconnect", again.session, { method: "POST" });
    expect(await disc.json()).toEqual({ ok: true, status: "disconnected", revoked: true });
    expect(h.calls.filter((c) => c.url.pathname === "/v2/oauth2/tokens/revoke")).toHaveLength(1);
    const gone = (await connectionRow("shop-a"))!;
    expect(gone).toMatchObject({
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
      key_id: null,
    });
    expect(await (await h.api("/api/qbo/connection", again.session)).json()).toMatchObject({
      status: "disconnected",
      externalId: realm,
    });
    await expect(refreshTokens(h.services, storedRefresh)).rejects.toMatchObject({ code: "qbo_needs_reconnect" });
    expect((await rejection(QboClient.open(h.services, "shop-a"))).code).toBe("qbo_not_connected");
    const last = await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE tenant_id = 'shop-a' ORDER BY id DESC LIMIT 1",
    ).first<{ action: string; detail: string }>();
    expect(last).toEqual({ action: "disconnect", detail: `qbo company ${realm}` });

    expectNoTokenInLogs(h);
  });

  it("adopts a newer generation when its own refresh meets invalid_grant (a concurrent rotation)", async () => {
    const h = createHarness();
    await h.connect("shop-r");
    h.advance(HOUR + 60_000);

    // X reaches Intuit first (the sandbox rotates) but its answer is held back...
    const x = h.holdTokenResponse((g) => g === "refresh_token");
    const xAccess = getQboAccess(h.services, "shop-r");
    await x.reached;
    // ...long enough for its lease to lapse, so Y refreshes too, with the now-superseded token.
    h.advance(46_000);
    const y = h.holdTokenResponse((g) => g === "refresh_token");
    const yAccess = getQboAccess(h.services, "shop-r");
    await y.reached;
    x.release();
    const fromX = await xAccess;
    expect(fromX.generation).toBe(2);
    y.release(); // Y's answer: invalid_grant. Storage holds a newer generation: use it.
    const fromY = await yAccess;
    expect(fromY.generation).toBe(2);
    expect(fromY.accessToken).toBe(fromX.accessToken);
    expect((await connectionRow("shop-r"))!.status).toBe("connected");
    expect(h.grants("refresh_token")).toBe(2);
  });

  it("keeps using a still-valid token when a proactive refresh fails, and fails transiently when it has expired", async () => {
    const h = createHarness();
    await h.connect("shop-t");
    h.advance(57 * 60_000); // 3 minutes left
    h.sandbox.injectFault({ match: { operation: "token" }, kind: "http503" });
    const info = await (await QboClient.open(h.services, "shop-t")).companyInfo();
    expect(info.CompanyName).toBeTruthy();
    expect((await connectionRow("shop-t"))!.generation).toBe(1);

    h.advance(10 * 60_000); // expired now; the token endpoint times out
    h.sandbox.injectFault({ match: { operation: "token" }, kind: "timeoutBeforeCommit" });
    const err = await rejection(QboClient.open(h.services, "shop-t"));
    expect(err.code).toBe("qbo_transient");
    const row = (await connectionRow("shop-t"))!;
    expect(row).toMatchObject({ status: "connected", generation: 1, refresh_lease_owner: null });
    // next time the token endpoint answers: refreshed
    await (await QboClient.open(h.services, "shop-t")).companyInfo();
    expect((await connectionRow("shop-t"))!.generation).toBe(2);
  });

  it("ends the connection when a 401 survives a refresh", async () => {
    const h = createHarness();
    await h.connect("shop-u");
    const realm = h.sandbox.realms.ca;
    h.sandbox.injectFault({
      realm,
      kind: "fault",
      count: 2,
      fault: {
        status: 401,
        code: "3200",
        type: "AUTHENTICATION",
        message: "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        detail: "Token revoked",
      },
    });
    const err = await rejection((await QboClient.open(h.services, "shop-u")).companyInfo());
    expect(err.code).toBe("qbo_needs_reconnect");
    expect(h.grants("refresh_token")).toBe(1);
    const row = (await connectionRow("shop-u"))!;
    expect(row.status).toBe("needs_reconnect");
    expect(String(row.status_reason)).toMatch(/freshly refreshed access token/);
  });

  it("marks the connection when QBO says the user is no longer an admin (120)", async () => {
    const h = createHarness();
    await h.connect("shop-v");
    h.sandbox.injectFault({
      realm: h.sandbox.realms.ca,
      kind: "fault",
      fault: {
        status: 403,
        code: "120",
        type: "AuthorizationFault",
        message: "Authorization Failure",
        detail: "AuthorizationFailure: -11014-You do not have access to use QuickBooks Online Plus., statusCode: 403",
      },
    });
    const err = await rejection((await QboClient.open(h.services, "shop-v")).companyInfo());
    expect(err.code).toBe("qbo_needs_reconnect");
    expect((await connectionRow("shop-v"))!).toMatchObject({ status: "needs_reconnect" });
    expect(String((await connectionRow("shop-v"))!.status_reason)).toMatch(/do not have access/);
  });

  it("needs a reconnect when the stored tokens cannot be read or belong to another environment", async () => {
    const h = createHarness();
    await h.connect("shop-k");
    await env.DB.prepare("UPDATE connections SET environment = 'production' WHERE tenant_id = 'shop-k'").run();
    const wrongEnv = await rejection(QboClient.open(h.services, "shop-k"));
    expect([wrongEnv.code, wrongEnv.detail]).toEqual([
      "qbo_needs_reconnect",
      "connected to a production company; this deployment uses sandbox",
    ]);

    await env.DB.prepare(
      "UPDATE connections SET environment = 'sandbox', access_token_enc = 'v1.k9.AAAAAAAAAAAAAAAA.AAAA' WHERE tenant_id = 'shop-k'",
    ).run();
    const unreadable = await rejection(QboClient.open(h.services, "shop-k"));
    expect(unreadable.code).toBe("qbo_needs_reconnect");
    expect((await connectionRow("shop-k"))!).toMatchObject({
      status: "needs_reconnect",
      status_reason: expect.stringMatching(/cannot be decrypted/),
    });
  });
});
