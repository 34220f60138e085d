import { addDec, cmpDec, formatMinor, negDec } from "../../../shared/money";
import { dec, text, ZERO } from "../pricing";
import { must, newId, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoZ, parseInstant } from "../time";
import type { DeliveryRec, PoChargeRec, PurchaseOrderRec, StoreState } from "../types";
import { toCents } from "./settle";
import { receiveDeliveryStock } from "./stock";

/**
 * Supplier purchase orders (2026-07 `purchase_orders`, the same objects as SUPPLIER consignments).
 * Each receipt is a delivery with its own lines, costs[] and discounts[]; a partial receipt is one
 * delivery and the order stays PARTIALLY_RECEIVED until the rest arrives (or `final` closes it).
 */

export interface NewPurchaseOrder {
  supplierId: string;
  outletId: string;
  at: string;
  dueAt?: string | null;
  notes?: string | null;
  lines: { productId: string; quantity: string; costPrice: string }[];
}

export interface ReceiveSpec {
  at?: string | undefined;
  /** What arrived; default everything still outstanding. */
  lines?: { productId: string; quantity: string | number }[] | undefined;
  costs?: { type: string; amount: string | number }[] | undefined;
  discounts?: { type: string; amount: string | number }[] | undefined;
  supplierInvoice?: string | null | undefined;
  /** Mark the order received even if some lines are short. */
  final?: boolean | undefined;
}

export function createPurchaseOrder(store: StoreState, o: NewPurchaseOrder): PurchaseOrderRec {
  must(store.suppliers[o.supplierId], `supplier ${o.supplierId}`);
  const outlet = must(store.outlets[o.outletId], `outlet ${o.outletId}`);
  store.counters.orderNumber += 1;
  const orderNumber = `${outlet.orderPrefix}${store.counters.orderNumber}`;
  const at = isoZ(o.at);
  const po: PurchaseOrderRec = {
    id: newId(store),
    orderNumber,
    name: `Order - ${orderNumber}`,
    supplierId: o.supplierId,
    outletId: o.outletId,
    userId: store.users[0]!.id,
    status: "SENT",
    supplierInvoice: null,
    notes: o.notes ?? null,
    dueAt: o.dueAt ? isoZ(o.dueAt) : null,
    createdAt: at,
    updatedAt: at,
    lines: o.lines.map((l) => ({
      id: newId(store),
      productId: must(store.products[l.productId], `product ${l.productId}`).id,
      quantity: l.quantity,
      costPrice: l.costPrice,
      createdAt: at,
      version: nextVersion(store),
    })),
    deliveries: [],
    version: 0,
  };
  po.version = nextVersion(store);
  store.purchaseOrders[po.id] = po;
  return po;
}

export function receivedSoFar(po: PurchaseOrderRec, poLineId: string) {
  let sum = ZERO;
  for (const d of po.deliveries)
    for (const l of d.lines) if (l.poLineId === poLineId) sum = addDec(sum, dec(l.received));
  return sum;
}

function charges(store: StoreState, deliveryId: string, at: string, items: ReceiveSpec["costs"]): PoChargeRec[] {
  return (items ?? []).map((c) => {
    const cents = toCents(c.amount, `${c.type} amount`);
    if (cents <= 0) throw new PosSandboxError(400, `${c.type} must be a positive amount`);
    return { id: newId(store), deliveryId, type: c.type, amount: formatMinor(cents), createdAt: at };
  });
}

export function receivePurchaseOrder(ctx: Ctx, purchaseOrderId: string, spec: ReceiveSpec = {}): DeliveryRec {
  const { store } = ctx;
  const po = must(store.purchaseOrders[purchaseOrderId], `purchase order ${purchaseOrderId}`);
  if (po.status !== "SENT" && po.status !== "PARTIALLY_RECEIVED" && po.status !== "OPEN") {
    throw new PosSandboxError(409, `purchase order ${po.orderNumber} is ${po.status}`);
  }
  const at = isoZ(spec.at ? parseInstant(spec.at) : ctx.now());
  const deliveryId = newId(store);
  const outstanding = po.lines.map((l) => ({
    line: l,
    left: addDec(dec(l.quantity), negDec(receivedSoFar(po, l.id))),
  }));
  const wanted =
    spec.lines ??
    outstanding
      .filter((o) => cmpDec(o.left, ZERO) > 0)
      .map((o) => ({ productId: o.line.productId, quantity: text(o.left) }));
  const lines = wanted.map((w) => {
    const o = must(
      outstanding.find((x) => x.line.productId === w.productId),
      `product ${w.productId} on order ${po.orderNumber}`,
    );
    const quantity = dec(w.quantity);
    if (cmpDec(quantity, ZERO) <= 0) throw new PosSandboxError(400, "a received quantity is positive");
    return {
      id: newId(store),
      poLineId: o.line.id,
      productId: o.line.productId,
      expected: text(o.left),
      received: text(quantity),
      costPrice: o.line.costPrice,
      version: nextVersion(store),
    };
  });
  if (lines.length === 0) throw new PosSandboxError(409, "nothing left to receive");
  const delivery: DeliveryRec = {
    id: deliveryId,
    status: "RECEIVED",
    receivedAt: at,
    supplierInvoice: spec.supplierInvoice ?? null,
    notes: null,
    userId: po.userId,
    lines,
    costs: charges(store, deliveryId, at, spec.costs),
    discounts: charges(store, deliveryId, at, spec.discounts),
    version: nextVersion(store),
  };
  po.deliveries.push(delivery);
  const complete = po.lines.every((l) => cmpDec(receivedSoFar(po, l.id), dec(l.quantity)) >= 0);
  po.status = complete || spec.final ? "RECEIVED" : "PARTIALLY_RECEIVED";
  if (spec.supplierInvoice) po.supplierInvoice = spec.supplierInvoice;
  po.updatedAt = at;
  po.version = nextVersion(store);
  receiveDeliveryStock(ctx, po, delivery);
  ctx.hooks.consignmentReceived(store, po.id);
  return delivery;
}
