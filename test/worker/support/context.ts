/**
 * An ExecutionContext for driving the Worker's app in-process: what it hands to `waitUntil` is kept
 * in `pending`, so a test can wait for the background work to settle, and a background failure is
 * reported to `onFailure` (the stack's log) rather than lost.
 */
export function trackingContext(onFailure: (line: string) => void = () => undefined): { ctx: ExecutionContext; pending: Set<Promise<unknown>> } {
  const pending = new Set<Promise<unknown>>();
  const ctx = {
    waitUntil: (p: Promise<unknown>) => {
      const tracked = p.catch((e) => onFailure(`background failure: ${e instanceof Error ? e.stack : String(e)}`)).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  return { ctx, pending };
}
