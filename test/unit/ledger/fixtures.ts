import type {
  Customer,
  PosTax,
  RegisterClosure,
  Sale,
  SaleLine,
  SalePayment,
  Supplier,
} from "../../../shared/domain/pos";
import type { QboAccount, QboItem, QboRefs, QboTaxCode } from "../../../shared/domain/qbo";
import { Mappings } from "../../../shared/mappings";
import type { LedgerContext } from "../../../worker/ledger";

/** A Quebec company (GST + QST), its POS reference data and complete mappings. */

const acct = (id: string, name: string, accountType: string, active = true): QboAccount => ({
  id,
  name,
  fullyQualifiedName: name,
  accountType,
  accountSubType: null,
  active,
});
const item = (id: string, name: string, incomeAccountId: string | null, type = "Service", active = true): QboItem => ({
  id,
  name,
  type,
  incomeAccountId,
  expenseAccountId: null,
  assetAccountId: null,
  active,
});
const rate = (rateId: string, name: string, ratePercent: string) => ({ rateId, name, ratePercent, agencyId: null });
const code = (
  id: string,
  name: string,
  salesRates: QboTaxCode["salesRates"],
  purchaseRates: QboTaxCode["purchaseRates"] = [],
  active = true,
): QboTaxCode => ({
  id,
  name,
  active,
  taxable: salesRates.length > 0,
  salesRates,
  purchaseRates,
});

export const ACCOUNTS = {
  cash: "10",
  card: "11",
  afterpay: "12",
  clearing: "20",
  giftCardLiability: "30",
  storeCreditLiability: "31",
  tipsPayable: "32",
  clothingIncome: "40",
  accessoriesIncome: "41",
  booksIncome: "42",
  discounts: "43",
  overShort: "44",
  rounding: "45",
  breakage: "46",
  surchargeIncome: "47",
  customChargeIncome: "48",
  storeCreditExpense: "50",
  loyalty: "51",
  inventory: "60",
  freight: "61",
  duties: "62",
  purchaseDiscounts: "63",
  payable: "70",
  receivable: "71",
  oldTill: "90",
  salesIncome: "91",
} as const;

export function caRefs(): QboRefs {
  const a = ACCOUNTS;
  return {
    realmId: "9130",
    companyName: "Boutique Laurier",
    country: "CA",
    homeCurrency: "CAD",
    multiCurrency: false,
    bookCloseDate: null,
    classTracking: true,
    departmentTracking: true,
    accounts: [
      acct(a.cash, "Till cash", "Bank"),
      acct(a.card, "Card clearing", "Other Current Asset"),
      acct(a.afterpay, "Afterpay clearing", "Other Current Asset"),
      acct(a.clearing, "Tillbridge POS clearing", "Other Current Asset"),
      acct(a.giftCardLiability, "Gift card liability", "Other Current Liability"),
      acct(a.storeCreditLiability, "Store credit liability", "Other Current Liability"),
      acct(a.tipsPayable, "Tips payable", "Other Current Liability"),
      acct(a.surchargeIncome, "Surcharges and fees", "Income"),
      acct(a.customChargeIncome, "Custom charges income", "Income"),
      acct(a.loyalty, "Loyalty redemptions", "Expense"),
      acct(a.clothingIncome, "Sales – Clothing", "Income"),
      acct(a.accessoriesIncome, "Sales – Accessories", "Income"),
      acct(a.booksIncome, "Sales – Books", "Income"),
      acct(a.discounts, "Discounts given", "Income"),
      acct(a.overShort, "Cash over/short", "Other Income"),
      acct(a.rounding, "Cash rounding", "Other Income"),
      acct(a.breakage, "Gift card breakage", "Other Income"),
      acct(a.storeCreditExpense, "Store credit expense", "Expense"),
      acct(a.inventory, "Inventory Asset", "Other Current Asset"),
      acct(a.freight, "Freight in", "Cost of Goods Sold"),
      acct(a.duties, "Customs duties", "Cost of Goods Sold"),
      acct(a.purchaseDiscounts, "Purchase discounts", "Cost of Goods Sold"),
      acct(a.payable, "Accounts Payable (A/P)", "Accounts Payable"),
      acct(a.receivable, "Accounts Receivable (A/R)", "Accounts Receivable"),
      acct(a.oldTill, "Old till", "Bank", false),
      acct(a.salesIncome, "Sales", "Income"),
    ],
    items: [
      item("100", "Clothing", a.clothingIncome),
      item("101", "Accessories", a.accessoriesIncome),
      item("102", "Books", a.booksIncome, "NonInventory"),
      item("110", "Discount", a.discounts),
      item("111", "Gift card liability", a.giftCardLiability),
      item("112", "Store credit liability", a.storeCreditLiability),
      item("113", "Till over/short", a.overShort),
      item("114", "Rounding", a.rounding),
      item("115", "Tips", a.tipsPayable),
      item("116", "Surcharges and fees", a.surchargeIncome),
      item("117", "Custom charges", a.customChargeIncome),
      item("120", "Old stock", a.salesIncome, "Service", false),
      item("121", "Tracked stock", a.salesIncome, "Inventory"),
      item("122", "Misposted gift cards", a.salesIncome),
    ],
    taxCodes: [
      code(
        "5",
        "GST/QST QC - 9.975",
        [rate("r-gst", "GST", "5"), rate("r-qst", "QST", "9.975")],
        [rate("p-gst", "GST ITC", "5"), rate("p-qst", "QST ITR", "9.975")],
      ),
      code("6", "GST", [rate("r-gst", "GST", "5")], [rate("p-gst", "GST ITC", "5")]),
      code("7", "Exempt", [rate("r-zero", "Exempt", "0")]),
      code("8", "HST ON", [rate("r-hst", "HST ON", "13")]),
      code("9", "Retired code", [rate("r-gst", "GST", "5")], [], false),
    ],
    classes: [
      { id: "c1", name: "Montréal", active: true },
      { id: "c2", name: "Closed store", active: false },
    ],
    departments: [{ id: "d1", name: "Laurier", active: true }],
    paymentMethods: [],
    fetchedAt: "2026-03-14T00:00:00Z",
  };
}

