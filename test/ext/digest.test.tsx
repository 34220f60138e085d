import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { DigestResponse } from "../../shared/api";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { Ui } from "../../extension/options/context";
import { DigestSection } from "../../extension/options/Digest";

/** The options page's daily email: opt in, a valid address, and how the last day went. */

let calls: { route: string; body?: unknown }[];
let doc: DigestResponse;

beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  doc = { settings: { enabled: false, recipient: null, lang: "en" }, last: null, available: true };
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { route: string; body?: DigestResponse["settings"] };
    calls.push({ route: msg.route, body: msg.body });
    if (msg.route === "saveDigest" && msg.body) doc = { ...doc, settings: msg.body };
    return { ok: true, data: doc };
  });
});
afterEach(() => cleanup());

function show(lang: "en" | "fr" = "en") {
  return render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <DigestSection />
    </Ui.Provider>,
  );
}
const saves = () => calls.filter((c) => c.route === "saveDigest");

describe("the daily email section", () => {
  it("turns on with a valid address, saved in the page's language", async () => {
    show("fr");
    const enabled = (await screen.findByTestId("digest-enabled")) as HTMLInputElement;
    expect(enabled.checked).toBe(false);
    expect(screen.getByTestId("digest-last").textContent).toBe("Aucun courriel quotidien pour l'instant.");
    fireEvent.click(enabled);

    // no address, then a wrong one: said beside the field, nothing sent
    fireEvent.click(screen.getByTestId("digest-save"));
    expect((await screen.findByTestId("digest-problem")).textContent).toBe(
      "Une adresse courriel est nécessaire pour envoyer le courriel quotidien.",
    );
    const recipient = screen.getByTestId("digest-recipient") as HTMLInputElement;
    fireEvent.input(recipient, { target: { value: "proprio at boutique" } });
    fireEvent.click(screen.getByTestId("digest-save"));
    await waitFor(() =>
      expect(screen.getByTestId("digest-problem").textContent).toBe(
        "Saisissez une adresse courriel, comme nom@exemple.com.",
      ),
    );
    expect(recipient.getAttribute("aria-invalid")).toBe("true");
    expect(saves()).toEqual([]);

    fireEvent.input(recipient, { target: { value: " proprio@boutique.example " } });
    fireEvent.click(screen.getByTestId("digest-save"));
    await waitFor(() => expect(screen.getByTestId("digest-said").textContent).toBe("Enregistré."));
    expect(saves().map((c) => c.body)).toEqual([{ enabled: true, recipient: "proprio@boutique.example", lang: "fr" }]);
    expect(screen.queryByTestId("digest-problem")).toBeNull();
  });

  it("shows how the last day went: sent, not needed, or failed with why", async () => {
    doc = {
      ...doc,
      settings: { enabled: true, recipient: "owner@boutique.example", lang: "en" },
      last: { day: "2026-11-02", at: "2026-11-02T12:05:00Z", status: "failed", count: 4, error: "not verified" },
    };
    show();
    const last = await screen.findByTestId("digest-last");
    expect(last.textContent).toMatch(/^Last daily email: failed .+: not verified$/);
    expect((screen.getByTestId("digest-recipient") as HTMLInputElement).value).toBe("owner@boutique.example");
    cleanup();
    doc = { ...doc, last: { ...doc.last!, status: "sent", error: null } };
    show();
    expect((await screen.findByTestId("digest-last")).textContent).toMatch(
      /^Last daily email: sent .+, 4 to look at\.$/,
    );
  });

  it("says when this server cannot send email", async () => {
    doc = { ...doc, available: false };
    show();
    expect((await screen.findByTestId("digest-unavailable")).textContent).toContain("cannot send email");
  });
});
