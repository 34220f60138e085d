import { listTenantIds } from "../db/tenants";
import { dueItems } from "../db/sync-items";
import { purgeRateWindows } from "../db/counters";
import { createServices, type Deps, type Services } from "../services";
import { attemptItem } from "./engine";
import { openTenant, type TenantRuntime } from "./runtime";
import { runBackfills, runBackfillStep } from "./backfill/run";
import { checkDrift } from "./drift";

/**
 * One cron run: for every tenant, discovery (what changed in the POS), then posting of due items,
 * round-robin across tenants a few items at a time so one big backlog never starves the others,
 * inside the run's time budget; whatever is left waits for the next minute.
 */
export interface CronOptions {
  scheduledTime: Date;
  /** Only these tenants (a queue consumer serves one); default every tenant */
  tenants?: string[];
  /** Wall-clock budget of the run (a cron Worker may run up to 15 minutes; stay well inside) */
  budgetMs?: number;
  /** Items per tenant per round */
  perTenantRound?: number;
}

export interface CronReport {
  tenants: number;
  discovered: number;
  /** Blocked items whose cause went away unseen, made ready in this run */
  healed: number;
  attempted: number;
  posted: number;
  outOfTime: boolean;
  /** Per tenant: items attempted and posted in this run (fairness is visible here) */
  perTenant: Record<string, { attempted: number; posted: number }>;
  /** Tenants handed to the queue instead of served in this invocation */
  queued?: number;
}

/**
 * Up to this many tenants, one cron invocation serves them all. Beyond it — when a SYNC_QUEUE is
 * bound — the run fans out one queue message per tenant, so each tenant gets an invocation of its own
 * (its own D1 query and subrequest limits, its own time), the scale path of ARCHITECTURE.md.
 */
export const INLINE_TENANTS = 5;

export interface TenantMessage {
  tenantId: string;
  scheduledTime: string;
}

export async function runScheduled(rawEnv: unknown, opts: CronOptions, deps: Deps = {}): Promise<CronReport> {
  const runId = `cron-${opts.scheduledTime.toISOString()}-${crypto.randomUUID().slice(0, 8)}`;
  const services = createServices(rawEnv, deps, { requestId: runId });
  const queue = services.env.SYNC_QUEUE;
  const tenants = opts.tenants ?? (await listTenantIds(services.db));
  let report: CronReport;
  if (queue && tenants.length > INLINE_TENANTS) {
    const messages = tenants.map((tenantId): { body: TenantMessage } => ({
      body: { tenantId, scheduledTime: opts.scheduledTime.toISOString() },
    }));
    for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
    report = {
      tenants: tenants.length,
      discovered: 0,
      healed: 0,
      attempted: 0,
      posted: 0,
      outOfTime: false,
      perTenant: {},
      queued: tenants.length,
    };
  } else {
    report = await runCron(services, { ...opts, tenants });
    // a running backfill advances every minute, at QBO's pace, after the live work
    await runBackfills(services, { budgetMs: 20_000 }).catch((e) =>
      services.log.error("backfills failed", { error: e instanceof Error ? e.message : String(e) }),
    );
  }
  await purgeRateWindows(services.db, services.now()).catch((e) =>
    services.log.warn("rate windows not purged", { error: e instanceof Error ? e.message : String(e) }),
  );
  await services.kv.put("cron:last-run", opts.scheduledTime.toISOString());
  await services.kv.put("cron:last-report", JSON.stringify({ ...report, at: services.now().toISOString() }));
  services.log.info("cron run finished", { ...report });
  return report;
}

/** A queue invocation: one tenant's minute of work (discovery, posting, its backfill step). */
export async function runTenantMessage(rawEnv: unknown, message: TenantMessage, deps: Deps = {}): Promise<CronReport> {
  const services = createServices(rawEnv, deps, { requestId: `queue-${message.tenantId}-${message.scheduledTime}` });
  const report = await runCron(services, {
    scheduledTime: new Date(message.scheduledTime),
    tenants: [message.tenantId],
  });
  await runBackfillStep(services, message.tenantId, { budgetMs: 20_000 }).catch((e) =>
    services.log.error("backfill step failed", { error: e instanceof Error ? e.message : String(e) }),
  );
  services.log.info("tenant run finished", { tenant: message.tenantId, ...report });
  return report;
}