export const POS_TAXES: PosTax[] = [
  {
    id: "tx-gstqst",
    name: "GST + QST",
    rates: [
      { id: "pr-gst", name: "GST", rate: "0.05" },
      { id: "pr-qst", name: "QST", rate: "0.09975" },
    ],
    deleted: false,
  },
  { id: "tx-gst", name: "GST", rates: [{ id: "pr-gst", name: "GST", rate: "0.05" }], deleted: false },
  { id: "tx-none", name: "No tax", rates: [], deleted: false },
  { id: "tx-hst", name: "HST", rates: [{ id: "pr-hst", name: "HST", rate: "0.13" }], deleted: false },
];

export const PT = {
  cash: "pt-cash",
  card: "pt-card",
  afterpay: "pt-afterpay",
  giftCard: "pt-gc",
  storeCredit: "pt-sc",
  onAccount: "pt-oa",
  paypal: "pt-paypal",
  loyalty: "pt-loyalty",
} as const;

export function caMappings(): Mappings {
  const a = ACCOUNTS;
  return Mappings.parse({
    categories: { "cat-tops": "100", "cat-shirts": "100", "cat-acc": "101", "cat-books": "102" },
    paymentTypes: {
      [PT.cash]: { role: "deposit", accountId: a.cash },
      [PT.card]: { role: "deposit", accountId: a.card },
      [PT.afterpay]: { role: "deposit", accountId: a.afterpay },
      [PT.giftCard]: { role: "gift_card" },
      [PT.storeCredit]: { role: "store_credit" },
      [PT.onAccount]: { role: "on_account" },
      [PT.loyalty]: { role: "loyalty" },
    },
    taxes: { "tx-gstqst": { taxCodeId: "5" }, "tx-gst": { taxCodeId: "6" }, "tx-none": { taxCodeId: "7" } },
    outlets: { "out-mtl": { classId: "c1", departmentId: "d1" } },
    items: {
      discount: "110",
      giftCardLiability: "111",
      storeCreditLiability: "112",
      tillDiscrepancy: "113",
      rounding: "114",
      tips: "115",
      surcharge: "116",
      customCharge: "117",
    },
    accounts: {
      closureClearing: a.clearing,
      giftCardLiability: a.giftCardLiability,
      giftCardBreakage: a.breakage,
      storeCreditLiability: a.storeCreditLiability,
      storeCreditExpense: a.storeCreditExpense,
      tipsPayable: a.tipsPayable,
      loyalty: a.loyalty,
      inventoryAsset: a.inventory,
      shipping: a.freight,
      purchaseDiscount: a.purchaseDiscounts,
      duties: a.duties,
    },
    nonTaxableTaxCodeId: "7",
    purchaseTaxCodeId: "5",
    closureCustomerId: "300",
  });
}

