import { TillbridgeError } from "../../shared/errors";
import { shortHash } from "../../shared/hash";
import type { ObjectRef } from "../../shared/sync";
import { getClosureRecord } from "../db/closures";
import { audit } from "../db/audit";
import {
  carryOver,
  chooseOpenPeriod,
  currentItem,
  docsOf,
  healItems,
  itemById,
  upsertItem,
  type SyncItemRow,
} from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import type { PosPort } from "../pos/port";
import type { Services } from "../services";
import type { TenantRuntime } from "./runtime";

/**
 * The sync item a person's click acts on, created if Tillbridge has not recorded it yet (a purchase
 * order is sent by a click; a closure or on-account sale may not have been discovered yet).
 */
export async function ensureItem(s: Services, tenantId: string, pos: PosPort, ref: ObjectRef): Promise<SyncItemRow> {
  const existing = await currentItem(s.db, tenantId, ref.kind, ref.posId);
  switch (ref.kind) {
    case "purchase_order":
      return (await ensurePurchaseOrderItem(s, tenantId, pos, ref.posId)).row;
    case "closure":
      if (existing) return existing;
      if (!(await getClosureRecord(s.db, tenantId, ref.posId)))
        throw new TillbridgeError("not_found", `closure ${ref.posId} is not known yet`);
      break;
    case "sale": {
      if (existing) return existing;
      const sale = await pos.loadSale(ref.posId);
      if (sale.kind === "regular")
        throw new TillbridgeError(
          "bad_request",
          "only on-account and layby sales post as invoices; other sales post with their register closure",
        );
      break;
    }
    case "sale_payment": {
      if (existing) return existing;
      const at = ref.posId.indexOf(":");
      if (at <= 0)
        throw new TillbridgeError("bad_request", `sale payment id ${ref.posId}: expected <sale id>:<payment id>`, {
          fields: { posId: "not a sale payment id" },
        });
      const [saleId, paymentId] = [ref.posId.slice(0, at), ref.posId.slice(at + 1)];
      const sale = await pos.loadSale(saleId);
      if (sale.kind === "regular")
        throw new TillbridgeError(
          "bad_request",
          "only payments on on-account and layby sales post on their own; other payments post with their register closure",
        );
      if (!sale.payments.some((p) => p.id === paymentId))
        throw new TillbridgeError("pos_not_found", `payment ${paymentId} of sale ${saleId}`);
      break;
    }
    // An item for something the store does not have would only ever fail: look first (pos_not_found).
    case "gift_card_expiry":
      if (existing) return existing;
      await pos.loadGiftCardExpiry(ref.posId);
      break;
    case "store_credit_issue":
      if (existing) return existing;
      await pos.loadStoreCreditIssue(ref.posId);
      break;
  }
  const { row } = await upsertItem(
    s.db,
    {
      tenantId,
      kind: ref.kind,
      posId: ref.posId,
      posVersion: "1",
      idemKey: idempotencyKey(tenantId, ref.kind, ref.posId, "1"),
    },
    s.now(),
  );
  return row;
}

/**
 * A purchase order's item: its version names the deliveries received so far, so a later delivery
 * makes a new version whose bills for earlier deliveries are carried over, never posted again.
 */
export async function ensurePurchaseOrderItem(
  s: Services,
  tenantId: string,
  pos: PosPort,
  orderId: string,
): Promise<{ row: SyncItemRow; created: boolean }> {
  const receipts = await pos.loadPurchaseOrderReceipts(orderId);
  if (receipts.length === 0) throw new TillbridgeError("conflict", "this purchase order has nothing received yet");
  const deliveries = receipts.map((r) => r.deliveryId ?? "whole").sort();
  const version = deliveries.length === 1 ? "1" : shortHash(deliveries.join(","), 10);
  const previous = await currentItem(s.db, tenantId, "purchase_order", orderId);
  if (previous && previous.pos_version === version) return { row: previous, created: false };
  const made = await upsertItem(
    s.db,
    {
      tenantId,
      kind: "purchase_order",
      posId: orderId,
      posVersion: version,
      idemKey: idempotencyKey(tenantId, "purchase_order", orderId, version),
    },
    s.now(),
  );
  if (made.created && previous) {
    await carryOver(s.db, previous, made.row, s.now());
    return { row: { ...made.row, docs_json: JSON.stringify(docsOf(previous)) }, created: true };
  }
  return made;
}

/** The day after `date` (YYYY-MM-DD): the first open day after a books closing date. */
export function dayAfter(date: string): string {
  return new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A person's answer to a closed period: post the item's documents on the first open day (the day
 * after the books' closing date, read fresh from QBO), the original date kept in PrivateNote. If
 * the books opened meanwhile, the item just becomes ready with its own dates. A posted item stays
 * as it is. Returns the item and the date its documents will carry (null: their own).
 */
export async function postInOpenPeriod(
  s: Services,
  rt: TenantRuntime,
  row: SyncItemRow,
  actor: string,
): Promise<{ row: SyncItemRow; txnDate: string | null }> {
  if (row.state === "posted" || row.state === "not_applicable") return { row, txnDate: null };
  if (row.state !== "blocked" || row.reason_code !== "closed_period") {
    throw new TillbridgeError("conflict", `${row.kind} ${row.pos_id} is not waiting on a closed period`);
  }
  const ctx = await rt.postContext();
  if (ctx instanceof TillbridgeError) throw ctx;
  const { bookCloseDate } = await ctx.qbo.refs({ reload: true });
  const stillClosed = bookCloseDate !== null && (row.txn_date === null || row.txn_date <= bookCloseDate);
  const txnDate = stillClosed ? dayAfter(bookCloseDate) : null;
  if (txnDate) await chooseOpenPeriod(s.db, row.id, txnDate, s.now());
  else await healItems(s.db, row.tenant_id, [row.id], s.now());
  const detail = txnDate
    ? `post in the first open day ${txnDate} (books closed through ${bookCloseDate}; originally ${row.txn_date ?? "?"})`
    : "the books are open again: posting with the original dates";
  await audit(
    s.db,
    {
      tenantId: row.tenant_id,
      actor,
      action: "resolve",
      kind: row.kind,
      posId: row.pos_id,
      posVersion: row.pos_version,
      detail,
    },
    s.now(),
  );
  return { row: (await itemById(s.db, row.tenant_id, row.id)) ?? row, txnDate };
}
