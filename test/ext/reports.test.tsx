import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { DriftResponse, LiabilitiesResponse, ReconciliationResponse } from "../../shared/api";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { Ui } from "../../extension/options/context";
import { csvCell, toCsv } from "../../extension/options/csv";
import { ReportsSection } from "../../extension/options/Reports";

const RECON: ReconciliationResponse = {
  from: "2026-12-01",
  to: "2026-12-07",
  timeZone: "America/Toronto",
  rows: [
    {
      date: "2026-12-06",
      paymentTypeId: "pt-cash",
      name: "Cash",
      role: "deposit",
      account: { id: "35", name: "Undeposited cash" },
      closures: 2,
      takenMinor: 123_456,
      countedMinor: 123_356,
      countedUnknown: 0,
      postedMinor: 123_356,
      waiting: 0,
    },
    {
      date: "2026-12-06",
      paymentTypeId: "pt-visa",
      name: "Visa",
      role: "deposit",
      account: { id: "90", name: "Card clearing" },
      closures: 2,
      takenMinor: 50_000,
      countedMinor: 50_000,
      countedUnknown: 0,
      postedMinor: 49_900,
      waiting: 0,
    },
    {
      date: "2026-12-07",
      paymentTypeId: "pt-gift",
      name: "=Gift card",
      role: "gift_card",
      account: null,
      closures: 1,
      takenMinor: 2_500,
      countedMinor: 0,
      countedUnknown: 1,
      postedMinor: null,
      waiting: 1,
    },
  ],
};
const zero = { issuedMinor: 0, redeemedMinor: 0, expiredMinor: 0 };
const LIAB: LiabilitiesResponse = {
  from: "2026-12-01",
  to: "2026-12-07",
  timeZone: "America/Toronto",
  syncFrom: null,
  liabilities: [
    {
      liability: "gift_card",
      account: { id: "91", name: "Gift card liability" },
      pos: {
        openingMinor: 10_000,
        issuedMinor: 5_000,
        redeemedMinor: 2_000,
        expiredMinor: 0,
        otherMinor: 0,
        closingMinor: 13_000,
        balanceNowMinor: 13_000,
      },
      posted: { issuedMinor: 5_000, redeemedMinor: 1_500, expiredMinor: 0, netMinor: 3_500, documents: 3, waiting: 1 },
      qbo: { balanceMinor: 13_500, asOf: "2026-12-07T15:00:00Z" },
      differences: [
        { line: "issued", label: "Issued", posMinor: 5_000, otherMinor: 5_000, diffMinor: 0 },
        { line: "redeemed", label: "Redeemed", posMinor: 2_000, otherMinor: 1_500, diffMinor: -500 },
        { line: "balance", label: "Balance", posMinor: 13_000, otherMinor: 13_500, diffMinor: 500 },
      ],
    },
    {
      liability: "store_credit",
      account: null,
      pos: {
        openingMinor: 0,
        ...zero,
        otherMinor: 0,
        closingMinor: 0,
        balanceNowMinor: 0,
      },
      posted: { ...zero, netMinor: 0, documents: 0, waiting: 0 },
      qbo: { balanceMinor: null, asOf: "2026-12-07T15:00:00Z" },
      differences: [],
    },
  ],
};
const DRIFT: DriftResponse = {
  documents: [
    {
      kind: "closure",
      posId: "seq-31",
      part: "sales",
      entity: "SalesReceipt",
      id: "12",
      docNumber: "Z31-S",
      status: "edited",
      detail: "a line's amount changed",
      flaggedAt: "2026-12-07T14:05:00Z",
      checkedAt: "2026-12-07T14:05:00Z",
    },
  ],
};

let calls: { route: string; query?: unknown }[];
let csv: string[];
beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  csv = [];
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route: string; query?: unknown };
    if (msg.type !== "api") return undefined;
    calls.push({ route: msg.route, query: msg.query });
    const data = { reconciliation: RECON, liabilities: LIAB, drift: DRIFT, driftCheck: { documents: [] } }[msg.route];
    return data ? { ok: true, data } : { ok: false, error: { code: "not_found", message: "no", action: "" } };
  });
  vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
    void (blob as Blob).text().then((t) => csv.push(t));
    return "blob:csv";
  });
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const TODAY = new Date(2026, 11, 7, 12).getTime();
function show(lang: "en" | "fr" = "en") {
  return render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <ReportsSection today={TODAY} />
    </Ui.Provider>,
  );
}

