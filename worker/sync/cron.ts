import { dueItems, type SyncItemRow } from "../db/sync-items";
import { purgeRateWindows } from "../db/counters";
import { createServices, type Deps, type Services } from "../services";
import { allTenants, servicesFor } from "../shards";
import { TillbridgeError } from "../../shared/errors";
import { attemptItem } from "./engine";
import { inLanes, POSTERS_PER_COMPANY } from "./pool";
import { openTenant, type TenantRuntime } from "./runtime";
import { countStatements } from "../lib/d1-count";
import { D1_STATEMENTS_PER_INVOCATION, DEFAULT_STEP_STATEMENTS, runBackfills, runBackfillStep } from "./backfill/run";
import { checkDrift } from "./drift";
import { sendDigests } from "../digest/send";
import { z } from "zod";

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
  /** Milliseconds on a monotonic clock, for the budget; default `Date.now` (a test injects one that moves with its work) */
  clock?: () => number;
  /** Postings of one company in flight at once (default POSTERS_PER_COMPANY; 1: one at a time, no batches) */
  posters?: number;
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
  /** Tenants not served in this run: being moved to another shard (their work waits for the move) */
  skipped?: number;
}

/**
 * Up to this many tenants, one cron invocation serves them all. Beyond it — when a SYNC_QUEUE is
 * bound — the run fans out one queue message per tenant, so each tenant gets an invocation of its own
 * (its own D1 query and subrequest limits, its own time), the scale path of ARCHITECTURE.md.
 */
export const INLINE_TENANTS = 5;

/**
 * A queue message: one tenant's minute. `backfillOnly` marks a continuation: the minute's backfill
 * step stopped at D1's statement budget with the minute not over, so another invocation (with D1's
 * 1,000 of its own) carries the step on, and nothing else.
 */
export const TenantMessage = z.object({
  tenantId: z.string().min(1),
  scheduledTime: z.iso.datetime(),
  backfillOnly: z.boolean().optional(),
});
export type TenantMessage = z.infer<typeof TenantMessage>;

/** A continuation is sent only while this much of the message's minute is left. */
const CONTINUE_WITHIN_MS = 55_000;

/** Statements an invocation keeps back after its backfill steps (purging rate windows, the last lines). */
const AFTER_BACKFILL_STATEMENTS = 50;

/**
 * What the invocation's backfill steps may spend: what is left of D1's 1,000, at most a step's
 * default share when the minute's other work shares the invocation (`shared`).
 */
const backfillStatements = (spent: number, shared = true) =>
  Math.max(
    0,
    Math.min(
      shared ? DEFAULT_STEP_STATEMENTS : D1_STATEMENTS_PER_INVOCATION,
      D1_STATEMENTS_PER_INVOCATION - AFTER_BACKFILL_STATEMENTS - spent,
    ),
  );

export async function runScheduled(rawEnv: unknown, opts: CronOptions, deps: Deps = {}): Promise<CronReport> {
  const runId = `cron-${opts.scheduledTime.toISOString()}-${crypto.randomUUID().slice(0, 8)}`;
  const counted = countedOnEveryShard(createServices(rawEnv, deps, { requestId: runId }));
  const { services } = counted;
  const queue = services.env.SYNC_QUEUE;
  // every shard's tenants, where the directory says they live
  const tenants = opts.tenants ?? (await allTenants(services));
  let report: CronReport;
  if (queue && tenants.length > INLINE_TENANTS) {
    const messages = tenants.map((tenantId): { body: TenantMessage } => ({
      body: { tenantId, scheduledTime: opts.scheduledTime.toISOString() },
    }));
    for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
    report = { ...emptyReport(), tenants: tenants.length, queued: tenants.length };
  } else {
    report = await runCron(services, { ...opts, tenants });
    // a running backfill advances every minute, at QBO's pace, after the live work
    await runBackfills(services, { budgetMs: 20_000, maxStatements: backfillStatements(counted.statements()) }).catch(
      (e) => services.log.error("backfills failed", { error: e instanceof Error ? e.message : String(e) }),
    );
  }
  await purgeRateWindows(services.homeDb, services.now()).catch((e) =>
    services.log.warn("rate windows not purged", { error: e instanceof Error ? e.message : String(e) }),
  );
  // the merchants' daily digests (most runs: one query, nothing due)
  await sendDigests(services).catch((e) =>
    services.log.error("digests failed", { error: e instanceof Error ? e.message : String(e) }),
  );
  await services.kv.put("cron:last-run", opts.scheduledTime.toISOString());
  await services.kv.put("cron:last-report", JSON.stringify({ ...report, at: services.now().toISOString() }));
  services.log.info("cron run finished", { ...report });
  return report;
}

/**
 * The services with every shard's binding counted: an inline run serves its tenants on their own
 * shards, and what the backfills may still spend is what is left of the invocation's 1,000 D1
 * statements, wherever the run's statements went.
 */
