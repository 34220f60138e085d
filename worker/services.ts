import type { AppEnv } from "./env";
import type { Logger } from "./lib/log";
import type { PosHooks } from "./pos/hooks";

/**
 * What handlers and the engine get instead of globals: validated env, storage, the outbound fetch
 * (injectable so tests route QBO/POS calls to the sandboxes in-process), the clock and a logger.
 */
export interface Services {
  env: AppEnv;
  db: D1Database;
  kv: KVNamespace;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
  requestId: string;
  /** Background work that may outlive the response (ctx.waitUntil) */
  waitUntil: (p: Promise<unknown>) => void;
}

/** The part of the services the connectors need (cron runs build it without a request). */
export type CoreServices = Pick<Services, "env" | "db" | "kv" | "fetch" | "now" | "log">;

/** Overrides for tests and local tools. */
export interface Deps {
  fetch?: typeof fetch;
  now?: () => Date;
  logSink?: (line: string, level: "debug" | "info" | "warn" | "error") => void;
  /** Replaces the engine's reactions to POS webhooks (tests) */
  posHooks?: Partial<PosHooks>;
}
