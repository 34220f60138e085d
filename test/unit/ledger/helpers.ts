import { expect } from "vitest";
import { mulDec, parseDec, parseMinor, toMinor } from "../../../shared/money";
import { QboDocumentDraft } from "../../../shared/domain/qbo";
import type { About } from "../../../shared/errors";
import type { PostingPlan, PostingResult } from "../../../worker/ledger";
import type { Blocker } from "../../../worker/ledger/types";

type Json = Record<string, unknown>;
type Line = Json & { Amount: number; Description?: string; DetailType?: string };

export function planOf(r: PostingResult): PostingPlan {
  if (!r.ok) throw new Error(`expected a plan, got blockers: ${JSON.stringify(r.blockers, null, 2)}`);
  return r.plan;
}

/** The blockers in English words (code, detail, mapping); what each is about, as data, is `aboutsOf`'s. */
export function blockersOf(r: PostingResult): Omit<Blocker, "about">[] {
  return withoutAbout(rawBlockersOf(r));
}

export function withoutAbout(blockers: readonly Blocker[]): Omit<Blocker, "about">[] {
  return blockers.map(({ about: _, ...b }) => b);
}

/** Each blocker's English detail with what it is about (undefined where its site does not know). */
export function aboutsOf(r: PostingResult): [string, About | undefined][] {
  return rawBlockersOf(r).map((b) => [b.detail, b.about]);
}

function rawBlockersOf(r: PostingResult): Blocker[] {
  if (r.ok) throw new Error("expected blockers, got a plan");
  return r.blockers;
}

/** Cents of a QBO JSON number, insisting on at most 2 decimals. */
export function cents(n: unknown): number {
  expect(typeof n).toBe("number");
  const text = String(n);
  expect(text, `amount ${text} has more than 2 decimals`).toMatch(/^-?\d+(\.\d{1,2})?$/);
  return parseMinor(text);
}

export const linesOf = (doc: QboDocumentDraft): Line[] => doc.body.Line as Line[];
export const doc = (plan: PostingPlan, part: string): QboDocumentDraft => {
  const d = plan.documents.find((x) => x.part === part);
  if (!d) throw new Error(`no document ${part}`);
  return d;
};
export const taxDetail = (d: QboDocumentDraft) =>
  d.body.TxnTaxDetail as { TotalTax: number; TaxLine?: Line[]; TxnTaxCodeRef?: { value: string } } | undefined;

/** The line whose Description starts with `prefix`. */
export function line(d: QboDocumentDraft, prefix: string): Line {
  const found = linesOf(d).filter((l) => String(l.Description ?? "").startsWith(prefix));
  expect(
    found,
    `one line starting '${prefix}' in ${linesOf(d)
      .map((l) => l.Description)
      .join(" / ")}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** Σ lines + tax of a sales form, in cents, as the document states it (positive). */
export function formTotal(d: QboDocumentDraft): number {
  const lines = linesOf(d).reduce((s, l) => s + cents(l.Amount), 0);
  return lines + (taxDetail(d) ? cents(taxDetail(d)!.TotalTax) : 0);
}

export function journalSides(d: QboDocumentDraft): { debits: number; credits: number; byAccount: Map<string, number> } {
  let debits = 0;
  let credits = 0;
  const byAccount = new Map<string, number>();
  for (const l of linesOf(d)) {
    const detail = l.JournalEntryLineDetail as { PostingType: string; AccountRef: { value: string } };
    const amount = cents(l.Amount);
    expect(amount).toBeGreaterThan(0);
    const signed = detail.PostingType === "Debit" ? amount : -amount;
    if (signed > 0) debits += amount;
    else credits += amount;
    byAccount.set(detail.AccountRef.value, (byAccount.get(detail.AccountRef.value) ?? 0) + signed);
  }
  return { debits, credits, byAccount };
}

/** Every structural promise of a plan: schema, sizes, balance, Qty × UnitPrice, ≤ 2 decimals. */
export function expectSound(plan: PostingPlan): void {
  const numbers = new Set<string>();
  for (const d of plan.documents) {
    QboDocumentDraft.parse(d);
    expect(d.docNumber!.length).toBeLessThanOrEqual(21);
    expect(d.body.DocNumber).toBe(d.docNumber);
    expect(numbers.has(d.docNumber!)).toBe(false);
    numbers.add(d.docNumber!);
    expect(String(d.body.PrivateNote).length).toBeLessThanOrEqual(4000);
    expect(String(d.body.PrivateNote)).toContain(plan.key);
    expect(d.body.TxnDate).toBe(plan.txnDate);
    expect(linesOf(d).length).toBeLessThanOrEqual(750);
    expect(JSON.stringify(d.body)).not.toMatch(/NaN|Infinity/);
    for (const l of linesOf(d)) {
      cents(l.Amount);
      expect(String(l.Description ?? "").length).toBeLessThanOrEqual(4000);
      const item = l.SalesItemLineDetail as { Qty: number; UnitPrice: number } | undefined;
      if (item) {
        const product = mulDec(parseDec(item.Qty), parseDec(item.UnitPrice));
        expect(toMinor(product, "half-up"), `Qty ${item.Qty} × UnitPrice ${item.UnitPrice} = Amount ${l.Amount}`).toBe(
          cents(l.Amount),
        );
      }
    }
    if (d.entity === "JournalEntry") {
      const { debits, credits } = journalSides(d);
      expect(debits).toBe(credits);
    }
    const tax = taxDetail(d);
    if (tax) {
      cents(tax.TotalTax);
      if (tax.TaxLine) {
        for (const t of tax.TaxLine) cents((t.TaxLineDetail as Json).NetAmountTaxable);
        expect(tax.TaxLine.reduce((s, t) => s + cents(t.Amount), 0)).toBe(cents(tax.TotalTax));
      }
    }
    // QBO's receive payment: the money is the invoices' lines less the credit memos' lines applied to them
    if (d.entity === "Payment") {
      const isCredit = (l: Line) =>
        (l.LinkedTxn as { TxnType: string }[] | undefined)?.some((t) => t.TxnType === "CreditMemo") === true;
      expect(cents(d.body.TotalAmt)).toBe(
        linesOf(d).reduce((s, l) => s + (isCredit(l) ? -cents(l.Amount) : cents(l.Amount)), 0),
      );
    }
    if (["SalesReceipt", "RefundReceipt", "Invoice", "CreditMemo", "Bill"].includes(d.entity))
      expect(formTotal(d)).toBeGreaterThanOrEqual(0);
  }
  expect(plan.effects.reduce((s, e) => s + e.debitMinor, 0)).toBe(0);
}

export function effectMap(plan: PostingPlan): Record<string, number> {
  return Object.fromEntries(plan.effects.map((e) => [e.accountId, e.debitMinor]));
}

/** Removes zero entries, so expected maps can be written naturally. */
export function nonZero(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0));
}

export function hasPlaceholder(plan: PostingPlan): boolean {
  return /__(customer|vendor|invoice)__/.test(JSON.stringify(plan.documents));
}
