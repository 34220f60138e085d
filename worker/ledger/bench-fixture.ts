import type { PosTax, RegisterClosure, Sale, SaleLine, SalePayment } from "../../shared/domain/pos";
import type { QboRefs } from "../../shared/domain/qbo";
import { Mappings } from "../../shared/mappings";
import { formatDec, minorToDec, mulDec, parseDec, toMinor } from "../../shared/money";
import type { LedgerContext } from "./types";

/**
 * A realistic closure of N sale lines for `npm run bench`: a Quebec shop with 24 categories over 6
 * items, GST + QST and GST-only products, line discounts and returns, a gift card now and then, card
 * and 5-cent-rounded cash payments, and one on-account sale paid at the register. Deterministic: the
 * same N always builds the same closure.
 */
export function makeBenchClosure(lines: number): { closure: RegisterClosure; ctx: LedgerContext } {
  let seed = 0x2545f491;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; // LCG: cheap and reproducible
    return (seed >>> 8) % n;
  };
  const sales: Sale[] = [];
  const expected = { cash: 0, card: 0, onAccount: 0 };
  let made = 0;
  while (made < lines) {
    const count = Math.min(1 + next(5), lines - made);
    const saleLines: SaleLine[] = [];
    for (let i = 0; i < count; i++, made++)
      saleLines.push(made % 97 === 96 ? giftCard(made, 2500) : productLine(made, next));
    const s = sale(`b${sales.length}`, saleLines);
    const cash = next(3) === 0;
    const paid = cash ? roundCash(s.totalMinor) : s.totalMinor;
    s.roundingMinor = paid - s.totalMinor;
    s.payments = paid === 0 ? [] : [payment(s.id, cash ? "pt-cash" : "pt-card", paid)];
    if (cash) expected.cash += paid;
    else expected.card += paid;
    sales.push(s);
  }
  const onAccount = sale("oa", [productLine(lines + 1, next)]);
  onAccount.kind = "on_account";
  onAccount.state = "pending";
  onAccount.completedSequenceId = null;
  onAccount.customer = {
    id: "c1",
    firstName: "Bench",
    lastName: "Customer",
    companyName: null,
    email: null,
    customerCode: null,
  };
  onAccount.payments = [payment("oa", "pt-oa", onAccount.totalMinor), payment("oa", "pt-cash", 1000)];
  expected.onAccount += onAccount.totalMinor;
  expected.cash += 1000;
  sales.push(onAccount);
  const closure: RegisterClosure = {
    id: "bench-seq",
    registerId: "reg-1",
    registerName: "Main 1",
    outletId: "out-1",
    outletName: "Montréal",
    timeZone: "America/Toronto",
    sequenceNumber: 1,
    openedAt: "2026-03-14T13:00:00Z",
    closedAt: "2026-03-14T23:30:00Z",
    payments: [
      { paymentTypeId: "pt-cash", name: "Cash", expectedMinor: expected.cash, countedMinor: expected.cash - 35 },
      { paymentTypeId: "pt-card", name: "Credit Card", expectedMinor: expected.card, countedMinor: expected.card },
      { paymentTypeId: "pt-oa", name: "On Account", expectedMinor: expected.onAccount, countedMinor: null },
    ],
    sales,
  };
  return { closure, ctx: benchContext() };
}

const TAXES: PosTax[] = [
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
];

function productLine(n: number, next: (n: number) => number): SaleLine {
  const tax = TAXES[next(4) === 0 ? 1 : 0]!;
  const quantity = `${next(8) === 0 ? "-" : ""}${1 + next(3)}`;
  const unitListPrice = formatDec({ m: BigInt(100_000 + next(9_900_000)), s: 5 });
  const listMinor = toMinor(mulDec(parseDec(quantity), parseDec(unitListPrice)), "half-up");
  const discountMinor = next(4) === 0 ? toMinor(mulDec(minorToDec(listMinor), parseDec("0.15")), "half-up") : 0;
  const netMinor = listMinor - discountMinor;
  return {
    id: `bl${n}`,
    kind: "product",
    productId: `p${n % 400}`,
    productName: `Product ${n % 400}`,
    sku: `SKU-${n % 400}`,
    categoryId: `cat-${n % 24}`,
    quantity,
    unitListPrice,
    listMinor,
    discountMinor,
    netMinor,
    taxId: tax.id,
    taxes: tax.rates.map((r) => ({
      rateId: r.id,
      taxMinor: toMinor(mulDec(minorToDec(netMinor), parseDec(r.rate)), "half-up"),
    })),
    isReturn: quantity.startsWith("-"),
    giftCardNumber: null,
  };
}

function giftCard(n: number, amountMinor: number): SaleLine {
  return {
    id: `bl${n}`,
    kind: "gift_card",
    productId: "gc",
    productName: "Gift Card",
    sku: null,
    categoryId: null,
    quantity: "1",
    unitListPrice: formatDec(minorToDec(amountMinor)),
    listMinor: amountMinor,
    discountMinor: 0,
    netMinor: amountMinor,
    taxId: null,
    taxes: [],
    isReturn: false,
    giftCardNumber: `GC-${n}`,
  };
}

