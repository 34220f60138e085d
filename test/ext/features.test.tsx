import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ObjectRef } from "../../shared/sync";
import { runFeatures } from "../../extension/content/run";
import { FEATURES } from "../../extension/features";
import type { Feature } from "../../extension/features/feature";
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

const feature = (id: string) => FEATURES.find((f) => f.id === id)!;

let life: AbortController;
let navigate: ((url: string) => void) | undefined;

function run(url: string, bg: FakeBackground, features: Feature[] = [...FEATURES]) {
  return runFeatures({
    features,
    signal: life.signal,
    url: () => url,
    onNavigate: (cb) => {
      navigate = cb;
    },
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
});

const statusCalls = (bg: FakeBackground) => bg.calls.filter((c) => c.type === "status");

describe("the feature registry", () => {
  it("registers every file in extension/features as a feature named after the file", () => {
    expect(FEATURES.map((f) => f.id)).toEqual([
      "adjustment-badges",
      "closure-badges",
      "closure-counted-totals",
      "purchase-order-send",
      "sale-badges",
      "stocktake-send",
    ]);
    for (const f of FEATURES) {
      expect(typeof f.include).toBe("function");
      expect(typeof f.init).toBe("function");
    }
  });
});

describe("closure-badges", () => {
  const posted = (ref: ObjectRef) =>
    status(ref, {
      state: "posted",
      docs: [
        {
          part: "sales",
          entity: "SalesReceipt",
          id: "101",
          docNumber: "Z12-R1-7KQ2",
          url: `https://qbo.example/app/salesreceipt?txnId=101`,
        },
      ],
    });

  it("asks once for every row and draws a short status per row, the reason and links in its popover", async () => {
    showFixture("closures-list.html");
    const tones: Record<number, (ref: ObjectRef) => ReturnType<typeof status>> = {
      0: posted,
      1: (ref) =>
        status(ref, {
          state: "blocked",
          reason: {
            code: "needs_mapping",
            message: "x",
            action: "y",
            detail: "payment type 'Afterpay'",
            fixAt: "mappings",
          },
        }),
      2: (ref) => status(ref, { state: "posting" }),
    };
    let i = 0;
    const bg = fakeBackground({ statusOf: (ref) => (tones[i++] ?? posted)(ref) });
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await settle();

    expect(statusCalls(bg)).toHaveLength(1);
    expect((statusCalls(bg)[0]!.payload.objects as ObjectRef[]).length).toBe(25);
    const badges = inShadow("tillbridge-badge");
    expect(badges).toHaveLength(25);
    expect(badges[0]!.dataset).toMatchObject({ tone: "green", state: "posted" });
    expect(labelOf(badges[0]!)).toBe("In QuickBooks Online");
    // the row carries a few words only: the reason and the links wait in the popover
    expect(badges[1]!.dataset).toMatchObject({ tone: "red", state: "blocked" });
    expect(labelOf(badges[1]!)).toBe("Needs a fix");
    expect(badges[1]!.textContent).not.toContain("Afterpay");
    expect(badges[2]!.dataset).toMatchObject({ tone: "grey", state: "posting" });
    expect(badges[2]!.querySelector(".tb-spin")).not.toBeNull();
    expect(labelOf(badges[2]!)).toBe("Sending…");

    const view = openPopover(badges[0]!).querySelector<HTMLAnchorElement>('[data-testid="tillbridge-view"]')!;
    expect(view.href).toBe("https://qbo.example/app/salesreceipt?txnId=101");
    const pop = openPopover(badges[1]!);
    expect(pop.textContent).toContain("Payment type 'Afterpay' is not mapped.");
    expect(pop.textContent).toContain("Map it in Tillbridge settings");
    // The badge sits right after the row's link, the row itself untouched; screen readers hear its row.
    const firstLink = document.querySelector('a[href*="/register/closure/summary/"]')!;
    expect(firstLink.nextElementSibling?.getAttribute("data-tillbridge")).toBe("badge");
    expect(badges[0]!.querySelector("button")!.textContent).toBe("In QuickBooks Online — closure Caisse 1 #10");
  });

  it("retries a red badge from its popover and links to the settings section that fixes it", async () => {
    showFixture("closures-list.html");
    const blocked = (ref: ObjectRef) =>
      status(ref, {
        state: "blocked",
        reason: {
          code: "needs_mapping",
          message: "m",
          action: "a",
          detail: "payment type 'Afterpay'",
          fixAt: "mappings",
        },
      });
    const bg = fakeBackground({
      statusOf: blocked,
      on: { retry: (p: { object: ObjectRef }) => ({ object: status(p.object, { state: "ready" }) }) },
    });
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await settle();
    const pop = openPopover(inShadow("tillbridge-badge")[0]!);
    pop.querySelector<HTMLElement>('[data-testid="tillbridge-fix"]')!.click();
    const retry = pop.querySelector<HTMLElement>('[data-testid="tillbridge-retry"]')!;
    retry.click();
    retry.click(); // a double click asks once
    await settle();
    expect(bg.calls.filter((c) => c.type === "openOptions").map((c) => c.payload)).toEqual([{ section: "mappings" }]);
    const retries = bg.calls.filter((c) => c.type === "retry");
    expect(retries).toHaveLength(1);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("ready");
  });

  it("asks before posting a closure blocked by a closed period on the first open day, once on a double click, then shows the date used (EN and FR)", async () => {
    for (const lang of ["en", "fr"] as const) {
      document.body.innerHTML = "";
      showFixture("closures-list.html");
      let chosen = false;
      const closed = (ref: ObjectRef) =>
        chosen
          ? status(ref, { state: "posted", openDay: "2026-11-01", docs: [] })
          : status(ref, {
              state: "blocked",
              reason: { code: "closed_period", message: "m", action: "a", detail: "2026-10-31", fixAt: "closures" },
            });
      const bg = fakeBackground({
        statusOf: closed,
        on: {
          prefs: () => ({ lang, signedIn: true }),
          resolve: (p: { object: ObjectRef }) => {
            chosen = true;
            return { object: status(p.object, { state: "ready" }), txnDate: "2026-11-01" };
          },
        },
      });
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
      await vi.advanceTimersByTimeAsync(0);
      const badge = inShadow("tillbridge-badge")[0]!;
      expect(labelOf(badge)).toBe(lang === "en" ? "Books closed" : "Période fermée");
      const pop = openPopover(badge);
      expect(pop.textContent).toContain(
        lang === "en"
          ? "The books are closed on 2026-10-31 in QuickBooks Online."
          : "Les livres sont fermés au 2026-10-31",
      );
      // the choice replaces the settings link: nothing in Tillbridge's settings reopens QBO's books
      expect(pop.querySelector('[data-testid="tillbridge-fix"]')).toBeNull();
      const choose = pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-open-period"]')!;
      expect(choose.textContent).toBe(
        lang === "en" ? "Post on the first open day…" : "Comptabiliser au premier jour ouvert…",
      );
      choose.click();
      await vi.advanceTimersByTimeAsync(0);
      expect(bg.calls.filter((c) => c.type === "resolve")).toHaveLength(0); // asked first, nothing sent
      const question = pop.querySelector('[data-testid="tillbridge-open-period-question"]')!;
      expect(question.textContent).toContain(lang === "en" ? "Nov 1, 2026" : "1 nov. 2026");
      const yes = pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-open-period-confirm"]')!;
      expect(deepActive()).toBe(yes);
      yes.click();
      yes.click();
      await vi.advanceTimersByTimeAsync(0);
      const resolves = bg.calls.filter((c) => c.type === "resolve");
      expect(resolves).toHaveLength(1);
      expect(resolves[0]!.payload).toMatchObject({ action: "post_in_open_period" });
      expect(bg.calls.filter((c) => c.type === "retry")).toHaveLength(0);
      expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("ready");
      // followed until posted: the green badge says the date it carries
      await vi.advanceTimersByTimeAsync(1_000);
      expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("posted");
      expect(labelOf(inShadow("tillbridge-badge")[0]!)).toBe(
        lang === "en" ? "In QuickBooks Online, dated Nov 1, 2026" : "Dans QuickBooks En ligne, daté du 1 nov. 2026",
      );
      vi.useRealTimers();
      life.abort();
      life = new AbortController();
    }
  });

  it("removes everything it injected when the page's signal aborts, and re-injects on SPA navigation", async () => {
    showFixture("closures-list.html");
    const bg = fakeBackground();
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await settle();
    expect(mounts()).toHaveLength(25);

    // The SPA goes to page 2: the old page's badges go, the new rows get theirs (one request).
    navigate!(`${REPLICA}/register/closures?page=2`);
    showFixture("closures-list-page-2.html");
    await settle();
    expect(mounts()).toHaveLength(5);
    expect(statusCalls(bg)).toHaveLength(2);

    life.abort();
    await settle();
    expect(mounts()).toHaveLength(0);
  });

  it("badges rows the SPA adds later without asking again for ids it knows", async () => {
    showFixture("closures-list.html");
    const bg = fakeBackground();
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await settle();
    const tbody = document.querySelector("tbody")!;
    const copy = tbody.cloneNode(true) as HTMLElement;
    for (const n of copy.querySelectorAll("[data-tillbridge]")) n.remove();
    tbody.replaceWith(copy); // a re-render: same closures, new elements
    await settle();
    expect(mounts()).toHaveLength(25);
    expect(statusCalls(bg)).toHaveLength(1);
  });

  it("on an unknown page layout injects nothing, leaves the page alone and reports the selector", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    document.body.innerHTML = `<main><h2>Register closures, redesigned</h2><div class="grid"><div>Main Register</div></div></main>`;
    const before = document.body.innerHTML;
    const bg = fakeBackground();
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(mounts()).toHaveLength(0);
    expect(document.body.innerHTML).toBe(before);
    const reports = bg.calls.filter((c) => c.type === "selectorReport");
    expect(reports).toHaveLength(1);
    expect(reports[0]!.payload.report).toMatchObject({
      selector: "closureLink",
      feature: "closure-badges",
      path: "/register/closures",
    });
    expect(statusCalls(bg)).toHaveLength(0);
  });

  it("puts one badge in the closure summary's title", async () => {
    showFixture("closure-summary.html");
    const bg = fakeBackground();
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await settle();
    expect(document.querySelector("h1")!.querySelector('[data-tillbridge="badge"]')).not.toBeNull();
    expect(statusCalls(bg)[0]!.payload.objects).toEqual([{ kind: "closure", posId: "c-1" }]);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("unknown");
  });

  it("follows a running job with backoff until it settles, then stops asking", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    showFixture("closure-summary.html");
    const states = ["ready", "posting", "posting", "posted"] as const;
    let n = 0;
    const bg = fakeBackground({ statusOf: (ref) => status(ref, { state: states[Math.min(n++, 3)]! }) });
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("ready");
    await vi.advanceTimersByTimeAsync(1_000); // 1 s
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("posting");
    await vi.advanceTimersByTimeAsync(2_000); // then 2 s
    await vi.advanceTimersByTimeAsync(4_000); // then 4 s
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("posted");
    const asked = statusCalls(bg).length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(statusCalls(bg)).toHaveLength(asked);
  });

  it("asks again now and then about a closure blocked by something fixed in QBO, not one fixed in settings", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    showFixture("closure-summary.html");
    const reason = (code: "qbo_invalid_reference" | "needs_mapping") => ({ code, message: "m", action: "a" });
    let fixed = false;
    const bg = fakeBackground({
      statusOf: (ref) =>
        status(ref, fixed ? { state: "posted" } : { state: "blocked", reason: reason("qbo_invalid_reference") }),
    });
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("blocked");
    const first = statusCalls(bg).length;
    await vi.advanceTimersByTimeAsync(29_000);
    expect(statusCalls(bg)).toHaveLength(first); // slowly: a blocked item is not a running job
    fixed = true; // the account is reactivated in QBO; the Worker's cron posts it
    await vi.advanceTimersByTimeAsync(2_000);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("posted");
    const asked = statusCalls(bg).length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(statusCalls(bg)).toHaveLength(asked);
  });

  it("does not ask again about a closure waiting for a mapping: saving settings redraws the page", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    showFixture("closure-summary.html");
    const bg = fakeBackground({
      statusOf: (ref) =>
        status(ref, { state: "blocked", reason: { code: "needs_mapping", message: "m", action: "a" } }),
    });
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(0);
    const asked = statusCalls(bg).length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(statusCalls(bg)).toHaveLength(asked);
  });

  it("keeps asking a while about a closure the Worker does not know yet, and turns when it does", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    showFixture("closure-summary.html");
    let known = false;
    const bg = fakeBackground({ statusOf: (ref) => status(ref, known ? { state: "posted" } : { state: "unknown" }) });
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("unknown");
    await vi.advanceTimersByTimeAsync(3_000);
    known = true; // the webhook reached the Worker
    await vi.advanceTimersByTimeAsync(8_000);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("posted");
    const asked = statusCalls(bg).length;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(statusCalls(bg)).toHaveLength(asked);
  });

  it("stops asking about an unknown closure after a few minutes", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    showFixture("closure-summary.html");
    const bg = fakeBackground({ statusOf: (ref) => status(ref, { state: "unknown" }) });
    run(`${REPLICA}/register/closure/summary/c-1`, bg, [feature("closure-badges")]);
    await vi.advanceTimersByTimeAsync(240_000);
    const asked = statusCalls(bg).length;
    expect(asked).toBeGreaterThan(1);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(statusCalls(bg)).toHaveLength(asked);
  });

  it("tells a signed-out person to connect, without asking the Worker", async () => {
    showFixture("closures-list.html");
    const bg = fakeBackground({
      signedIn: false,
      on: {
        status: () =>
          Promise.reject(Object.assign(new Error("x"), { body: { code: "unauthorized", message: "m", action: "a" } })),
      },
    });
    run(`${REPLICA}/register/closures`, bg, [feature("closure-badges")]);
    await settle();
    expect(inShadow("tillbridge-badge").every((b) => b.dataset.state === "signed_out")).toBe(true);
  });
});

