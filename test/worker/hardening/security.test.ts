import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hmacHex } from "../../../sandbox/pos/index";
import { SESSION_TTL_MS } from "../../../worker/db/sessions";
import { sha256Hex } from "../../../worker/lib/crypto";
import { RATE_COUNTER } from "../../../worker/db/counters";
import { hit, LIMITS } from "../../../worker/lib/rate-limit";
import { expectRefusal } from "./expect";
import { differences, picture } from "./snapshot";
import { booked, statusOf, trade } from "./trade";
import { createWorld, EXTENSION, RETURN_TO, type World } from "./world";

/**
 * The security controls, each proven here: nothing secret at rest in D1 or KV, nothing secret in any
 * log line across a whole flow (connect, post, refresh, refused callbacks and webhooks, a revoked
 * grant, disconnect), sessions stored hashed and expiring, CORS for the extension's origin only,
 * and the public routes' rate limits. (OAuth state: oauth.test.ts; tenant isolation: isolation.test.ts;
 * constant-time comparisons: test/unit/hardening.)
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
  // a whole day of a merchant's life, with its failures, so the logs and storage hold all of it
  const store = world.pos.store("demo");
  const regs = Object.values(store.registers);
  const product = Object.values(store.products).find((p) => p.kind === "product")!.id;
  const first = trade(world, "demo", regs[0]!.id, product);
  await world.settle();
  expect((await statusOf(world, world.a, "closure", first.closure)).state).toBe("posted");
  // a day later both providers' access tokens have expired: the next posting refreshes them
  world.advance(25 * 3600_000);
  const second = trade(world, "demo", regs[1]!.id, product);
  await world.settle();
  await world.cron();
  expect((await statusOf(world, world.a, "closure", second.closure)).state).toBe("posted");
  expect(booked(world, world.a, second.closure).length).toBeGreaterThan(0);
  // refused callbacks carrying codes (one with a live state, so the refusal is logged), and a refused webhook
  await world.request(
    `/auth/qbo/callback?state=forged&code=${encodeURIComponent("AB11-secret-code-in-url")}&realmId=1`,
  );
  const pending = await world.api<{ authorizeUrl: string }>(world.a, "/api/qbo/connect", {
    body: { returnTo: RETURN_TO },
  });
  const state = new URL(pending.body.authorizeUrl).searchParams.get("state")!;
  world.secrets.add(state);
  await world.request(
    `/auth/qbo/callback?state=${state}&code=${encodeURIComponent("AB11-second-secret-code")}&realmId=${world.a.realmId}`,
  );
  world.secrets.add("AB11-secret-code-in-url").add("AB11-second-secret-code");
  const hook = Object.values(world.pos.store("demo").webhooks)[0]!.url;
  await world.request(new URL(hook).pathname, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-signature": "signature=00, algorithm=HMAC-SHA256",
    },
    body: "payload=%7B%7D",
  });
  // the merchant uninstalls the POS add-on: the next refresh is refused (invalid_grant)
  world.pos.revokeGrants("demo");
  world.advance(25 * 3600_000);
  await world.cron();
  // b disconnects QuickBooks (the refresh token goes to Intuit's revoke endpoint) and the POS
  expect((await world.api(world.b, "/api/qbo/disconnect", { body: {} })).status).toBe(200);
  expect((await world.api(world.b, "/api/pos/disconnect", { body: {} })).status).toBe(200);
  await world.settle();
}, 240_000);

describe("secrets at rest", () => {
  it("no token, code, state, nonce, session, webhook secret or app secret in any D1 row or KV value", async () => {
    expect(world.secrets.size).toBeGreaterThan(25);
    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      ).all<{ name: string }>()
    ).results.map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "connections",
        "sessions",
        "oauth_states",
        "session_handoffs",
        "tenants",
        "audit_log",
        "pos_objects",
      ]),
    );
    const stored: string[] = [];
    for (const t of tables)
      for (const row of (await env.DB.prepare(`SELECT * FROM ${t}`).all()).results)
        stored.push(`${t}: ${JSON.stringify(row)}`);
    for (const k of (await env.KV.list()).keys) stored.push(`kv ${k.name}: ${await env.KV.get(k.name)}`);
    const text = stored.join("\n");
    const found = [...world.secrets].filter((s) => text.includes(s));
    expect(found, "secrets stored in plain text").toEqual([]);
  });

  it("tokens are sealed with the current key, bound to their tenant and provider", async () => {
    const rows = (
      await env.DB.prepare(
        "SELECT tenant_id, provider, access_token_enc, refresh_token_enc, key_id FROM connections WHERE access_token_enc IS NOT NULL",
      ).all<Record<string, string>>()
    ).results;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r.key_id).toBe("k2");
      expect(r.access_token_enc).toMatch(/^v1\.k2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{20,}$/);
      expect(r.refresh_token_enc).toMatch(/^v1\.k2\./);
    }
    // a's QBO tokens copied onto b's row would not open: the ciphertext names its owner
    const a = rows.find((r) => r.tenant_id === "demo" && r.provider === "qbo")!;
    const { decryptSecret } = await import("../../../worker/lib/crypto");
    await expect(decryptSecret(env.TOKEN_KEYS, a.refresh_token_enc!, "qbo:demo-us:refresh")).rejects.toThrow();
    await expect(decryptSecret(env.TOKEN_KEYS, a.refresh_token_enc!, "qbo:demo:refresh")).resolves.toMatch(/^RT1-/);
  });

  it("sessions are stored as SHA-256 hashes, with an expiry, and end with the POS connection", async () => {
    const hashOfA = await sha256Hex(world.a.session);
    const rows = (
      await env.DB.prepare("SELECT token_hash, tenant_id, created_at, expires_at, revoked_at FROM sessions").all<
        Record<string, string | null>
      >()
    ).results;
    const a = rows.find((r) => r.token_hash === hashOfA)!;
    expect(a.tenant_id).toBe("demo");
    expect(Date.parse(a.expires_at!) - Date.parse(a.created_at!)).toBeGreaterThanOrEqual(SESSION_TTL_MS);
    expect(rows.filter((r) => r.tenant_id === "demo-us").every((r) => r.revoked_at !== null)).toBe(true);
    expectRefusal(await world.api(world.b, "/api/me"), { status: 401, code: "unauthorized", words: /not signed in/ });
  });
});

describe("secrets in logs", () => {
  it("a whole flow at debug level writes its story and not one secret", () => {
    expect(world.logs.length).toBeGreaterThan(50);
    const text = world.logs.join("\n");
    // the flow did go through the paths that handle secrets
    for (const msg of [
      "qbo tokens refreshed",
      "pos tokens refreshed",
      "pos connection needs reconnect",
      "qbo connection refused",
      "pos webhook",
      '"msg":"qbo call"',
    ])
      expect(text, msg).toContain(msg);
    const found = [...world.secrets].filter((s) => text.includes(s));
    expect(found, "secrets in the logs").toEqual([]);
    expect(text).not.toMatch(
      /Bearer [A-Za-z0-9]|Basic [A-Za-z0-9+/]{8}|eyJ[A-Za-z0-9_-]{8,}\.|tbs_[A-Za-z0-9_-]{20}|[?&](code|state)=(?!\[redacted\])[^&\s"]{6}/,
    );
    for (const line of world.logs.filter((l) => l.startsWith("{"))) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe("CORS", () => {
  const preflight = (path: string, origin: string) =>
    world.request(path, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });

  it.each(["/api/status", "/api/sync/send", "/auth/pos/start", "/auth/session"])(
    "%s admits the extension's origin, with the headers it sends",
    async (path) => {
      const res = await preflight(path, EXTENSION);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(EXTENSION);
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    },
  );

  it.each([
    ["/api/status", "https://evil.example"],
    ["/api/status", "chrome-extension://someotherextensionidxxxxxxxxxxxx"],
    ["/api/status", "null"],
    ["/auth/session", "https://mhbmaaggnhofaebpkcaglmcoecjgbegk.evil.example"],
  ])("%s gives %s no CORS grant", async (path, origin) => {
    const res = await preflight(path, origin);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const real = await world.request("/api/me", { headers: { origin, authorization: `Bearer ${world.a.session}` } });
    expect(real.headers.get("access-control-allow-origin")).toBeNull();
  });

  it.each(["/auth/pos/callback", "/auth/qbo/callback", "/webhooks/pos/demo/x", "/ops/counters", "/health"])(
    "%s grants CORS to no one, the extension included",
    async (path) => {
      const res = await preflight(path, EXTENSION);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    },
  );
});

describe("rate limits on the public routes", () => {
  /** Starts a fresh limiter window (the limits count per clock minute). */
  function freshMinute() {
    const ms = world.now().getTime();
    world.advance(60_000 - (ms % 60_000) + 1000);
  }
  const json = { "content-type": "application/json" };
  const ROUTES: { name: string; limit: number; send: (ip: string) => Promise<Response> }[] = [
    {
      name: "POST /auth/pos/start",
      limit: LIMITS.posStart.limit,
      send: (ip) =>
        world.request("/auth/pos/start", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: "c".repeat(64) }),
          ip,
        }),
    },
    {
      name: "POST /auth/session",
      limit: LIMITS.session.limit,
      send: (ip) =>
        world.request("/auth/session", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ code: "c".repeat(43), nonce: "n".repeat(30) }),
          ip,
        }),
    },
    {
      name: "GET /auth/pos/callback",
      limit: LIMITS.posCallback.limit,
      send: (ip) => world.request("/auth/pos/callback?state=forged&code=x", { ip }),
    },
    {
      name: "GET /auth/qbo/callback",
      limit: LIMITS.qboCallback.limit,
      send: (ip) => world.request("/auth/qbo/callback?state=forged&code=x&realmId=1", { ip }),
    },
  ];

  it.each(ROUTES)(
    "$name: over the limit from one address, 429 with Retry-After; other addresses unaffected; nothing recorded",
    { timeout: 60_000 },
    async (r) => {
      freshMinute();
      const ip = `192.0.2.${ROUTES.indexOf(r) + 10}`;
      for (let i = 0; i < r.limit; i++) expect((await r.send(ip)).status).not.toBe(429);
      const before = await picture(world);
      const res = await r.send(ip);
      const body = await res.json();
      const error = expectRefusal(
        { status: res.status, body, headers: res.headers },
        { status: 429, code: "rate_limited", words: /^Too many requests\.$/ },
      );
      expect(error.detail).toBe(`at most ${r.limit} requests a minute`);
      const wait = Number(res.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(differences(before, await picture(world)), "a refused request recorded something").toEqual([]);
      expect((await r.send("192.0.2.250")).status).not.toBe(429);
      world.advance(wait * 1000);
      expect((await r.send(ip)).status).not.toBe(429);
    },
  );

  async function delivery(prefix: string, ip: string, good = true) {
    const url = new URL(
      Object.values(world.pos.store(prefix).webhooks)[0]?.url ?? `http://127.0.0.1:8787/webhooks/pos/${prefix}/gone`,
    );
    const body = new URLSearchParams({
      payload: JSON.stringify({ id: `hint-${crypto.randomUUID()}` }),
      type: "product.update",
    }).toString();
    const signature = await hmacHex(good ? env.POS_CLIENT_SECRET : "wrong", body);
    return world.request(url.pathname, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-signature": `signature=${signature}, algorithm=HMAC-SHA256`,
      },
      body,
      ip,
    });
  }

  it("webhooks: refusals are limited per store and secret: a stale subscription is cut off, the store's good deliveries and other stores' go on from the same address", {
    timeout: 60_000,
  }, async () => {
    freshMinute();
    const sameAddress = "192.0.2.66"; // the POS sends every store's webhooks from the same addresses
    const stale = async () => {
      const url = new URL(Object.values(world.pos.store("demo").webhooks)[0]!.url);
      const wrong = url.pathname.replace(/[^/]+$/, "a-secret-from-an-old-subscription");
      const body = new URLSearchParams({ payload: JSON.stringify({ id: "x" }), type: "product.update" }).toString();
      return world.request(wrong, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-signature": `signature=${await hmacHex(env.POS_CLIENT_SECRET, body)}, algorithm=HMAC-SHA256`,
        },
        body,
        ip: sameAddress,
      });
    };
    for (let i = 0; i < LIMITS.webhookRefusedPerStoreSecret.limit; i++) expect((await stale()).status).toBe(401);
    const cut = await stale();
    expect(cut.status).toBe(429);
    expect(((await cut.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await delivery("demo", sameAddress, true)).status).toBe(200);
    // another store, its secret known to the POS, from the same address
    const usSecret = "demo-us-store-secret-for-this-test";
    await env.DB.prepare("UPDATE tenants SET webhook_secret_hash = ?1 WHERE id = 'demo-us'")
      .bind(await sha256Hex(usSecret))
      .run();
    const body = new URLSearchParams({ payload: JSON.stringify({ id: "y" }), type: "product.update" }).toString();
    const us = await world.request(`/webhooks/pos/demo-us/${usSecret}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-signature": `signature=${await hmacHex(env.POS_CLIENT_SECRET, body)}, algorithm=HMAC-SHA256`,
      },
      body,
      ip: sameAddress,
    });
    expect(us.status).toBe(200);
    // the secret is in no log line
    expect(world.logs.join("\n")).not.toContain("a-secret-from-an-old-subscription");
  });

  it("webhooks: one store's budget spent does not touch another store's, and a stranger cannot spend it", {
    timeout: 60_000,
  }, async () => {
    freshMinute();
    const window = new Date(Math.floor(world.now().getTime() / 60_000) * 60_000).toISOString();
    // a stranger's refused deliveries for demo do not count against demo's budget
    for (let i = 0; i < 5; i++) expect((await delivery("demo", "192.0.2.80", false)).status).toBe(401);
    const spent = await env.DB.prepare(
      "SELECT count FROM op_counters WHERE scope = 'rl:webhook-store:demo' AND name = ?1 AND hour = ?2",
    )
      .bind(RATE_COUNTER, window)
      .first<{ count: number }>();
    expect(spent).toBeNull();
    // the store's budget for this minute, spent (600 deliveries are not worth sending one by one)
    await env.DB.prepare(
      "INSERT INTO op_counters (scope, name, hour, count) VALUES ('rl:webhook-store:demo', ?1, ?2, ?3)",
    )
      .bind(RATE_COUNTER, window, LIMITS.webhookPerStore.limit)
      .run();
    const over = await delivery("demo", "192.0.2.81");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("the limiter itself: counts per key and window, says when the window ends, and lets requests through when D1 fails", async () => {
    const s = world.services();
    const limit = { bucket: "unit", limit: 3, windowSeconds: 60 };
    freshMinute();
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await hit(s, limit, "k1"));
    expect(verdicts.map((v) => [v.allowed, v.count])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 4],
    ]);
    expect(verdicts[3]!.retryAfterSeconds).toBe(59);
    expect((await hit(s, limit, "k2")).allowed).toBe(true);
    expect((await hit(s, limit, "k1", { count: false })).count).toBe(4);
    world.advance(60_000);
    expect(await hit(s, limit, "k1")).toMatchObject({ allowed: true, count: 1 });
    const broken = {
      ...s,
      db: {
        prepare: () => {
          throw new Error("D1_ERROR: gone");
        },
      } as unknown as D1Database,
    };
    expect((await hit(broken, limit, "k1")).allowed).toBe(true);
  });
});

describe("headers on the pages a browser lands on", () => {
  it("callbacks keep their codes out of caches and Referer; Intuit's pages run no script", async () => {
    const cb = await world.request("/auth/pos/callback?state=whatever", { ip: "192.0.2.99" });
    expect(cb.status).toBe(400);
    const start = await world.api<{ authorizeUrl: string }>(world.a, "/api/qbo/connect", {
      body: { returnTo: RETURN_TO },
    });
    const back = new URL((await world.qbo.fetch(new Request(start.body.authorizeUrl))).headers.get("location")!);
    const done = await world.request(`${back.pathname}${back.search}`, { ip: "192.0.2.98" });
    expect(done.status).toBe(302);
    expect(done.headers.get("cache-control")).toBe("no-store");
    expect(done.headers.get("referrer-policy")).toBe("no-referrer");
    const launch = await world.request("/intuit/launch");
    expect(launch.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
  });
});

describe("sessions expire", () => {
  it("30 days without use: the session no longer opens anything", async () => {
    expect((await world.api(world.a, "/api/me")).status).toBe(200);
    world.advance(SESSION_TTL_MS + 3600_000);
    expectRefusal(await world.api(world.a, "/api/me"), { status: 401, code: "unauthorized", words: /not signed in/ });
  });
});
