import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import { ANNOUNCE_GATHER_MS } from "../../extension/components/announcer";
import { runFeatures } from "../../extension/content/run";
import { LOADING_AFTER_MS, SETTLE_WAIT_MS } from "../../extension/content/visible-first";
import { FEATURES } from "../../extension/features";
import {
  deepActive,
  fakeBackground,
  inShadow,
  labelOf,
  mounts,
  openPopover,
  REPLICA,
  settle,
  showFixture,
  status,
  type FakeBackground,
} from "./helpers";

/**
 * The badges as a person meets them (issue 17 items 4–5, issue 18 item 1): a few words in the row,
 * details in a keyboard-operable popover, every document linked, the grey rows' way to backfill,
 * reasons in plain words of the page's language, one live region, and rows drawn where the person
 * looks first.
 */

const closureBadges = FEATURES.filter((f) => f.id === "closure-badges");
let life: AbortController;

function run(url: string, bg: FakeBackground) {
  runFeatures({
    features: closureBadges,
    signal: life.signal,
    url: () => url,
    onNavigate: () => undefined,
    messenger: bg.messenger,
    log: () => undefined,
  });
}

beforeEach(() => {
  life = new AbortController();
  document.body.innerHTML = "";
});
afterEach(() => {
  life.abort();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const inactive = (ref: ObjectRef): ObjectStatus =>
  status(ref, {
    state: "blocked",
    reason: {
      code: "qbo_invalid_reference",
      message: "Something mapped is inactive or deleted in QuickBooks Online: Invalid Reference Id …",
      action: "a",
      detail:
        "Invalid Reference Id: Invalid Reference Id : Account assigned to this transaction has been deleted [2500]",
      fixAt: "mappings",
    },
  });

const postedTwice = (ref: ObjectRef): ObjectStatus =>
  status(ref, {
    state: "posted",
    docs: [
      { part: "sales", entity: "SalesReceipt", id: "101", docNumber: "Z10-R1", url: "https://qbo.example/sr/101" },
      { part: "payments", entity: "JournalEntry", id: "102", docNumber: "Z10-R1-P", url: "https://qbo.example/je/102" },
    ],
  });

async function page(statusOf: (ref: ObjectRef) => ObjectStatus, lang: "en" | "fr" = "en", extra = {}) {
  showFixture("closures-list.html");
  const bg = fakeBackground({ statusOf, on: { prefs: () => ({ lang, signedIn: true }), ...extra } });
  run(`${REPLICA}/register/closures`, bg);
  await settle();
  return bg;
}

describe("the popover", () => {
  it("is a dialog named by its title, opened from a chip that says it has one; Escape closes it and focus goes back", async () => {
    await page(postedTwice);
    const badge = inShadow("tillbridge-badge")[0]!;
    const chip = badge.querySelector("button")!;
    expect(chip.getAttribute("aria-haspopup")).toBe("dialog");
    expect(chip.getAttribute("aria-expanded")).toBe("false");
    chip.focus();
    const pop = openPopover(badge);
    expect(chip.getAttribute("aria-expanded")).toBe("true");
    expect(pop.getAttribute("role")).toBe("dialog");
    const title = (badge.getRootNode() as ShadowRoot).getElementById(pop.getAttribute("aria-labelledby")!)!;
    expect(title.textContent).toBe("In QuickBooks Online");
    expect(deepActive()).toBe(title); // focus moves into it
    expect(pop.hidden).toBe(false);

    title.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, composed: true }));
    expect(pop.hidden).toBe(true);
    expect(chip.getAttribute("aria-expanded")).toBe("false");
    expect(deepActive()).toBe(chip);
    expect(pop.textContent).toBe(""); // closed popovers hold nothing

    openPopover(badge);
    (pop.querySelector('[data-testid="tillbridge-close"]') as HTMLElement).click();
    expect(pop.hidden).toBe(true);
    expect(deepActive()).toBe(chip);
    expect(pop.querySelector('[data-testid="tillbridge-close"]')).toBeNull();
  });

  it("opens one at a time, and a second click on the chip closes it", async () => {
    await page(postedTwice);
    const [a, b] = inShadow("tillbridge-badge");
    const popA = openPopover(a!);
    const popB = openPopover(b!);
    expect(popA.hidden).toBe(true);
    expect(popB.hidden).toBe(false);
    b!.querySelector("button")!.click();
    expect(popB.hidden).toBe(true);
  });

  it("links every document a posted closure became: its sales receipt and its journal entry", async () => {
    await page(postedTwice);
    const pop = openPopover(inShadow("tillbridge-badge")[0]!);
    const links = [...pop.querySelectorAll<HTMLAnchorElement>('[data-testid="tillbridge-view"]')];
    expect(links.map((a) => [a.textContent, a.href, a.target, a.rel])).toEqual([
      ["Sales receipt Z10-R1 (opens in a new tab)", "https://qbo.example/sr/101", "_blank", "noopener noreferrer"],
      ["Journal entry Z10-R1-P (opens in a new tab)", "https://qbo.example/je/102", "_blank", "noopener noreferrer"],
    ]);
  });

  it("offers a grey historical row Backfill from here, opening the settings' backfill at the row's day", async () => {
    const bg = await page((ref) => status(ref, { state: "unknown" }));
    const badge = inShadow("tillbridge-badge")[3]!;
    expect(labelOf(badge)).toBe("Not sent yet");
    const pop = openPopover(badge);
    expect(pop.textContent).toContain("Days before that can be backfilled.");
    pop.querySelector<HTMLElement>('[data-testid="tillbridge-backfill"]')!.click();
    // the 4th row of the list closed on Oct 9, 2026 (its Closing time column)
    expect(bg.calls.filter((c) => c.type === "openOptions").map((c) => c.payload)).toEqual([
      { section: "backfill", backfillFrom: "2026-10-09" },
    ]);
  });

  it("says an inactive account in plain words; QBO's own text only under Details", async () => {
    await page(inactive);
    const badge = inShadow("tillbridge-badge")[0]!;
    expect(labelOf(badge)).toBe("Needs a fix");
    const pop = openPopover(badge);
    expect(pop.querySelector('[data-testid="tillbridge-reason"]')!.textContent).toBe(
      "Something mapped is inactive or deleted in QuickBooks Online.",
    );
    const details = pop.querySelector("details")!;
    expect(details.querySelector("summary")!.textContent).toBe("Details");
    expect(details.querySelector("pre")!.textContent).toContain("[2500]");
    const outside = pop.textContent!.replace(details.textContent!, "");
    expect(outside).not.toContain("Invalid Reference");
  });

  it("keeps a French page French: no English detail outside Details, names kept", async () => {
    await page(
      (ref) =>
        status(ref, {
          state: "blocked",
          reason: {
            code: "needs_mapping",
            message: "payment type 'Afterpay' is not mapped.",
            action: "a",
            detail: "payment type 'Afterpay'",
          },
        }),
      "fr",
    );
    const badge = inShadow("tillbridge-badge")[0]!;
    expect(labelOf(badge)).toBe("À corriger");
    const pop = openPopover(badge);
    expect(pop.querySelector('[data-testid="tillbridge-reason"]')!.textContent).toBe(
      "Aucune correspondance n'est choisie pour « Afterpay ».",
    );
    expect(pop.querySelector('[data-testid="tillbridge-retry"]')!.textContent).toBe("Réessayer maintenant");
    const details = pop.querySelector("details")!;
    expect(details.querySelector("summary")!.textContent).toBe("Détails");
    expect(pop.textContent!.replace(details.textContent!, "")).not.toMatch(/payment type|Payment|mapped|Retry/);
  });

  it("keeps the focus in the popover when the pressed button goes away (a retry that queued it)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await page(inactive, "en", {
      retry: async (p: { object: ObjectRef }) => {
        await gate;
        return { object: status(p.object, { state: "ready" }) };
      },
    });
    const pop = openPopover(inShadow("tillbridge-badge")[0]!);
    const retry = pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-retry"]')!;
    retry.focus();
    retry.click();
    await settle();
    expect(retry.getAttribute("aria-disabled")).toBe("true"); // busy, still focusable
    expect(retry.textContent).toBe("Retrying…");
    expect(deepActive()).toBe(retry);
    release();
    await settle();
    expect(pop.querySelector('[data-testid="tillbridge-retry"]')).toBeNull();
    expect(deepActive()).toBe(pop.querySelector('[data-testid="tillbridge-pop-title"]'));
    expect(pop.textContent).toContain("Queued for QuickBooks Online");
  });
});

