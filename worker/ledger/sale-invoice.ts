import { Sale } from "../../shared/domain/pos";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildSalesForm } from "./form";
import { idempotencyKey, privateNote, requestIdFor } from "./keys";
import { customerDisplayName } from "./names";
import { RefChecker } from "./refs";
import { checkSale, saleRef } from "./sale-check";
import { saleFormLines } from "./sale-lines";
import { TaxResolver } from "./tax";
import { type LedgerContext, PLACEHOLDER, type PostingPlan, type PostingResult, type VarianceRow } from "./types";

/** An on-account or layby sale → an Invoice for its customer (a CreditMemo when net-negative). */
export function buildSaleInvoicePosting(
  input: Sale,
  ctx: LedgerContext,
  resolved?: { customerId?: string },
): PostingResult {
  const parsed = parseInput(Sale, input, "the sale");
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const taxes = new TaxResolver(refs, blockers);
  const ref = saleRef(sale);
  const key = idempotencyKey(ctx.tenantId, "sale", sale.id, sale.version);
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId);
  if (!outlet) blockers.add("pos_payload_invalid", `${ref}: unknown outlet ${sale.outletId}`);
  const txnDate = outlet ? dateOf(sale.saleDate, outlet.timeZone, `${ref}: its sale date`, blockers) : "";
  const base = { kind: "sale" as const, posId: sale.id, posVersion: sale.version, key, txnDate };
  const empty = (): PostingResult => ({
    ok: true,
    plan: { ...base, documents: [], variance: [], effects: [], needs: {}, summary: [] },
  });

  if (sale.kind === "regular") blockers.add("pos_payload_invalid", `${ref}: not an on-account or layby sale`);
  if (!sale.customer) blockers.add("pos_payload_invalid", `${ref}: an on-account sale without a customer`);
  if (!blockers.any && (sale.state === "parked" || sale.state === "voided")) return empty();
  // Everything that blocks the invoice is collected before answering: data, mappings, references.
  checkSale(sale, blockers);
  const { lines, taxes: formTaxes } = saleFormLines(sale, refs, taxes, blockers);
  if (!blockers.any && lines.length === 0 && formTaxes.length === 0) return empty();
  const { header, classId } = outletHeader(refs, blockers, outlet);
  const nonTaxableCode = lines.some((l) => l.tax === null) ? taxes.nonTaxableCode() : undefined;
  if (blockers.any || !outlet) return { ok: false, blockers: blockers.all() };

  const customer = sale.customer!;
  const customerId = resolved?.customerId;
  const facts = [
    `sale ${sale.id}`,
    `receipt ${sale.invoiceNumber ?? "-"}`,
    `${sale.kind === "layby" ? "layby" : "on account"}`,
    `customer ${customerDisplayName(customer)} (${customer.id})`,
    `outlet ${outlet.name} (${outlet.id})`,
    `mapping v${ctx.mappingVersion}`,
  ];
  const ar = refs.defaultAccountOfType("Accounts Receivable");
  const form = buildSalesForm(
    {
      entities: { positive: "Invoice", negative: "CreditMemo" },
      header: {
        TxnDate: txnDate,
        DocNumber: docNumber(sale.invoiceNumber ?? "", key, "invoice"),
        PrivateNote: privateNote(key, "invoice", facts),
        CustomerRef: { value: customerId ?? PLACEHOLDER.customer },
        ...header,
      },
      lines,
      taxes: formTaxes,
      nonTaxableCode,
      classId,
      isUS: refs.isUS,
      totalAccount: ar,
      what: ref,
      accountName: (id) => refs.accountById(id)?.name ?? id,
    },
    blockers,
  );
  if (!form) return { ok: false, blockers: blockers.all() };

  const variance: VarianceRow[] = [];
  const row = (line: string, label: string, pos: number, posted: number) =>
    variance.push({ line, label, posMinor: pos, postedMinor: posted, diffMinor: posted - pos });
  row(
    "invoice_lines",
    "Sale before tax, with rounding",
    sale.totalExTaxMinor + sale.roundingMinor,
    form.totalMinor - form.taxMinor,
  );
  row("invoice_tax", "Tax", sale.totalTaxMinor, form.taxMinor);
  for (const t of form.taxRows)
    if (t.qboMinor !== null) row("tax_override", `tax rounding (override) – ${t.label}`, t.posMinor, t.qboMinor);

  const plan: PostingPlan = {
    ...base,
    documents: [
      {
        part: "invoice",
        entity: form.entity,
        docNumber: String(form.body.DocNumber),
        requestId: requestIdFor(key, "invoice"),
        body: form.body,
      },
    ],
    variance,
    effects: form.effects,
    needs: customerId ? {} : { customer },
    summary: form.summary,
  };
  return { ok: true, plan };
}
