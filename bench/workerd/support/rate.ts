import type { RequestLogEntry } from "../../../sandbox/qbo/index";
import { median } from "./books";

/**
 * Requests per minute as QBO counts them, from the sandbox's request log (timestamps on the
 * simulated clock). Intuit's window slides (the sandbox's does too), so the busiest 60 s is what
 * must stay under 500; the sustained rate is the mean over whole calendar minutes, leaving out the
 * first and last (partial) ones.
 */
export interface RateFigures {
  requests: number;
  spanMinutes: number;
  /** Mean over the whole span: requests ÷ minutes from the first request to the last */
  overallPerMinute: number;
  /** Whole calendar minutes between the first and the last */
  fullMinutes: number;
  fullMinuteMedian: number;
  fullMinuteMean: number;
  fullMinuteMin: number;
  busiest60s: number;
}

export function rateFigures(log: RequestLogEntry[]): RateFigures {
  const times = log.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  if (times.length === 0)
    return {
      requests: 0,
      spanMinutes: 0,
      overallPerMinute: 0,
      fullMinutes: 0,
      fullMinuteMedian: 0,
      fullMinuteMean: 0,
      fullMinuteMin: 0,
      busiest60s: 0,
    };
  const first = times[0]!;
  const last = times.at(-1)!;
  const spanMinutes = Math.max(1e-9, (last - first) / 60_000);
  const perMinute = new Map<number, number>();
  for (const t of times) perMinute.set(Math.floor(t / 60_000), (perMinute.get(Math.floor(t / 60_000)) ?? 0) + 1);
  const firstMinute = Math.floor(first / 60_000);
  const lastMinute = Math.floor(last / 60_000);
  const full: number[] = [];
  for (let m = firstMinute + 1; m < lastMinute; m++) full.push(perMinute.get(m) ?? 0);
  let busiest = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 60_000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return {
    requests: times.length,
    spanMinutes,
    overallPerMinute: times.length / spanMinutes,
    fullMinutes: full.length,
    fullMinuteMedian: median(full),
    fullMinuteMean: full.length ? full.reduce((a, b) => a + b, 0) / full.length : Number.NaN,
    fullMinuteMin: full.length ? Math.min(...full) : Number.NaN,
    busiest60s: busiest,
  };
}
