import {
  type PosOutlet,
  STOCK_ADJUSTMENT_REASONS,
  type StockAdjustment,
  type Stocktake,
  type StockTransfer,
  type Supplier,
  type SupplierReturn,
} from "../../../shared/domain/pos";
import { formatDec, mulDec } from "../../../shared/money";
import { type Fail, payloadError, readObject } from "../read";
import { RawConsignment, RawConsignmentProduct, RawInventoryLevel, RawStockAdjustment } from "../schemas";
import type { ProductInfo } from "./context";
import { cents } from "./exact";

/**
 * Inventory consignments other than purchase orders, read into the domain (SPEC §4.5). A supplier
 * return (type RETURN) posts once SENT: each product's `count` returned at its `cost` (the unit
 * credit price), dated when it was sent — a SENT return cannot change, so its `updated_at`.
 */

export interface ConsignmentContext {
  outlet: PosOutlet;
  supplier: Supplier;
  product(id: string): ProductInfo | undefined;
}

/** Where a consignment stands for posting: its type and status, upper case. */
export function consignmentState(raw: unknown): { id: string; type: string; status: string; deleted: boolean } {
  const c = readObject(RawConsignment, raw, "consignment");
  return { id: c.id, type: c.type.toUpperCase(), status: c.status.toUpperCase(), deleted: Boolean(c.deleted_at) };
}

/** A SENT supplier return; null when it is not one (open, cancelled, deleted, another type). */
export function toSupplierReturn(
  rawConsignment: unknown,
  rawProducts: readonly unknown[],
  ctx: ConsignmentContext,
): SupplierReturn | null {
  const c = readObject(RawConsignment, rawConsignment, "consignment");
  const fail: Fail = (field, what) => payloadError("supplier return", c.id, field, what);
  if (c.type.toUpperCase() !== "RETURN" || c.status.toUpperCase() !== "SENT" || c.deleted_at) return null;
  if (!c.version) throw fail("version", "missing");
  if (!c.updated_at) throw fail("updated_at", "missing on a sent return");
  const lines = rawProducts
    .map((r) => readObject(RawConsignmentProduct, r, "consignment product"))
    .filter((p) => !p.deleted_at)
    .map((p, i) => {
      const at = `products[${i}]`;
      if (p.count == null) throw fail(`${at}.count`, "missing");
      if (p.count.m < 0n) throw fail(`${at}.count`, `negative (${formatDec(p.count)})`);
      if (p.cost == null) throw fail(`${at}.cost`, "missing");
      if (p.cost.m < 0n) throw fail(`${at}.cost`, `negative (${formatDec(p.cost)})`);
      const product = ctx.product(p.product_id);
      if (!product) throw fail(`${at}.product_id`, `unknown product ${p.product_id}`);
      return {
        productId: p.product_id,
        productName: product.name,
        sku: product.sku ?? p.product_sku ?? null,
        quantity: formatDec(p.count),
        unitCost: formatDec(p.cost),
        totalMinor: cents(mulDec(p.count, p.cost)),
      };
    })
    .filter((l) => l.totalMinor !== 0 || l.quantity !== "0");
  return {
    id: c.id,
    version: c.version,
    outletId: c.outlet_id,
    timeZone: ctx.outlet.timeZone,
    supplier: ctx.supplier,
    reference: c.reference || null,
    name: c.name || null,
    sentAt: c.updated_at,
    lines,
  };
}

/** A completed stocktake; null when it is not one (scheduled, in progress, cancelled, another type). */
export function toStocktake(
  rawConsignment: unknown,
  rawProducts: readonly unknown[],
  ctx: Omit<ConsignmentContext, "supplier">,
): Stocktake | null {
  const c = readObject(RawConsignment, rawConsignment, "consignment");
  const fail: Fail = (field, what) => payloadError("stocktake", c.id, field, what);
  if (c.type.toUpperCase() !== "STOCKTAKE" || c.status.toUpperCase() !== "STOCKTAKE_COMPLETE" || c.deleted_at)
    return null;
  if (!c.version) throw fail("version", "missing");
  if (!c.updated_at) throw fail("updated_at", "missing on a completed stocktake");
  const lines = rawProducts
    .map((r) => readObject(RawConsignmentProduct, r, "consignment product"))
    .filter((p) => !p.deleted_at && p.count != null)
    .map((p, i) => {
      const at = `products[${i}]`;
      if (p.cost == null) throw fail(`${at}.cost`, "missing on a counted product");
      const product = ctx.product(p.product_id);
      if (!product) throw fail(`${at}.product_id`, `unknown product ${p.product_id}`);
      return {
        productId: p.product_id,
        productName: product.name,
        sku: product.sku ?? p.product_sku ?? null,
        expected: formatDec(p.count!),
        counted: formatDec(p.received ?? { m: 0n, s: 0 }),
        unitCost: formatDec(p.cost),
      };
    });
  return {
    id: c.id,
    version: c.version,
    outletId: c.outlet_id,
    timeZone: ctx.outlet.timeZone,
    name: c.name || null,
    completedAt: c.updated_at,
    lines,
  };
}

