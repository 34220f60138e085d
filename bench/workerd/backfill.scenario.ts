import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import { startBackfill } from "../../worker/sync/backfill/run";
import { runTenantMessage, type TenantMessage } from "../../worker/sync/cron";
import { countRequests, documentsPosted, itemStates, median } from "./support/books";
import { since, snapshot } from "./support/meter";
import { params } from "./support/params";
import { rateFigures } from "./support/rate";
import { createBenchStack, emit, type BenchStack } from "./support/stack";

/**
 * The backfill feature itself (SPEC §3.10) on a year of one store, against QBO with a round trip
 * of `backfillLatencyMs` (250 ms by default): the store traded a year before Tillbridge connected;
 * the merchant starts a backfill of that year; every simulated minute the queue delivers the
 * tenant's message (runTenantMessage: discovery, live posting, the backfill step), and a step that
 * stops at D1's statement budget sends a continuation, delivered here at once, as the queue would.
 * The figures: documents, requests and batches per minute as QBO counts them, 429s, duplicates in
 * QBO, and D1 statements per invocation (D1 allows 1,000).
 */
const TENANT = "demo";
const DOC_ENTITIES = ["SalesReceipt", "RefundReceipt", "JournalEntry", "Invoice", "Payment", "CreditMemo", "Bill"];
const MAX_MINUTES = 120;
const MAX_CONTINUATIONS_A_MINUTE = 60;
// a guard against a hang: the scenario is bounded by QBO's limits on the simulated clock, not by this
const MAX_REAL_MS = 600_000;

let stack: BenchStack | undefined;
afterAll(() => stack?.dispose());

function duplicates(s: BenchStack, realmId: string): { documents: number; duplicates: number } {
  const seen = new Map<string, number>();
  let documents = 0;
  for (const entity of DOC_ENTITIES)
    for (const doc of s.qbo.entities(realmId, entity) as { PrivateNote?: string }[]) {
      const m = /key (\S+) \| part ([^|]+?)(?: \||$)/.exec(doc.PrivateNote ?? "");
      if (!m) continue;
      documents++;
      seen.set(`${m[1]}|${m[2]}`, (seen.get(`${m[1]}|${m[2]}`) ?? 0) + 1);
    }
  return { documents, duplicates: [...seen.values()].reduce((n, c) => n + c - 1, 0) };
}

