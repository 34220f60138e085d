import type { ObjectRef, ObjectStatus, SyncState } from "../../shared/sync";
import type { ErrorBody } from "../messaging";

/**
 * The page's knowledge of object states, shared by all features on a page. Objects asked for in the
 * same tick go to the background in ONE status request; an object already known is not asked again.
 * Objects whose job is still moving (ready, posting, failed with a retry due soon) are re-asked with
 * backoff until they settle or the page's signal aborts.
 */

export type Entry = { status: ObjectStatus } | { error: ErrorBody } | { loading: true };
export type Ask = (objects: ObjectRef[]) => Promise<ObjectStatus[]>;

export const keyOf = (ref: ObjectRef) => `${ref.kind}:${ref.posId}`;

const MOVING: ReadonlySet<SyncState> = new Set(["ready", "posting"]);
/** A transient failure whose next try is this close is followed; later ones are not (the badge says when). */
export const FOLLOW_FAILED_WITHIN_MS = 2 * 60_000;
export const FOLLOW_MIN_MS = 1_000;
export const FOLLOW_MAX_MS = 30_000;

/**
 * Closures and sales are found by the Worker on its own (a webhook, the next cron run): one the
 * Worker does not know yet when the page loads is followed for a while, so its badge turns by itself.
 */
export const FOLLOW_UNKNOWN_FOR_MS = 3 * 60_000;
const DISCOVERED: ReadonlySet<string> = new Set(["closure", "sale"]);

/**
 * Blocked on something fixed outside Tillbridge's settings (an account reactivated or the books
 * reopened in QBO, another posting it waits for): the Worker heals it by itself, so the badge asks
 * again now and then. A mapping fixed in the settings redraws the page itself (broadcast.ts).
 */
export const FOLLOW_BLOCKED_MS = 30_000;
const HEALS_OUTSIDE: ReadonlySet<string> = new Set(["qbo_invalid_reference", "closed_period", "waiting_for"]);
export const healsOutside = (s: ObjectStatus) => s.state === "blocked" && HEALS_OUTSIDE.has(s.reason?.code ?? "");

export function isMoving(s: ObjectStatus, now: number, firstAskedAt?: number): boolean {
  if (MOVING.has(s.state)) return true;
  if (s.state === "unknown" && DISCOVERED.has(s.kind) && firstAskedAt !== undefined)
    return now - firstAskedAt < FOLLOW_UNKNOWN_FOR_MS;
  if (s.state === "failed" && s.nextTryAt) return Date.parse(s.nextTryAt) - now <= FOLLOW_FAILED_WITHIN_MS;
  return false;
}

export class StatusStore {
  private entries = new Map<string, Entry>();
  private refs = new Map<string, ObjectRef>();
  private firstAsked = new Map<string, number>();
  private subs = new Map<string, Set<(e: Entry) => void>>();
  private listeners = new Set<(key: string, e: Entry) => void>();
  private pending: ObjectRef[] = [];
  private flushing = false;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private followDelay = FOLLOW_MIN_MS;
  /** When the items blocked on a fix made outside the settings were last asked about */
  private waitingAskedAt = 0;

  constructor(
    private readonly ask: Ask,
    private readonly signal: AbortSignal,
    private readonly now: () => number = () => Date.now(),
  ) {
    signal.addEventListener("abort", () => clearTimeout(this.followTimer), { once: true });
  }

  get(ref: ObjectRef): Entry | undefined {
    return this.entries.get(keyOf(ref));
  }

