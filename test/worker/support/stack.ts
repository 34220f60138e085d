import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { createQboSandbox, type QboSandbox } from "../../../sandbox/qbo/index";
import { createApp } from "../../../worker/app";
import { sha256Hex } from "../../../worker/lib/crypto";
import { createServices, type Deps, type Services } from "../../../worker/services";
import { runCron, type CronReport } from "../../../worker/sync/cron";
import { trackingContext } from "./context";

/**
 * The whole of Tillbridge in one isolate: the Worker, the POS sandbox (demo store) and the QBO
 * sandbox, wired through an in-process fetch that routes by origin, with one clock. Webhooks from
 * the POS come back into the Worker with an ExecutionContext whose background work `settle()` awaits.
 */
export const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
export const RETURN_TO = `${EXTENSION}/connected.html`;
export const TENANT = "demo";

export interface Stack {
  pos: PosSandbox;
  qbo: QboSandbox;
  app: ReturnType<typeof createApp>;
  deps: Deps;
  now: () => Date;
  advance(ms: number): void;
  logs: string[];
  session: string;
  realmId: string;
  /** The POS store's domain prefix, Tillbridge's tenant id */
  tenant: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  api<T = unknown>(
    path: string,
    init?: { method?: string; body?: unknown; lang?: string },
  ): Promise<{ status: number; body: T }>;
  settle(): Promise<void>;
  /** `posters: 1` posts one item at a time per company (no batches): a test's injected faults meet known requests */
  cron(opts?: { budgetMs?: number; posters?: number }): Promise<CronReport>;
  services(): Services;
}

export interface StackOptions {
  /** Start of the shared clock (ISO); it then runs with real time */
  at?: string;
  days?: number;
  seed?: number;
  /** Skip the QBO connection and the mappings */
  posOnly?: boolean;
  /** Skip "create standard accounts and items" */
  noMappings?: boolean;
  /**
   * Which demo store and QBO company: "ca" (GST/QST, tenant `demo`), "us" (US sales tax, `demo-us`),
   * "au" (GST, tax-inclusive, `demo-au`) or "uk" (VAT, tax-inclusive, `demo-uk`)
   */
  store?: "ca" | "us" | "au" | "uk";
  /** What the store's generated days contain (the POS sandbox's `activity`); its defaults when left out */
  activity?: "classic" | "full";
  /** Generated days carry inventory activity (supplier returns, stocktakes, adjustments, transfers) */
  inventory?: boolean;
  /** Connect as the extension's guided setup does: postings held until the store goes live */
  reviewFirst?: boolean;
  /** Vars laid over the Worker's env (e.g. SHARD_PLACEMENT: "1" puts the store on shard 1) */
  env?: Record<string, unknown>;
}

const TENANTS = { ca: TENANT, us: "demo-us", au: "demo-au", uk: "demo-uk" } as const;

