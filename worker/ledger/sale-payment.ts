import { Sale } from "../../shared/domain/pos";
import type { QboDocumentDraft } from "../../shared/domain/qbo";
import { formatMinor, toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote, requestIdFor } from "./keys";
import { liability } from "./liabilities";
import { customerDisplayName } from "./names";
import { ACCOUNT_TYPES, RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import { type LedgerContext, PLACEHOLDER, type PostingNeeds, type PostingResult } from "./types";

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
  resolved?: { customerId?: string; invoiceId?: string },
): PostingResult {
  const parsed = parseInput(Sale, input, "the sale");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const ref = saleRef(sale);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "sale_payment", paymentId, posVersion);
  const payment = sale.payments.find((p) => p.id === paymentId);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  if (!payment) blockers.add("pos_payload_invalid", `${ref}: it has no payment ${paymentId}`);
  if (!outlet) blockers.add("pos_payload_invalid", `${ref}: unknown outlet ${sale.outletId}`);
  if (sale.kind === "regular") blockers.add("pos_payload_invalid", `${ref}: not an on-account or layby sale`);
  if (!sale.customer) blockers.add("pos_payload_invalid", `${ref}: an on-account sale without a customer`);
  const txnDate =
    payment && outlet ? dateOf(payment.paidAt, outlet.timeZone, `${ref}: the payment's date`, blockers) : "";
  const base = { kind: "sale_payment" as const, posId: paymentId, posVersion, key, txnDate };

  const pt = payment && ctx.paymentTypes.find((p) => p.id === payment.paymentTypeId);
  if (payment && !pt)
    blockers.add(
      "pos_payload_invalid",
      `${ref}: payment ${paymentId} has an unknown payment type '${payment.paymentTypeName}'`,
    );
  const thing = pt ? `payment type '${pt.name}'${pt.deleted ? " (deleted)" : ""}` : "";
  const mapping = pt && ctx.mappings.paymentTypes[pt.id];
  if (pt && !mapping) blockers.add("needs_mapping", thing, `paymentTypes.${pt.id}`);
  // The On Account charge itself is not money; a zero payment moves nothing.
  if (!blockers.any && payment && (mapping?.role === "on_account" || payment.amountMinor === 0)) {
    return { ok: true, plan: { ...base, documents: [], variance: [], effects: [], needs: {}, summary: [] } };
  }
  if (payment && payment.amountMinor < 0)
    blockers.add(
      "unsupported_event",
      `${ref}: a refund of ${formatMinor(-payment.amountMinor)} paid out on an on-account sale`,
    );

  const redemption = mapping?.role === "gift_card" || mapping?.role === "store_credit";
  const deposit =
    mapping?.role === "deposit"
      ? refs.account(mapping.accountId, thing, `paymentTypes.${pt!.id}`, ACCOUNT_TYPES.deposit)
      : redemption
        ? refs.account(
            ctx.mappings.accounts.closureClearing,
            "the closure clearing account",
            "accounts.closureClearing",
            ACCOUNT_TYPES.clearing,
          )
        : undefined;
  const liabilityAccount = redemption
    ? liability(refs, blockers, mapping?.role === "gift_card" ? "giftCard" : "storeCredit").account
    : undefined;
  const { header, classId } = outletHeader(refs, blockers, outlet);
  if (blockers.any || !payment || !outlet || !sale.customer || !pt || !deposit)
    return { ok: false, blockers: blockers.all() };

  const customer = sale.customer;
  const facts = [
    `payment ${payment.id}`,
    `sale ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `payment type ${pt.name}`,
    `customer ${customerDisplayName(customer)} (${customer.id})`,
    `outlet ${outlet.name} (${outlet.id})`,
    `paid ${payment.paidAt}`,
  ];
  const amount = payment.amountMinor;
  const invoiceId = resolved?.invoiceId;
  const customerId = resolved?.customerId;
  const body: Record<string, unknown> = {
    TxnDate: txnDate,
    DocNumber: docNumber(`P${sale.invoiceNumber ?? ""}`, key, "payment"),
    PrivateNote: privateNote(key, "payment", facts),
    CustomerRef: { value: customerId ?? PLACEHOLDER.customer },
    TotalAmt: toQboAmount(amount),
    DepositToAccountRef: { value: deposit.id, name: deposit.name },
    Line: [
      { Amount: toQboAmount(amount), LinkedTxn: [{ TxnId: invoiceId ?? PLACEHOLDER.invoice, TxnType: "Invoice" }] },
    ],
    ...header,
  };
  const ar = refs.defaultAccountOfType("Accounts Receivable");
  const effects = new EffectSheet();
  effects.add(deposit.id, deposit.name, amount);
  effects.add(ar.id, ar.name, -amount);
  const documents: QboDocumentDraft[] = [
    {
      part: "payment",
      entity: "Payment",
      docNumber: String(body.DocNumber),
      requestId: requestIdFor(key, "payment"),
      body,
    },
  ];
  const summary = [{ label: `${pt.name} payment on ${ref} → ${deposit.name}`, amountMinor: amount }];
  if (redemption && liabilityAccount) {
    const journal = buildJournal(
      {
        TxnDate: txnDate,
        DocNumber: docNumber(`R${sale.invoiceNumber ?? ""}`, key, "redemption"),
        PrivateNote: privateNote(key, "redemption", facts),
        ...header,
      },
      [
        {
          account: liabilityAccount,
          debitMinor: amount,
          description: `${pt.name} redeemed on ${ref}`,
          label: `${pt.name} redemption`,
        },
        {
          account: deposit,
          debitMinor: -amount,
          description: `Clears the ${pt.name} payment on ${ref}`,
          label: `Clearing – ${deposit.name}`,
        },
      ],
      classId,
    );
    documents.push({
      part: "redemption",
      entity: "JournalEntry",
      docNumber: String(journal.body.DocNumber),
      requestId: requestIdFor(key, "redemption"),
      body: journal.body,
    });
    effects.addAll(journal.effects);
    summary.push(...journal.summary);
  }
  const needs: PostingNeeds = {};
  if (!customerId) needs.customer = customer;
  if (!invoiceId) needs.invoiceOfSaleId = sale.id;
  return {
    ok: true,
    plan: {
      ...base,
      documents,
      variance: [
        { line: "sale_payment", label: `${pt.name} payment`, posMinor: amount, postedMinor: amount, diffMinor: 0 },
      ],
      effects: effects.list(),
      needs,
      summary,
    },
  };
}
