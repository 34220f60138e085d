import { toQboAmount } from "../../shared/money";
import { clip } from "./keys";
import type { Effect } from "./types";

/** One journal line, signed: debit positive, credit negative. */
export interface JournalLine {
  account: { id: string; name: string };
  debitMinor: number;
  description: string;
  label: string;
  /** The customer an A/R line moves (QBO requires one on Accounts Receivable lines) */
  customerId?: string;
}

export interface Journal {
  body: Record<string, unknown>;
  debitsMinor: number;
  creditsMinor: number;
  effects: Effect[];
  summary: { label: string; amountMinor: number }[];
}

/** A JournalEntry from signed lines; zero lines are left out. Debits = credits is the caller's proof. */
export function buildJournal(
  header: Record<string, unknown>,
  lines: readonly JournalLine[],
  classId?: string,
): Journal {
  const used = lines.filter((l) => l.debitMinor !== 0);
  let debitsMinor = 0;
  let creditsMinor = 0;
  const jsonLines = used.map((l) => {
    const debit = l.debitMinor > 0;
    if (debit) debitsMinor += l.debitMinor;
    else creditsMinor -= l.debitMinor;
    const detail: Record<string, unknown> = {
      PostingType: debit ? "Debit" : "Credit",
      AccountRef: { value: l.account.id, name: l.account.name },
    };
    if (l.customerId) detail.Entity = { Type: "Customer", EntityRef: { value: l.customerId } };
    if (classId) detail.ClassRef = { value: classId };
    return {
      DetailType: "JournalEntryLineDetail",
      Amount: toQboAmount(Math.abs(l.debitMinor)),
      Description: clip(l.description, 4000),
      JournalEntryLineDetail: detail,
    };
  });
  return {
    body: { ...header, Line: jsonLines },
    debitsMinor,
    creditsMinor,
    effects: used.map((l) => ({ accountId: l.account.id, label: l.account.name, debitMinor: l.debitMinor })),
    summary: used.map((l) => ({ label: l.label, amountMinor: l.debitMinor })),
  };
}
