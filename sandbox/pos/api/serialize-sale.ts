import { addDec, formatDec, formatMinor, mulDec, subDec } from "../../../shared/money";
import { lineLoyalty, saleLoyaltyEarned } from "../ops/loyalty";
import { dec, mergeTaxes, sumDecs, text, ZERO } from "../pricing";
import type { AdjustmentRec, LineTaxRec, SaleLineRec, SalePaymentRec, SaleRec, StoreState } from "../types";
import { isoClassic } from "../time";

/**
 * A raw sale as the 2026-07 `Sale` schema: money as JSON numbers (sale totals to the cent in a
 * tax-exclusive store, unrounded up to 5 places in a tax-inclusive one; unit prices to 5 places; per-line
 * tax at full precision, see pricing.ts), `state` + `attributes`, the open-sequence ids in `_metadata`.
 * Absent optional values are sent as null, as the POS does; fields that only some sales carry (a
 * payment's `surcharge`, a sale's `_metadata.complete_open_sequence_id` when the API leaves it out) are
 * left out where absent.
 */

/** A JSON number that prints exactly as the decimal text (all our decimals have ≤ 15 significant digits). */
export const num = (decimal: string) => Number(decimal);
export const money = (cents: number) => Number(formatMinor(cents));

const components = (taxes: readonly LineTaxRec[]) => taxes.map((t) => ({ rate_id: t.rateId, total_tax: num(t.exact) }));

function linePricing(line: SaleLineRec, cost: ReturnType<typeof dec>, qty: ReturnType<typeof dec>) {
  const inc = line.inclusive;
  return {
    cost: num(formatDec(cost)),
    cost_total: num(formatDec(mulDec(cost, qty))),
    discount: num(line.unitDiscount),
    discount_total: inc ? num(text(subDec(dec(inc.listTotal), dec(inc.total)))) : money(line.listTotal - line.total),
    loyalty_amount: line.loyaltyUnit ? num(line.loyaltyUnit) : 0,
    loyalty_amount_total: money(lineLoyalty(line)),
    price: num(line.unitPrice),
    total: inc ? num(inc.total) : money(line.total),
  };
}

function lineJson(store: StoreState, sale: SaleRec, line: SaleLineRec, sequence: number) {
  const qty = dec(line.quantity);
  const taxTotal = line.taxes.reduce((s, t) => addDec(s, dec(t.exact)), ZERO);
  const rateSum = (store.taxes[line.taxId]?.rates ?? []).reduce((s, r) => addDec(s, dec(r.rate)), ZERO);
  // The POS's own cost of the line (ops/stock.ts); a state saved before lines carried it: the supply price.
  const cost = dec(line.cost ?? store.products[line.productId]?.supplyPrice ?? "0");
  const unitTax = line.inclusive
    ? sumDecs(line.inclusive.unitTaxes.map((t) => dec(t.exact)))
    : mulDec(dec(line.unitPrice), rateSum);
  return {
    _metadata: {
      is_price_override: false,
      sequence,
      tax_components: components(line.taxes),
    },
    customizations: [],
    gift_card_number: line.giftCardNumber,
    id: line.id,
    note: null,
    pricing: linePricing(line, cost, qty),
    product: { id: line.productId },
    promotions: [],
    quantity: num(line.quantity),
    return: { is_return: line.isReturn, reason: line.isReturn ? "" : null },
    salesperson_id: sale.userId,
    source: { register_id: sale.registerId },
    status: line.voided ? "VOIDED" : "CONFIRMED",
    surcharges: (line.surcharges ?? []).map((s) => ({ tax_components: components(s.taxes), value: num(s.value) })),
    tax: {
      amount: num(formatDec(unitTax)),
      id: line.taxId,
      total: num(formatDec(taxTotal)),
    },
  };
}

function paymentJson(store: StoreState, p: SalePaymentRec) {
  const type = store.paymentTypes[p.paymentTypeId];
  return {
    _metadata: { register_open_sequence_id: p.sequenceId },
    amount: money(p.amount),
    billing_address_id: null,
    date: p.at,
    deleted_at: null,
    external_applications: [],
    external_attributes: p.lspay
      ? [
          {
            card_last_four_digits: p.lspay.cardLast4,
            source: "lightspeed_payments",
            transaction_id: p.lspay.externalTransactionId,
          },
        ]
      : [],
    id: p.id,
    source: { id: p.lspay?.transactionId ?? null, outlet_id: p.outletId, register_id: p.registerId },
    ...(p.surcharge ? { surcharge: { amount: money(p.surcharge.amount), rule: p.surcharge.rule } } : {}),
    type: { config_id: p.paymentTypeId, id: String(type?.typeId ?? ""), name: p.name },
  };
}

