import type { Customer, GiftCardExpiry, StoreCreditIssue } from "../../../shared/domain/pos";
import { payloadError, readObject } from "../read";
import { RawGiftCard, RawStoreCreditCustomer } from "../schemas";
import { absDec, cents } from "./exact";
import { toCustomer } from "./reference";

/**
 * Gift-card expiries (EXPIRING transactions: liability down, breakage up) and manual store-credit
 * issues (ISSUE without a sale: expense up, liability up). Cards sold, reloaded and redeemed, and
 * credit issued through returns, are in the sales; these are what only these APIs show.
 */

/** Each EXPIRING transaction of the cards, with the balance that expired as a positive amount. */
export function toGiftCardExpiries(rawCards: readonly unknown[], timeZone: string): GiftCardExpiry[] {
  const out: GiftCardExpiry[] = [];
  for (const raw of rawCards) {
    const card = readObject(RawGiftCard, raw, "gift card");
    for (const t of card.gift_card_transactions ?? []) {
      if (t.type.toUpperCase() !== "EXPIRING") continue;
      out.push({
        transactionId: t.id,
        giftCardId: card.id,
        giftCardNumber: card.number,
        amountMinor: cents(absDec(t.amount)),
        occurredAt: t.created_at,
        timeZone,
      });
    }
  }
  return out;
}

/**
 * Store credit issued by hand: ISSUE transactions without a sale. The customer comes from the
 * payload (`includes[]=customer`) or the lookup; an issue whose customer cannot be found fails.
 */
export function toStoreCreditIssues(
  rawCustomers: readonly unknown[],
  customer: (id: string) => Customer | undefined,
  timeZone: string,
): StoreCreditIssue[] {
  const out: StoreCreditIssue[] = [];
  for (const raw of rawCustomers) {
    const sc = readObject(RawStoreCreditCustomer, raw, "store credit customer");
    for (const [i, t] of (sc.store_credit_transactions ?? []).entries()) {
      if (t.type.toUpperCase() !== "ISSUE" || t.sale_id) continue;
      const who = sc.customer != null ? toCustomer(sc.customer) : customer(sc.customer_id);
      if (!who)
        throw payloadError(
          "store credit customer",
          sc.customer_id,
          `store_credit_transactions[${i}]`,
          `unknown customer ${sc.customer_id}`,
        );
      const amountMinor = cents(t.amount);
      if (amountMinor <= 0) throw payloadError("store credit transaction", t.id, "amount", "an ISSUE must be positive");
      out.push({
        transactionId: t.id,
        customer: who,
        amountMinor,
        occurredAt: t.created_at,
        timeZone,
        notes: t.notes || null,
      });
    }
  }
  return out;
}
