import { afterEach, describe, expect, it } from "vitest";
import type { UnmappedResponse } from "../../../shared/api";
import type { QboRefs } from "../../../shared/domain/qbo";
import { type ApiError, ApiError as ApiErrorSchema } from "../../../shared/errors";
import { emptyMappings, type Mappings } from "../../../shared/mappings";
import type { Lists } from "../../../worker/mappings/service";
import { suggest } from "../../../worker/mappings/suggest";
import { unmapped } from "../../../worker/mappings/unmapped";
import { forgetEverything } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const refs = (country: string): QboRefs => ({
  realmId: "1",
  companyName: "Boutique",
  country,
  homeCurrency: "CAD",
  multiCurrency: false,
  bookCloseDate: null,
  classTracking: false,
  departmentTracking: false,
  accounts: [
    {
      id: "1",
      name: "Caisse",
      fullyQualifiedName: "Caisse",
      accountType: "Bank",
      accountSubType: "CashOnHand",
      active: true,
    },
    {
      id: "2",
      name: "Passif cartes-cadeaux",
      fullyQualifiedName: "Passif cartes-cadeaux",
      accountType: "Other Current Liability",
      accountSubType: null,
      active: true,
    },
  ],
  items: [],
  taxCodes: [{ id: "9", name: "Exonéré", active: true, taxable: false, salesRates: [], purchaseRates: [] }],
  classes: [],
  departments: [],
  paymentMethods: [],
  fetchedAt: "2026-01-01T00:00:00Z",
});

const lists = (country = "CA"): Lists => ({
  refs: refs(country),
  customers: [],
  pos: {
    paymentTypes: [
      { id: "pt-cash", name: "Comptant", typeId: 1, deleted: false },
      { id: "pt-after", name: "Afterpay", typeId: 7, deleted: true },
    ],
    categories: [
      { id: "cat-all", name: "Vêtements", path: "Vêtements", leaf: false },
      { id: "cat-top", name: "Hauts", path: "Vêtements > Hauts", leaf: true },
    ],
    taxes: [{ id: "tx-qc", name: "TPS + TVQ", rates: [{ id: "r1", name: "TPS", rate: "0.05" }], deleted: false }],
    outlets: [{ id: "out-1", name: "Montréal" }],
  },
});

const byKey = (r: UnmappedResponse) => Object.fromEntries(r.missing.map((m) => [m.mappingKey, m]));

describe("what is unmapped, in each language's own words", () => {
  it("names every POS object and fixed mapping the company needs, with what it blocks", () => {
    const en = byKey(unmapped(lists(), emptyMappings(), new Map([["paymentTypes.pt-cash", 3]]), "en"));
    expect(en["paymentTypes.pt-cash"]).toEqual({
      mappingKey: "paymentTypes.pt-cash",
      label: "payment type 'Comptant'",
      required: true,
      blockedCount: 3,
      blocks: ["closure", "sale_payment"],
    });
    expect(en["paymentTypes.pt-after"]).toMatchObject({ label: "payment type 'Afterpay' (deleted)", required: false });
    expect(en["categories.cat-top"]?.label).toBe("category 'Vêtements > Hauts'");
    expect(en["categories.cat-all"]).toBeUndefined(); // only leaf categories are on sales
    expect(en["taxes.tx-qc"]?.label).toBe("POS tax 'TPS + TVQ'");
    expect(en["outlets.out-1"]).toBeUndefined(); // classes and locations are a choice
    expect(en.nonTaxableTaxCodeId?.label).toBe("the non-taxable tax code");
    expect(en["accounts.accountsPayable"]).toMatchObject({
      label: "the accounts payable account (optional)",
      required: false,
    });
    expect(en["options.autoSendPurchaseOrders"]).toBeUndefined();
  });

  it("says it in French with no English inside", () => {
    const fr = unmapped(lists(), emptyMappings(), new Map(), "fr").missing;
    const label = (key: string) => fr.find((m) => m.mappingKey === key)?.label;
    expect(label("paymentTypes.pt-cash")).toBe("le mode de paiement « Comptant »");
    expect(label("paymentTypes.pt-after")).toBe("le mode de paiement « Afterpay » (supprimé)");
    expect(label("categories.cat-top")).toBe("la catégorie « Vêtements > Hauts »");
    expect(label("taxes.tx-qc")).toBe("la taxe du POS « TPS + TVQ »");
    expect(label("items.rounding")).toBe("l'article d'arrondi");
    expect(label("accounts.accountsPayable")).toBe("le compte fournisseurs (facultatif)");
    for (const m of fr) expect(m.label, m.mappingKey).not.toMatch(/\b(the|payment type|category|POS tax|optional)\b/);
  });

  it("leaves out the global-tax mappings on a US company, where a tax is mapped by its taxable flag", () => {
    const us = byKey(unmapped(lists("US"), emptyMappings(), new Map(), "en"));
    expect(us.nonTaxableTaxCodeId).toBeUndefined();
    expect(us.purchaseTaxCodeId).toBeUndefined();
    const m: Mappings = { ...emptyMappings(), taxes: { "tx-qc": { taxable: false } } };
    expect(byKey(unmapped(lists("US"), m, new Map(), "en"))["taxes.tx-qc"]).toBeUndefined();
    expect(byKey(unmapped(lists("CA"), m, new Map(), "en"))["taxes.tx-qc"]).toBeDefined();
  });

  it("names what items wait on that the POS no longer lists", () => {
    const fr = byKey(unmapped(lists(), emptyMappings(), new Map([["categories.cat-gone", 2]]), "fr"));
    expect(fr["categories.cat-gone"]).toMatchObject({
      label: "la catégorie « cat-gone »",
      required: true,
      blockedCount: 2,
    });
  });
});

