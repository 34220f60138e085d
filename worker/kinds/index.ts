import { TillbridgeError } from "../../shared/errors";
import type { ObjectKind } from "../../shared/sync";
import accountCredit from "./account-credit";
import closure from "./closure";
import giftCardExpiry from "./gift-card-expiry";
import type { Kind } from "./kind";
import purchaseOrder from "./purchase-order";
import sale from "./sale";
import salePayment from "./sale-payment";
import storeCreditIssue from "./store-credit-issue";
import stockAdjustment from "./stock-adjustment";
import stockTransfer from "./stock-transfer";
import stocktake from "./stocktake";
import supplierReturn from "./supplier-return";

/**
 * Every kind of POS object Tillbridge posts, one module each. The engine, status, preview,
 * re-send, drift check and backfill look a kind up here. Adding a kind is adding its module and
 * one line below (README.md in this folder); the type makes a kind of shared/sync.ts's ObjectKind
 * without a module a compile error. The order is discovery's: a closure before the sales that may
 * reveal it, a sale before its payments.
 */
export const KINDS = {
  closure,
  sale,
  sale_payment: salePayment,
  purchase_order: purchaseOrder,
  gift_card_expiry: giftCardExpiry,
  store_credit_issue: storeCreditIssue,
  account_credit: accountCredit,
  supplier_return: supplierReturn,
  stocktake,
  stock_adjustment: stockAdjustment,
  stock_transfer: stockTransfer,
} as const satisfies { [K in ObjectKind]: Kind & { kind: K } };

export const ALL_KINDS: readonly Kind[] = Object.values(KINDS);

/** The kind of a stored item or a request; an unknown one is a bad request (or stale data). */
export function kindOf(kind: string): Kind {
  const found = findKind(kind);
  if (!found) throw new TillbridgeError("bad_request", `unknown object kind ${kind}`);
  return found;
}

export function findKind(kind: string): Kind | undefined {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind as ObjectKind] : undefined;
}

export type { Kind } from "./kind";
