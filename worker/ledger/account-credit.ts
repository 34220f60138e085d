import { type PosOutlet, Sale } from "../../shared/domain/pos";
import { formatMinor, toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { idempotencyKey, privateNote } from "./keys";
import { customerDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import { cancelledParts } from "./sale-parts";
import { type LedgerContext, PLACEHOLDER, type PostingPlan, type PostingResult } from "./types";

type Resolved = { customerId?: string; invoiceId?: string; creditMemoId?: string };

/**
 * What a return on account, or a layby's cancellation, credits against the invoice: the credit
 * (the return's total with rounding, or the cancelling lines' total) less what was paid out in money
 * (refunds, a deposit kept as store credit: sale-payment.ts posts those against the customer). The
 * On Account charge is not money (a negative one is the credit itself). Positive when the customer
 * owes less; with the sale whose invoice it applies to.
 */
export function creditOnAccount(
  sale: Sale,
  ctx: Pick<LedgerContext, "mappings">,
): { amountMinor: number; invoiceOfSaleId: string; credit: Sale } | null {
  const parts = sale.returnForSaleId === null ? cancelledParts(sale) : null;
  const credit = sale.returnForSaleId !== null ? sale : parts?.cancelling;
  if (!credit) return null;
  let paidOut = 0;
  for (const p of sale.payments)
    if (p.amountMinor < 0 && ctx.mappings.paymentTypes[p.paymentTypeId]?.role !== "on_account")
      paidOut += p.amountMinor;
  return {
    amountMinor: -(credit.totalMinor + credit.roundingMinor) + paidOut,
    invoiceOfSaleId: sale.returnForSaleId ?? sale.id,
    credit,
  };
}

/**
 * A return of an on-account sale whose refund went back on account, or a cancelled layby (SPEC
 * §4.4). The credit posts as a CreditMemo for the customer, income and tax reversed line by line (the
 * return's own sale item; a layby's cancelling lines, buildCancellationPosting in sale-invoice.ts);
 * this applies it to the open invoice (the original sale's, or the layby's own): a QBO Payment of
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
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "account_credit", sale.id, posVersion);
  const { outlet, found, txnDate } = readCredit(sale, ctx, blockers);
  const base: PlanBase = { kind: "account_credit", posId: sale.id, posVersion, key, txnDate };
  const credit = found?.amountMinor ?? 0;
  // voided, or refunded entirely in money: no credit stays on account
  if (!blockers.any && (sale.state === "voided" || sale.state === "parked" || credit <= 0))
    return { ok: true, plan: postingPlan(base) };
  const { header } = outletHeader(refs, blockers, outlet);
  if (blockers.any || !sale.customer || !outlet || !found) return { ok: false, blockers: blockers.all() };
  return { ok: true, plan: creditPlan({ sale, customer: sale.customer, outlet, found, header, base }, resolved) };
}

type Found = NonNullable<ReturnType<typeof creditOnAccount>>;

/** What the credit needs from the sale: its outlet, the credit it carries, its date; each missing is a blocker. */
function readCredit(
  sale: Sale,
  ctx: LedgerContext,
  blockers: Blockers,
): { outlet: PosOutlet | undefined; found: Found | null; txnDate: string } {
  const ref = saleRef(sale);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  const bad = (what: string) => blockers.add("pos_payload_invalid", `${ref}: ${what}`);
  if (!outlet) bad(`unknown outlet ${sale.outletId}`);
  const found = creditOnAccount(sale, ctx);
  if (sale.kind === "regular") bad("not an on-account or layby sale");
  else if (!found) bad("neither a return nor a cancelled layby");
  if (!sale.customer) bad("a credit on account without a customer");
  const when = found?.credit.saleDate ?? sale.saleDate;
  const txnDate = outlet ? dateOf(when, outlet.timeZone, `${ref}: its date`, blockers) : "";
  return { outlet, found, txnDate };
}

interface Credit {
  sale: Sale;
  customer: NonNullable<Sale["customer"]>;
  outlet: PosOutlet;
  found: Found;
  header: Record<string, unknown>;
  base: PlanBase;
}

/** A QBO Payment of no money linking the invoice and the credit memo, for the credit's amount. */
function creditPlan(c: Credit, resolved: Resolved | undefined): PostingPlan {
  const { sale, customer, outlet, base } = c;
  const { key, txnDate } = base;
  const credit = c.found.amountMinor;
  const target = c.found.invoiceOfSaleId;
  const amount = toQboAmount(credit);
  const facts = [
    `${sale.returnForSaleId !== null ? "return" : "cancelled layby"} ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `against the invoice of sale ${target}`,
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
    ...c.header,
  };
  return postingPlan(base, {
    documents: [draft(key, "credit", "Payment", body)],
    variance: [varianceRow("account_credit", "Credit applied to the invoice", credit, credit)],
    needs: {
      ...(resolved?.customerId ? {} : { customer }),
      ...(resolved?.invoiceId ? {} : { invoiceOfSaleId: target }),
    },
    summary: [{ label: `Credit of ${saleRef(sale)} applied to the invoice of sale ${target}`, amountMinor: credit }],
  });
}
