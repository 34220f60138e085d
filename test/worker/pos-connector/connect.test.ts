import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { Routes } from "../../../shared/api";
import { createSession } from "../../../worker/db/sessions";
import { upsertItem } from "../../../worker/db/sync-items";
import { decryptSecret, sha256Hex } from "../../../worker/lib/crypto";
import { connectionRow, createPosHarness, forgetTenant, RETURN_TO, TENANT, type PosHarness } from "./harness";

/** POS connect → handoff → session → /api/me → disconnect, against the POS sandbox. */

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const start = async (h: PosHarness, body: unknown) => h.app.request("/auth/pos/start", json(body), env);
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; fields?: Record<string, string> } }).error;

/** Starts the consent and lets the sandbox approve; returns the callback path the POS redirected to. */
async function consent(h: PosHarness, nonce = "n".repeat(32)): Promise<string> {
  const res = await start(h, { returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) });
  const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
  const back = new URL((await h.sandbox.fetch(new Request(authorizeUrl))).headers.get("location")!);
  return `${back.pathname}${back.search}`;
}
const grants = (h: PosHarness) => h.calls.filter((c) => c === "POST /demo/api/1.0/token").length;

beforeEach(forgetTenant);

describe("POST /auth/pos/start", () => {
  it("answers the POS authorize URL; the state (random, ≥ 8 chars) is stored hashed with the nonce hash, 10 minutes, single-use", async () => {
    const h = createPosHarness({ days: 1 });
    const nonceHash = await sha256Hex("a-nonce-the-extension-keeps-123");
    const res = await start(h, { returnTo: `${RETURN_TO}?tab=pos`, nonceHash });
    expect(res.status).toBe(200);
    const url = new URL(((await res.json()) as { authorizeUrl: string }).authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(env.POS_AUTHORIZE_URL);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "tillbridge-test-pos",
      redirect_uri: `${env.PUBLIC_URL}/auth/pos/callback`,
    });
    const state = url.searchParams.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(43);
    const row = await env.DB.prepare("SELECT * FROM oauth_states WHERE state_hash = ?1")
      .bind(await sha256Hex(state))
      .first<Record<string, string>>();
    expect(row).toMatchObject({
      provider: "pos",
      nonce_hash: nonceHash,
      return_to: `${RETURN_TO}?tab=pos`,
      used_at: null,
    });
    expect(Date.parse(row!.expires_at!) - Date.parse(row!.created_at!)).toBe(10 * 60_000);
  });

  it.each([
    ["another origin", "https://evil.example/options.html"],
    ["another extension", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/options.html"],
    ["a fragment", `${RETURN_TO}#x`],
    ["not a page", "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk/background.js"],
  ])("refuses a returnTo of %s", async (_, returnTo) => {
    const h = createPosHarness({ days: 1 });
    const res = await start(h, { returnTo, nonceHash: await sha256Hex("x") });
    expect(res.status).toBe(400);
    expect(Object.keys((await errorOf(res)).fields!)).toEqual(["returnTo"]);
  });

  it("refuses a nonce hash that is not SHA-256 hex", async () => {
    const res = await start(createPosHarness({ days: 1 }), { returnTo: RETURN_TO, nonceHash: "abc" });
    expect(res.status).toBe(400);
    expect(Object.keys((await errorOf(res)).fields!)).toEqual(["nonceHash"]);
  });
});

