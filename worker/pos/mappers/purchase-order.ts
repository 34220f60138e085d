import type { PosOutlet, PurchaseOrderLine, PurchaseOrderReceipt, Supplier } from "../../../shared/domain/pos";
import { type Dec, formatDec, mulDec } from "../../../shared/money";
import { type Fail, payloadError, readObject } from "../read";
import {
  RawConsignment,
  RawConsignmentProduct,
  RawDeliveryLineItem,
  RawPurchaseOrder,
  RawPurchaseOrderDelivery,
  RawPurchaseOrderLineItem,
} from "../schemas";
import type { ProductInfo } from "./context";
import { absDec, allocateExact, cents, near, slack, sumDec } from "./exact";

/**
 * Received supplier orders → one PurchaseOrderReceipt per received delivery (what one Bill posts):
 * the received quantities at their unit costs, reconciled to the POS's received cost total, plus
 * that delivery's costs (SHIPPING, DUTIES…) and discounts. Cost and discount types are passed
 * through as the POS names them; the ledger blocks on a type it has no mapping for.
 */

export interface PurchaseOrderContext {
  supplier: Supplier;
  outlet: PosOutlet;
  product(id: string): ProductInfo | undefined;
}

export interface DeliveryWithLines {
  delivery: unknown;
  lines: readonly unknown[];
}

type OrderCosts = ReadonlyMap<string, Dec | null>;
type Charge = NonNullable<RawPurchaseOrder["costs"]>[number];

/** A delivery counts as received when the POS gives it a received time (or says RECEIVED). */
function isReceived(d: RawPurchaseOrderDelivery): boolean {
  return d.received_at != null || (d.status ?? "").toUpperCase() === "RECEIVED";
}

export function toPurchaseOrderReceipts(
  rawOrder: unknown,
  deliveries: readonly DeliveryWithLines[],
  ctx: PurchaseOrderContext,
  orderLines: readonly unknown[] = [],
): PurchaseOrderReceipt[] {
  const po = readObject(RawPurchaseOrder, rawOrder, "purchase order");
  if (po.supplier_id && po.supplier_id !== ctx.supplier.id) {
    throw payloadError(
      "purchase order",
      po.id,
      "supplier_id",
      `supplier ${ctx.supplier.id} is not the order's ${po.supplier_id}`,
    );
  }
  const orderCost: OrderCosts = new Map(
    orderLines
      .map((r) => readObject(RawPurchaseOrderLineItem, r, "purchase order line item"))
      .map((l) => [l.id, l.cost_price ?? null]),
  );
  return deliveries
    .map(({ delivery, lines }) => ({
      d: readObject(RawPurchaseOrderDelivery, delivery, "purchase order delivery"),
      lines,
    }))
    .filter(({ d }) => isReceived(d))
    .sort((a, b) => (a.d.received_at ?? "").localeCompare(b.d.received_at ?? ""))
    .map(({ d, lines }, k) => deliveryReceipt(po, d, lines, k === 0, orderCost, ctx));
}

/** One received delivery: what one Bill posts. Order-level charges (no delivery id) go with the first one. */
function deliveryReceipt(
  po: RawPurchaseOrder,
  d: RawPurchaseOrderDelivery,
  rawLines: readonly unknown[],
  first: boolean,
  orderCost: OrderCosts,
  ctx: PurchaseOrderContext,
): PurchaseOrderReceipt {
  const fail: Fail = (field, what) => payloadError("purchase order delivery", d.id, field, what);
  if (!d.received_at) throw fail("received_at", "missing on a received delivery");
  const { lines, linesTotalMinor } = receivedLines(rawLines, d, orderCost, ctx, fail);
  const mine = (c: Charge) => c.purchase_order_delivery_id === d.id || (!c.purchase_order_delivery_id && first);
  return {
    purchaseOrderId: po.id,
    deliveryId: d.id,
    version: d.version ?? po.version,
    outletId: d.outlet_id ?? po.delivery_outlet_id ?? ctx.outlet.id,
    timeZone: ctx.outlet.timeZone,
    supplier: ctx.supplier,
    orderNumber: po.order_number || null,
    supplierInvoice: d.supplier_invoice || po.supplier_invoice || null,
    receivedAt: d.received_at,
    lines,
    costs: charges([...(d.costs ?? []), ...(po.costs ?? []).filter(mine)], "costs", fail),
    discounts: charges([...(d.discounts ?? []), ...(po.discounts ?? []).filter(mine)], "discounts", fail),
    linesTotalMinor,
  };
}

/**
 * The delivery's received lines at their unit costs (the line's own, else the order line's), in
 * cents reconciled to the POS's received cost total.
 */
