import { formatDec, mulDec, roundDec } from "../../../shared/money";
import type { StockAdjustmentReason } from "../inventory-types";
import { createCustomReason, recordAdjustment } from "../ops/adjustments";
import {
  cancelConsignment,
  countStocktake,
  completeStocktake,
  createStocktake,
  createSupplierReturn,
  createTransfer,
  processStocktake,
  receiveTransfer,
  sendConsignment,
  startStocktake,
} from "../ops/consignments";
import { createPurchaseOrder } from "../ops/purchasing";
import { inventoryId, levelOf, moveStock, tracksInventory } from "../ops/stock";
import { dec } from "../pricing";
import { Prng, seedPrng } from "../prng";
import { nextVersion, silentHooks, type Ctx } from "../store";
import { addDays, localToUtc } from "../time";
import type { ProductRec, StoreState } from "../types";

/**
 * Inventory for the demo stores. Every store gets its opening stock (per product and outlet, at the
 * supply price) from the inventory's own PRNG stream, so stores without the `inventory` option trade
 * exactly as before (the trading stream and the store's version counter are untouched); their sale
 * lines still carry the POS's cost. With the option, the store also gets a service product (no
 * inventory), a "Services" category and two custom adjustment reasons, and its generated days carry:
 *
 * - a weekly restock purchase order for each outlet (one supplier a week in turn, cost prices that move
 *   a little: the averages then take 5 decimals), received three days later;
 * - a weekly transfer Montréal → Québec (first outlet → last), sent in the morning, received next day;
 * - a weekly supplier return (OPEN in the morning, SENT in the afternoon), and every other week one
 *   that is opened then CANCELLED;
 * - a full stocktake of the first outlet on the 15th and of the last outlet on the 28th (before
 *   opening), with gains and losses;
 * - damage and theft adjustments most days, and every fourth day one of the other reasons in turn
 *   (EXPIRY, INTERNAL_USE, STOCK_FOUND, DONATION, CUSTOM −, SAMPLE_FOR_SALE, CUSTOM +).
 * The plan depends on the day index and date only, never on how many days get generated.
 */

export interface DayEvent {
  minute: number;
  run: (at: string) => void;
}

/** FNV-1a: a store's prefix into its inventory stream's seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const rngOf = (store: StoreState) => new Prng(store.inventory.rng);
const french = (store: StoreState) => store.retailer.culture.startsWith("fr");

export function initInventory(ctx: Ctx, enabled: boolean): void {
  const { store } = ctx;
  store.inventory = {
    enabled,
    rng: seedPrng((hash32(store.prefix) ^ Math.imul(store.seed, 0x9e3779b1) ^ 0x1a7e5eed) >>> 0),
    versionCounter: 3_000_000_000 + (store.seed % 1000) * 1000,
    levels: {},
    moves: [],
    consignments: {},
    adjustments: {},
    customReasons: {},
    pendingTransfers: [],
  };
  if (enabled) {
    addServiceProduct(store);
    addCustomReasons(ctx);
  }
  openingStock(ctx);
}

/**
 * A state saved before stores had inventory gets it on import: opening stock only, no generated
 * activity. Its past sales and receipts moved no stock (and those lines carry no cost, so figures leave
 * them out): roll forward only over windows after the import.
 */
export function ensureInventory(store: StoreState): void {
  if (store.inventory) return;
  initInventory({ store, hooks: silentHooks, now: () => new Date(store.retailer.createdAt) }, false);
}

function openingStock(ctx: Ctx): void {
  const { store } = ctx;
  const rng = rngOf(store);
  const outlets = Object.keys(store.outlets);
  const at = store.retailer.createdAt;
  for (const product of Object.values(store.products).filter(tracksInventory)) {
    outlets.forEach((outletId, i) => {
      levelOf(store, product.id, outletId);
      moveStock(ctx, {
        at,
        outletId,
        productId: product.id,
        kind: "opening",
        sourceId: "opening",
        lineId: null,
        quantity: dec(i === 0 ? rng.int(90, 160) : rng.int(35, 70)),
        unitCost: dec(product.supplyPrice),
      });
    });
  }
}

