import { buildSupplierReturnPosting } from "../ledger";
import { defineKind } from "./kind";
import { itemOnClick } from "./record";

/**
 * A supplier return (consignment RETURN) once sent: a VendorCredit to the supplier, SPEC §4.5.
 * Sent on a click from the back office's stock control, like a purchase order; an open or
 * cancelled return posts nothing (the click is refused with why). A sent return cannot change in
 * the POS, so its vendor credit is corrected in QBO, never replaced by Tillbridge.
 */
export default defineKind({
  kind: "supplier_return",
  entities: ["VendorCredit"],

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
