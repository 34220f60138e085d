import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { createApp } from "../../../worker/app";
import { sha256Hex } from "../../../worker/lib/crypto";
import { expectRefusal } from "./expect";
import { differences, picture } from "./snapshot";
import { createWorld, RETURN_TO, type World } from "./world";

/**
 * Tenant isolation, walked route by route. Merchant `a` has a posted closure, an on-account sale,
 * a purchase order's bill, a paused backfill and an OAuth flow in progress; merchant `b` then calls
 * every route the Worker has — the list is read from the app itself, so a new route without a case
 * here fails — with its own session and `a`'s ids. Each answer must be a refusal or `b`'s own data,
 * never carrying anything of `a`'s, and `a`'s data, jobs and books must be exactly as they were.
 * Then every session route is walked again with no session, a revoked one and an expired one.
 */
let world: World;
const A: {
  closure: string;
  sale: string;
  order: string;
  qboState: string;
  handoffCode: string;
  mappings: MappingsDocument;
  secrets: string[];
} = {} as never;

beforeAll(async () => {
  world = await createWorld();
  const { pos } = world;
  const store = pos.store("demo");
  const [reg1] = Object.values(store.registers);
  const products = Object.values(store.products).filter((p) => p.kind === "product");
  const customer = Object.values(store.customers).find((c) => c.companyName)!;
  A.closure = pos.openRegister("demo", reg1!.id).id;
  pos.addSale("demo", { registerId: reg1!.id, lines: [{ productId: products[0]!.id, quantity: 2 }] });
  A.sale = pos.addSale("demo", {
    registerId: reg1!.id,
    kind: "onaccount",
    customerId: customer.id,
    lines: [{ productId: products[1]!.id }],
  }).id;
  pos.closeRegister("demo", reg1!.id);
  await world.settle();
  await world.cron();
  const po = Object.values(store.purchaseOrders).find(
    (p) => ["OPEN", "SENT"].includes(p.status) && p.lines.length >= 2,
  )!;
  pos.receivePurchaseOrder("demo", po.id, { supplierInvoice: "INV-ISOLATION" });
  A.order = po.id;
  expect((await world.api(world.a, "/api/sync/send", { body: { kind: "purchase_order", posId: po.id } })).status).toBe(
    200,
  );
  await world.settle();
  for (const [kind, posId] of [
    ["closure", A.closure],
    ["sale", A.sale],
    ["purchase_order", A.order],
  ] as const) {
    const st = await world.api<{ objects: { state: string }[] }>(world.a, "/api/status", {
      body: { objects: [{ kind, posId }] },
    });
    expect(st.body.objects[0]!.state, `${kind} of a`).toBe("posted");
  }
  // a's backfill of its seeded days, paused at once (whatever its first step got done meanwhile)
  expect((await world.api(world.a, "/api/backfill", { body: { from: "2026-10-01", to: "2026-10-02" } })).status).toBe(
    200,
  );
  expect((await world.api(world.a, "/api/backfill/pause", { method: "POST" })).status).toBe(200);
  await world.settle();
  // a's QBO connect started (its state pending) and a POS handoff code not yet exchanged
  const q = await world.api<{ authorizeUrl: string }>(world.a, "/api/qbo/connect", { body: { returnTo: RETURN_TO } });
  A.qboState = new URL(q.body.authorizeUrl).searchParams.get("state")!;
  A.mappings = (await world.api<MappingsDocument>(world.a, "/api/mappings")).body;
  const tenant = (await env.DB.prepare("SELECT name FROM tenants WHERE id = 'demo'").first<{ name: string }>())!;
  const company = world.qbo.companies().find((c) => c.realmId === world.a.realmId)!;
  A.secrets = [A.closure, A.sale, A.order, world.a.realmId, tenant.name, company.name, A.qboState];
  await world.settle();
}, 240_000);

/** What may change while b walks: b's own rows and company, and POS flows not yet bound to anyone. */
const notA = (where: string) =>
  where.endsWith("/demo-us") ||
  where.endsWith(`/realm:${world.b.realmId}`) ||
  where.startsWith(`qbo/${world.b.realmId}/`) ||
  where === "oauth_states/-" ||
  /^kv\/[^/]*demo-us|^kv\/cron:/.test(where);