function addServiceProduct(store: StoreState): void {
  const fr = french(store);
  const category = { id: inventoryId(store), name: "Services", parentId: null, version: nextVersion(store) };
  store.categories[category.id] = category;
  const taxId = Object.values(store.taxes).find((t) => t.isDefault)!.id;
  const id = inventoryId(store);
  store.products[id] = {
    id,
    kind: "product",
    name: fr ? "Retouche (ourlet)" : "Alterations (hem)",
    handle: "srv-900",
    sku: "SRV-900",
    price: "15.00",
    supplyPrice: "0",
    categoryId: category.id,
    taxId,
    supplierId: null,
    createdAt: store.retailer.createdAt,
    updatedAt: store.retailer.createdAt,
    version: nextVersion(store),
    hasInventory: false,
  };
}

function addCustomReasons(ctx: Ctx): void {
  const fr = french(ctx.store);
  const at = ctx.store.retailer.createdAt;
  const common = { enabled: true, fromExternalSource: false, at };
  createCustomReason(ctx, { ...common, name: fr ? "Usure en vitrine" : "Display wear", type: "NEGATIVE" });
  createCustomReason(ctx, { ...common, name: fr ? "Retour d'échantillon" : "Sample returned", type: "POSITIVE" });
}

type OutletHours = { register: { outletId: string }; open: number; close: number }[];

/** The day's inventory events (only for a store with the option), to run in time order with the sales. */
export function inventoryDay(ctx: Ctx, date: string, day: number, hours: OutletHours): DayEvent[] {
  const { store } = ctx;
  const rng = rngOf(store);
  const outlets = Object.keys(store.outlets);
  const first = outlets[0]!;
  const last = outlets[outlets.length - 1]!;
  const events: DayEvent[] = [];
  const add = (minute: number, run: DayEvent["run"]) => events.push({ minute, run });
  const during = (outletId: string) => {
    const own = hours.filter((h) => h.register.outletId === outletId);
    const open = Math.min(...own.map((h) => h.open));
    const close = Math.min(24 * 60, Math.max(...own.map((h) => h.close)));
    return rng.int(open + 30, close - 30);
  };

  const dayOfMonth = Number(date.slice(8, 10));
  if (dayOfMonth === 15) stocktakeEvents(ctx, first, add);
  if (dayOfMonth === 28 && outlets.length > 1) stocktakeEvents(ctx, last, add);
  const week = Math.floor(day / 7);
  if (day % 7 === 0) add(10 * 60, (at) => restock(ctx, first, week, { below: 110, upTo: 150 }, date, at));
  if (day % 7 === 3 && outlets.length > 1)
    add(10 * 60, (at) => restock(ctx, last, week + 2, { below: 40, upTo: 60 }, date, at));
  if (day % 7 === 1 && outlets.length > 1) add(9 * 60 + 30, (at) => transfer(ctx, first, last, date, at));
  for (const t of store.inventory.pendingTransfers.filter((p) => p.date === date))
    add(11 * 60 + 30, (at) => receiveTransfer(ctx, t.consignmentId, { at }));
  store.inventory.pendingTransfers = store.inventory.pendingTransfers.filter((p) => p.date !== date);
  if (day % 7 === 4) returnEvents(ctx, 10 * 60 + 15, 15 * 60 + 30, false, add);
  if (day % 14 === 10) returnEvents(ctx, 13 * 60, 16 * 60 + 10, true, add);

  const outletFor = () => (rng.chance(0.7) ? first : last);
  if (rng.chance(0.45)) {
    const o = outletFor();
    const qty = rng.chance(0.8) ? -1 : -2;
    add(during(o), (at) => adjust(ctx, o, "DAMAGE", qty, at));
  }
  if (rng.chance(0.3)) {
    const o = outletFor();
    add(during(o), (at) => adjust(ctx, o, "THEFT", -1, at));
  }
  if (day % 4 === 2) {
    const [reason, sign] = ROTATION[Math.floor(day / 4) % ROTATION.length]!;
    const o = outletFor();
    const qty = sign * rng.int(1, 2);
    add(during(o), (at) => adjust(ctx, o, reason, qty, at));
  }
  return events;
}

