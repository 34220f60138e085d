import type { GiftCardExpiry, PurchaseOrderReceipt, StoreCreditIssue } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { upsertObjectStatement } from "../db/pos-objects";
import { PosClient } from "./client";
import { toGiftCardExpiries, toStoreCreditIssues } from "./mappers/liabilities";
import { toConsignmentReceipt, toPurchaseOrderReceipts } from "./mappers/purchase-order";
import { toSupplier } from "./mappers/reference";
import { readObject } from "./read";
import { customersByIds, loadReference, productsByIds } from "./reference";
import { RawConsignment, RawPurchaseOrder } from "./schemas";
import type { PosServices } from "./tokens";

/**
 * Purchase orders (2026-07 `/purchase_orders` with deliveries; the 2.0 SUPPLIER consignments when a
 * store's API has no purchase orders), gift-card expiries and manual store-credit issues: what the
 * sync engine discovers and loads besides closures and sales.
 */

export interface ChangedOrder {
  id: string;
  version: string;
  status: string;
  source: "purchase_orders" | "consignments";
}

/** Pages purchase orders changed since the cursor into pos_objects (falls back to consignments). */
export async function syncPurchaseOrders(s: PosServices, tenantId: string, client: PosClient): Promise<ChangedOrder[]> {
  try {
    return await syncOrders(s, tenantId, client, "/purchase_orders", "purchase_orders", {});
  } catch (e) {
    if (!(e instanceof TillbridgeError && e.code === "pos_not_found")) throw e;
    return syncOrders(s, tenantId, client, "/consignments", "consignments", { type: "SUPPLIER" });
  }
}

async function syncOrders(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  path: string,
  resource: ChangedOrder["source"],
  query: Record<string, string>,
): Promise<ChangedOrder[]> {
  const changed: ChangedOrder[] = [];
  const kind = resource === "purchase_orders" ? "purchase_order" : "consignment";
  const after = (await getCursor(s.db, tenantId, resource)) ?? "0";
  for await (const page of client.pages(path, {
    after,
    query,
    pageSize: resource === "purchase_orders" ? 1000 : 200,
  })) {
    const stmts: D1PreparedStatement[] = [];
    for (const raw of page.items) {
      try {
        const o =
          resource === "purchase_orders"
            ? readObject(RawPurchaseOrder, raw, "purchase order")
            : readObject(RawConsignment, raw, "consignment");
        const version = o.version ?? "0";
        stmts.push(upsertObjectStatement(s.db, tenantId, kind, { id: o.id, version, json: raw }, s.now()));
        changed.push({ id: o.id, version, status: (o.status ?? "").toUpperCase(), source: resource });
      } catch (e) {
        s.log.warn(`pos ${kind} skipped`, { error: e instanceof TillbridgeError ? e.detail : String(e) });
      }
    }
    stmts.push(advanceCursorStatement(s.db, tenantId, resource, page.max, s.now()));
    await s.db.batch(stmts);
  }
  return changed;
}

/**
 * The receipts of one supplier order, read fresh: one per received delivery (2026-07), or one for
 * a RECEIVED SUPPLIER consignment (2.0). Empty when nothing is received yet.
 */
