import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { createApp } from "../../../worker/app";
import { loadEnv } from "../../../worker/env";
import { sha256Hex } from "../../../worker/lib/crypto";
import { createLogger } from "../../../worker/lib/log";
import type { PosHooks } from "../../../worker/pos/hooks";
import type { PosServices } from "../../../worker/pos/tokens";
import type { Deps } from "../../../worker/services";
import { trackingContext } from "../support/context";

/**
 * The Worker wired to the POS sandbox in-process: the Worker's outbound fetch goes to the sandbox
 * (counted per path), the sandbox's webhook deliveries come back into the Worker, and both share one
 * clock that tests move forward. The sandbox's demo store is "demo" (30 days of trading from
 * 2026-10-01), so that is the tenant; each test starts from a clean slate for it.
 */

export const TENANT = "demo";
export const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
export const RETURN_TO = `${EXTENSION}/options.html`;

export interface HookCall {
  hook: keyof PosHooks;
  args: string[];
}

export interface PosHarness {
  sandbox: PosSandbox;
  app: ReturnType<typeof createApp>;
  services: PosServices;
  now: () => Date;
  advance(ms: number): void;
  /** Outbound requests the Worker made: "METHOD /path" (API paths without the store prefix) */
  calls: string[];
  hookCalls: HookCall[];
  logs: string[];
  issuedTokens: Set<string>;
  /** Runs the OAuth flow and the handoff; returns the session and what happened on the way. */
  connect(): Promise<{ session: string; location: string; callbackPath: string; nonce: string }>;
  api(path: string, session: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** Waits for webhook deliveries and the background work they started. */
  settle(): Promise<void>;
}

export function createPosHarness(opts: { days?: number; webhookSigning?: boolean } = {}): PosHarness {
  let clock = Date.parse("2026-11-02T12:00:00Z");
  const now = () => new Date(clock);
  const calls: string[] = [];
  const logs: string[] = [];
  const hookCalls: HookCall[] = [];
  const issuedTokens = new Set<string>();
  // what the Worker hands to waitUntil (a webhook's work after its 200), kept so settle() can wait for it
  const { ctx, settle } = trackingContext((line) => void logs.push(line));
  let app!: ReturnType<typeof createApp>;

  const sandbox = createPosSandbox({
    now,
    autoApprove: true,
    days: opts.days ?? 30,
    webhookSigning: opts.webhookSigning ?? true,
    webhookRetryDelaysMs: [],
    deliverWebhook: async (url, init) => app.request(url, init, env, ctx),
  });

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    calls.push(`${req.method} ${url.pathname.replace(/^\/[^/]+\/api\/2026-07/, "")}`);
    const res = await sandbox.fetch(req);
    if (url.pathname.endsWith("/api/1.0/token")) {
      try {
        const body = (await res.clone().json()) as { access_token?: string; refresh_token?: string };
        if (body.access_token) issuedTokens.add(body.access_token);
        if (body.refresh_token) issuedTokens.add(body.refresh_token);
      } catch {
        // an error answer
      }
    }
    return res;
  };

  const record =
    (hook: keyof PosHooks) =>
    async (...args: unknown[]) => {
      hookCalls.push({ hook, args: args.filter((a): a is string => typeof a === "string") });
    };
  const posHooks: PosHooks = {
    onClosureAnnounced: record("onClosureAnnounced"),
    onPosChange: record("onPosChange"),
    onCountedTotals: record("onCountedTotals"),
  };
  const deps = { fetch, now, logSink: (line: string) => void logs.push(line), posHooks };
  app = createApp(deps as Deps);

  const services: PosServices = {
    env: loadEnv(env),
    db: env.DB,
    homeDb: env.DB,
    kv: env.KV,
    fetch,
    now,
    log: createLogger("debug", { test: true }, (line) => void logs.push(line)),
  };

  const h: PosHarness = {
    sandbox,
    app,
    services,
    now,
    advance: (ms) => void (clock += ms),
    calls,
    hookCalls,
    logs,
    issuedTokens,
    api(path, session, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${session}` };
      if (init.body !== undefined) headers["content-type"] = "application/json";
      return Promise.resolve(
        app.request(
          path,
          {
            method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
            headers,
            ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
          },
          env,
          ctx,
        ),
      );
    },
    async connect() {
      const nonce = `nonce-${crypto.randomUUID()}`;
      const started = await app.request(
        "/auth/pos/start",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
        },
        env,
      );
      expect(started.status).toBe(200);
      const { authorizeUrl } = (await started.json()) as { authorizeUrl: string };
      const consent = await sandbox.fetch(new Request(authorizeUrl));
      expect(consent.status).toBe(302);
      const back = new URL(consent.headers.get("location")!);
      const callbackPath = `${back.pathname}${back.search}`;
      const done = await app.request(callbackPath, {}, env);
      expect(done.status).toBe(302);
      const location = done.headers.get("location")!;
      const code = new URL(location).hash.replace(/^#code=/, "");
      const res = await app.request(
        "/auth/session",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, nonce }) },
        env,
      );
      expect(res.status).toBe(200);
      const { session } = (await res.json()) as { session: string };
      return { session, location, callbackPath, nonce };
    },
    /** Delivers the queued webhooks and waits for the work they started, until none is left. */
    settle: () => settle(() => sandbox.flushWebhooks()),
  };
  return h;
}

/** Every row of the demo tenant, gone: tests in one file share D1. */
export async function forgetTenant(): Promise<void> {
  const tables = [
    "connections",
    "sessions",
    "cursors",
    "pos_objects",
    "closures",
    "webhook_events",
    "audit_log",
    "sync_items",
  ];
  await env.DB.batch([
    ...tables.map((t) => env.DB.prepare(`DELETE FROM ${t} WHERE tenant_id = ?1`).bind(TENANT)),
    env.DB.prepare("DELETE FROM session_handoffs WHERE tenant_id = ?1").bind(TENANT),
    env.DB.prepare("DELETE FROM oauth_states WHERE provider = 'pos'"),
    env.DB.prepare("DELETE FROM tenants WHERE id = ?1").bind(TENANT),
  ]);
  await env.KV.delete(`pos-ref:${TENANT}`);
}

export async function connectionRow() {
  return env.DB.prepare("SELECT * FROM connections WHERE tenant_id = ?1 AND provider = 'pos'")
    .bind(TENANT)
    .first<Record<string, string | number | null>>();
}
