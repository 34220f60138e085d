/**
 * The simulated clock the workerd scenarios share with the Worker and both sandboxes. It never
 * moves with real time: only when Tillbridge waits (its per-company pace sleeps an eighth of a
 * second, a token refresh waits for its lease) or when a scenario moves it. So throughput is
 * measured against the limits themselves, not against how fast this shared 2-core machine runs
 * the in-process sandboxes — and a year of postings takes seconds instead of real minutes.
 *
 * Waits are recognised by their length: a timer of at most SIMULATED_MAX_MS is a sleep (it fires
 * at once, with the clock moved by its delay; of the sleeps pending, the earliest due fires first);
 * a longer one is a request timeout (30 s), which
 * must stay a real timer so that it never fires while the in-process answer is on its way.
 */
export const SIMULATED_MAX_MS = 5_000;

export interface SimClock {
  now: () => Date;
  ms(): number;
  /** Moves the clock forward (never back). */
  advance(ms: number): void;
  advanceTo(ms: number): void;
  /** Timers that took real time because they were longer than SIMULATED_MAX_MS */
  realTimers(): number;
  /** Simulated waiting so far, in simulated ms */
  slept(): number;
  /** Real ms the simulated sleeps took to come back (event-loop turns: not the Worker's CPU) */
  sleptReal(): number;
  /** Installs the simulated short timers (`onWait` is told when each starts; it returns the end); returns the uninstaller. */
  install(onWait?: () => () => void): () => void;
}

export function simClock(startIso: string): SimClock {
  let at = Date.parse(startIso);
  let real = 0;
  let slept = 0;
  let sleptReal = 0;
  const clock: SimClock = {
    now: () => new Date(at),
    ms: () => at,
    advance(ms) {
      if (ms > 0) at += ms;
    },
    advanceTo(ms) {
      if (ms > at) at = ms;
    },
    realTimers: () => real,
    slept: () => slept,
    sleptReal: () => sleptReal,
    install(onWait) {
      const original = globalThis.setTimeout;
      const originalClear = globalThis.clearTimeout;
      // a simulated sleep cancelled before it fired still ends its wait
      const ends = new Map<unknown, () => void>();
      // Sleeps pending, fired earliest-due first: each sleep posts one real zero-delay tick, and a tick
      // fires whichever pending sleep is due first (not the one that posted it), so concurrent
      // sleepers wake in simulated-time order and the clock never jumps past a sleeper due earlier.
      let seq = 0;
      const pending: { id: unknown; due: number; seq: number; fire: () => void }[] = [];
      const tick = () => {
        if (pending.length === 0) return;
        let first = 0;
        for (let i = 1; i < pending.length; i++)
          if (
            pending[i]!.due < pending[first]!.due ||
            (pending[i]!.due === pending[first]!.due && pending[i]!.seq < pending[first]!.seq)
          )
            first = i;
        const [next] = pending.splice(first, 1);
        next!.fire();
      };
      const patched = ((handler: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
        const ms = Math.max(0, Number(delay ?? 0));
        if (ms > SIMULATED_MAX_MS) {
          real++;
          return original(handler, ms, ...args);
        }
        const due = at + ms;
        const asked = performance.now();
        const ended = onWait?.() ?? (() => {});
        const id = original(tick, 0);
        pending.push({
          id,
          due,
          seq: seq++,
          fire: () => {
            ends.delete(id);
            ended();
            sleptReal += performance.now() - asked;
            if (due > at) slept += due - at;
            clock.advanceTo(due);
            handler(...args);
          },
        });
        ends.set(id, ended);
        return id;
      }) as unknown as typeof setTimeout;
      const clear = ((id?: Parameters<typeof clearTimeout>[0]) => {
        ends.get(id)?.();
        ends.delete(id);
        const at = pending.findIndex((p) => p.id === id);
        if (at >= 0) pending.splice(at, 1);
        originalClear(id);
      }) as typeof clearTimeout;
      globalThis.setTimeout = patched;
      globalThis.clearTimeout = clear;
      return () => {
        globalThis.setTimeout = original;
        globalThis.clearTimeout = originalClear;
      };
    },
  };
  return clock;
}