  /** The entry under a key (keyOf), for callers that keep keys. */
  entry(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  /** Every change to any object's entry: one listener for a page's badges, not one per row. */
  listen(fn: (key: string, e: Entry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  subscribe(ref: ObjectRef, fn: (e: Entry) => void): () => void {
    const key = keyOf(ref);
    let set = this.subs.get(key);
    if (!set) this.subs.set(key, (set = new Set()));
    set.add(fn);
    const current = this.entries.get(key);
    if (current) fn(current);
    return () => set.delete(fn);
  }

  /** Make sure these objects' states are known (asked once, batched with others asked in the same tick). */
  want(refs: ObjectRef[]): void {
    for (const ref of refs) {
      const key = keyOf(ref);
      if (this.entries.has(key)) continue;
      this.refs.set(key, ref);
      this.firstAsked.set(key, this.now());
      this.put(key, { loading: true });
      this.pending.push(ref);
    }
    if (this.pending.length && !this.flushing) {
      this.flushing = true;
      queueMicrotask(() => void this.flush());
    }
  }

  /** A fresh state from a send or retry: show it and follow it. */
  set(status: ObjectStatus): void {
    const key = keyOf(status);
    this.refs.set(key, { kind: status.kind, posId: status.posId });
    this.put(key, { status });
    this.followDelay = FOLLOW_MIN_MS;
    this.scheduleFollow();
  }

  /** Ask again for these objects now (after counted totals were sent, say). */
  async refresh(refs: ObjectRef[]): Promise<void> {
    await this.load(refs);
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, 500);
    this.flushing = false;
    if (!batch.length) return;
    await this.load(batch);
    if (this.pending.length) void this.flush();
  }

  private async load(refs: ObjectRef[]): Promise<void> {
    if (this.signal.aborted || !refs.length) return;
    try {
      const statuses = await this.ask(refs);
      if (this.signal.aborted) return;
      const answered = new Set<string>();
      for (const s of statuses) {
        answered.add(keyOf(s));
        this.put(keyOf(s), { status: s });
      }
      for (const ref of refs)
        if (!answered.has(keyOf(ref)))
          this.put(keyOf(ref), { status: { ...ref, state: "unknown", docs: [], attempts: 0 } });
    } catch (e) {
      if (this.signal.aborted) return;
      const error: ErrorBody =
        e && typeof e === "object" && "body" in e
          ? (e as { body: ErrorBody }).body
          : { code: "internal", message: String(e), action: "" };
      for (const ref of refs) this.put(keyOf(ref), { error });
    }
    this.scheduleFollow();
  }

  private put(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    for (const fn of this.subs.get(key) ?? []) fn(entry);
    for (const fn of this.listeners) fn(key, entry);
  }

  private moving(): ObjectRef[] {
    const out: ObjectRef[] = [];
    for (const [key, entry] of this.entries)
      if ("status" in entry && isMoving(entry.status, this.now(), this.firstAsked.get(key)))
        out.push(this.refs.get(key) ?? entry.status);
    return out;
  }

  private waitingOutside(): ObjectRef[] {
    const out: ObjectRef[] = [];
    for (const [key, entry] of this.entries)
      if ("status" in entry && healsOutside(entry.status)) out.push(this.refs.get(key) ?? entry.status);
    return out;
  }

  private scheduleFollow(): void {
    clearTimeout(this.followTimer);
    if (this.signal.aborted) return;
    if (!this.moving().length) {
      this.followDelay = FOLLOW_MIN_MS;
      const waiting = this.waitingOutside();
      if (waiting.length)
        this.followTimer = setTimeout(() => {
          this.waitingAskedAt = this.now();
          void this.load(waiting.map((r) => ({ kind: r.kind, posId: r.posId })));
        }, FOLLOW_BLOCKED_MS);
      return;
    }
    const delay = this.followDelay;
    this.followDelay = Math.min(this.followDelay * 2, FOLLOW_MAX_MS);
    this.followTimer = setTimeout(() => {
      // the blocked ones ride along at their own slow pace, in the same request
      const due = this.now() - this.waitingAskedAt >= FOLLOW_BLOCKED_MS;
      const refs = due ? [...this.moving(), ...this.waitingOutside()] : this.moving();
      if (due) this.waitingAskedAt = this.now();
      void this.load(refs.map((r) => ({ kind: r.kind, posId: r.posId })));
    }, delay);
  }
}
