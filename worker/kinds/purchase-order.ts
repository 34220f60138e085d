import { TillbridgeError } from "../../shared/errors";
import { shortHash } from "../../shared/hash";
import { carryOver, currentItem, docsOf, type SyncItemRow } from "../db/sync-items";
import { buildPurchaseOrderPosting, receivedSince } from "../ledger";
import type { PosPort } from "../pos/port";
import type { Services } from "../services";
import { defineKind } from "./kind";
import { recordItem } from "./record";

/**
 * A received purchase order: a Bill per received delivery, DESIGN §1.2. Sent on a click from the
 * back office, or found by discovery when the merchant chose "send received purchase orders by
 * themselves" (an order received wholly before the first day synced is left to a backfill). A bill
 * is corrected in QBO, never replaced by Tillbridge.
 */
export default defineKind({
  kind: "purchase_order",
  entities: ["Bill"],

  discover: async (d) => {
    if (!(await d.mappings()).options.autoSendPurchaseOrders) return 0;
    let created = 0;
    for (const order of (await d.changes()).purchaseOrders) {
      if (!/RECEIVED/.test(order.status)) continue;
      // received wholly before the first day synced: a backfill's, as for every inventory document
      const receipts = await d.pos.loadPurchaseOrderReceipts(order.id).catch(() => null);
      if (!receipts || !receivedSince(receipts, d.syncFrom)) continue;
      const made = await ensurePurchaseOrderItem(d.s, d.tenantId, d.pos, order.id, receipts).catch(() => null);
      if (made?.created) created++;
    }
    return created;
  },

  onClick: async (c, posId) => (await ensurePurchaseOrderItem(c.s, c.tenantId, c.pos, posId)).row,

  build: async (b, posId) => {
    const receipts = await b.pos.loadPurchaseOrderReceipts(posId);
    if (receipts.length === 0)
      throw new TillbridgeError("conflict", `purchase order ${posId} has nothing received yet`);
    // a received delivery never changes: its bill is keyed by the delivery, whatever the order's version
    const results = [];
    for (const receipt of receipts)
      results.push(await b.withParties((r) => buildPurchaseOrderPosting({ ...receipt, version: "1" }, b.ledger, r)));
    return results;
  },

  // a bill per received delivery: parts are named by delivery, stable as more arrive
  part: (plan, part) => `${plan.posId}/${part}`,

  cannotReplace: "a purchase order's bill is not replaced by Tillbridge: correct the bill in QuickBooks Online",
});

/**
 * A purchase order's item: its version names the deliveries received so far, so a later delivery
 * makes a new version whose bills for earlier deliveries are carried over, never posted again.
 */
async function ensurePurchaseOrderItem(
  s: Services,
  tenantId: string,
  pos: PosPort,
  orderId: string,
  known?: Awaited<ReturnType<PosPort["loadPurchaseOrderReceipts"]>>,
): Promise<{ row: SyncItemRow; created: boolean }> {
  const receipts = known ?? (await pos.loadPurchaseOrderReceipts(orderId));
  if (receipts.length === 0) throw new TillbridgeError("conflict", "this purchase order has nothing received yet");
  const deliveries = receipts.map((r) => r.deliveryId ?? "whole").sort();
  const version = deliveries.length === 1 ? "1" : shortHash(deliveries.join(","), 10);
  const previous = await currentItem(s.db, tenantId, "purchase_order", orderId);
  if (previous && previous.pos_version === version) return { row: previous, created: false };
  const made = await recordItem(s, tenantId, "purchase_order", orderId, version);
  if (made.created && previous) {
    await carryOver(s.db, previous, made.row, s.now());
    return { row: { ...made.row, docs_json: JSON.stringify(docsOf(previous)) }, created: true };
  }
  return made;
}
