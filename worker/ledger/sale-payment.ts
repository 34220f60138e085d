import { type PosOutlet, type PosPaymentType, Sale, type SalePayment } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import type { PaymentTypeMapping } from "../../shared/mappings";
import { toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote } from "./keys";
import { liability } from "./liabilities";
import { customerDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, ACCOUNT_TYPES, RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import { type LedgerContext, PLACEHOLDER, type PostingNeeds, type PostingPlan, type PostingResult } from "./types";

/** A payment on an on-account sale as the sale tells it; what is missing is undefined (and a blocker). */
interface PaymentFacts {
  payment: SalePayment | undefined;
  outlet: PosOutlet | undefined;
  txnDate: string;
  type: PosPaymentType | undefined;
  /** "payment type 'Afterpay' (deleted)" */
  thing: string;
  mapping: PaymentTypeMapping | undefined;
}

/** Where the money lands: the deposit account, or for a redemption the clearing account and the liability. */
interface Landing {
  deposit: QboAccount | undefined;
  liability: QboAccount | undefined;
}

type Resolved = { customerId?: string; invoiceId?: string };

/**
 * A payment taken in the POS on an on-account or layby sale → a QBO Payment applied to the sale's
 * invoice, deposited where the payment type's money lands (DESIGN §1.3). A gift-card or store-credit
 * redemption has no bank account: its Payment lands in the clearing account and a JournalEntry moves
 * it to the liability, so the clearing account stays at zero.
 */
export function buildSalePaymentPosting(
  input: Sale,
  paymentId: string,
  ctx: LedgerContext,
  resolved?: Resolved,
): PostingResult {
  const parsed = parseInput(Sale, input, "the sale");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "sale_payment", paymentId, posVersion);
  const facts = readPayment(sale, paymentId, ctx, blockers);
  const { payment, outlet, type } = facts;
  const base: PlanBase = { kind: "sale_payment", posId: paymentId, posVersion, key, txnDate: facts.txnDate };
  // The On Account charge itself is not money; a zero payment moves nothing.
  if (!blockers.any && movesNothing(facts)) return { ok: true, plan: postingPlan(base) };
  // money paid out on the sale (a cancelled layby's deposit, a return's refund) leaves against the customer
  const refund = payment !== undefined && payment.amountMinor < 0;
  const landing = refund ? refundLanding(refs, blockers, facts) : landingOf(refs, blockers, facts);
  const { header, classId } = outletHeader(refs, blockers, outlet);
  if (blockers.any || !payment || !outlet || !sale.customer || !type || !landing.deposit)
    return { ok: false, blockers: blockers.all() };
  const p = { sale, payment, outlet, type, deposit: landing.deposit, header, base };
  if (refund) return { ok: true, plan: refundPlan(p, { refs, classId }, resolved) };
  return { ok: true, plan: paymentPlan(p, landing.liability, { refs, classId }, resolved) };
}

/** The On Account charge, or a zero payment: a payment that moves no money. */
function movesNothing({ payment, mapping }: PaymentFacts): boolean {
  return payment !== undefined && (mapping?.role === "on_account" || payment.amountMinor === 0);
}

/** Where money paid out on the sale comes from: the deposit account, or the liability it is put back on. */
function refundLanding(refs: RefChecker, blockers: Blockers, { type, thing, mapping }: PaymentFacts): Landing {
  if (mapping?.role === "deposit")
    return {
      deposit: refs.account(mapping.accountId, thing, `paymentTypes.${type!.id}`, ACCOUNT_TYPES.deposit),
      liability: undefined,
    };
  if (mapping?.role !== "gift_card" && mapping?.role !== "store_credit")
    return { deposit: undefined, liability: undefined };
  const account = liability(refs, blockers, mapping.role === "gift_card" ? "giftCard" : "storeCredit").account;
  return { deposit: account, liability: undefined };
}

