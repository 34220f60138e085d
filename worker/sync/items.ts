import { TillbridgeError } from "../../shared/errors";
import { shortHash } from "../../shared/hash";
import type { ObjectRef } from "../../shared/sync";
import { getClosureRecord } from "../db/closures";
import { currentItem, docsOf, upsertItem, type SyncItemRow } from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import type { PosConnector } from "../pos/port";
import type { Services } from "../services";

/**
 * The sync item a person's click acts on, created if Tillbridge has not recorded it yet (a purchase
 * order is sent by a click; a closure or on-account sale may not have been discovered yet).
 */
export async function ensureItem(s: Services, tenantId: string, pos: PosConnector, ref: ObjectRef): Promise<SyncItemRow> {
  const existing = await currentItem(s.db, tenantId, ref.kind, ref.posId);
  switch (ref.kind) {
    case "purchase_order":
      return (await ensurePurchaseOrderItem(s, tenantId, pos, ref.posId)).row;
    case "closure":
      if (existing) return existing;
      if (!(await getClosureRecord(s.db, tenantId, ref.posId))) throw new TillbridgeError("not_found", `closure ${ref.posId} is not known yet`);
      break;
    case "sale": {
      if (existing) return existing;
      const sale = await pos.loadSale(ref.posId);
      if (sale.kind === "regular") throw new TillbridgeError("bad_request", "only on-account and layby sales post as invoices; other sales post with their register closure");
      break;
    }
    default:
      if (existing) return existing;
  }
  const { row } = await upsertItem(s.db, { tenantId, kind: ref.kind, posId: ref.posId, posVersion: "1", idemKey: idempotencyKey(tenantId, ref.kind, ref.posId, "1") }, s.now());
  return row;
}

/**
 * A purchase order's item: its version names the deliveries received so far, so a later delivery
 * makes a new version whose bills for earlier deliveries are carried over, never posted again.
 */
export async function ensurePurchaseOrderItem(s: Services, tenantId: string, pos: PosConnector, orderId: string): Promise<{ row: SyncItemRow; created: boolean }> {
  const receipts = await pos.loadPurchaseOrderReceipts(orderId);
  if (receipts.length === 0) throw new TillbridgeError("conflict", "this purchase order has nothing received yet");
  const deliveries = receipts.map((r) => r.deliveryId ?? "whole").sort();
  const version = deliveries.length === 1 ? "1" : shortHash(deliveries.join(","), 10);
  const previous = await currentItem(s.db, tenantId, "purchase_order", orderId);
  if (previous && previous.pos_version === version) return { row: previous, created: false };
  const made = await upsertItem(s.db, { tenantId, kind: "purchase_order", posId: orderId, posVersion: version, idemKey: idempotencyKey(tenantId, "purchase_order", orderId, version) }, s.now());
  if (made.created && previous) {
    const carried = docsOf(previous);
    await s.db.batch([
      s.db.prepare("UPDATE sync_items SET docs_json = ?2 WHERE id = ?1").bind(made.row.id, JSON.stringify(carried)),
      s.db.prepare("UPDATE sync_items SET state = 'superseded', updated_at = ?2 WHERE id = ?1 AND state != 'posting'").bind(previous.id, s.now().toISOString()),
    ]);
    return { row: { ...made.row, docs_json: JSON.stringify(carried) }, created: true };
  }
  return made;
}
