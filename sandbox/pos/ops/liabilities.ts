import { formatMinor } from "../../../shared/money";
import { must, newId, PosSandboxError, rngOf, type Ctx } from "../store";
import { isoZ } from "../time";
import type { Cents, GiftCardRec, GiftCardTxnType, StoreCreditRec, StoreState } from "../types";

/**
 * Gift cards and store credit: the two liabilities. Balances are the sums of their transactions;
 * transactions are signed (money onto the card / credit positive, money off negative).
 */

export function giftCardBalance(card: GiftCardRec): Cents {
  return card.transactions.reduce((s, t) => s + t.amount, 0);
}

export function giftCardByNumber(store: StoreState, number: string): GiftCardRec | undefined {
  return Object.values(store.giftCards).find((g) => g.number === number);
}

export function newGiftCardNumber(store: StoreState): string {
  store.counters.giftCard += 1;
  // 16 digits: a fixed store part, a running number, and random digits so numbers are not guessable.
  return `6${String(store.counters.giftCard).padStart(6, "0")}${rngOf(store).digits(9)}`;
}

function addGiftCardTxn(
  store: StoreState,
  card: GiftCardRec,
  type: GiftCardTxnType,
  amount: Cents,
  at: string,
  saleId: string | null,
  userId: string,
) {
  card.transactions.push({
    id: newId(store),
    type,
    amount,
    clientId: saleId ? `${saleId}:${card.transactions.length}` : newId(store),
    source: saleId ? "x-series" : "api",
    sourceId: saleId,
    userId,
    createdAt: isoZ(at),
  });
}

/** A gift-card line on a sale: activates a new card or reloads an existing one. */
export function loadGiftCard(
  store: StoreState,
  number: string,
  amount: Cents,
  at: string,
  saleId: string | null,
  userId: string,
  expiresAt: string | null = null,
): GiftCardRec {
  if (amount <= 0) throw new PosSandboxError(400, "a gift card is loaded with a positive amount");
  const existing = giftCardByNumber(store, number);
  if (existing) {
    if (existing.status === "VOIDED" || existing.status === "EXPIRED") {
      throw new PosSandboxError(422, `gift card ${number} is ${existing.status.toLowerCase()}`);
    }
    addGiftCardTxn(store, existing, "RELOADING", amount, at, saleId, userId);
    existing.status = "ACTIVE";
    return existing;
  }
  const card: GiftCardRec = {
    id: newId(store),
    number,
    createdAt: isoZ(at),
    expiresAt,
    saleId,
    status: "ACTIVE",
    transactions: [],
  };
  store.giftCards[card.id] = card;
  addGiftCardTxn(store, card, saleId ? "ACTIVATION" : "IMPORTING", amount, at, saleId, userId);
  return card;
}

/** A Gift Card payment: 422 when the card cannot cover it, as the POS answers. */
export function redeemGiftCard(
  store: StoreState,
  number: string,
  amount: Cents,
  at: string,
  saleId: string,
  userId: string,
): void {
  const card = must(giftCardByNumber(store, number), `gift card ${number}`);
  if (card.status !== "ACTIVE") throw new PosSandboxError(422, `gift card ${number} is ${card.status.toLowerCase()}`);
  if (amount <= 0) throw new PosSandboxError(400, "a gift-card redemption is a positive payment");
  if (amount > giftCardBalance(card))
    throw new PosSandboxError(422, `gift card ${number} has only ${formatMinor(giftCardBalance(card))}`);
  addGiftCardTxn(store, card, "REDEEMING", -amount, at, saleId, userId);
  if (giftCardBalance(card) === 0) card.status = "REDEEMED";
}

/** The card's expiry: an EXPIRING transaction takes the whole balance (negative), status EXPIRED. */
export function expireGiftCard(ctx: Ctx, number: string, at?: Date): GiftCardRec {
  const { store } = ctx;
  const card = must(giftCardByNumber(store, number), `gift card ${number}`);
  if (card.status === "EXPIRED" || card.status === "VOIDED")
    throw new PosSandboxError(409, `gift card ${number} is already ${card.status.toLowerCase()}`);
  const when = isoZ(at ?? ctx.now());
  addGiftCardTxn(store, card, "EXPIRING", -giftCardBalance(card), when, null, store.users[0]!.id);
  card.status = "EXPIRED";
  card.expiresAt = when;
  return card;
}

export function storeCreditBalance(rec: StoreCreditRec | undefined): Cents {
  return rec ? rec.transactions.reduce((s, t) => s + t.amount, 0) : 0;
}

function storeCreditOf(store: StoreState, customerId: string, at: string): StoreCreditRec {
  must(store.customers[customerId], `customer ${customerId}`);
  let rec = store.storeCredits[customerId];
  if (!rec) {
    rec = { id: newId(store), customerId, createdAt: isoZ(at), transactions: [] };
    store.storeCredits[customerId] = rec;
  }
  return rec;
}

/** Store credit onto a customer's account: by a return (saleId set) or by hand (saleId null). */
export function issueStoreCredit(
  store: StoreState,
  customerId: string,
  amount: Cents,
  at: string,
  saleId: string | null,
  notes: string,
  userId: string,
) {
  if (amount <= 0) throw new PosSandboxError(400, "store credit is issued with a positive amount");
  const rec = storeCreditOf(store, customerId, at);
  const txn = {
    id: btoa(`sc:${newId(store)}`),
    type: "ISSUE" as const,
    amount,
    clientId: newId(store),
    notes,
    saleId,
    userId,
    createdAt: isoZ(at),
  };
  rec.transactions.push(txn);
  return txn;
}

export function redeemStoreCredit(
  store: StoreState,
  customerId: string,
  amount: Cents,
  at: string,
  saleId: string,
  userId: string,
): void {
  if (amount <= 0) throw new PosSandboxError(400, "a store-credit redemption is a positive payment");
  const rec = storeCreditOf(store, customerId, at);
  if (amount > storeCreditBalance(rec))
    throw new PosSandboxError(422, `customer has only ${formatMinor(storeCreditBalance(rec))} of store credit`);
  rec.transactions.push({
    id: btoa(`sc:${newId(store)}`),
    type: "REDEMPTION",
    amount: -amount,
    clientId: newId(store),
    notes: "",
    saleId,
    userId,
    createdAt: isoZ(at),
  });
}

/** The control operation "issue store credit manually" (the back office's customer page). */
export function issueStoreCreditManually(
  ctx: Ctx,
  customerId: string,
  amount: Cents,
  notes = "Manual store credit",
  at?: Date,
) {
  return issueStoreCredit(ctx.store, customerId, amount, isoZ(at ?? ctx.now()), null, notes, ctx.store.users[0]!.id);
}
