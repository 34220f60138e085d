import { dec, totalsOf, counted } from "../pricing";
import { must, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoClassic, parseInstant } from "../time";
import type { SaleRec } from "../types";
import { isInclusive, lspayFor } from "./charges";
import { openSequenceOf } from "./registers";
import { returnLine } from "./returns";
import { cashTypeId, saleBalance, setTotals, touchCustomer } from "./sales";
import { settle, type PaymentSpec } from "./settle";
import { restockCancellingLines } from "./stock";

/**
 * Cancelling a layby the way the POS does it (Vend's "How to cancel a layby sale": continue the layby,
 * add each item with a negative quantity to cancel it out, pay, refund the customer by the chosen
 * payment method): the same sale gains a cancelling line per line — its total drops to zero — and a
 * negative payment of what was paid, taken in the register's current sequence. Refunded at the
 * register (cash, card) the deposit leaves that payment type; kept as store credit it is a negative
 * Store Credit payment, which issues the credit (`ISSUE` with the layby as `sale_id`). The layby then
 * owes nothing and is closed. The items go back on the shelf: each cancelling line, like a return line,
 * puts its stock back at the cost recorded on the line it cancels, when the layby is cancelled.
 */

export interface CancelLaybySpec {
  registerId: string;
  at?: string | undefined;
  /** How the deposit goes back (negative amounts, or the last one's left out); default Cash. */
  refunds?: PaymentSpec[] | undefined;
  /** Keep the deposit as the customer's store credit instead of refunding it. */
  keepAsStoreCredit?: boolean | undefined;
}

export function cancelLayby(ctx: Ctx, saleId: string, spec: CancelLaybySpec): SaleRec {
  const { store } = ctx;
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  if (sale.state !== "pending" || !sale.attributes.includes("layby") || sale.returnSaleIds.length > 0)
    throw new PosSandboxError(409, "only a pending layby is cancelled");
  if (counted(sale.lines).some((l) => l.kind === "gift_card"))
    throw new PosSandboxError(409, "a layby holding a gift card is not cancelled by the sandbox");
  const register = must(store.registers[spec.registerId], `register ${spec.registerId}`);
  const at = isoClassic(spec.at ? parseInstant(spec.at) : ctx.now());
  if (at < sale.date) throw new PosSandboxError(400, "a layby cannot be cancelled before it was made");
  const seq = openSequenceOf(store, register.id, at);
  const paid = sale.payments.reduce((s, p) => s + p.amount, 0);
  const storeCredit = Object.values(store.paymentTypes).find((t) => t.kind === "store_credit" && t.deletedAt === null);
  const refunds =
    paid === 0
      ? []
      : spec.keepAsStoreCredit
        ? [{ paymentTypeId: must(storeCredit, "Store Credit payment type").id }]
        : (spec.refunds ?? [{ paymentTypeId: cashTypeId(store) }]);
  const settlement = settle(store, refunds, {
    due: -paid,
    mode: "exact",
    cashRounding: false,
    at,
    registerId: register.id,
    outletId: register.outletId,
    sequenceId: seq.id,
    customerId: sale.customerId,
    userId: sale.userId,
  });
  for (const p of settlement.payments) {
    const tx = lspayFor(store, p);
    if (tx) p.lspay = tx;
  }
  const cancelling = counted(sale.lines).map((l) => returnLine(store, l, dec(l.quantity)));
  restockCancellingLines(ctx, sale, cancelling, at);
  sale.lines.push(...cancelling);
  setTotals(sale, totalsOf(sale.lines, sale.adjustments ?? [], isInclusive(store)));
  sale.payments.push(...settlement.payments);
  settlement.apply(sale.id);
  if (saleBalance(sale, store) !== 0)
    throw new Error(`cancelled layby ${sale.id} still owes ${saleBalance(sale, store)}`);
  sale.state = "closed";
  sale.note = sale.note ? `${sale.note} (layby cancelled)` : "Layby cancelled";
  sale.updatedAt = at;
  sale.version = nextVersion(store);
  touchCustomer(store, sale.customerId, at);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}
