import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { createQboSandbox, type QboSandbox } from "../../../sandbox/qbo/index";
import { createApp } from "../../../worker/app";
import { sha256Hex } from "../../../worker/lib/crypto";
import { createServices, type Deps, type Services } from "../../../worker/services";
import { runCron, type CronReport } from "../../../worker/sync/cron";
import { trackingContext } from "../support/context";

/**
 * Two merchants on one Tillbridge, as hostile input meets them: `a` (the POS demo store `demo`, its
 * own CA company) and `b` (`demo-us`, the US company), connected through the real OAuth routes. The
 * wiring records every secret that passes (tokens, codes, states, nonces, handoff codes, sessions,
 * webhook secrets) so tests can look for them where they must not be, captures every log line at
 * debug level, and can rewrite the POS's API answers (`tamper`) to play a POS that sends garbage.
 */
export const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
export const RETURN_TO = `${EXTENSION}/connected.html`;

export interface Tenant {
  id: string;
  realmId: string;
  session: string;
}

/** Rewrites one POS API answer (parsed JSON); return undefined to leave it as it was. */
export type Tamper = (path: string, body: unknown) => unknown;

export interface World {
  pos: PosSandbox;
  qbo: QboSandbox;
  env: Cloudflare.Env;
  deps: Deps;
  now: () => Date;
  advance(ms: number): void;
  a: Tenant;
  b: Tenant;
  logs: string[];
  secrets: Set<string>;
  /** Every call the Worker made to the outside world, in order */
  outbound: { method: string; url: URL }[];
  tamper: Tamper | null;
  /** Answers one outbound call itself (a QBO that misbehaves in ways its sandbox does not play); undefined: the sandbox answers */
  intercept: ((url: URL, method: string, body: string) => Response | undefined) | null;
  /** A request as a browser or the POS would send it; `ip` becomes cf-connecting-ip */
  request(path: string, init?: RequestInit & { ip?: string }): Promise<Response>;
  api<T = unknown>(
    who: Tenant | string | null,
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  settle(): Promise<void>;
  services(name?: string): Services;
  cron(): Promise<CronReport>;
  connectPos(prefix: string): Promise<string>;
  connectQbo(tenant: Tenant): Promise<void>;
}

const text = (v: unknown) => (typeof v === "string" && v.length >= 8 ? [v] : []);

/** `hooks` replaces the engine's reactions to webhooks (so a test sees only what the route itself did). */
export async function createWorld(opts: { at?: string; days?: number; hooks?: Deps["posHooks"] } = {}): Promise<World> {
  const base = Date.parse(opts.at ?? "2026-10-31T06:00:00Z");
  const started = Date.now();
  let offset = 0;
  const now = () => new Date(base + (Date.now() - started) + offset);
  const logs: string[] = [];
  const secrets = new Set<string>();
  const keep = (...values: unknown[]) => {
    for (const v of values.flatMap(text)) secrets.add(v);
  };
  // Every secret the Worker is configured with, and the key material of TOKEN_KEYS.
  keep(
    env.POS_CLIENT_SECRET,
    env.QBO_CLIENT_SECRET,
    env.QBO_WEBHOOK_VERIFIER,
    ...env.TOKEN_KEYS.split(",").map((k) => k.split(":")[1]),
  );
  // Debug level: the quietest log lines must be as clean as the loud ones. The operator's routes open.
  const opsToken = `ops-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  keep(opsToken);
  const workerEnv = { ...env, LOG_LEVEL: "debug", OPS_TOKEN: opsToken } as unknown as Cloudflare.Env;

  const { ctx, settle: settleWork } = trackingContext((line) => void logs.push(line));

  let app!: ReturnType<typeof createApp>;
  const pos = createPosSandbox({
    now,
    autoApprove: true,
    stores: ["ca", "us"],
    days: opts.days ?? 2,
    webhookRetryDelaysMs: [],
    deliverWebhook: async (url, init) => app.fetch(new Request(url, init), workerEnv, ctx),
  });
  const qbo = createQboSandbox({ now, autoApprove: true });

  const world = { tamper: null, intercept: null, outbound: [] } as unknown as World;
  const route = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    world.outbound.push({ method: req.method, url });
    if (req.method === "POST") {
      const body = await req.clone().text();
      const form = new URLSearchParams(body);
      keep(form.get("code"), form.get("refresh_token"), form.get("client_secret"), form.get("token"));
      keep(req.headers.get("authorization")?.replace(/^\w+\s+/, ""));
      if (/\/webhooks$/.test(url.pathname)) keep(/\/webhooks\/pos\/[^/]+\/([^/"]+)/.exec(body)?.[1]);
    }
    keep(req.headers.get("authorization")?.replace(/^Bearer\s+/i, ""));
    const staged = world.intercept?.(url, req.method, req.method === "GET" ? "" : await req.clone().text());
    if (staged) return staged;
    let res: Response;
    if (url.port === "8788") res = await qbo.fetch(req);
    else if (url.port === "8789") res = await pos.fetch(req);
    else throw new TypeError(`no route to ${req.url} in the hardening world`);
    if (/\/token$|\/tokens\/bearer$/.test(url.pathname)) {
      try {
        const t = (await res.clone().json()) as Record<string, unknown>;
        keep(t.access_token, t.refresh_token, t.id_token);
      } catch {
        // an error answer: no tokens in it
      }
    }
    if (
      world.tamper &&
      url.port === "8789" &&
      url.pathname.includes("/api/2026-07/") &&
      res.headers.get("content-type")?.includes("json")
    ) {
      const path = url.pathname.replace(/^\/[^/]+\/api\/2026-07/, "");
      const changed = world.tamper(path, await res.clone().json());
      if (changed !== undefined) return Response.json(changed, { status: res.status });
    }
    return res;
  };
  const deps: Deps = {
    fetch: route as typeof fetch,
    now,
    logSink: (line) => void logs.push(line),
    ...(opts.hooks ? { posHooks: opts.hooks } : {}),
  };
  app = createApp(deps);

  const request = async (path: string, init: RequestInit & { ip?: string } = {}) => {
    const { ip, ...rest } = init;
    const req = new Request(new URL(path, "http://127.0.0.1:8787"), rest);
    if (ip) req.headers.set("cf-connecting-ip", ip);
    return app.fetch(req, workerEnv, ctx);
  };
  const api = async <T>(
    who: Tenant | string | null,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = typeof who === "string" ? who : who?.session;
    if (token !== undefined) headers.authorization ??= `Bearer ${token}`;
    if (init.body !== undefined) headers["content-type"] ??= "application/json";
    const res = await request(path, {
      method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
      headers,
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });
    const raw = await res.text();
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // CSV, HTML
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
  const settle = () => settleWork(() => pos.flushWebhooks());
  const services = (name = "test") => createServices(workerEnv, deps, { requestId: name });

  async function connectPos(prefix: string): Promise<string> {
    const nonce = `nonce-${crypto.randomUUID()}`;
    keep(nonce);
    const start = await request("/auth/pos/start", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
    });
    expect(start.status).toBe(200);
    const authorize = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl);
    keep(authorize.searchParams.get("state"));
    authorize.searchParams.set("domain_prefix", prefix);
    const back = new URL((await pos.fetch(new Request(authorize))).headers.get("location")!);
    keep(back.searchParams.get("code"));
    const done = await request(`${back.pathname}${back.search}`);
    const code = new URL(done.headers.get("location")!).hash.replace(/^#code=/, "");
    keep(code);
    const exchanged = await request("/auth/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, nonce }),
    });
    expect(exchanged.status).toBe(200);
    const session = ((await exchanged.json()) as { session: string }).session;
    keep(session);
    return session;
  }

  /** Intuit's consent form, approving the tenant's own company (any company the sandbox holds). */
  async function connectQbo(tenant: Tenant): Promise<void> {
    const q = await api<{ authorizeUrl: string }>(tenant, "/api/qbo/connect", { body: { returnTo: RETURN_TO } });
    expect(q.status).toBe(200);
    const asked = new URL(q.body.authorizeUrl).searchParams;
    keep(asked.get("state"));
    const form = new URLSearchParams({
      client_id: asked.get("client_id")!,
      redirect_uri: asked.get("redirect_uri")!,
      scope: asked.get("scope")!,
      state: asked.get("state")!,
      realmId: tenant.realmId,
      decision: "authorize",
    });
    const consent = await qbo.fetch(
      new Request("http://127.0.0.1:8788/connect/oauth2/consent", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      }),
    );
    const back = new URL(consent.headers.get("location")!);
    keep(back.searchParams.get("code"));
    expect((await request(`${back.pathname}${back.search}`)).headers.get("location")).toContain("#qbo=connected");
  }

  Object.assign(world, {
    pos,
    qbo,
    env: workerEnv,
    deps,
    now,
    advance: (ms: number) => void (offset += ms),
    logs,
    secrets,
    request,
    api,
    settle,
    services,
    connectPos,
    connectQbo,
    async cron() {
      const report = await runCron(services("test-cron"), { scheduledTime: now(), budgetMs: 60_000 });
      await settle();
      return report;
    },
  });
  for (const [key, prefix, company] of [
    ["a", "demo", "ca"],
    ["b", "demo-us", "us"],
  ] as const) {
    const tenant: Tenant = { id: prefix, realmId: qbo.realms[company], session: await connectPos(prefix) };
    await connectQbo(tenant);
    expect((await api(tenant, "/api/mappings/create-standard", { method: "POST" })).status).toBe(200);
    world[key] = tenant;
  }
  await settle();
  return world;
}