describe("check now", () => {
  const failed = (ref: ObjectRef): ObjectStatus =>
    status(ref, {
      state: "failed",
      nextTryAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      reason: { code: "qbo_transient", message: "QuickBooks Online is not answering.", action: "a" },
    });
  const rejected = (ref: ObjectRef): ObjectStatus =>
    status(ref, {
      state: "rejected",
      reason: { code: "qbo_validation", message: "QuickBooks Online refused it.", action: "a", detail: "x" },
    });
  const asked = (bg: FakeBackground, posId: string) =>
    bg.calls.filter((c) => c.type === "status" && (c.payload.objects as ObjectRef[]).some((o) => o.posId === posId))
      .length;

  it("asks the state again at once from a blocked badge, and the badge follows the answer", async () => {
    let fixedInQbo = false;
    const bg = await page((ref) => (fixedInQbo ? postedTwice(ref) : inactive(ref)));
    const badge = inShadow("tillbridge-badge")[0]!;
    const pop = openPopover(badge);
    const posId = bg.calls.flatMap((c) => (c.type === "status" ? (c.payload.objects as ObjectRef[]) : []))[0]!.posId;
    const check = pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-check"]')!;
    expect(check.textContent).toBe("Check now");
    // retry stays beside it
    expect(pop.querySelector('[data-testid="tillbridge-retry"]')!.textContent).toBe("Retry now");
    const before = asked(bg, posId);

    // not fixed yet: asked once more, and the popover says nothing changed
    check.focus();
    check.click();
    await settle();
    expect(asked(bg, posId)).toBe(before + 1);
    expect(pop.querySelector('[data-testid="tillbridge-checked"]')!.textContent).toBe(
      "Checked just now: no change yet.",
    );
    expect(labelOf(badge)).toBe("Needs a fix");
    expect(deepActive()).toBe(pop.querySelector('[data-testid="tillbridge-check"]'));

    // fixed in QBO: the next check finds it posted
    fixedInQbo = true;
    pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-check"]')!.click();
    await settle();
    expect(asked(bg, posId)).toBe(before + 2);
    expect(labelOf(badge)).toBe("In QuickBooks Online");
    expect(pop.querySelector('[data-testid="tillbridge-check"]')).toBeNull();
    expect(pop.querySelectorAll('[data-testid="tillbridge-view"]')).toHaveLength(2);
  });

  it("is offered in French on a failed badge, and not on a refused one (retry is its way)", async () => {
    await page(failed, "fr");
    const pop = openPopover(inShadow("tillbridge-badge")[0]!);
    expect(pop.querySelector('[data-testid="tillbridge-check"]')!.textContent).toBe("Vérifier maintenant");
    expect(pop.querySelector('[data-testid="tillbridge-retry"]')).not.toBeNull();
    life.abort();
    life = new AbortController();
    document.body.innerHTML = "";
    await page(rejected);
    const refused = openPopover(inShadow("tillbridge-badge")[0]!);
    expect(refused.querySelector('[data-testid="tillbridge-check"]')).toBeNull();
    expect(refused.querySelector('[data-testid="tillbridge-retry"]')).not.toBeNull();
  });
});

