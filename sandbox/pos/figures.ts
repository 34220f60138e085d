import { addDec, subDec, type Dec } from "../../shared/money";
import { saleLoyaltyEarned } from "./ops/loyalty";
import { cents, centsToDec, counted, dec, lineListTotalDec, lineTotalDec, text, ZERO } from "./pricing";
import { must, rateName } from "./store";
import type { AdjustmentType, Cents, DecText, PaymentKind, SaleRec, StoreState } from "./types";

/**
 * The sandbox's own truth about one closure, computed straight from its raw records (sales, lines,
 * charges, payments, the sequence's counted totals) — never from the API JSON. Tillbridge's tie-out
 * tests compare its postings against these numbers, so every definition is spelled out.
 *
 * "Recorded" amounts are what the POS records on the sale: whole cents in a tax-exclusive store; up to
 * five decimals in a tax-inclusive one (pricing.ts rules 7–10). Every figure below with an `…Exact`
 * twin is the sum of recorded amounts at full precision and its `…Minor` is that sum rounded half-up
 * to the cent ONCE, per closure (SPEC §4.1); in a tax-exclusive store the two are equal.
 *
 * - payments[type]: expectedMinor = Σ amounts of payments carrying this closure's sequence id, on sales
 *   that are not voided (all sales: regular, returns, on-account and layby payments alike).
 *   expectedAtCloseMinor = what the POS's closure record says (the same, unless a sale of the closure
 *   was voided after close: the record keeps its figures). countedAtCloseMinor = what was entered at
 *   close (a type left out counts as expected). countedMinor = countedAtClose − the payments of sales
 *   voided after close (the void gave that money back: card reversal, cash out of the drawer), so
 *   discrepancyMinor = counted − expected is the till difference counted at close, unchanged by a late
 *   void. `kind` says which are Loyalty (never counted; SPEC §4.3), gift card, store credit…
 * - "sales" = the closure's SALES: completed in this sequence (`complete_open_sequence_id`), not voided,
 *   not on-account/layby (those are invoices of their own; so are the returns of on-account sales).
 *   Voided lines (`status: VOIDED`) count nowhere. For those sales:
 *   - undiscountedByCategory = per category, Σ recorded list totals (unit list ex tax × qty) of product
 *     lines (returns and an exchange's returned lines negative, each in its own category);
 *   - discounts = Σ line discounts (list − total of product lines) + sale-level discounts (−total of
 *     discount-product lines); netSalesExTaxMinor = undiscountedMinor − discountsMinor;
 *   - giftCardsSold = Σ totals of Gift Card product lines (cards sold or reloaded);
 *   - taxByRate = per rate, Σ the sales' recorded `taxes[]` for that rate (lines' and charges' tax);
 *   - charges = per type (SURCHARGE, NON_CASH_FEE, ECOM_CUSTOM_CHARGE) and tax, Σ the charges ex tax
 *     (their tax is in taxByRate; `taxByRate` on each charge says how much, unrounded);
 *   - tipsMinor = Σ TIP adjustments (never taxed: owed to staff);
 *   - storeCreditIssuedViaReturns = −Σ negative Store Credit payments on these sales, taken in this closure;
 *   - cashRounding = Σ the sales' cash rounding (paid − total);
 *   - taxRounding = what customers paid − cash rounding − (net sales + gift cards + charges + tips + tax):
 *     the residue of rounding each figure once (0 in a tax-exclusive store); rounding = cash + tax rounding;
 *   - loyaltyEarned = Σ loyalty the sales' lines earned (posts nothing);
 *   - totalExTax = net + gift cards + charges + tips; totalInclTax = totalExTax + tax + taxRounding, so
 *     totalInclTax + cashRounding = the sales' payments (regularPayments).
 * - accountPayments = per payment type, payments taken in this closure on on-account/layby sales and
 *   their returns (a cancelled layby's refund is a negative one). So for every payment type:
 *   expected = regularPayments + accountPayments. loyaltyRedeemedMinor = the regular sales' Loyalty
 *   payments in this closure.
 */

