import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { createQboSandbox, type QboSandbox } from "../../../sandbox/qbo/index";
import { createApp } from "../../../worker/app";
import { sha256Hex } from "../../../worker/lib/crypto";
import { createServices, type Deps, type Services } from "../../../worker/services";
import { RETURN_TO } from "../support/stack";
import { trackingContext } from "../support/context";

/**
 * Several merchants on one Tillbridge: the POS sandbox's two demo stores (`demo`, Québec, and
 * `demo-us`), each connected as its own tenant to its own QBO company (CA and US), with the same
 * in-process wiring and shared clock as ../support/stack.ts (which connects one store only).
 */
export interface Tenant {
  id: string;
  realmId: string;
  session: string;
}

export interface Stores {
  pos: PosSandbox;
  qbo: QboSandbox;
  deps: Deps;
  now: () => Date;
  advance(ms: number): void;
  tenants: Tenant[];
  request(path: string, init?: RequestInit): Promise<Response>;
  api<T>(tenant: Tenant, path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }>;
  settle(): Promise<void>;
  services(name?: string): Services;
}

export async function createStores(opts: { at?: string; days?: number } = {}): Promise<Stores> {
  const base = Date.parse(opts.at ?? "2026-10-31T06:00:00Z");
  const started = Date.now();
  let offset = 0;
  const now = () => new Date(base + (Date.now() - started) + offset);
  const { ctx, settle: settleWork } = trackingContext();
  let app!: ReturnType<typeof createApp>;
  const pos = createPosSandbox({
    now,
    autoApprove: true,
    stores: ["ca", "us"],
    days: opts.days ?? 2,
    webhookRetryDelaysMs: [],
    deliverWebhook: async (url, init) => app.fetch(new Request(url, init), env, ctx),
  });
  const qbo = createQboSandbox({ now, autoApprove: true });
  const route = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const { port } = new URL(req.url);
    if (port === "8788") return qbo.fetch(req);
    if (port === "8789") return pos.fetch(req);
    throw new TypeError(`no route to ${req.url}`);
  };
  const deps: Deps = { fetch: route as typeof fetch, now, logSink: () => {} };
  app = createApp(deps);
  const request = async (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(new URL(path, "http://127.0.0.1:8787"), init), env, ctx);
  const api = async <T>(tenant: Tenant, path: string, body?: unknown, method?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${tenant.session}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await request(path, {
      method: method ?? (body !== undefined ? "POST" : "GET"),
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const settle = () => settleWork(() => pos.flushWebhooks());

  const stores: Stores = {
    pos,
    qbo,
    deps,
    now,
    advance: (ms) => void (offset += ms),
    tenants: [],
    request,
    api,
    settle,
    services: (name = "test") => createServices(env, deps, { requestId: name }),
  };

  for (const [prefix, company] of [
    ["demo", "ca"],
    ["demo-us", "us"],
  ] as const) {
    const json = { "content-type": "application/json" };
    const nonce = `nonce-${crypto.randomUUID()}`;
    const start = await request("/auth/pos/start", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
    });
    const authorize = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl);
    authorize.searchParams.set("domain_prefix", prefix);
    const back = new URL((await pos.fetch(new Request(authorize))).headers.get("location")!);
    const code = new URL((await request(`${back.pathname}${back.search}`)).headers.get("location")!).hash.replace(
      /^#code=/,
      "",
    );
    const exchanged = await request("/auth/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ code, nonce }),
    });
    expect(exchanged.status).toBe(200);
    const tenant: Tenant = {
      id: prefix,
      realmId: qbo.realms[company],
      session: ((await exchanged.json()) as { session: string }).session,
    };

    qbo.setConsent(company);
    const q = await api<{ authorizeUrl: string }>(tenant, "/api/qbo/connect", { returnTo: RETURN_TO });
    const qBack = new URL((await qbo.fetch(new Request(q.body.authorizeUrl))).headers.get("location")!);
    expect((await request(`${qBack.pathname}${qBack.search}`)).headers.get("location")).toContain("#qbo=connected");
    expect((await api(tenant, "/api/mappings/create-standard", undefined, "POST")).status).toBe(200);
    stores.tenants.push(tenant);
  }
  await settle();
  return stores;
}
