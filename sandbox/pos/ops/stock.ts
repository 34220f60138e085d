import { addDec, cmpDec, type Dec, mulDec, negDec, normalize, roundDec } from "../../../shared/money";
import type { StockLevelRec, StockMoveKind } from "../inventory-types";
import { dec, text, ZERO } from "../pricing";
import { Prng } from "../prng";
import { must, type Ctx } from "../store";
import type { DeliveryRec, ProductRec, PurchaseOrderRec, SaleLineRec, SaleRec, StoreState } from "../types";

/**
 * Stock on hand and average cost per product and outlet, and the one function every change goes
 * through (`moveStock`), which also writes the stock ledger. THE RULE (the POS does not publish its
 * own; this is the sandbox's):
 *
 * - The average cost is per product and outlet, kept to 5 decimals (half-up), like the POS's unit prices.
 * - Stock in at a unit cost c (a received purchase-order line at its cost price; a return at the cost
 *   recorded on the returned line; a transfer at the cost it was sent at; a void at the line's cost): with
 *   q on hand before and r coming in, the average becomes round5((q·a + r·c) / (q + r)) — or c itself
 *   when q ≤ 0 or q + r ≤ 0 (stock that was not there carries no old cost). Delivery `costs[]` and
 *   `discounts[]` (shipping, duties, discounts) are not in the average: they are posted on their own.
 * - Stock out at the average (sales, negative adjustments, stocktake losses, transfers sent) leaves the
 *   average as it is. Stock out at another cost (a supplier return at its credit price) re-averages what
 *   stays: round5((q·a − r·c) / (q − r)), unless nothing stays or that value would be negative (then
 *   the average stays).
 * - Stock in at the average (stocktake gains, positive adjustments) leaves it as it is.
 * - A sale line records the average when sold as its `cost`; `cost_total` = cost × quantity, exact.
 *   Gift cards, discounts, services and products without inventory carry cost 0 and move no stock.
 * The inventory value of an outlet is Σ on hand × average cost. A move changes it by exactly
 * quantity × unit cost, plus a revaluation when the new average had to be rounded (at most
 * on-hand × 0.000005) or when stock in met stock at or below zero.
 */

export const AVERAGE_DIGITS = 5;

/** round_half_up(a / b) to `digits` decimals, exactly (bigint), halves away from zero. */
export function divRound(a: Dec, b: Dec, digits: number): Dec {
  if (b.m === 0n) throw new Error("division by zero");
  // a / b = (a.m / 10^a.s) / (b.m / 10^b.s); scaled by 10^digits.
  let num = a.m * 10n ** BigInt(b.s + digits);
  let den = b.m * 10n ** BigInt(a.s);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return normalize({ m: neg ? -q : q, s: digits });
}

const round5 = (d: Dec) => roundDec(d, AVERAGE_DIGITS, "half-up");

/** The average after `quantity` (signed) moves at `unitCost` onto `onHand` at `average` (the rule above). */
export function nextAverage(onHand: Dec, average: Dec, quantity: Dec, unitCost: Dec): Dec {
  if (cmpDec(quantity, ZERO) === 0 || cmpDec(unitCost, average) === 0) return average;
  const after = addDec(onHand, quantity);
  const value = addDec(mulDec(onHand, average), mulDec(quantity, unitCost));
  if (cmpDec(quantity, ZERO) > 0) {
    if (cmpDec(onHand, ZERO) <= 0 || cmpDec(after, ZERO) <= 0) return round5(unitCost);
    return divRound(value, after, AVERAGE_DIGITS);
  }
  if (cmpDec(after, ZERO) <= 0 || cmpDec(value, ZERO) < 0) return average;
  return divRound(value, after, AVERAGE_DIGITS);
}

export function tracksInventory(product: ProductRec | undefined): boolean {
  return product?.kind === "product" && product.hasInventory !== false;
}

export const levelKey = (productId: string, outletId: string) => `${productId}/${outletId}`;

/** Same stepping as the store's nextVersion (1..97 apart), on the inventory records' own counter. */
function nextLevelVersion(store: StoreState): number {
  const inv = store.inventory;
  const step = 1 + ((Math.imul(inv.versionCounter ^ 0x5bd1e995, 0x27d4eb2d) >>> 0) % 97);
  inv.versionCounter += step;
  return inv.versionCounter;
}

/** An id from the inventory's own stream (never the trading stream). */
export function inventoryId(store: StoreState): string {
  return new Prng(store.inventory.rng).uuid();
}

/** The product's level at the outlet, created (0 on hand, average = supply price) the first time. */
export function levelOf(store: StoreState, productId: string, outletId: string): StockLevelRec {
  const key = levelKey(productId, outletId);
  const found = store.inventory.levels[key];
  if (found) return found;
  const product = must(store.products[productId], `product ${productId}`);
  must(store.outlets[outletId], `outlet ${outletId}`);
  const level: StockLevelRec = {
    id: inventoryId(store),
    productId,
    outletId,
    onHand: "0",
    averageCost: text(round5(dec(product.supplyPrice))),
    version: nextLevelVersion(store),
  };
  store.inventory.levels[key] = level;
  return level;
}

