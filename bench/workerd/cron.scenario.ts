import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import { recordItem } from "../../worker/kinds/record";
import { median } from "./support/books";
import { marks, since, snapshot, sqlCounts } from "./support/meter";
import { params } from "./support/params";
import { createBenchStack, emit, type BenchStack } from "./support/stack";

/**
 * One cron invocation with 50 tenants, each with a backlog: every tenant's store trades a couple of
 * days while the closure webhooks only record the closures (as if QBO had been unreachable), then one run
 * of `runCron` with the production budget works through them round-robin. Repeated on a fresh
 * backlog; the figures are per run. The Worker's CPU is estimated as the run's wall time minus the
 * time spent inside the in-process sandboxes, waiting on D1/KV, and coming back from simulated
 * sleeps (Cloudflare bills none of those as CPU).
 */
const P = params();
const DAY_MS = 24 * 3600 * 1000;
const prefixOf = (i: number) => `t${String(i + 1).padStart(2, "0")}`;

interface RunFigures {
  backlog: number;
  wallMs: number;
  /** Real ms from the run's start to its first QBO write: discovery, blocked items, the drift check */
  lookMs: number;
  /** Real ms from the first QBO write to the end: posting */
  postingMs: number;
  /** Mean real ms of a D1 call (statement or batch) in the run: how fast this machine's in-process D1 was */
  d1CallMs: number;
  cpuEstimateMs: number;
  waitMs: number;
  sandboxMs: number;
  d1Ms: number;
  kvMs: number;
  sleptMs: number;
  d1Statements: number;
  d1RoundTrips: number;
  kvOps: number;
  qboRequests: number;
  posRequests: number;
  discovered: number;
  attempted: number;
  posted: number;
  outOfTime: boolean;
  tenantsServed: number;
  left: number;
  topSql: [string, number][];
}

let stack: BenchStack | undefined;
afterAll(() => stack?.dispose());

const due = async () =>
  (
    await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id LIKE 't%' AND state IN ('ready', 'failed', 'posting')",
    ).first<{ n: number }>()
  )?.n ?? 0;

it(`one cron run with ${P.cronTenants} tenants, each with a backlog`, async () => {
  const setupStarted = performance.now();
  stack = await createBenchStack({
    at: "2026-10-01T06:00:00Z",
    stores: Array.from({ length: P.cronTenants }, (_, i) => ({
      prefix: prefixOf(i),
      seed: 100 + i,
      days: 0,
      startDate: "2026-10-01",
    })),
    // Sales reach Tillbridge through discovery's version cursor in the measured run; only the closures' webhooks are delivered.
    webhookTypes: ["register_closure.create"],
    posHooks: {
      onClosureAnnounced: async (tenantId, closureId, s) => void (await recordItem(s, tenantId, "closure", closureId)),
      onPosChange: async () => {},
      onCountedTotals: async () => {},
    },
  });
  const setupMs = performance.now() - setupStarted;
  const { pos, clock } = stack;

  const runs: RunFigures[] = [];
  for (let run = 0; run < P.cronRuns; run++) {
    for (const t of stack.tenants) pos.advanceDay(t.id, P.cronBacklogDays);
    clock.advance(P.cronBacklogDays * DAY_MS);
    await stack.settle();
    const backlog = await due();
    sqlCounts.clear();
    const before = snapshot(stack.meter);
    const sleptBefore = clock.sleptReal();
    marks.reset();
    const started = performance.now();
    const report = await stack.cron({ budgetMs: P.cronBudgetMs });
    const ended = performance.now();
    const wallMs = ended - started;
    const lookMs = (marks.firstQboReal ?? ended) - started;
    const m = since(before, stack.meter);
    const sleptMs = clock.sleptReal() - sleptBefore;
    await stack.settle();
    runs.push({
      backlog,
      wallMs,
      lookMs,
      postingMs: wallMs - lookMs,
      d1CallMs: m.d1Ms / Math.max(1, m.d1RoundTrips),
      cpuEstimateMs: wallMs - m.waitMs,
      waitMs: m.waitMs,
      sandboxMs: m.sandboxMs,
      d1Ms: m.d1Ms,
      kvMs: m.kvMs,
      sleptMs,
      d1Statements: m.d1Statements,
      d1RoundTrips: m.d1RoundTrips,
      kvOps: m.kvOps,
      qboRequests: m.qboRequests,
      posRequests: m.posRequests,
      discovered: report.discovered,
      attempted: report.attempted,
      posted: report.posted,
      outOfTime: report.outOfTime,
      tenantsServed: Object.values(report.perTenant).filter((t) => t.posted > 0).length,
      left: await due(),
      topSql: [...sqlCounts].sort((a, b) => b[1] - a[1]).slice(0, 12),
    });
  }
  const pick = (k: keyof RunFigures) => median(runs.map((r) => Number(r[k])));
  emit("cron", {
    tenants: P.cronTenants,
    budgetMs: P.cronBudgetMs,
    backlogDays: P.cronBacklogDays,
    setupMs: Math.round(setupMs),
    // every tenant in D1 is in the run (vitest isolates each scenario file's storage)
    tenantsInD1: (await env.DB.prepare("SELECT COUNT(*) AS n FROM tenants").first<{ n: number }>())?.n,
    runs,
    median: {
      backlog: pick("backlog"),
      wallMs: pick("wallMs"),
      lookMs: pick("lookMs"),
      postingMs: pick("postingMs"),
      d1CallMs: pick("d1CallMs"),
      cpuEstimateMs: pick("cpuEstimateMs"),
      posted: pick("posted"),
      attempted: pick("attempted"),
      d1Statements: pick("d1Statements"),
      d1RoundTrips: pick("d1RoundTrips"),
      kvOps: pick("kvOps"),
      qboRequests: pick("qboRequests"),
      posRequests: pick("posRequests"),
    },
    warnings: stack.logs.length,
    firstWarnings: stack.logs.slice(0, 3),
  });
  expect(runs.length).toBe(P.cronRuns);
});
