// The local stand-in for Cloudflare's cron trigger: `wrangler dev` never fires `[triggers] crons`
// by itself, so `npm start` fires the Worker's scheduled handler at the start of every minute, as
// production's "* * * * *" does. A run still going when the next minute starts is not doubled.

/**
 * Starts the ticker. `trigger()` fires one scheduled run and resolves when it is over (or throws);
 * `say` prints one line per run. Returns `stop()`.
 *  - everyMs: the period (default one minute), aligned on its multiples of the clock
 *  - now / setTimer / clearTimer: the clock and timers (tests pass fakes)
 */
export function startCronTicker({
  trigger,
  say,
  everyMs = 60_000,
  now = () => Date.now(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (t) => clearTimeout(t),
}) {
  let timer;
  let running = false;
  let stopped = false;
  let runs = 0;
  const hhmm = (ms) => new Date(ms).toISOString().slice(11, 19);
  const schedule = () => {
    if (stopped) return;
    const t = now();
    timer = setTimer(tick, everyMs - (t % everyMs));
  };
  async function tick() {
    schedule();
    const at = now();
    if (running) {
      say(`[cron] ${hhmm(at)} skipped: the previous run is still going`);
      return;
    }
    running = true;
    runs++;
    try {
      await trigger();
      say(`[cron] ${hhmm(at)} scheduled run #${runs} done`);
    } catch (e) {
      say(`[cron] ${hhmm(at)} scheduled run #${runs} failed: ${e instanceof Error ? e.message : e}`);
    } finally {
      running = false;
    }
  }
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
    },
    get runs() {
      return runs;
    },
  };
}
