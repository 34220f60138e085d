import { formatMinor } from "../../../shared/money";
import { giftCardBalance, storeCreditBalance } from "../ops/liabilities";
import type { SaleLineSpec } from "../ops/sales";
import type { PaymentSpec } from "../ops/settle";
import type { Prng } from "../prng";
import type { Cents, PaymentKind, PaymentTypeRec, ProductRec, SaleRec, StoreState } from "../types";

/**
 * Random but plausible baskets and tenders for the trading generator. Everything draws from the
 * store's seeded stream; nothing here changes the store.
 */

export function sellableProducts(store: StoreState): ProductRec[] {
  return Object.values(store.products).filter((p) => p.kind === "product");
}

export function randomLines(
  store: StoreState,
  rng: Prng,
  opts: { min?: number; max?: number; discounts?: boolean } = {},
): SaleLineSpec[] {
  const products = sellableProducts(store);
  const count = Math.max(
    opts.min ?? 1,
    Math.min(
      opts.max ?? 4,
      rng.weighted([
        [1, 40],
        [2, 30],
        [3, 20],
        [4, 10],
      ] as const),
    ),
  );
  const lines: SaleLineSpec[] = [];
  for (let i = 0; i < count; i++) {
    const product = rng.pick(products);
    const line: SaleLineSpec = {
      productId: product.id,
      quantity: rng.weighted([
        ["1", 80],
        ["2", 15],
        ["3", 5],
      ] as const),
    };
    if (opts.discounts !== false && rng.chance(0.12)) {
      if (rng.chance(0.75) || Number(product.price) < 15)
        line.discountPercent = rng.pick(["10", "15", "20", "25", "30"]);
      else line.discount = rng.pick(["2.00", "5.00"]);
    }
    lines.push(line);
  }
  return lines;
}

export function activeTypes(store: StoreState, kinds: PaymentKind[], at: string): PaymentTypeRec[] {
  return Object.values(store.paymentTypes).filter(
    (p) => kinds.includes(p.kind) && (p.deletedAt === null || p.deletedAt > at),
  );
}

export function typeOfKind(store: StoreState, kind: PaymentKind, at: string): PaymentTypeRec {
  const found = activeTypes(store, [kind], at)[0];
  if (!found) throw new Error(`no ${kind} payment type`);
  return found;
}

/** The tender a customer pays the rest with: cash, one of the cards, or (early on) the deleted type. */
export function mainTender(store: StoreState, rng: Prng, at: string): PaymentTypeRec {
  // Australian and UK shops take most cards on their Lightspeed Payments terminal
  const global = store.config.profile === "au" || store.config.profile === "uk";
  const choices = activeTypes(store, ["cash", "card", "integrated", "other"], at).map((p): [PaymentTypeRec, number] => [
    p,
    global
      ? p.kind === "cash"
        ? 25
        : p.kind === "integrated"
          ? 45
          : p.kind === "other"
            ? 3
            : 10
      : p.kind === "cash"
        ? 35
        : p.kind === "integrated"
          ? 12
          : p.kind === "other"
            ? 3
            : p.name === "Debit"
              ? 20
              : 30,
  ]);
  return rng.weighted(choices);
}

/** Cards a walk-in may redeem: sold in the store, active, with a balance and no expiry date. */
function redeemableCard(store: StoreState, rng: Prng): { number: string; balance: Cents } | null {
  const cards = Object.values(store.giftCards).filter(
    (g) => g.status === "ACTIVE" && g.saleId !== null && g.expiresAt === null && giftCardBalance(g) > 0,
  );
  if (cards.length === 0) return null;
  const card = rng.pick(cards);
  return { number: card.number, balance: giftCardBalance(card) };
}

/**
 * Tenders for a regular sale of `due` cents: sometimes store credit or a gift card first, sometimes a
 * card/cash split, and the rest (left without an amount, so cash gets rounded) by the main tender.
 */
export function planPayments(
  store: StoreState,
  rng: Prng,
  due: Cents,
  o: { customerId: string | null; at: string; force?: PaymentTypeRec | undefined },
): PaymentSpec[] {
  const specs: PaymentSpec[] = [];
  let remaining = due;
  const partly = (spec: Omit<PaymentSpec, "amount">, available: Cents): boolean => {
    if (available >= remaining) {
      specs.push({ ...spec });
      remaining = 0;
      return true;
    }
    if (remaining - available < 500) return false; // never leave a remainder that cash rounding could swallow
    specs.push({ ...spec, amount: formatMinor(available) });
    remaining -= available;
    return false;
  };
  if (!o.force && due > 0) {
    const credit = o.customerId ? storeCreditBalance(store.storeCredits[o.customerId]) : 0;
    if (credit > 0 && rng.chance(0.5) && partly({ paymentTypeId: typeOfKind(store, "store_credit", o.at).id }, credit))
      return specs;
    if (rng.chance(0.07)) {
      const card = redeemableCard(store, rng);
      if (
        card &&
        partly({ paymentTypeId: typeOfKind(store, "gift_card", o.at).id, giftCardNumber: card.number }, card.balance)
      )
        return specs;
    }
    if (remaining >= 2000 && rng.chance(0.08)) {
      const half = Math.floor(remaining / 200) * 100;
      specs.push({ paymentTypeId: typeOfKind(store, "card", o.at).id, amount: formatMinor(half) });
      specs.push({ paymentTypeId: typeOfKind(store, "cash", o.at).id });
      return specs;
    }
  }
  specs.push({ paymentTypeId: (o.force ?? mainTender(store, rng, o.at)).id });
  return specs;
}

/** How a return is refunded: store credit for some customers, else the way the sale was paid. */
export function planRefund(
  store: StoreState,
  rng: Prng,
  original: SaleRec,
  at: string,
  allowStoreCredit = true,
): PaymentSpec[] {
  if (allowStoreCredit && original.customerId && rng.chance(0.35))
    return [{ paymentTypeId: typeOfKind(store, "store_credit", at).id }];
  const first = original.payments[0];
  const kind = first ? store.paymentTypes[first.paymentTypeId]?.kind : undefined;
  if (
    first &&
    (kind === "card" || kind === "integrated") &&
    store.paymentTypes[first.paymentTypeId]!.deletedAt === null
  ) {
    return [{ paymentTypeId: first.paymentTypeId }];
  }
  return [{ paymentTypeId: typeOfKind(store, "cash", at).id }];
}
