import { buildSupplierReturnPosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { defineKind } from "./kind";
import { itemOnClick } from "./record";

/**
 * A supplier return (consignment RETURN) once sent: a VendorCredit to the supplier, SPEC §4.5.
 * Sent on a click from the back office's stock control, like a purchase order (or by itself with
 * the purchase orders' option); an open or
 * cancelled return posts nothing (the click is refused with why). A sent return cannot change in
 * the POS, so its vendor credit is corrected in QBO, never replaced by Tillbridge.
 */
export default defineKind({
  kind: "supplier_return",
  entities: ["VendorCredit"],

  discover: async (d) => {
    if (!(await d.mappings()).options.autoSendPurchaseOrders) return 0;
    let created = 0;
    const changed = await d.pos.supplierReturns();
    if (changed.length === 0) return 0;
    const ref = await d.pos.reference();
    for (const r of changed) {
      if (r.status !== "SENT" || !r.updatedAt) continue;
      const zone = ref.outlets.find((o) => o.id === r.outletId)?.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC";
      if (businessDate(r.updatedAt, zone) < d.syncFrom) continue;
      if (await d.record("supplier_return", r.id)) created++;
    }
    return created;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "supplier_return", posId, async () => {
      await c.pos.loadSupplierReturn(posId);
    }),

  build: async (b, posId) => {
    const found = await b.pos.loadSupplierReturn(posId);
    return [await b.withParties((r) => buildSupplierReturnPosting({ ...found, version: b.posVersion }, b.ledger, r))];
  },

  cannotReplace:
    "a supplier return's vendor credit is not replaced by Tillbridge: correct the vendor credit in QuickBooks Online",
});
