import { buildStockAdjustmentPosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { LIABILITY_SCAN_SECONDS } from "./gift-card-expiry";
import { defineKind } from "./kind";
import type { PosReference } from "../pos/reference";

const zoneOf = (ref: PosReference, outletId: string) =>
  ref.outlets.find((o) => o.id === outletId)?.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC";

/**
 * A stock adjustment (damage, expiry, theft, stock found…): a JournalEntry between Inventory Asset
 * and its reason's shrinkage account, SPEC §4.5, valued at the product's average cost as the POS
 * answered it when Tillbridge first saw the adjustment (the record has no cost). Found by itself,
 * by the adjustments' version cursor on every run: read promptly, the average is the one it moved at.
 */
export default defineKind({
  kind: "stock_adjustment",
  entities: ["JournalEntry"],

  discover: async (d) => {
    // one request a quarter hour when nothing changed: read soon enough for the average of the moment
    if (!(await d.scanDue("stock_adjustments", LIABILITY_SCAN_SECONDS))) return 0;
    let created = 0;
    const changed = await d.pos.stockAdjustments();
    if (changed.length === 0) return 0;
    const ref = await d.pos.reference();
    for (const a of changed) {
      if (businessDate(a.createdAt, zoneOf(ref, a.outletId)) < d.syncFrom) continue;
      // valued now, as it is found: the average it moved at unless stock came in since
      await d.pos.valueStockAdjustment(a.id);
      if (await d.record("stock_adjustment", a.id)) created++;
    }
    return created;
  },

  build: async (b, posId) => [buildStockAdjustmentPosting(await b.pos.loadStockAdjustment(posId), b.ledger)],
});