describe("closure-counted-totals", () => {
  it("hands the page's counted totals to the Worker when it has none", async () => {
    showFixture("closure-summary.html");
    const bg = fakeBackground();
    run(`${REPLICA}/register/closure/summary/c-9`, bg, [feature("closure-badges"), feature("closure-counted-totals")]);
    await settle(10);
    const counted = bg.calls.filter((c) => c.type === "counted");
    expect(counted).toHaveLength(1);
    const { closureId, totals } = counted[0]!.payload as {
      closureId: string;
      totals: { payments: { name: string; countedMinor: number }[] };
    };
    expect(closureId).toBe("c-9");
    expect(totals.payments.find((p) => p.name === "Cash")?.countedMinor).toBeGreaterThan(0);
    // The badge and the counted-totals feature share one status request for the closure.
    expect(statusCalls(bg)[0]!.payload.objects).toEqual([{ kind: "closure", posId: "c-9" }]);
    expect(document.querySelector('[data-tillbridge="counted"]')).not.toBeNull();
  });

  it("sends nothing when the Worker already has the closure, or the page shows no counted figures", async () => {
    showFixture("closure-summary.html");
    const bg = fakeBackground({ statusOf: (ref) => status(ref, { state: "posted" }) });
    run(`${REPLICA}/register/closure/summary/c-9`, bg, [feature("closure-counted-totals")]);
    await settle(10);
    expect(bg.calls.filter((c) => c.type === "counted")).toHaveLength(0);

    life.abort();
    life = new AbortController();
    showFixture("closure-summary-uncounted.html");
    const bg2 = fakeBackground({
      statusOf: (ref) =>
        status(ref, { state: "blocked", reason: { code: "needs_counted_totals", message: "m", action: "a" } }),
    });
    run(`${REPLICA}/register/closure/summary/c-8`, bg2, [feature("closure-counted-totals")]);
    await settle(10);
    expect(bg2.calls.filter((c) => c.type === "counted")).toHaveLength(0);
  });
});

