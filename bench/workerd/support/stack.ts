import { env } from "cloudflare:workers";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { seedStore } from "../../../sandbox/pos/seed/index";
import type { StoreState } from "../../../sandbox/pos/types";
import { createQboSandbox, type QboSandbox } from "../../../sandbox/qbo/index";
import { timestamp } from "../../../sandbox/qbo/operations";
import { CA_REALM, seedCa } from "../../../sandbox/qbo/seed-ca";
import { emptyOAuth } from "../../../sandbox/qbo/state";
import { createApp } from "../../../worker/app";
import { sha256Hex } from "../../../worker/lib/crypto";
import type { PosHooks } from "../../../worker/pos/hooks";
import { createServices, type Deps, type Services } from "../../../worker/services";
import { runCron, type CronReport } from "../../../worker/sync/cron";
import { simClock, type SimClock } from "./clock";
import { beginWait, meteredDb, meteredKv, meteredRoute, newMeter, type Meter } from "./meter";

/**
 * Tillbridge for the bench: the Worker, the POS sandbox (one demo store per tenant) and the QBO
 * sandbox (one Canadian company per tenant), wired in-process like test/worker/support/stack.ts,
 * but on the simulated clock (clock.ts), with metered D1/KV/fetch (meter.ts), and for many tenants.
 */
const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
const RETURN_TO = `${EXTENSION}/connected.html`;
const POS_STATE_FORMAT = "tillbridge-pos-sandbox/1";

export interface StoreSpec {
  /** The POS domain_prefix, which is also Tillbridge's tenant id */
  prefix: string;
  seed: number;
  /** Trading days generated before Tillbridge connects */
  days: number;
  startDate: string;
}

export interface BenchStackOptions {
  /** Simulated clock start (ISO) */
  at: string;
  /** The demo stores; a single `demo` store of the sandbox's own is used when omitted */
  stores?: StoreSpec[];
  /** With `stores` omitted: the `demo` store's generation */
  demo?: { seed: number; days: number; startDate: string };
  posHooks?: Partial<PosHooks>;
  /** Webhook types delivered to the Worker (default all); others are acknowledged and lost, as webhooks may be */
  webhookTypes?: string[];
  /** Connect QBO and create the standard accounts/items for every tenant (default true) */
  qbo?: boolean;
  /** The first store's QBO company is realm number `firstRealm` (default 0: the CA sandbox company); a
   * scenario with several stacks gives each its own, since one company connects to one tenant */
  firstRealm?: number;
  /** QBO's round trip per request, in (simulated) ms; default 0 */
  qboLatencyMs?: number;
}

export interface Tenant {
  id: string;
  realmId: string;
  session: string;
}

