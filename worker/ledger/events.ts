import { GiftCardExpiry, StoreCreditIssue } from "../../shared/domain/pos";
import type { ObjectKind } from "../../shared/sync";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote } from "./keys";
import { customerDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, type AccountSetting, RefChecker } from "./refs";
import type { LedgerContext, PostingResult } from "./types";

/** A single-amount POS event and the two accounts it moves: Dr `debit`, Cr `credit`. */
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
  debit: AccountSetting;
  credit: AccountSetting;
  describe: string;
}

/** A single-amount POS event → one balanced JournalEntry: Dr `debit`, Cr `credit`. */
function eventPosting(spec: EventSpec, ctx: LedgerContext): PostingResult {
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, spec.kind, spec.posId, posVersion);
  const txnDate = dateOf(spec.occurredAt, spec.timeZone, `${spec.what}: its date`, blockers);
  const base: PlanBase = { kind: spec.kind, posId: spec.posId, posVersion, key, txnDate };
  if (spec.amountMinor < 0) blockers.add("pos_payload_invalid", `${spec.what}: a negative amount`);
  if (blockers.any) return { ok: false, blockers: blockers.all() };
  if (spec.amountMinor === 0) return { ok: true, plan: postingPlan(base) };
  const debit = refs.accountFor(spec.debit);
  const credit = refs.accountFor(spec.credit);
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
  const plan = postingPlan(base, {
    documents: [draft(key, spec.part, "JournalEntry", journal.body)],
    variance: [varianceRow(spec.part, spec.describe, spec.amountMinor, journal.debitsMinor)],
    effects: journal.effects,
    summary: journal.summary,
  });
  return { ok: true, plan };
}

/** A gift card's balance expiring → Dr gift-card liability, Cr breakage income (DESIGN §1.4). */
export function buildGiftCardExpiryPosting(input: GiftCardExpiry, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(GiftCardExpiry, input, "the gift card expiry");
  if (!parsed.ok) return parsed;
  const e = parsed.value;
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
      debit: ACCOUNT_SETTINGS.giftCardLiability,
      credit: ACCOUNT_SETTINGS.giftCardBreakage,
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
      debit: ACCOUNT_SETTINGS.storeCreditExpense,
      credit: ACCOUNT_SETTINGS.storeCreditLiability,
      describe: `Store credit issued to ${name}${e.notes ? ` (${e.notes})` : ""}`,
    },
    ctx,
  );
}
