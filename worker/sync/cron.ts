import { loadEnv } from "../env";
import { listTenantIds } from "../db/tenants";
import { dueItems } from "../db/sync-items";
import { createLogger } from "../lib/log";
import type { Deps, Services } from "../services";
import { postItem } from "./engine";
import { openTenant, type TenantRuntime } from "./runtime";

/**
 * One cron run: for every tenant, discovery (what changed in the POS), then posting of due items,
 * round-robin across tenants a few items at a time so one big backlog never starves the others,
 * inside the run's time budget; whatever is left waits for the next minute.
 */
export interface CronOptions {
  scheduledTime: Date;
  /** Wall-clock budget of the run (a cron Worker may run up to 15 minutes; stay well inside) */
  budgetMs?: number;
  /** Items per tenant per round */
  perTenantRound?: number;
}

export interface CronReport {
  tenants: number;
  discovered: number;
  attempted: number;
  posted: number;
  outOfTime: boolean;
}

export function servicesForCron(rawEnv: unknown, deps: Deps, runId: string): Services {
  const env = loadEnv(rawEnv);
  const log = createLogger(env.LOG_LEVEL, { run: runId }, deps.logSink);
  return {
    env,
    db: env.DB,
    kv: env.KV,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now: deps.now ?? (() => new Date()),
    log,
    requestId: runId,
    waitUntil: (p) => void p.catch((e) => log.error("background task failed", { error: e })),
  };
}

export async function runScheduled(rawEnv: unknown, opts: CronOptions, deps: Deps = {}): Promise<CronReport> {
  const runId = `cron-${opts.scheduledTime.toISOString()}-${crypto.randomUUID().slice(0, 8)}`;
  const services = servicesForCron(rawEnv, deps, runId);
  const report = await runCron(services, opts);
  await services.kv.put("cron:last-run", opts.scheduledTime.toISOString());
  await services.kv.put("cron:last-report", JSON.stringify({ ...report, at: services.now().toISOString() }));
  services.log.info("cron run finished", { ...report });
  return report;
}

export async function runCron(services: Services, opts: CronOptions): Promise<CronReport> {
  const started = Date.now();
  const budget = opts.budgetMs ?? 25_000;
  const timeLeft = () => budget - (Date.now() - started);
  const perRound = opts.perTenantRound ?? 5;
  const report: CronReport = { tenants: 0, discovered: 0, attempted: 0, posted: 0, outOfTime: false };

  const ids = await listTenantIds(services.db);
  // rotate the starting tenant every minute so the same tenant is not always first
  const offset = ids.length ? Math.floor(opts.scheduledTime.getTime() / 60_000) % ids.length : 0;
  const order = [...ids.slice(offset), ...ids.slice(0, offset)];
  const runtimes = new Map<string, TenantRuntime>();
  for (const tenantId of order) {
    if (timeLeft() < budget / 2) break; // discovery gets at most half the budget
    try {
      const rt = await openTenant(services, tenantId, "cron");
      runtimes.set(tenantId, rt);
      report.discovered += await rt.discover();
    } catch (e) {
      services.log.error("discovery failed", { tenant: tenantId, error: e instanceof Error ? e.message : String(e) });
    }
  }
  report.tenants = order.length;

  let active = [...order];
  while (active.length > 0) {
    const next: string[] = [];
    for (const tenantId of active) {
      if (timeLeft() <= 2_000) {
        report.outOfTime = true;
        return report;
      }
      const rows = await dueItems(services.db, tenantId, services.now(), perRound);
      if (rows.length === 0) continue;
      let rt = runtimes.get(tenantId);
      if (!rt) {
        rt = await openTenant(services, tenantId, "cron");
        runtimes.set(tenantId, rt);
      }
      const ctx = await rt.postContext();
      for (const row of rows) {
        if (timeLeft() <= 2_000) break;
        report.attempted++;
        const after = await postItem(rt.engineDeps, ctx, row);
        if (after.state === "posted" || after.state === "not_applicable") report.posted++;
      }
      if (rows.length === perRound) next.push(tenantId);
    }
    active = next;
  }
  return report;
}
