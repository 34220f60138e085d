/**
 * An ExecutionContext for driving the Worker's app in-process: what it hands to `waitUntil` is kept
 * in `pending`, so a test can wait for the background work to settle, and a background failure is
 * reported to `onFailure` (the stack's log) rather than lost.
 */
export function trackingContext(onFailure: (line: string) => void = () => undefined): {
  ctx: ExecutionContext;
  pending: Set<Promise<unknown>>;
  /** Delivers what `flush` has queued (the POS sandbox's webhooks) and waits for the work it starts, until nothing is left */
  settle: (flush: () => Promise<unknown>) => Promise<void>;
} {
  const pending = new Set<Promise<unknown>>();
  const ctx = {
    waitUntil: (p: Promise<unknown>) => {
      const tracked = p
        .catch((e) => onFailure(`background failure: ${e instanceof Error ? e.stack : String(e)}`))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  const settle = async (flush: () => Promise<unknown>) => {
    for (let round = 0; round < 50; round++) {
      await flush();
      if (pending.size === 0) return;
      await Promise.all([...pending]);
    }
    throw new Error("background work did not settle");
  };
  return { ctx, pending, settle };
}
