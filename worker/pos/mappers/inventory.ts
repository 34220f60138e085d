import type { PosOutlet, Supplier, SupplierReturn } from "../../../shared/domain/pos";
import { formatDec, mulDec } from "../../../shared/money";
import { type Fail, payloadError, readObject } from "../read";
import { RawConsignment, RawConsignmentProduct } from "../schemas";
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
