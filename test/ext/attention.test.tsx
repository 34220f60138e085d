import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { AttentionItem, AttentionResponse } from "../../shared/api";
import { SETTINGS_CHANGED } from "../../extension/broadcast";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { AttentionSection } from "../../extension/options/Attention";
import { Ui } from "../../extension/options/context";

const item = (over: Partial<AttentionItem>): AttentionItem => ({
  kind: "closure",
  posId: "seq-31",
  posName: "Register 1 #31",
  state: "blocked",
  reason: {
    code: "needs_mapping",
    message: "Payment type 'Cash' is not mapped to QuickBooks Online.",
    action: "Choose where Cash lands in Tillbridge settings.",
    detail: "payment type 'Cash'",
    fixAt: "mappings",
    blockedOn: "mapping:paymentTypes.pt-cash",
  },
  attempts: 1,
  since: "2026-12-07T14:05:00Z",
  lastTryAt: "2026-12-07T14:05:00Z",
  nextTryAt: null,
  txnDate: "2026-12-07",
  amountMinor: 12_345,
  backOfficeUrl: "https://demo.retail.lightspeed.app/register/closure/summary/seq-31",
  docs: [],
  ...over,
});
const ITEMS: AttentionItem[] = [
  item({}),
  item({
    kind: "purchase_order",
    posId: "po-3",
    posName: "MTL-1003",
    state: "rejected",
    reason: {
      code: "qbo_validation",
      message: "QuickBooks Online refused the bill.",
      action: "Correct it, then retry.",
      detail: "Invalid Reference Id: Invalid Reference Id : Vendor [2500]",
      fixAt: null,
      blockedOn: null,
    },
    backOfficeUrl: "https://demo.retail.lightspeed.app/consignment/po-3",
    docs: [
      { part: "po-3/bill", entity: "Bill", id: "77", docNumber: "MTL-1003", url: "https://qbo.test/app/bill?txnId=77" },
    ],
  }),
];
const full = (items: AttentionItem[]): AttentionResponse => ({
  counts: {
    blocked: items.filter((i) => i.state === "blocked").length,
    failed: items.filter((i) => i.state === "failed").length,
    rejected: items.filter((i) => i.state === "rejected").length,
  },
  total: items.length,
  timeZone: "America/Toronto",
  items,
});

let calls: { route: string; body?: unknown }[];
let current: AttentionItem[];
beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  current = [...ITEMS];
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route: string; body?: { kind: string; posId: string } };
    if (msg.type !== "api") return undefined;
    calls.push({ route: msg.route, body: msg.body });
    switch (msg.route) {
      case "attention":
        return { ok: true, data: full(current) };
      case "retry": {
        // the purchase order posts this time; the closure stays blocked
        const posted = msg.body!.kind === "purchase_order";
        if (posted) current = current.filter((i) => i.posId !== msg.body!.posId);
        return {
          ok: true,
          data: { object: { ...msg.body, state: posted ? "ready" : "blocked", docs: [], attempts: 2 } },
        };
      }
      case "retryAll": {
        const n = current.length;
        current = [];
        return { ok: true, data: { retried: n } };
      }
      default:
        return { ok: false, error: { code: "not_found", message: "no", action: "" } };
    }
  });
});
afterEach(() => cleanup());

function show(lang: "en" | "fr" = "en", onCount?: (n: number) => void) {
  return render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <AttentionSection {...(onCount ? { onCount } : {})} />
    </Ui.Provider>,
  );
}

