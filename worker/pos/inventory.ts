import type { StockAdjustment, Stocktake, StockTransfer, SupplierReturn } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { addDec, mulDec, parseDec, toMinor } from "../../shared/money";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { getObject, upsertObjectStatement } from "../db/pos-objects";
import { PosClient } from "./client";
import {
  consignmentState,
  toStockAdjustment,
  toStocktake,
  toStockTransfer,
  toSupplierReturn,
} from "./mappers/inventory";
import { toSupplier } from "./mappers/reference";
import { readObject } from "./read";
import { loadReference, productsByIds } from "./reference";
import { RawConsignment, RawStockAdjustment } from "./schemas";
import type { PosServices } from "./tokens";

/**
 * The inventory documents besides purchase orders (SPEC §4.5): supplier returns (consignment
 * RETURN) and stocktakes (STOCKTAKE) read fresh from the POS; stock adjustments paged by their
 * version cursor into pos_objects, each with the product's average cost at the outlet as
 * `GET /inventory/{product_id}` answered when Tillbridge first saw it (the record carries no cost, and
 * the API answers only the current average: read once, as soon as seen, and kept).
 */

/** The key under which a stored stock adjustment keeps the average cost read when it was first seen. */
const AVERAGE_SEEN = "tillbridge_average_cost";

export interface ChangedAdjustment {
  id: string;
  outletId: string;
  createdAt: string;
}

/**
 * Pages stock adjustments changed since the cursor into pos_objects (an average already read for one
 * is kept). Valuing is separate (`valueStockAdjustment`): only the adjustments Tillbridge posts are
 * worth a request each, not a store's whole history on the first run.
 */
