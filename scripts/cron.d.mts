// Types of scripts/cron.mjs for the TypeScript callers (the unit test).

export interface CronTickerOptions {
  trigger: () => Promise<void>;
  say: (line: string) => void;
  everyMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}
export interface CronTicker {
  stop(): void;
  readonly runs: number;
}
export function startCronTicker(options: CronTickerOptions): CronTicker;