/**
 * Money paid out at a register on an on-account or layby sale or its return (SPEC §4.4): a
 * JournalEntry that takes it out of the payment type's account (or puts it on the customer's store
 * credit or gift card) against the customer's A/R. The credit it refunds is the sale's credit memo
 * (a return, a cancelled layby), whose part not applied to the invoice it offsets.
 */
function refundPlan(
  p: Paid,
  { refs, classId }: { refs: RefChecker; classId: string | undefined },
  resolved: Resolved | undefined,
): PostingPlan {
  const { sale, payment, type, deposit, base } = p;
  const ref = saleRef(sale);
  const amount = -payment.amountMinor;
  const ar = refs.defaultAccountOfType("Accounts Receivable");
  const customerId = resolved?.customerId ?? PLACEHOLDER.customer;
  const journal = buildJournal(
    {
      TxnDate: base.txnDate,
      DocNumber: docNumber(`F${sale.invoiceNumber ?? ""}`, base.key, "refund"),
      PrivateNote: privateNote(base.key, "refund", factsOf(p)),
      ...p.header,
    },
    [
      {
        account: ar,
        debitMinor: amount,
        description: `${type.name} paid out to the customer on ${ref}`,
        label: `Customer refunded – ${ar.name}`,
        customerId,
      },
      {
        account: deposit,
        debitMinor: -amount,
        description: `${type.name} refund on ${ref}`,
        label: `${type.name} refund – ${deposit.name}`,
      },
    ],
    classId,
  );
  const variance = [varianceRow("sale_payment", `${type.name} refund`, payment.amountMinor, payment.amountMinor)];
  return postingPlan(base, {
    documents: [draft(base.key, "refund", "JournalEntry", journal.body)],
    variance,
    effects: journal.effects,
    needs: resolved?.customerId ? {} : { customer: sale.customer! },
    summary: journal.summary,
  });
}

function readPayment(sale: Sale, paymentId: string, ctx: LedgerContext, blockers: Blockers): PaymentFacts {
  const ref = saleRef(sale);
  const bad = (detail: string) => blockers.add("pos_payload_invalid", `${ref}: ${detail}`);
  const payment = sale.payments.find((p) => p.id === paymentId);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  if (!payment) bad(`it has no payment ${paymentId}`);
  if (!outlet) bad(`unknown outlet ${sale.outletId}`);
  if (sale.kind === "regular") bad("not an on-account or layby sale");
  if (!sale.customer) bad("an on-account sale without a customer");
  const txnDate =
    payment && outlet ? dateOf(payment.paidAt, outlet.timeZone, `${ref}: the payment's date`, blockers) : "";
  const type = payment && ctx.paymentTypes.find((p) => p.id === payment.paymentTypeId);
  if (payment && !type)
    blockers.add("needs_mapping", `payment type '${payment.paymentTypeName}'`, `paymentTypes.${payment.paymentTypeId}`);
  const thing = type ? `payment type '${type.name}'${type.deleted ? " (deleted)" : ""}` : "";
  const mapping = type && ctx.mappings.paymentTypes[type.id];
  if (type && !mapping) blockers.add("needs_mapping", thing, `paymentTypes.${type.id}`);
  return { payment, outlet, txnDate, type, thing, mapping };
}

function landingOf(refs: RefChecker, blockers: Blockers, { type, thing, mapping }: PaymentFacts): Landing {
  if (mapping?.role === "deposit")
    return {
      deposit: refs.account(mapping.accountId, thing, `paymentTypes.${type!.id}`, ACCOUNT_TYPES.deposit),
      liability: undefined,
    };
  if (mapping?.role !== "gift_card" && mapping?.role !== "store_credit")
    return { deposit: undefined, liability: undefined };
  const deposit = refs.accountFor(ACCOUNT_SETTINGS.closureClearing);
  return {
    deposit,
    liability: liability(refs, blockers, mapping.role === "gift_card" ? "giftCard" : "storeCredit").account,
  };
}

