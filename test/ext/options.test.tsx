import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { MappingOptions, MappingsDocument } from "../../shared/api";
import { FIXED_ENTRIES } from "../../shared/mapping-catalog";
import { emptyMappings, type Mappings } from "../../shared/mappings";
import { SETTINGS_CHANGED } from "../../extension/broadcast";
import { optionsTranslator as translator } from "../../extension/i18n/options";
import { Ui } from "../../extension/options/context";
import { MappingsSection } from "../../extension/options/Mappings";
import { fieldId } from "../../extension/options/mapping-keys";

const OPTIONS: MappingOptions = {
  qbo: {
    companyName: "Boutique Demo Inc.",
    country: "CA",
    accounts: [
      { id: "35", name: "Checking", accountType: "Bank", accountSubType: "Checking", active: true },
      {
        id: "90",
        name: "Tillbridge POS clearing",
        accountType: "Other Current Asset",
        accountSubType: "OtherCurrentAssets",
        active: true,
      },
      {
        id: "91",
        name: "Gift card liability",
        accountType: "Other Current Liability",
        accountSubType: null,
        active: true,
      },
    ],
    items: [
      { id: "1", name: "Sales - Apparel", type: "Service", incomeAccountId: "79", active: true },
      { id: "2", name: "Discounts given", type: "Service", incomeAccountId: "79", active: true },
      { id: "3", name: "Old item", type: "Service", incomeAccountId: "79", active: false },
    ],
    taxCodes: [{ id: "5", name: "GST/QST QC - 9.975", active: true }],
    classes: [],
    departments: [{ id: "1", name: "Montréal", active: true }],
    customers: [{ id: "58", name: "POS sales", active: true }],
    fetchedAt: "2026-11-28T00:00:00Z",
  },
  pos: {
    paymentTypes: [
      { id: "pt-cash", name: "Cash", deleted: false, active: true },
      { id: "pt-after", name: "Afterpay", deleted: true, active: true },
    ],
    categories: [{ id: "cat-app", name: "Apparel", active: true }],
    taxes: [{ id: "tax-qc", name: "GST + QST", active: true }],
    outlets: [{ id: "out-mtl", name: "Montréal", active: true }],
  },
};
const DOC: MappingsDocument = { version: 3, mappings: emptyMappings() };

type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; action: string } };
let calls: { route: string; body?: unknown; query?: unknown }[];
let answer: (route: string, msg: { body?: unknown }) => Reply;
const base = (route: string): Reply => {
  switch (route) {
    case "getMappings":
      return { ok: true, data: DOC };
    case "mappingOptions":
      return { ok: true, data: OPTIONS };
    case "unmapped":
      return {
        ok: true,
        data: {
          missing: [
            {
              mappingKey: "paymentTypes.pt-after",
              label: "payment type 'Afterpay'",
              required: false,
              blockedCount: 2,
              blocks: ["closure"],
            },
          ],
        },
      };
    case "suggestions":
      return {
        ok: true,
        data: {
          suggestions: [{ mappingKey: "categories.cat-app", value: "1", label: "Sales - Apparel", why: "same name" }],
        },
      };
    default:
      return { ok: true, data: {} };
  }
};

beforeEach(() => {
  fakeBrowser.reset();
  calls = [];
  answer = base;
  // The options page talks to the background through runtime messages: this listener stands in for it.
  fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
    const msg = raw as { type: string; route: string; body?: unknown; query?: unknown };
    calls.push({ route: msg.route, body: msg.body, query: msg.query });
    return answer(msg.route, msg);
  });
});
afterEach(() => cleanup());

function show(lang: "en" | "fr" = "en") {
  return render(
    <Ui.Provider value={{ lang, t: translator(lang) }}>
      <MappingsSection />
    </Ui.Provider>,
  );
}

/** Loaded: the buttons are enabled once every list has arrived. */
const ready = () => waitFor(() => expect(screen.getByTestId("save-mappings").hasAttribute("disabled")).toBe(false));

