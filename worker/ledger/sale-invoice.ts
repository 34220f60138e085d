import { type PosOutlet, Sale } from "../../shared/domain/pos";
import type { ObjectKind } from "../../shared/sync";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildSalesForm, type SalesForm } from "./form";
import { idempotencyKey, privateNote } from "./keys";
import { customerDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { RefChecker } from "./refs";
import { checkSale, saleRef } from "./sale-check";
import { saleFormLines } from "./sale-lines";
import { cancelledParts } from "./sale-parts";
import { TaxResolver } from "./tax";
import { type LedgerContext, PLACEHOLDER, type PostingResult, type VarianceRow } from "./types";

/** Which posting a sales form is: the sale's own invoice, or the credit of its cancelling lines. */
interface FormOf {
  kind: ObjectKind;
  posId: string;
  posVersion: string;
  part: string;
}

/**
 * An on-account or layby sale → an Invoice for its customer (a CreditMemo when net-negative). A
 * cancelled layby's invoice is the layby as it was made; its cancelling lines are credited apart
 * (buildCancellationPosting).
 */
export function buildSaleInvoicePosting(
  input: Sale,
  ctx: LedgerContext,
  resolved?: { customerId?: string },
): PostingResult {
  const parsed = parseInput(Sale, input, "the sale");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const as = { kind: "sale", posId: sale.id, posVersion: sale.version, part: "invoice" } as const;
  const parts = cancelledParts(sale);
  if (!parts) return salesFormPosting(sale, ctx, resolved, as);
  const blockers = new Blockers();
  if (!checkSale(sale, blockers)) return { ok: false, blockers: blockers.all() };
  return salesFormPosting(parts.made, ctx, resolved, as);
}

/**
 * A cancelled layby (SPEC §4.4): its cancelling lines → a CreditMemo for the customer, income and
 * tax reversed line by line, dated when the deposit went back. Posted by the `account_credit` kind
 * as `cancel:<sale id>`, then applied to the layby's invoice. Nothing when the sale has no
 * cancelling lines.
 */
export function buildCancellationPosting(
  input: Sale,
  ctx: LedgerContext,
  resolved?: { customerId?: string },
): PostingResult {
  const parsed = parseInput(Sale, input, "the sale");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const as = {
    kind: "account_credit",
    posId: `cancel:${sale.id}`,
    posVersion: ctx.revision ?? "1",
    part: "memo",
  } as const;
  const parts = cancelledParts(sale);
  if (!parts) {
    const key = idempotencyKey(ctx.tenantId, as.kind, as.posId, as.posVersion);
    return { ok: true, plan: postingPlan({ ...as, key, txnDate: sale.saleDate.slice(0, 10) }) };
  }
  const blockers = new Blockers();
  if (!checkSale(sale, blockers)) return { ok: false, blockers: blockers.all() };
  return salesFormPosting(parts.cancelling, ctx, resolved, as);
}

function salesFormPosting(
  sale: Sale,
  ctx: LedgerContext,
  resolved: { customerId?: string } | undefined,
  as: FormOf,
): PostingResult {
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const taxes = new TaxResolver(refs, blockers);
  const key = idempotencyKey(ctx.tenantId, as.kind, as.posId, as.posVersion);
  const { outlet, txnDate } = readSale(sale, ctx, blockers);
  const base: PlanBase = { kind: as.kind, posId: as.posId, posVersion: as.posVersion, key, txnDate };
  if (!blockers.any && (sale.state === "parked" || sale.state === "voided"))
    return { ok: true, plan: postingPlan(base) };
  // Everything that blocks the invoice is collected before answering: data, mappings, references.
  checkSale(sale, blockers);
  const { lines, taxes: formTaxes } = saleFormLines(sale, refs, taxes, blockers);
  if (!blockers.any && lines.length === 0 && formTaxes.length === 0) return { ok: true, plan: postingPlan(base) };
  const { header, classId } = outletHeader(refs, blockers, outlet);
  const nonTaxableCode = lines.some((l) => l.tax === null) ? taxes.nonTaxableCode() : undefined;
  if (blockers.any || !outlet) return { ok: false, blockers: blockers.all() };

  const customerId = resolved?.customerId;
  const form = buildSalesForm(
    {
      entities: { positive: "Invoice", negative: "CreditMemo" },
      header: invoiceHeader(sale, outlet, { ctx, key, txnDate, customerId, header, part: as.part }),
      lines,
      taxes: formTaxes,
      nonTaxableCode,
      classId,
      isUS: refs.isUS,
      totalAccount: refs.defaultAccountOfType("Accounts Receivable"),
      what: saleRef(sale),
      accountName: (id) => refs.accountById(id)?.name ?? id,
    },
    blockers,
  );
  if (!form) return { ok: false, blockers: blockers.all() };
  const plan = postingPlan(base, {
    documents: [draft(key, as.part, form.entity, form.body)],
    variance: invoiceVariance(sale, form),
    effects: form.effects,
    needs: customerId ? {} : { customer: sale.customer! },
    summary: form.summary,
  });
  return { ok: true, plan };
}

/** The sale's outlet and date, and whether it is a sale an invoice is for. */
function readSale(sale: Sale, ctx: LedgerContext, blockers: Blockers): { outlet?: PosOutlet; txnDate: string } {
  const ref = saleRef(sale);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  if (!outlet) blockers.add("pos_payload_invalid", `${ref}: unknown outlet ${sale.outletId}`);
  const txnDate = outlet ? dateOf(sale.saleDate, outlet.timeZone, `${ref}: its sale date`, blockers) : "";
  if (sale.kind === "regular") blockers.add("pos_payload_invalid", `${ref}: not an on-account or layby sale`);
  if (!sale.customer) blockers.add("pos_payload_invalid", `${ref}: an on-account sale without a customer`);
  return outlet ? { outlet, txnDate } : { txnDate };
}

function invoiceHeader(
  sale: Sale,
  outlet: PosOutlet,
  p: {
    ctx: LedgerContext;
    key: string;
    txnDate: string;
    customerId: string | undefined;
    header: object;
    part: string;
  },
): Record<string, unknown> {
  const customer = sale.customer!;
  const facts = [
    `sale ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `${sale.kind === "layby" ? "layby" : "on account"}${p.part === "memo" ? " cancelled" : ""}`,
    `customer ${customerDisplayName(customer)} (${customer.id})`,
    `outlet ${outlet.name} (${outlet.id})`,
    `mapping v${p.ctx.mappingVersion}`,
  ];
  return {
    TxnDate: p.txnDate,
    DocNumber: docNumber(sale.invoiceNumber ?? "", p.key, p.part),
    PrivateNote: privateNote(p.key, p.part, facts),
    CustomerRef: { value: p.customerId ?? PLACEHOLDER.customer },
    ...p.header,
  };
}

/** The sale's own totals against the invoice: lines with rounding, then tax, then QBO's tax override. */
function invoiceVariance(sale: Sale, form: SalesForm): VarianceRow[] {
  const rows = [
    varianceRow(
      "invoice_lines",
      "Sale before tax, with rounding",
      sale.totalExTaxMinor + sale.roundingMinor,
      form.totalMinor - form.taxMinor,
    ),
    varianceRow("invoice_tax", "Tax", sale.totalTaxMinor, form.taxMinor),
  ];
  for (const t of form.taxRows)
    if (t.qboMinor !== null)
      rows.push(varianceRow("tax_override", `tax rounding (override) – ${t.label}`, t.posMinor, t.qboMinor));
  return rows;
}
