import { seedPrng } from "../prng";
import { newId, nextVersion } from "../store";
import { addDays, isoClassic, localToUtc } from "../time";
import type { CategoryRec, PaymentKind, ProductRec, StoreState, TaxRec } from "../types";
import { CUSTOMERS_CA, CUSTOMERS_US, PRODUCTS, SUPPLIERS_CA, SUPPLIERS_US, type CategoryKey } from "./catalog-data";

/**
 * A store's reference data: retailer, taxes, outlets, registers, categories, products, payment types,
 * customers, suppliers. Everything draws ids and versions from the store's own seeded stream.
 */

interface Profile {
  prefix: string;
  name: string;
  country: string;
  currency: string;
  culture: string;
  timezone: string;
  cashRounding: boolean;
  outlets: {
    name: string;
    line1: string;
    city: string;
    state: string;
    postcode: string;
    orderPrefix: string;
    registers: [string, string][];
  }[];
  /** [tax name, [rate name, rate][]] — the first is the default */
  taxes: [string, [string, string][]][];
  productTax: (category: CategoryKey) => string;
  payments: [string, number, PaymentKind, boolean][];
  english: boolean;
}

const CA: Profile = {
  prefix: "demo",
  name: "Boutique Tillbridge Démo",
  country: "CA",
  currency: "CAD",
  culture: "fr-CA",
  timezone: "America/Toronto",
  cashRounding: true,
  outlets: [
    {
      name: "Montréal",
      line1: "4500 rue Saint-Denis",
      city: "Montréal",
      state: "QC",
      postcode: "H2J 2L3",
      orderPrefix: "MTL-",
      registers: [
        ["Caisse 1", "MTL1-"],
        ["Caisse 2", "MTL2-"],
      ],
    },
    {
      name: "Québec",
      line1: "85 rue Saint-Jean",
      city: "Québec",
      state: "QC",
      postcode: "G1R 1N4",
      orderPrefix: "QC-",
      registers: [["Caisse Québec", "QC-"]],
    },
  ],
  taxes: [
    [
      "GST + QST",
      [
        ["GST", "0.05"],
        ["QST", "0.09975"],
      ],
    ],
    ["GST", [["GST", "0.05"]]],
    ["No Tax", [["No Tax", "0"]]],
  ],
  productTax: (c) => (c === "books" ? "GST" : "GST + QST"),
  // [name, type_id, kind, deleted] — type ids other than Gift Card's 118 are the sandbox's picks
  payments: [
    ["Cash", 1, "cash", false],
    ["Credit Card", 2, "card", false],
    ["Debit", 4, "card", false],
    ["Lightspeed Payments", 31, "integrated", false],
    ["Gift Card", 118, "gift_card", false],
    ["Store Credit", 12, "store_credit", false],
    ["On Account", 11, "on_account", false],
    ["Chèque", 5, "other", true],
  ],
  english: false,
};

const US: Profile = {
  prefix: "demo-us",
  name: "Tillbridge Demo Brooklyn",
  country: "US",
  currency: "USD",
  culture: "en-US",
  timezone: "America/New_York",
  cashRounding: false,
  outlets: [
    {
      name: "Brooklyn",
      line1: "120 Bedford Ave",
      city: "Brooklyn",
      state: "NY",
      postcode: "11249",
      orderPrefix: "BK-",
      registers: [
        ["Register 1", "BK1-"],
        ["Register 2", "BK2-"],
      ],
    },
  ],
  taxes: [
    ["NY Sales Tax", [["NYC Sales Tax", "0.08875"]]],
    ["No Tax", [["No Tax", "0"]]],
  ],
  productTax: () => "NY Sales Tax",
  payments: [
    ["Cash", 1, "cash", false],
    ["Credit Card", 2, "card", false],
    ["Lightspeed Payments", 31, "integrated", false],
    ["Gift Card", 118, "gift_card", false],
    ["Store Credit", 12, "store_credit", false],
    ["On Account", 11, "on_account", false],
  ],
  english: true,
};