interface Paid {
  sale: Sale;
  payment: SalePayment;
  outlet: PosOutlet;
  type: PosPaymentType;
  deposit: QboAccount;
  header: Record<string, unknown>;
  base: PlanBase;
}

/** The Payment against the invoice, then (for a redemption) the JournalEntry from clearing to the liability. */
function paymentPlan(
  p: Paid,
  liabilityAccount: QboAccount | undefined,
  { refs, classId }: { refs: RefChecker; classId: string | undefined },
  resolved: Resolved | undefined,
): PostingPlan {
  const { sale, payment, type, deposit, base } = p;
  const ref = saleRef(sale);
  const amount = payment.amountMinor;
  const ar = refs.defaultAccountOfType("Accounts Receivable");
  const effects = new EffectSheet();
  effects.add(deposit.id, deposit.name, amount);
  effects.add(ar.id, ar.name, -amount);
  const documents = [draft(base.key, "payment", "Payment", paymentBody(p, resolved))];
  const summary = [{ label: `${type.name} payment on ${ref} → ${deposit.name}`, amountMinor: amount }];
  if (liabilityAccount) {
    const journal = redemptionJournal(p, liabilityAccount, classId);
    documents.push(draft(base.key, "redemption", "JournalEntry", journal.body));
    effects.addAll(journal.effects);
    summary.push(...journal.summary);
  }
  const needs: PostingNeeds = {};
  if (!resolved?.customerId) needs.customer = sale.customer!;
  if (!resolved?.invoiceId) needs.invoiceOfSaleId = sale.id;
  const variance = [varianceRow("sale_payment", `${type.name} payment`, amount, amount)];
  return postingPlan(base, { documents, variance, effects: effects.list(), needs, summary });
}

function factsOf({ sale, payment, outlet, type }: Paid): string[] {
  const customer = sale.customer!;
  return [
    `payment ${payment.id}`,
    `sale ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `payment type ${type.name}`,
    `customer ${customerDisplayName(customer)} (${customer.id})`,
    `outlet ${outlet.name} (${outlet.id})`,
    `paid ${payment.paidAt}`,
  ];
}

function paymentBody(p: Paid, resolved: Resolved | undefined): Record<string, unknown> {
  const { key, txnDate } = p.base;
  const amount = toQboAmount(p.payment.amountMinor);
  const invoice = resolved?.invoiceId ?? PLACEHOLDER.invoice;
  return {
    TxnDate: txnDate,
    DocNumber: docNumber(`P${p.sale.invoiceNumber ?? ""}`, key, "payment"),
    PrivateNote: privateNote(key, "payment", factsOf(p)),
    CustomerRef: { value: resolved?.customerId ?? PLACEHOLDER.customer },
    TotalAmt: amount,
    DepositToAccountRef: { value: p.deposit.id, name: p.deposit.name },
    Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoice, TxnType: "Invoice" }] }],
    ...p.header,
  };
}

/** A redemption: Dr the liability, Cr the clearing account the Payment landed in. */
function redemptionJournal(p: Paid, liabilityAccount: QboAccount, classId: string | undefined) {
  const { sale, payment, type, deposit } = p;
  const { key, txnDate } = p.base;
  const ref = saleRef(sale);
  return buildJournal(
    {
      TxnDate: txnDate,
      DocNumber: docNumber(`R${sale.invoiceNumber ?? ""}`, key, "redemption"),
      PrivateNote: privateNote(key, "redemption", factsOf(p)),
      ...p.header,
    },
    [
      {
        account: liabilityAccount,
        debitMinor: payment.amountMinor,
        description: `${type.name} redeemed on ${ref}`,
        label: `${type.name} redemption`,
      },
      {
        account: deposit,
        debitMinor: -payment.amountMinor,
        description: `Clears the ${type.name} payment on ${ref}`,
        label: `Clearing – ${deposit.name}`,
      },
    ],
    classId,
  );
}
