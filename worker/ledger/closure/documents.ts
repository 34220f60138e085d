import type { RegisterClosure } from "../../../shared/domain/pos";
import type { QboAccount } from "../../../shared/domain/qbo";
import { formatMinor } from "../../../shared/money";
import type { Blockers } from "../blockers";
import { outletHeader } from "../common";
import { localDateTime } from "../dates";
import { docNumber } from "../doc-number";
import { EffectSheet } from "../effects";
import { buildSalesForm, type SalesForm } from "../form";
import { buildJournal, type Journal } from "../journal";
import { privateNote } from "../keys";
import { draft } from "../plan";
import { ACCOUNT_TYPES, type RefChecker } from "../refs";
import { TaxResolver } from "../tax";
import type { LedgerContext, PostingPlan } from "../types";
import type { ClosureLines } from "./rules";

interface Scope {
  ctx: LedgerContext;
  refs: RefChecker;
  blockers: Blockers;
  key: string;
  txnDate: string;
}

/** What both documents carry besides their lines. */
interface Frame {
  headerOf: (part: string, readable: string) => Record<string, unknown>;
  classId: string | undefined;
  clearing: QboAccount;
  customerId: string | undefined;
  nonTaxableCode: string | undefined;
}

export type ClosureDocuments = Pick<PostingPlan, "documents" | "effects" | "summary"> & { form?: SalesForm };

/** The sales document (when the figures call for one) and the payments journal; undefined when blocked. */
export function closureDocuments(
  closure: RegisterClosure,
  lines: ClosureLines,
  scope: Scope,
): ClosureDocuments | undefined {
  const frame = frameOf(closure, lines, scope);
  if (!frame) return undefined;
  const form = lines.needs.salesDocument ? salesDocument(closure, lines, frame, scope) : undefined;
  if (lines.needs.salesDocument && !form) return undefined;
  const journal = paymentsJournal(closure, lines, frame, form, scope.blockers);
  if (!journal) return undefined;

  const documents: PostingPlan["documents"] = [];
  const effects = new EffectSheet();
  const summary: PostingPlan["summary"] = [];
  if (form) {
    documents.push(draft(scope.key, "sales", form.entity, form.body));
    effects.addAll(form.effects);
    summary.push(...form.summary);
  }
  if (journal.debitsMinor > 0) {
    documents.push(draft(scope.key, "payments", "JournalEntry", journal.body));
    effects.addAll(journal.effects);
    summary.push(...journal.summary);
  }
  return form ? { documents, effects: effects.list(), summary, form } : { documents, effects: effects.list(), summary };
}

/** The documents' own mappings, checked even when a line's mapping failed: every blocker at once. */
function frameOf(closure: RegisterClosure, lines: ClosureLines, { ctx, refs, blockers, key, txnDate }: Scope) {
  const outlet = ctx.outlets.find((o) => o.id === closure.outletId);
  const { header, classId } = outletHeader(refs, blockers, {
    id: closure.outletId,
    name: closure.outletName,
    currency: outlet?.currency,
  });
  const { closureClearing } = ctx.mappings.accounts;
  const clearing = refs.account(
    closureClearing,
    "the closure clearing account",
    "accounts.closureClearing",
    ACCOUNT_TYPES.clearing,
  );
  const customerId = ctx.mappings.closureCustomerId;
  if (lines.needs.salesDocument && !customerId)
    blockers.add("needs_mapping", "the closure customer", "closureCustomerId", { thing: "closureCustomerId" });
  const nonTaxableCode = lines.needs.nonTaxableCode ? new TaxResolver(refs, blockers).nonTaxableCode() : undefined;
  if (blockers.any || !clearing) return undefined;

  const facts = [
    `closure ${closure.id}`,
    `register ${closure.registerName} (${closure.registerId})`,
    closure.sequenceNumber > 0 ? `sequence #${closure.sequenceNumber}` : "sequence # not known",
    `outlet ${closure.outletName} (${closure.outletId})`,
    `opened ${atLocal(closure.openedAt, closure.timeZone)}`,
    `closed ${atLocal(closure.closedAt, closure.timeZone)}`,
    `mapping v${ctx.mappingVersion}`,
  ];
  const headerOf = (part: string, readable: string) => ({
    TxnDate: txnDate,
    DocNumber: docNumber(readable, key, part),
    PrivateNote: privateNote(key, part, facts),
    ...header,
  });
  const frame: Frame = { headerOf, classId, clearing, customerId, nonTaxableCode };
  return frame;
}

/** The sales lines and the POS tax into the clearing account: a SalesReceipt, or a RefundReceipt. */
function salesDocument(
  closure: RegisterClosure,
  lines: ClosureLines,
  frame: Frame,
  { refs, blockers }: Scope,
): SalesForm | undefined {
  const { clearing } = frame;
  return buildSalesForm(
    {
      entities: { positive: "SalesReceipt", negative: "RefundReceipt" },
      header: {
        ...frame.headerOf("sales", `Z${closure.sequenceNumber}-S`),
        CustomerRef: { value: frame.customerId },
        DepositToAccountRef: { value: clearing.id, name: clearing.name },
      },
      lines: lines.salesLines,
      taxes: lines.taxes,
      nonTaxableCode: frame.nonTaxableCode,
      classId: frame.classId,
      isUS: refs.isUS,
      totalAccount: { id: clearing.id, name: clearing.name },
      what: "the closure",
      accountName: (id) => refs.accountById(id)?.name ?? id,
    },
    blockers,
  );
}

/** The payments lines, and the clearing line that takes the sales document's total; never unbalanced. */
function paymentsJournal(
  closure: RegisterClosure,
  lines: ClosureLines,
  frame: Frame,
  form: SalesForm | undefined,
  blockers: Blockers,
): Journal | undefined {
  const { clearing } = frame;
  const journal = buildJournal(
    frame.headerOf("payments", `Z${closure.sequenceNumber}-P`),
    [
      ...lines.paymentsLines,
      {
        account: clearing,
        debitMinor: -(form?.totalMinor ?? 0),
        description: `Clears the closure's sales ${form?.entity ?? "document"}`,
        label: `Clearing – ${clearing.name}`,
      },
    ],
    frame.classId,
  );
  if (journal.debitsMinor === journal.creditsMinor) return journal;
  // Unreachable when the POS figures tie out (checked above); never send an unbalanced entry.
  const { debitsMinor, creditsMinor } = journal;
  blockers.add(
    "internal",
    `closure payments do not balance: debits ${formatMinor(debitsMinor)}, credits ${formatMinor(creditsMinor)}`,
  );
  return undefined;
}

/** An instant as the back office shows it (local wall clock, the zone named), with the instant itself. */
function atLocal(instant: string, timeZone: string): string {
  const local = localDateTime(instant, timeZone);
  return local ? `${local} ${timeZone} (${instant})` : instant;
}
