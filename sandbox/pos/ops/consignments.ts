import { cmpDec, type Dec, negDec, subDec } from "../../../shared/money";
import type { ConsignmentProductRec, ConsignmentRec, InventoryConsignmentType } from "../inventory-types";
import { dec, text, ZERO } from "../pricing";
import { must, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoZ, parseInstant } from "../time";
import type { StoreState } from "../types";
import { averageCostOf, inventoryId, levelOf, moveStock, tracksInventory } from "./stock";

/**
 * Supplier returns (RETURN: OPEN → SENT, or CANCELLED), transfers between outlets (OUTLET: OPEN → SENT
 * → RECEIVED, or CANCELLED while OPEN) and stocktakes (STOCKTAKE: STOCKTAKE_SCHEDULED →
 * STOCKTAKE_IN_PROGRESS → STOCKTAKE_IN_PROGRESS_PROCESSED → STOCKTAKE_COMPLETE, or CANCELLED before
 * complete), with the workflows the spec's `POST /consignments` describes. Stock moves only when a
 * return or transfer is SENT (out of the source), a transfer RECEIVED (into the destination) and a
 * stocktake COMPLETE (by counted − expected).
 */

export interface ConsignmentLineSpec {
  productId: string;
  quantity: string | number;
  /** Returns: the unit credit price (default the product's supply price). */
  cost?: string | number | undefined;
}

export interface NewSupplierReturn {
  supplierId: string;
  outletId: string;
  at?: string | undefined;
  name?: string | undefined;
  lines: ConsignmentLineSpec[];
}

export interface NewTransfer {
  sourceOutletId: string;
  outletId: string;
  at?: string | undefined;
  name?: string | undefined;
  dueAt?: string | undefined;
  lines: ConsignmentLineSpec[];
}

export interface NewStocktake {
  outletId: string;
  at?: string | undefined;
  name?: string | undefined;
  /** Which products to count; default every product with inventory. */
  productIds?: string[] | undefined;
}

const instant = (ctx: Ctx, at: string | undefined) => isoZ(at ? parseInstant(at) : ctx.now());

export function inventoryConsignment(store: StoreState, id: string): ConsignmentRec {
  return must(store.inventory.consignments[id], `consignment ${id}`);
}

function positive(value: string | number, what: string): Dec {
  const d = dec(value);
  if (cmpDec(d, ZERO) <= 0) throw new PosSandboxError(400, `${what} must be positive`);
  return d;
}

function trackedProduct(store: StoreState, productId: string) {
  const product = must(store.products[productId], `product ${productId}`);
  if (!tracksInventory(product)) throw new PosSandboxError(422, `product ${product.sku} has no inventory`);
  return product;
}

function productLine(store: StoreState, at: string, p: Partial<ConsignmentProductRec>): ConsignmentProductRec {
  return {
    id: inventoryId(store),
    productId: p.productId!,
    count: p.count ?? null,
    received: p.received ?? null,
    cost: p.cost ?? null,
    createdAt: at,
    updatedAt: at,
    version: nextVersion(store),
  };
}

function newConsignment(
  store: StoreState,
  type: InventoryConsignmentType,
  fields: Pick<ConsignmentRec, "status" | "name" | "reference" | "outletId"> & Partial<ConsignmentRec>,
  at: string,
): ConsignmentRec {
  const c: ConsignmentRec = {
    id: inventoryId(store),
    type,
    sourceOutletId: null,
    supplierId: null,
    supplierInvoice: null,
    userId: store.users[0]!.id,
    createdAt: at,
    updatedAt: at,
    dueAt: null,
    sentAt: null,
    receivedAt: null,
    processedAt: null,
    completedAt: null,
    cancelledAt: null,
    products: [],
    version: 0,
    ...fields,
  };
  return c;
}

function save(store: StoreState, c: ConsignmentRec, at: string): ConsignmentRec {
  c.updatedAt = at;
  c.version = nextVersion(store);
  store.inventory.consignments[c.id] = c;
  return c;
}

function nextReference(store: StoreState, outletId: string): string {
  const outlet = must(store.outlets[outletId], `outlet ${outletId}`);
  store.counters.orderNumber += 1;
  return `${outlet.orderPrefix}${store.counters.orderNumber}`;
}

export function createSupplierReturn(ctx: Ctx, o: NewSupplierReturn): ConsignmentRec {
  const { store } = ctx;
  must(store.suppliers[o.supplierId], `supplier ${o.supplierId}`);
  if (o.lines.length === 0) throw new PosSandboxError(400, "a return needs at least one product");
  const lines = o.lines.map((l) => {
    const product = trackedProduct(store, l.productId);
    const cost = l.cost === undefined ? dec(product.supplyPrice) : dec(l.cost);
    if (cmpDec(cost, ZERO) < 0) throw new PosSandboxError(400, "a cost cannot be negative");
    return { productId: product.id, count: text(positive(l.quantity, "a returned quantity")), cost: text(cost) };
  });
  const at = instant(ctx, o.at);
  const reference = nextReference(store, o.outletId);
  const c = newConsignment(
    store,
    "RETURN",
    {
      status: "OPEN",
      name: o.name ?? `Return - ${reference}`,
      reference,
      outletId: o.outletId,
      supplierId: o.supplierId,
    },
    at,
  );
  c.products = lines.map((l) => productLine(store, at, { ...l, received: "0" }));
  return save(store, c, at);
}

