import { dec, splitInclusive, text } from "../pricing";
import { seedPrng } from "../prng";
import { newId, nextVersion } from "../store";
import { addDays, isoClassic, localToUtc } from "../time";
import type { CategoryRec, PaymentKind, ProductRec, StoreProfile, StoreState, TaxRec } from "../types";
import { CUSTOMERS_CA, CUSTOMERS_US, PRODUCTS, SUPPLIERS_CA, SUPPLIERS_US } from "./catalog-data";
import {
  CATEGORIES_AU,
  CATEGORIES_UK,
  CUSTOMERS_AU,
  CUSTOMERS_UK,
  PRODUCTS_AU,
  PRODUCTS_UK,
  SUPPLIERS_AU,
  SUPPLIERS_UK,
  type CategoryRow,
  type CustomerRow,
  type ProductRow,
  type SupplierRow,
} from "./catalog-global";

/**
 * A store's reference data: retailer, taxes, outlets, registers, categories, products, payment types,
 * customers, suppliers. Everything draws ids and versions from the store's own seeded stream, in the
 * same order for every profile (so the Canadian and US stores stay what they always were).
 */

interface Profile {
  prefix: string;
  name: string;
  country: string;
  currency: string;
  currencySymbol: string;
  culture: string;
  timezone: string;
  cashRounding: boolean;
  /** Prices are set tax included (Australia, the UK): outlets display inclusive prices. */
  inclusive: boolean;
  /** PRNG salt of the store's stream. */
  salt: number;
  users: [string, string, string];
  outletPhone: string;
  customerPhone: (i: number) => string;
  outlets: {
    name: string;
    line1: string;
    city: string;
    state: string;
    postcode: string;
    orderPrefix: string;
    registers: [string, string][];
  }[];
  /** [tax name, [rate name, rate][]] — the first is the default, the last the "no tax" group */
  taxes: [string, [string, string][]][];
  categories: readonly CategoryRow[];
  /** [name, category key, price (ex tax, or incl. tax when `inclusive`), supply price, tax name] */
  products: readonly ProductRow[];
  customers: readonly CustomerRow[];
  suppliers: readonly SupplierRow[];
  payments: [string, number, PaymentKind, boolean][];
  /** Loyalty earned per unit of tax-inclusive price, when the store runs loyalty. */
  loyaltyRatio: string | null;
  english: boolean;
}

/** Clothing > Tops/Bottoms, Accessories, Books, Home: the classic stores' tree (creation order matters). */
const CLASSIC_CATEGORIES: readonly CategoryRow[] = [
  ["clothing", "Clothing", null],
  ["tops", "Tops", "clothing"],
  ["bottoms", "Bottoms", "clothing"],
  ["accessories", "Accessories", null],
  ["books", "Books", null],
  ["home", "Home", null],
];

const classicPhone = (i: number) => `+1 514 555 0${String(110 + i)}`;

const CA: Profile = {
  prefix: "demo",
  name: "Boutique Tillbridge Démo",
  country: "CA",
  currency: "CAD",
  currencySymbol: "$",
  culture: "fr-CA",
  timezone: "America/Toronto",
  cashRounding: true,
  inclusive: false,
  salt: 0x0ca0,
  users: ["Admin Démo", "Nadia Caissière", "Félix Caissier"],
  outletPhone: "+1 514 555 0100",
  customerPhone: classicPhone,
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
  categories: CLASSIC_CATEGORIES,
  products: PRODUCTS.map(
    ([fr, , cat, price, supply]): ProductRow => [fr, cat, price, supply, cat === "books" ? "GST" : "GST + QST"],
  ),
  customers: CUSTOMERS_CA,
  suppliers: SUPPLIERS_CA,
  // [name, type_id, kind, deleted] — type ids other than Gift Card's 118 and Loyalty's 106 are the sandbox's picks
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
  loyaltyRatio: null,
  english: false,
};

const US: Profile = {
  prefix: "demo-us",
  name: "Tillbridge Demo Brooklyn",
  country: "US",
  currency: "USD",
  currencySymbol: "$",
  culture: "en-US",
  timezone: "America/New_York",
  cashRounding: false,
  inclusive: false,
  salt: 0x05a0,
  users: ["Demo Admin", "Alex Cashier", "Jamie Cashier"],
  outletPhone: "+1 718 555 0100",
  customerPhone: classicPhone,
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
  categories: CLASSIC_CATEGORIES,
  products: PRODUCTS.map(([, en, cat, price, supply]): ProductRow => [en, cat, price, supply, "NY Sales Tax"]),
  customers: CUSTOMERS_US,
  suppliers: SUPPLIERS_US,
  payments: [
    ["Cash", 1, "cash", false],
    ["Credit Card", 2, "card", false],
    ["Lightspeed Payments", 31, "integrated", false],
    ["Gift Card", 118, "gift_card", false],
    ["Store Credit", 12, "store_credit", false],
    ["On Account", 11, "on_account", false],
  ],
  loyaltyRatio: null,
  english: true,
};

