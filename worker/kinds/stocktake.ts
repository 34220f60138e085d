import { buildStocktakePosting } from "../ledger";
import { businessDate } from "../ledger/dates";
import { defineKind } from "./kind";
import type { PosReference } from "../pos/reference";

const zoneOf = (ref: PosReference, outletId: string) =>
  ref.outlets.find((o) => o.id === outletId)?.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC";
import { itemOnClick } from "./record";

/**
 * A completed stocktake (consignment STOCKTAKE): a JournalEntry moving its net gain or loss at cost
 * between Inventory Asset and the stocktake's shrinkage account, SPEC §4.5. Sent on a click from
 * the back office's inventory counts, or by itself with the purchase orders' option.
 */
export default defineKind({
  kind: "stocktake",
  entities: ["JournalEntry"],

  discover: async (d) => {
    if (!(await d.mappings()).options.autoSendPurchaseOrders) return 0;
    let created = 0;
    for (const c of await d.pos.stocktakes()) {
      if (c.status !== "STOCKTAKE_COMPLETE" || !c.updatedAt) continue;
      const ref = await d.pos.reference();
      if (businessDate(c.updatedAt, zoneOf(ref, c.outletId)) < d.syncFrom) continue;
      if (await d.record("stocktake", c.id)) created++;
    }
    return created;
  },

  onClick: (c, posId) => itemOnClick(c, "stocktake", posId, async () => void (await c.pos.loadStocktake(posId))),

  build: async (b, posId) => [
    buildStocktakePosting({ ...(await b.pos.loadStocktake(posId)), version: b.posVersion }, b.ledger),
  ],
});