describe("the needs-attention screen", () => {
  it("lists each stuck object by its POS name, with its reason, what to do, its time in the store's zone and its links", async () => {
    let count = -1;
    show("en", (n) => {
      count = n;
    });
    const rows = await screen.findAllByTestId("attention-row");
    expect(rows).toHaveLength(2);
    expect(count).toBe(2);
    expect(screen.getByTestId("attention-summary").textContent).toBe(
      "2 need attention: 1 waiting for a fix, 0 to be retried, 1 refused.",
    );
    const [closure, order] = rows as [HTMLElement, HTMLElement];
    expect(within(closure).getByRole("rowheader").textContent).toContain("Register 1 #31");
    expect(closure.textContent).toContain("Payment type 'Cash' is not mapped");
    expect(closure.textContent).toContain("Choose where Cash lands");
    // 14:05 UTC is 9:05 in Montréal
    expect(closure.textContent).toMatch(/Dec 7, 2026, 9:05/);
    expect(closure.textContent).toContain("1 try");
    expect(closure.textContent).not.toContain("1 tries");
    expect(
      within(closure).getByRole("link", { name: "Open Register 1 #31 in the back office" }).getAttribute("href"),
    ).toBe("https://demo.retail.lightspeed.app/register/closure/summary/seq-31");
    expect(within(closure).getByRole("link", { name: "Fix it: Mappings" }).getAttribute("href")).toBe("#mappings");

    expect(within(order).getByRole("rowheader").textContent).toContain("PO MTL-1003");
    expect(
      within(order)
        .getByRole("link", { name: /View Bill MTL-1003 in QuickBooks Online/ })
        .getAttribute("href"),
    ).toBe("https://qbo.test/app/bill?txnId=77");
    // QBO's raw text only under "details"
    const details = order.querySelector("details")!;
    expect(details.querySelector("summary")!.textContent).toBe("Details");
    expect(details.textContent).toContain("Invalid Reference Id");
    expect(
      within(order).getByRole("cell", { name: /QuickBooks Online refused the bill/ }).firstChild!.textContent,
    ).not.toContain("Invalid Reference Id");
  });

  it("retries one, announces the outcome, and keeps the focus on a retry button", async () => {
    show();
    const rows = await screen.findAllByTestId("attention-row");
    const retry = within(rows[1]!).getByRole("button", { name: "Retry: PO MTL-1003" });
    retry.focus();
    fireEvent.click(retry);
    await waitFor(() => expect(screen.getByTestId("attention-live").textContent).toBe("PO MTL-1003: queued again."));
    expect(calls.filter((c) => c.route === "retry")).toEqual([
      { route: "retry", body: { kind: "purchase_order", posId: "po-3" } },
    ]);
    await waitFor(() => expect(screen.getAllByTestId("attention-row")).toHaveLength(1));
    // the row is gone: the focus moves to the retry button now in its place (the last one)
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Retry: Register 1 #31"));

    fireEvent.click(screen.getByRole("button", { name: "Retry: Register 1 #31" }));
    await waitFor(() =>
      expect(screen.getByTestId("attention-live").textContent).toBe("Register 1 #31: Waiting for a fix."),
    );
  });

  it("retries all and says so; with nothing left it says that nothing needs attention", async () => {
    show();
    await screen.findAllByTestId("attention-row");
    fireEvent.click(screen.getByTestId("attention-retry-all"));
    await waitFor(() => expect(screen.getByTestId("attention-none")).toBeTruthy());
    expect(screen.getByTestId("attention-live").textContent).toBe(
      "2 queued again; the ones whose cause is still there will come back here.",
    );
    expect(screen.getByTestId("attention-retry-all").hasAttribute("disabled")).toBe(true);
  });

  it("reloads when the background says settings changed", async () => {
    show();
    await screen.findAllByTestId("attention-row");
    current = [];
    await fakeBrowser.runtime.sendMessage({ type: SETTINGS_CHANGED });
    await waitFor(() => expect(screen.getByTestId("attention-none")).toBeTruthy());
  });

  it("speaks French", async () => {
    show("fr");
    const rows = await screen.findAllByTestId("attention-row");
    expect(screen.getByTestId("attention-summary").textContent).toBe(
      "2 à traiter : 1 en attente d'une correction, 0 à réessayer, 1 refus.",
    );
    expect(within(rows[1]!).getByRole("rowheader").textContent).toContain("BC MTL-1003");
    expect(within(rows[0]!).getByRole("link", { name: "Ouvrir Register 1 #31 dans le back-office" })).toBeTruthy();
    expect(rows[0]!.textContent).toContain("En attente d'une correction");
    expect(rows[0]!.textContent).toMatch(/7 déc\. 2026/);
  });
});