interface Step {
  method: string;
  path: string;
  /** The request b makes (path with a's ids filled in) */
  send: () => { path: string; body?: unknown; headers?: Record<string, string>; anonymous?: boolean };
  /** What b gets: a refusal code, or its own data checked here */
  expect: (res: { status: number; body: unknown; headers: Headers }) => void;
  /** The one thing of a's the step may spend: a's pending OAuth state, single-use whoever presents it */
  spends?: string;
}

const refused =
  (status: number, code: Parameters<typeof expectRefusal>[1]["code"]) =>
  (res: { status: number; body: unknown; headers: Headers }) =>
    void expectRefusal(res, { status, code, words: /./ });
const ownData = (check?: (body: Record<string, unknown>) => void) => (res: { status: number; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  check?.(res.body as Record<string, unknown>);
};
const refOf = (kind: string, posId: () => string) => () => ({ kind, posId: posId() });

const STEPS: Step[] = [
  {
    method: "GET",
    path: "/health",
    send: () => ({ path: "/health", anonymous: true }),
    expect: (r) => expect([200, 503]).toContain(r.status),
  },
  {
    method: "POST",
    path: "/auth/pos/start",
    send: () => ({
      path: "/auth/pos/start",
      anonymous: true,
      body: { returnTo: RETURN_TO, nonceHash: "b".repeat(64) },
    }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/auth/pos/callback",
    send: () => ({ path: `/auth/pos/callback?state=${A.qboState}&code=stolen&domain_prefix=demo`, anonymous: true }),
    expect: refused(400, "oauth_state_invalid"),
  },
  {
    method: "POST",
    path: "/auth/session",
    send: () => ({ path: "/auth/session", anonymous: true, body: { code: "c".repeat(43), nonce: "n".repeat(30) } }),
    expect: refused(400, "oauth_state_invalid"),
  },
  {
    method: "GET",
    path: "/auth/qbo/callback",
    // a's pending state with b's company: the company is b's, so a gets no one else's books
    send: () => ({ path: `/auth/qbo/callback?state=${A.qboState}&code=x&realmId=${world.b.realmId}`, anonymous: true }),
    spends: "oauth_states/demo",
    expect: (r) => {
      expect(r.status).toBe(302);
      expect(r.headers.get("location")).toBe(`${RETURN_TO}#qbo=error&code=conflict`);
    },
  },
  {
    method: "GET",
    path: "/api/me",
    send: () => ({ path: "/api/me" }),
    expect: ownData((b) => expect(b.tenantId).toBe("demo-us")),
  },
  {
    method: "POST",
    path: "/api/qbo/connect",
    send: () => ({ path: "/api/qbo/connect", body: { returnTo: RETURN_TO } }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/qbo/connection",
    send: () => ({ path: "/api/qbo/connection" }),
    expect: ownData((b) => expect(b.externalId).toBe(world.b.realmId)),
  },
  {
    method: "POST",
    path: "/api/status",
    send: () => ({
      path: "/api/status",
      body: {
        objects: [
          refOf("closure", () => A.closure)(),
          refOf("sale", () => A.sale)(),
          refOf("purchase_order", () => A.order)(),
        ],
      },
    }),
    expect: ownData((b) =>
      expect((b.objects as { state: string; docs: unknown[] }[]).map((o) => [o.state, o.docs.length])).toEqual([
        ["unknown", 0],
        ["unknown", 0],
        ["unknown", 0],
      ]),
    ),
  },
  {
    method: "POST",
    path: "/api/sync/send",
    send: () => ({ path: "/api/sync/send", body: refOf("closure", () => A.closure)() }),
    expect: refused(404, "not_found"),
  },
  {
    method: "POST",
    path: "/api/sync/retry",
    send: () => ({ path: "/api/sync/retry", body: refOf("sale", () => A.sale)() }),
    expect: refused(404, "not_found"),
  },
  {
    method: "POST",
    path: "/api/sync/resolve",
    send: () => ({
      path: "/api/sync/resolve",
      body: { ...refOf("closure", () => A.closure)(), action: "post_in_open_period" },
    }),
    expect: refused(404, "not_found"),
  },
  {
    method: "GET",
    path: "/api/mappings",
    send: () => ({ path: "/api/mappings" }),
    expect: ownData((b) => expect(b.updatedBy).not.toBe(A.mappings.updatedBy)),
  },
  {
    method: "PUT",
    path: "/api/mappings",
    // b saves a's mappings document over its own: a's QBO ids are not b's company's
    send: () => ({ path: "/api/mappings", body: { version: 1, mappings: A.mappings.mappings } }),
    expect: refused(400, "bad_request"),
  },
  {
    method: "GET",
    path: "/api/mappings/changes",
    send: () => ({ path: "/api/mappings/changes" }),
    expect: ownData((b) =>
      expect((b.changes as { actor: string }[]).every((c) => c.actor === "user:demo-us")).toBe(true),
    ),
  },
  {
    method: "GET",
    path: "/api/mappings/options",
    send: () => ({ path: "/api/mappings/options" }),
    expect: ownData((b) =>
      expect((b.qbo as { companyName: string }).companyName).toBe(
        world.qbo.companies().find((c) => c.realmId === world.b.realmId)!.name,
      ),
    ),
  },
  {
    method: "GET",
    path: "/api/mappings/unmapped",
    send: () => ({ path: "/api/mappings/unmapped" }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/mappings/suggestions",
    send: () => ({ path: "/api/mappings/suggestions" }),
    expect: ownData(),
  },
  {
    method: "POST",
    path: "/api/mappings/create-standard",
    send: () => ({ path: "/api/mappings/create-standard", body: {} }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/preview",
    send: () => ({ path: `/api/preview?kind=closure&posId=${A.closure}` }),
    // b's own POS is looked at: a's closure is one b has not read, as any unknown id
    expect: refused(404, "pos_not_read_yet"),
  },
  {
    method: "POST",
    path: "/api/closures/:id/counted",
    send: () => ({
      path: `/api/closures/${A.closure}/counted`,
      body: { payments: [{ name: "Cash", countedMinor: 1 }] },
    }),
    expect: refused(404, "not_found"),
  },
  {
    method: "GET",
    path: "/api/audit",
    send: () => ({ path: `/api/audit?posId=${A.closure}` }),
    expect: ownData((b) => expect(b.entries).toEqual([])),
  },
  {
    method: "GET",
    path: "/api/audit.csv",
    send: () => ({ path: `/api/audit.csv?posId=${A.order}` }),
    expect: (r) =>
      expect({ status: r.status, lines: String(r.body).trim().split("\r\n").length }).toEqual({
        status: 200,
        lines: 1,
      }),
  },
  {
    method: "GET",
    path: "/api/backfill",
    send: () => ({ path: "/api/backfill" }),
    expect: ownData((b) => expect(b.backfill).toBeNull()),
  },
  {
    method: "POST",
    path: "/api/backfill/resume",
    send: () => ({ path: "/api/backfill/resume", body: {} }),
    expect: refused(409, "conflict"),
  },
  {
    method: "POST",
    path: "/api/backfill/pause",
    send: () => ({ path: "/api/backfill/pause", body: {} }),
    expect: refused(409, "conflict"),
  },
  {
    method: "GET",
    path: "/api/revisions/diff",
    send: () => ({ path: `/api/revisions/diff?kind=closure&posId=${A.closure}` }),
    expect: refused(404, "not_found"),
  },
  {
    method: "POST",
    path: "/api/revisions/replace",
    send: () => ({ path: "/api/revisions/replace", body: refOf("closure", () => A.closure)() }),
    expect: refused(404, "not_found"),
  },
  {
    method: "GET",
    path: "/api/reports/liabilities",
    send: () => ({ path: "/api/reports/liabilities?from=2026-10-01&to=2026-10-31" }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/reports/inventory",
    send: () => ({ path: "/api/reports/inventory?from=2026-10-01&to=2026-10-31" }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/reports/drift",
    send: () => ({ path: "/api/reports/drift" }),
    expect: ownData((b) => expect(b.documents).toEqual([])),
  },
  {
    method: "POST",
    path: "/api/reports/drift/check",
    send: () => ({ path: "/api/reports/drift/check", body: { scope: "next" } }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/reports/reconciliation",
    send: () => ({ path: "/api/reports/reconciliation?from=2026-10-01&to=2026-10-31" }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/attention",
    send: () => ({ path: "/api/attention" }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/attention/count",
    send: () => ({ path: "/api/attention/count" }),
    expect: ownData(),
  },
  {
    method: "POST",
    path: "/api/attention/retry-all",
    send: () => ({ path: "/api/attention/retry-all", body: {} }),
    expect: ownData(),
  },
  {
    method: "GET",
    path: "/api/setup",
    send: () => ({ path: "/api/setup" }),
    // b's own setup: it never met a's closure
    expect: ownData((b) => expect(b.firstClosure).toBeNull()),
  },
  {
    method: "POST",
    path: "/api/setup/go-live",
    send: () => ({ path: "/api/setup/go-live", body: {} }),
    expect: ownData((b) => expect(b.released).toBe(0)),
  },
  {
    method: "GET",
    path: "/api/preview/recent",
    send: () => ({ path: "/api/preview/recent?kind=closure" }),
    expect: ownData((b) => expect(b.objects).toEqual([])),
  },
  {
    method: "GET",
    path: "/api/digest",
    send: () => ({ path: "/api/digest" }),
    expect: ownData(),
  },
  {
    method: "PUT",
    path: "/api/digest",
    send: () => ({ path: "/api/digest", body: { enabled: true, recipient: "b@store.example", lang: "en" } }),
    expect: ownData((b) => expect(b.settings).toEqual({ enabled: true, recipient: "b@store.example", lang: "en" })),
  },
  {
    method: "POST",
    path: "/api/backfill",
    send: () => ({ path: "/api/backfill", body: { from: "2026-10-30", to: "2026-10-30" } }),
    expect: ownData((b) => expect((b.backfill as { from: string }).from).toBe("2026-10-30")),
  },
  {
    method: "POST",
    path: "/webhooks/pos/:tenant/:secret",
    // b's webhook secret on a's URL, with a closure for a's register
    send: () => ({
      path: `/webhooks/pos/demo/${new URL(Object.values(world.pos.store("demo-us").webhooks)[0]!.url).pathname.split("/").at(-1)}`,
      anonymous: true,
      body: `payload=${encodeURIComponent(JSON.stringify({ id: "x" }))}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    expect: refused(401, "webhook_signature_invalid"),
  },
  {
    method: "POST",
    path: "/webhooks/qbo",
    // a notification naming a's company, not signed with Intuit's verifier token
    send: () => ({
      path: "/webhooks/qbo",
      anonymous: true,
      body: JSON.stringify({
        eventNotifications: [
          { realmId: world.a.realmId, dataChangeEvent: { entities: [{ name: "Account", id: "1" }] } },
        ],
      }),
      headers: { "content-type": "application/json", "intuit-signature": "Zm9yZ2Vk" },
    }),
    expect: refused(401, "webhook_signature_invalid"),
  },
  {
    method: "GET",
    path: "/ops/counters",
    send: () => ({ path: "/ops/counters?tenant=demo" }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "GET",
    path: "/ops/dead-letter",
    send: () => ({ path: "/ops/dead-letter?tenant=demo" }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "POST",
    path: "/ops/dead-letter/:id/retry",
    send: () => ({ path: "/ops/dead-letter/1/retry", body: {} }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "GET",
    path: "/ops/backfills",
    send: () => ({ path: "/ops/backfills" }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "GET",
    path: "/ops/health/:tenant",
    send: () => ({ path: "/ops/health/demo" }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "POST",
    path: "/ops/tenants/:tenant/move",
    send: () => ({ path: "/ops/tenants/demo/move", body: { shard: 1 } }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "GET",
    path: "/ops/tenants/:tenant/shard",
    send: () => ({ path: "/ops/tenants/demo/shard" }),
    expect: refused(401, "unauthorized"),
  },
  {
    method: "GET",
    path: "/intuit/launch",
    send: () => ({ path: `/intuit/launch?realmId=${world.a.realmId}`, anonymous: true }),
    expect: (r) => expect(r.status).toBe(200),
  },
  {
    method: "GET",
    path: "/intuit/disconnected",
    send: () => ({ path: `/intuit/disconnected?realmId=${world.a.realmId}`, anonymous: true }),
    expect: (r) => expect(r.status).toBe(200),
  },
  {
    method: "GET",
    path: "/intuit/reconnect",
    send: () => ({ path: `/intuit/reconnect?realmId=${world.a.realmId}`, anonymous: true }),
    expect: (r) => expect(r.status).toBe(200),
  },
  // last: they end b's connections (and its sessions)
  {
    method: "POST",
    path: "/api/qbo/disconnect",
    send: () => ({ path: "/api/qbo/disconnect", body: {} }),
    expect: ownData((b) => expect(b.status).toBe("disconnected")),
  },
  {
    method: "POST",
    path: "/api/pos/disconnect",
    send: () => ({ path: "/api/pos/disconnect", body: {} }),
    expect: ownData(),
  },
];

/** Every route of the Worker, from the app itself (middleware entries are method ALL). */
function appRoutes(): string[] {
  const seen = new Set<string>();
  for (const r of createApp().routes) if (r.method !== "ALL") seen.add(`${r.method} ${r.path}`);
  return [...seen].sort();
}

describe("b walks every route with a's ids", () => {
  it("has a step for every route the Worker serves", () => {
    expect(STEPS.map((s) => `${s.method} ${s.path}`).sort()).toEqual(appRoutes());
  });

  it.each(STEPS)("$method $path", { timeout: 60_000 }, async (step) => {
    const before = await picture(world);
    const req = step.send();
    const body = req.body;
    const res = await world.api(req.anonymous ? null : world.b, req.path, {
      method: step.method,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    step.expect(res);
    await world.settle();
    // nothing of a's in the answer, beyond the ids b itself sent
    const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
    const asked = `${req.path} ${JSON.stringify(body ?? "")}`;
    for (const secret of A.secrets.filter((x) => !asked.includes(x)))
      expect(text, `a's ${secret} in the answer`).not.toContain(secret);
    expect(text).not.toMatch(/"demo"/);
    expect(
      differences(before, await picture(world), (w) => notA(w) || w === step.spends),
      "a's data, jobs or books changed",
    ).toEqual([]);
  });
});

describe("every session route without a live session", () => {
  const sessionRoutes = appRoutes()
    .filter((r) => r.split(" ")[1]!.startsWith("/api/"))
    .map((r) => ({ method: r.split(" ")[0]!, path: r.split(" ")[1]!.replace(":id", "x") }));

  const tokens: { name: string; token: () => Promise<string | null> }[] = [
    { name: "no session", token: async () => null },
    {
      name: "a revoked session",
      token: async () => {
        const token = `tbs_${"r".repeat(43)}`;
        await env.DB.prepare(
          "INSERT OR IGNORE INTO sessions (token_hash, tenant_id, user_label, created_at, expires_at, revoked_at) VALUES (?1, 'demo', '', ?2, ?3, ?2)",
        )
          .bind(
            await sha256Hex(token),
            world.now().toISOString(),
            new Date(world.now().getTime() + 86_400_000).toISOString(),
          )
          .run();
        return token;
      },
    },
    {
      name: "an expired session",
      token: async () => {
        const token = `tbs_${"e".repeat(43)}`;
        await env.DB.prepare(
          "INSERT OR IGNORE INTO sessions (token_hash, tenant_id, user_label, created_at, expires_at) VALUES (?1, 'demo', '', ?2, ?2)",
        )
          .bind(await sha256Hex(token), new Date(world.now().getTime() - 86_400_000).toISOString())
          .run();
        return token;
      },
    },
  ];
  const cases = tokens.flatMap((t) =>
    sessionRoutes.map((r) => ({ ...r, label: `${t.name}: ${r.method} ${r.path}`, token: t.token })),
  );

  it("walks all of them", () =>
    expect(sessionRoutes.length).toBe(STEPS.filter((s) => s.path.startsWith("/api/")).length));
  it.each(cases)("$label", async (c) => {
    const token = await c.token();
    const before = await picture(world);
    const res = await world.api(token, c.path, { method: c.method, ...(c.method === "GET" ? {} : { body: {} }) });
    expectRefusal(res, { status: 401, code: "unauthorized", words: /You are not signed in to Tillbridge\./ });
    expect(differences(before, await picture(world))).toEqual([]);
  });
});