/** Outcomes after which a tenant's company (or store) wants no more requests in this run. */
const SLOW_DOWN = new Set(["qbo_throttled", "pos_throttled"]);

export async function runCron(services: Services, opts: CronOptions): Promise<CronReport> {
  const started = Date.now();
  const budget = opts.budgetMs ?? 25_000;
  const timeLeft = () => budget - (Date.now() - started);
  // What is kept back for the item in flight when the budget runs out (one posting's worth).
  const reserve = Math.min(2_000, budget / 10);
  const perRound = opts.perTenantRound ?? 5;
  const report: CronReport = {
    tenants: 0,
    discovered: 0,
    healed: 0,
    attempted: 0,
    posted: 0,
    outOfTime: false,
    perTenant: {},
  };
  const log = services.log;

  const ids = opts.tenants ?? (await listTenantIds(services.db));
  // rotate the starting tenant every minute so the same tenant is not always first
  const offset = ids.length ? Math.floor(opts.scheduledTime.getTime() / 60_000) % ids.length : 0;
  const order = [...ids.slice(offset), ...ids.slice(0, offset)];
  report.tenants = order.length;
  const runtimes = new Map<string, TenantRuntime>();
  const runtime = async (tenantId: string) => {
    let rt = runtimes.get(tenantId);
    if (!rt) runtimes.set(tenantId, (rt = await openTenant(services, tenantId, "cron")));
    return rt;
  };
  for (const tenantId of order) {
    if (timeLeft() < budget / 2) break; // discovery gets at most half the budget
    try {
      const rt = await runtime(tenantId);
      report.discovered += await rt.discover();
    } catch (e) {
      log.error("discovery failed", { tenant: tenantId, error: e instanceof Error ? e.message : String(e) });
    }
    try {
      report.healed += await (await runtime(tenantId)).recheckBlocked();
    } catch (e) {
      log.error("re-checking blocked items failed", {
        tenant: tenantId,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    // reads posted documents back (a few, every 15 minutes): edited or deleted in QBO, paid in QBO
    await checkDrift(services, tenantId).catch((e) =>
      log.error("drift check failed", { tenant: tenantId, error: e instanceof Error ? e.message : String(e) }),
    );
  }

  // Round-robin: a few due items of each tenant in turn, until none has any left or time runs out.
  let active = [...order];
  while (active.length > 0) {
    const next: string[] = [];
    for (const tenantId of active) {
      if (timeLeft() <= reserve) return { ...report, outOfTime: true };
      const rows = await dueItems(services.db, tenantId, services.now(), perRound);
      if (rows.length === 0) continue;
      const served = (report.perTenant[tenantId] ??= { attempted: 0, posted: 0 });
      let slowDown = false;
      try {
        const rt = await runtime(tenantId);
        const ctx = await rt.postContext();
        for (const row of rows) {
          if (timeLeft() <= reserve) return { ...report, outOfTime: true };
          const { row: after, attempted } = await attemptItem(rt.engineDeps, ctx, row);
          if (!attempted) continue; // another run or a click holds it (or just posted it)
          report.attempted++;
          served.attempted++;
          if (after.state === "posted" || after.state === "not_applicable") {
            report.posted++;
            served.posted++;
          }
          if (after.state === "failed" && SLOW_DOWN.has(after.reason_code ?? "")) {
            slowDown = true;
            break;
          }
        }
      } catch (e) {
        // D1 or the runtime failed under this tenant (its items keep their leases and are taken
        // over when those run out): the other tenants still get their turn.
        log.error("posting failed", { tenant: tenantId, error: e instanceof Error ? e.message : String(e) });
        continue;
      }
      if (!slowDown && rows.length === perRound) next.push(tenantId);
    }
    active = next;
  }
  return report;
}