export function caContext(overrides: Partial<LedgerContext> = {}): LedgerContext {
  return {
    tenantId: "laurier",
    mappings: caMappings(),
    mappingVersion: 3,
    refs: caRefs(),
    paymentTypes: [
      { id: PT.cash, name: "Cash", typeId: 1, deleted: false },
      { id: PT.card, name: "Credit Card", typeId: 3, deleted: false },
      { id: PT.afterpay, name: "Afterpay", typeId: 7, deleted: true },
      { id: PT.giftCard, name: "Gift Card", typeId: 5, deleted: false },
      { id: PT.storeCredit, name: "Store Credit", typeId: 6, deleted: false },
      { id: PT.onAccount, name: "On Account", typeId: 8, deleted: false },
      { id: PT.paypal, name: "PayPal", typeId: 9, deleted: false },
      { id: PT.loyalty, name: "Loyalty", typeId: 106, deleted: false },
    ],
    taxes: POS_TAXES,
    categories: [
      { id: "cat-tops", name: "Tops", path: "Clothing > Tops", leaf: true },
      { id: "cat-shirts", name: "Shirts", path: "Clothing > Shirts", leaf: true },
      { id: "cat-acc", name: "Accessories", path: "Accessories", leaf: true },
      { id: "cat-books", name: "Books", path: "Books", leaf: true },
      { id: "cat-new", name: "New arrivals", path: "New arrivals", leaf: true },
    ],
    outlets: [{ id: "out-mtl", name: "Montréal", timeZone: "America/Toronto", currency: "CAD" }],
    ...overrides,
  };
}

export const CLOSURE_ID = "seq-12";

let lineSeq = 0;
/** A product line with hand-computed cents: net = list − discount. */
export function product(
  name: string,
  categoryId: string | null,
  quantity: string,
  unitListPrice: string,
  listMinor: number,
  discountMinor: number,
  taxId: string | null,
  taxes: [string, number][],
): SaleLine {
  return {
    id: `l${++lineSeq}`,
    kind: "product",
    productId: `p-${name}`,
    productName: name,
    sku: null,
    categoryId,
    quantity,
    unitListPrice,
    listMinor,
    discountMinor,
    netMinor: listMinor - discountMinor,
    taxId,
    taxes: taxes.map(([rateId, taxMinor]) => ({ rateId, taxMinor })),
    isReturn: quantity.startsWith("-"),
    giftCardNumber: null,
  };
}

export function giftCardLine(number: string, amountMinor: number): SaleLine {
  return {
    id: `l${++lineSeq}`,
    kind: "gift_card",
    productId: "p-gift-card",
    productName: "Gift Card",
    sku: null,
    categoryId: null,
    quantity: "1",
    unitListPrice: String(amountMinor / 100),
    listMinor: amountMinor,
    discountMinor: 0,
    netMinor: amountMinor,
    taxId: null,
    taxes: [],
    isReturn: false,
    giftCardNumber: number,
  };
}

export function saleDiscountLine(discountMinor: number, taxId: string, taxes: [string, number][]): SaleLine {
  return {
    id: `l${++lineSeq}`,
    kind: "sale_discount",
    productId: "p-discount",
    productName: "Discount",
    sku: null,
    categoryId: null,
    quantity: "1",
    unitListPrice: "0",
    listMinor: 0,
    discountMinor,
    netMinor: -discountMinor,
    taxId,
    taxes: taxes.map(([rateId, taxMinor]) => ({ rateId, taxMinor })),
    isReturn: false,
    giftCardNumber: null,
  };
}