export async function loadPurchaseOrderReceipts(
  s: PosServices,
  tenantId: string,
  orderId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<PurchaseOrderReceipt[]> {
  const id = encodeURIComponent(orderId);
  const ref = await loadReference(s, tenantId, client);
  const outletOf = (outletId: string | null | undefined) => {
    const outlet = ref.outlets.find((o) => o.id === outletId);
    if (!outlet)
      throw new TillbridgeError("pos_not_found", `outlet ${outletId ?? "(none)"} of purchase order ${orderId}`);
    return outlet;
  };
  const supplierOf = async (supplierId: string | null | undefined) => {
    if (!supplierId)
      throw new TillbridgeError("pos_payload_invalid", `purchase order ${orderId}: supplier_id: missing`);
    return toSupplier(await client.getOne(`/suppliers/${encodeURIComponent(supplierId)}`));
  };

  let rawOrder: unknown;
  try {
    rawOrder = await client.getOne(`/purchase_orders/${id}`);
  } catch (e) {
    if (!(e instanceof TillbridgeError && e.code === "pos_not_found")) throw e;
    const rawConsignment = await client.getOne(`/consignments/${id}`);
    const c = readObject(RawConsignment, rawConsignment, "consignment");
    const rawProducts = await client.all(`/consignments/${id}/products`);
    const products = await productsByIds(
      s,
      tenantId,
      client,
      rawProducts.map((p) => String((p as { product_id?: unknown })?.product_id ?? "")).filter(Boolean),
    );
    const receipt = toConsignmentReceipt(rawConsignment, rawProducts, {
      supplier: await supplierOf(c.supplier_id),
      outlet: outletOf(c.outlet_id),
      product: (pid) => products.find((p) => p.id === pid),
    });
    return receipt ? [receipt] : [];
  }
  const po = readObject(RawPurchaseOrder, rawOrder, "purchase order");
  const deliveries = await client.all(`/purchase_orders/${id}/deliveries`);
  const withLines = [];
  for (const d of deliveries) {
    const deliveryId = (d as { id?: unknown })?.id;
    const received = (d as { received_at?: unknown; status?: unknown }) ?? {};
    const lines =
      typeof deliveryId === "string" && (received.received_at || String(received.status).toUpperCase() === "RECEIVED")
        ? await client.all(`/purchase_orders/${id}/deliveries/${encodeURIComponent(deliveryId)}/line_items`)
        : [];
    withLines.push({ delivery: d, lines });
  }
  if (!withLines.some((d) => d.lines.length)) return [];
  const orderLines = await client.all(`/purchase_orders/${id}/line_items`);
  const productIds = withLines
    .flatMap((d) => d.lines.map((l) => String((l as { product_id?: unknown })?.product_id ?? "")))
    .filter(Boolean);
  const products = await productsByIds(s, tenantId, client, productIds);
  return toPurchaseOrderReceipts(
    rawOrder,
    withLines,
    {
      supplier: await supplierOf(po.supplier_id),
      outlet: outletOf(po.delivery_outlet_id),
      product: (pid) => products.find((p) => p.id === pid),
    },
    orderLines,
  );
}

/** Gift cards that expired (EXPIRING transactions), dated in the retailer's time zone. */
export async function listGiftCardExpiries(
  s: PosServices,
  tenantId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<GiftCardExpiry[]> {
  const ref = await loadReference(s, tenantId, client);
  const cards = await client.giftCards({ status: "EXPIRED" });
  return toGiftCardExpiries(cards, ref.retailer.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC");
}

/** Store credit issued by hand (ISSUE without a sale), with its customer. */
export async function listStoreCreditIssues(
  s: PosServices,
  tenantId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<StoreCreditIssue[]> {
  const ref = await loadReference(s, tenantId, client);
  const body = await client.get("/store_credits", { "includes[]": "customer", page_size: 1000 });
  const list = Array.isArray(body)
    ? body
    : Array.isArray((body as { data?: unknown })?.data)
      ? ((body as { data: unknown[] }).data as unknown[])
      : [];
  // Customers the payload did not embed, of entries with a manual issue: read only those.
  const ids = list
    .filter((r) => {
      const e = r as { customer?: unknown; store_credit_transactions?: { type?: unknown; sale_id?: unknown }[] };
      return (
        e?.customer == null &&
        (e?.store_credit_transactions ?? []).some((t) => String(t?.type).toUpperCase() === "ISSUE" && !t?.sale_id)
      );
    })
    .map((r) => (r as { customer_id?: unknown })?.customer_id)
    .filter((x): x is string => typeof x === "string");
  const customers = await customersByIds(s, tenantId, client, ids);
  return toStoreCreditIssues(
    list,
    (cid) => customers.find((c) => c.id === cid),
    ref.retailer.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC",
  );
}
