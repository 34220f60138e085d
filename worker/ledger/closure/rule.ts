import type { RegisterClosure } from "../../../shared/domain/pos";
import type { QboAccount } from "../../../shared/domain/qbo";
import type { Blockers } from "../blockers";
import type { FormLine, FormLineKind, FormTax, TaxRow } from "../form";
import type { JournalLine } from "../journal";
import type { RefChecker } from "../refs";
import type { TaxResolver } from "../tax";
import type { Blocker, VarianceRow } from "../types";
import type { ClosureFigures, PaymentTypeFigures } from "./figures";

/** A payment type of the closure with its mapped role (and, for a deposit type, its account). */
export interface RoledType {
  f: PaymentTypeFigures;
  role: "deposit" | "gift_card" | "store_credit" | "on_account" | "loyalty";
  account?: QboAccount;
}

/** What every rule reads: the POS side of the closure, and the mappings through its own checkers. */
export interface ClosureRuleInput {
  closure: RegisterClosure;
  figures: ClosureFigures;
  /** The payment types that moved money, each with its mapped role */
  types: RoledType[];
  /** Mapped QBO refs, checked against the live company; each problem becomes one of `blockers` */
  refs: RefChecker;
  taxes: TaxResolver;
  blockers: Blockers;
}

/** A payments-journal line and what it is for: a payment type id, "gift_card" or "store_credit". */
export type PaymentsLine = JournalLine & { source: string };

/**
 * What one rule puts on the closure's two documents (DESIGN §1.1). Lines whose mapping failed are left
 * out (the rule's blockers say why). A rule whose lines need a document of their own (cost of goods
 * sold's JournalEntry) adds a field here and that document in documents.ts.
 */
export interface ClosureRuleLines {
  /** Lines of the sales document (a SalesReceipt, or a RefundReceipt when net-negative), in posting order */
  salesLines?: FormLine[];
  /** The POS tax the sales document books, per POS tax and rate */
  taxes?: FormTax[];
  /** Lines of the payments journal, besides the clearing line that takes the sales document's total */
  paymentsLines?: PaymentsLine[];
  /** What the POS figures call for, known even when a mapping is missing (so every blocker shows at once) */
  needs?: { salesDocument?: boolean; paymentsJournal?: boolean; nonTaxableCode?: boolean };
  /** This line's rows of the preview's line-up: the POS's figure against what the documents carry */
  lineUp?: (posted: PostedClosure) => VarianceRow[];
}

/** One line of SPEC §1.1's table: the closure's figures and mappings in, its lines out. */
export type ClosureRule = (input: ClosureRuleInput) => ClosureRuleLines;

/** What the closure's documents carry, for the line-up. */
export interface PostedClosure {
  salesLines: readonly FormLine[];
  taxes: readonly FormTax[];
  paymentsLines: readonly PaymentsLine[];
  /** The tax rows of the sales document as built (none when there is none) */
  taxRows: readonly TaxRow[];
}

/** Σ of the sales-document lines of these kinds. */
export function postedSales(posted: PostedClosure, ...kinds: FormLineKind[]): number {
  let sum = 0;
  for (const l of posted.salesLines) if (kinds.includes(l.kind)) sum += l.amountMinor;
  return sum;
}

/** Σ of the payments-journal lines for one source (a payment type id, "gift_card" or "store_credit"). */
export function postedPayments(posted: PostedClosure, source: string): number {
  let sum = 0;
  for (const l of posted.paymentsLines) if (l.source === source) sum += l.debitMinor;
  return sum;
}

/** A rule's lines and the blockers it recorded. */
export interface AppliedRule {
  lines: ClosureRuleLines;
  blockers: Blocker[];
}

/** Orders labels the same way on every machine (code units, not the locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
