import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startCronTicker } from "../../../scripts/cron.mjs";

/** `npm start`'s stand-in for Cloudflare's cron trigger: every minute, on the minute, never doubled. */
describe("the local cron ticker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-07T07:40:20Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("fires at the start of every minute by itself and says so", async () => {
    const fired: string[] = [];
    const said: string[] = [];
    const ticker = startCronTicker({
      trigger: async () => void fired.push(new Date().toISOString()),
      say: (l) => void said.push(l),
    });
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    ticker.stop();
    expect(fired).toEqual(["2026-12-07T07:41:00.000Z", "2026-12-07T07:42:00.000Z", "2026-12-07T07:43:00.000Z"]);
    expect(said).toEqual([
      "[cron] 07:41:00 scheduled run #1 done",
      "[cron] 07:42:00 scheduled run #2 done",
      "[cron] 07:43:00 scheduled run #3 done",
    ]);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).toHaveLength(3); // stopped
  });

  it("a run still going when the minute turns is not doubled; a failed run is said and the next one fires", async () => {
    const said: string[] = [];
    let calls = 0;
    const ticker = startCronTicker({
      trigger: () => {
        calls++;
        if (calls === 1) return new Promise<void>((r) => setTimeout(r, 90_000)); // 1½ minutes
        return Promise.reject(new Error("the scheduled trigger answered 500"));
      },
      say: (l) => void said.push(l),
    });
    await vi.advanceTimersByTimeAsync(40_000 + 60_000 + 60_000 + 1);
    ticker.stop();
    expect(calls).toBe(2);
    expect(said).toEqual([
      "[cron] 07:42:00 skipped: the previous run is still going",
      "[cron] 07:41:00 scheduled run #1 done",
      "[cron] 07:43:00 scheduled run #2 failed: the scheduled trigger answered 500",
    ]);
  });
});
