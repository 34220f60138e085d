import { createPortal, render } from "preact";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import { type Entry, keyOf, type StatusStore } from "../content/status-store";
import type { PagePrefs } from "../features/feature";
import { VisibleFirst } from "../content/visible-first";
import type { ErrorBody, Section } from "../messaging";
import { Announcer } from "./announcer";
import { type ChipView, chipView, liveWords, type RowActivity, type ViewContext } from "./badge-view";
import { type Chip, createChip, paintChip, type Place, placeChip } from "./chip";
import { Popover, type PopoverActions } from "./Popover";
import { reasonView } from "./reason";

/**
 * A page's badges (issue 18.1): one row chip each, plain DOM painted from the page's status store,
 * drawn visible rows first and the rest in idle time (VisibleFirst), and ONE Preact tree for the
 * page — the open popover, portalled into its row's shadow root, so it sits in the row's tab order
 * while the Popover API lifts it into the top layer (never widening the row). State changes are said
 * once through the page's live region (Announcer).
 */

export interface BadgeRow {
  object: ObjectRef;
  place: Place;
  /** The row's name for screen readers and announcements ("Caisse 1 #10") */
  name?: string | undefined;
  /** The row's business day (YYYY-MM-DD): where "Backfill from here" starts */
  date?: string | undefined;
  /** A purchase order not sent yet: the chip is a Send button */
  sendable?: boolean;
}

export interface BoardDeps {
  status: StatusStore;
  /** Nothing is drawn before the words are known */
  prefs: Promise<PagePrefs>;
  send(ref: ObjectRef): Promise<ObjectStatus>;
  retry(ref: ObjectRef): Promise<ObjectStatus>;
  resolve(ref: ObjectRef): Promise<{ object: ObjectStatus; txnDate: string | null }>;
  openOptions(section: Section, params?: { backfillFrom?: string }): void;
}

interface Row {
  key: string;
  spec: BadgeRow;
  who?: string | undefined;
  chip?: Chip;
  /** The pointer went down on the chip while its popover was open (light dismiss will close it) */
  wasOpen?: boolean;
}

const errorBody = (e: unknown): ErrorBody =>
  e && typeof e === "object" && "body" in e
    ? (e as { body: ErrorBody }).body
    : { code: "internal", message: String(e), action: "" };

export class BadgeBoard {
  private readonly rows = new Map<string, Row[]>();
  private readonly activity = new Map<string, RowActivity>();
  private readonly last = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private painting = false;
  private open: Row | null = null;
  /** The page's one Preact root: never in the page itself, it only holds the portal */
  private readonly tree = document.createElement("div");
  private readonly live: Announcer;
  private readonly drawing: VisibleFirst<Row>;
  private placing = 0;
  /** The page's words and session, once the background has told them */
  private prefs: PagePrefs | undefined;

  constructor(
    private readonly deps: BoardDeps,
    private readonly signal: AbortSignal,
  ) {
    this.live = new Announcer((...a) => this.vc.t(...a), signal);
    this.drawing = new VisibleFirst((rows) => this.draw(rows), {
      anchorOf,
      ready: () => !!this.prefs,
      settled: (row) => {
        const entry = deps.status.entry(row.key);
        return !!entry && !("loading" in entry);
      },
      signal,
    });
    void deps.prefs.then((prefs) => {
      this.prefs = prefs;
      for (const rows of this.rows.values()) for (const row of rows) row.who = this.who(row.spec);
      this.drawing.poke();
    });
    const unlisten = deps.status.listen((key, entry) => {
      if (this.rows.has(key)) this.changed(key, entry);
    });
    signal.addEventListener(
      "abort",
      () => {
        unlisten();
        this.teardown();
      },
      { once: true },
    );
  }

  private get vc(): Omit<ViewContext, "sendable"> {
    const p = this.prefs ?? { t: (key: string) => key, lang: "en" as const, signedIn: false };
    return { t: p.t as PagePrefs["t"], lang: p.lang, signedIn: p.signedIn };
  }

