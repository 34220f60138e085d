import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createQboSandbox, type QboSandbox } from "../../../sandbox/qbo/index";
import { createApp } from "../../../worker/app";
import { createSession } from "../../../worker/db/sessions";
import { ensureTenant } from "../../../worker/db/tenants";
import { loadEnv } from "../../../worker/env";
import { createLogger } from "../../../worker/lib/log";
import type { QboServices } from "../../../worker/qbo/tokens";

/**
 * The Worker wired to the QBO sandbox in-process: every outbound call goes through `fetch` below,
 * which records it (token grants, API URLs and headers) and can hold a token request at a gate.
 * The clock is real time plus an offset, shared by the Worker and the sandbox, so tests move time
 * forward (token expiry, state expiry) while rate windows still see time pass.
 */

export const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
export const RETURN_TO = `${EXTENSION}/options.html`;

export interface OutboundCall {
  method: string;
  url: URL;
  headers: Headers;
  /** grant_type of a token request */
  grant?: string;
}

export interface Harness {
  sandbox: QboSandbox;
  app: ReturnType<typeof createApp>;
  services: QboServices;
  now: () => Date;
  advance(ms: number): void;
  calls: OutboundCall[];
  grants(type: string): number;
  apiCalls(): OutboundCall[];
  /** Every token the sandbox handed out (to check none reaches a log) */
  issuedTokens: Set<string>;
  logs: string[];
  /** The next outbound request matching `match` never gets an answer (a hung connection) */
  hangNext(match: (url: URL) => boolean): void;
  /** Holds the next token request for which `match` returns true until `release()`; the request reaches the sandbox first */
  holdTokenResponse(match: (grant: string) => boolean): { reached: Promise<void>; release: () => void };
  session(tenantId: string): Promise<string>;
  api(path: string, token: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  connect(tenantId: string): Promise<{ location: string; callbackPath: string; session: string }>;
}

export function createHarness(): Harness {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const sandbox = createQboSandbox({ now, autoApprove: true });
  const calls: OutboundCall[] = [];
  const issuedTokens = new Set<string>();
  const logs: string[] = [];
  const gates: { match: (grant: string) => boolean; reached: () => void; wait: Promise<void> }[] = [];
  const hangs: ((url: URL) => boolean)[] = [];

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const call: OutboundCall = { method: req.method, url, headers: new Headers(req.headers) };
    if (url.pathname === "/oauth2/v1/tokens/bearer")
      call.grant =
        new URLSearchParams(new TextDecoder().decode(await req.clone().arrayBuffer())).get("grant_type") ?? "?";
    calls.push(call);
    const hang = hangs.findIndex((m) => m(url));
    if (hang >= 0) {
      hangs.splice(hang, 1);
      return new Promise<Response>(() => {});
    }
    const res = await sandbox.fetch(req);
    if (call.grant) {
      const text = await res.clone().text();
      try {
        const body = JSON.parse(text) as { access_token?: string; refresh_token?: string };
        if (body.access_token) issuedTokens.add(body.access_token);
        if (body.refresh_token) issuedTokens.add(body.refresh_token);
      } catch {
        // not a token answer
      }
      const gate = gates.findIndex((g) => g.match(call.grant!));
      if (gate >= 0) {
        const [g] = gates.splice(gate, 1);
        g!.reached();
        await g!.wait;
      }
    }
    return res;
  };

  const app = createApp({ fetch, now, logSink: (line) => void logs.push(line) });
  const services: QboServices = {
    env: loadEnv(env),
    db: env.DB,
    homeDb: env.DB,
    kv: env.KV,
    fetch,
    now,
    log: createLogger("debug", { test: true }, (line) => void logs.push(line)),
  };

  const h: Harness = {
    sandbox,
    app,
    services,
    now,
    advance: (ms) => void (offsetMs += ms),
    calls,
    grants: (type) => calls.filter((c) => c.grant === type).length,
    apiCalls: () => calls.filter((c) => c.url.pathname.startsWith("/v3/")),
    issuedTokens,
    logs,
    hangNext: (match) => void hangs.push(match),
    holdTokenResponse(match) {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const wait = new Promise<void>((r) => (release = r));
      gates.push({ match, reached, wait });
      return { reached: reachedP, release };
    },
    async session(tenantId) {
      await ensureTenant(env.DB, tenantId, `Store ${tenantId}`, now());
      return (await createSession(env.DB, tenantId, `owner@${tenantId}`, now())).token;
    },
    api(path, token, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
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
        ),
      );
    },
    async connect(tenantId) {
      const session = await h.session(tenantId);
      const started = await h.api("/api/qbo/connect", session, { body: { returnTo: RETURN_TO } });
      expect(started.status).toBe(200);
      const { authorizeUrl } = (await started.json()) as { authorizeUrl: string };
      const consent = await sandbox.fetch(new Request(authorizeUrl));
      expect(consent.status).toBe(302);
      const back = new URL(consent.headers.get("location")!);
      const callbackPath = `${back.pathname}${back.search}`;
      const done = await app.request(callbackPath, {}, env);
      expect(done.status).toBe(302);
      return { location: done.headers.get("location")!, callbackPath, session };
    },
  };
  return h;
}

export async function connectionRow(tenantId: string) {
  return env.DB.prepare("SELECT * FROM connections WHERE tenant_id = ?1 AND provider = 'qbo'")
    .bind(tenantId)
    .first<Record<string, string | number | null>>();
}

/** Every log line, checked for every token the sandbox issued. */
export function expectNoTokenInLogs(h: Harness): void {
  expect(h.issuedTokens.size).toBeGreaterThan(0);
  for (const line of h.logs) for (const token of h.issuedTokens) expect(line).not.toContain(token);
}

/** Tests in one file share D1: each starts with no QBO connection, so realms are free to take. */
export async function forgetConnections(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM connections"),
    env.DB.prepare("DELETE FROM qbo_rate"),
    env.DB.prepare("DELETE FROM oauth_states"),
  ]);
}
