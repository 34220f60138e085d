import { loadEnv, type AppEnv } from "./env";
import { createLogger, type Logger } from "./lib/log";
import type { PosHooks } from "./pos/hooks";

/** One email as Cloudflare's send_email binding takes it (its builder form): both a text and an HTML body. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}
export type EmailSender = (message: OutgoingEmail) => Promise<void>;

/**
 * What handlers and the engine get instead of globals: validated env, storage, the outbound fetch
 * (injectable so tests route QBO/POS calls to the sandboxes in-process), the clock and a logger.
 */
export interface Services {
  env: AppEnv;
  /**
   * The database of the tenant these services serve (`servicesFor` in worker/shards.ts binds it once
   * the tenant is known); before that, the home database.
   */
  db: D1Database;
  /**
   * The home database (`DB`): what is found before the tenant is known — sessions, session handoffs,
   * OAuth states, the shard directory, QBO realm → tenant, the per-address rate windows.
   */
  homeDb: D1Database;
  /** The tenant `db` is bound to (absent until one is) */
  tenantId?: string;
  kv: KVNamespace;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
  requestId: string;
  /** Background work that may outlive the response (ctx.waitUntil) */
  waitUntil: (p: Promise<unknown>) => void;
  /** Sends an email (the send_email binding DIGEST_EMAIL); absent when the Worker has no way to send */
  sendEmail?: EmailSender;
}

/** The part of the services the connectors need (cron runs build it without a request). */
export type CoreServices = Pick<Services, "env" | "db" | "homeDb" | "kv" | "fetch" | "now" | "log"> &
  Partial<Pick<Services, "tenantId">>;

/** Overrides for tests and local tools. */
export interface Deps {
  fetch?: typeof fetch;
  now?: () => Date;
  logSink?: (line: string, level: "debug" | "info" | "warn" | "error") => void;
  /** Replaces the engine's reactions to POS webhooks (tests) */
  posHooks?: Partial<PosHooks>;
  /** Replaces the send_email binding (tests record what would be sent) */
  sendEmail?: EmailSender;
  /** Waits (a tenant move waits out the shard directory's cache); tests pass one that returns at once */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The one way services are built, for a request (`fetch`), a cron run (`scheduled`) and a queue
 * message (`queue`): the env validated once, the log tagged with the request or run id. Without a
 * `waitUntil` (a cron run, or `app.request` in tests) background work runs detached, its failure logged.
 */
export function createServices(
  rawEnv: unknown,
  deps: Deps,
  run: { requestId: string; waitUntil?: (p: Promise<unknown>) => void },
): Services {
  const env = loadEnv(rawEnv);
  const log = createLogger(env.LOG_LEVEL, { requestId: run.requestId }, deps.logSink);
  const binding = env.DIGEST_EMAIL;
  const sendEmail: EmailSender | undefined =
    deps.sendEmail ?? (binding ? async (message) => void (await binding.send(message)) : undefined);
  return {
    env,
    db: env.DB,
    homeDb: env.DB,
    kv: env.KV,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now: deps.now ?? (() => new Date()),
    log,
    requestId: run.requestId,
    waitUntil: run.waitUntil ?? ((p) => void p.catch((e) => log.error("background task failed", { error: e }))),
    ...(sendEmail ? { sendEmail } : {}),
  };
}