  /** Rows found by a feature (read from the page already): they are drawn as the page allows. */
  add(specs: BadgeRow[]): void {
    if (this.signal.aborted) return;
    const fresh: Row[] = [];
    for (const spec of specs) {
      const key = keyOf(spec.object);
      let rows = this.rows.get(key);
      if (!rows) {
        rows = [];
        this.rows.set(key, rows);
        const known = this.deps.status.entry(key);
        if (known) this.changed(key, known);
      }
      // rows the back office re-rendered away are forgotten
      const kept = rows.filter((r) => (r.chip ? r.chip.host.isConnected : anchorOf(r).isConnected));
      const row: Row = { key, spec, who: this.who(spec) };
      kept.push(row);
      this.rows.set(key, kept);
      fresh.push(row);
    }
    this.drawing.add(fresh);
  }

  private who(spec: BadgeRow): string | undefined {
    const { kind } = spec.object;
    if (!spec.name || !this.prefs) return undefined;
    return kind === "closure" || kind === "purchase_order" || kind === "sale"
      ? this.prefs.t(`chip.object.${kind}`, { name: spec.name })
      : spec.name;
  }

  private viewOf(row: Row): ChipView {
    const entry = this.deps.status.entry(row.key);
    return chipView(entry, this.activity.get(row.key) ?? {}, { ...this.vc, sendable: !!row.spec.sendable });
  }

  /** Builds and places rows' chips: everything is built first, then put in the page (writes only). */
  private draw(rows: Row[]): void {
    if (this.signal.aborted) return;
    for (const row of rows) {
      const chip = createChip(row.spec.object, row.who);
      paintChip(chip, this.viewOf(row));
      chip.shadow.addEventListener("click", (e) => this.clicked(row, e));
      chip.shadow.addEventListener("pointerdown", (e) => {
        row.wasOpen = this.open === row && (e.target as Element | null)?.closest("button") === chip.button;
      });
      chip.shadow.addEventListener("keydown", (e) => this.keyed(row, e as KeyboardEvent));
      row.chip = chip;
    }
    for (const row of rows) if (row.chip) placeChip(row.chip, row.spec.place);
  }

  /** A state arrived or changed: repaint (batched), say it if it is news, refresh the open popover. */
  private changed(key: string, entry: Entry): void {
    const before = this.last.get(key);
    this.last.set(key, entry);
    if (before && "status" in before && "status" in entry && before.status.state !== entry.status.state) {
      const words = liveWords(entry.status, this.vc);
      if (words) this.live.say(words, this.rows.get(key)?.[0]?.who);
      const activity = this.activity.get(key);
      if (activity?.checked) this.activity.set(key, { ...activity, checked: false });
    }
    this.dirty.add(key);
    if (!this.painting) {
      this.painting = true;
      queueMicrotask(() => this.paint());
    }
  }

  private paint(): void {
    this.painting = false;
    if (this.signal.aborted) return;
    let openChanged = false;
    for (const key of this.dirty) {
      for (const row of this.rows.get(key) ?? []) if (row.chip) paintChip(row.chip, this.viewOf(row));
      if (this.open?.key === key) openChanged = true;
    }
    this.dirty.clear();
    this.drawing.poke();
    if (openChanged) this.renderTree();
  }

  private setActivity(key: string, change: Partial<RowActivity>): void {
    this.activity.set(key, { ...this.activity.get(key), ...change });
    this.changedActivity(key);
  }

  private changedActivity(key: string): void {
    const entry = this.last.get(key);
    if (entry) this.changed(key, entry);
    else {
      this.dirty.add(key);
      this.paint();
    }
  }

  // --- the person's actions ---------------------------------------------------------------------

  private clicked(row: Row, e: Event): void {
    const chip = row.chip;
    if (!chip) return;
    e.stopPropagation(); // the back office's own row handlers never see our clicks
    const wasOpen = row.wasOpen;
    row.wasOpen = false;
    const target = e.target as Element | null;
    if (!target || target.closest("button") !== chip.button) return;
    e.preventDefault();
    if ((chip.painted?.control ?? "chip") === "send") return void this.send(row);
    // a click on the chip of an open popover closes it (the pointer's light dismiss may have already)
    if (this.open === row || wasOpen) this.close(row, false);
    else this.show(row);
  }