/** `adjustments[]`: charges compounded per type (name of the first), then cash rounding. */
function adjustmentsJson(sale: SaleRec) {
  const pieces = sale.adjustments ?? [];
  const types = [...new Set(pieces.map((a) => a.type))];
  const charges = types.map((type) => {
    const mine = pieces.filter((a) => a.type === type);
    return {
      adjustment_type: type,
      name: mine[0]!.name,
      tax_components: components(mergeTaxes(mine.map((a) => a.taxes))),
      total: num(text(sumDecs(mine.map((a) => dec(a.total))))),
    };
  });
  const rounding =
    sale.rounding === 0
      ? []
      : [{ adjustment_type: "ROUNDING", name: "Rounding", tax_components: [], total: money(sale.rounding) }];
  return [...charges, ...rounding];
}

/** `ecom_custom_charges[]`: each custom charge, itemised (the same money as the ECOM_CUSTOM_CHARGE adjustment). */
function ecomChargesJson(sale: SaleRec) {
  return (sale.adjustments ?? [])
    .filter((a): a is AdjustmentRec & { sourceId: string } => a.type === "ECOM_CUSTOM_CHARGE" && !!a.sourceId)
    .map((a) => {
      const tax = sumDecs(a.taxes.map((t) => dec(t.exact)));
      return {
        name: a.name,
        source_id: a.sourceId,
        tax_components: a.taxes.map((t) => ({ rate_id: t.rateId, total_tax: num(t.exact) })),
        total: num(a.total),
        total_incl: num(text(addDec(dec(a.total), tax))),
        total_tax: num(text(tax)),
      };
    });
}

function totalsJson(sale: SaleRec) {
  const surcharge = sumDecs((sale.adjustments ?? []).filter((a) => a.type === "SURCHARGE").map((a) => dec(a.total)));
  const x = sale.exact;
  return {
    loyalty: money(saleLoyaltyEarned(sale)),
    price: x ? num(x.price) : money(sale.totalPrice),
    price_incl_tax: money(sale.totalPrice + sale.totalTax),
    surcharge: num(text(surcharge)),
    tax: x ? num(x.tax) : money(sale.totalTax),
  };
}

export function saleJson(store: StoreState, sale: SaleRec) {
  const metadata: Record<string, unknown> = {
    complete_open_sequence_id: sale.completeSequenceId,
    has_unsynced_on_account_payments: false,
    version: sale.version,
  };
  if (sale.omitSequenceId) delete metadata.complete_open_sequence_id;
  return {
    _metadata: metadata as {
      complete_open_sequence_id?: string | null;
      has_unsynced_on_account_payments: boolean;
      version: number;
    },
    adjustments: adjustmentsJson(sale),
    attributes: sale.attributes,
    created_at: sale.createdAt,
    customer_id: sale.customerId,
    date: sale.date,
    deleted_at: null,
    ecom_custom_charges: ecomChargesJson(sale),
    external_applications: [],
    id: sale.id,
    invoice_number: sale.invoiceNumber,
    line_items: sale.lines.map((l, i) => lineJson(store, sale, l, i)),
    note: sale.note,
    payments: sale.payments.map((p) => paymentJson(store, p)),
    receipt_number: sale.receiptNumber,
    return: {
      is_return: sale.returnFor !== null,
      original_sale_id: sale.returnFor,
      return_sale_ids: sale.returnSaleIds,
    },
    short_code: sale.shortCode,
    source: {
      author: { id: sale.userId },
      id: sale.ecommerce?.orderId ?? null,
      outlet_id: sale.outletId,
      register_id: sale.registerId,
      type: sale.ecommerce ? "ECOMMERCE" : "USER",
    },
    state: sale.state,
    taxes: sale.exact
      ? sale.exact.taxes.map((t) => ({ id: t.rateId, tax: num(t.tax) }))
      : sale.taxes.map((t) => ({ id: t.rateId, tax: money(t.tax) })),
    totals: totalsJson(sale),
    updated_at: isoClassic(sale.updatedAt),
  };
}