const AU: Profile = {
  prefix: "demo-au",
  name: "Saltbush & Co. Demo",
  country: "AU",
  currency: "AUD",
  currencySymbol: "$",
  culture: "en-AU",
  timezone: "Australia/Sydney",
  cashRounding: true,
  inclusive: true,
  salt: 0x0a50,
  users: ["Demo Admin", "Chloe Cashier", "Ryan Cashier"],
  outletPhone: "+61 2 9555 0100",
  customerPhone: (i) => `+61 4 9155 0${String(110 + i)}`,
  outlets: [
    {
      name: "Surry Hills",
      line1: "412 Crown Street",
      city: "Surry Hills",
      state: "NSW",
      postcode: "2010",
      orderPrefix: "SH-",
      registers: [
        ["Register 1", "SH1-"],
        ["Register 2", "SH2-"],
      ],
    },
    {
      name: "Manly",
      line1: "27 The Corso",
      city: "Manly",
      state: "NSW",
      postcode: "2095",
      orderPrefix: "MN-",
      registers: [["Manly Register", "MN-"]],
    },
  ],
  taxes: [
    ["GST", [["GST", "0.1"]]],
    ["GST Free", [["GST Free", "0"]]],
    ["No Tax", [["No Tax", "0"]]],
  ],
  categories: CATEGORIES_AU,
  products: PRODUCTS_AU,
  customers: CUSTOMERS_AU,
  suppliers: SUPPLIERS_AU,
  payments: [
    ["Cash", 1, "cash", false],
    ["EFTPOS", 4, "card", false],
    ["Credit Card", 2, "card", false],
    ["Lightspeed Payments", 31, "integrated", false],
    ["Gift Card", 118, "gift_card", false],
    ["Store Credit", 12, "store_credit", false],
    ["On Account", 11, "on_account", false],
    ["Loyalty", 106, "loyalty", false],
    ["Cheque", 5, "other", true],
    ["Afterpay", 39, "other", false],
  ],
  loyaltyRatio: "0.02",
  english: true,
};

const UK: Profile = {
  prefix: "demo-uk",
  name: "Hartley & Finch Demo",
  country: "GB",
  currency: "GBP",
  currencySymbol: "£",
  culture: "en-GB",
  timezone: "Europe/London",
  cashRounding: false,
  inclusive: true,
  salt: 0x0b40,
  users: ["Demo Admin", "Priya Cashier", "Tom Cashier"],
  outletPhone: "+44 20 7946 0100",
  customerPhone: (i) => `+44 7700 900${String(110 + i)}`,
  outlets: [
    {
      name: "Islington",
      line1: "214 Upper Street",
      city: "London",
      state: "Greater London",
      postcode: "N1 1RQ",
      orderPrefix: "ISL-",
      registers: [
        ["Till 1", "ISL1-"],
        ["Till 2", "ISL2-"],
      ],
    },
    {
      name: "Brighton",
      line1: "31 Kensington Gardens",
      city: "Brighton",
      state: "East Sussex",
      postcode: "BN1 4AL",
      orderPrefix: "BTN-",
      registers: [["Brighton Till", "BTN-"]],
    },
  ],
  taxes: [
    ["VAT 20%", [["VAT 20%", "0.2"]]],
    ["VAT 5%", [["VAT 5%", "0.05"]]],
    ["VAT 0%", [["VAT 0%", "0"]]],
    ["Exempt", [["Exempt", "0"]]],
    ["No VAT", [["No VAT", "0"]]],
  ],
  categories: CATEGORIES_UK,
  products: PRODUCTS_UK,
  customers: CUSTOMERS_UK,
  suppliers: SUPPLIERS_UK,
  payments: [
    ["Cash", 1, "cash", false],
    ["Card", 2, "card", false],
    ["Lightspeed Payments", 31, "integrated", false],
    ["Gift Card", 118, "gift_card", false],
    ["Store Credit", 12, "store_credit", false],
    ["On Account", 11, "on_account", false],
    ["Loyalty", 106, "loyalty", false],
    ["Cheque", 5, "other", true],
  ],
  loyaltyRatio: "0.02",
  english: true,
};

export const PROFILES: Record<StoreProfile, Profile> = { ca: CA, us: US, au: AU, uk: UK };

const asciiLower = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]/g, "");

