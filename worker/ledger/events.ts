import { GiftCardExpiry, StoreCreditIssue } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import type { ObjectKind } from "../../shared/sync";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote, requestIdFor } from "./keys";
import { customerDisplayName } from "./names";
import { ACCOUNT_TYPES, RefChecker } from "./refs";
import type { LedgerContext, PostingResult } from "./types";

interface EventSpec {
  kind: ObjectKind;
  part: string;
  posId: string;
  readable: string;
  amountMinor: number;
  occurredAt: string;
  timeZone: string;
  what: string;
  facts: string[];
  /** The two sides once their accounts are known */
  debit: (refs: RefChecker) => QboAccount | undefined;
  credit: (refs: RefChecker) => QboAccount | undefined;
  describe: string;
}

/** A single-amount POS event → one balanced JournalEntry: Dr `debit`, Cr `credit`. */
function eventPosting(spec: EventSpec, ctx: LedgerContext): PostingResult {
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, spec.kind, spec.posId, posVersion);
  const txnDate = dateOf(spec.occurredAt, spec.timeZone, `${spec.what}: its date`, blockers);
  const base = { kind: spec.kind, posId: spec.posId, posVersion, key, txnDate };
  if (spec.amountMinor < 0) blockers.add("pos_payload_invalid", `${spec.what}: a negative amount`);
  if (blockers.any) return { ok: false, blockers: blockers.all() };
  if (spec.amountMinor === 0)
    return { ok: true, plan: { ...base, documents: [], variance: [], effects: [], needs: {}, summary: [] } };
  const debit = spec.debit(refs);
  const credit = spec.credit(refs);
  const { header } = outletHeader(refs, blockers, undefined);
  if (blockers.any || !debit || !credit) return { ok: false, blockers: blockers.all() };
  const journal = buildJournal(
    {
      TxnDate: txnDate,
      DocNumber: docNumber(spec.readable, key, spec.part),
      PrivateNote: privateNote(key, spec.part, spec.facts),
      ...header,
    },
    [
      {
        account: debit,
        debitMinor: spec.amountMinor,
        description: spec.describe,
        label: `${spec.describe} – ${debit.name}`,
      },
      {
        account: credit,
        debitMinor: -spec.amountMinor,
        description: spec.describe,
        label: `${spec.describe} – ${credit.name}`,
      },
    ],
  );
  return {
    ok: true,
    plan: {
      ...base,
      documents: [
        {
          part: spec.part,
          entity: "JournalEntry",
          docNumber: String(journal.body.DocNumber),
          requestId: requestIdFor(key, spec.part),
          body: journal.body,
        },
      ],
      variance: [
        {
          line: spec.part,
          label: spec.describe,
          posMinor: spec.amountMinor,
          postedMinor: journal.debitsMinor,
          diffMinor: journal.debitsMinor - spec.amountMinor,
        },
      ],
      effects: journal.effects,
      needs: {},
      summary: journal.summary,
    },
  };
}

/** A gift card's balance expiring → Dr gift-card liability, Cr breakage income (DESIGN §1.4). */
export function buildGiftCardExpiryPosting(input: GiftCardExpiry, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(GiftCardExpiry, input, "the gift card expiry");
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  const { accounts } = ctx.mappings;
  return eventPosting(
    {
      kind: "gift_card_expiry",
      part: "expiry",
      posId: e.transactionId,
      readable: `GCX${e.giftCardNumber}`,
      amountMinor: e.amountMinor,
      occurredAt: e.occurredAt,
      timeZone: e.timeZone,
      what: `gift card ${e.giftCardNumber} expiry`,
      facts: [
        `gift card ${e.giftCardNumber} (${e.giftCardId})`,
        `transaction ${e.transactionId}`,
        `expired ${e.occurredAt}`,
      ],
      debit: (r) =>
        r.account(
          accounts.giftCardLiability,
          "the gift card liability account",
          "accounts.giftCardLiability",
          ACCOUNT_TYPES.liability,
        ),
      credit: (r) =>
        r.account(
          accounts.giftCardBreakage,
          "the gift card breakage income account",
          "accounts.giftCardBreakage",
          ACCOUNT_TYPES.breakage,
        ),
      describe: `Gift card ${e.giftCardNumber} expired`,
    },
    ctx,
  );
}

/** Store credit issued by hand → Dr store-credit expense, Cr store-credit liability (DESIGN §1.5). */
export function buildStoreCreditIssuePosting(input: StoreCreditIssue, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(StoreCreditIssue, input, "the store credit issue");
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  const { accounts } = ctx.mappings;
  const name = customerDisplayName(e.customer);
  return eventPosting(
    {
      kind: "store_credit_issue",
      part: "issue",
      posId: e.transactionId,
      readable: `SC${e.customer.customerCode ?? ""}`,
      amountMinor: e.amountMinor,
      occurredAt: e.occurredAt,
      timeZone: e.timeZone,
      what: `store credit for ${name}`,
      facts: [
        `store credit transaction ${e.transactionId}`,
        `customer ${name} (${e.customer.id})`,
        `issued ${e.occurredAt}`,
        ...(e.notes ? [`note ${e.notes}`] : []),
      ],
      debit: (r) =>
        r.account(
          accounts.storeCreditExpense,
          "the store credit expense account",
          "accounts.storeCreditExpense",
          ACCOUNT_TYPES.expense,
        ),
      credit: (r) =>
        r.account(
          accounts.storeCreditLiability,
          "the store credit liability account",
          "accounts.storeCreditLiability",
          ACCOUNT_TYPES.liability,
        ),
      describe: `Store credit issued to ${name}${e.notes ? ` (${e.notes})` : ""}`,
    },
    ctx,
  );
}