export const PROFILES = { ca: CA, us: US } as const;

export function buildStore(profileName: "ca" | "us", seed: number, startDate: string): StoreState {
  const p = PROFILES[profileName];
  const setupAt = isoClassic(localToUtc(addDays(startDate, -45), 10 * 60, p.timezone));
  const store = {
    prefix: p.prefix,
    seed,
    config: { profile: profileName, cashRounding: p.cashRounding, rateLimitOverride: null },
    rng: seedPrng((seed ^ (profileName === "ca" ? 0x0ca0 : 0x05a0)) >>> 0),
    versionCounter: 1_000_000 + (seed % 1000) * 1000,
    counters: { giftCard: 0, orderNumber: 1000, shortCode: 0 },
    users: [],
    taxes: {},
    outlets: {},
    registers: {},
    categories: {},
    products: {},
    paymentTypes: {},
    customers: {},
    suppliers: {},
    sequences: {},
    sales: {},
    giftCards: {},
    storeCredits: {},
    purchaseOrders: {},
    webhooks: {},
    trading: {
      startDate,
      nextDate: startDate,
      dayIndex: 0,
      scheduled: [],
      receipts: [],
      plan: { netNegative: null, afterMidnight: null, manualCreditDays: [], voidDay: -1, deletedTypeDay: -1 },
    },
  } as unknown as StoreState;

  store.users = [
    { id: newId(store), name: p.english ? "Demo Admin" : "Admin Démo" },
    { id: newId(store), name: p.english ? "Alex Cashier" : "Nadia Caissière" },
    { id: newId(store), name: p.english ? "Jamie Cashier" : "Félix Caissier" },
  ];

  const taxIds = new Map<string, string>();
  const rateIds = new Map<string, string>();
  p.taxes.forEach(([name, rates], i) => {
    const tax: TaxRec = {
      id: newId(store),
      name,
      isDefault: i === 0,
      rates: rates.map(([rateName, rate]) => {
        const id = rateIds.get(rateName) ?? newId(store);
        rateIds.set(rateName, id);
        return { id, name: rateName, rate };
      }),
      deletedAt: null,
      version: nextVersion(store),
    };
    store.taxes[tax.id] = tax;
    taxIds.set(name, tax.id);
  });
  const taxId = (name: string) => taxIds.get(name)!;

  const cashId = newId(store);
  for (const o of p.outlets) {
    const outletId = newId(store);
    store.outlets[outletId] = {
      id: outletId,
      name: o.name,
      timeZone: p.timezone,
      defaultTaxId: taxId(p.taxes[0]![0]),
      address: { line1: o.line1, city: o.city, state: o.state, postcode: o.postcode, country: p.country },
      email: `${o.orderPrefix.replace("-", "").toLowerCase()}@${p.prefix}.example`,
      phone: p.country === "CA" ? "+1 514 555 0100" : "+1 718 555 0100",
      orderPrefix: o.orderPrefix,
      version: nextVersion(store),
    };
    for (const [name, prefix] of o.registers) {
      const id = newId(store);
      store.registers[id] = {
        id,
        name,
        outletId,
        invoicePrefix: prefix,
        invoiceSuffix: "",
        invoiceSequence: 1000,
        isOpen: false,
        openTime: null,
        closeTime: null,
        openSequenceId: null,
        sequenceCount: 0,
        cashManagedPaymentTypeId: cashId,
        version: nextVersion(store),
      };
    }
  }

  const category = (name: string, parentId: string | null): CategoryRec => {
    const c = { id: newId(store), name, parentId, version: nextVersion(store) };
    store.categories[c.id] = c;
    return c;
  };
  const clothing = category("Clothing", null);
  const leaf: Record<CategoryKey, CategoryRec> = {
    tops: category("Tops", clothing.id),
    bottoms: category("Bottoms", clothing.id),
    accessories: category("Accessories", null),
    books: category("Books", null),
    home: category("Home", null),
  };

  const suppliers = profileName === "ca" ? SUPPLIERS_CA : SUPPLIERS_US;
  const supplierFor = new Map<CategoryKey, string>();
  for (const [name, description, first, last, cats] of suppliers) {
    const id = newId(store);
    store.suppliers[id] = {
      id,
      name,
      description,
      companyName: name,
      firstName: first,
      lastName: last,
      email: `${first.toLowerCase()}@${name
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z]/g, "")}.example`,
      phone: "+1 555 010 0200",
      version: nextVersion(store),
    };
    for (const c of cats) supplierFor.set(c, id);
  }

  const product = (
    kind: ProductRec["kind"],
    name: string,
    sku: string,
    price: string,
    supply: string,
    cat: CategoryKey | null,
    tax: string,
  ): ProductRec => {
    const id = newId(store);
    const rec: ProductRec = {
      id,
      kind,
      name,
      handle: sku.toLowerCase(),
      sku,
      price,
      supplyPrice: supply,
      categoryId: cat ? leaf[cat].id : null,
      taxId: taxId(tax),
      supplierId: cat ? (supplierFor.get(cat) ?? null) : null,
      createdAt: setupAt,
      updatedAt: setupAt,
      version: nextVersion(store),
    };
    store.products[id] = rec;
    return rec;
  };
  PRODUCTS.forEach(([fr, en, cat, price, supply], i) => {
    product(
      "product",
      p.english ? en : fr,
      `${cat.slice(0, 3).toUpperCase()}-${String(100 + i)}`,
      price,
      supply,
      cat,
      p.productTax(cat),
    );
  });
  const noTax = p.taxes[p.taxes.length - 1]![0];
  const giftCard = product("gift_card", "Gift Card", "gift-card", "0", "0", null, noTax);
  const discount = product("discount", "Discount", "vend-discount", "0", "0", null, p.taxes[0]![0]);

  p.payments.forEach(([name, typeId, kind, deleted]) => {
    const id = kind === "cash" ? cashId : newId(store);
    store.paymentTypes[id] = {
      id,
      name,
      typeId,
      kind,
      createdAt: setupAt,
      // The deleted type is used on the first days of trading, then deleted (see seed/trading.ts).
      deletedAt: deleted ? isoClassic(localToUtc(addDays(startDate, 6), 8 * 60, p.timezone)) : null,
      version: nextVersion(store),
    };
  });

  const customers = profileName === "ca" ? CUSTOMERS_CA : CUSTOMERS_US;
  const groupId = newId(store);
  customers.forEach(([first, last, company, limit], i) => {
    const id = newId(store);
    store.customers[id] = {
      id,
      firstName: first,
      lastName: last,
      companyName: company,
      email: `${first
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z]/g, "")}.${last
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z]/g, "")}@example.com`,
      phone: `+1 514 555 0${String(110 + i)}`,
      customerCode: `${last
        .toUpperCase()
        .normalize("NFD")
        .replace(/[^A-Z]/g, "")
        .slice(0, 5)}-${String(1000 + i)}`,
      customerGroupId: groupId,
      onAccountLimit: limit === null ? null : limit * 100,
      createdAt: setupAt,
      updatedAt: setupAt,
      version: nextVersion(store),
    };
  });

  store.retailer = {
    id: newId(store),
    name: p.name,
    domainPrefix: p.prefix,
    country: p.country,
    currency: p.currency,
    currencySymbol: "$",
    culture: p.culture,
    timezone: p.timezone,
    taxExclusive: true,
    discountProductId: discount.id,
    giftCardProductId: giftCard.id,
    noTaxGroupId: taxId(noTax),
    createdAt: setupAt,
    version: nextVersion(store),
  };
  return store;
}