export interface BenchStack {
  clock: SimClock;
  pos: PosSandbox;
  qbo: QboSandbox;
  meter: Meter;
  /** The env the Worker sees: metered D1 and KV */
  env: Env;
  deps: Deps;
  tenants: Tenant[];
  /** Warnings and errors the Worker logged (info and debug are dropped: they would flood the output) */
  logs: string[];
  /** Generation of the POS stores, real ms */
  generationMs: number;
  request(path: string, init?: RequestInit): Promise<Response>;
  api<T = unknown>(
    tenant: Tenant,
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  settle(): Promise<void>;
  services(runId: string): Services;
  cron(opts?: { budgetMs?: number; posters?: number; tenants?: string[] }): Promise<CronReport>;
  dispose(): void;
}

function realmIdOf(i: number): string {
  return i === 0 ? CA_REALM : `91300000${String(i).padStart(8, "0")}`;
}

export async function createBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const clock = simClock(opts.at);
  const uninstall = clock.install(beginWait);
  const now = clock.now;
  const meter = newMeter();
  const pending = new Set<Promise<unknown>>();
  const failures: string[] = [];
  const ctx = {
    waitUntil: (p: Promise<unknown>) => {
      const tracked = p
        .catch((e) => failures.push(e instanceof Error ? (e.stack ?? e.message) : String(e)))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;

  let app!: ReturnType<typeof createApp>;
  const benchEnv = { ...env, DB: meteredDb(env.DB, meter), KV: meteredKv(env.KV, meter) } as Env;
  const started = performance.now();
  const pos = createPosSandbox({
    now,
    autoApprove: true,
    ...(opts.demo ?? { days: 0 }),
    webhookRetryDelaysMs: [],
    deliverWebhook: async (url, init) => {
      const type = new URLSearchParams(String(init.body)).get("type") ?? "";
      if (opts.webhookTypes && !opts.webhookTypes.includes(type)) return new Response(null, { status: 200 });
      return app.fetch(new Request(url, init), benchEnv, ctx);
    },
  });
  const specs = opts.stores ?? [
    {
      prefix: "demo",
      seed: opts.demo?.seed ?? 42,
      days: opts.demo?.days ?? 0,
      startDate: opts.demo?.startDate ?? "2026-10-01",
    },
  ];
  if (opts.stores) {
    const stores: Record<string, StoreState> = {};
    for (const spec of opts.stores) {
      const store = seedStore("ca", spec);
      store.prefix = spec.prefix;
      store.retailer.domainPrefix = spec.prefix;
      stores[spec.prefix] = store;
    }
    const firstStore = opts.stores[0]!;
    pos.importState(
      JSON.stringify({
        format: POS_STATE_FORMAT,
        options: { presets: ["ca"], seed: firstStore.seed, days: firstStore.days, startDate: firstStore.startDate },
        stores,
        auth: { codes: {}, tokens: {} },
      }),
    );
  }
  const generationMs = performance.now() - started;

  const qbo = createQboSandbox({ now, latencyMs: opts.qboLatencyMs ?? 0 });
  const first = opts.firstRealm ?? 0;
  const realms = Object.fromEntries(
    specs.map((_, i) => [realmIdOf(first + i), seedCa(timestamp(now()), realmIdOf(first + i))]),
  );
  qbo.importState(JSON.stringify({ version: 1, realms, oauth: emptyOAuth() }));

  const logs: string[] = [];
  const deps: Deps = {
    fetch: meteredRoute(
      meter,
      (r) => qbo.fetch(r),
      (r) => pos.fetch(r),
    ),
    now,
    logSink: (line, level) => void (level === "warn" || level === "error" ? logs.push(line) : undefined),
    ...(opts.posHooks ? { posHooks: opts.posHooks } : {}),
  };
  app = createApp(deps);
  const request = async (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(new URL(path, "http://127.0.0.1:8787"), init), benchEnv, ctx);

  const stack: BenchStack = {
    clock,
    pos,
    qbo,
    meter,
    env: benchEnv,
    deps,
    tenants: [],
    logs,
    generationMs,
    request,
    async api<T>(tenant: Tenant, path: string, init: { method?: string; body?: unknown } = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${tenant.session}` };
      if (init.body !== undefined) headers["content-type"] = "application/json";
      const res = await request(path, {
        method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: body as T };
    },
    async settle() {
      for (let round = 0; round < 100; round++) {
        await pos.flushWebhooks();
        if (pending.size === 0) break;
        await Promise.all([...pending]);
      }
      if (failures.length) throw new Error(`background work failed: ${failures.splice(0).join("\n")}`);
    },
    services: (runId) => createServices(benchEnv, deps, { requestId: runId }),
    async cron(o = {}) {
      return runCron(createServices(benchEnv, deps, { requestId: `bench-cron-${clock.ms()}` }), {
        scheduledTime: now(),
        budgetMs: o.budgetMs ?? 25_000,
        ...(o.posters !== undefined ? { posters: o.posters } : {}),
        ...(o.tenants ? { tenants: o.tenants } : {}),
      });
    },
    dispose: uninstall,
  };

  for (const [i, spec] of specs.entries())
    stack.tenants.push(await connect(stack, spec.prefix, realmIdOf(first + i), opts.qbo ?? true));
  await stack.settle();
  return stack;
}

async function expectStatus(
  stack: BenchStack,
  res: Response | { status: number; body: unknown },
  want: number,
  what: string,
): Promise<void> {
  if (res.status === want) return;
  const body = res instanceof Response ? await res.text() : JSON.stringify(res.body);
  throw new Error(
    `${what}: HTTP ${res.status}, expected ${want}: ${body.slice(0, 500)}\n${stack.logs.slice(-3).join("\n")}`,
  );
}

/** The merchant's clicks: connect the POS store, connect its QBO company, create the standard mappings. */
async function connect(stack: BenchStack, prefix: string, realmId: string, withQbo: boolean): Promise<Tenant> {
  const nonce = `nonce-${crypto.randomUUID()}`;
  const start = await stack.request("/auth/pos/start", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
  });
  await expectStatus(stack, start, 200, "POS connect");
  const authorize = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl);
  authorize.searchParams.set("domain_prefix", prefix);
  const consent = await stack.pos.fetch(new Request(authorize));
  const back = new URL(consent.headers.get("location")!);
  const done = await stack.request(`${back.pathname}${back.search}`);
  const code = new URL(done.headers.get("location")!).hash.replace(/^#code=/, "");
  const exchanged = await stack.request("/auth/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, nonce }),
  });
  await expectStatus(stack, exchanged, 200, "POS session");
  const tenant: Tenant = { id: prefix, realmId, session: ((await exchanged.json()) as { session: string }).session };
  if (!withQbo) return tenant;

  const q = await stack.api<{ authorizeUrl: string }>(tenant, "/api/qbo/connect", { body: { returnTo: RETURN_TO } });
  await expectStatus(stack, q, 200, "QBO connect");
  // The consent form, answered for this tenant's company
  const asked = new URL(q.body.authorizeUrl).searchParams;
  const form = new URLSearchParams({
    client_id: asked.get("client_id")!,
    redirect_uri: asked.get("redirect_uri")!,
    scope: asked.get("scope")!,
    state: asked.get("state")!,
    realmId,
    decision: "authorize",
  });
  const qConsent = await stack.qbo.fetch(
    new Request("http://127.0.0.1:8788/connect/oauth2/consent", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    }),
  );
  const qBack = new URL(qConsent.headers.get("location")!);
  const qDone = await stack.request(`${qBack.pathname}${qBack.search}`);
  if (!qDone.headers.get("location")?.includes("#qbo=connected"))
    throw new Error(`QBO callback for ${prefix}: ${qDone.status} ${qDone.headers.get("location")}`);
  const std = await stack.api(tenant, "/api/mappings/create-standard", { method: "POST" });
  await expectStatus(stack, std, 200, "create standard mappings");
  return tenant;
}

/** One line of results for scripts/bench.mjs, which reads them from vitest's output. */
export function emit(name: string, data: Record<string, unknown>): void {
  console.log(`BENCH_RESULT ${JSON.stringify({ name, ...data })}`);
}