export interface ClosureFigures {
  closureId: string;
  registerId: string;
  outletId: string;
  sequenceNumber: number;
  openedAt: string;
  closedAt: string | null;
  payments: {
    paymentTypeId: string;
    name: string;
    kind: PaymentKind;
    expectedMinor: Cents;
    countedMinor: Cents | null;
    discrepancyMinor: Cents | null;
    expectedAtCloseMinor: Cents;
    countedAtCloseMinor: Cents | null;
  }[];
  sales: {
    saleIds: string[];
    undiscountedByCategory: { categoryId: string | null; name: string; amountMinor: Cents; amountExact: DecText }[];
    undiscountedMinor: Cents;
    discountsMinor: Cents;
    discountsExact: DecText;
    netSalesExTaxMinor: Cents;
    giftCardsSoldMinor: Cents;
    taxByRate: { rateId: string; name: string; taxMinor: Cents; taxExact: DecText }[];
    taxMinor: Cents;
    charges: {
      type: Exclude<AdjustmentType, "TIP">;
      taxId: string | null;
      taxName: string;
      amountMinor: Cents;
      amountExact: DecText;
      taxByRate: { rateId: string; taxExact: DecText }[];
    }[];
    chargesMinor: Cents;
    tipsMinor: Cents;
    storeCreditIssuedViaReturnsMinor: Cents;
    cashRoundingMinor: Cents;
    taxRoundingMinor: Cents;
    roundingMinor: Cents;
    loyaltyEarnedMinor: Cents;
    totalExTaxMinor: Cents;
    totalInclTaxMinor: Cents;
  };
  /** Payments of regular sales (incl. returns and exchanges) taken in this closure, per payment type. */
  regularPayments: { paymentTypeId: string; amountMinor: Cents }[];
  accountPayments: { paymentTypeId: string; name: string; amountMinor: Cents; saleIds: string[] }[];
  loyaltyRedeemedMinor: Cents;
  /** Payments of this closure on sales voided after it closed. */
  voidedAfterClose: { saleId: string; paymentTypeId: string; amountMinor: Cents }[];
}

const isAccountSale = (s: SaleRec) => s.attributes.includes("onaccount") || s.attributes.includes("layby");