function receivedLines(
  rawLines: readonly unknown[],
  d: RawPurchaseOrderDelivery,
  orderCost: OrderCosts,
  ctx: PurchaseOrderContext,
  fail: Fail,
): { lines: PurchaseOrderLine[]; linesTotalMinor: number } {
  const items = rawLines.map((r) => readObject(RawDeliveryLineItem, r, "purchase order delivery line item"));
  const read = items.map((l, i) => {
    const at = `line_items[${i}]`;
    if (l.received_quantity.m < 0n)
      throw fail(`${at}.received_quantity`, `negative (${formatDec(l.received_quantity)})`);
    const cost =
      l.cost_price ?? (l.purchase_order_line_item_id ? orderCost.get(l.purchase_order_line_item_id) : null) ?? null;
    if (cost === null)
      throw fail(`${at}.cost_price`, "missing (the connection may lack the products:read:costs scope)");
    if (cost.m < 0n) throw fail(`${at}.cost_price`, `negative (${formatDec(cost)})`);
    return { l, cost, product: productOf(l.product_id, ctx, fail, `${at}.product_id`) };
  });
  const received = read.filter((x) => x.l.received_quantity.m !== 0n);
  const exact = received.map((x) => mulDec(x.l.received_quantity, x.cost));
  const linesTotalMinor = reconcile(exact, d.cost_price_total ?? null, fail);
  const amounts = allocateExact(linesTotalMinor, exact);
  const lines = received.map((x, i) => ({
    id: x.l.id,
    productId: x.l.product_id,
    productName: x.product.name,
    sku: x.product.sku,
    receivedQuantity: formatDec(x.l.received_quantity),
    unitCost: formatDec(x.cost),
    totalMinor: amounts[i]!,
  }));
  return { lines, linesTotalMinor };
}

/**
 * A delivery's costs (SHIPPING, DUTIES…) or discounts, each counted once, zero ones left out.
 * Discounts are positive amounts that reduce the bill, whichever sign the POS wrote.
 */
function charges(list: readonly Charge[], what: "costs" | "discounts", fail: Fail) {
  const seen = new Set<string>();
  const out: { type: string; amountMinor: number }[] = [];
  for (const [i, c] of list.entries()) {
    if (c.id && seen.has(c.id)) continue;
    if (c.id) seen.add(c.id);
    if (what === "costs" && c.amount.m < 0n) throw fail(`${what}[${i}].amount`, `negative (${formatDec(c.amount)})`);
    out.push({ type: c.type.trim().toUpperCase(), amountMinor: cents(absDec(c.amount)) });
  }
  return out.filter((c) => c.amountMinor !== 0);
}

/** The 2.0 fallback: a SUPPLIER consignment, RECEIVED, and its products (`received`, `cost`). */
export function toConsignmentReceipt(
  rawConsignment: unknown,
  rawProducts: readonly unknown[],
  ctx: PurchaseOrderContext,
): PurchaseOrderReceipt | null {
  const c = readObject(RawConsignment, rawConsignment, "consignment");
  const fail: Fail = (field, what) => payloadError("consignment", c.id, field, what);
  if (c.type.toUpperCase() !== "SUPPLIER" || c.status.toUpperCase() !== "RECEIVED" || c.deleted_at) return null;
  if (!c.received_at) throw fail("received_at", "missing on a received order");
  if (!c.version) throw fail("version", "missing");
  const products = rawProducts
    .map((r) => readObject(RawConsignmentProduct, r, "consignment product"))
    .filter((p) => !p.deleted_at);
  const read = products.map((p, i) => {
    const at = `products[${i}]`;
    const qty = p.received ?? null;
    if (qty === null) throw fail(`${at}.received`, "missing");
    if (qty.m < 0n) throw fail(`${at}.received`, `negative (${formatDec(qty)})`);
    if (p.cost == null) throw fail(`${at}.cost`, "missing");
    if (p.cost.m < 0n) throw fail(`${at}.cost`, `negative (${formatDec(p.cost)})`);
    return { p, qty, cost: p.cost, product: productOf(p.product_id, ctx, fail, `${at}.product_id`) };
  });
  const receivedLines = read.filter((x) => x.qty.m !== 0n);
  const exact = receivedLines.map((x) => mulDec(x.qty, x.cost));
  const linesTotalMinor = cents(sumDec(exact));
  const amounts = allocateExact(linesTotalMinor, exact);
  return {
    purchaseOrderId: c.id,
    deliveryId: null,
    version: c.version,
    outletId: c.outlet_id,
    timeZone: ctx.outlet.timeZone,
    supplier: ctx.supplier,
    orderNumber: c.reference || null,
    supplierInvoice: c.supplier_invoice || null,
    receivedAt: c.received_at,
    lines: receivedLines.map((x, i) => ({
      id: `${c.id}:${x.p.product_id}`,
      productId: x.p.product_id,
      productName: x.product.name,
      sku: x.product.sku ?? x.p.product_sku ?? null,
      receivedQuantity: formatDec(x.qty),
      unitCost: formatDec(x.cost),
      totalMinor: amounts[i]!,
    })),
    costs: [],
    discounts: [],
    linesTotalMinor,
  };
}

function productOf(id: string, ctx: PurchaseOrderContext, fail: Fail, field: string) {
  const p = ctx.product(id);
  if (!p) throw fail(field, `unknown product ${id}`);
  return p;
}

/** The lines' total in cents: the POS's received cost total when it gives one (checked), else the exact sum rounded. */
function reconcile(exact: Dec[], posTotal: Dec | null, fail: Fail): number {
  const sum = sumDec(exact);
  if (posTotal === null) return cents(sum);
  if (!near(posTotal, sum, slack(exact.length))) {
    throw fail(
      "cost_price_total",
      `${formatDec(posTotal)} is not the sum of received quantity × cost (${formatDec(sum)})`,
    );
  }
  return cents(posTotal);
}