describe("the reports", () => {
  it("asks for the last seven days and shows the reconciliation per day and payment type, flagging a posting that differs", async () => {
    show();
    expect((screen.getByTestId("reports-from") as HTMLInputElement).value).toBe("2026-12-01");
    fireEvent.click(screen.getByTestId("reports-show"));
    const rows = await screen.findAllByTestId("recon-row");
    expect(calls.filter((c) => c.route === "reconciliation")).toEqual([
      { route: "reconciliation", query: { from: "2026-12-01", to: "2026-12-07" } },
    ]);
    expect([...rows[0]!.querySelectorAll("td,th")].map((c) => c.textContent)).toEqual([
      "2026-12-06",
      "Cash",
      "1,234.56",
      "1,233.56",
      "1,233.56",
      "Undeposited cash",
      "0",
    ]);
    expect(rows[0]!.classList.contains("diff")).toBe(false);
    expect(rows[1]!.classList.contains("diff")).toBe(true);
    expect(rows[2]!.textContent).toContain("Not a deposit (gift card)");
    expect(rows[2]!.textContent).toContain("1 not counted yet");
    expect(screen.getByTestId("recon-chart").getAttribute("aria-label")).toBe("Taken and posted per day");
  });

  it("exports the reconciliation as CSV, exact cents, formula-safe", async () => {
    show();
    fireEvent.click(screen.getByTestId("reports-show"));
    await screen.findAllByTestId("recon-row");
    fireEvent.click(screen.getByTestId("recon-csv"));
    await waitFor(() => expect(csv).toHaveLength(1));
    const lines = csv[0]!.split("\r\n");
    expect(lines[0]).toBe(
      '"Day","Payment type","Taken (POS)","Counted","Posted","QuickBooks deposit account","Closures waiting"',
    );
    expect(lines[1]).toBe('"2026-12-06","Cash","1234.56","1233.56","1233.56","Undeposited cash","0"');
    expect(lines[3]).toBe(`"2026-12-07","'=Gift card","25.00","0.00",,"","1"`);
    expect(csvCell("-12.50")).toBe('"-12.50"');
    expect(csvCell("-cmd")).toBe(`"'-cmd"`);
    expect(toCsv([['a"b']])).toBe('"a""b"\r\n');
  });

  it("rolls each liability forward beside what was posted and the QBO balance, naming the differences", async () => {
    show();
    fireEvent.click(screen.getByTestId("reports-show"));
    const gift = await screen.findByTestId("liab-gift_card");
    expect(gift.textContent).toContain("QuickBooks account: Gift card liability");
    const redeemed = within(gift).getByRole("rowheader", { name: "Redeemed" }).closest("tr")!;
    expect([...redeemed.querySelectorAll("td")].map((c) => c.textContent)).toEqual(["20.00", "15.00", "—"]);
    const now = within(gift).getByRole("rowheader", { name: "Balance now" }).closest("tr")!;
    expect([...now.querySelectorAll("td")].map((c) => c.textContent)).toEqual(["130.00", "—", "135.00"]);
    expect(gift.textContent).toContain("Differences: Redeemed -5.00 · Balance now 5.00");
    expect(gift.textContent).toContain("1 not posted yet");
    expect(screen.getByTestId("liab-store_credit").textContent).toContain("No QuickBooks account mapped.");
    expect(screen.getByTestId("liab-store_credit").textContent).toContain("No difference.");
  });

  it("lists documents changed in QBO and checks again on demand", async () => {
    show();
    const row = await screen.findByTestId("drift-row");
    expect(row.textContent).toContain("SalesReceipt Z31-S");
    expect(row.textContent).toContain("Edited");
    fireEvent.click(screen.getByTestId("drift-check"));
    await screen.findByTestId("drift-none");
  });

  it("speaks French", async () => {
    show("fr");
    fireEvent.click(screen.getByTestId("reports-show"));
    await screen.findAllByTestId("recon-row");
    expect(screen.getByText("Rapprochement quotidien par mode de paiement")).toBeTruthy();
    expect(screen.getByRole("columnheader", { name: "Encaissé (PDV)" })).toBeTruthy();
    expect(screen.getByTestId("liab-gift_card").textContent).toContain("Cartes-cadeaux");
    expect((await screen.findByTestId("drift-row")).textContent).toContain("Modifié");
  });
});