/** A stock adjustment valued at the average cost the POS answers for its product and outlet. */
export function toStockAdjustment(
  raw: unknown,
  rawLevels: readonly unknown[],
  ctx: {
    outlet: PosOutlet;
    product(id: string): { name: string; sku: string | null } | undefined;
    customReason?: string | null;
  },
): StockAdjustment {
  const a = readObject(RawStockAdjustment, raw, "stock adjustment");
  const fail: Fail = (field, what) => payloadError("stock adjustment", a.id, field, what);
  const reason = a.reason.toUpperCase();
  if (!(STOCK_ADJUSTMENT_REASONS as readonly string[]).includes(reason))
    throw fail("reason", `unknown reason ${a.reason}`);
  const product = ctx.product(a.product_id);
  if (!product) throw fail("product_id", `unknown product ${a.product_id}`);
  const level = rawLevels
    .map((r) => readObject(RawInventoryLevel, r, "inventory"))
    .find((l) => l.outlet_id === a.outlet_id && !l.deleted_at);
  if (!level?.average_cost) throw fail("average_cost", `no inventory record of the product at outlet ${a.outlet_id}`);
  return {
    id: a.id,
    outletId: a.outlet_id,
    timeZone: ctx.outlet.timeZone,
    productId: a.product_id,
    productName: product.name,
    sku: product.sku,
    quantity: formatDec(a.quantity),
    reason: reason as StockAdjustment["reason"],
    customReasonName: ctx.customReason ?? null,
    unitCost: formatDec(level.average_cost),
    createdAt: a.created_at,
  };
}

/** A received transfer between outlets; null when it is not one (open, sent, cancelled, another type). */
export function toStockTransfer(
  rawConsignment: unknown,
  rawProducts: readonly unknown[],
  ctx: Omit<ConsignmentContext, "supplier">,
): StockTransfer | null {
  const c = readObject(RawConsignment, rawConsignment, "consignment");
  const fail: Fail = (field, what) => payloadError("transfer", c.id, field, what);
  if (c.type.toUpperCase() !== "OUTLET" || c.status.toUpperCase() !== "RECEIVED" || c.deleted_at) return null;
  if (!c.version) throw fail("version", "missing");
  if (!c.received_at) throw fail("received_at", "missing on a received transfer");
  if (!c.source_outlet_id) throw fail("source_outlet_id", "missing on a transfer");
  const lines = rawProducts
    .map((r) => readObject(RawConsignmentProduct, r, "consignment product"))
    .filter((p) => !p.deleted_at)
    .map((p, i) => {
      const at = `products[${i}]`;
      if (p.count == null) throw fail(`${at}.count`, "missing");
      if (p.cost == null) throw fail(`${at}.cost`, "missing on a sent transfer");
      const product = ctx.product(p.product_id);
      if (!product) throw fail(`${at}.product_id`, `unknown product ${p.product_id}`);
      return {
        productId: p.product_id,
        productName: product.name,
        sku: product.sku ?? p.product_sku ?? null,
        sent: formatDec(p.count),
        received: formatDec(p.received ?? { m: 0n, s: 0 }),
        unitCost: formatDec(p.cost),
      };
    });
  return {
    id: c.id,
    version: c.version,
    sourceOutletId: c.source_outlet_id,
    outletId: c.outlet_id,
    timeZone: ctx.outlet.timeZone,
    name: c.name || null,
    receivedAt: c.received_at,
    lines,
  };
}