describe("GET /auth/pos/callback", () => {
  it("connects the store: tenant = domain_prefix named after the retailer, tokens encrypted, webhooks subscribed, handoff code", async () => {
    const h = createPosHarness({ days: 1 });
    const { location, session } = await h.connect();
    expect(location).toMatch(new RegExp(`^${RETURN_TO}#code=[A-Za-z0-9_-]{43}$`));
    expect(session).toMatch(/^tbs_/);

    const tenant = await env.DB.prepare("SELECT * FROM tenants WHERE id = ?1")
      .bind(TENANT)
      .first<Record<string, string>>();
    expect(tenant!.name).toBe("Boutique Tillbridge Démo");
    const row = (await connectionRow())!;
    expect(row).toMatchObject({
      status: "connected",
      external_id: TENANT,
      display_name: "Boutique Tillbridge Démo",
      generation: 1,
    });
    // encrypted at rest, bound to the tenant and the token's role
    const access = await decryptSecret(env.TOKEN_KEYS, row.access_token_enc as string, `pos:${TENANT}:access`);
    expect(h.issuedTokens.has(access)).toBe(true);
    await expect(
      decryptSecret(env.TOKEN_KEYS, row.access_token_enc as string, `pos:${TENANT}:refresh`),
    ).rejects.toThrow();
    expect(JSON.stringify(row)).not.toContain(access);
    // expiry from the answer's expires_in (the sandbox's 86400 s)
    expect(Date.parse(row.access_expires_at as string) - h.now().getTime()).toBe(86_400_000);

    const hooks = Object.values(h.sandbox.store(TENANT).webhooks);
    expect(hooks.map((w) => w.type).sort()).toEqual(["consignment.receive", "register_closure.create", "sale.update"]);
    const url = new URL(hooks[0]!.url);
    expect(hooks.every((w) => w.url === hooks[0]!.url && w.active)).toBe(true);
    const [, , , tenantInUrl, secret] = url.pathname.split("/");
    expect(`${url.origin}/webhooks/pos/${tenantInUrl}`).toBe(`${env.PUBLIC_URL}/webhooks/pos/${TENANT}`);
    expect(tenant!.webhook_secret_hash).toBe(await sha256Hex(secret!));

    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE tenant_id = ?1 ORDER BY id")
      .bind(TENANT)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["connect", "session"]);
    for (const line of h.logs) for (const t of h.issuedTokens) expect(line).not.toContain(t);
  });

  it("answers a duplicate callback with the first outcome and never exchanges the code twice", async () => {
    const h = createPosHarness({ days: 1 });
    const path = await consent(h);
    const [a, b] = await Promise.all([h.app.request(path, {}, env), h.app.request(path, {}, env)]);
    const again = await h.app.request(path, {}, env);
    expect([a.status, b.status, again.status]).toEqual([302, 302, 302]);
    expect(new Set([a, b, again].map((r) => r.headers.get("location"))).size).toBe(1);
    expect(a.headers.get("location")).toContain("#code=");
    expect(grants(h)).toBe(1);
    expect(a.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses an unknown or missing state, and an expired one with a redirect naming the error", async () => {
    const h = createPosHarness({ days: 1 });
    for (const path of [
      "/auth/pos/callback?code=x&domain_prefix=demo&state=never-issued",
      "/auth/pos/callback?code=x&domain_prefix=demo",
    ]) {
      const res = await h.app.request(path, {}, env);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("oauth_state_invalid");
    }
    const path = await consent(h);
    h.advance(10 * 60_000 + 1);
    const late = await h.app.request(path, {}, env);
    expect(late.headers.get("location")).toBe(`${RETURN_TO}#error=oauth_state_invalid`);
    expect(grants(h)).toBe(0);
  });

  it("sends a refusal back as #error=oauth_denied, and a bad domain prefix as #error=bad_request", async () => {
    const h = createPosHarness({ days: 1 });
    const denied = new URL(await consent(h), env.PUBLIC_URL);
    denied.searchParams.delete("code");
    denied.searchParams.set("error", "access_denied");
    expect((await h.app.request(`${denied.pathname}${denied.search}`, {}, env)).headers.get("location")).toBe(
      `${RETURN_TO}#error=oauth_denied`,
    );
    const bad = new URL(await consent(h), env.PUBLIC_URL);
    bad.searchParams.set("domain_prefix", "Evil.example/x");
    expect((await h.app.request(`${bad.pathname}${bad.search}`, {}, env)).headers.get("location")).toBe(
      `${RETURN_TO}#error=bad_request`,
    );
    const wrongStore = new URL(await consent(h), env.PUBLIC_URL);
    wrongStore.searchParams.set("domain_prefix", "demo-us");
    expect((await h.app.request(`${wrongStore.pathname}${wrongStore.search}`, {}, env)).headers.get("location")).toBe(
      `${RETURN_TO}#error=oauth_denied`,
    );
    expect(await connectionRow()).toBeNull();
  });

  it("replaces Tillbridge's older webhooks on reconnect, and bumps the connection's generation", async () => {
    const h = createPosHarness({ days: 1 });
    await h.connect();
    const first = Object.values(h.sandbox.store(TENANT).webhooks).map((w) => w.url);
    await h.connect();
    const second = Object.values(h.sandbox.store(TENANT).webhooks).map((w) => w.url);
    expect(second).toHaveLength(3);
    expect(second[0]).not.toBe(first[0]);
    expect((await connectionRow())!.generation).toBe(2);
  });
});

