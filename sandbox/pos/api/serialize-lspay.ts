import type { SalePaymentRec, StoreState } from "../types";
import { money } from "./serialize-sale";

/**
 * A Lightspeed Payments transaction as the spec's `LspayTransaction` (tenders `LspayTender`): the
 * spec documents the shape but no path that serves it, so the sandbox serves it on its control
 * surface (`GET /_sandbox/<prefix>/lspay_transactions/<transaction or payment id>`); the sale's payment
 * names it in `source.id` and `external_attributes[].transaction_id`. Tender amounts are magnitudes.
 */
export function lspayTransactionJson(store: StoreState, payment: SalePaymentRec) {
  const tx = payment.lspay!;
  const type = store.paymentTypes[payment.paymentTypeId];
  return {
    created_at: tx.createdAt,
    id: tx.transactionId,
    payment_type_id: String(type?.typeId ?? ""),
    provider_fields: { payment_intent_id: tx.externalTransactionId },
    register_id: payment.registerId,
    register_sale_payment_id: payment.id,
    retailer_id: store.retailer.id,
    retailer_payment_type_id: payment.paymentTypeId,
    status: tx.status,
    tenders: tx.tenders.map((t) => ({
      amount: money(t.amount),
      card_details: { card_last_four_digits: tx.cardLast4 },
      created_at: t.createdAt,
      currency: store.retailer.currency,
      external_transaction_id: tx.externalTransactionId,
      id: t.id,
      provider_fields: {},
      status: tx.status === "REVERSED" && t.type !== "REVERSAL" ? "REVERSED" : "APPROVED",
      transaction_id: tx.transactionId,
      type: t.type,
    })),
    updated_at: tx.updatedAt,
  };
}
