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

const cents = (a: number | string | undefined) => (a === undefined ? 0 : parseMinor(a));
const refValue = (ref: unknown): string | null => (ref as { value?: string } | undefined)?.value ?? null;

/** The postings of one document as they are found, debit positive, and the lookups they need. */
class Book {
  readonly postings: { accountId: string | null; account: string; memo: string; drMinor: number }[] = [];
  private readonly accounts: Map<string, string>;
  readonly items: Map<string, QboRefs["items"][number]>;
  private readonly rates = new Map<string, string>();

  constructor(
    refs: QboRefs,
    readonly w: Words,
  ) {
    this.accounts = new Map(refs.accounts.map((a) => [a.id, a.fullyQualifiedName || a.name]));
    this.items = new Map(refs.items.map((i) => [i.id, i]));
    for (const code of refs.taxCodes)
      for (const r of [...code.salesRates, ...code.purchaseRates])
        this.rates.set(r.rateId, `${r.name} (${r.ratePercent} %)`);
  }

  private named(accountId: string | null, fallback: string): string {
    return (accountId && this.accounts.get(accountId)) || fallback;
  }

  add(accountId: string | null, fallback: string, memo: string, drMinor: number): void {
    if (drMinor !== 0) this.postings.push({ accountId, account: this.named(accountId, fallback), memo, drMinor });
  }

  /** The document's tax, by rate (or its one total on a US document), each to its agency's side. */
  taxes(doc: QboDoc, sign: number, purchase: boolean): void {
    const word = purchase ? this.w.purchaseTax : this.w.salesTax;
    const detail = doc.TxnTaxDetail;
    const rated = (detail?.TaxLine ?? []).filter((t) => t.TaxLineDetail);
    for (const t of rated) {
      const rateId = t.TaxLineDetail!.TaxRateRef.value;
      const rate = this.rates.get(rateId) ?? rateId;
      this.add(null, word(rate), rate, sign * cents(t.Amount));
    }
    if (rated.length === 0 && detail?.TotalTax !== undefined) {
      const code = detail.TxnTaxCodeRef?.name ?? detail.TxnTaxCodeRef?.value ?? "";
      this.add(null, word(code), code, sign * cents(detail.TotalTax));
    }
  }

  /** The header line (deposit account, A/R or A/P): what balances the rest, first. */
  balance(accountId: string | null, fallback: string): void {
    const rest = this.postings.reduce((s, p) => s + p.drMinor, 0);
    if (rest !== 0)
      this.postings.unshift({
        accountId,
        account: this.named(accountId, fallback),
        memo: this.w.total,
        drMinor: -rest,
      });
  }
}

/** One line of a sales form: an item's income account, or the discount account. */
function salesLine(book: Book, l: QboDoc["Line"][number], sign: 1 | -1): void {
  const d = l.SalesItemLineDetail;
  if (l.DetailType === "SalesItemLineDetail" && d) {
    const item = d.ItemRef ? book.items.get(d.ItemRef.value) : undefined;
    const name = item?.name ?? d.ItemRef?.name ?? "";
    const account = refValue((d as { ItemAccountRef?: unknown }).ItemAccountRef) ?? item?.incomeAccountId ?? null;
    book.add(account, name, l.Description ?? name, -sign * cents(l.Amount));
  } else if (l.DetailType === "DiscountLineDetail") {
    const { discounts } = book.w;
    book.add(
      l.DiscountLineDetail?.DiscountAccountRef?.value ?? null,
      discounts,
      l.Description ?? discounts,
      sign * cents(l.Amount),
    );
  }
}

function salesForm(book: Book, entity: string, doc: QboDoc, sign: 1 | -1): void {
  for (const l of doc.Line) salesLine(book, l, sign);
  book.taxes(doc, -sign, false);
  if (entity === "SalesReceipt" || entity === "RefundReceipt")
    book.balance(doc.DepositToAccountRef?.value ?? null, book.w.undeposited);
  else book.balance(refValue(doc.ARAccountRef), book.w.receivable);
}

function journalEntry(book: Book, doc: QboDoc): void {
  for (const l of doc.Line) {
    const d = l.JournalEntryLineDetail;
    if (!d) continue;
    const amount = cents(l.Amount);
    const signed = d.PostingType === "Debit" ? amount : -amount;
    book.add(d.AccountRef.value, d.AccountRef.name ?? d.AccountRef.value, l.Description ?? "", signed);
  }
}

/** A bill debits its lines and the recoverable tax and credits A/P; a vendor credit (side -1) is its mirror. */
function purchaseForm(book: Book, doc: QboDoc, side: 1 | -1): void {
  for (const l of doc.Line) {
    const a = l.AccountBasedExpenseLineDetail;
    const i = l.ItemBasedExpenseLineDetail;
    if (a) {
      const name = a.AccountRef.name ?? a.AccountRef.value;
      book.add(a.AccountRef.value, name, l.Description ?? "", side * cents(l.Amount));
    } else if (i) {
      const item = book.items.get(i.ItemRef.value);
      const account = (item?.type === "Inventory" ? item.assetAccountId : item?.expenseAccountId) ?? null;
      const name = item?.name ?? i.ItemRef.name ?? "";
      book.add(account, name, l.Description ?? name, side * cents(l.Amount));
    }
  }
  book.taxes(doc, side, true);
  book.balance(refValue(doc.APAccountRef), book.w.payable);
}

/** The lines of `entity` (a QBO document body) as debits and credits, in the words of `lang`. */
export function debitsAndCredits(entity: string, body: unknown, refs: QboRefs, lang: "en" | "fr" = "en"): JournalView {
  const book = new Book(refs, lang === "fr" ? FR : EN);
  const doc = QboDoc.parse(body);
  const sign = SALES_SIGN[entity];
  if (sign !== undefined) salesForm(book, entity, doc, sign);
  else if (entity === "JournalEntry") journalEntry(book, doc);
  else if (entity === "Bill" || entity === "VendorCredit") purchaseForm(book, doc, entity === "Bill" ? 1 : -1);
  else if (entity === "Payment") {
    const total = cents(doc.TotalAmt);
    book.add(doc.DepositToAccountRef?.value ?? null, book.w.undeposited, book.w.total, total);
    book.add(refValue(doc.ARAccountRef), book.w.receivable, book.w.total, -total);
  }
  const lines = book.postings.map((p) => ({
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