describe("POST /auth/session", () => {
  const exchange = (h: PosHarness, code: string, nonce: string) =>
    h.app.request("/auth/session", json({ code, nonce }), env);

  it("binds the session to the extension that started the flow: the nonce must match, the code is single-use and short-lived", async () => {
    const h = createPosHarness({ days: 1 });
    const nonce = "the-right-nonce-0123456789";
    const location = (await h.app.request(await consent(h, nonce), {}, env)).headers.get("location")!;
    const code = new URL(location).hash.slice("#code=".length);

    const wrong = await exchange(h, code, "somebody-elses-nonce-0123");
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).code).toBe("oauth_state_invalid");

    const ok = await exchange(h, code, nonce);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { session: string; tenantId: string; storeName: string; expiresAt: string };
    expect(body).toMatchObject({ tenantId: TENANT, storeName: "Boutique Tillbridge Démo" });
    expect((await h.api("/api/me", body.session)).status).toBe(200);

    expect((await exchange(h, code, nonce)).status).toBe(400);
  });

  it("refuses a code after its few minutes", async () => {
    const h = createPosHarness({ days: 1 });
    const nonce = "the-right-nonce-0123456789";
    const code = new URL((await h.app.request(await consent(h, nonce), {}, env)).headers.get("location")!).hash.slice(
      "#code=".length,
    );
    h.advance(5 * 60_000 + 1);
    expect((await exchange(h, code, nonce)).status).toBe(400);
  });
});

describe("GET /api/me and POST /api/pos/disconnect", () => {
  it("describes the store: name, both connections, counts by state", async () => {
    const h = createPosHarness({ days: 1 });
    const { session } = await h.connect();
    await upsertItem(
      env.DB,
      { tenantId: TENANT, kind: "closure", posId: "c1", posVersion: "1", idemKey: `tb1|${TENANT}|closure|c1|1` },
      h.now(),
    );
    await upsertItem(
      env.DB,
      { tenantId: TENANT, kind: "closure", posId: "c2", posVersion: "1", idemKey: `tb1|${TENANT}|closure|c2|1` },
      h.now(),
    );
    const res = await h.api("/api/me", session);
    expect(res.status).toBe(200);
    const me = (await res.json()) as Record<string, unknown>;
    expect(Routes.me.response.parse(me)).toEqual(me);
    expect(me).toMatchObject({
      tenantId: TENANT,
      storeName: "Boutique Tillbridge Démo",
      pos: { status: "connected", externalId: TENANT, displayName: "Boutique Tillbridge Démo" },
      qbo: { status: "not_connected" },
      counts: { ready: 2, posted: 0, blocked: 0, failed: 0, rejected: 0, posting: 0, unknown: 0, not_applicable: 0 },
    });
    expect((await h.app.request("/api/me", {}, env)).status).toBe(401);
  });

  it("disconnects: webhooks deleted at the POS, tokens dropped, sessions revoked, late webhooks refused, audited", async () => {
    const h = createPosHarness({ days: 1 });
    const { session } = await h.connect();
    const other = (await createSession(env.DB, TENANT, "staff", h.now())).token;
    const hookUrl = Object.values(h.sandbox.store(TENANT).webhooks)[0]!.url;

    const res = await h.api("/api/pos/disconnect", session, { method: "POST" });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out).toMatchObject({ ok: true, pos: { status: "disconnected", externalId: TENANT } });
    expect(Routes.posDisconnect.response.safeParse(out).success).toBe(true);
    expect(Object.values(h.sandbox.store(TENANT).webhooks)).toHaveLength(0);
    expect(await connectionRow()).toMatchObject({
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
    });
    expect((await h.api("/api/me", session)).status).toBe(401);
    expect((await h.api("/api/me", other)).status).toBe(401);
    const late = await h.app.request(
      hookUrl,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "payload=%7B%7D" },
      env,
    );
    expect(late.status).toBe(401);
    const audit = await env.DB.prepare(
      "SELECT actor, detail FROM audit_log WHERE tenant_id = ?1 AND action = 'disconnect'",
    )
      .bind(TENANT)
      .first<{ actor: string; detail: string }>();
    expect(audit).toMatchObject({ actor: "user:demo" });
    expect(audit!.detail).toContain("3 webhooks removed");
  });

  it("still disconnects when the POS cannot be reached (best effort), and reconnecting works after", async () => {
    const h = createPosHarness({ days: 1 });
    const { session } = await h.connect();
    h.sandbox.injectFault({ path: "/webhooks", kind: "http500", count: 5 });
    expect((await h.api("/api/pos/disconnect", session, { method: "POST" })).status).toBe(200);
    expect((await connectionRow())!.status).toBe("disconnected");
    h.sandbox.clearFaults();
    const again = await h.connect();
    expect((await h.api("/api/me", again.session)).status).toBe(200);
    expect(Object.values(h.sandbox.store(TENANT).webhooks)).toHaveLength(3);
  });
});