export function averageCostOf(store: StoreState, productId: string, outletId: string): Dec {
  return dec(levelOf(store, productId, outletId).averageCost);
}

export interface StockMove {
  at: string;
  outletId: string;
  productId: string;
  kind: StockMoveKind;
  sourceId: string;
  lineId: string | null;
  quantity: Dec;
  unitCost: Dec;
}

/** Applies one move to its level (the rule above), writes it to the ledger and announces the level. */
export function moveStock(ctx: Ctx, m: StockMove): void {
  const { store } = ctx;
  if (!tracksInventory(store.products[m.productId])) return;
  const level = levelOf(store, m.productId, m.outletId);
  const onHand = dec(level.onHand);
  const before = dec(level.averageCost);
  const after = nextAverage(onHand, before, m.quantity, m.unitCost);
  level.onHand = text(addDec(onHand, m.quantity));
  level.averageCost = text(after);
  level.version = nextLevelVersion(store);
  store.inventory.moves.push({
    at: m.at,
    outletId: m.outletId,
    productId: m.productId,
    kind: m.kind,
    sourceId: m.sourceId,
    lineId: m.lineId,
    quantity: text(m.quantity),
    unitCost: text(m.unitCost),
    averageBefore: text(before),
    onHandAfter: level.onHand,
    averageAfter: level.averageCost,
  });
  ctx.hooks.inventoryChanged(store, level.productId, level.outletId);
}

/** The line's quantity leaves stock (a negative quantity comes back) at its recorded cost, at `at`. */
function takeLineStock(ctx: Ctx, sale: SaleRec, line: SaleLineRec, at: string): void {
  const quantity = dec(line.quantity);
  moveStock(ctx, {
    at,
    outletId: sale.outletId,
    productId: line.productId,
    kind: cmpDec(quantity, ZERO) < 0 ? "return" : "sale",
    sourceId: sale.id,
    lineId: line.id,
    quantity: negDec(quantity),
    unitCost: dec(line.cost!),
  });
}

/**
 * Sets every line's `cost` and takes the stock of a sale that is not parked: the average when sold,
 * or on a return line the cost recorded on the line it returns (the stock comes back at that cost).
 */
export function recordSaleStock(ctx: Ctx, sale: SaleRec): void {
  const { store } = ctx;
  const original = sale.returnFor ? store.sales[sale.returnFor] : undefined;
  for (const line of sale.lines) {
    const product = store.products[line.productId];
    if (!tracksInventory(product)) {
      line.cost = "0";
      continue;
    }
    const returned = line.originalLineId ? original?.lines.find((l) => l.id === line.originalLineId) : undefined;
    line.cost = returned?.cost ?? text(averageCostOf(store, line.productId, sale.outletId));
    // A parked sale takes no stock; a line voided as it was rung up never did.
    if (sale.state === "parked" || line.voided) continue;
    takeLineStock(ctx, sale, line, sale.date);
  }
}

/**
 * A cancelled layby's cancelling lines (negative quantities, added to the same sale) put the stock
 * back, like any return, at the cost recorded on the line each cancels, when the layby is cancelled.
 */
export function restockCancellingLines(ctx: Ctx, sale: SaleRec, lines: SaleLineRec[], at: string): void {
  for (const line of lines) {
    line.addedAt = at;
    if (!tracksInventory(ctx.store.products[line.productId])) {
      line.cost = "0";
      continue;
    }
    const cancelled = sale.lines.find((l) => l.id === line.originalLineId);
    line.cost = cancelled?.cost ?? text(averageCostOf(ctx.store, line.productId, sale.outletId));
    takeLineStock(ctx, sale, line, at);
  }
}

/** A voided sale that had taken stock puts it back at each line's recorded cost. */
export function restoreVoidedStock(ctx: Ctx, sale: SaleRec, at: string, lines = sale.lines): void {
  for (const line of lines) {
    // a voided line holds no stock: it never took any, or gave it back when it was voided
    if (line.voided || !line.cost || !tracksInventory(ctx.store.products[line.productId])) continue;
    moveStock(ctx, {
      at,
      outletId: sale.outletId,
      productId: line.productId,
      kind: "void",
      sourceId: sale.id,
      lineId: line.id,
      quantity: dec(line.quantity),
      unitCost: dec(line.cost),
    });
  }
}

/** A purchase-order delivery's products come in at their cost price (costs[] and discounts[] do not). */
export function receiveDeliveryStock(ctx: Ctx, po: PurchaseOrderRec, delivery: DeliveryRec): void {
  for (const line of delivery.lines) {
    moveStock(ctx, {
      at: delivery.receivedAt,
      outletId: po.outletId,
      productId: line.productId,
      kind: "receipt",
      sourceId: delivery.id,
      lineId: line.id,
      quantity: dec(line.received),
      unitCost: dec(line.costPrice),
    });
  }
}