function add(map: Map<string, Cents>, key: string, amount: Cents) {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function addD(map: Map<string, Dec>, key: string, amount: Dec) {
  map.set(key, addDec(map.get(key) ?? ZERO, amount));
}

interface PaymentSplit {
  expected: Map<string, Cents>;
  regular: Map<string, Cents>;
  account: Map<string, { amount: Cents; saleIds: Set<string> }>;
  voidedLate: ClosureFigures["voidedAfterClose"];
}

function splitPayments(store: StoreState, closureId: string, closedAt: string | null): PaymentSplit {
  const out: PaymentSplit = { expected: new Map(), regular: new Map(), account: new Map(), voidedLate: [] };
  for (const sale of Object.values(store.sales)) {
    for (const p of sale.payments) {
      if (p.sequenceId !== closureId) continue;
      if (sale.state === "voided") {
        if (closedAt && sale.voidedAt && sale.voidedAt > closedAt)
          out.voidedLate.push({ saleId: sale.id, paymentTypeId: p.paymentTypeId, amountMinor: p.amount });
        continue;
      }
      add(out.expected, p.paymentTypeId, p.amount);
      if (isAccountSale(sale)) {
        const a = out.account.get(p.paymentTypeId) ?? { amount: 0, saleIds: new Set<string>() };
        a.amount += p.amount;
        a.saleIds.add(sale.id);
        out.account.set(p.paymentTypeId, a);
      } else add(out.regular, p.paymentTypeId, p.amount);
    }
  }
  return out;
}

interface SalesSums {
  byCategory: Map<string, Dec>;
  discounts: Dec;
  giftCards: Dec;
  taxByRate: Map<string, Dec>;
  charges: Map<
    string,
    { type: Exclude<AdjustmentType, "TIP">; taxId: string | null; amount: Dec; taxes: Map<string, Dec> }
  >;
  tips: Cents;
  storeCredit: Cents;
  rounding: Cents;
  loyalty: Cents;
}

function sumSales(store: StoreState, sales: SaleRec[], closureId: string): SalesSums {
  const s: SalesSums = {
    byCategory: new Map(),
    discounts: ZERO,
    giftCards: ZERO,
    taxByRate: new Map(),
    charges: new Map(),
    tips: 0,
    storeCredit: 0,
    rounding: 0,
    loyalty: 0,
  };
  for (const sale of sales) {
    for (const line of counted(sale.lines)) {
      if (line.kind === "product") {
        addD(s.byCategory, line.categoryId ?? "", lineListTotalDec(line));
        s.discounts = addDec(s.discounts, subDec(lineListTotalDec(line), lineTotalDec(line)));
      } else if (line.kind === "discount") {
        s.discounts = subDec(s.discounts, lineTotalDec(line));
      } else s.giftCards = addDec(s.giftCards, lineTotalDec(line));
    }
    // the tax as the sale records it: cents per rate (exclusive), unrounded (inclusive)
    if (sale.exact) for (const t of sale.exact.taxes) addD(s.taxByRate, t.rateId, dec(t.tax));
    else for (const t of sale.taxes) addD(s.taxByRate, t.rateId, centsToDec(t.tax));
    for (const a of sale.adjustments ?? []) {
      if (a.type === "TIP") {
        s.tips += cents(dec(a.total));
        continue;
      }
      const key = `${a.type}|${a.taxId ?? ""}`;
      const c = s.charges.get(key) ?? { type: a.type, taxId: a.taxId, amount: ZERO, taxes: new Map<string, Dec>() };
      c.amount = addDec(c.amount, dec(a.total));
      for (const t of a.taxes) addD(c.taxes, t.rateId, dec(t.exact));
      s.charges.set(key, c);
    }
    for (const p of sale.payments) {
      if (p.sequenceId === closureId && p.amount < 0 && store.paymentTypes[p.paymentTypeId]?.kind === "store_credit")
        s.storeCredit -= p.amount;
    }
    s.rounding += sale.rounding;
    s.loyalty += saleLoyaltyEarned(sale);
  }
  return s;
}

function paymentRows(store: StoreState, closureId: string, split: PaymentSplit): ClosureFigures["payments"] {
  const seq = must(store.sequences[closureId], `closure ${closureId}`);
  const atClose = (id: string) => seq.expectedAtClose?.[id] ?? split.expected.get(id) ?? 0;
  const hadAtClose = (id: string) => split.expected.has(id) || (seq.expectedAtClose?.[id] ?? 0) !== 0;
  const types = Object.values(store.paymentTypes).filter(
    (pt) =>
      (pt.deletedAt === null || hadAtClose(pt.id)) &&
      (seq.closedAt === null || pt.createdAt <= seq.closedAt || hadAtClose(pt.id)),
  );
  return types.map((pt) => {
    const e = split.expected.get(pt.id) ?? 0;
    const late = split.voidedLate.filter((v) => v.paymentTypeId === pt.id).reduce((a, v) => a + v.amountMinor, 0);
    const countedAtClose = seq.counted ? (seq.counted[pt.id] ?? atClose(pt.id)) : null;
    const c = countedAtClose === null ? null : countedAtClose - late;
    return {
      paymentTypeId: pt.id,
      name: pt.name,
      kind: pt.kind,
      expectedMinor: e,
      countedMinor: c,
      discrepancyMinor: c === null ? null : c - e,
      expectedAtCloseMinor: atClose(pt.id),
      countedAtCloseMinor: countedAtClose,
    };
  });
}

export function closureFigures(store: StoreState, closureId: string): ClosureFigures {
  const seq = must(store.sequences[closureId], `closure ${closureId}`);
  const split = splitPayments(store, closureId, seq.closedAt);
  const sales = Object.values(store.sales).filter(
    (s) => s.state !== "voided" && s.completeSequenceId === closureId && s.state !== "parked" && !isAccountSale(s),
  );
  const sums = sumSales(store, sales, closureId);

  const categories = [...sums.byCategory].map(([id, exact]) => ({
    categoryId: id || null,
    name: id ? (store.categories[id]?.name ?? id) : "(no category)",
    amountMinor: cents(exact),
    amountExact: text(exact),
  }));
  const undiscounted = categories.reduce((a, c) => a + c.amountMinor, 0);
  const discounts = cents(sums.discounts);
  const taxByRate = [...sums.taxByRate].map(([rateId, exact]) => ({
    rateId,
    name: rateName(store, rateId),
    taxMinor: cents(exact),
    taxExact: text(exact),
  }));
  const tax = taxByRate.reduce((a, t) => a + t.taxMinor, 0);
  const charges = [...sums.charges.values()].map((c) => ({
    type: c.type,
    taxId: c.taxId,
    taxName: c.taxId ? (store.taxes[c.taxId]?.name ?? c.taxId) : "",
    amountMinor: cents(c.amount),
    amountExact: text(c.amount),
    taxByRate: [...c.taxes].map(([rateId, d]) => ({ rateId, taxExact: text(d) })),
  }));
  const chargesMinor = charges.reduce((a, c) => a + c.amountMinor, 0);
  const giftCards = cents(sums.giftCards);
  const net = undiscounted - discounts;
  const regularPaid = [...split.regular.values()].reduce((a, v) => a + v, 0);
  const totalExTax = net + giftCards + chargesMinor + sums.tips;
  const taxRounding = regularPaid - sums.rounding - (totalExTax + tax);
  const loyaltyTypes = new Set(
    Object.values(store.paymentTypes)
      .filter((t) => t.kind === "loyalty")
      .map((t) => t.id),
  );
  return {
    closureId,
    registerId: seq.registerId,
    outletId: seq.outletId,
    sequenceNumber: seq.sequenceNumber,
    openedAt: seq.openedAt,
    closedAt: seq.closedAt,
    payments: paymentRows(store, closureId, split),
    sales: {
      saleIds: sales.map((s) => s.id),
      undiscountedByCategory: categories,
      undiscountedMinor: undiscounted,
      discountsMinor: discounts,
      discountsExact: text(sums.discounts),
      netSalesExTaxMinor: net,
      giftCardsSoldMinor: giftCards,
      taxByRate,
      taxMinor: tax,
      charges,
      chargesMinor,
      tipsMinor: sums.tips,
      storeCreditIssuedViaReturnsMinor: sums.storeCredit,
      cashRoundingMinor: sums.rounding,
      taxRoundingMinor: taxRounding,
      roundingMinor: sums.rounding + taxRounding,
      loyaltyEarnedMinor: sums.loyalty,
      totalExTaxMinor: totalExTax,
      totalInclTaxMinor: totalExTax + tax + taxRounding,
    },
    regularPayments: [...split.regular].map(([paymentTypeId, amountMinor]) => ({ paymentTypeId, amountMinor })),
    accountPayments: [...split.account].map(([paymentTypeId, a]) => ({
      paymentTypeId,
      name: store.paymentTypes[paymentTypeId]?.name ?? paymentTypeId,
      amountMinor: a.amount,
      saleIds: [...a.saleIds],
    })),
    loyaltyRedeemedMinor: [...split.regular].filter(([id]) => loyaltyTypes.has(id)).reduce((a, [, v]) => a + v, 0),
    voidedAfterClose: split.voidedLate,
  };
}