  private keyed(row: Row, e: KeyboardEvent): void {
    if (e.key !== "Escape" || this.open !== row) return;
    e.preventDefault();
    e.stopPropagation();
    this.close(row, true);
  }

  /** Runs an action once at a time per object; the focus stays where the person left it. */
  private async act(row: Row, busy: RowActivity["busy"], call: () => Promise<void>): Promise<void> {
    if (this.activity.get(row.key)?.busy) return;
    this.live.prime();
    this.setActivity(row.key, {
      busy,
      actionError: undefined,
      checked: false,
      ...(busy === "sending" ? { sendError: undefined } : {}),
    });
    const focusInPop = this.focusIn(row);
    try {
      await call();
    } catch (e) {
      const error = errorBody(e);
      const { t, lang } = this.vc;
      this.live.say(t("live.failed", { reason: reasonView(error, lang, t).message }), row.who);
      this.setActivity(row.key, busy === "sending" ? { sendError: error } : { actionError: error });
    } finally {
      this.setActivity(row.key, { busy: undefined });
      this.renderTree();
      // the button that was pressed may be gone (the state moved on): keep focus in the popover
      if (focusInPop && !this.focusIn(row)) this.focusTitle(row);
    }
  }

  private send(row: Row): Promise<void> {
    return this.act(row, "sending", async () => this.deps.status.set(await this.deps.send(row.spec.object)));
  }

  private retry(row: Row): Promise<void> {
    return this.act(row, "retrying", async () => this.deps.status.set(await this.deps.retry(row.spec.object)));
  }

  /** "Check now": the state asked again at once; the popover says so when nothing changed yet. */
  private check(row: Row): Promise<void> {
    return this.act(row, "checking", async () => {
      const before = this.deps.status.get(row.spec.object);
      await this.deps.status.refresh([row.spec.object]);
      const after = this.deps.status.get(row.spec.object);
      const same =
        before && after && "status" in before && "status" in after && before.status.state === after.status.state;
      this.activity.set(row.key, { ...this.activity.get(row.key), checked: !!same });
    });
  }

  private resolve(row: Row): Promise<void> {
    return this.act(row, "resolving", async () => {
      const { object, txnDate } = await this.deps.resolve(row.spec.object);
      if (txnDate) this.activity.set(row.key, { ...this.activity.get(row.key), openDay: txnDate });
      this.deps.status.set(object);
    });
  }

  /** The question before a first-open-day posting: focus goes to its answer, and back when withdrawn. */
  private ask(row: Row, asking: boolean): void {
    this.activity.set(row.key, { ...this.activity.get(row.key), asking });
    this.renderTree();
    const target = asking ? "tillbridge-open-period-confirm" : "tillbridge-open-period";
    row.chip?.pop?.querySelector<HTMLElement>(`[data-testid="${target}"]`)?.focus();
  }

  private actions(row: Row): PopoverActions {
    return {
      close: () => this.close(row, true),
      retry: () => void this.retry(row),
      check: () => void this.check(row),
      send: () => void this.send(row),
      resolve: () => void this.resolve(row),
      ask: (asking) => this.ask(row, asking),
      fix: (section) => this.deps.openOptions(section),
      backfill: (date) => this.deps.openOptions("backfill", date ? { backfillFrom: date } : {}),
    };
  }

  // --- the popover ------------------------------------------------------------------------------

  private popOf(row: Row, chip: Chip): HTMLElement {
    if (chip.pop) return chip.pop;
    const pop = document.createElement("div");
    pop.className = "tb-pop";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-labelledby", "tb-title");
    pop.dataset.testid = "tillbridge-popover";
    if (canPop(pop)) {
      pop.setAttribute("popover", "auto");
      pop.addEventListener("toggle", (e) => this.toggled(row, e as ToggleEvent), { signal: this.signal });
    } else pop.hidden = true;
    chip.wrap.append(pop);
    chip.pop = pop;
    return pop;
  }

