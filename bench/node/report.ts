/** How the Node-side bench scripts hand results to scripts/bench.mjs: one line on stdout each. */
export function emit(name: string, data: Record<string, unknown>): void {
  console.log(`BENCH_RESULT ${JSON.stringify({ name, ...data })}`);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

export const median = (values: number[]) => quantile(values, 0.5);
