import { addDec, type Dec } from "../../shared/money";
import { cents, dec, ZERO } from "./pricing";
import { must, rateName } from "./store";
import type { Cents, SaleRec, StoreState } from "./types";

/**
 * The sandbox's own truth about one closure, computed straight from its raw records (sales, lines,
 * payments, the sequence's counted totals) — never from the API JSON. Tillbridge's tie-out tests
 * compare its postings against these numbers, so every definition is spelled out:
 *
 * - payments[type].expected = Σ amounts of payments carrying this closure's sequence id, on sales that
 *   are not voided (all sales: regular, returns, on-account and layby payments alike);
 *   counted = what was entered at close (a type left out counts as expected); discrepancy = counted − expected.
 * - "sales" = the closure's SALES: completed in this sequence (`complete_open_sequence_id`), not voided,
 *   not on-account/layby (those are invoices of their own). For them:
 *   - undiscountedByCategory = Σ round_half_up(unit list × qty) of product lines per category (returns negative);
 *   - discounts = line discounts (listTotal − total of product lines) + sale-level discounts (−total of
 *     discount-product lines); so netSalesExTax = undiscounted − discounts = Σ product & discount line totals;
 *   - giftCardsSold = Σ totals of Gift Card product lines (cards sold or reloaded);
 *   - taxByRate = per rate, Σ over sales of round_half_up(Σ the sale's lines' exact tax for that rate);
 *   - storeCreditIssuedViaReturns = −Σ negative Store Credit payments on these sales, taken in this closure;
 *   - cashRounding = Σ the sales' rounding (paid − total);
 *   - totalExTax = netSalesExTax + giftCardsSold; totalInclTax = totalExTax + tax.
 * - accountPayments = per payment type, payments taken in this closure on on-account/layby sales.
 *   So for every payment type: expected = regularPayments + accountPayments.
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
    expectedMinor: Cents;
    countedMinor: Cents | null;
    discrepancyMinor: Cents | null;
  }[];
  sales: {
    saleIds: string[];
    undiscountedByCategory: { categoryId: string | null; name: string; amountMinor: Cents }[];
    undiscountedMinor: Cents;
    discountsMinor: Cents;
    netSalesExTaxMinor: Cents;
    giftCardsSoldMinor: Cents;
    taxByRate: { rateId: string; name: string; taxMinor: Cents }[];
    taxMinor: Cents;
    storeCreditIssuedViaReturnsMinor: Cents;
    cashRoundingMinor: Cents;
    totalExTaxMinor: Cents;
    totalInclTaxMinor: Cents;
  };
  /** Payments of regular sales (incl. returns) taken in this closure, per payment type. */
  regularPayments: { paymentTypeId: string; amountMinor: Cents }[];
  accountPayments: { paymentTypeId: string; name: string; amountMinor: Cents; saleIds: string[] }[];
}

const isAccountSale = (s: SaleRec) => s.attributes.includes("onaccount") || s.attributes.includes("layby");

function add(map: Map<string, Cents>, key: string, amount: Cents) {
  map.set(key, (map.get(key) ?? 0) + amount);
}

export function closureFigures(store: StoreState, closureId: string): ClosureFigures {
  const seq = must(store.sequences[closureId], `closure ${closureId}`);
  const live = Object.values(store.sales).filter((s) => s.state !== "voided");

  const expected = new Map<string, Cents>();
  const regular = new Map<string, Cents>();
  const account = new Map<string, { amount: Cents; saleIds: Set<string> }>();
  for (const sale of live) {
    for (const p of sale.payments) {
      if (p.sequenceId !== closureId) continue;
      add(expected, p.paymentTypeId, p.amount);
      if (isAccountSale(sale)) {
        const a = account.get(p.paymentTypeId) ?? { amount: 0, saleIds: new Set<string>() };
        a.amount += p.amount;
        a.saleIds.add(sale.id);
        account.set(p.paymentTypeId, a);
      } else add(regular, p.paymentTypeId, p.amount);
    }
  }

  const sales = live.filter((s) => s.completeSequenceId === closureId && s.state !== "parked" && !isAccountSale(s));
  const byCategory = new Map<string, Cents>();
  const taxByRate = new Map<string, Cents>();
  let undiscounted = 0;
  let discounts = 0;
  let giftCards = 0;
  let storeCredit = 0;
  let rounding = 0;
  for (const sale of sales) {
    const exact = new Map<string, Dec>();
    for (const line of sale.lines) {
      for (const t of line.taxes) exact.set(t.rateId, addDec(exact.get(t.rateId) ?? ZERO, dec(t.exact)));
      if (line.kind === "product") {
        add(byCategory, line.categoryId ?? "", line.listTotal);
        undiscounted += line.listTotal;
        discounts += line.listTotal - line.total;
      } else if (line.kind === "discount") {
        discounts -= line.total;
      } else giftCards += line.total;
    }
    for (const [rateId, d] of exact) add(taxByRate, rateId, cents(d));
    for (const p of sale.payments) {
      if (p.sequenceId === closureId && p.amount < 0 && store.paymentTypes[p.paymentTypeId]?.kind === "store_credit")
        storeCredit -= p.amount;
    }
    rounding += sale.rounding;
  }

  const tax = [...taxByRate.values()].reduce((s, v) => s + v, 0);
  const net = undiscounted - discounts;
  const types = Object.values(store.paymentTypes).filter((pt) => pt.deletedAt === null || expected.has(pt.id));
  return {
    closureId,
    registerId: seq.registerId,
    outletId: seq.outletId,
    sequenceNumber: seq.sequenceNumber,
    openedAt: seq.openedAt,
    closedAt: seq.closedAt,
    payments: types.map((pt) => {
      const e = expected.get(pt.id) ?? 0;
      const c = seq.counted ? (seq.counted[pt.id] ?? e) : null;
      return {
        paymentTypeId: pt.id,
        name: pt.name,
        expectedMinor: e,
        countedMinor: c,
        discrepancyMinor: c === null ? null : c - e,
      };
    }),
    sales: {
      saleIds: sales.map((s) => s.id),
      undiscountedByCategory: [...byCategory].map(([id, amountMinor]) => ({
        categoryId: id || null,
        name: id ? (store.categories[id]?.name ?? id) : "(no category)",
        amountMinor,
      })),
      undiscountedMinor: undiscounted,
      discountsMinor: discounts,
      netSalesExTaxMinor: net,
      giftCardsSoldMinor: giftCards,
      taxByRate: [...taxByRate].map(([rateId, taxMinor]) => ({ rateId, name: rateName(store, rateId), taxMinor })),
      taxMinor: tax,
      storeCreditIssuedViaReturnsMinor: storeCredit,
      cashRoundingMinor: rounding,
      totalExTaxMinor: net + giftCards,
      totalInclTaxMinor: net + giftCards + tax,
    },
    regularPayments: [...regular].map(([paymentTypeId, amountMinor]) => ({ paymentTypeId, amountMinor })),
    accountPayments: [...account].map(([paymentTypeId, a]) => ({
      paymentTypeId,
      name: store.paymentTypes[paymentTypeId]?.name ?? paymentTypeId,
      amountMinor: a.amount,
      saleIds: [...a.saleIds],
    })),
  };
}