  private show(row: Row): void {
    const chip = row.chip;
    if (!chip) return;
    if (this.open) this.close(this.open, false);
    this.open = row;
    this.live.prime();
    const pop = this.popOf(row, chip);
    chip.button.setAttribute("aria-expanded", "true");
    this.renderTree();
    if (canPop(pop)) pop.showPopover();
    else pop.hidden = false;
    this.position(row);
    this.follow(true);
    this.focusTitle(row);
  }

  /** The browser closed it (light dismiss, Escape): follow, giving focus back only if it was inside. */
  private toggled(row: Row, e: ToggleEvent): void {
    if (e.newState === "closed" && this.open === row) this.close(row, this.focusIn(row));
  }

  private close(row: Row, refocus: boolean): void {
    if (this.open !== row) return;
    const chip = row.chip;
    const wasInside = this.focusIn(row);
    this.open = null;
    this.follow(false);
    if (this.activity.get(row.key)?.asking)
      this.activity.set(row.key, { ...this.activity.get(row.key), asking: false });
    if (chip?.pop) {
      if (canPop(chip.pop)) {
        if (chip.pop.matches(":popover-open")) chip.pop.hidePopover();
      } else chip.pop.hidden = true;
    }
    chip?.button.setAttribute("aria-expanded", "false");
    this.renderTree();
    if ((refocus || wasInside) && chip) chip.button.focus();
  }

  private renderTree(): void {
    if (this.signal.aborted) return;
    const row = this.open;
    const pop = row?.chip?.pop;
    if (!row || !pop) return void render(null, this.tree);
    const entry = this.deps.status.entry(row.key);
    render(
      createPortal(
        <Popover
          key={row.key}
          titleId="tb-title"
          view={this.viewOf(row)}
          entry={entry}
          activity={this.activity.get(row.key) ?? {}}
          row={{ object: row.spec.object, who: row.who, date: row.spec.date }}
          vc={{ ...this.vc, sendable: !!row.spec.sendable }}
          on={this.actions(row)}
        />,
        pop,
      ),
      this.tree,
    );
  }

  private focusIn(row: Row): boolean {
    const active = row.chip?.shadow.activeElement;
    return !!active && !!row.chip?.pop?.contains(active);
  }

  private focusTitle(row: Row): void {
    row.chip?.pop?.querySelector<HTMLElement>(".tb-title")?.focus();
  }

  /** Beside its chip, below it or above when the viewport has no room: one read, then the writes. */
  private position(row: Row): void {
    const chip = row.chip;
    const pop = chip?.pop;
    if (!chip || !pop) return;
    const at = chip.button.getBoundingClientRect();
    const width = pop.offsetWidth;
    const height = pop.offsetHeight;
    const below = at.bottom + 6;
    const top = below + height > innerHeight - 8 && at.top - 6 - height >= 8 ? at.top - 6 - height : below;
    const left = Math.max(8, Math.min(at.left, innerWidth - width - 8));
    pop.style.top = `${Math.max(8, top)}px`;
    pop.style.left = `${left}px`;
  }

  private readonly reposition = () => {
    if (this.placing) return;
    this.placing = requestAnimationFrame(() => {
      this.placing = 0;
      if (this.open) this.position(this.open);
    });
  };

  /** While a popover is open it follows its chip through scrolling and resizing. */
  private follow(on: boolean): void {
    if (on) {
      addEventListener("scroll", this.reposition, { capture: true, passive: true, signal: this.signal });
      addEventListener("resize", this.reposition, { passive: true, signal: this.signal });
    } else {
      removeEventListener("scroll", this.reposition, { capture: true });
      removeEventListener("resize", this.reposition);
    }
  }

  private teardown(): void {
    render(null, this.tree);
    for (const rows of this.rows.values()) for (const row of rows) row.chip?.host.remove();
    this.rows.clear();
  }
}

const anchorOf = (row: Row) => ("after" in row.spec.place ? row.spec.place.after : row.spec.place.append);

/** Whether the Popover API (top layer, light dismiss) is there; without it the popover is a fixed box. */
const canPop = (el: HTMLElement) => typeof el.showPopover === "function" && typeof el.hidePopover === "function";