describe("suggestions say why in the request's language", () => {
  it("words each reason in English and in French", () => {
    const en = suggest(lists(), emptyMappings(), "en");
    const fr = suggest(lists(), emptyMappings(), "fr");
    expect(en.map((s) => s.mappingKey)).toEqual(fr.map((s) => s.mappingKey));
    const why = (list: typeof en, key: string) => list.find((s) => s.mappingKey === key)?.why;
    expect(why(en, "paymentTypes.pt-cash")).toBe("cash goes to 'Caisse'");
    expect(why(fr, "paymentTypes.pt-cash")).toBe("l'argent comptant va dans « Caisse »");
    expect(why(en, "accounts.giftCardLiability")).toBe(
      "'Passif cartes-cadeaux' looks like the gift card liability account",
    );
    expect(why(fr, "accounts.giftCardLiability")).toBe(
      "« Passif cartes-cadeaux » semble convenir comme le compte de passif des cartes-cadeaux",
    );
    expect(why(fr, "nonTaxableTaxCodeId")).toBe(
      "les cartes-cadeaux, les passifs et les écarts de caisse ne portent pas de taxe",
    );
  });
});

describe("saving unusable mappings, in French", () => {
  it("names each field and the POS object in French, and carries what it is about for the badge", {
    timeout: 120_000,
  }, async () => {
    const stack: Stack = await createStack();
    const doc = (await stack.api<{ version: number; mappings: Mappings }>("/api/mappings")).body;
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash" && !p.deletedAt)!;
    const res = await stack.api<ApiError>("/api/mappings", {
      method: "PUT",
      lang: "fr",
      body: {
        version: doc.version,
        mappings: {
          ...doc.mappings,
          paymentTypes: { ...doc.mappings.paymentTypes, [cash.id]: { role: "deposit", accountId: "424242" } },
        },
      },
    });
    expect(res.status).toBe(400);
    const error = ApiErrorSchema.parse(res.body).error;
    expect(error.fields).toEqual({
      [`mappings.paymentTypes.${cash.id}.accountId`]: "le compte QBO 424242 n'existe plus",
    });
    expect(error.message).toBe(
      `La requête n'est pas valide : le mode de paiement « ${cash.name} » : le compte QBO 424242 n'existe plus`,
    );
    expect(error.about).toEqual([
      { thing: "paymentTypes", name: cash.name, problem: { kind: "gone", entity: "account", id: "424242" } },
    ]);
    expect(error.detail).toBe(`payment type '${cash.name}': QBO account 424242 no longer exists`);
  });
});
