import { cmpDec } from "../../../shared/money";
import type { CustomReasonRec, StockAdjustmentReason, StockAdjustmentRec } from "../inventory-types";
import { dec, text, ZERO } from "../pricing";
import { must, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoZ, parseInstant } from "../time";
import type { StoreState } from "../types";
import { averageCostOf, inventoryId, moveStock, tracksInventory } from "./stock";

/**
 * Stock adjustments (`/stock_adjustments`) and their custom reasons
 * (`/custom_inventory_adjustment_reasons`), with the spec's rules: DAMAGE, EXPIRY, INTERNAL_USE, THEFT
 * and DONATION need quantity < 0; STOCK_FOUND and SAMPLE_FOR_SALE quantity > 0; CUSTOM needs an enabled
 * custom reason whose type gives the sign. The stock moves at the outlet's average cost, which the
 * record keeps (unitCost) for figures although the API does not show it.
 */

export const NEGATIVE_REASONS: readonly StockAdjustmentReason[] = [
  "DAMAGE",
  "EXPIRY",
  "INTERNAL_USE",
  "THEFT",
  "DONATION",
];
export const POSITIVE_REASONS: readonly StockAdjustmentReason[] = ["STOCK_FOUND", "SAMPLE_FOR_SALE"];

export interface NewStockAdjustment {
  outletId: string;
  productId: string;
  quantity: string | number;
  reason: StockAdjustmentReason;
  customReasonId?: string | null | undefined;
  at?: string | undefined;
  userId?: string | undefined;
}

/** The sign the reason requires (1 or -1); a 422 when the custom reason is missing, unknown or disabled. */
function requiredSign(store: StoreState, a: NewStockAdjustment): 1 | -1 {
  if (a.reason === "CUSTOM") {
    if (!a.customReasonId)
      throw new PosSandboxError(422, "a CUSTOM adjustment needs custom_inventory_adjustment_reason_id");
    const custom = store.inventory.customReasons[a.customReasonId];
    if (!custom) throw new PosSandboxError(422, `custom reason ${a.customReasonId} not found`);
    if (!custom.enabled) throw new PosSandboxError(422, `custom reason "${custom.name}" is disabled`);
    return custom.type === "POSITIVE" ? 1 : -1;
  }
  if (a.customReasonId) throw new PosSandboxError(422, "custom_inventory_adjustment_reason_id is for CUSTOM only");
  if (NEGATIVE_REASONS.includes(a.reason)) return -1;
  if (POSITIVE_REASONS.includes(a.reason)) return 1;
  throw new PosSandboxError(422, `unknown reason ${a.reason}`);
}

/** Checks an adjustment without recording it (a batch is all or nothing). */
export function checkAdjustment(store: StoreState, a: NewStockAdjustment): void {
  must(store.outlets[a.outletId], `outlet ${a.outletId}`);
  const product = must(store.products[a.productId], `product ${a.productId}`);
  if (!tracksInventory(product)) throw new PosSandboxError(422, `product ${product.sku} has no inventory`);
  const sign = requiredSign(store, a);
  const quantity = dec(a.quantity);
  if (cmpDec(quantity, ZERO) !== sign)
    throw new PosSandboxError(422, `${a.reason} needs a ${sign > 0 ? "positive" : "negative"} quantity`);
}

export function recordAdjustment(ctx: Ctx, a: NewStockAdjustment): StockAdjustmentRec {
  const { store } = ctx;
  checkAdjustment(store, a);
  const at = isoZ(a.at ? parseInstant(a.at) : ctx.now());
  const unitCost = averageCostOf(store, a.productId, a.outletId);
  const rec: StockAdjustmentRec = {
    id: inventoryId(store),
    outletId: a.outletId,
    productId: a.productId,
    quantity: text(dec(a.quantity)),
    reason: a.reason,
    customReasonId: a.reason === "CUSTOM" ? a.customReasonId! : null,
    userId: a.userId ?? store.users[0]!.id,
    createdAt: at,
    updatedAt: at,
    version: nextVersion(store),
    unitCost: text(unitCost),
  };
  store.inventory.adjustments[rec.id] = rec;
  moveStock(ctx, {
    at,
    outletId: rec.outletId,
    productId: rec.productId,
    kind: "adjustment",
    sourceId: rec.id,
    lineId: null,
    quantity: dec(rec.quantity),
    unitCost,
  });
  return rec;
}

function checkName(store: StoreState, name: string, exceptId?: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 30)
    throw new PosSandboxError(422, "a reason name has 1 to 30 characters");
  const taken = Object.values(store.inventory.customReasons).some(
    (r) => r.id !== exceptId && r.name.toLowerCase() === trimmed.toLowerCase(),
  );
  if (taken) throw new PosSandboxError(409, `a custom reason named "${trimmed}" already exists`);
  return trimmed;
}

export function createCustomReason(
  ctx: Ctx,
  o: { name: string; enabled: boolean; type: "POSITIVE" | "NEGATIVE"; fromExternalSource: boolean; at?: string },
): CustomReasonRec {
  const { store } = ctx;
  const name = checkName(store, o.name);
  const at = isoZ(o.at ? parseInstant(o.at) : ctx.now());
  const rec: CustomReasonRec = {
    id: inventoryId(store),
    name,
    enabled: o.enabled,
    type: o.type,
    fromExternalSource: o.fromExternalSource,
    createdAt: at,
    updatedAt: at,
    version: nextVersion(store),
  };
  store.inventory.customReasons[rec.id] = rec;
  return rec;
}

export function updateCustomReason(
  ctx: Ctx,
  id: string,
  o: { name?: string | undefined; enabled?: boolean | undefined },
): CustomReasonRec {
  const { store } = ctx;
  const rec = must(store.inventory.customReasons[id], "custom inventory adjustment reason");
  if (o.name !== undefined) rec.name = checkName(store, o.name, id);
  if (o.enabled !== undefined) rec.enabled = o.enabled;
  rec.updatedAt = isoZ(ctx.now());
  rec.version = nextVersion(store);
  return rec;
}
