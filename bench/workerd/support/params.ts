import { env } from "cloudflare:workers";

/** Scenario sizes: the defaults are the figures docs/BENCHMARKS.md reports; `npm run bench -- --quick` shrinks them. */
export interface BenchParams {
  backfillDays: number;
  /** QBO's round trip in the year's backfill (simulated ms) */
  backfillLatencyMs: number;
  cronTenants: number;
  cronBacklogDays: number;
  cronRuns: number;
  cronBudgetMs: number;
  statusObjects: number;
  statusRepeats: number;
  /** Posted items added to the tenant before measuring again: how the time grows with its history */
  statusHistory: number;
  /** Trading days of closures each throughput configuration posts (latency × in flight) */
  throughputDays: number;
  /** Idle tenant-minutes measured in a row (covers the 15-minute drift check once) */
  idleMinutes: number;
  /** Busy tenant-minutes measured (one register closure each) */
  busyMinutes: number;
}

const DEFAULTS: BenchParams = {
  backfillDays: 365,
  backfillLatencyMs: 250,
  cronTenants: 50,
  cronBacklogDays: 2,
  cronRuns: 3,
  cronBudgetMs: 25_000,
  statusObjects: 500,
  statusRepeats: 15,
  statusHistory: 4000,
  throughputDays: 180,
  idleMinutes: 15,
  busyMinutes: 5,
};

export function params(): BenchParams {
  const raw = (env as unknown as { BENCH_PARAMS?: string }).BENCH_PARAMS ?? "{}";
  return { ...DEFAULTS, ...(JSON.parse(raw) as Partial<BenchParams>) };
}