describe("the live region", () => {
  it("says nothing on the first drawing, then changes once for all rows that changed together", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let settled = false;
    showFixture("closures-list.html");
    const bg = fakeBackground({
      statusOf: (ref) => status(ref, { state: settled ? "posted" : "posting" }),
    });
    run(`${REPLICA}/register/closures`, bg);
    await vi.advanceTimersByTimeAsync(0);
    expect(mounts("live")).toHaveLength(0);
    settled = true;
    await vi.advanceTimersByTimeAsync(1_000 + ANNOUNCE_GATHER_MS);
    const live = inShadow("tillbridge-live");
    expect(live).toHaveLength(1);
    expect(live[0]!.getAttribute("role")).toBe("status");
    expect(live[0]!.textContent?.trim()).toBe("Posted (25)");
  });

  it("names the one row an action changed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    showFixture("closures-list.html");
    const bg = fakeBackground({
      statusOf: inactive,
      on: { retry: (p: { object: ObjectRef }) => ({ object: status(p.object, { state: "ready" }) }) },
    });
    run(`${REPLICA}/register/closures`, bg);
    await vi.advanceTimersByTimeAsync(0);
    openPopover(inShadow("tillbridge-badge")[0]!)
      .querySelector<HTMLElement>('[data-testid="tillbridge-retry"]')!
      .click();
    await vi.advanceTimersByTimeAsync(ANNOUNCE_GATHER_MS);
    expect(inShadow("tillbridge-live")[0]!.textContent?.trim()).toBe("closure Caisse 1 #10: Queued");
  });
});