describe("purchase-order-send", () => {
  it("offers Send to QuickBooks Online on received orders only", async () => {
    showFixture("stock-control.html");
    const bg = fakeBackground();
    run(`${REPLICA}/consignment`, bg, [feature("purchase-order-send")]);
    await settle();
    const buttons = inShadow("tillbridge-send");
    expect(buttons).toHaveLength(3);
    expect(buttons.map(labelOf)).toEqual(Array(3).fill("Send to QuickBooks Online"));
    const rows = [...document.querySelectorAll("tbody tr")];
    const withButton = rows
      .filter((r) => r.querySelector('[data-tillbridge="badge"]'))
      .map((r) => r.querySelector(".vd-status-label")!.textContent);
    expect(withButton).toEqual(["Received", "Partially received", "Received"]);
  });

  it("sends once on a double click, keeps the focus on the button, which becomes the badge linking the bill", async () => {
    showFixture("consignment-received.html");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bg = fakeBackground({
      on: {
        send: async (p: { object: ObjectRef }) => {
          await gate;
          return {
            object: status(p.object, {
              state: "posted",
              docs: [{ part: "bill", entity: "Bill", id: "77", url: "https://qbo.example/app/bill?txnId=77" }],
            }),
          };
        },
      },
    });
    run(`${REPLICA}/consignment/po-1`, bg, [feature("purchase-order-send")]);
    await settle();
    const button = inShadow("tillbridge-send")[0]!;
    button.focus();
    button.click();
    button.click();
    await settle();
    expect(button.getAttribute("aria-disabled")).toBe("true");
    expect(labelOf(button)).toBe("Sending…");
    button.click();
    release();
    await settle();
    expect(bg.calls.filter((c) => c.type === "send")).toEqual([
      { type: "send", payload: { object: { kind: "purchase_order", posId: "po-1" } } },
    ]);
    // the same element, still focused, now the order's badge
    expect(inShadow("tillbridge-chip")[0]).toBe(button);
    expect(deepActive()).toBe(button);
    const badge = inShadow("tillbridge-badge")[0]!;
    expect(badge.dataset).toMatchObject({ state: "posted", tone: "green" });
    const view = openPopover(badge).querySelector<HTMLAnchorElement>('[data-testid="tillbridge-view"]')!;
    expect(view.textContent).toContain("Bill 77");
    expect(view.href).toBe("https://qbo.example/app/bill?txnId=77");
    expect(view.target).toBe("_blank");
  });

  it("shows the reason when a send fails and lets the person try again", async () => {
    showFixture("consignment-received.html");
    let sends = 0;
    const bg = fakeBackground({
      on: {
        send: (p: { object: ObjectRef }) =>
          ++sends === 1
            ? Promise.reject(
                Object.assign(new Error("no"), { body: { code: "qbo_not_connected", message: "m", action: "a" } }),
              )
            : { object: status(p.object, { state: "ready" }) },
      },
    });
    run(`${REPLICA}/consignment/po-1`, bg, [feature("purchase-order-send")]);
    await settle();
    inShadow("tillbridge-send")[0]!.click();
    await settle();
    const badge = inShadow("tillbridge-badge")[0]!;
    expect(badge.dataset).toMatchObject({ state: "send_failed", tone: "red" });
    expect(labelOf(badge)).toBe("Not sent");
    const pop = openPopover(badge);
    expect(pop.querySelector('[data-testid="tillbridge-send-error"]')!.textContent).toBe(
      "QuickBooks Online is not connected.",
    );
    const again = pop.querySelector<HTMLButtonElement>('[data-testid="tillbridge-send"]')!;
    expect(again.getAttribute("aria-disabled")).toBeNull();
    again.click();
    await settle();
    expect(sends).toBe(2);
    expect(inShadow("tillbridge-badge")[0]!.dataset.state).toBe("ready");
  });

  it("adds nothing to an order that is not received", async () => {
    showFixture("consignment-sent.html");
    const bg = fakeBackground();
    run(`${REPLICA}/consignment/po-2`, bg, [feature("purchase-order-send")]);
    await settle();
    expect(mounts()).toHaveLength(0);
    expect(statusCalls(bg)).toHaveLength(0);
  });
});

