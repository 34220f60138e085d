import { selectAll, selectFirst, type SelectorName } from "../host/selectors";

/**
 * Calls `handle` with the elements matching a selector: those there now and those that appear later
 * (the back office is a single-page app). A MutationObserver, not polling; each element is handled
 * once per call (marked in a WeakSet, so a new init after navigation starts afresh). New elements
 * are handed over in batches, so a feature can ask the background once for all of them.
 */
export function observe(
  name: SelectorName,
  handle: (elements: Element[]) => void,
  opts: { signal: AbortSignal; root?: (ParentNode & Node) | undefined },
): void {
  const { signal } = opts;
  const root = opts.root ?? document;
  if (signal.aborted) return;
  const seen = new WeakSet<Element>();
  let queued = false;

  const scan = () => {
    queued = false;
    if (signal.aborted) return;
    const fresh = selectAll(name, root).filter((el) => !seen.has(el));
    for (const el of fresh) seen.add(el);
    if (fresh.length) handle(fresh);
  };
  const schedule = () => {
    if (queued) return;
    queued = true;
    // One scan per burst of mutations (a re-rendered table arrives as many records).
    queueMicrotask(scan);
  };

  const observer = new MutationObserver((records) => {
    // our own badges going in or out are no news: only the page's changes are worth a scan
    if (records.every(ours)) return;
    schedule();
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener("abort", () => observer.disconnect(), { once: true });
  scan();
}

const isOurs = (node: Node) => node instanceof HTMLElement && node.dataset.tillbridge !== undefined;
/** A mutation that only added or removed Tillbridge's own hosts. */
const ours = (r: MutationRecord) =>
  r.type === "childList" && [...r.addedNodes].every(isOurs) && [...r.removedNodes].every(isOurs);

/** Resolves with the first match, or null when none appears within `timeoutMs` (or on abort). */
export function waitFor(
  name: SelectorName,
  opts: { signal: AbortSignal; timeoutMs: number; root?: ParentNode & Node },
): Promise<Element | null> {
  // already there (the usual case once a page is parsed): no observer, no scan of every match
  const now = opts.signal.aborted ? null : selectFirst(name, opts.root ?? document);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const local = new AbortController();
    const stop = (value: Element | null) => {
      local.abort();
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => stop(null), opts.timeoutMs);
    opts.signal.addEventListener("abort", () => stop(null), { once: true, signal: local.signal });
    observe(name, (els) => stop(els[0] ?? null), {
      signal: AbortSignal.any([opts.signal, local.signal]),
      root: opts.root,
    });
  });
}
