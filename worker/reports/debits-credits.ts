import type { QboRefs } from "../../shared/domain/qbo";
import { parseMinor } from "../../shared/money";
import { QboDoc } from "./qbo-doc";

/**
 * A document as a bookkeeper reads it: which account each line debits or credits, in cents. Pure:
 * the draft Tillbridge would send (or a document read back from QBO) and the company's reference
 * data in, the journal out. It follows how QBO itself posts each entity: a sales form debits where the
 * money went (the deposit account, or A/R for an invoice) and credits each item's income account and
 * the tax agency; a refund is its mirror; a bill credits A/P; a journal entry is what it says.
 *
 * The header line is what balances the document (QBO's TotalAmt is the same sum), so the view always
 * balances; what it shows is where each amount lands, which is what a person checks before going live.
 */

export interface JournalLine {
  /** The account's name as QBO shows it ("Sales", "Tillbridge closure clearing"); a stand-in when unknown */
  account: string;
  accountId: string | null;
  /** What the line is for (the document line's description, or its item's name) */
  memo: string;
  debitMinor: number;
  creditMinor: number;
}

export interface JournalView {
  lines: JournalLine[];
  debitMinor: number;
  creditMinor: number;
}

type Words = {
  undeposited: string;
  receivable: string;
  payable: string;
  discounts: string;
  salesTax: (rate: string) => string;
  purchaseTax: (rate: string) => string;
  total: string;
};

const EN: Words = {
  undeposited: "Undeposited Funds",
  receivable: "Accounts Receivable (A/R)",
  payable: "Accounts Payable (A/P)",
  discounts: "Discounts given",
  salesTax: (rate) => `Tax payable: ${rate}`,
  purchaseTax: (rate) => `Tax recoverable: ${rate}`,
  total: "Total",
};
const FR: Words = {
  undeposited: "Fonds non déposés",
  receivable: "Comptes clients (C/C)",
  payable: "Comptes fournisseurs (C/F)",
  discounts: "Escomptes accordés",
  salesTax: (rate) => `Taxe à payer : ${rate}`,
  purchaseTax: (rate) => `Taxe à recouvrer : ${rate}`,
  total: "Total",
};

const SALES_SIGN: Record<string, 1 | -1> = { SalesReceipt: 1, Invoice: 1, RefundReceipt: -1, CreditMemo: -1 };

