import { TillbridgeError } from "../../shared/errors";
import { currentItem, docsOf } from "../db/sync-items";
import { buildSalePaymentPosting } from "../ledger";
import { defineKind, type Build } from "./kind";
import { itemOnClick } from "./record";

/**
 * A payment taken in the POS on an on-account or layby sale: a Payment applied to the sale's
 * invoice (and a JournalEntry for a gift-card or store-credit redemption), DESIGN §1.3. Found with
 * its sale (kinds/sale.ts), keyed `<sale id>:<payment id>` so the sale's badge finds it; it waits
 * for the invoice to be posted.
 */
export default defineKind({
  kind: "sale_payment",
  entities: ["Payment", "JournalEntry"],

  onClick: (c, posId) =>
    itemOnClick(c, "sale_payment", posId, async () => {
      const at = posId.indexOf(":");
      if (at <= 0)
        throw new TillbridgeError("bad_request", `sale payment id ${posId}: expected <sale id>:<payment id>`, {
          fields: { posId: "not a sale payment id" },
        });
      const { saleId, paymentId } = splitSalePayment(posId);
      const sale = await c.pos.loadSale(saleId);
      if (sale.kind === "regular")
        throw new TillbridgeError(
          "bad_request",
          "only payments on on-account and layby sales post on their own; other payments post with their register closure",
        );
      if (!sale.payments.some((p) => p.id === paymentId))
        throw new TillbridgeError("pos_not_found", `payment ${paymentId} of sale ${saleId}`);
    }),

  build: async (b, posId) => {
    const { saleId, paymentId } = splitSalePayment(posId);
    const sale = await b.pos.loadSale(saleId);
    const invoiceId = b.resolve ? await invoiceOf(b, saleId) : undefined;
    return [
      await b.withParties((r) =>
        buildSalePaymentPosting(sale, paymentId, b.ledger, { ...r, ...(invoiceId ? { invoiceId } : {}) }),
      ),
    ];
  },

  // the ledger keys a payment's documents by the payment's own id
  backfill: { rank: 2, keyId: (posId) => posId.slice(posId.indexOf(":") + 1) },
});

/** Sale-payment items are keyed `<saleId>:<paymentId>` so the badge of a sale can find them. */
export const salePaymentId = (saleId: string, paymentId: string) => `${saleId}:${paymentId}`;

function splitSalePayment(posId: string): { saleId: string; paymentId: string } {
  const at = posId.indexOf(":");
  if (at <= 0) throw new TillbridgeError("bad_request", `sale payment id ${posId}`);
  return { saleId: posId.slice(0, at), paymentId: posId.slice(at + 1) };
}

/** The QBO id of the sale's invoice (or credit memo): a payment waits until it is posted. */
async function invoiceOf(b: Build, saleId: string): Promise<string> {
  const item = await currentItem(b.s.db, b.tenantId, "sale", saleId);
  const invoice =
    item && item.state === "posted"
      ? docsOf(item).find((d) => d.part === "invoice" || d.entity === "Invoice" || d.entity === "CreditMemo")
      : undefined;
  if (!invoice)
    throw new TillbridgeError("waiting_for", `the invoice of sale ${saleId}`, { mappingKey: `sale:${saleId}` });
  return invoice.id;
}
