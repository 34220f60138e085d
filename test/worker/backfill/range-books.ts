import type { Mappings } from "../../../shared/mappings";
import type { Stack } from "../support/stack";
import { TENANT } from "../support/stack";

/**
 * What QBO's books must show after a backfill of [from, to] in the demo store, computed from the
 * POS sandbox's raw records and its own closure figures (not from Tillbridge), per SPEC §1, with
 * the backfill's choice for closures whose counted totals were never given: counted = expected,
 * so no till discrepancy and each deposit account receives what was expected. Days are local
 * business days in the store's time zone. Per QBO account: the change in balance, debit positive.
 */
export interface RangeBooks {
  byAccount: Map<string, number>;
  closures: string[];
  accountSales: string[];
  /** sale payments with a non-zero amount, as `<saleId>:<paymentId>` */
  accountPayments: string[];
  giftCardExpiries: string[];
  storeCreditIssues: string[];
}

interface RefsLike {
  accounts: { id: string; name: string; accountType: string }[];
  items: { id: string; incomeAccountId: string | null }[];
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
  const byAccount = new Map<string, number>();
  const add = (account: string | undefined, minor: number) => {
    if (!account) throw new Error(`no account for an amount of ${minor}`);
    if (minor !== 0) byAccount.set(account, (byAccount.get(account) ?? 0) + minor);
  };
  const itemAccount = (itemId: string | undefined) =>
    refs.items.find((i) => i.id === itemId)?.incomeAccountId ?? undefined;
  const incomeOfCategory = (categoryId: string | null) =>
    itemAccount(categoryId ? mappings.categories[categoryId] : undefined);
  const named = (name: string) => refs.accounts.find((a) => a.name === name)?.id;
  const taxAccount = (rateId: string) => {
    const rate = Object.values(store.taxes)
      .flatMap((t) => t.rates)
      .find((r) => r.id === rateId);
    return /QST|TVQ/i.test(rate?.name ?? "") ? named("QST Payable") : named("GST/HST Payable");
  };
  const discountAccount = itemAccount(mappings.items.discount);
  const gcLiability = mappings.accounts.giftCardLiability;
  const scLiability = mappings.accounts.storeCreditLiability;
  const ar = refs.accounts.find((a) => a.accountType === "Accounts Receivable")?.id;
  const payTo = (paymentTypeId: string, minor: number) => {
    const m = mappings.paymentTypes[paymentTypeId];
    if (!m) throw new Error(`payment type ${paymentTypeId} is not mapped`);
    if (m.role === "deposit") add(m.accountId, minor);
    else if (m.role === "gift_card") add(gcLiability, minor);
    else if (m.role === "store_credit") add(scLiability, minor);
  };

  const closures = Object.values(store.sequences).filter((q) => q.closedAt && within(q.openedAt));
  for (const q of closures) {
    const f = stack.pos.closureFigures(TENANT, q.id);
    for (const c of f.sales.undiscountedByCategory) add(incomeOfCategory(c.categoryId), -c.amountMinor);
    add(discountAccount, f.sales.discountsMinor);
    add(gcLiability, -f.sales.giftCardsSoldMinor);
    add(scLiability, -f.sales.storeCreditIssuedViaReturnsMinor);
    for (const t of f.sales.taxByRate) add(taxAccount(t.rateId), -t.taxMinor);
    add(itemAccount(mappings.items.rounding), -f.sales.cashRoundingMinor);
    for (const p of f.payments) {
      const role = mappings.paymentTypes[p.paymentTypeId]?.role;
      const onAccount = f.accountPayments.find((a) => a.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      const regular = f.regularPayments.find((r) => r.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      if (role === "deposit") payTo(p.paymentTypeId, p.expectedMinor - onAccount);
      else if (role === "gift_card") add(gcLiability, regular);
      else if (role === "store_credit") add(scLiability, regular + f.sales.storeCreditIssuedViaReturnsMinor);
    }
  }

  const accountSales = Object.values(store.sales).filter(
    (s) =>
      s.state !== "voided" &&
      s.state !== "parked" &&
      (s.attributes.includes("onaccount") || s.attributes.includes("layby")) &&
      (within(s.date) || s.payments.some((p) => within(p.at))),
  );
  const accountPayments: string[] = [];
  for (const s of accountSales) {
    add(ar, s.totalPrice + s.totalTax + s.rounding);
    for (const l of s.lines) {
      if (l.kind === "gift_card") add(gcLiability, -l.total);
      else if (l.kind === "discount") add(discountAccount, -l.total);
      else {
        add(incomeOfCategory(l.categoryId), -l.listTotal);
        add(discountAccount, l.listTotal - l.total);
      }
    }
    for (const t of s.taxes) add(taxAccount(t.rateId), -t.tax);
    add(itemAccount(mappings.items.rounding), -s.rounding);
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
    giftCardExpiries,
    storeCreditIssues,
  };
}
