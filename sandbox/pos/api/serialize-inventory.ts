import { addDec, cmpDec, type Dec, formatDec, mulDec, subDec } from "../../../shared/money";
import type {
  ConsignmentProductRec,
  ConsignmentRec,
  CustomReasonRec,
  StockAdjustmentRec,
  StockLevelRec,
} from "../inventory-types";
import { averageCostOf } from "../ops/stock";
import { dec, ZERO } from "../pricing";
import { must } from "../store";
import { isoClassic } from "../time";
import type { StoreState } from "../types";
import { num } from "./serialize-sale";
import { consignmentJson, consignmentProductsJson, consignmentTotalsJson } from "./serialize-stock";

/**
 * Inventory records as their 2026-07 shapes: `Inventory` (numbers), `StockAdjustment` (quantity a
 * string), `CustomInventoryAdjustmentReason`, and supplier returns, stocktakes and transfers as
 * `Consignment` / `ConsignmentProduct` (counts and costs as 5-place strings, stocktake totals as
 * numbers), like the SUPPLIER consignments in serialize-stock.ts.
 */

const five = (d: Dec) => formatDec(d, 5);
const fiveOrNull = (t: string | null) => (t === null ? null : five(dec(t)));

export function inventoryJson(level: StockLevelRec) {
  return {
    average_cost: num(level.averageCost),
    current_inventory_level: num(level.onHand),
    deleted_at: null,
    id: level.id,
    outlet_id: level.outletId,
    product_id: level.productId,
    quantity_to_procure: 0,
    reorder_amount: null,
    reorder_method: null,
    reorder_point: null,
    reorder_target: null,
    version: level.version,
  };
}

export function stockAdjustmentJson(a: StockAdjustmentRec) {
  return {
    created_at: a.createdAt,
    // "Present only when reason is CUSTOM; omitted otherwise."
    ...(a.customReasonId ? { custom_inventory_adjustment_reason_id: a.customReasonId } : {}),
    id: a.id,
    outlet_id: a.outletId,
    product_id: a.productId,
    quantity: a.quantity,
    reason: a.reason,
    updated_at: a.updatedAt,
    user_id: a.userId,
    version: a.version,
  };
}

export function customReasonJson(r: CustomReasonRec) {
  return {
    created_at: r.createdAt,
    enabled: r.enabled,
    id: r.id,
    is_from_external_source: r.fromExternalSource,
    name: r.name,
    type: r.type,
    updated_at: r.updatedAt,
    version: r.version,
  };
}

/** A stocktake's gains and losses once processed (expected quantities known); null before. */
export function stocktakeTotals(c: ConsignmentRec) {
  if (c.type !== "STOCKTAKE" || c.processedAt === null) return null;
  let countGain = ZERO;
  let countLoss = ZERO;
  let costGain = ZERO;
  let costLoss = ZERO;
  for (const p of c.products) {
    const diff = subDec(dec(p.received ?? "0"), dec(p.count ?? "0"));
    const value = mulDec(diff, dec(p.cost ?? "0"));
    if (cmpDec(diff, ZERO) > 0) {
      countGain = addDec(countGain, diff);
      costGain = addDec(costGain, value);
    } else if (cmpDec(diff, ZERO) < 0) {
      countLoss = subDec(countLoss, diff);
      costLoss = subDec(costLoss, value);
    }
  }
  return { countGain, countLoss, costGain, costLoss };
}

export function inventoryConsignmentJson(c: ConsignmentRec) {
  const totals = stocktakeTotals(c);
  return {
    consignment_date: isoClassic(c.createdAt),
    created_at: isoClassic(c.createdAt),
    deleted_at: null,
    due_at: c.dueAt ? isoClassic(c.dueAt) : null,
    id: c.id,
    name: c.name,
    outlet_id: c.outletId,
    received_at: c.receivedAt ? isoClassic(c.receivedAt) : null,
    reference: c.reference,
    source_outlet_id: c.sourceOutletId,
    status: c.status,
    supplier_id: c.supplierId,
    supplier_invoice: c.supplierInvoice,
    total_cost_gain: totals ? num(formatDec(totals.costGain)) : null,
    total_cost_loss: totals ? num(formatDec(totals.costLoss)) : null,
    total_count_gain: totals ? num(formatDec(totals.countGain)) : null,
    total_count_loss: totals ? num(formatDec(totals.countLoss)) : null,
    type: c.type,
    updated_at: isoClassic(c.updatedAt),
    version: c.version,
  };
}

function productJson(store: StoreState, c: ConsignmentRec, p: ConsignmentProductRec) {
  const done = c.type === "STOCKTAKE" ? c.processedAt !== null : c.status !== "OPEN";
  return {
    cost: fiveOrNull(p.cost),
    count: fiveOrNull(p.count),
    created_at: isoClassic(p.createdAt),
    deleted_at: null,
    is_included: true,
    product_id: p.productId,
    product_sku: store.products[p.productId]?.sku ?? null,
    received: five(dec(p.received ?? "0")),
    status: done ? "SUCCESS" : "PENDING",
    updated_at: isoClassic(p.updatedAt),
    version: p.version,
  };
}

export function inventoryConsignmentProductsJson(store: StoreState, c: ConsignmentRec) {
  return c.products.map((p) => productJson(store, c, p));
}

/**
 * Totals of a return or transfer (the spec leaves stocktakes out). An OPEN transfer has no cost yet:
 * its sent cost is the source outlet's current average, "not accurate" as the spec warns. Nothing is
 * received on a return.
 */
export function inventoryConsignmentTotalsJson(store: StoreState, c: ConsignmentRec) {
  let sentCount = ZERO;
  let sentCost = ZERO;
  let receivedCount = ZERO;
  let receivedCost = ZERO;
  for (const p of c.products) {
    const count = dec(p.count ?? "0");
    const cost = p.cost !== null ? dec(p.cost) : averageCostOf(store, p.productId, c.sourceOutletId ?? c.outletId);
    const received = dec(p.received ?? "0");
    sentCount = addDec(sentCount, count);
    sentCost = addDec(sentCost, mulDec(count, cost));
    receivedCount = addDec(receivedCount, received);
    receivedCost = addDec(receivedCost, mulDec(received, cost));
  }
  return {
    total_received_cost: formatDec(receivedCost, 10),
    total_received_count: formatDec(receivedCount, 5),
    total_sent_cost: formatDec(sentCost, 10),
    total_sent_count: formatDec(sentCount, 5),
  };
}

/** Any consignment by id: a purchase order (SUPPLIER) or an inventory consignment. */
export function anyConsignmentJson(store: StoreState, id: string) {
  const po = store.purchaseOrders[id];
  if (po) return consignmentJson(po);
  return inventoryConsignmentJson(must(store.inventory.consignments[id], "consignment"));
}

export function anyConsignmentProductsJson(store: StoreState, id: string) {
  const po = store.purchaseOrders[id];
  if (po) return consignmentProductsJson(store, po);
  return inventoryConsignmentProductsJson(store, must(store.inventory.consignments[id], "consignment"));
}

export function anyConsignmentTotalsJson(store: StoreState, id: string) {
  const po = store.purchaseOrders[id];
  if (po) return consignmentTotalsJson(po);
  return inventoryConsignmentTotalsJson(store, must(store.inventory.consignments[id], "consignment"));
}