export function countedOnEveryShard(plain: Services): { services: Services; statements(): number } {
  const counters = plain.env.shards.map((db) => countStatements(db));
  const swap = (db: D1Database) => counters[plain.env.shards.indexOf(db)]?.db ?? db;
  const env = { ...plain.env, shards: counters.map((c) => c.db) };
  return {
    services: { ...plain, env, db: swap(plain.db), homeDb: swap(plain.homeDb) },
    statements: () => counters.reduce((n, c) => n + c.statements(), 0),
  };
}

/**
 * A queue invocation: one tenant's minute of work (discovery, posting, its backfill step), or a
 * continuation of the minute's backfill step alone. A step that stopped at D1's statement budget
 * after releasing something, early in the minute, sends the continuation: a backfill then moves at
 * QBO's pace rather than at one invocation's 1,000 D1 queries a minute. The message names the
 * tenant: its work runs on the tenant's own shard, and its statements are counted there.
 */
export async function runTenantMessage(rawEnv: unknown, body: unknown, deps: Deps = {}): Promise<CronReport> {
  const message = TenantMessage.parse(body);
  const home = createServices(rawEnv, deps, { requestId: `queue-${message.tenantId}-${message.scheduledTime}` });
  let plain: Services;
  try {
    plain = await servicesFor(home, message.tenantId);
  } catch (e) {
    // a tenant being moved: this minute is skipped (the next cron run sends another message)
    if (!(e instanceof TillbridgeError && e.code === "tenant_moving")) throw e;
    home.log.info("tenant run skipped: the tenant is being moved", { tenant: message.tenantId });
    return { ...emptyReport(), tenants: 1, skipped: 1 };
  }
  const counted = countStatements(plain.db);
  const services: Services = { ...plain, db: counted.db };
  const report = message.backfillOnly
    ? { ...emptyReport(), tenants: 1 }
    : await runCron(services, { scheduledTime: new Date(message.scheduledTime), tenants: [message.tenantId] });
  const maxStatements = backfillStatements(counted.statements(), !message.backfillOnly);
  const step = await runBackfillStep(services, message.tenantId, { budgetMs: 20_000, maxStatements }).catch((e) => {
    services.log.error("backfill step failed", { error: e instanceof Error ? e.message : String(e) });
    return null;
  });
  const queue = services.env.SYNC_QUEUE;
  const early = services.now().getTime() - Date.parse(message.scheduledTime) < CONTINUE_WITHIN_MS;
  if (queue && step?.stopped === "d1_budget" && (step.released > 0 || step.planned) && early) {
    const next: TenantMessage = {
      tenantId: message.tenantId,
      scheduledTime: message.scheduledTime,
      backfillOnly: true,
    };
    await queue.send(next);
  }
  services.log.info("tenant run finished", {
    tenant: message.tenantId,
    ...report,
    backfill: step ? { released: step.released, stopped: step.stopped, d1Statements: step.d1Statements } : null,
    d1Statements: counted.statements(),
  });
  return report;
}

/** Outcomes after which a tenant's company (or store) wants no more requests in this run. */
const SLOW_DOWN = new Set(["qbo_throttled", "pos_throttled"]);

/** One cron run's clock, budget and report, and each tenant's runtime opened once for the run. */
interface Run {
  services: Services;
  report: CronReport;
  budget: number;
  timeLeft(): number;
  /** What is kept back for the item in flight when the budget runs out (one posting's worth). */
  reserve: number;
  perRound: number;
  posters: number;
  runtime(tenantId: string): Promise<TenantRuntime>;
  /** The run's services bound to a tenant's shard */
  servicesOf(tenantId: string): Promise<Services>;
}

const emptyReport = (): CronReport => ({
  tenants: 0,
  discovered: 0,
  healed: 0,
  attempted: 0,
  posted: 0,
  outOfTime: false,
  perTenant: {},
});

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function runCron(services: Services, opts: CronOptions): Promise<CronReport> {
  const run = startRun(services, opts);
  const listed = rotated(opts.tenants ?? (await allTenants(services)), opts.scheduledTime);
  run.report.tenants = listed.length;
  // each tenant is served on its own shard; one being moved waits for the move (skipped this run)
  const order: string[] = [];
  for (const tenantId of listed)
    try {
      await run.servicesOf(tenantId);
      order.push(tenantId);
    } catch (e) {
      run.report.skipped = (run.report.skipped ?? 0) + 1;
      run.services.log.warn("tenant skipped", { tenant: tenantId, error: message(e) });
    }
  for (const tenantId of order) {
    if (run.timeLeft() < run.budget / 2) break; // discovery gets at most half the budget
    await lookAt(run, tenantId);
  }
  // Round-robin: a few due items of each tenant in turn, until none has any left or time runs out.
  let active = [...order];
  while (active.length > 0) {
    const next: string[] = [];
    for (const tenantId of active) {
      const turn = await serveTurn(run, tenantId);
      if (turn === "out_of_time") return { ...run.report, outOfTime: true };
      if (turn === "more") next.push(tenantId);
    }
    active = next;
  }
  return run.report;
}

