import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { AuditResponse } from "../../shared/api";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { AuditSection } from "../../extension/options/Audit";
import { Ui } from "../../extension/options/context";

const entry = (over: Partial<AuditResponse["entries"][number]>): AuditResponse["entries"][number] => ({
  at: "2026-12-07T14:05:00Z",
  actor: "cron",
  action: "post",
  kind: null,
  posId: null,
  posVersion: null,
  qboEntity: null,
  qboId: null,
  payloadHash: null,
  detail: null,
  ...over,
});
const AUDIT: AuditResponse = {
  timeZone: "America/Toronto",
  entries: [
    entry({
      action: "block",
      actor: "webhook",
      kind: "closure",
      posId: "seq-31",
      posName: "Register 1 #31",
      detail: "needs_mapping: payment type 'Cash'",
      reason: {
        code: "needs_mapping",
        message: "Payment type 'Cash' is not mapped.",
        action: "Map it in Tillbridge settings.",
      },
    }),
    entry({
      at: "2026-12-07T15:30:00Z",
      actor: "user:Marie Tremblay",
      action: "retry",
      kind: "purchase_order",
      posId: "po-3",
      posName: "MTL-1003",
    }),
    entry({ actor: "operator", action: "something_new", detail: "raw detail" }),
  ],
};

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route: string };
    return msg.route === "audit" ? { ok: true, data: AUDIT } : undefined;
  });
});
afterEach(() => cleanup());

const show = (lang: "en" | "fr") =>
  render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <AuditSection />
    </Ui.Provider>,
  );
const cells = (row: HTMLElement) => [...row.querySelectorAll("td")].map((c) => c.textContent);

describe("the audit log, for people", () => {
  it("shows local times in the store's zone, who in words, objects by their POS names and the reason of a block", async () => {
    show("en");
    fireEvent.click(screen.getByTestId("audit-load"));
    const rows = await screen.findAllByTestId("audit-row");
    expect(screen.getByText("Times in America/Toronto.")).toBeTruthy();
    const [block, retry, unknown] = rows.map(cells) as [string[], string[], string[]];
    expect(block[0]).toMatch(/Dec 7, 2026, 9:05/);
    expect(block.slice(1, 5)).toEqual([
      "Tillbridge (on a POS event)",
      "Blocked",
      "Register 1 #31",
      "Payment type 'Cash' is not mapped.Map it in Tillbridge settings.",
    ]);
    expect(retry.slice(1, 4)).toEqual(["Marie Tremblay", "Retried", "PO MTL-1003"]);
    // what the page has no words for is shown as recorded, never hidden
    expect(unknown.slice(1, 5)).toEqual(["Tillbridge support", "something_new", "", "raw detail"]);
  });

  it("speaks French", async () => {
    show("fr");
    fireEvent.click(screen.getByTestId("audit-load"));
    const rows = await screen.findAllByTestId("audit-row");
    const [block, retry] = rows.map(cells) as [string[], string[]];
    expect(block[0]).toMatch(/7 déc\. 2026/);
    expect(block.slice(1, 4)).toEqual(["Tillbridge (sur un événement du PDV)", "Bloqué", "Register 1 #31"]);
    expect(retry.slice(2, 4)).toEqual(["Réessayé", "BC MTL-1003"]);
  });
});
