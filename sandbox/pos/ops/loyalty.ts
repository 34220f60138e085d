import { mulDec } from "../../../shared/money";
import { cents, dec } from "../pricing";
import type { Cents, SaleLineRec, SaleRec, StoreState } from "../types";

/**
 * Loyalty (retailer `loyalty.enabled`, customers `enable_loyalty`): a member earns `loyalty_amount` per
 * unit on the product lines of a completed sale (rounded to the cent on the unit incl.-tax price ×
 * the retailer's ratio; returns give it back); a payment of the Loyalty type (type_id 106) spends it.
 * The balance is computed from the records — the opening balance carried in from before the sandbox's
 * records, plus what completed sales earned, minus what Loyalty payments spent — so a void gives it
 * back by itself.
 */

export function isLoyaltyMember(store: StoreState, customerId: string | null): boolean {
  return (
    customerId !== null && store.retailer.loyaltyRatio !== undefined && store.customers[customerId]?.loyalty === true
  );
}

/** Loyalty a line earns (its unit amount × quantity); 0 on voided lines and lines that earn none. */
export function lineLoyalty(line: SaleLineRec): Cents {
  if (!line.loyaltyUnit || line.voided) return 0;
  return cents(mulDec(dec(line.loyaltyUnit), dec(line.quantity)));
}

export function saleLoyaltyEarned(sale: SaleRec): Cents {
  return sale.lines.reduce((s, l) => s + lineLoyalty(l), 0);
}

export function isLoyaltyPayment(store: StoreState, paymentTypeId: string): boolean {
  return store.paymentTypes[paymentTypeId]?.kind === "loyalty";
}

export function loyaltyBalance(store: StoreState, customerId: string): Cents {
  let balance = store.customers[customerId]?.loyaltyOpening ?? 0;
  for (const sale of Object.values(store.sales)) {
    if (sale.customerId !== customerId || sale.state === "voided" || sale.state === "parked") continue;
    if (sale.state === "closed") balance += saleLoyaltyEarned(sale);
    for (const p of sale.payments) if (isLoyaltyPayment(store, p.paymentTypeId)) balance -= p.amount;
  }
  return balance;
}
