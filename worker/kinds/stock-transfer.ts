import { buildStockTransferPosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { defineKind } from "./kind";
import { itemOnClick } from "./record";

/**
 * A transfer between outlets (consignment OUTLET) once received, SPEC §4.5: nothing in the books
 * unless the outlets map to different classes (then one JournalEntry moves its value between them)
 * or stock was lost in transit. Sent on a click from stock control, or by itself with the purchase
 * orders' option.
 */
export default defineKind({
  kind: "stock_transfer",
  entities: ["JournalEntry"],

  discover: async (d) => {
    if (!(await d.mappings()).options.autoSendPurchaseOrders) return 0;
    let created = 0;
    const changed = await d.pos.transfers();
    if (changed.length === 0) return 0;
    const ref = await d.pos.reference();
    for (const t of changed) {
      if (t.status !== "RECEIVED" || !t.receivedAt) continue;
      const zone = ref.outlets.find((o) => o.id === t.outletId)?.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC";
      if (businessDate(t.receivedAt, zone) < d.syncFrom) continue;
      if (await d.record("stock_transfer", t.id)) created++;
    }
    return created;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "stock_transfer", posId, async () => void (await c.pos.loadStockTransfer(posId))),

  build: async (b, posId) => [
    buildStockTransferPosting({ ...(await b.pos.loadStockTransfer(posId)), version: b.posVersion }, b.ledger),
  ],
});
