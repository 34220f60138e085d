import { parseClosure } from "../../worker/ledger/common";
import { buildClosurePosting } from "../../worker/ledger";
import { makeBenchClosure } from "../../worker/ledger/bench-fixture";
import { emit, median, quantile } from "./report";

/**
 * The ledger's CPU per closure: the median time of `buildClosurePosting` on the bench closure of
 * 100, 1,000 and 5,000 sale lines, warm (after the JIT has seen it), plus the very first build of
 * this process (a cold isolate's first posting). The ledger is pure and synchronous, so wall time
 * is its CPU time on V8; the process CPU time is reported beside it as a check on preemption by
 * other work on this shared machine.
 */
const SIZES = [100, 1_000, 5_000] as const;
const quick = process.argv.includes("--quick");
const RUNS: Record<number, number> = quick ? { 100: 50, 1000: 20, 5000: 7 } : { 100: 300, 1000: 80, 5000: 31 };
const WARMUP: Record<number, number> = quick ? { 100: 20, 1000: 5, 5000: 2 } : { 100: 100, 1000: 20, 5000: 5 };

function once(lines: number, fixture: ReturnType<typeof makeBenchClosure>): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = buildClosurePosting(fixture.closure, fixture.ctx);
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  if (!result.ok) throw new Error(`the ${lines}-line bench closure does not post: ${JSON.stringify(result.blockers)}`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const fixtures = new Map(SIZES.map((n) => [n, makeBenchClosure(n)]));
const cold = once(5_000, fixtures.get(5_000)!);
const sizes = SIZES.map((lines) => {
  const fixture = fixtures.get(lines)!;
  for (let i = 0; i < WARMUP[lines]!; i++) once(lines, fixture);
  const runs = Array.from({ length: RUNS[lines]! }, () => once(lines, fixture));
  const wall = runs.map((r) => r.wallMs);
  return {
    lines,
    runs: runs.length,
    medianMs: median(wall),
    p90Ms: quantile(wall, 0.9),
    minMs: Math.min(...wall),
    cpuMedianMs: median(runs.map((r) => r.cpuMs)),
    // the ledger's reading of its input (worker/ledger/common.ts parseClosure: zod for the envelope, structural checks for the lines): that share, alone
    inputParseMedianMs: median(
      Array.from({ length: RUNS[lines]! }, () => {
        const t = performance.now();
        parseClosure(fixture.closure, "the closure");
        return performance.now() - t;
      }),
    ),
  };
});
emit("ledger", { coldFirst5000Ms: cold.wallMs, sizes });
