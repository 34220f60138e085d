import type { Sale, SalePayment } from "../../../shared/domain/pos";
import { addDec, formatDec, isZeroDec } from "../../../shared/money";
import type { PosSale } from "../normalize/sale";
import { type Fail, payloadError, readObject, toIsoInstant } from "../read";
import { RawSale } from "../schemas";
import type { SaleContext } from "./context";
import { cents, near, slack, sumDec } from "./exact";
import { type ReadAdjustments, readAdjustments } from "./sale-charges";
import { exactTextOf, type ReadLine, readLines, toSaleParts } from "./sale-line";
import { saleKind } from "./sale-state";
import { taxPerRate } from "./sale-tax";

/**
 * A POS sale → the domain Sale (shared/domain/pos.ts), in cents reconciled to the POS's own
 * totals: the sale's total is its tax-inclusive total rounded to the cent, its tax is its tax total
 * rounded to the cent, and the lines' nets and per-rate taxes are split from those with
 * `allocate`, so they sum to them exactly whatever precision the POS keeps per line (5 decimals on
 * tax-inclusive stores). Payloads that do not add up fail with pos_payload_invalid. RawSale has
 * already read either API generation into one shape (normalize/sale.ts).
 */
export function toSale(raw: unknown, ctx: SaleContext): Sale {
  const s = readObject(RawSale, raw, "sale");
  const fail: Fail = (field, what) => payloadError("sale", s.id, field, what);
  const lines = readLines(s.line_items, ctx, fail);
  const adjustments = readAdjustments(s, lines, ctx, fail);
  const totals = saleTotals(s.totals, lines, adjustments, fail);
  const rates = taxPerRate([...lines, ...adjustments.charges], s.taxes, s.totals.tax, totals.totalTaxMinor, fail);
  if (!lines.length && !adjustments.charges.length && totals.totalExTaxMinor !== 0)
    throw fail("line_items", "missing: the sale has a total but no lines");
  const tipsMinor = cents(adjustments.tips);
  const parts = toSaleParts(
    lines,
    adjustments.charges,
    totals.totalExTaxMinor - tipsMinor,
    rates,
    ctx.taxInclusive === true,
  );
  const payments = salePayments(s.payments, ctx, fail);
  const state = s.deleted_at ? "voided" : s.state;
  return {
    id: s.id,
    version: s._metadata.version,
    outletId: s.source.outlet_id,
    registerId: s.source.register_id,
    invoiceNumber: s.invoice_number,
    saleDate: s.date,
    state,
    kind: saleKind(s.attributes),
    customer: customerOf(s.customer_id, ctx, fail),
    completedSequenceId: s._metadata.complete_open_sequence_id,
    returnForSaleId: s.return.original_sale_id,
    lines: parts.lines,
    ...totals,
    taxes: [...rates.minor].map(([rateId, taxMinor]) => {
      const exact = ctx.taxInclusive ? exactTextOf(rates.exact.get(rateId)!, taxMinor) : undefined;
      return exact === undefined ? { rateId, taxMinor } : { rateId, taxMinor, exact };
    }),
    roundingMinor: cents(adjustments.rounding),
    ...(parts.charges.length ? { charges: parts.charges } : {}),
    ...(tipsMinor !== 0 ? { tipsMinor } : {}),
    payments,
    note: s.note,
    ...(state === "voided" ? { voidedAt: (s.deleted_at && toIsoInstant(s.deleted_at)) || s.updated_at } : {}),
  };
}

/**
 * The sale's totals in cents: its tax-inclusive total and its tax, each rounded to the cent; the
 * POS's own figures must agree with each other and with the lines' prices.
 */
function saleTotals(totals: PosSale["totals"], lines: readonly ReadLine[], adj: ReadAdjustments, fail: Fail) {
  const { price, tax, price_incl_tax } = totals;
  const inclExact = addDec(price, tax);
  if (price_incl_tax !== null && !near(price_incl_tax, inclExact, slack(0))) {
    throw fail(
      "totals.price_incl_tax",
      `${formatDec(price_incl_tax)} is not price ${formatDec(price)} + tax ${formatDec(tax)}`,
    );
  }
  const charges = adj.charges.map((c) => c.amount);
  const lineNetSum = sumDec([...lines.map((l) => l.net), ...charges, adj.tips]);
  if (!near(lineNetSum, price, slack(lines.length + charges.length + 1))) {
    const what = charges.length || !isZeroDec(adj.tips) ? "lines' prices, charges and tips" : "lines' prices";
    throw fail("total_price", `${formatDec(price)} is not the sum of the ${what} (${formatDec(lineNetSum)})`);
  }
  const totalMinor = cents(inclExact);
  const totalTaxMinor = cents(tax);
  return { totalExTaxMinor: totalMinor - totalTaxMinor, totalTaxMinor, totalMinor };
}

/** The sale's payments, deleted ones left out, each of a payment type the store knows (deleted types included). */
function salePayments(payments: PosSale["payments"], ctx: SaleContext, fail: Fail): SalePayment[] {
  const out: SalePayment[] = [];
  for (const [i, p] of payments.entries()) {
    if (p === null) continue;
    const typeId = p.type.config_id;
    const type = ctx.paymentType(typeId);
    if (!type) throw fail(`payments[${i}].retailer_payment_type_id`, `unknown payment type ${typeId}`);
    out.push({
      id: p.id,
      paymentTypeId: typeId,
      paymentTypeName: type.name,
      amountMinor: cents(p.amount),
      paidAt: p.date,
      registerId: p.source.register_id,
      sequenceId: p._metadata.register_open_sequence_id,
    });
  }
  return out;
}

function customerOf(id: string | null, ctx: SaleContext, fail: Fail): Sale["customer"] {
  if (!id) return null;
  const customer = ctx.customer(id);
  if (!customer) throw fail("customer_id", `unknown customer ${id}`);
  return customer;
}