it("a year of one store, backfilled by the backfill feature through the queue", async () => {
  const P = params();
  const latencyMs = P.backfillLatencyMs;
  stack = await createBenchStack({
    at: "2026-10-01T06:00:00Z",
    demo: { seed: 42, days: P.backfillDays, startDate: "2025-10-01" },
    qboLatencyMs: latencyMs,
  });
  const { pos, qbo, clock } = stack;
  const tenant = stack.tenants[0]!;
  const s = stack.services("bench-backfill");
  const closures = pos.closures(TENANT).filter((c) => c.closedAt !== null).length;

  const sent: TenantMessage[] = [];
  const queue = {
    send: async (m: TenantMessage) => void sent.push(m),
    sendBatch: async (ms: { body: TenantMessage }[]) => void sent.push(...ms.map((m) => m.body)),
  };
  const queueEnv = { ...stack.env, SYNC_QUEUE: queue } as unknown as Env;
  const from = "2025-10-01";
  const to = new Date(clock.ms() - 86_400_000).toISOString().slice(0, 10);
  const bf = await startBackfill(s, TENANT, { from, to, counted: "expected" }, "bench");

  const logStart = qbo.requestLog(tenant.realmId).length;
  const meterStart = snapshot(stack.meter);
  const simStart = clock.ms();
  const started = performance.now();
  const invocations: { minute: number; continuation: boolean; d1Statements: number; qboRequests: number }[] = [];
  const perMinute: { at: string; invocations: number; posted: number }[] = [];
  const invoke = async (m: TenantMessage, minute: number) => {
    const before = snapshot(stack!.meter);
    await runTenantMessage(queueEnv, m, stack!.deps);
    await stack!.settle();
    const d = since(before, stack!.meter);
    invocations.push({
      minute,
      continuation: m.backfillOnly === true,
      d1Statements: d.d1Statements,
      qboRequests: d.qboRequests,
    });
  };
  const status = async () =>
    (await env.DB.prepare("SELECT status FROM backfills WHERE id = ?1").bind(bf.id).first<{ status: string }>())
      ?.status;
  let minutes = 0;
  let stoppedBy: "done" | "minutes" | "real time" = "done";
  while ((await status()) !== "done") {
    if (minutes >= MAX_MINUTES) {
      stoppedBy = "minutes";
      break;
    }
    if (performance.now() - started > MAX_REAL_MS) {
      stoppedBy = "real time";
      break;
    }
    clock.advanceTo((Math.floor(clock.ms() / 60_000) + 1) * 60_000);
    const at = clock.now().toISOString();
    const docsBefore = await documentsPosted(TENANT);
    const before = invocations.length;
    await invoke({ tenantId: TENANT, scheduledTime: at }, minutes);
    for (let i = 0; i < MAX_CONTINUATIONS_A_MINUTE && sent.length > 0; i++) await invoke(sent.shift()!, minutes);
    sent.length = 0;
    perMinute.push({
      at: at.slice(11, 16),
      invocations: invocations.length - before,
      posted: (await documentsPosted(TENANT)) - docsBefore,
    });
    minutes++;
  }
  const realMs = performance.now() - started;

  const log = qbo.requestLog(tenant.realmId).slice(logStart);
  const counts = countRequests(log);
  const rate = rateFigures(log);
  const documents = await documentsPosted(TENANT);
  const batches = log.filter((e) => e.operation === "batch");
  const inQbo = duplicates(stack, tenant.realmId);
  const progress = await env.DB.prepare("SELECT total, done, failed, status FROM backfills WHERE id = ?1")
    .bind(bf.id)
    .first<{ total: number; done: number; failed: number; status: string }>();
  const { results: outcomes } = await env.DB.prepare(
    `SELECT action, substr(detail, 1, instr(detail || ':', ':') - 1) AS code, COUNT(*) AS n FROM audit_log
     WHERE tenant_id = ?1 AND action IN ('fail', 'reject', 'block') GROUP BY action, code`,
  )
    .bind(TENANT)
    .all<{ action: string; code: string; n: number }>();
  // each 429: what QBO had seen just before it (is it the 1 s, the 60 s, or the batches' 60 s?)
  const throttledContext = log
    .filter((e) => e.status === 429)
    .map((e) => {
      const t = Date.parse(e.at);
      const within = (ms: number, batchOnly = false) =>
        log.filter(
          (x) =>
            x.status !== 429 &&
            Date.parse(x.at) > t - ms &&
            Date.parse(x.at) <= t &&
            (!batchOnly || x.operation === "batch"),
        ).length;
      return {
        at: e.at,
        operation: e.operation,
        entity: e.entity,
        last1s: within(1000),
        last60s: within(60_000),
        batches60s: within(60_000, true),
      };
    });
  const statements = invocations.map((i) => i.d1Statements);
  const afterFirst = invocations.slice(1).map((i) => i.d1Statements);
  // sustained: the minutes between the first and the last that posted (the ramp and the tail left out)
  const busy = perMinute.map((m) => m.posted);
  const firstBusy = busy.findIndex((n) => n > 0);
  const lastBusy = busy.length - 1 - [...busy].reverse().findIndex((n) => n > 0);
  const whole = firstBusy >= 0 && lastBusy - firstBusy >= 2 ? busy.slice(firstBusy + 1, lastBusy) : [];
  emit("backfill", {
    feature: true,
    days: P.backfillDays,
    latencyMs,
    from,
    to,
    generationMs: Math.round(stack.generationMs),
    closures,
    objects: progress?.total ?? 0,
    progress,
    documents,
    states: await itemStates(TENANT),
    ticks: minutes,
    stoppedBy,
    perTick: perMinute,
    realMs: Math.round(realMs),
    simulatedMinutes: (clock.ms() - simStart) / 60_000,
    rate,
    documentsPerMinute: documents / Math.max(1e-9, rate.spanMinutes),
    documentsPerFullMinute: whole.length ? median(whole) : null,
    fullMinutes: whole.length,
    batches: batches.length,
    batchesPerMinute: batches.length / Math.max(1e-9, rate.spanMinutes),
    batchesBusiest60s: rateFigures(batches).busiest60s,
    writes: counts.writes,
    reads: counts.reads,
    throttled429: counts.throttled429,
    throttledContext,
    byKind: counts.byKind,
    duplicates: inQbo.duplicates,
    qboDocuments: inQbo.documents,
    outcomes,
    invocations: {
      count: invocations.length,
      continuations: invocations.filter((i) => i.continuation).length,
      firstD1Statements: statements[0] ?? 0,
      maxD1StatementsAfterFirst: afterFirst.length ? Math.max(...afterFirst) : 0,
      medianD1Statements: statements.length ? median(statements) : 0,
      over1000: statements.filter((n) => n > 1000).length,
    },
    posRequests: since(meterStart, stack.meter).posRequests,
    warnings: stack.logs.length,
    firstWarnings: stack.logs.slice(0, 3),
  });
  expect(inQbo.duplicates).toBe(0);
  expect(closures).toBeGreaterThan(0);
});
