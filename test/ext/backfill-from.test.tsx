import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { BackfillSection, backfillFromQuery } from "../../extension/options/Backfill";
import { Ui } from "../../extension/options/context";

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.runtime.onMessage.addListener(async () => ({ ok: true, data: { backfill: null } }));
});
afterEach(() => {
  cleanup();
  history.replaceState(null, "", location.pathname);
});

const show = () =>
  render(
    <Ui.Provider value={{ lang: "en", t: translator("en") }}>
      <BackfillSection />
    </Ui.Provider>,
  );

describe("the backfill form opened from a grey badge's Backfill from here", () => {
  it("reads the day from ?backfillFrom= and refuses what is not a calendar day", () => {
    expect(backfillFromQuery("?backfillFrom=2026-10-09")).toBe("2026-10-09");
    expect(backfillFromQuery("?backfillFrom=2026-02-30")).toBe("");
    expect(backfillFromQuery("?backfillFrom=<script>")).toBe("");
    expect(backfillFromQuery("")).toBe("");
  });

  it("prefills the start day and puts the focus on the end day", async () => {
    history.replaceState(null, "", "?backfillFrom=2026-10-09#backfill");
    show();
    expect((screen.getByTestId("backfill-from") as HTMLInputElement).value).toBe("2026-10-09");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("backfill-to")));
  });

  it("leaves the form empty without the query", () => {
    show();
    expect((screen.getByTestId("backfill-from") as HTMLInputElement).value).toBe("");
    expect(document.activeElement).not.toBe(screen.getByTestId("backfill-to"));
  });
});
