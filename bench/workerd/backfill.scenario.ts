import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import { closurePayload } from "../../sandbox/pos/runtime";
import { recordAnnouncedClosure } from "../../worker/db/closures";
import { announcedClosure } from "../../worker/pos/webhooks";
import { recordItem } from "../../worker/kinds/record";
import { countRequests, documentsPosted, itemStates } from "./support/books";
import { since, snapshot } from "./support/meter";
import { rateFigures } from "./support/rate";
import { params } from "./support/params";
import { createBenchStack, emit, type BenchStack } from "./support/stack";

/**
 * A year of closures for one store posted against QBO's 500 requests/min: the engine's backfill
 * does not exist yet, so every closure of the year is recorded the way its webhook would record it
 * and the cron posts them, one invocation per simulated minute, until nothing is due. The figures:
 * requests per minute as QBO counts them, 429s answered, and what became of every item.
 */
const TENANT = "demo";
const MAX_TICKS = 600;
// leaves room under the 300 s test timeout for the last cron run and the bookkeeping on a loaded machine
const MAX_REAL_MS = 200_000;

let stack: BenchStack | undefined;
afterAll(() => stack?.dispose());

const remaining = async () =>
  (
    await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state IN ('ready', 'failed', 'posting')",
    )
      .bind(TENANT)
      .first<{ n: number }>()
  )?.n ?? 0;

it("a year of closures of one store, backfilled", async () => {
  stack = await createBenchStack({
    at: "2026-10-01T06:00:00Z",
    demo: { seed: 42, days: params().backfillDays, startDate: "2025-10-01" },
  });
  const { pos, qbo, clock } = stack;
  const tenant = stack.tenants[0]!;
  const s = stack.services("bench-backfill");
  const store = pos.store(TENANT);
  const closures = pos.closures(TENANT).filter((c) => c.closedAt !== null);
  for (const c of closures) {
    await recordAnnouncedClosure(env.DB, TENANT, announcedClosure(closurePayload(store, c.id)), s.now());
    await recordItem(s, TENANT, "closure", c.id);
  }

  const logStart = qbo.requestLog(tenant.realmId).length;
  const meterStart = snapshot(stack.meter);
  const sleptStart = clock.slept();
  const simStart = clock.ms();
  const started = performance.now();
  let ticks = 0;
  let attempted = 0;
  const perTick: { at: string; attempted: number; posted: number; endedAt: string; outOfTime: boolean }[] = [];
  while ((await remaining()) > 0 && ticks < MAX_TICKS && performance.now() - started < MAX_REAL_MS) {
    clock.advanceTo((Math.floor(clock.ms() / 60_000) + 1) * 60_000);
    const report = await stack.cron();
    await stack.settle();
    attempted += report.attempted;
    perTick.push({
      at: report.tenants ? new Date(Math.floor(clock.ms() / 60_000) * 60_000).toISOString().slice(11, 19) : "",
      attempted: report.attempted,
      posted: report.posted,
      endedAt: clock.now().toISOString().slice(11, 23),
      outOfTime: report.outOfTime,
    });
    ticks++;
  }
  const realMs = performance.now() - started;

  const log = qbo.requestLog(tenant.realmId).slice(logStart);
  const counts = countRequests(log);
  const { results: outcomes } = await env.DB.prepare(
    `SELECT action, substr(detail, 1, instr(detail || ':', ':') - 1) AS code, COUNT(*) AS n FROM audit_log
     WHERE tenant_id = ?1 AND action IN ('fail', 'reject', 'block') GROUP BY action, code`,
  )
    .bind(TENANT)
    .all<{ action: string; code: string; n: number }>();
  const attempts = await env.DB.prepare(
    "SELECT MAX(attempts) AS max, AVG(attempts) AS mean FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure'",
  )
    .bind(TENANT)
    .first<{ max: number; mean: number }>();
  emit("backfill", {
    days: params().backfillDays,
    generationMs: Math.round(stack.generationMs),
    closures: closures.length,
    documents: await documentsPosted(TENANT),
    states: await itemStates(TENANT),
    ticks,
    perTick,
    attempted,
    realMs: Math.round(realMs),
    simulatedMinutes: (clock.ms() - simStart) / 60_000,
    simulatedWaitMs: clock.slept() - sleptStart,
    realTimers: clock.realTimers(),
    rate: rateFigures(log),
    writes: counts.writes,
    reads: counts.reads,
    throttled429: counts.throttled429,
    byKind: counts.byKind,
    outcomes,
    attempts,
    posRequests: since(meterStart, stack.meter).posRequests,
    warnings: stack.logs.length,
    firstWarnings: stack.logs.slice(0, 3),
  });
  expect(closures.length).toBeGreaterThan(0);
});
