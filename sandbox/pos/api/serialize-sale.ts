import { addDec, formatDec, formatMinor, mulDec } from "../../../shared/money";
import { dec, ZERO } from "../pricing";
import type { SaleLineRec, SalePaymentRec, SaleRec, StoreState } from "../types";
import { isoClassic } from "../time";

/**
 * A raw sale as the 2026-07 `Sale` schema: money as JSON numbers (sale totals to the cent; unit
 * prices to 5 places; per-line tax at full precision, see pricing.ts), `state` + `attributes`, the
 * open-sequence ids in `_metadata`. Absent optional values are sent as null, as the POS does.
 */

/** A JSON number that prints exactly as the decimal text (all our decimals have ≤ 15 significant digits). */
export const num = (decimal: string) => Number(decimal);
export const money = (cents: number) => Number(formatMinor(cents));

function lineJson(store: StoreState, sale: SaleRec, line: SaleLineRec, sequence: number) {
  const qty = dec(line.quantity);
  const taxTotal = line.taxes.reduce((s, t) => addDec(s, dec(t.exact)), ZERO);
  const rateSum = (store.taxes[line.taxId]?.rates ?? []).reduce((s, r) => addDec(s, dec(r.rate)), ZERO);
  // The POS's own cost of the line (ops/stock.ts); a state saved before lines carried it: the supply price.
  const cost = dec(line.cost ?? store.products[line.productId]?.supplyPrice ?? "0");
  return {
    _metadata: {
      is_price_override: false,
      sequence,
      tax_components: line.taxes.map((t) => ({ rate_id: t.rateId, total_tax: num(t.exact) })),
    },
    customizations: [],
    gift_card_number: line.giftCardNumber,
    id: line.id,
    note: null,
    pricing: {
      cost: num(formatDec(cost)),
      cost_total: num(formatDec(mulDec(cost, qty))),
      discount: num(line.unitDiscount),
      discount_total: money(line.listTotal - line.total),
      loyalty_amount: 0,
      loyalty_amount_total: 0,
      price: num(line.unitPrice),
      total: money(line.total),
    },
    product: { id: line.productId },
    promotions: [],
    quantity: num(line.quantity),
    return: { is_return: line.isReturn, reason: line.isReturn ? "" : null },
    salesperson_id: sale.userId,
    source: { register_id: sale.registerId },
    status: "CONFIRMED",
    surcharges: [],
    tax: {
      amount: num(formatDec(mulDec(dec(line.unitPrice), rateSum))),
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
    external_attributes: [],
    id: p.id,
    source: { id: null, outlet_id: p.outletId, register_id: p.registerId },
    type: { config_id: p.paymentTypeId, id: String(type?.typeId ?? ""), name: p.name },
  };
}

export function saleJson(store: StoreState, sale: SaleRec) {
  return {
    _metadata: {
      complete_open_sequence_id: sale.completeSequenceId,
      has_unsynced_on_account_payments: false,
      version: sale.version,
    },
    adjustments:
      sale.rounding === 0
        ? []
        : [{ adjustment_type: "ROUNDING", name: "Rounding", tax_components: [], total: money(sale.rounding) }],
    attributes: sale.attributes,
    created_at: sale.createdAt,
    customer_id: sale.customerId,
    date: sale.date,
    deleted_at: null,
    ecom_custom_charges: [],
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
      id: null,
      outlet_id: sale.outletId,
      register_id: sale.registerId,
      type: "USER",
    },
    state: sale.state,
    taxes: sale.taxes.map((t) => ({ id: t.rateId, tax: money(t.tax) })),
    totals: {
      loyalty: 0,
      price: money(sale.totalPrice),
      price_incl_tax: money(sale.totalPrice + sale.totalTax),
      surcharge: 0,
      tax: money(sale.totalTax),
    },
    updated_at: isoClassic(sale.updatedAt),
  };
}
