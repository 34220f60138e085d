import { Sale } from "../../shared/domain/pos";
import { formatMinor, toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { idempotencyKey, privateNote } from "./keys";
import { customerDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import { type LedgerContext, PLACEHOLDER, type PostingResult } from "./types";

type Resolved = { customerId?: string; invoiceId?: string; creditMemoId?: string };

/**
 * What a return on account credits back on account: its total (with rounding) not paid out in
 * money. The On Account charge is not money (a negative one is the credit itself), so only the
 * payments of other payment types count as paid out. Positive when the customer owes less.
 */
export function creditOnAccount(sale: Sale, ctx: Pick<LedgerContext, "mappings">): number {
  let paidOut = 0;
  for (const p of sale.payments)
    if (ctx.mappings.paymentTypes[p.paymentTypeId]?.role !== "on_account") paidOut += p.amountMinor;
  return -(sale.totalMinor + sale.roundingMinor) + paidOut;
}

/**
 * A return of an on-account sale whose refund went back on account (SPEC §4.4). The return itself
 * posts as a CreditMemo for the customer, income and tax reversed line by line (its sale item,
 * sale-invoice.ts); this applies that credit to the original sale's open invoice: a QBO Payment of
 * no money with the invoice and the credit memo linked, so the invoice's open balance is what the
 * POS says the customer still owes on the sale. Nothing moves in the books (A/R went down with the
 * credit memo); the variance line-up shows the credit applied against what the POS credited.
 */
export function buildAccountCreditPosting(input: Sale, ctx: LedgerContext, resolved?: Resolved): PostingResult {
  const parsed = parseInput(Sale, input, "the return");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const ref = saleRef(sale);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "account_credit", sale.id, posVersion);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  const bad = (what: string) => blockers.add("pos_payload_invalid", `${ref}: ${what}`);
  if (!outlet) bad(`unknown outlet ${sale.outletId}`);
  if (sale.kind === "regular") bad("not a return of an on-account sale");
  if (sale.returnForSaleId === null) bad("not a return: it names no original sale");
  if (!sale.customer) bad("a return on account without a customer");
  const txnDate = outlet ? dateOf(sale.saleDate, outlet.timeZone, `${ref}: its sale date`, blockers) : "";
  const base: PlanBase = { kind: "account_credit", posId: sale.id, posVersion, key, txnDate };
  const credit = creditOnAccount(sale, ctx);
  // voided, or refunded entirely in money: no credit stays on account
  if (!blockers.any && (sale.state === "voided" || sale.state === "parked" || credit <= 0))
    return { ok: true, plan: postingPlan(base) };
  const { header } = outletHeader(refs, blockers, outlet);
  if (blockers.any || !sale.customer || !outlet) return { ok: false, blockers: blockers.all() };

  const amount = toQboAmount(credit);
  const customer = sale.customer;
  const facts = [
    `return ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `of sale ${sale.returnForSaleId}`,
    `customer ${customerDisplayName(customer)} (${customer.id})`,
    `outlet ${outlet.name} (${outlet.id})`,
    `credit ${formatMinor(credit)}`,
  ];
  const body = {
    TxnDate: txnDate,
    DocNumber: docNumber(`C${sale.invoiceNumber ?? ""}`, key, "credit"),
    PrivateNote: privateNote(key, "credit", facts),
    CustomerRef: { value: resolved?.customerId ?? PLACEHOLDER.customer },
    TotalAmt: 0,
    Line: [
      { Amount: amount, LinkedTxn: [{ TxnId: resolved?.invoiceId ?? PLACEHOLDER.invoice, TxnType: "Invoice" }] },
      {
        Amount: amount,
        LinkedTxn: [{ TxnId: resolved?.creditMemoId ?? PLACEHOLDER.creditMemo, TxnType: "CreditMemo" }],
      },
    ],
    ...header,
  };
  const plan = postingPlan(base, {
    documents: [draft(key, "credit", "Payment", body)],
    variance: [varianceRow("account_credit", "Credit applied to the invoice", credit, credit)],
    needs: {
      ...(resolved?.customerId ? {} : { customer }),
      ...(resolved?.invoiceId ? {} : { invoiceOfSaleId: sale.returnForSaleId! }),
    },
    summary: [
      { label: `Credit of ${ref} applied to the invoice of sale ${sale.returnForSaleId}`, amountMinor: credit },
    ],
  });
  return { ok: true, plan };
}
