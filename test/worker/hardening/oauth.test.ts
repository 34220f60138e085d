import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../worker/lib/crypto";
import { expectRefusal } from "./expect";
import { expectUnchanged, picture } from "./snapshot";
import { createWorld, RETURN_TO, type World } from "./world";

/**
 * Hostile OAuth: callbacks without a state, with a forged one, with another provider's, replayed,
 * duplicated, late, without a code, naming another store or another merchant's company; handoff
 * codes replayed or presented with the wrong nonce. Each case checks the answer (an error a person
 * understands, or the redirect back to the extension carrying the error code) and that no connection,
 * session, tenant or book changed beyond what the case allows — the other merchant's never.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
}, 120_000);

let ip = 0;
/** Each case its own address: the callback limits (30 a minute) are exercised in security.test.ts. */
const nextIp = () => `198.51.100.${++ip}`;
const json = { "content-type": "application/json" };

async function posStart(): Promise<{ state: string; nonce: string; authorize: URL }> {
  const nonce = `nonce-${crypto.randomUUID()}`;
  const res = await world.request("/auth/pos/start", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
    ip: nextIp(),
  });
  expect(res.status).toBe(200);
  const authorize = new URL(((await res.json()) as { authorizeUrl: string }).authorizeUrl);
  return { state: authorize.searchParams.get("state")!, nonce, authorize };
}

/** The POS's consent for `prefix`: the callback URL it sends the browser to. */
async function posConsent(authorize: URL, prefix: string): Promise<URL> {
  const url = new URL(authorize);
  url.searchParams.set("domain_prefix", prefix);
  return new URL((await world.pos.fetch(new Request(url))).headers.get("location")!);
}

async function qboStart(who: "a" | "b"): Promise<{ state: string; authorize: string }> {
  const res = await world.api<{ authorizeUrl: string }>(world[who], "/api/qbo/connect", {
    body: { returnTo: RETURN_TO },
  });
  expect(res.status).toBe(200);
  return { state: new URL(res.body.authorizeUrl).searchParams.get("state")!, authorize: res.body.authorizeUrl };
}

async function qboConsent(authorize: string, company: "ca" | "us"): Promise<URL> {
  world.qbo.setConsent(company);
  return new URL((await world.qbo.fetch(new Request(authorize))).headers.get("location")!);
}

const get = (url: URL | string) =>
  world.request(typeof url === "string" ? url : `${url.pathname}${url.search}`, { ip: nextIp() });
const asApi = async (res: Response) => ({ status: res.status, body: await res.json(), headers: res.headers });
const tokenCalls = () => world.outbound.filter((o) => /\/token$|\/tokens\/bearer$/.test(o.url.pathname)).length;
/** Only the OAuth state table (the state spent, the outcome kept for a reload) may change. */
const statesOnly = (where: string) => where.startsWith("oauth_states/");

