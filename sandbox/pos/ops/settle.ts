import { parseDec, toMinorExact } from "../../../shared/money";
import { cashRound } from "../pricing";
import { must, newId, PosSandboxError } from "../store";
import type { Cents, PaymentTypeRec, SalePaymentRec, StoreState } from "../types";
import { isLoyaltyMember, loyaltyBalance } from "./loyalty";
import {
  giftCardBalance,
  giftCardByNumber,
  issueStoreCredit,
  redeemGiftCard,
  redeemStoreCredit,
  storeCreditBalance,
} from "./liabilities";

/**
 * Turning payment specs into payments: amounts, cash rounding, and the liability side effects (gift
 * card redeemed, store credit redeemed or issued by a refund). Everything is checked before any record
 * changes, so a refused sale leaves no sale, payment or balance behind (only the id stream moves on).
 */

export interface PaymentSpec {
  paymentTypeId: string;
  /** Dollars as decimal text or number; may be left out on the LAST payment, which then takes the rest. */
  amount?: string | number | undefined;
  /** Which card a Gift Card payment redeems. */
  giftCardNumber?: string | undefined;
  /**
   * Card charges (the LAST payment of a regular sale only, never cash, gift card, store credit or
   * loyalty): a tip in dollars, a surcharge or a non-cash fee as a percent of what this payment pays
   * before its charges. The payment's amount, if given, is that amount before the charges.
   */
  tip?: string | number | undefined;
  surchargePercent?: string | number | undefined;
  /** The surcharge rule's name (`surcharge.rule`); default "<percent>%". */
  surchargeRule?: string | undefined;
  nonCashFeePercent?: string | number | undefined;
}

export interface SettleOptions {
  due: Cents;
  /** Regular sales must be paid exactly (cash remainder rounded); account payments may pay part. */
  mode: "exact" | "partial";
  cashRounding: boolean;
  at: string;
  registerId: string;
  outletId: string;
  sequenceId: string;
  customerId: string | null;
  userId: string;
}

export interface Settlement {
  payments: SalePaymentRec[];
  /** Paid − due, from rounding a cash remainder; 0 otherwise. */
  rounding: Cents;
  apply(saleId: string): void;
}

export function toCents(amount: string | number, what: string): Cents {
  try {
    return toMinorExact(parseDec(amount));
  } catch {
    throw new PosSandboxError(400, `${what} is not an amount in cents: "${amount}"`);
  }
}

function usablePaymentType(store: StoreState, id: string, at: string): PaymentTypeRec {
  const pt = must(store.paymentTypes[id], `payment type ${id}`);
  if (pt.deletedAt !== null && pt.deletedAt <= at) throw new PosSandboxError(409, `payment type ${pt.name} is deleted`);
  if (pt.kind === "on_account")
    throw new PosSandboxError(400, 'put a sale on account with kind "onaccount", not an On Account payment');
  return pt;
}

export function settle(store: StoreState, specs: readonly PaymentSpec[], o: SettleOptions): Settlement {
  const payments: SalePaymentRec[] = [];
  let remaining = o.due;
  const effects: ((saleId: string) => void)[] = [];
  const giftCardUse = new Map<string, Cents>();
  let storeCreditUse = 0;
  let loyaltyUse = 0;

  specs.forEach((spec, i) => {
    const pt = usablePaymentType(store, spec.paymentTypeId, o.at);
    const last = i === specs.length - 1;
    const roundable = o.cashRounding && pt.kind === "cash";
    let amount: Cents;
    if (spec.amount === undefined) {
      if (!last) throw new PosSandboxError(400, "only the last payment may leave out its amount");
      amount = roundable && o.mode === "exact" ? cashRound(remaining) : remaining;
    } else {
      amount = toCents(spec.amount, "payment amount");
      if (last && o.mode === "exact" && amount !== remaining && !(roundable && amount === cashRound(remaining))) {
        throw new PosSandboxError(
          400,
          `payments do not add up to the sale total (${remaining} cents left, last payment ${amount})`,
        );
      }
    }
    if (amount === 0) {
      // 0.01-0.02 left in cash rounds to nothing: no payment, the rounding absorbs it.
      if (roundable && spec.amount === undefined && remaining !== 0) return;
      throw new PosSandboxError(400, "a payment of 0.00 is not a payment");
    }
    if (o.mode === "partial" && (amount < 0 || amount > remaining)) {
      throw new PosSandboxError(400, "an account payment must be positive and at most the balance");
    }

    if (pt.kind === "gift_card") {
      if (amount < 0) throw new PosSandboxError(400, "refunds onto a gift card are not supported by the sandbox");
      const number = spec.giftCardNumber;
      if (!number) throw new PosSandboxError(400, "a Gift Card payment needs giftCardNumber");
      const card = must(giftCardByNumber(store, number), `gift card ${number}`);
      const used = (giftCardUse.get(number) ?? 0) + amount;
      if (card.status !== "ACTIVE" || used > giftCardBalance(card))
        throw new PosSandboxError(422, `gift card ${number} cannot cover ${amount} cents`);
      giftCardUse.set(number, used);
      effects.push((saleId) => redeemGiftCard(store, number, amount, o.at, saleId, o.userId));
    } else if (pt.kind === "loyalty") {
      if (!isLoyaltyMember(store, o.customerId))
        throw new PosSandboxError(400, "a Loyalty payment needs a customer who is a loyalty member");
      loyaltyUse += amount;
      if (amount > 0 && loyaltyUse > loyaltyBalance(store, o.customerId!))
        throw new PosSandboxError(422, "not enough loyalty balance");
    } else if (pt.kind === "store_credit") {
      const customerId = o.customerId;
      if (!customerId) throw new PosSandboxError(400, "store credit needs a customer on the sale");
      if (amount > 0) {
        storeCreditUse += amount;
        if (storeCreditUse > storeCreditBalance(store.storeCredits[customerId]))
          throw new PosSandboxError(422, "not enough store credit");
        effects.push((saleId) => redeemStoreCredit(store, customerId, amount, o.at, saleId, o.userId));
      } else {
        effects.push((saleId) =>
          issueStoreCredit(store, customerId, -amount, o.at, saleId, "Refund to store credit", o.userId),
        );
      }
    }

    payments.push({
      id: newId(store),
      paymentTypeId: pt.id,
      name: pt.name,
      amount,
      at: o.at,
      registerId: o.registerId,
      outletId: o.outletId,
      sequenceId: o.sequenceId,
      giftCardNumber: pt.kind === "gift_card" ? (spec.giftCardNumber ?? null) : null,
    });
    remaining -= amount;
  });

  if (o.mode === "exact" && specs.length === 0 && o.due !== 0) throw new PosSandboxError(400, "the sale is not paid");
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  return {
    payments,
    rounding: o.mode === "exact" ? paid - o.due : 0,
    apply(saleId) {
      for (const effect of effects) effect(saleId);
    },
  };
}
