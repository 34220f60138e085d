/**
 * Draws a page's rows where the person is looking first (issue 18.1). The rows an
 * IntersectionObserver reports in or near the viewport are drawn as soon as their state is known
 * (or after LOADING_AFTER_MS, showing "Checking…", if it is slow to come); the others in idle time
 * once their state is known. So each row is usually written once, in its final look, in as few DOM
 * writes (and so table layouts) as possible. Only writes happen here: the caller reads everything
 * it needs before handing rows over.
 */

/** How long a row in view waits for its state before it is drawn anyway, saying it is checking. */
export const LOADING_AFTER_MS = 300;
/** How long an off-screen row waits for its state before it is drawn anyway. */
export const SETTLE_WAIT_MS = 1_500;
/** Rows drawn per slice of idle time before checking the time left. */
const SLICE = 100;

type Idle = (cb: (deadline: { timeRemaining(): number; didTimeout?: boolean }) => void) => void;

const idle: Idle = (cb) => {
  const ric = (globalThis as { requestIdleCallback?: (cb: IdleRequestCallback, o?: IdleRequestOptions) => number })
    .requestIdleCallback;
  if (ric) ric(cb, { timeout: 50 });
  else setTimeout(() => cb({ timeRemaining: () => 8 }), 0);
};

export class VisibleFirst<T> {
  private readonly waiting = new Set<T>();
  private readonly inView = new Set<T>();
  private readonly byAnchor = new Map<Element, T[]>();
  private readonly since = new Map<T, number>();
  private io: IntersectionObserver | undefined;
  private scheduled = false;
  private late: ReturnType<typeof setTimeout> | undefined;
  private loading: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly draw: (items: T[]) => void,
    private readonly opts: {
      anchorOf: (item: T) => Element;
      /** Whether an item's state is known (drawing it now writes its final look) */
      settled: (item: T) => boolean;
      /** Whether anything may be drawn yet (the words are known); poke() when it turns true */
      ready?: () => boolean;
      signal: AbortSignal;
      now?: () => number;
    },
  ) {
    opts.signal.addEventListener(
      "abort",
      () => {
        this.io?.disconnect();
        clearTimeout(this.late);
        clearTimeout(this.loading);
        this.waiting.clear();
        this.inView.clear();
      },
      { once: true },
    );
    if (typeof IntersectionObserver === "function")
      this.io = new IntersectionObserver((entries) => this.seen(entries), { rootMargin: "25% 0px" });
  }

  add(items: T[]): void {
    if (this.opts.signal.aborted) return;
    const now = this.now();
    for (const item of items) {
      this.waiting.add(item);
      this.since.set(item, now);
      if (!this.io) continue;
      const anchor = this.opts.anchorOf(item);
      const list = this.byAnchor.get(anchor);
      if (list) list.push(item);
      else {
        this.byAnchor.set(anchor, [item]);
        this.io.observe(anchor);
      }
    }
    clearTimeout(this.loading);
    this.loading = setTimeout(() => this.poke(), LOADING_AFTER_MS);
    this.poke();
  }

  /** Some items' states arrived: the ones in view are drawn now, the others in the next idle time. */
  poke(): void {
    if (!this.waiting.size || this.opts.signal.aborted || this.opts.ready?.() === false) return;
    this.drawInView();
    if (this.scheduled || !this.waiting.size) return;
    this.scheduled = true;
    idle((deadline) => this.work(deadline));
  }

  private drawInView(): void {
    if (!this.inView.size || this.opts.ready?.() === false) return;
    const now = this.now();
    const ready = [...this.inView].filter(
      (item) => this.opts.settled(item) || now - (this.since.get(item) ?? now) >= LOADING_AFTER_MS,
    );
    for (const item of ready) this.take(item);
    if (ready.length) this.draw(ready);
  }

  private take(item: T): boolean {
    this.since.delete(item);
    this.inView.delete(item);
    return this.waiting.delete(item);
  }

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))();
  }

  /** The observer's first report on each anchor: those in view go first. */
  private seen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      this.io?.unobserve(entry.target);
      const items = this.byAnchor.get(entry.target) ?? [];
      this.byAnchor.delete(entry.target);
      if (entry.isIntersecting) for (const item of items) if (this.waiting.has(item)) this.inView.add(item);
    }
    this.drawInView();
  }

  private work(deadline: { timeRemaining(): number; didTimeout?: boolean }): void {
    this.scheduled = false;
    if (this.opts.signal.aborted) return;
    const now = this.now();
    const ready = [...this.waiting].filter(
      (item) => this.opts.settled(item) || now - (this.since.get(item) ?? now) >= SETTLE_WAIT_MS,
    );
    let at = 0;
    do {
      const slice = ready.slice(at, at + SLICE);
      at += slice.length;
      for (const item of slice) this.take(item);
      if (slice.length) this.draw(slice);
    } while (at < ready.length && (deadline.timeRemaining() > 2 || deadline.didTimeout));
    if (at < ready.length) this.poke();
    else if (this.waiting.size) this.retryLater();
  }

  /** Unsettled items left: look again when the first one's wait is over (a state arriving pokes sooner). */
  private retryLater(): void {
    clearTimeout(this.late);
    const first = Math.min(...this.since.values());
    this.late = setTimeout(() => this.poke(), Math.max(0, first + SETTLE_WAIT_MS - this.now()));
  }
}