function startRun(services: Services, opts: CronOptions): Run {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const budget = opts.budgetMs ?? 25_000;
  const runtimes = new Map<string, TenantRuntime>();
  const bound = new Map<string, Services>();
  const servicesOf = async (tenantId: string) => {
    let s = bound.get(tenantId);
    if (!s) bound.set(tenantId, (s = await servicesFor(services, tenantId)));
    return s;
  };
  return {
    services,
    servicesOf,
    report: emptyReport(),
    budget,
    timeLeft: () => budget - (clock() - started),
    reserve: Math.min(2_000, budget / 10),
    perRound: opts.perTenantRound ?? 2 * POSTERS_PER_COMPANY,
    posters: Math.max(1, opts.posters ?? POSTERS_PER_COMPANY),
    async runtime(tenantId) {
      let rt = runtimes.get(tenantId);
      if (!rt) runtimes.set(tenantId, (rt = await openTenant(await servicesOf(tenantId), tenantId, "cron")));
      return rt;
    },
  };
}

/** The tenants starting from a different one every minute, so the same tenant is not always first. */
function rotated(ids: readonly string[], scheduledTime: Date): string[] {
  const offset = ids.length ? Math.floor(scheduledTime.getTime() / 60_000) % ids.length : 0;
  return [...ids.slice(offset), ...ids.slice(0, offset)];
}

/** A tenant's look at the world: discovery, blocked items whose cause went away, the drift check. */
async function lookAt(run: Run, tenantId: string): Promise<void> {
  const { log } = run.services;
  try {
    run.report.discovered += await (await run.runtime(tenantId)).discover();
  } catch (e) {
    log.error("discovery failed", { tenant: tenantId, error: message(e) });
  }
  try {
    run.report.healed += await (await run.runtime(tenantId)).recheckBlocked();
  } catch (e) {
    log.error("re-checking blocked items failed", { tenant: tenantId, error: message(e) });
  }
  // reads posted documents back (a few, every 15 minutes): edited or deleted in QBO, paid in QBO
  await checkDrift(await run.servicesOf(tenantId), tenantId).catch((e) =>
    log.error("drift check failed", { tenant: tenantId, error: message(e) }),
  );
}

/** One tenant's turn: a few due items. "more" when it may have more and should get another turn. */
async function serveTurn(run: Run, tenantId: string): Promise<"out_of_time" | "more" | "done"> {
  if (run.timeLeft() <= run.reserve) return "out_of_time";
  const rows = await dueItems((await run.servicesOf(tenantId)).db, tenantId, run.services.now(), run.perRound);
  if (rows.length === 0) return "done";
  const served = (run.report.perTenant[tenantId] ??= { attempted: 0, posted: 0 });
  const postedBefore = served.posted;
  let end: "out_of_time" | "slow_down" | "all";
  try {
    end = await attempt(run, tenantId, rows, served);
  } catch (e) {
    // D1 or the runtime failed under this tenant (its items keep their leases and are taken
    // over when those run out): the other tenants still get their turn.
    run.services.log.error("posting failed", { tenant: tenantId, error: message(e) });
    return "done";
  }
  if (end === "out_of_time") return end;
  // a full round may have left more; a posting may have made others due (a sale's payments)
  return end === "all" && (rows.length === run.perRound || served.posted > postedBefore) ? "more" : "done";
}

async function attempt(
  run: Run,
  tenantId: string,
  rows: SyncItemRow[],
  served: { attempted: number; posted: number },
): Promise<"out_of_time" | "slow_down" | "all"> {
  const rt = await run.runtime(tenantId);
  const ctx = await rt.postContext();
  let end: "out_of_time" | "slow_down" | "all" = "all";
  // several items in flight at once; their creates may leave together as a QBO batch
  await inLanes(
    rows,
    run.posters,
    async (row) => {
      if (run.timeLeft() <= run.reserve) {
        end = "out_of_time";
        return false;
      }
      const { row: after, attempted } = await attemptItem(rt.engineDeps, ctx, row);
      if (!attempted) return true; // another run or a click holds it (or just posted it)
      run.report.attempted++;
      served.attempted++;
      if (after.state === "posted" || after.state === "not_applicable") {
        run.report.posted++;
        served.posted++;
      }
      // the tenant's company (or store) wants no more requests in this run
      if (after.state === "failed" && SLOW_DOWN.has(after.reason_code ?? "")) {
        if (end === "all") end = "slow_down";
        return false;
      }
      return true;
    },
    ctx instanceof TillbridgeError ? undefined : ctx.qbo.join?.bind(ctx.qbo),
  );
  return end;
}