export async function createStack(opts: StackOptions = {}): Promise<Stack> {
  const base = Date.parse(opts.at ?? "2026-10-31T06:00:00Z");
  const workerEnv = opts.env ? { ...env, ...opts.env } : env;
  const started = Date.now();
  let offset = 0;
  const now = () => new Date(base + (Date.now() - started) + offset);
  const logs: string[] = [];
  const { ctx, settle: settleWork } = trackingContext((line) => void logs.push(line));

  let app!: ReturnType<typeof createApp>;
  const pos = createPosSandbox({
    now,
    autoApprove: true,
    days: opts.days ?? 30,
    stores: [opts.store ?? "ca"],
    ...(opts.activity ? { activity: { [opts.store ?? "ca"]: opts.activity } } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}),
    webhookRetryDelaysMs: [],
    deliverWebhook: async (url, init) => app.fetch(new Request(url, init), workerEnv, ctx),
  });
  const qbo = createQboSandbox({ now, autoApprove: true });
  qbo.setConsent(opts.store ?? "ca");
  const route = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const { port } = new URL(req.url);
    if (port === "8788") return qbo.fetch(req);
    if (port === "8789") return pos.fetch(req);
    throw new TypeError(`no route to ${req.url} in the test stack`);
  };
  const deps: Deps = { fetch: route as typeof fetch, now, logSink: (line) => void logs.push(line) };
  app = createApp(deps);
  const request = async (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(new URL(path, "http://127.0.0.1:8787"), init), workerEnv, ctx);

  const stack: Stack = {
    pos,
    qbo,
    app,
    deps,
    now,
    advance: (ms) => void (offset += ms),
    logs,
    session: "",
    realmId: qbo.realms[opts.store ?? "ca"],
    tenant: TENANTS[opts.store ?? "ca"],
    request,
    async api<T>(path: string, init: { method?: string; body?: unknown; lang?: string } = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${stack.session}` };
      if (init.body !== undefined) headers["content-type"] = "application/json";
      if (init.lang) headers["accept-language"] = init.lang;
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
        // CSV and other text answers
      }
      return { status: res.status, body: body as T };
    },
    settle: () => settleWork(() => pos.flushWebhooks()),
    services: () => createServices(workerEnv, deps, { requestId: "test" }),
    async cron(o = {}) {
      const report = await runCron(createServices(workerEnv, deps, { requestId: "test-cron" }), {
        scheduledTime: now(),
        budgetMs: o.budgetMs ?? 60_000,
        ...(o.posters ? { posters: o.posters } : {}),
      });
      await stack.settle();
      return report;
    },
  };

  // connect the POS: start → consent → callback → handoff → session
  const nonce = `nonce-${crypto.randomUUID()}`;
  const start = await request("/auth/pos/start", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
  });
  expect(start.status).toBe(200);
  const consent = await pos.fetch(new Request(((await start.json()) as { authorizeUrl: string }).authorizeUrl));
  const back = new URL(consent.headers.get("location")!);
  const done = await request(`${back.pathname}${back.search}`);
  const code = new URL(done.headers.get("location")!).hash.replace(/^#code=/, "");
  const exchanged = await request("/auth/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, nonce, ...(opts.reviewFirst ? { reviewFirst: true } : {}) }),
  });
  expect(exchanged.status).toBe(200);
  stack.session = ((await exchanged.json()) as { session: string }).session;
  if (opts.posOnly) return stack;

  // connect QBO (the CA company)
  const q = await stack.api<{ authorizeUrl: string }>("/api/qbo/connect", { body: { returnTo: RETURN_TO } });
  expect(q.status).toBe(200);
  const qConsent = await qbo.fetch(new Request(q.body.authorizeUrl));
  const qBack = new URL(qConsent.headers.get("location")!);
  const qDone = await request(`${qBack.pathname}${qBack.search}`);
  expect(qDone.headers.get("location")).toContain("#qbo=connected");
  if (opts.noMappings) return stack;

  const std = await stack.api("/api/mappings/create-standard", { method: "POST" });
  expect(std.status).toBe(200);
  return stack;
}

/** Every row of the demo tenant, gone: the test files share one D1 per file. */
export async function forgetAll(): Promise<void> {
  const tables = [
    "connections",
    "sessions",
    "cursors",
    "pos_objects",
    "closures",
    "webhook_events",
    "audit_log",
    "sync_items",
    "mappings",
    "mapping_changes",
    "session_handoffs",
    "backfills",
    "backfill_items",
    "op_counters",
    "drift_docs",
    "revisions",
  ];
  await env.DB.batch([
    ...tables.map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
    env.DB.prepare("DELETE FROM oauth_states"),
    env.DB.prepare("DELETE FROM qbo_rate"),
    env.DB.prepare("DELETE FROM tenants"),
  ]);
  const keys = await env.KV.list();
  await Promise.all(keys.keys.map((k) => env.KV.delete(k.name)));
}