let paymentSeq = 0;
export function pay(
  paymentTypeId: string,
  amountMinor: number,
  sequenceId: string | null = CLOSURE_ID,
  paidAt = "2026-03-14T18:00:00Z",
): SalePayment {
  const names: Record<string, string> = {
    [PT.cash]: "Cash",
    [PT.card]: "Credit Card",
    [PT.afterpay]: "Afterpay",
    [PT.giftCard]: "Gift Card",
    [PT.storeCredit]: "Store Credit",
    [PT.onAccount]: "On Account",
    [PT.paypal]: "PayPal",
  };
  return {
    id: `pay${++paymentSeq}`,
    paymentTypeId,
    paymentTypeName: names[paymentTypeId] ?? paymentTypeId,
    amountMinor,
    paidAt,
    registerId: "reg-1",
    sequenceId,
  };
}

export const CUSTOMER: Customer = {
  id: "cust-1",
  firstName: "Élodie",
  lastName: "Tremblay",
  companyName: "Atelier Tremblay",
  email: "e@atelier.example",
  customerCode: "C-1001",
};

/** A sale whose totals are the sums of its lines (the POS connector's promise). */
export function sale(
  invoiceNumber: string,
  lines: SaleLine[],
  payments: SalePayment[],
  extra: Partial<Sale> = {},
): Sale {
  const totalExTaxMinor = lines.reduce((s, l) => s + l.netMinor, 0);
  const byRate = new Map<string, number>();
  for (const l of lines) for (const t of l.taxes) byRate.set(t.rateId, (byRate.get(t.rateId) ?? 0) + t.taxMinor);
  const totalTaxMinor = [...byRate.values()].reduce((a, b) => a + b, 0);
  return {
    id: `sale-${invoiceNumber}`,
    version: "7",
    outletId: "out-mtl",
    registerId: "reg-1",
    invoiceNumber,
    saleDate: "2026-03-14T17:59:00Z",
    state: "closed",
    kind: "regular",
    customer: null,
    completedSequenceId: CLOSURE_ID,
    returnForSaleId: null,
    lines,
    totalExTaxMinor,
    totalTaxMinor,
    totalMinor: totalExTaxMinor + totalTaxMinor,
    taxes: [...byRate.entries()].map(([rateId, taxMinor]) => ({ rateId, taxMinor })),
    roundingMinor: 0,
    payments,
    note: null,
    ...extra,
  };
}

export function closure(
  sales: Sale[],
  payments: RegisterClosure["payments"],
  extra: Partial<RegisterClosure> = {},
): RegisterClosure {
  return {
    id: CLOSURE_ID,
    registerId: "reg-1",
    registerName: "Main 1",
    outletId: "out-mtl",
    outletName: "Montréal",
    timeZone: "America/Toronto",
    sequenceNumber: 12,
    openedAt: "2026-03-14T13:00:00Z",
    closedAt: "2026-03-14T23:30:00Z",
    payments,
    sales,
    ...extra,
  };
}

export const SUPPLIER: Supplier = {
  id: "sup-1",
  name: "Tissus Nord",
  companyName: "Tissus Nord Inc.",
  firstName: null,
  lastName: null,
  email: null,
};

/** The same shop as a US company: TAX/NON lines and one TxnTaxCodeRef per document. */
export function usContext(): LedgerContext {
  const ctx = caContext();
  ctx.refs = {
    ...ctx.refs,
    country: "US",
    homeCurrency: "USD",
    taxCodes: [
      code("2", "NYC", [rate("ny", "NY State", "4"), rate("nyc", "NYC", "4.875")]),
      code("3", "Albany", [rate("ny", "NY State", "4"), rate("alb", "Albany County", "4")]),
    ],
  };
  ctx.outlets = [{ id: "out-mtl", name: "SoHo", timeZone: "America/New_York", currency: "USD" }];
  ctx.taxes = [
    {
      id: "tx-nyc",
      name: "NYC sales tax",
      rates: [{ id: "pr-nyc", name: "NYC combined", rate: "0.08875" }],
      deleted: false,
    },
    {
      id: "tx-alb",
      name: "Albany sales tax",
      rates: [{ id: "pr-alb", name: "Albany combined", rate: "0.08" }],
      deleted: false,
    },
    { id: "tx-exempt", name: "Exempt", rates: [], deleted: false },
  ];
  ctx.mappings.taxes = {
    "tx-nyc": { taxable: true, taxCodeId: "2" },
    "tx-alb": { taxable: true, taxCodeId: "3" },
    "tx-exempt": { taxable: false },
  };
  return ctx;
}