describe("the mappings section of the options page", () => {
  it("fills each drop-down from the live QuickBooks and POS lists", async () => {
    show();
    const category = (await screen.findByTestId("map-categories_cat-app")) as HTMLSelectElement;
    const names = [...category.options].map((o) => o.textContent);
    expect(names).toContain("Sales - Apparel (Service)");
    expect(names).not.toContain("Old item (Service)"); // inactive items are not offered
    expect(screen.getByText(/Afterpay/).textContent).toContain("(deleted)");
    await waitFor(() => expect(screen.getByTestId("unmapped").textContent).toContain("payment type 'Afterpay'"));
    expect(screen.getByTestId("unmapped").textContent).toContain("blocks register closures");
    expect(screen.getByText("Boutique Demo Inc. · CA", { exact: false })).toBeTruthy();
  });

  it("applies a suggestion and saves with the version it started from", async () => {
    show();
    fireEvent.click(await screen.findByText("Use"));
    const role = screen.getByTestId("map-paymentTypes_pt-cash") as HTMLSelectElement;
    fireEvent.change(role, { target: { value: "deposit" } });
    answer = (route, msg) =>
      route === "saveMappings"
        ? { ok: true, data: { version: 4, mappings: (msg.body as { mappings: unknown }).mappings } }
        : base(route);
    fireEvent.click(screen.getByTestId("save-mappings"));
    await waitFor(() => expect(screen.getByTestId("mappings-notice").textContent).toBe("Settings saved (version 4)."));
    const saved = calls.find((c) => c.route === "saveMappings")!.body as {
      version: number;
      mappings: { categories: Record<string, string>; paymentTypes: Record<string, unknown> };
    };
    expect(saved.version).toBe(3);
    expect(saved.mappings.categories).toEqual({ "cat-app": "1" });
    expect(saved.mappings.paymentTypes["pt-cash"]).toEqual({ role: "deposit", accountId: "35" });
  });

  it("tells the person when someone else saved first, keeping their changes", async () => {
    show();
    await ready();
    const category = screen.getByTestId("map-categories_cat-app") as HTMLSelectElement;
    fireEvent.change(category, { target: { value: "1" } });
    answer = (route) =>
      route === "saveMappings"
        ? { ok: false, error: { code: "conflict", message: "This changed while you were working", action: "Reload" } }
        : route === "getMappings"
          ? { ok: true, data: { ...DOC, version: 5 } }
          : base(route);
    fireEvent.click(screen.getByTestId("save-mappings"));
    await waitFor(() =>
      expect(screen.getByTestId("mappings-notice").textContent).toContain("Someone else saved these settings"),
    );
    expect(screen.getByTestId("mappings-notice").textContent).toContain("version 5");
    expect((screen.getByTestId("map-categories_cat-app") as HTMLSelectElement).value).toBe("1");
  });

  it("puts a refused save's problems beside their fields in plain words, and clears one once it is changed", async () => {
    show();
    await ready();
    fireEvent.change(screen.getByTestId("map-paymentTypes_pt-cash"), { target: { value: "deposit" } });
    fireEvent.change(screen.getByTestId("map-categories_cat-app"), { target: { value: "1" } });
    answer = (route) =>
      route === "saveMappings"
        ? {
            ok: false,
            error: {
              code: "bad_request",
              message: "The request is not valid: body: mappings.paymentTypes.pt-cash.accountId",
              action: "Correct the fields named.",
              fields: {
                "mappings.paymentTypes.pt-cash.accountId": "QBO account 'Checking' is inactive",
                "mappings.categories.cat-app": "QBO product/service 'Sales - Apparel' has no income account",
              },
            },
          }
        : base(route);
    fireEvent.click(screen.getByTestId("save-mappings"));
    await waitFor(() =>
      expect(screen.getByTestId("mappings-notice").textContent).toBe(
        "Not saved: 2 choices cannot be used. Each one says why below; change them, then save again.",
      ),
    );
    const account = screen.getByTestId("map-paymentTypes_pt-cash-account");
    expect(screen.getByTestId("map-paymentTypes_pt-cash-account-problem").textContent).toContain(
      "QBO account 'Checking' is inactive",
    );
    expect(account.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("map-categories_cat-app-problem").textContent).toContain("has no income account");
    // the category is changed: its refusal goes, the account's stays
    fireEvent.change(screen.getByTestId("map-categories_cat-app"), { target: { value: "2" } });
    expect(screen.queryByTestId("map-categories_cat-app-problem")).toBeNull();
    expect(screen.getByTestId("map-paymentTypes_pt-cash-account-problem")).toBeTruthy();
  });

  it("reloads the QuickBooks options on demand", async () => {
    show();
    await ready();
    fireEvent.click(screen.getByTestId("reload-options"));
    await waitFor(() =>
      expect(calls.some((c) => c.route === "mappingOptions" && JSON.stringify(c.query) === '{"reload":"1"}')).toBe(
        true,
      ),
    );
  });

  it("speaks French", async () => {
    show("fr");
    expect(await screen.findByText("Recharger les options QuickBooks")).toBeTruthy();
    expect(screen.getByText("Enregistrer les paramètres")).toBeTruthy();
    expect(screen.getByText("Catégories de produits → produits/services")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("unmapped").textContent).toContain("bloque : fermetures de caisse"));
  });
});