export function createTransfer(ctx: Ctx, o: NewTransfer): ConsignmentRec {
  const { store } = ctx;
  must(store.outlets[o.sourceOutletId], `outlet ${o.sourceOutletId}`);
  must(store.outlets[o.outletId], `outlet ${o.outletId}`);
  if (o.sourceOutletId === o.outletId) throw new PosSandboxError(400, "a transfer needs two different outlets");
  if (o.lines.length === 0) throw new PosSandboxError(400, "a transfer needs at least one product");
  const lines = o.lines.map((l) => ({
    productId: trackedProduct(store, l.productId).id,
    count: text(positive(l.quantity, "a transferred quantity")),
  }));
  const at = instant(ctx, o.at);
  const reference = nextReference(store, o.sourceOutletId);
  const c = newConsignment(
    store,
    "OUTLET",
    {
      status: "OPEN",
      name: o.name ?? `Transfer - ${reference}`,
      reference,
      outletId: o.outletId,
      sourceOutletId: o.sourceOutletId,
      dueAt: o.dueAt ? isoZ(parseInstant(o.dueAt)) : null,
    },
    at,
  );
  c.products = lines.map((l) => productLine(store, at, { ...l, received: "0" }));
  return save(store, c, at);
}

/**
 * OPEN → SENT. A return's stock leaves at its cost; a transfer's cost is set to the source outlet's
 * average now (the spec: "populated … at the time of marking the consignment as sent") and leaves at it.
 */
export function sendConsignment(ctx: Ctx, id: string, atText?: string): ConsignmentRec {
  const { store } = ctx;
  const c = inventoryConsignment(store, id);
  if (c.type === "STOCKTAKE") throw new PosSandboxError(409, "a stocktake is not sent");
  if (c.status !== "OPEN") throw new PosSandboxError(409, `consignment ${c.reference} is ${c.status}`);
  const at = instant(ctx, atText);
  const from = c.sourceOutletId ?? c.outletId;
  for (const p of c.products) {
    p.cost ??= text(averageCostOf(store, p.productId, from));
    p.updatedAt = at;
    p.version = nextVersion(store);
    moveStock(ctx, {
      at,
      outletId: from,
      productId: p.productId,
      kind: c.type === "RETURN" ? "supplier_return" : "transfer_out",
      sourceId: c.id,
      lineId: p.id,
      quantity: negDec(dec(p.count!)),
      unitCost: dec(p.cost),
    });
  }
  c.status = "SENT";
  c.sentAt = at;
  save(store, c, at);
  ctx.hooks.consignmentSent(store, c.id);
  return c;
}

export function cancelConsignment(ctx: Ctx, id: string, atText?: string): ConsignmentRec {
  const { store } = ctx;
  const c = inventoryConsignment(store, id);
  const cancellable = c.type === "STOCKTAKE" ? c.status !== "STOCKTAKE_COMPLETE" : c.status === "OPEN";
  if (!cancellable) throw new PosSandboxError(409, `consignment ${c.reference ?? c.name} is ${c.status}`);
  const at = instant(ctx, atText);
  c.status = "CANCELLED";
  c.cancelledAt = at;
  return save(store, c, at);
}

/** SENT → RECEIVED: the destination takes what arrived (default everything sent) at the sent cost. */
export function receiveTransfer(
  ctx: Ctx,
  id: string,
  spec: { at?: string | undefined; lines?: { productId: string; quantity: string | number }[] | undefined } = {},
): ConsignmentRec {
  const { store } = ctx;
  const c = inventoryConsignment(store, id);
  if (c.type !== "OUTLET") throw new PosSandboxError(409, "only a transfer is received here");
  if (c.status !== "SENT") throw new PosSandboxError(409, `transfer ${c.reference} is ${c.status}`);
  const at = instant(ctx, spec.at);
  for (const p of c.products) {
    const given = spec.lines?.find((l) => l.productId === p.productId);
    const received = spec.lines ? dec(given?.quantity ?? 0) : dec(p.count!);
    if (cmpDec(received, ZERO) < 0) throw new PosSandboxError(400, "a received quantity cannot be negative");
    p.received = text(received);
    p.updatedAt = at;
    p.version = nextVersion(store);
    if (cmpDec(received, ZERO) === 0) continue;
    moveStock(ctx, {
      at,
      outletId: c.outletId,
      productId: p.productId,
      kind: "transfer_in",
      sourceId: c.id,
      lineId: p.id,
      quantity: received,
      unitCost: dec(p.cost!),
    });
  }
  c.status = "RECEIVED";
  c.receivedAt = at;
  save(store, c, at);
  ctx.hooks.consignmentReceived(store, c.id);
  return c;
}