export async function syncStockAdjustments(
  s: PosServices,
  tenantId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<ChangedAdjustment[]> {
  const changed: ChangedAdjustment[] = [];
  const after = (await getCursor(s.db, tenantId, "stock_adjustments")) ?? "0";
  for await (const page of client.pages("/stock_adjustments", { after, pageSize: 1000 })) {
    const stmts: D1PreparedStatement[] = [];
    for (const raw of page.items) {
      let a: RawStockAdjustment;
      try {
        a = readObject(RawStockAdjustment, raw, "stock adjustment");
      } catch (e) {
        s.log.warn("pos stock adjustment skipped", { error: e instanceof TillbridgeError ? e.detail : String(e) });
        continue;
      }
      const kept = await getObject(s.db, tenantId, "stock_adjustment", a.id);
      const seen = (kept?.json as Record<string, unknown> | undefined)?.[AVERAGE_SEEN];
      const json = {
        ...(raw as Record<string, unknown>),
        ...(typeof seen === "string" ? { [AVERAGE_SEEN]: seen } : {}),
      };
      stmts.push(
        upsertObjectStatement(
          s.db,
          tenantId,
          "stock_adjustment",
          { id: a.id, version: a.version ?? "0", json },
          s.now(),
        ),
      );
      changed.push({ id: a.id, outletId: a.outlet_id, createdAt: a.created_at });
    }
    stmts.push(advanceCursorStatement(s.db, tenantId, "stock_adjustments", page.max, s.now()));
    await s.db.batch(stmts);
  }
  return changed;
}

/**
 * Reads and keeps a stored adjustment's average cost (GET /inventory/{product_id}) unless it has one:
 * read as soon as the adjustment is seen, it is the average it moved at unless stock came in since.
 * Returns the stored JSON with it.
 */
export async function valueStockAdjustment(
  s: PosServices,
  tenantId: string,
  adjustmentId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<Record<string, unknown>> {
  const kept = await getObject(s.db, tenantId, "stock_adjustment", adjustmentId);
  if (!kept) throw new TillbridgeError("pos_not_found", `stock adjustment ${adjustmentId}`);
  const raw = kept.json as Record<string, unknown>;
  if (typeof raw[AVERAGE_SEEN] === "string") return raw;
  const a = readObject(RawStockAdjustment, raw, "stock adjustment");
  const average = await averageCost(client, a.product_id, a.outlet_id);
  if (average === null) return raw;
  const json = { ...raw, [AVERAGE_SEEN]: average };
  await upsertObjectStatement(
    s.db,
    tenantId,
    "stock_adjustment",
    { id: a.id, version: kept.version, json },
    s.now(),
  ).run();
  return json;
}

/** The product's average cost at the outlet now (null: the POS keeps no inventory record of it there). */
async function averageCost(client: PosClient, productId: string, outletId: string): Promise<string | null> {
  const levels = await client.getOne(`/inventory/${encodeURIComponent(productId)}`);
  const list = Array.isArray(levels) ? levels : [];
  const level = list.find((l) => (l as { outlet_id?: unknown })?.outlet_id === outletId) as
    | { average_cost?: unknown }
    | undefined;
  return level?.average_cost === undefined || level.average_cost === null ? null : String(level.average_cost);
}

/** A stock adjustment Tillbridge has seen, valued at the average cost read when it was first seen. */
export async function loadStockAdjustment(
  s: PosServices,
  tenantId: string,
  adjustmentId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<StockAdjustment> {
  const raw = await valueStockAdjustment(s, tenantId, adjustmentId, client);
  const a = readObject(RawStockAdjustment, raw, "stock adjustment");
  const ref = await loadReference(s, tenantId, client);
  const outlet = ref.outlets.find((o) => o.id === a.outlet_id);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${a.outlet_id} of stock adjustment ${adjustmentId}`);
  const [product] = await productsByIds(s, tenantId, client, [a.product_id]);
  const average = raw[AVERAGE_SEEN];
  const levels =
    typeof average === "string" ? [{ outlet_id: a.outlet_id, product_id: a.product_id, average_cost: average }] : [];
  let customReason: string | null = null;
  if (a.custom_inventory_adjustment_reason_id) {
    const reasons = await client.all("/custom_inventory_adjustment_reasons");
    const found = reasons.find((r) => (r as { id?: unknown })?.id === a.custom_inventory_adjustment_reason_id) as
      | { name?: unknown }
      | undefined;
    customReason = typeof found?.name === "string" ? found.name : null;
  }
  return toStockAdjustment(raw, levels, {
    outlet,
    product: (id) => (product && product.id === id ? { name: product.name, sku: product.sku } : undefined),
    customReason,
  });
}

export interface ChangedConsignment {
  id: string;
  outletId: string;
  status: string;
  updatedAt: string | null;
  receivedAt: string | null;
}

const CONSIGNMENT_CURSORS = { STOCKTAKE: "stocktakes", OUTLET: "transfers", RETURN: "supplier_returns" } as const;

/** Consignments of one type changed since that type's own cursor. */
export async function syncConsignments(
  s: PosServices,
  tenantId: string,
  type: keyof typeof CONSIGNMENT_CURSORS,
  client = PosClient.forTenant(s, tenantId),
): Promise<ChangedConsignment[]> {
  const changed: ChangedConsignment[] = [];
  const cursor = CONSIGNMENT_CURSORS[type];
  const after = (await getCursor(s.db, tenantId, cursor)) ?? "0";
  for await (const page of client.pages("/consignments", { after, query: { type }, pageSize: 200 })) {
    for (const raw of page.items) {
      try {
        const c = readObject(RawConsignment, raw, "consignment");
        if (c.type.toUpperCase() === type)
          changed.push({
            id: c.id,
            outletId: c.outlet_id,
            status: c.status.toUpperCase(),
            updatedAt: c.updated_at ?? null,
            receivedAt: c.received_at ?? null,
          });
      } catch (e) {
        s.log.warn("pos consignment skipped", { error: e instanceof TillbridgeError ? e.detail : String(e) });
      }
    }
    await advanceCursorStatement(s.db, tenantId, cursor, page.max, s.now()).run();
  }
  return changed;
}

/** A transfer between outlets once received; a `conflict` before. */
export async function loadStockTransfer(
  s: PosServices,
  tenantId: string,
  transferId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<StockTransfer> {
  const id = encodeURIComponent(transferId);
  const raw = await client.getOne(`/consignments/${id}`);
  const state = consignmentState(raw);
  if (state.type !== "OUTLET") throw new TillbridgeError("bad_request", `consignment ${transferId} is not a transfer`);
  if (state.status !== "RECEIVED" || state.deleted)
    throw new TillbridgeError("conflict", `transfer ${transferId} is not received: a transfer posts once received`);
  const c = readObject(RawConsignment, raw, "consignment");
  const ref = await loadReference(s, tenantId, client);
  const outlet = ref.outlets.find((o) => o.id === c.outlet_id);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${c.outlet_id} of transfer ${transferId}`);
  const rawProducts = await client.all(`/consignments/${id}/products`);
  const productIds = rawProducts.map((p) => String((p as { product_id?: unknown })?.product_id ?? "")).filter(Boolean);
  const products = await productsByIds(s, tenantId, client, productIds);
  const found = toStockTransfer(raw, rawProducts, { outlet, product: (pid) => products.find((p) => p.id === pid) });
  if (!found) throw new TillbridgeError("conflict", `transfer ${transferId} has nothing to post`);
  return found;
}

/** A completed stocktake; a `conflict` while it is scheduled, in progress or cancelled. */
export async function loadStocktake(
  s: PosServices,
  tenantId: string,
  stocktakeId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<Stocktake> {
  const id = encodeURIComponent(stocktakeId);
  const raw = await client.getOne(`/consignments/${id}`);
  const state = consignmentState(raw);
  if (state.type !== "STOCKTAKE")
    throw new TillbridgeError("bad_request", `consignment ${stocktakeId} is not a stocktake`);
  if (state.status !== "STOCKTAKE_COMPLETE" || state.deleted)
    throw new TillbridgeError("conflict", `stocktake ${stocktakeId} is not complete: only a completed stocktake posts`);
  const c = readObject(RawConsignment, raw, "consignment");
  const ref = await loadReference(s, tenantId, client);
  const outlet = ref.outlets.find((o) => o.id === c.outlet_id);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${c.outlet_id} of stocktake ${stocktakeId}`);
  const rawProducts = await client.all(`/consignments/${id}/products`);
  const productIds = rawProducts.map((p) => String((p as { product_id?: unknown })?.product_id ?? "")).filter(Boolean);
  const products = await productsByIds(s, tenantId, client, productIds);
  const found = toStocktake(raw, rawProducts, { outlet, product: (pid) => products.find((p) => p.id === pid) });
  if (!found) throw new TillbridgeError("conflict", `stocktake ${stocktakeId} has nothing to post`);
  return found;
}

/** A supplier return once SENT; a `conflict` while it is open, cancelled or not a return at all. */
export async function loadSupplierReturn(
  s: PosServices,
  tenantId: string,
  returnId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<SupplierReturn> {
  const id = encodeURIComponent(returnId);
  const raw = await client.getOne(`/consignments/${id}`);
  const state = consignmentState(raw);
  if (state.type !== "RETURN")
    throw new TillbridgeError("bad_request", `consignment ${returnId} is not a supplier return`);
  if (state.status !== "SENT" || state.deleted)
    throw new TillbridgeError(
      "conflict",
      `supplier return ${returnId} is ${state.deleted ? "deleted" : state.status.toLowerCase()}: only a sent return posts`,
    );
  const c = readObject(RawConsignment, raw, "consignment");
  const ref = await loadReference(s, tenantId, client);
  const outlet = ref.outlets.find((o) => o.id === c.outlet_id);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${c.outlet_id} of supplier return ${returnId}`);
  if (!c.supplier_id)
    throw new TillbridgeError("pos_payload_invalid", `supplier return ${returnId}: supplier_id: missing`);
  const supplier = toSupplier(await client.getOne(`/suppliers/${encodeURIComponent(c.supplier_id)}`));
  const rawProducts = await client.all(`/consignments/${id}/products`);
  const productIds = rawProducts.map((p) => String((p as { product_id?: unknown })?.product_id ?? "")).filter(Boolean);
  const products = await productsByIds(s, tenantId, client, productIds);
  const found = toSupplierReturn(raw, rawProducts, {
    outlet,
    supplier,
    product: (pid) => products.find((p) => p.id === pid),
  });
  if (!found) throw new TillbridgeError("conflict", `supplier return ${returnId} has nothing to post`);
  return found;
}

/**
 * The POS's own inventory value now: Σ on hand × average cost over every `Inventory` record
 * (`POST /inventory`, a bare array paged by version), exact, rounded half-up once. The POS keeps
 * no value for a past date: a roll-forward compares it with the books' balance now.
 */
export async function inventoryValueNow(
  s: PosServices,
  tenantId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<{ valueNowMinor: number; products: number }> {
  const size = 5000;
  let after = 0;
  let total = parseDec("0");
  let products = 0;
  for (;;) {
    const body = await client.send("POST", "/inventory", { after, size, sort_direction: "asc" });
    const list = Array.isArray(body) ? body : [];
    for (const raw of list) {
      const r = raw as {
        current_inventory_level?: unknown;
        average_cost?: unknown;
        deleted_at?: unknown;
        version?: unknown;
      };
      if (typeof r.version === "number" && r.version > after) after = r.version;
      if (r.deleted_at) continue;
      const onHand = parseDec(String(r.current_inventory_level ?? 0));
      const average = parseDec(String(r.average_cost ?? 0));
      total = addDec(total, mulDec(onHand, average));
      products++;
    }
    if (list.length < size) break;
  }
  return { valueNowMinor: toMinor(total, "half-up"), products };
}
