/**
 * Several postings of one company in flight at once (issue 18): QBO allows 10 requests in flight
 * and 10 a second per company; Tillbridge's own pace (qbo/rate.ts) keeps the rate under both, and
 * this keeps the number of postings in flight at POSTERS_PER_COMPANY, so that a 250 ms round trip
 * no longer caps a company at 4 requests a second, and creates waiting together go as one batch.
 */
export const POSTERS_PER_COMPANY = 6;

/**
 * Runs `work` over `items`, at most `width` at a time, in order of start. `work` answers false to
 * stop: nothing new starts after that (the ones running finish). Each lane calls `lane()` when it
 * starts and the function it returned when it has nothing more to do (the QBO create window's join).
 */
export async function inLanes<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<boolean>,
  lane?: () => () => void,
): Promise<void> {
  let next = 0;
  let stopped = false;
  const run = async () => {
    const leave = lane?.();
    try {
      while (!stopped && next < items.length) {
        const item = items[next++]!;
        if (!(await work(item))) stopped = true;
      }
    } finally {
      leave?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, run));
}