export function buildStore(profileName: StoreProfile, seed: number, startDate: string): StoreState {
  const p = PROFILES[profileName];
  const setupAt = isoClassic(localToUtc(addDays(startDate, -45), 10 * 60, p.timezone));
  const store = {
    prefix: p.prefix,
    seed,
    config: { profile: profileName, cashRounding: p.cashRounding, rateLimitOverride: null },
    rng: seedPrng((seed ^ p.salt) >>> 0),
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

  store.users = p.users.map((name) => ({ id: newId(store), name }));

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
      phone: p.outletPhone,
      orderPrefix: o.orderPrefix,
      ...(p.inclusive ? { displayPrices: "inclusive" as const } : {}),
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

  const leaf = new Map<string, CategoryRec>();
  for (const [key, name, parent] of p.categories) {
    const c = { id: newId(store), name, parentId: parent ? leaf.get(parent)!.id : null, version: nextVersion(store) };
    store.categories[c.id] = c;
    leaf.set(key, c);
  }

  const supplierFor = new Map<string, string>();
  for (const [name, description, first, last, cats] of p.suppliers) {
    const id = newId(store);
    store.suppliers[id] = {
      id,
      name,
      description,
      companyName: name,
      firstName: first,
      lastName: last,
      email: `${first.toLowerCase()}@${asciiLower(name)}.example`,
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
    cat: string | null,
    tax: string,
  ): ProductRec => {
    const id = newId(store);
    const rates = store.taxes[taxId(tax)]!.rates;
    const rec: ProductRec = {
      id,
      kind,
      name,
      handle: sku.toLowerCase(),
      sku,
      // a tax-inclusive store sets the shelf price; the POS keeps the ex-tax price to 5 places (rule 8)
      price: p.inclusive && kind === "product" ? text(splitInclusive(dec(price), rates).ex) : price,
      ...(p.inclusive && kind === "product" ? { priceInclTax: price } : {}),
      supplyPrice: supply,
      categoryId: cat ? leaf.get(cat)!.id : null,
      taxId: taxId(tax),
      supplierId: cat ? (supplierFor.get(cat) ?? null) : null,
      createdAt: setupAt,
      updatedAt: setupAt,
      version: nextVersion(store),
    };
    store.products[id] = rec;
    return rec;
  };
  p.products.forEach(([name, cat, price, supply, tax], i) => {
    product("product", name, `${cat.slice(0, 3).toUpperCase()}-${String(100 + i)}`, price, supply, cat, tax);
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

  const groupId = newId(store);
  p.customers.forEach(([first, last, company, limit], i) => {
    const id = newId(store);
    store.customers[id] = {
      id,
      firstName: first,
      lastName: last,
      companyName: company,
      email: `${asciiLower(first)}.${asciiLower(last)}@example.com`,
      phone: p.customerPhone(i),
      customerCode: `${last
        .toUpperCase()
        .normalize("NFD")
        .replace(/[^A-Z]/g, "")
        .slice(0, 5)}-${String(1000 + i)}`,
      customerGroupId: groupId,
      onAccountLimit: limit === null ? null : limit * 100,
      // two customers in three are loyalty members where the store runs loyalty
      ...(p.loyaltyRatio !== null && i % 3 !== 2 ? { loyalty: true as const } : {}),
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
    currencySymbol: p.currencySymbol,
    culture: p.culture,
    timezone: p.timezone,
    taxExclusive: !p.inclusive,
    ...(p.loyaltyRatio !== null ? { loyaltyRatio: p.loyaltyRatio } : {}),
    discountProductId: discount.id,
    giftCardProductId: giftCard.id,
    noTaxGroupId: taxId(noTax),
    createdAt: setupAt,
    version: nextVersion(store),
  };
  return store;
}

/**
 * Full activity in a store set up without loyalty (the classic CA and US stores): the Loyalty payment
 * type, a loyalty ratio and two customers in three as members — drawn after everything else, so the
 * rest of the store is what the classic store has.
 */
export function enableLoyalty(store: StoreState): void {
  if (Object.values(store.paymentTypes).some((t) => t.kind === "loyalty")) return;
  const id = newId(store);
  store.paymentTypes[id] = {
    id,
    name: "Loyalty",
    typeId: 106,
    kind: "loyalty",
    createdAt: store.retailer.createdAt,
    deletedAt: null,
    version: nextVersion(store),
  };
  store.retailer.loyaltyRatio = "0.02";
  store.retailer.version = nextVersion(store);
  Object.values(store.customers).forEach((c, i) => {
    if (i % 3 === 2) return;
    c.loyalty = true;
    c.version = nextVersion(store);
  });
}