const ROTATION: [StockAdjustmentReason, 1 | -1][] = [
  ["EXPIRY", -1],
  ["INTERNAL_USE", -1],
  ["STOCK_FOUND", 1],
  ["DONATION", -1],
  ["CUSTOM", -1],
  ["SAMPLE_FOR_SALE", 1],
  ["CUSTOM", 1],
];

const tracked = (store: StoreState) => Object.values(store.products).filter(tracksInventory);
const onHand = (store: StoreState, productId: string, outletId: string) =>
  Number(levelOf(store, productId, outletId).onHand);

function adjust(ctx: Ctx, outletId: string, reason: StockAdjustmentReason, quantity: number, at: string): void {
  const { store } = ctx;
  const rng = rngOf(store);
  const candidates = tracked(store).filter((p) => quantity > 0 || onHand(store, p.id, outletId) >= -quantity);
  if (candidates.length === 0) return;
  const custom =
    reason === "CUSTOM"
      ? Object.values(store.inventory.customReasons).find((r) => r.type === (quantity > 0 ? "POSITIVE" : "NEGATIVE"))
      : undefined;
  if (reason === "CUSTOM" && !custom) return;
  recordAdjustment(ctx, {
    outletId,
    productId: rng.pick(candidates).id,
    quantity: String(quantity),
    reason,
    customReasonId: custom?.id,
    at,
    userId: rng.pick(store.users.slice(1)).id,
  });
}

/** A full count before opening: scheduled and started at 07:30, counted, processed and completed at 08:30. */
function stocktakeEvents(ctx: Ctx, outletId: string, add: (minute: number, run: DayEvent["run"]) => void): void {
  const { store } = ctx;
  let id: string | null = null;
  add(7 * 60 + 30, (at) => {
    const month = new Intl.DateTimeFormat(store.retailer.culture, {
      month: "long",
      year: "numeric",
      timeZone: store.retailer.timezone,
    }).format(new Date(at));
    const outlet = store.outlets[outletId]!.name;
    const name = french(store) ? `Inventaire ${month} – ${outlet}` : `Stocktake ${month} – ${outlet}`;
    id = createStocktake(ctx, { outletId, at, name }).id;
    startStocktake(ctx, id, at);
  });
  add(8 * 60 + 30, (at) => {
    if (!id) return;
    const rng = rngOf(store);
    const c = store.inventory.consignments[id]!;
    const deltas: number[] = c.products.map(() =>
      rng.weighted([
        [0, 80],
        [-1, 9],
        [-2, 3],
        [1, 6],
        [2, 2],
      ] as const),
    );
    // a count always finds something over and something short
    if (!deltas.some((x) => x > 0)) deltas[rng.int(0, deltas.length - 1)] = 1;
    if (!deltas.some((x) => x < 0)) deltas[deltas.indexOf(0)] = -1;
    const counts = c.products.map((p, i) => ({
      productId: p.productId,
      counted: String(Math.max(0, onHand(store, p.productId, outletId) + deltas[i]!)),
    }));
    countStocktake(ctx, id, counts, at);
    processStocktake(ctx, id, at);
    completeStocktake(ctx, id, at);
  });
}

