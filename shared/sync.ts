import { z } from "zod";
import { About, ErrorCode } from "./errors";

/** The kinds of POS object Tillbridge posts. */
export const ObjectKind = z.enum([
  "closure", // a register closure (one register's open→close sequence)
  "purchase_order", // a received supplier purchase order (one bill per received delivery)
  "sale", // an on-account or layby sale (an invoice)
  "sale_payment", // a payment taken in the POS on an on-account or layby sale
  "gift_card_expiry", // a gift-card EXPIRING transaction
  "store_credit_issue", // a manual store-credit ISSUE transaction
  "account_credit", // a return of an on-account sale credited back on account, applied to its invoice
  "supplier_return", // a supplier return (consignment RETURN, once SENT): a vendor credit
  "stocktake", // a completed stocktake (consignment STOCKTAKE): a journal entry
  "stock_adjustment", // a stock adjustment (damage, theft, stock found…): a journal entry
  "stock_transfer", // a transfer between outlets once received: a journal entry when the outlets' classes differ
]);
export type ObjectKind = z.infer<typeof ObjectKind>;

/**
 * Sync states. The engine's state machine: ready → posting → posted; or blocked (waits for a fix,
 * then retries by itself), failed (transient; retried with backoff), rejected (needs a person).
 * `unknown` is what the status endpoint answers for an object Tillbridge has not seen yet, and
 * `not_applicable` for one it never posts (e.g. a closure with nothing in it).
 */
export const SyncState = z.enum([
  "unknown",
  "ready",
  "posting",
  "posted",
  "blocked",
  "failed",
  "rejected",
  "not_applicable",
]);
export type SyncState = z.infer<typeof SyncState>;

/** What a badge shows for a state. */
export type BadgeTone = "green" | "grey" | "red";
export function badgeTone(state: SyncState): BadgeTone {
  switch (state) {
    case "posted":
    case "not_applicable":
      return "green";
    case "blocked":
    case "rejected":
      return "red";
    case "failed":
      return "grey"; // transient: it will be retried by itself; the badge says when
    default:
      return "grey";
  }
}

export const QboEntity = z.enum([
  "SalesReceipt",
  "RefundReceipt",
  "JournalEntry",
  "Invoice",
  "Payment",
  "CreditMemo",
  "Bill",
  "VendorCredit",
  "Deposit",
  "Customer",
  "Vendor",
]);
export type QboEntity = z.infer<typeof QboEntity>;

/** One QBO document a POS object became. */
export const PostedDoc = z.object({
  part: z.string(),
  entity: QboEntity,
  id: z.string(),
  docNumber: z.string().optional(),
  url: z.string().optional(),
});
export type PostedDoc = z.infer<typeof PostedDoc>;

export const ObjectRef = z.object({ kind: ObjectKind, posId: z.string().min(1).max(200) });
export type ObjectRef = z.infer<typeof ObjectRef>;

/** One object's state as the status endpoint reports it. */
export const ObjectStatus = z.object({
  kind: ObjectKind,
  posId: z.string(),
  posVersion: z.string().optional(),
  state: SyncState,
  docs: z.array(PostedDoc),
  reason: z
    .object({
      code: ErrorCode,
      message: z.string(),
      action: z.string(),
      detail: z.string().optional(),
      fixAt: z.string().optional(),
      /** What it is about, for the badge to word in its own language (else `detail`, in English) */
      about: z.array(About).max(20).optional(),
    })
    .optional(),
  attempts: z.number().int().nonnegative(),
  lastTryAt: z.string().optional(),
  nextTryAt: z.string().optional(),
  /** A note for sales: e.g. a payment recorded in QBO rather than in the POS */
  notes: z.array(z.string()).optional(),
  /**
   * The first open day (YYYY-MM-DD) a person chose to date its documents, the books being closed on
   * their own date (POST /api/sync/resolve `post_in_open_period`); the badge shows the date used.
   */
  openDay: z.string().optional(),
});
export type ObjectStatus = z.infer<typeof ObjectStatus>;
