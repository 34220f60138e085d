import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { Popup } from "../../extension/options/Popup";

let state: unknown;
let opened: unknown[];
let setup: unknown = {};
beforeEach(() => {
  fakeBrowser.reset();
  opened = [];
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route?: string };
    if (msg.type === "openOptions") opened.push(msg);
    if (msg.type === "state") return { ok: true, data: state };
    if (msg.type === "api" && msg.route === "setup") return { ok: true, data: setup };
    if (msg.type === "api" && msg.route === "me")
      return {
        ok: true,
        data: {
          tenantId: "t",
          storeName: "Boutique",
          pos: { status: "connected", displayName: "Boutique" },
          qbo: { status: "needs_reconnect", displayName: "Books Inc", reason: "token revoked" },
          counts: { failed: 1, rejected: 2, blocked: 4, ready: 1, posting: 1, posted: 30 },
        },
      };
    return { ok: true, data: {} };
  });
});
afterEach(() => {
  cleanup();
  setup = {};
});

describe("the popup", () => {
  it("shows connection health, the failed / blocked / pending counts and broken selectors", async () => {
    state = {
      session: { tenantId: "t", storeName: "Boutique", expiresAt: "2099-01-01" },
      lang: "en",
      workerUrl: "x",
      selectorReports: [
        { selector: "closureLink", feature: "closure-badges", path: "/register/closures", at: "2026-11-01" },
      ],
    };
    render(<Popup />);
    await waitFor(() => expect(screen.getByTestId("popup-failed").textContent).toBe("Failed: 3"));
    expect(screen.getByTestId("popup-blocked").textContent).toBe("Waiting for a fix: 4");
    expect(screen.getByTestId("popup-pending").textContent).toBe("Pending: 2");
    // a symbol never alone: the words say it too
    expect(screen.getByTestId("popup-qbo").textContent).toBe(
      "QuickBooks Online: Books Inc — ▲ Needs reconnecting: token revoked",
    );
    expect(screen.getByTestId("popup-pos").textContent).toBe("Retail POS: Boutique — ● connected");
    // the counts open the Needs attention screen
    screen.getByTestId("popup-failed").click();
    await waitFor(() => expect(opened).toEqual([{ type: "openOptions", section: "attention" }]));
    expect(screen.getByTestId("popup-selectors").textContent).toContain("closureLink");
  });

  it("says so when nothing is connected, in French if chosen", async () => {
    state = { session: null, lang: "fr", workerUrl: "x", selectorReports: [] };
    render(<Popup />);
    await waitFor(() => expect(screen.getByTestId("popup-signed-out").textContent).toBe("Pas encore connecté."));
  });

  it("says a store in its guided setup is not live yet, and opens the setup", async () => {
    state = {
      session: { tenantId: "t", storeName: "Boutique", expiresAt: "2099-01-01" },
      lang: "fr",
      workerUrl: "x",
      selectorReports: [],
    };
    setup = { held: true, liveAt: null, liveBy: null, firstClosure: null, released: 0, timeZone: "UTC" };
    render(<Popup />);
    await waitFor(() => expect(screen.getByTestId("popup-not-live").textContent).toMatch(/^Pas encore en service/));
    screen.getByTestId("popup-not-live").click();
    await waitFor(() => expect(opened).toEqual([{ type: "openOptions", section: "setup" }]));
  });
});