describe("the mappings section while QuickBooks Online is not connected", () => {
  const saved: MappingsDocument = {
    version: 4,
    mappings: { ...emptyMappings(), categories: { "cat-app": "1" } },
  };
  const offline = (route: string): Reply =>
    route === "mappingOptions"
      ? { ok: true, data: { ...OPTIONS, offline: { code: "qbo_not_connected" } } }
      : route === "getMappings"
        ? { ok: true, data: saved }
        : route === "unmapped" || route === "suggestions"
          ? { ok: false, error: { code: "qbo_not_connected", message: "QBO is not connected.", action: "a" } }
          : base(route);

  it("shows the saved choices by name from the last lists, read-only, and says how to change them", async () => {
    answer = offline;
    show();
    const notice = await screen.findByTestId("mappings-offline");
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.textContent).toContain("QuickBooks Online is not connected: reconnect to change these.");
    expect(notice.querySelector("a")!.getAttribute("href")).toBe("#connections");
    expect(notice.textContent).toContain("Names as QuickBooks Online last gave them, on ");
    const category = screen.getByTestId("map-categories_cat-app") as HTMLSelectElement;
    expect(category.value).toBe("1");
    expect(category.selectedOptions[0]!.textContent).toBe("Sales - Apparel (Service)");
    // every choice sits in a disabled fieldset: nothing can be changed or saved until QBO is back
    const fields = screen.getByTestId("mappings-fields");
    expect(fields.hasAttribute("disabled")).toBe(true);
    expect(fields.contains(category)).toBe(true);
    expect(screen.queryByTestId("save-mappings")).toBeNull();
    expect(screen.queryByTestId("create-standard")).toBeNull();
    expect(screen.queryByTestId("reload-options")).toBeNull();
    expect(screen.queryByTestId("mappings-notice")).toBeNull(); // the side lists' failure is not an error here
  });

  it("says so in French, and becomes editable once QBO is connected again elsewhere", async () => {
    answer = offline;
    show("fr");
    const notice = await screen.findByTestId("mappings-offline");
    expect(notice.textContent).toContain(
      "QuickBooks En ligne n'est pas connecté : reconnectez-le pour modifier ces choix.",
    );
    expect(notice.querySelector("a")!.textContent).toBe("Reconnecter");

    answer = (route) => (route === "getMappings" ? { ok: true, data: saved } : base(route));
    await fakeBrowser.runtime.sendMessage({ type: SETTINGS_CHANGED });
    await waitFor(() => expect(screen.queryByTestId("mappings-offline")).toBeNull());
    await ready();
    expect(screen.getByTestId("mappings-fields").hasAttribute("disabled")).toBe(false);
    expect((screen.getByTestId("map-categories_cat-app") as HTMLSelectElement).value).toBe("1");
  });
});

describe("the mappings section, laid out from the mapping catalog", () => {
  it("shows a field for every fixed mapping the company uses, with its label and help", async () => {
    show("fr");
    await ready();
    for (const e of FIXED_ENTRIES) {
      const field = document.getElementById(fieldId(e.path));
      expect(field, e.path).not.toBeNull();
      // a picker's label names it (a switch is inside its label)
      const label = field!.closest("label") ?? document.querySelector(`label[for="${field!.id}"]`);
      expect(label!.textContent, e.path).toContain(translator("fr")(`mapping.${e.path}.label`));
    }
    expect(screen.getByText(translator("fr")("mapping.items.rounding.help"))).toBeTruthy();
    expect(screen.getByText(translator("fr")("mapping.paymentTypes.help"))).toBeTruthy();
  });

  it("leaves out the global-tax mappings on a US company and asks whether each POS tax is taxable", async () => {
    answer = (route) =>
      route === "mappingOptions"
        ? { ok: true, data: { ...OPTIONS, qbo: { ...OPTIONS.qbo, country: "US" } } }
        : base(route);
    show();
    await ready();
    expect(document.getElementById(fieldId("nonTaxableTaxCodeId"))).toBeNull();
    expect(document.getElementById(fieldId("purchaseTaxCodeId"))).toBeNull();
    expect(document.getElementById(fieldId("closureCustomerId"))).not.toBeNull();
    fireEvent.click(screen.getByLabelText("Taxable (US)"));
    fireEvent.click(screen.getByLabelText("Send received purchase orders without a click", { exact: false }));
    answer = (route, msg) =>
      route === "saveMappings"
        ? { ok: true, data: { version: 4, mappings: (msg.body as { mappings: unknown }).mappings } }
        : base(route);
    fireEvent.click(screen.getByTestId("save-mappings"));
    await waitFor(() => expect(calls.some((c) => c.route === "saveMappings")).toBe(true));
    const saved = calls.find((c) => c.route === "saveMappings")!.body as { mappings: Mappings };
    expect(saved.mappings.taxes).toEqual({ "tax-qc": { taxable: true } });
    expect(saved.mappings.options).toEqual({ autoSendPurchaseOrders: true, postCogs: true, cogsPerCategory: false });
  });

  it("offers only the accounts money can land in for a payment type", async () => {
    show();
    await ready();
    fireEvent.change(screen.getByTestId("map-paymentTypes_pt-cash"), { target: { value: "deposit" } });
    const account = (await screen.findByTestId("map-paymentTypes_pt-cash-account")) as HTMLSelectElement;
    expect([...account.options].map((o) => o.value)).toEqual(["", "35", "90"]);
  });
});