export function createStocktake(ctx: Ctx, o: NewStocktake): ConsignmentRec {
  const { store } = ctx;
  must(store.outlets[o.outletId], `outlet ${o.outletId}`);
  const at = instant(ctx, o.at);
  const ids =
    o.productIds ??
    Object.values(store.products)
      .filter(tracksInventory)
      .map((p) => p.id);
  if (ids.length === 0) throw new PosSandboxError(400, "a stocktake needs at least one product");
  for (const id of ids) trackedProduct(store, id);
  const c = newConsignment(
    store,
    "STOCKTAKE",
    { status: "STOCKTAKE_SCHEDULED", name: o.name ?? "Stocktake", reference: null, outletId: o.outletId },
    at,
  );
  c.products = ids.map((productId) => productLine(store, at, { productId }));
  return save(store, c, at);
}

function stocktakeIn(ctx: Ctx, id: string, ...statuses: ConsignmentRec["status"][]): ConsignmentRec {
  const c = inventoryConsignment(ctx.store, id);
  if (c.type !== "STOCKTAKE") throw new PosSandboxError(409, "not a stocktake");
  if (!statuses.includes(c.status)) throw new PosSandboxError(409, `stocktake ${c.name} is ${c.status}`);
  return c;
}

export function startStocktake(ctx: Ctx, id: string, atText?: string): ConsignmentRec {
  const c = stocktakeIn(ctx, id, "STOCKTAKE_SCHEDULED");
  c.status = "STOCKTAKE_IN_PROGRESS";
  return save(ctx.store, c, instant(ctx, atText));
}

/** Counted quantities (`received`), while in progress; a product counted again takes the new count. */
export function countStocktake(
  ctx: Ctx,
  id: string,
  counts: { productId: string; counted: string | number }[],
  atText?: string,
): ConsignmentRec {
  const { store } = ctx;
  const c = stocktakeIn(ctx, id, "STOCKTAKE_IN_PROGRESS");
  const at = instant(ctx, atText);
  for (const n of counts) {
    const p = must(
      c.products.find((x) => x.productId === n.productId),
      `product ${n.productId} in stocktake ${c.name}`,
    );
    const counted = dec(n.counted);
    if (cmpDec(counted, ZERO) < 0) throw new PosSandboxError(400, "a counted quantity cannot be negative");
    p.received = text(counted);
    p.updatedAt = at;
    p.version = nextVersion(store);
  }
  return save(store, c, at);
}

/**
 * IN_PROGRESS → IN_PROGRESS_PROCESSED: each product's expected quantity (`count`) and unit cost (`cost`)
 * are fixed at the outlet's on hand and average now; a product not counted counts 0.
 */
export function processStocktake(ctx: Ctx, id: string, atText?: string): ConsignmentRec {
  const { store } = ctx;
  const c = stocktakeIn(ctx, id, "STOCKTAKE_IN_PROGRESS");
  const at = instant(ctx, atText);
  for (const p of c.products) {
    const level = levelOf(store, p.productId, c.outletId);
    p.count = level.onHand;
    p.cost = level.averageCost;
    p.received ??= "0";
    p.updatedAt = at;
    p.version = nextVersion(store);
  }
  c.status = "STOCKTAKE_IN_PROGRESS_PROCESSED";
  c.processedAt = at;
  return save(store, c, at);
}

/**
 * → STOCKTAKE_COMPLETE: stock moves by counted − expected at the stocktake's cost (sales made since
 * processing stay counted). Gains come in and losses go out at the processed cost.
 */
export function completeStocktake(ctx: Ctx, id: string, atText?: string): ConsignmentRec {
  const { store } = ctx;
  const c = stocktakeIn(ctx, id, "STOCKTAKE_IN_PROGRESS_PROCESSED");
  const at = instant(ctx, atText);
  for (const p of c.products) {
    const diff = subDec(dec(p.received!), dec(p.count!));
    if (cmpDec(diff, ZERO) === 0) continue;
    moveStock(ctx, {
      at,
      outletId: c.outletId,
      productId: p.productId,
      kind: "stocktake",
      sourceId: c.id,
      lineId: p.id,
      quantity: diff,
      unitCost: dec(p.cost!),
    });
  }
  c.status = "STOCKTAKE_COMPLETE";
  c.completedAt = at;
  return save(store, c, at);
}

/** The whole count in one go: scheduled, started, counted, processed and (by default) completed at `at`. */
export function runStocktake(
  ctx: Ctx,
  o: NewStocktake & { counts: { productId: string; counted: string | number }[]; complete?: boolean | undefined },
): ConsignmentRec {
  const c = createStocktake(ctx, o);
  startStocktake(ctx, c.id, o.at);
  countStocktake(ctx, c.id, o.counts, o.at);
  processStocktake(ctx, c.id, o.at);
  return o.complete === false ? c : completeStocktake(ctx, c.id, o.at);
}