/** The lines of `entity` (a QBO document body) as debits and credits, in the words of `lang`. */
export function debitsAndCredits(entity: string, body: unknown, refs: QboRefs, lang: "en" | "fr" = "en"): JournalView {
  const w = lang === "fr" ? FR : EN;
  const doc = QboDoc.parse(body);
  const accounts = new Map(refs.accounts.map((a) => [a.id, a.fullyQualifiedName || a.name]));
  const items = new Map(refs.items.map((i) => [i.id, i]));
  const rates = new Map<string, string>();
  for (const code of refs.taxCodes) {
    for (const r of [...code.salesRates, ...code.purchaseRates]) rates.set(r.rateId, `${r.name} (${r.ratePercent} %)`);
  }
  const postings: { accountId: string | null; account: string; memo: string; drMinor: number }[] = [];
  const add = (accountId: string | null, fallback: string, memo: string, drMinor: number) => {
    if (drMinor === 0) return;
    postings.push({ accountId, account: (accountId && accounts.get(accountId)) || fallback, memo, drMinor });
  };
  const cents = (a: number | string | undefined) => (a === undefined ? 0 : parseMinor(a));
  const taxes = (sign: number, purchase: boolean) => {
    const detail = doc.TxnTaxDetail;
    const rated = (detail?.TaxLine ?? []).filter((t) => t.TaxLineDetail);
    for (const t of rated) {
      const rateId = t.TaxLineDetail!.TaxRateRef.value;
      const rate = rates.get(rateId) ?? rateId;
      add(null, purchase ? w.purchaseTax(rate) : w.salesTax(rate), rate, sign * cents(t.Amount));
    }
    // a US company's document carries one total, the tax code named on the document
    if (rated.length === 0 && detail?.TotalTax !== undefined) {
      const code = detail.TxnTaxCodeRef?.name ?? detail.TxnTaxCodeRef?.value ?? "";
      add(null, purchase ? w.purchaseTax(code) : w.salesTax(code), code, sign * cents(detail.TotalTax));
    }
  };
  const balance = (accountId: string | null, fallback: string, memo: string) => {
    const rest = postings.reduce((s, p) => s + p.drMinor, 0);
    const header = { accountId, account: (accountId && accounts.get(accountId)) || fallback, memo, drMinor: -rest };
    if (header.drMinor !== 0) postings.unshift(header);
  };

  const sign = SALES_SIGN[entity];
  if (sign !== undefined) {
    for (const l of doc.Line) {
      const d = l.SalesItemLineDetail;
      if (l.DetailType === "SalesItemLineDetail" && d) {
        const item = d.ItemRef ? items.get(d.ItemRef.value) : undefined;
        const name = item?.name ?? d.ItemRef?.name ?? "";
        const account = (d as { ItemAccountRef?: { value: string } }).ItemAccountRef?.value ?? item?.incomeAccountId;
        add(account ?? null, name, l.Description ?? name, -sign * cents(l.Amount));
      } else if (l.DetailType === "DiscountLineDetail") {
        const account = l.DiscountLineDetail?.DiscountAccountRef?.value ?? null;
        add(account, w.discounts, l.Description ?? w.discounts, sign * cents(l.Amount));
      }
    }
    taxes(-sign, false);
    const header =
      entity === "SalesReceipt" || entity === "RefundReceipt"
        ? { id: doc.DepositToAccountRef?.value ?? null, fallback: w.undeposited }
        : { id: (doc.ARAccountRef as { value: string } | undefined)?.value ?? null, fallback: w.receivable };
    balance(header.id, header.fallback, w.total);
  } else if (entity === "JournalEntry") {
    for (const l of doc.Line) {
      const d = l.JournalEntryLineDetail;
      if (!d) continue;
      const amount = cents(l.Amount);
      add(
        d.AccountRef.value,
        d.AccountRef.name ?? d.AccountRef.value,
        l.Description ?? "",
        d.PostingType === "Debit" ? amount : -amount,
      );
    }
  } else if (entity === "Bill" || entity === "VendorCredit") {
    const side = entity === "Bill" ? 1 : -1;
    for (const l of doc.Line) {
      const a = l.AccountBasedExpenseLineDetail;
      const i = l.ItemBasedExpenseLineDetail;
      if (a)
        add(a.AccountRef.value, a.AccountRef.name ?? a.AccountRef.value, l.Description ?? "", side * cents(l.Amount));
      else if (i) {
        const item = items.get(i.ItemRef.value);
        const account = item?.type === "Inventory" ? item.assetAccountId : item?.expenseAccountId;
        add(
          account ?? null,
          item?.name ?? i.ItemRef.name ?? "",
          l.Description ?? item?.name ?? "",
          side * cents(l.Amount),
        );
      }
    }
    taxes(side, true);
    balance((doc.APAccountRef as { value: string } | undefined)?.value ?? null, w.payable, w.total);
  } else if (entity === "Payment") {
    const total = cents(doc.TotalAmt);
    add(doc.DepositToAccountRef?.value ?? null, w.undeposited, w.total, total);
    add((doc.ARAccountRef as { value: string } | undefined)?.value ?? null, w.receivable, w.total, -total);
  }

  const lines = postings.map((p) => ({
    account: p.account,
    accountId: p.accountId,
    memo: p.memo,
    debitMinor: Math.max(0, p.drMinor),
    creditMinor: Math.max(0, -p.drMinor),
  }));
  return {
    lines,
    debitMinor: lines.reduce((s, l) => s + l.debitMinor, 0),
    creditMinor: lines.reduce((s, l) => s + l.creditMinor, 0),
  };
}