function sale(id: string, lines: SaleLine[]): Sale {
  const totalExTaxMinor = lines.reduce((s, l) => s + l.netMinor, 0);
  const byRate = new Map<string, number>();
  for (const l of lines) for (const t of l.taxes) byRate.set(t.rateId, (byRate.get(t.rateId) ?? 0) + t.taxMinor);
  const totalTaxMinor = [...byRate.values()].reduce((a, b) => a + b, 0);
  return {
    id,
    version: "1",
    outletId: "out-1",
    registerId: "reg-1",
    invoiceNumber: id,
    saleDate: "2026-03-14T18:00:00Z",
    state: "closed",
    kind: "regular",
    customer: null,
    completedSequenceId: "bench-seq",
    returnForSaleId: null,
    lines,
    totalExTaxMinor,
    totalTaxMinor,
    totalMinor: totalExTaxMinor + totalTaxMinor,
    taxes: [...byRate.entries()].map(([rateId, taxMinor]) => ({ rateId, taxMinor })),
    roundingMinor: 0,
    payments: [],
    note: null,
  };
}

function payment(saleId: string, paymentTypeId: string, amountMinor: number): SalePayment {
  return {
    id: `${saleId}-${paymentTypeId}`,
    paymentTypeId,
    paymentTypeName: paymentTypeId,
    amountMinor,
    paidAt: "2026-03-14T18:00:00Z",
    registerId: "reg-1",
    sequenceId: "bench-seq",
  };
}

function roundCash(c: number): number {
  const r = ((c % 5) + 5) % 5;
  return r <= 2 ? c - r : c + (5 - r);
}

const account = (id: string, name: string, accountType: string) => ({
  id,
  name,
  fullyQualifiedName: name,
  accountType,
  accountSubType: null,
  active: true,
});
const item = (id: string, name: string, incomeAccountId: string) => ({
  id,
  name,
  type: "Service",
  incomeAccountId,
  expenseAccountId: null,
  assetAccountId: null,
  active: true,
});
const rate = (rateId: string, name: string, ratePercent: string) => ({ rateId, name, ratePercent, agencyId: null });
const taxCode = (id: string, name: string, taxable: boolean, salesRates: ReturnType<typeof rate>[]) => ({
  id,
  name,
  active: true,
  taxable,
  salesRates,
  purchaseRates: [],
});

/** The bench shop's QuickBooks company: a Canadian company with GST/QST codes and one item per line kind. */
const BENCH_REFS: QboRefs = {
  realmId: "1",
  companyName: "Bench",
  country: "CA",
  homeCurrency: "CAD",
  multiCurrency: false,
  bookCloseDate: null,
  classTracking: false,
  departmentTracking: false,
  accounts: [
    account("cash", "Till", "Bank"),
    account("card", "Card clearing", "Other Current Asset"),
    account("clearing", "POS clearing", "Other Current Asset"),
    account("gcl", "Gift card liability", "Other Current Liability"),
    account("inc", "Sales", "Income"),
  ],
  items: [
    ...Array.from({ length: 6 }, (_, i) => item(`i${i}`, `Sales ${i}`, "inc")),
    item("disc", "Discount", "inc"),
    item("gc", "Gift card liability", "gcl"),
    item("till", "Over/short", "inc"),
    item("round", "Rounding", "inc"),
  ],
  taxCodes: [
    taxCode("5", "GST/QST QC - 9.975", true, [rate("r-gst", "GST", "5"), rate("r-qst", "QST", "9.975")]),
    taxCode("6", "GST", true, [rate("r-gst", "GST", "5")]),
    taxCode("7", "Exempt", false, [rate("r-0", "Exempt", "0")]),
  ],
  classes: [],
  departments: [],
  paymentMethods: [],
  fetchedAt: "2026-03-14T00:00:00Z",
};

/** Its mappings: 24 POS categories over the 6 sales items, cash and card deposited, an on-account type. */
const BENCH_MAPPINGS = {
  categories: Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`cat-${i}`, `i${i % 6}`])),
  paymentTypes: {
    "pt-cash": { role: "deposit", accountId: "cash" },
    "pt-card": { role: "deposit", accountId: "card" },
    "pt-oa": { role: "on_account" },
  },
  taxes: { "tx-gstqst": { taxCodeId: "5" }, "tx-gst": { taxCodeId: "6" } },
  items: { discount: "disc", giftCardLiability: "gc", tillDiscrepancy: "till", rounding: "round" },
  accounts: { closureClearing: "clearing", giftCardLiability: "gcl" },
  nonTaxableTaxCodeId: "7",
  closureCustomerId: "1",
};

const BENCH_POS = {
  paymentTypes: [
    { id: "pt-cash", name: "Cash", typeId: 1, deleted: false },
    { id: "pt-card", name: "Credit Card", typeId: 3, deleted: false },
    { id: "pt-oa", name: "On Account", typeId: 8, deleted: false },
  ],
  categories: Array.from({ length: 24 }, (_, i) => ({
    id: `cat-${i}`,
    name: `Category ${i}`,
    path: `Category ${i}`,
    leaf: true,
  })),
  outlets: [{ id: "out-1", name: "Montréal", timeZone: "America/Toronto", currency: "CAD" }],
};

/** A fresh copy each time, so a caller that changes its context changes only its own. */
function benchContext(): LedgerContext {
  return {
    tenantId: "bench",
    mappings: Mappings.parse(structuredClone(BENCH_MAPPINGS)),
    mappingVersion: 1,
    refs: structuredClone(BENCH_REFS),
    paymentTypes: structuredClone(BENCH_POS.paymentTypes),
    taxes: TAXES,
    categories: structuredClone(BENCH_POS.categories),
    outlets: structuredClone(BENCH_POS.outlets),
  };
}