describe("sale-badges", () => {
  it("badges on-account sales and shows notes such as a payment recorded in QBO", async () => {
    showFixture("sales-history-on-account.html");
    const bg = fakeBackground({
      statusOf: (ref) =>
        status(ref, {
          state: "posted",
          docs: [{ part: "invoice", entity: "Invoice", id: "5", url: "https://qbo.example/app/invoice?txnId=5" }],
          notes: ["paid in QBO: apply it in the POS"],
        }),
    });
    run(`${REPLICA}/history?status=on_account`, bg, [feature("sale-badges")]);
    await settle();
    expect(inShadow("tillbridge-badge")).toHaveLength(3);
    const pop = openPopover(inShadow("tillbridge-badge")[0]!);
    expect(pop.querySelector('[data-testid="tillbridge-note"]')!.textContent).toBe("paid in QBO: apply it in the POS");
    expect(pop.querySelector('[data-testid="tillbridge-view"]')!.textContent).toContain("Invoice 5");
    expect((statusCalls(bg)[0]!.payload.objects as ObjectRef[]).every((o) => o.kind === "sale")).toBe(true);
  });

  it("leaves ordinary completed sales alone", async () => {
    showFixture("sales-history.html");
    const bg = fakeBackground();
    run(`${REPLICA}/history`, bg, [feature("sale-badges")]);
    await settle();
    const accountRows = [...document.querySelectorAll("tbody tr")].filter((r) =>
      /^(On account|Layby)/.test(r.querySelector(".vd-status-label")?.textContent ?? ""),
    );
    expect(mounts()).toHaveLength(accountRows.length);
  });
});

