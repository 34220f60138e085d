import type { Mappings } from "../../../shared/mappings";
import type { Stack } from "./stack";

/**
 * What QBO's books must show after Tillbridge posts the POS's activity since `syncFrom`, computed
 * independently of Tillbridge from the POS sandbox's raw records and its own closure figures, by
 * SPEC §1's tables: per QBO account, the change in balance (debit positive), in cents.
 */
export interface ExpectedBooks {
  byAccount: Map<string, number>;
  closures: string[];
  accountSales: string[];
}

export function trialBalanceMap(stack: Stack): Map<string, number> {
  return new Map(stack.qbo.trialBalance(stack.realmId).map((r) => [r.accountId, r.balanceMinor]));
}

export function deltas(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const d = (after.get(id) ?? 0) - (before.get(id) ?? 0);
    if (d !== 0) out.set(id, d);
  }
  return out;
}

export interface RefsLike {
  accounts: { id: string; name: string; accountType: string }[];
  items: { id: string; incomeAccountId: string | null }[];
}

/**
 * The accounts an expected book posts to, as the mappings and the QBO sandbox's company name them,
 * and the running change per account (debit positive) with `add` and `payTo`: what the tie-out
 * tests (new days, backfilled ranges) build their expectations on, from the POS's raw records.
 */
export function expectedLedger(stack: Stack, mappings: Mappings, refs: RefsLike) {
  const store = stack.pos.store(stack.tenant);
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
    if (store.config.profile === "us") return named("Sales Tax Payable");
    if (store.config.profile === "au") return named("GST Payable");
    if (store.config.profile === "uk") return named("VAT Control");
    return /QST|TVQ/i.test(rate?.name ?? "") ? named("QST Payable") : named("GST/HST Payable");
  };
  const discountAccount = itemAccount(mappings.items.discount);
  const gcLiability = mappings.accounts.giftCardLiability;
  const scLiability = mappings.accounts.storeCreditLiability;
  const tipsPayable = mappings.accounts.tipsPayable;
  const loyaltyAccount = mappings.accounts.loyalty;
  // SPEC §4.2: surcharges and non-cash fees through one item, custom charges through another
  const chargeAccount = (type: string) =>
    itemAccount(
      type === "ECOM_CUSTOM_CHARGE"
        ? mappings.items.customCharge
        : type === "SURCHARGE" || type === "NON_CASH_FEE"
          ? mappings.items.surcharge
          : mappings.adjustmentTypes[type],
    );
  const ar = refs.accounts.find((a) => a.accountType === "Accounts Receivable")?.id;
  const payTo = (paymentTypeId: string, minor: number) => {
    const m = mappings.paymentTypes[paymentTypeId];
    if (!m) throw new Error(`payment type ${paymentTypeId} is not mapped`);
    if (m.role === "deposit") add(m.accountId, minor);
    else if (m.role === "gift_card") add(gcLiability, minor);
    else if (m.role === "store_credit") add(scLiability, minor);
    else if (m.role === "loyalty") add(loyaltyAccount, minor);
  };
  return {
    store,
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
  };
}

export function expectedBooks(
  stack: Stack,
  mappings: Mappings,
  refs: RefsLike,
  syncFrom: string,
  connectedAt?: string,
): ExpectedBooks {
  const {
    store,
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

  // closures closed since Tillbridge connected (the webhook announced them live): in a store east of
  // UTC, a day that opened before syncFrom in UTC may still close after the connection
  const closures = Object.values(store.sequences).filter(
    (q) => q.closedAt && (connectedAt ? q.closedAt >= connectedAt : q.openedAt.slice(0, 10) >= syncFrom),
  );
  for (const q of closures) {
    const f = stack.pos.closureFigures(stack.tenant, q.id);
    for (const c of f.sales.undiscountedByCategory) add(incomeOfCategory(c.categoryId), -c.amountMinor);
    add(discountAccount, f.sales.discountsMinor);
    add(gcLiability, -f.sales.giftCardsSoldMinor);
    add(scLiability, -f.sales.storeCreditIssuedViaReturnsMinor);
    for (const t of f.sales.taxByRate) add(taxAccount(t.rateId), -t.taxMinor);
    for (const c of f.sales.charges) add(chargeAccount(c.type), -c.amountMinor);
    add(tipsPayable, -f.sales.tipsMinor);
    // cash rounding and, tax-inclusive, the residue of rounding each figure once (SPEC §4.1)
    add(itemAccount(mappings.items.rounding), -f.sales.roundingMinor);
    for (const p of f.payments) {
      const role = mappings.paymentTypes[p.paymentTypeId]?.role;
      const onAccount = f.accountPayments.find((a) => a.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      const regular = f.regularPayments.find((r) => r.paymentTypeId === p.paymentTypeId)?.amountMinor ?? 0;
      if (role === "deposit") {
        const counted = p.countedMinor ?? p.expectedMinor;
        payTo(p.paymentTypeId, counted - onAccount);
        add(itemAccount(mappings.items.tillDiscrepancy), -(counted - p.expectedMinor));
      } else if (role === "gift_card") add(gcLiability, regular);
      else if (role === "loyalty")
        add(loyaltyAccount, regular); // counted ignored (SPEC §4.3)
      else if (role === "store_credit") add(scLiability, regular + f.sales.storeCreditIssuedViaReturnsMinor);
    }
  }

  // on-account and layby sales with activity since syncFrom: the invoice, and every payment on it
  const accountSales = Object.values(store.sales).filter(
    (s) =>
      s.state !== "voided" &&
      s.state !== "parked" &&
      (s.attributes.includes("onaccount") || s.attributes.includes("layby")) &&
      (s.date.slice(0, 10) >= syncFrom || s.payments.some((p) => p.at.slice(0, 10) >= syncFrom)),
  );
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
    // tax-inclusive: what the lines, each rounded once, and the tax leave of the sale's total (SPEC §4.1)
    const lines = s.lines.reduce((a, l) => a + l.total, 0) + s.taxes.reduce((a, t) => a + t.tax, 0);
    add(itemAccount(mappings.items.rounding), -(s.totalPrice + s.totalTax - lines));
    for (const p of s.payments) {
      if (p.amount === 0 || mappings.paymentTypes[p.paymentTypeId]?.role === "on_account") continue;
      add(ar, -p.amount);
      // its own QBO Payment (a closure's journal leaves on-account payments out of its deposits)
      payTo(p.paymentTypeId, p.amount);
    }
  }

  // gift cards that expired and store credit issued by hand since syncFrom
  for (const card of Object.values(store.giftCards)) {
    for (const t of card.transactions) {
      if (t.type === "EXPIRING" && t.createdAt.slice(0, 10) >= syncFrom) {
        add(gcLiability, -t.amount); // t.amount is negative
        add(mappings.accounts.giftCardBreakage, t.amount);
      }
    }
  }
  for (const credit of Object.values(store.storeCredits)) {
    for (const t of credit.transactions) {
      if (t.type === "ISSUE" && t.saleId === null && t.createdAt.slice(0, 10) >= syncFrom) {
        add(mappings.accounts.storeCreditExpense, t.amount);
        add(scLiability, -t.amount);
      }
    }
  }
  for (const [k, v] of byAccount) if (v === 0) byAccount.delete(k);
  return { byAccount, closures: closures.map((q) => q.id), accountSales: accountSales.map((s) => s.id) };
}