/**
 * A Quebec closure worked by hand (GST 5 %, QST 9.975 %):
 *  #1001  T-shirt 2 × 25.00 less 5.00 (GST+QST: 2.25 + 4.49), Scarf 19.99 (1.00 + 1.99), Book 30.00 (GST 1.50) → 106.22 by card
 *  #1002  Shirt 9.99 (0.50 + 1.00) = 11.49, paid 11.50 cash (rounding +0.01)
 *  #1003  Gift card GC-555 sold 50.00, cash
 *  #1004  Return of a T-shirt −25.00 less −2.50 (−1.13, −2.24) = −25.87 → store credit issued
 *  #1005  Book 40.00 with a 4.00 sale discount (GST 2.00 − 0.20) = 37.80: gift card 20.00 + cash 17.80
 *  #1006  on-account sale 114.98 (its lines stay out); 20.00 cash taken on it in this closure
 *  #1007  voided sale (its 10.00 card payment stays out)
 *  Closure: cash expected 99.30 counted 98.30 (short 1.00); card 106.22/106.22; gift card 20.00; store credit −25.87
 */
export function quebecClosure(): RegisterClosure {
  const s1001 = sale(
    "1001",
    [
      product("T-shirt", "cat-tops", "2", "25.00000", 5000, 500, "tx-gstqst", [
        ["pr-gst", 225],
        ["pr-qst", 449],
      ]),
      product("Scarf", "cat-acc", "1", "19.99000", 1999, 0, "tx-gstqst", [
        ["pr-gst", 100],
        ["pr-qst", 199],
      ]),
      product("Book", "cat-books", "1", "30.00000", 3000, 0, "tx-gst", [["pr-gst", 150]]),
    ],
    [pay(PT.card, 10622)],
  );
  const s1002 = sale(
    "1002",
    [
      product("Shirt", "cat-shirts", "1", "9.99000", 999, 0, "tx-gstqst", [
        ["pr-gst", 50],
        ["pr-qst", 100],
      ]),
    ],
    [pay(PT.cash, 1150)],
    { roundingMinor: 1 },
  );
  const s1003 = sale("1003", [giftCardLine("GC-555", 5000)], [pay(PT.cash, 5000)]);
  const s1004 = sale(
    "1004",
    [
      product("T-shirt", "cat-tops", "-1", "25.00000", -2500, -250, "tx-gstqst", [
        ["pr-gst", -113],
        ["pr-qst", -224],
      ]),
    ],
    [pay(PT.storeCredit, -2587)],
    {
      returnForSaleId: "sale-0990",
    },
  );
  const s1005 = sale(
    "1005",
    [
      product("Atlas", "cat-books", "1", "40.00000", 4000, 0, "tx-gst", [["pr-gst", 200]]),
      saleDiscountLine(400, "tx-gst", [["pr-gst", -20]]),
    ],
    [pay(PT.giftCard, 2000), pay(PT.cash, 1780)],
  );
  const s1006 = sale(
    "1006",
    [
      product("Handbag", "cat-acc", "1", "100.00000", 10000, 0, "tx-gstqst", [
        ["pr-gst", 500],
        ["pr-qst", 998],
      ]),
    ],
    [pay(PT.onAccount, 11498), pay(PT.cash, 2000)],
    {
      kind: "on_account",
      state: "pending",
      completedSequenceId: null,
      customer: CUSTOMER,
    },
  );
  const s1007 = sale(
    "1007",
    [
      product("Hat", "cat-acc", "1", "8.69565", 870, 0, "tx-gstqst", [
        ["pr-gst", 44],
        ["pr-qst", 87],
      ]),
    ],
    [pay(PT.card, 1000)],
    { state: "voided" },
  );
  return closure(
    [s1001, s1002, s1003, s1004, s1005, s1006, s1007],
    [
      { paymentTypeId: PT.cash, name: "Cash", expectedMinor: 9930, countedMinor: 9830 },
      { paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 10622, countedMinor: 10622 },
      { paymentTypeId: PT.giftCard, name: "Gift Card", expectedMinor: 2000, countedMinor: null },
      { paymentTypeId: PT.storeCredit, name: "Store Credit", expectedMinor: -2587, countedMinor: null },
      { paymentTypeId: PT.onAccount, name: "On Account", expectedMinor: 11498, countedMinor: null },
    ],
  );
}