describe("French", () => {
  it("writes badges and buttons in French when the person chose French", async () => {
    showFixture("consignment-received.html");
    const bg = fakeBackground({ on: { prefs: () => ({ lang: "fr", signedIn: true }) } });
    run(`${REPLICA}/consignment/po-1`, bg, [feature("purchase-order-send")]);
    await settle();
    expect(labelOf(inShadow("tillbridge-send")[0]!)).toBe("Envoyer vers QuickBooks En ligne");
  });
});

describe("the other stock documents (SPEC §4.5)", () => {
  const sentKinds = (bg: FakeBackground) =>
    statusCalls(bg).flatMap((c) => (c.payload as { objects: ObjectRef[] }).objects.map((o) => o.kind));

  it("offers Send on sent supplier returns only, as supplier returns", async () => {
    showFixture("inventory/stock-control-returns.html");
    const bg = fakeBackground();
    run(`${REPLICA}/consignment?type=RETURN`, bg, [feature("purchase-order-send")]);
    await settle();
    const rows = [...document.querySelectorAll("tbody tr")]
      .filter((r) => r.querySelector('[data-tillbridge="badge"]'))
      .map((r) => r.querySelector("a")!.textContent);
    expect(rows).toEqual(["MTL-1014", "MTL-1009"]);
    expect(new Set(sentKinds(bg))).toEqual(new Set(["supplier_return"]));
  });

  it("offers Send on received transfers, never as purchase orders", async () => {
    showFixture("inventory/stock-control-transfers.html");
    const bg = fakeBackground();
    run(`${REPLICA}/consignment?type=OUTLET`, bg, [feature("purchase-order-send")]);
    await settle();
    expect(inShadow("tillbridge-send")).toHaveLength(2);
    expect(new Set(sentKinds(bg))).toEqual(new Set(["stock_transfer"]));
  });

  it("a sent return's page sends the return; an open one's offers nothing", async () => {
    showFixture("inventory/supplier-return-sent.html");
    const bg = fakeBackground();
    run(`${REPLICA}/consignment/rtn-9`, bg, [feature("purchase-order-send")]);
    await settle();
    inShadow("tillbridge-send")[0]!.click();
    await settle();
    expect(bg.calls.filter((c) => c.type === "send")).toEqual([
      { type: "send", payload: { object: { kind: "supplier_return", posId: "rtn-9" } } },
    ]);

    life.abort();
    life = new AbortController();
    showFixture("inventory/supplier-return-open.html");
    const bg2 = fakeBackground();
    run(`${REPLICA}/consignment/rtn-10`, bg2, [feature("purchase-order-send")]);
    await settle();
    expect(inShadow("tillbridge-send")).toHaveLength(0);
  });

  it("offers Send on completed inventory counts and on a completed count's page", async () => {
    showFixture("inventory/inventory-counts.html");
    const bg = fakeBackground();
    run(`${REPLICA}/inventory_count`, bg, [feature("stocktake-send")]);
    await settle();
    expect(inShadow("tillbridge-send")).toHaveLength(1);
    expect(new Set(sentKinds(bg))).toEqual(new Set(["stocktake"]));

    life.abort();
    life = new AbortController();
    showFixture("inventory/inventory-count-in-review.html");
    const bg2 = fakeBackground();
    run(`${REPLICA}/inventory_count/st-2`, bg2, [feature("stocktake-send")]);
    await settle();
    expect(inShadow("tillbridge-send")).toHaveLength(0);
  });
});

describe("adjustment-badges", () => {
  it("puts a badge without a button on every stock adjustment, asking their status once", async () => {
    showFixture("inventory/stock-adjustments.html");
    const bg = fakeBackground();
    run(`${REPLICA}/inventory/stock-adjustments`, bg, [feature("adjustment-badges")]);
    await settle();
    expect(statusCalls(bg)).toHaveLength(1);
    const objects = statusCalls(bg)[0]!.payload.objects as ObjectRef[];
    expect(objects).toHaveLength(14);
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(["stock_adjustment"]));
    expect(objects[0]!.posId).toBe("7f45dc24-794c-41ee-9882-cea264569d63");
    expect(inShadow("tillbridge-badge")).toHaveLength(14);
    expect(inShadow("tillbridge-send")).toHaveLength(0);
  });
});
