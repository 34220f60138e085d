import { addDec, formatDec, mulDec, roundDec } from "../../../shared/money";
import { receivedSoFar } from "../ops/purchasing";
import { dec, ZERO } from "../pricing";
import { isoClassic } from "../time";
import type { DeliveryLineRec, DeliveryRec, PoChargeRec, PoLineRec, PurchaseOrderRec, StoreState } from "../types";

/**
 * Purchase orders (2026-07: money and quantities as decimal strings) and the same orders seen as
 * SUPPLIER consignments (2.0 shapes: `count`/`received`/`cost` strings with 5 places). A consignment
 * id is its purchase order's id. `cost_price_total` covers the product lines only (costs[] and
 * discounts[] are separate), rounded half-up to the cent.
 */

const money2 = (d: ReturnType<typeof dec>) => formatDec(roundDec(d, 2, "half-up"), 2);
const five = (text: string) => formatDec(dec(text), 5);

function chargeJson(c: PoChargeRec, at: string) {
  return {
    amount: c.amount,
    created_at: c.createdAt,
    id: c.id,
    purchase_order_delivery_id: c.deliveryId,
    type: c.type,
    updated_at: at,
  };
}

export function purchaseOrderJson(po: PurchaseOrderRec) {
  const total = po.lines.reduce((s, l) => addDec(s, mulDec(dec(l.quantity), dec(l.costPrice))), ZERO);
  const quantity = po.lines.reduce((s, l) => addDec(s, dec(l.quantity)), ZERO);
  return {
    allocation_outlet_ids: [],
    cost_price_total: money2(total),
    costs: po.deliveries.flatMap((d) => d.costs.map((c) => chargeJson(c, po.updatedAt))),
    created_at: po.createdAt,
    delivery_outlet_id: po.outletId,
    discounts: po.deliveries.flatMap((d) => d.discounts.map((c) => chargeJson(c, po.updatedAt))),
    due_at: po.dueAt,
    id: po.id,
    notes: po.notes,
    order_number: po.orderNumber,
    quantity_total: formatDec(quantity),
    status: po.status,
    supplier_id: po.supplierId,
    supplier_invoice: po.supplierInvoice,
    updated_at: po.updatedAt,
    user_id: po.userId,
    version: po.version,
  };
}

export function poLineJson(po: PurchaseOrderRec, l: PoLineRec) {
  return {
    allocations: [{ outlet_id: po.outletId, quantity: l.quantity }],
    components: [],
    cost_price: l.costPrice,
    created_at: l.createdAt,
    id: l.id,
    product_id: l.productId,
    purchase_order_id: po.id,
    quantity: l.quantity,
    updated_at: po.updatedAt,
    version: l.version,
  };
}

export function deliveryJson(po: PurchaseOrderRec, d: DeliveryRec) {
  const total = d.lines.reduce((s, l) => addDec(s, mulDec(dec(l.received), dec(l.costPrice))), ZERO);
  const quantity = d.lines.reduce((s, l) => addDec(s, dec(l.received)), ZERO);
  return {
    cost_price_total: money2(total),
    costs: d.costs.map((c) => chargeJson(c, d.receivedAt)),
    created_at: d.receivedAt,
    discounts: d.discounts.map((c) => chargeJson(c, d.receivedAt)),
    due_at: po.dueAt,
    id: d.id,
    invoice_date: d.supplierInvoice ? d.receivedAt : null,
    notes: d.notes,
    outlet_id: po.outletId,
    purchase_order_id: po.id,
    received_at: d.receivedAt,
    received_quantity_total: formatDec(quantity),
    status: d.status,
    supplier_invoice: d.supplierInvoice,
    updated_at: d.receivedAt,
    user_id: d.userId,
    version: d.version,
  };
}

export function deliveryLineJson(po: PurchaseOrderRec, d: DeliveryRec, l: DeliveryLineRec) {
  return {
    allocations: [{ expected_quantity: l.expected, outlet_id: po.outletId, received_quantity: l.received }],
    components: [],
    cost_price: l.costPrice,
    created_at: d.receivedAt,
    expected_quantity: l.expected,
    id: l.id,
    product_id: l.productId,
    purchase_order_delivery_id: d.id,
    purchase_order_line_item_id: l.poLineId,
    received_quantity: l.received,
    updated_at: d.receivedAt,
    version: l.version,
  };
}

/** SENT until fully received; RECEIVED (with received_at = the last delivery) after. */
export function consignmentStatus(po: PurchaseOrderRec): string {
  if (po.status === "RECEIVED") return "RECEIVED";
  if (po.status === "CANCELLED") return "CANCELLED";
  return po.status === "OPEN" ? "OPEN" : "SENT";
}

export function consignmentJson(po: PurchaseOrderRec) {
  const status = consignmentStatus(po);
  const last = po.deliveries[po.deliveries.length - 1];
  return {
    consignment_date: isoClassic(po.createdAt),
    created_at: isoClassic(po.createdAt),
    deleted_at: null,
    due_at: po.dueAt ? isoClassic(po.dueAt) : null,
    id: po.id,
    name: po.name,
    outlet_id: po.outletId,
    received_at: status === "RECEIVED" && last ? isoClassic(last.receivedAt) : null,
    reference: po.orderNumber,
    source_outlet_id: null,
    status,
    supplier_id: po.supplierId,
    supplier_invoice: po.supplierInvoice,
    total_cost_gain: null,
    total_cost_loss: null,
    total_count_gain: null,
    total_count_loss: null,
    type: "SUPPLIER",
    updated_at: isoClassic(po.updatedAt),
    version: po.version,
  };
}

export function consignmentProductsJson(store: StoreState, po: PurchaseOrderRec) {
  return po.lines.map((l) => ({
    cost: five(l.costPrice),
    count: five(l.quantity),
    created_at: isoClassic(l.createdAt),
    deleted_at: null,
    is_included: true,
    product_id: l.productId,
    product_sku: store.products[l.productId]?.sku ?? null,
    received: formatDec(receivedSoFar(po, l.id), 5),
    status: "SUCCESS",
    updated_at: isoClassic(po.updatedAt),
    version: l.version,
  }));
}

export function consignmentTotalsJson(po: PurchaseOrderRec) {
  let sentCount = ZERO;
  let sentCost = ZERO;
  let receivedCount = ZERO;
  let receivedCost = ZERO;
  for (const l of po.lines) {
    const got = receivedSoFar(po, l.id);
    sentCount = addDec(sentCount, dec(l.quantity));
    sentCost = addDec(sentCost, mulDec(dec(l.quantity), dec(l.costPrice)));
    receivedCount = addDec(receivedCount, got);
    receivedCost = addDec(receivedCost, mulDec(got, dec(l.costPrice)));
  }
  return {
    total_received_cost: formatDec(receivedCost, 10),
    total_received_count: formatDec(receivedCount, 5),
    total_sent_cost: formatDec(sentCost, 10),
    total_sent_count: formatDec(sentCount, 5),
  };
}
