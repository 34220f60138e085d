import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { MeResponse, SetupResponse } from "../../shared/api";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { Ui } from "../../extension/options/context";
import { SetupSection } from "../../extension/options/Setup";
import { previewSample } from "../support/preview-sample";

const SESSION = { token: "tbs_x", tenantId: "demo", storeName: "Boutique Démo", expiresAt: "2099-01-01T00:00:00Z" };
const me = (qbo: boolean): MeResponse => ({
  tenantId: "demo",
  storeName: "Boutique Démo",
  pos: { status: "connected", displayName: "Boutique Démo", externalId: "demo" },
  qbo: qbo ? { status: "connected", displayName: "Démo Inc.", externalId: "9130" } : { status: "not_connected" },
  counts: {} as MeResponse["counts"],
});
const held = (over: Partial<SetupResponse> = {}): SetupResponse => ({
  held: true,
  liveAt: null,
  liveBy: null,
  firstClosure: null,
  released: 0,
  timeZone: "America/Toronto",
  ...over,
});
const PREVIEW = previewSample("seq-31");

let setup: SetupResponse;
let missing: number;
let calls: string[];
beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  setup = held();
  missing = 3;
  vi.stubGlobal("confirm", () => true);
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route: string };
    if (msg.type !== "api") return undefined;
    calls.push(msg.route);
    switch (msg.route) {
      case "setup":
        return { ok: true, data: setup };
      case "unmapped":
        return {
          ok: true,
          data: {
            missing: Array.from({ length: missing }, (_, i) => ({
              mappingKey: `paymentTypes.p${i}`,
              label: `payment type ${i}`,
              required: true,
              blockedCount: 0,
              blocks: ["closure"],
            })),
          },
        };
      case "preview":
        return { ok: true, data: PREVIEW };
      case "createStandard":
        missing = 0;
        return { ok: true, data: {} };
      case "goLive":
        setup = held({
          liveAt: "2026-12-07T19:05:00Z",
          firstClosure: { ...setup.firstClosure!, state: "ready" },
          released: 4,
        });
        return { ok: true, data: setup };
      default:
        return undefined;
    }
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const show = (qbo: boolean, lang: "en" | "fr" = "en", onMappingsChanged = () => undefined) =>
  render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <SetupSection session={SESSION} me={me(qbo)} onMappingsChanged={onMappingsChanged} />
    </Ui.Provider>,
  );
const done = (step: string) => screen.getByTestId(`setup-step-${step}`).getAttribute("data-done");

describe("the guided setup", () => {
  it("says which steps are done and keeps go live shut until the store, QBO and the mappings are", async () => {
    show(false);
    await waitFor(() => expect(done("store")).toBe("true"));
    expect(done("qbo")).toBe("false");
    expect(screen.getByTestId("setup-connect-qbo").textContent).toBe("Connect to QuickBooks");
    expect((screen.getByTestId("setup-go-live") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Finish the steps above first.", { exact: false })).toBeTruthy();
    expect(calls).not.toContain("unmapped"); // nothing to ask of QBO before it is connected
  });

  it("uses the standard setup, then previews the first closure as debits and credits and goes live", async () => {
    const changed = vi.fn();
    show(true, "en", changed);
    await waitFor(() => expect(screen.getByTestId("setup-missing").textContent).toBe("3 required choices left."));
    fireEvent.click(screen.getByTestId("setup-standard"));
    await waitFor(() => expect(done("mappings")).toBe("true"));
    expect(changed).toHaveBeenCalledOnce(); // the editor below reads the mappings again
    expect(screen.getByTestId("setup-waiting").textContent).toMatch(/^Waiting for the first register closure/);

    // a closure closes in the POS: the next look finds it, no id typed
    setup = held({ firstClosure: { posId: "seq-31", name: "Register 1 #31", state: "blocked" } });
    fakeBrowser.runtime.sendMessage({ type: "tillbridge:settingsChanged" }).catch(() => undefined);
    await waitFor(() => expect(screen.getByTestId("journal")).toBeTruthy());
    expect(screen.getByTestId("setup-preview").querySelector("strong")!.textContent).toBe(
      "Register 1 #31, December 7, 2026",
    );
    expect(screen.getByTestId("setup-ties").textContent).toBe("It ties out to the POS's own totals to the cent.");
    expect(screen.getAllByTestId("journal-line").map((r) => r.textContent)).toEqual([
      "Tillbridge closure clearingTotal115.00",
      "SalesSales – Clothing100.00",
      "Tax payable: GST (5 %)GST15.00",
    ]);
    expect(screen.getByTestId("journal-debits").textContent).toBe("115.00");
    expect(screen.getByTestId("journal-credits").textContent).toBe("115.00");

    const button = screen.getByTestId("setup-go-live") as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    button.focus();
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId("setup-complete").textContent).toContain("live since"));
    expect(calls.filter((c) => c === "goLive")).toHaveLength(1);
    expect(calls.filter((c) => c === "preview")).toHaveLength(1); // built once for one closure and state
  });

  it("says it in French", async () => {
    setup = held({ firstClosure: { posId: "seq-31", name: "Caisse 1 #31", state: "blocked" } });
    missing = 0;
    show(true, "fr");
    await waitFor(() => expect(screen.getByTestId("journal")).toBeTruthy());
    expect(screen.getByTestId("setup-go-live").textContent).toBe("Mettre en service");
    expect(screen.getByTestId("setup-ties").textContent).toBe("Elle concorde au cent près avec les totaux du PDV.");
    expect([...screen.getByTestId("journal").querySelectorAll("th")].map((th) => th.textContent)).toEqual(
      expect.arrayContaining(["Compte", "Débit", "Crédit"]),
    );
  });

  it("folds into one line for a store that is live and mapped", async () => {
    setup = held({ held: false });
    missing = 0;
    show(true);
    await waitFor(() =>
      expect(screen.getByTestId("setup-complete").textContent).toBe("✓ Setup complete: Tillbridge posts by itself. "),
    );
  });
});
