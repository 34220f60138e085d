import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingOptions } from "../../shared/api";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { Ui } from "../../extension/options/context";
import { pickerOptions } from "../../extension/options/mappings/fields";
import { type PickerOption, SEARCH_FROM, Select } from "../../extension/options/Select";

afterEach(() => cleanup());

const account = (id: string, name: string, accountType: string, active = true) => ({
  id,
  name,
  accountType,
  accountSubType: accountType === "Expense" ? "AdvertisingPromotional" : null,
  active,
});
const QBO: MappingOptions["qbo"] = {
  companyName: "Boutique Demo Inc.",
  country: "CA",
  accounts: [
    account("35", "Checking", "Bank"),
    account("36", "Épargne", "Bank"),
    account("90", "Card clearing", "Other Current Asset"),
    account("91", "Old clearing", "Other Current Asset", false),
    account("40", "Accounts Receivable (A/R)", "Accounts Receivable"),
    account("41", "Retained Earnings", "Equity"),
    account("50", "Store credit expense", "Expense"),
    ...Array.from({ length: 8 }, (_, i) => account(`6${i}`, `Petty cash ${i}`, "Bank")),
  ],
  items: [],
  taxCodes: [],
  classes: [],
  departments: [],
  customers: [],
  fetchedAt: "2026-12-07T00:00:00Z",
};
const DEPOSIT = ["Bank", "Other Current Asset"];

function show(
  value: string | undefined,
  lang: "en" | "fr" = "en",
  onChange: (v: string | undefined) => void = () => {},
) {
  const t = translator(lang);
  return render(
    <Ui.Provider value={{ lang, t }}>
      <Select
        id="map-cash"
        label="Cash lands in"
        value={value}
        options={pickerOptions(QBO, t).accounts as PickerOption[]}
        entity="account"
        allowedTypes={DEPOSIT}
        onChange={onChange}
      />
    </Ui.Provider>,
  );
}
const offered = () => [...(screen.getByTestId("map-cash") as HTMLSelectElement).options].map((o) => o.textContent);

describe("the mapping pickers", () => {
  it("offer only accounts of the types that make sense, with human type names, in each language", () => {
    show(undefined);
    const names = offered();
    expect(names).toContain("Checking (Bank)");
    expect(names).toContain("Card clearing (Other Current Asset)");
    expect(names.join()).not.toMatch(/Receivable|Retained|AdvertisingPromotional|Old clearing/);
    cleanup();
    show(undefined, "fr");
    expect(offered()).toContain("Card clearing (Autres actifs à court terme)");
  });

  it("narrow a long list as the person types (accents ignored), and Down arrow goes to the list", () => {
    let chosen: string | undefined;
    show(undefined, "en", (v) => {
      chosen = v;
    });
    expect(offered().length - 1).toBeGreaterThan(SEARCH_FROM);
    const search = screen.getByRole("searchbox", { name: "Search Cash lands in" });
    fireEvent.input(search, { target: { value: "epar" } });
    expect(offered()).toEqual(["— choose —", "Épargne (Bank)"]);
    fireEvent.keyDown(search, { key: "ArrowDown" });
    expect(document.activeElement).toBe(screen.getByTestId("map-cash"));
    fireEvent.change(screen.getByTestId("map-cash"), { target: { value: "36" } });
    expect(chosen).toBe("36");
    fireEvent.input(search, { target: { value: "zzz" } });
    expect(screen.getByText("Nothing matches.")).toBeTruthy();
  });

  it("flag an inactive, deleted or wrong-type choice in words, tied to the field", () => {
    show("91");
    const select = screen.getByTestId("map-cash");
    expect(offered()).toContain("Old clearing (Other Current Asset) (inactive)");
    expect(screen.getByTestId("map-cash-problem").textContent).toContain("QBO account 'Old clearing' is inactive");
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(select.getAttribute("aria-describedby")).toContain("map-cash-problem");
    cleanup();
    show("999");
    expect(screen.getByTestId("map-cash-problem").textContent).toContain("QBO account 999 no longer exists");
    cleanup();
    show("41", "fr");
    expect(screen.getByTestId("map-cash-problem").textContent).toContain(
      "Le compte QBO « Retained Earnings » est de type Capitaux propres ; il doit être de type Banque",
    );
    expect(offered()[1]).toMatch(/^Retained Earnings/); // kept visible: it is the current choice
    cleanup();
    show("35");
    expect(screen.queryByTestId("map-cash-problem")).toBeNull();
  });
});