function returnEvents(
  ctx: Ctx,
  openMinute: number,
  endMinute: number,
  cancel: boolean,
  add: (minute: number, run: DayEvent["run"]) => void,
): void {
  const { store } = ctx;
  let id: string | null = null;
  add(openMinute, (at) => {
    const rng = rngOf(store);
    const outlets = Object.keys(store.outlets);
    const outletId = rng.chance(0.7) ? outlets[0]! : outlets[outlets.length - 1]!;
    const supplier = rng.pick(Object.values(store.suppliers));
    const products = rng
      .shuffle(tracked(store).filter((p) => p.supplierId === supplier.id && onHand(store, p.id, outletId) >= 4))
      .slice(0, rng.int(1, 3));
    if (products.length === 0) return;
    const fr = french(store);
    id = createSupplierReturn(ctx, {
      supplierId: supplier.id,
      outletId,
      at,
      name: cancel ? (fr ? "Retour – annulé" : "Return – cancelled") : fr ? "Articles défectueux" : "Faulty items",
      lines: products.map((p) => ({ productId: p.id, quantity: rng.int(1, 2) })),
    }).id;
  });
  add(endMinute, (at) => {
    if (id) (cancel ? cancelConsignment : sendConsignment)(ctx, id, at);
  });
}

/** The `turn`-th supplier restocks the outlet's products below a level (up to 10); received three days later. */
function restock(
  ctx: Ctx,
  outletId: string,
  turn: number,
  level: { below: number; upTo: number },
  date: string,
  at: string,
): void {
  const { store } = ctx;
  const rng = rngOf(store);
  const suppliers = Object.values(store.suppliers);
  const supplier = suppliers[turn % suppliers.length]!;
  const low = tracked(store)
    .filter((p) => p.supplierId === supplier.id && onHand(store, p.id, outletId) < level.below)
    .sort((a, b) => onHand(store, a.id, outletId) - onHand(store, b.id, outletId) || (a.sku < b.sku ? -1 : 1))
    .slice(0, 10);
  if (low.length === 0) return;
  const factor = dec(rng.pick(["1", "1.02", "1.035", "1.05", "0.97"]));
  const po = createPurchaseOrder(store, {
    supplierId: supplier.id,
    outletId,
    at,
    dueAt: new Date(Date.parse(at) + 3 * 86_400_000).toISOString(),
    notes: french(store) ? "Réassort hebdomadaire" : "Weekly restock",
    lines: low.map((p: ProductRec) => ({
      productId: p.id,
      quantity: String(Math.ceil((level.upTo - onHand(store, p.id, outletId)) / 6) * 6),
      costPrice: formatDec(roundDec(mulDec(dec(p.supplyPrice), factor), 2, "half-up"), 2),
    })),
  });
  ctx.hooks.consignmentSent(store, po.id);
  store.trading.receipts.push({
    date: addDays(date, 3),
    purchaseOrderId: po.id,
    lines: null,
    costs: rng.chance(0.5) ? [{ type: "SHIPPING", amount: "18.50" }] : [],
    discounts: [],
    supplierInvoice: `RS-${po.orderNumber}`,
  });
}

/** The destination's lowest products topped up from the source, sent now, received the next day. */
function transfer(ctx: Ctx, from: string, to: string, date: string, at: string): void {
  const { store } = ctx;
  const rng = rngOf(store);
  const low = tracked(store)
    .sort((a, b) => onHand(store, a.id, to) - onHand(store, b.id, to) || (a.sku < b.sku ? -1 : 1))
    .slice(0, 8);
  const lines = rng
    .shuffle(low)
    .slice(0, rng.int(3, 4))
    .map((p) => ({
      productId: p.id,
      quantity: Math.min(Math.max(2, 45 - onHand(store, p.id, to)), 12, onHand(store, p.id, from) - 20),
    }))
    .filter((l) => l.quantity >= 1);
  if (lines.length === 0) return;
  const c = createTransfer(ctx, {
    sourceOutletId: from,
    outletId: to,
    at,
    lines,
    dueAt: localToUtc(addDays(date, 1), 16 * 60, store.retailer.timezone).toISOString(),
  });
  sendConsignment(ctx, c.id, at);
  store.inventory.pendingTransfers.push({ date: addDays(date, 1), consignmentId: c.id });
}
