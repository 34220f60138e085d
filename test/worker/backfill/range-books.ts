import type { Mappings } from "../../../shared/mappings";
import type { SaleRec } from "../../../sandbox/pos/types";
import { expectedLedger, type RefsLike } from "../support/books";
import type { Stack } from "../support/stack";
import { TENANT } from "../support/stack";

/**
 * What QBO's books must show after a backfill of [from, to] in the demo store, computed from the
 * POS sandbox's raw records and its own closure figures (not from Tillbridge), per SPEC §1 and §4,
 * with the backfill's choice for closures whose counted totals were never given: counted =
 * expected, so no till discrepancy and each deposit account receives what was expected. Days are
 * local business days in the store's time zone. Per QBO account: the change in balance, debit
 * positive.
 *
 * An on-account or layby sale of the range (by its date or a payment's) comes whole: the invoice,
 * every payment on it and its credits on account (SPEC §4.4), as the POS holds them now. A return on
 * account comes with the sale it returns, and that sale with its returns: the invoice's open balance
 * is the POS's only once its credits are applied.
 */
export interface RangeBooks {
  byAccount: Map<string, number>;
  closures: string[];
  accountSales: string[];
  /** sale payments with a non-zero amount, as `<saleId>:<paymentId>` */
  accountPayments: string[];
  /** credits on account: a return on account's `<saleId>`; a cancelled layby's `cancel:<saleId>` and `<saleId>` */
  accountCredits: string[];
  giftCardExpiries: string[];
  storeCreditIssues: string[];
}

export function localDay(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(instant),
  );
}

export function expectedRangeBooks(
  stack: Stack,
  mappings: Mappings,
  refs: RefsLike,
  from: string,
  to: string,
): RangeBooks {
  const store = stack.pos.store(TENANT);
  const zone = store.retailer.timezone;
  const within = (instant: string) => {
    const d = localDay(instant, zone);
    return d >= from && d <= to;
  };
  const {
    byAccount,
    add,
    payTo,
    itemAccount,
    incomeOfCategory,
    taxAccount,
    chargeAccount,
    discountAccount,
    gcLiability,
    scLiability,
    tipsPayable,
    loyaltyAccount,
    ar,
  } = expectedLedger(stack, mappings, refs);

  const closures = Object.values(store.sequences).filter((q) => q.closedAt && within(q.openedAt));
  for (const q of closures) {
    const f = stack.pos.closureFigures(TENANT, q.id);
    for (const c of f.sales.undiscountedByCategory) add(incomeOfCategory(c.categoryId), -c.amountMinor);
    add(discountAccount, f.sales.discountsMinor);
    add(gcLiability, -f.sales.giftCardsSoldMinor);
    add(scLiability, -f.sales.storeCreditIssuedViaReturnsMinor);
    for (const t of f.sales.taxByRate) add(taxAccount(t.rateId), -t.taxMinor);
    for (const c of f.sales.charges) add(chargeAccount(c.type), -c.amountMinor);
    add(tipsPayable, -f.sales.tipsMinor);
    add(itemAccount(mappings.items.rounding), -f.sales.roundingMinor);
    for (const p of f.payments) {
      const role = mappings.paymentTypes[p.paymentTypeId]?.role;
      const onAccount = f.accountPayments.find((a) => a.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      const regular = f.regularPayments.find((r) => r.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      if (role === "deposit") payTo(p.paymentTypeId, p.expectedMinor - onAccount);
      else if (role === "gift_card") add(gcLiability, regular);
      else if (role === "loyalty") add(loyaltyAccount, regular);
      else if (role === "store_credit") add(scLiability, regular + f.sales.storeCreditIssuedViaReturnsMinor);
    }
  }

  const posted = (s: SaleRec | undefined): s is SaleRec =>
    s !== undefined &&
    s.state !== "voided" &&
    s.state !== "parked" &&
    (s.attributes.includes("onaccount") || s.attributes.includes("layby"));
  const taken = new Set(
    Object.values(store.sales)
      .filter((s) => posted(s) && (within(s.date) || s.payments.some((p) => within(p.at))))
      .map((s) => s.id),
  );
  for (const s of Object.values(store.sales)) {
    if (!posted(s) || s.returnFor === null || !posted(store.sales[s.returnFor])) continue;
    if (taken.has(s.id) || taken.has(s.returnFor)) {
      taken.add(s.id);
      taken.add(s.returnFor);
    }
  }
  const accountSales = Object.values(store.sales).filter((s) => taken.has(s.id));
  const accountPayments: string[] = [];
  const accountCredits: string[] = [];
  for (const s of accountSales) {
    const kept = s.lines.filter((l) => !l.voided);
    if (s.returnFor !== null) accountCredits.push(s.id);
    else if (s.attributes.includes("layby") && kept.some((l) => l.isReturn) && kept.some((l) => !l.isReturn))
      accountCredits.push(`cancel:${s.id}`, s.id);
    // the invoice and its credits together: a return's lines and a layby's cancelling lines are negative, so
    // the sale's totals are the invoice less the credit memo; the credit's application moves no money
    add(ar, s.totalPrice + s.totalTax + s.rounding);
    for (const l of kept) {
      if (l.kind === "gift_card") add(gcLiability, -l.total);
      else if (l.kind === "discount") add(discountAccount, -l.total);
      else {
        add(incomeOfCategory(l.categoryId), -l.listTotal);
        add(discountAccount, l.listTotal - l.total);
      }
    }
    for (const t of s.taxes) add(taxAccount(t.rateId), -t.tax);
    add(itemAccount(mappings.items.rounding), -s.rounding);
    // tax-inclusive: what the lines, each rounded once, and the tax leave of the sale's total (SPEC §4.1)
    const lines = kept.reduce((a, l) => a + l.total, 0) + s.taxes.reduce((a, t) => a + t.tax, 0);
    add(itemAccount(mappings.items.rounding), -(s.totalPrice + s.totalTax - lines));
    for (const p of s.payments) {
      if (p.amount !== 0) accountPayments.push(`${s.id}:${p.id}`);
      if (p.amount === 0 || mappings.paymentTypes[p.paymentTypeId]?.role === "on_account") continue;
      add(ar, -p.amount);
      payTo(p.paymentTypeId, p.amount);
    }
  }

  const giftCardExpiries: string[] = [];
  for (const card of Object.values(store.giftCards)) {
    for (const t of card.transactions) {
      if (t.type === "EXPIRING" && within(t.createdAt)) {
        giftCardExpiries.push(t.id);
        add(gcLiability, -t.amount);
        add(mappings.accounts.giftCardBreakage, t.amount);
      }
    }
  }
  const storeCreditIssues: string[] = [];
  for (const credit of Object.values(store.storeCredits)) {
    for (const t of credit.transactions) {
      if (t.type === "ISSUE" && t.saleId === null && within(t.createdAt)) {
        storeCreditIssues.push(t.id);
        add(mappings.accounts.storeCreditExpense, t.amount);
        add(scLiability, -t.amount);
      }
    }
  }
  for (const [k, v] of byAccount) if (v === 0) byAccount.delete(k);
  return {
    byAccount,
    closures: closures.map((q) => q.id),
    accountSales: accountSales.map((s) => s.id),
    accountPayments,
    accountCredits,
    giftCardExpiries,
    storeCreditIssues,
  };
}