describe("the POS callback", () => {
  const REFUSED = [
    { name: "without a state", query: "?code=abc&domain_prefix=demo" },
    { name: "with a state nobody issued", query: "?state=forged-state-value&code=abc&domain_prefix=demo" },
    { name: "with a 300-character state", query: `?state=${"s".repeat(300)}&code=abc&domain_prefix=demo` },
  ];
  it.each(REFUSED)("$name: oauth_state_invalid, nothing changed", async ({ query }) => {
    const before = await picture(world);
    expectRefusal(await asApi(await get(`/auth/pos/callback${query}`)), {
      status: 400,
      code: "oauth_state_invalid",
      words: /This connection link has expired or was already used\./,
    });
    expectUnchanged(before, await picture(world));
  });

  it("with the QBO flow's state: refused (states are bound to their provider), nothing changed", async () => {
    const { state } = await qboStart("b");
    const before = await picture(world);
    expectRefusal(await asApi(await get(`/auth/pos/callback?state=${state}&code=abc&domain_prefix=demo-us`)), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    expectUnchanged(before, await picture(world));
  });

  const BOUNCED: { name: string; edit: (u: URL) => void; code: string }[] = [
    { name: "without a code", edit: (u) => u.searchParams.delete("code"), code: "oauth_denied" },
    {
      name: "with error=access_denied (the merchant said no)",
      edit: (u) => {
        u.searchParams.delete("code");
        u.searchParams.set("error", "access_denied");
      },
      code: "oauth_denied",
    },
    {
      name: "with a domain_prefix that is a path",
      edit: (u) => u.searchParams.set("domain_prefix", "../../evil.example"),
      code: "bad_request",
    },
    {
      name: "naming another store than the one that consented",
      edit: (u) => u.searchParams.set("domain_prefix", "demo-us"),
      code: "oauth_denied",
    },
    {
      name: "with a code the POS never issued",
      edit: (u) => u.searchParams.set("code", "forged-code-0123456789"),
      code: "oauth_denied",
    },
  ];
  it.each(BOUNCED)(
    "$name: back to the extension with #error=$code; no store connected, the state spent",
    async ({ edit, code }) => {
      const { authorize } = await posStart();
      const callback = await posConsent(authorize, "demo");
      edit(callback);
      const before = await picture(world);
      const res = await get(callback);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`${RETURN_TO}#error=${code}`);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expectUnchanged(before, await picture(world), statesOnly);
    },
  );

  it("replayed after it connected: the first outcome again, no second code exchange, no second session", async () => {
    const { authorize, nonce } = await posStart();
    const callback = await posConsent(authorize, "demo");
    const first = await get(callback);
    const location = first.headers.get("location")!;
    expect(location).toMatch(/#code=[A-Za-z0-9_-]{43}$/);
    const [before, calls] = [await picture(world), tokenCalls()];
    for (let i = 0; i < 3; i++) expect((await get(callback)).headers.get("location")).toBe(location);
    expect(tokenCalls()).toBe(calls);
    expectUnchanged(before, await picture(world));
    // the handoff code works once, with its nonce only
    const code = location.split("#code=")[1]!;
    const wrongNonce = await world.request("/auth/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ code, nonce: `nonce-${crypto.randomUUID()}` }),
      ip: nextIp(),
    });
    expectRefusal(await asApi(wrongNonce), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    const ok = await world.request("/auth/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ code, nonce }),
      ip: nextIp(),
    });
    expect(ok.status).toBe(200);
    const sessions = await picture(world);
    const again = await world.request("/auth/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ code, nonce }),
      ip: nextIp(),
    });
    expectRefusal(await asApi(again), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    expectUnchanged(sessions, await picture(world));
  });

  it("two callbacks at once: one code exchange, the same redirect for both", async () => {
    const { authorize } = await posStart();
    const callback = await posConsent(authorize, "demo");
    const calls = tokenCalls();
    const [x, y] = await Promise.all([get(callback), get(callback)]);
    expect(x.headers.get("location")).toMatch(/#code=/);
    expect(y.headers.get("location")).toBe(x.headers.get("location"));
    expect(tokenCalls() - calls).toBe(1);
  });

  it("eleven minutes late: #error=oauth_state_invalid, the code never exchanged", async () => {
    const { authorize } = await posStart();
    const callback = await posConsent(authorize, "demo");
    world.advance(11 * 60_000);
    const [before, calls] = [await picture(world), tokenCalls()];
    const res = await get(callback);
    expect(res.headers.get("location")).toBe(`${RETURN_TO}#error=oauth_state_invalid`);
    expect(tokenCalls()).toBe(calls);
    expectUnchanged(before, await picture(world));
  });

  it("a handoff code presented after its five minutes: refused, no session", async () => {
    const { authorize, nonce } = await posStart();
    const location = (await get(await posConsent(authorize, "demo"))).headers.get("location")!;
    world.advance(6 * 60_000);
    const before = await picture(world);
    const late = await world.request("/auth/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ code: location.split("#code=")[1], nonce }),
      ip: nextIp(),
    });
    expectRefusal(await asApi(late), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    expectUnchanged(before, await picture(world));
  });
});

describe("the QBO callback", () => {
  const REFUSED = [
    { name: "without a state", query: "?code=abc&realmId=123" },
    { name: "with a state nobody issued", query: "?state=forged-state-value&code=abc&realmId=123" },
    { name: "with a 300-character state", query: `?state=${"s".repeat(300)}&code=abc&realmId=123` },
  ];
  it.each(REFUSED)("$name: oauth_state_invalid, nothing changed", async ({ query }) => {
    const before = await picture(world);
    expectRefusal(await asApi(await get(`/auth/qbo/callback${query}`)), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    expectUnchanged(before, await picture(world));
  });

  it("with the POS flow's state: refused, nothing changed", async () => {
    const { state } = await posStart();
    const before = await picture(world);
    expectRefusal(await asApi(await get(`/auth/qbo/callback?state=${state}&code=abc&realmId=${world.b.realmId}`)), {
      status: 400,
      code: "oauth_state_invalid",
      words: /expired or was already used/,
    });
    expectUnchanged(before, await picture(world));
  });

  const BOUNCED: { name: string; edit: (u: URL, w: World) => void; code: string; also?: string }[] = [
    { name: "without a code", edit: (u) => u.searchParams.delete("code"), code: "oauth_denied" },
    {
      name: "with error=access_denied",
      edit: (u) => {
        u.searchParams.delete("code");
        u.searchParams.set("error", "access_denied");
      },
      code: "oauth_denied",
    },
    {
      name: "with a realmId that is not a company id",
      edit: (u) => u.searchParams.set("realmId", "1 OR 1=1"),
      code: "oauth_denied",
    },
    {
      name: "naming the other merchant's company",
      edit: (u, w) => u.searchParams.set("realmId", w.a.realmId),
      code: "conflict",
    },
    {
      name: "with a code Intuit never issued",
      edit: (u) => u.searchParams.set("code", "forged-code-0123456789"),
      code: "oauth_denied",
    },
  ];
  it.each(BOUNCED)(
    "$name: back with qbo=error&code=$code; both merchants' connections as they were",
    async ({ edit, code }) => {
      const { authorize } = await qboStart("b");
      const callback = await qboConsent(authorize, "us");
      edit(callback, world);
      const before = await picture(world);
      const res = await get(callback);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=${code}`);
      expectUnchanged(before, await picture(world), statesOnly);
    },
  );

  it("replayed after it connected: #qbo=connected again, no second code exchange", async () => {
    const { authorize } = await qboStart("b");
    const callback = await qboConsent(authorize, "us");
    expect((await get(callback)).headers.get("location")).toBe(`${RETURN_TO}#qbo=connected`);
    const [before, calls] = [await picture(world), tokenCalls()];
    for (let i = 0; i < 3; i++)
      expect((await get(callback)).headers.get("location")).toBe(`${RETURN_TO}#qbo=connected`);
    expect(tokenCalls()).toBe(calls);
    expectUnchanged(before, await picture(world));
  });

  it("after the session that started it signed out: refused, the company not connected to anyone new", async () => {
    const { authorize } = await qboStart("b");
    const callback = await qboConsent(authorize, "us");
    const hash = await sha256Hex(world.b.session);
    await env.DB.prepare("UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1")
      .bind(hash, world.now().toISOString())
      .run();
    try {
      const before = await picture(world);
      const res = await get(callback);
      expect(res.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=oauth_state_invalid`);
      expectUnchanged(before, await picture(world), statesOnly);
    } finally {
      await env.DB.prepare("UPDATE sessions SET revoked_at = NULL WHERE token_hash = ?1").bind(hash).run();
    }
  });

  it("eleven minutes late: qbo=error&code=oauth_state_invalid, the code never exchanged", async () => {
    const { authorize } = await qboStart("b");
    const callback = await qboConsent(authorize, "us");
    world.advance(11 * 60_000);
    const [before, calls] = [await picture(world), tokenCalls()];
    expect((await get(callback)).headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=oauth_state_invalid`);
    expect(tokenCalls()).toBe(calls);
    expectUnchanged(before, await picture(world));
  });
});