describe("drawing a long page", () => {
  it("shows the rows in view as checking when their state is slow to come", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    let report: ((entries: Partial<IntersectionObserverEntry>[]) => void) | undefined;
    const observed: Element[] = [];
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        constructor(cb: (entries: Partial<IntersectionObserverEntry>[]) => void) {
          report = cb;
        }
        observe(el: Element) {
          observed.push(el);
        }
        unobserve() {}
        disconnect() {}
      },
    );
    showFixture("closures-list.html");
    const bg = fakeBackground({ on: { status: () => new Promise(() => undefined) } }); // never answers
    run(`${REPLICA}/register/closures`, bg);
    await vi.advanceTimersByTimeAsync(0);
    report!(observed.map((target, i) => ({ target, isIntersecting: i < 2 })));
    expect(mounts("badge")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(LOADING_AFTER_MS);
    expect(inShadow("tillbridge-badge").map((b) => [b.dataset.state, labelOf(b)])).toEqual([
      ["loading", "Checking…"],
      ["loading", "Checking…"],
    ]);
    await vi.advanceTimersByTimeAsync(SETTLE_WAIT_MS); // the others' wait is over: drawn anyway
    expect(mounts("badge")).toHaveLength(25);
  });

  it("draws the rows in view as soon as their state is known, the others in idle time, all from one shared stylesheet", async () => {
    const observed: Element[] = [];
    let report: ((entries: Partial<IntersectionObserverEntry>[]) => void) | undefined;
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        constructor(cb: (entries: Partial<IntersectionObserverEntry>[]) => void) {
          report = cb;
        }
        observe(el: Element) {
          observed.push(el);
        }
        unobserve() {}
        disconnect() {}
      },
    );
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    showFixture("closures-list.html");
    const bg = fakeBackground({
      on: {
        status: async (p: { objects: ObjectRef[] }) => {
          await answered;
          return { objects: p.objects.map((o) => status(o, { state: "posted" })) };
        },
      },
    });
    run(`${REPLICA}/register/closures`, bg);
    await settle();
    expect(observed).toHaveLength(25);
    report!(observed.map((target, i) => ({ target, isIntersecting: i < 3 })));
    expect(mounts("badge")).toHaveLength(0); // in view, but waiting for its state: written once, final
    answer();
    for (let i = 0; i < 20; i++) await Promise.resolve(); // the answer arrives; no timer (idle time) has run
    expect(mounts("badge")).toHaveLength(3);
    expect(inShadow("tillbridge-badge").map((b) => b.dataset.state)).toEqual(["posted", "posted", "posted"]);
    await settle(); // idle time
    expect(mounts("badge")).toHaveLength(25);
    expect(inShadow("tillbridge-badge").every((b) => b.dataset.state === "posted")).toBe(true);
    const sheets = new Set(mounts("badge").map((m) => m.root.adoptedStyleSheets[0]));
    expect(sheets.size).toBe(1);
    expect([...sheets][0]).toBeInstanceOf(CSSStyleSheet);
  });
});
