import { afterAll, expect, it } from "vitest";
import { countRequests, documentsPosted, notPosted } from "./support/books";
import { createBenchStack, emit, type BenchStack } from "./support/stack";

/**
 * QBO requests per posted document while the 30-day demo store trades day by day after Tillbridge
 * connected: webhooks announce closures and sales, the cron runs after each day, and every QBO
 * request lands in the QBO sandbox's request log (reads and writes marked). Day 1 is the first
 * run; days 2–30 are the steady state (reads are metered by Intuit, so they should vanish there).
 */
const DAYS = 30;
const TENANT = "month";
const DAY_MS = 24 * 3600 * 1000;

let stack: BenchStack | undefined;
afterAll(() => stack?.dispose());

it("30 trading days of the demo store, posted", async () => {
  stack = await createBenchStack({
    at: "2026-10-01T06:00:00Z",
    stores: [{ prefix: TENANT, seed: 42, days: 0, startDate: "2026-10-01" }],
  });
  const { pos, qbo, clock } = stack;
  const tenant = stack.tenants[0]!;
  const setupRequests = qbo.requestLog(tenant.realmId).length;

  const days: { day: number; docs: number; writes: number; reads: number; driftReads: number }[] = [];
  for (let day = 1; day <= DAYS; day++) {
    const logBefore = qbo.requestLog(tenant.realmId).length;
    const docsBefore = await documentsPosted(TENANT);
    pos.advanceDay(TENANT, 1);
    clock.advanceTo(Date.parse("2026-10-01T06:00:00Z") + day * DAY_MS);
    await stack.settle();
    for (let run = 0; run < 3; run++) {
      const report = await stack.cron();
      await stack.settle();
      if (report.attempted === 0) break;
    }
    const c = countRequests(qbo.requestLog(tenant.realmId).slice(logBefore));
    days.push({
      day,
      docs: (await documentsPosted(TENANT)) - docsBefore,
      writes: c.writes,
      reads: c.reads,
      driftReads: c.driftReads,
    });
  }

  const log = qbo.requestLog(tenant.realmId).slice(setupRequests);
  const all = countRequests(log);
  const steady = days.slice(1);
  const sum = (xs: typeof days, k: "docs" | "writes" | "reads" | "driftReads") => xs.reduce((s, d) => s + d[k], 0);
  const leftover = await notPosted(TENANT);
  emit("posting", {
    days: DAYS,
    setupRequests,
    documents: sum(days, "docs"),
    writes: all.writes,
    reads: all.reads,
    driftReads: all.driftReads,
    throttled429: all.throttled429,
    firstDay: days[0],
    steady: {
      docs: sum(steady, "docs"),
      writes: sum(steady, "writes"),
      reads: sum(steady, "reads"),
      driftReads: sum(steady, "driftReads"),
    },
    byKind: all.byKind,
    notPosted: leftover,
  });
  expect(sum(days, "docs")).toBeGreaterThan(0);
});
