import { Hono } from "hono";
import { PosSandboxError } from "../store";
import type { StoreState } from "../types";
import type { ApiEnv } from "./index";
import { versionPage } from "./paging";
import {
  anyConsignmentJson,
  anyConsignmentProductsJson,
  anyConsignmentTotalsJson,
  inventoryConsignmentJson,
} from "./serialize-inventory";
import { consignmentJson, consignmentStatus } from "./serialize-stock";

/**
 * Consignments of every type (2.0 shapes, read-only): SUPPLIER ones are the purchase orders (same id),
 * RETURN, STOCKTAKE and OUTLET ones are the inventory consignments. Filters `type`, `status`,
 * `outlet_id` (a transfer is listed under its destination outlet); version-cursor paging.
 */

interface Listed {
  type: string;
  status: string;
  outletId: string;
  version: number;
  json: () => unknown;
}

function listed(store: StoreState): Listed[] {
  const orders = Object.values(store.purchaseOrders).map((po) => ({
    type: "SUPPLIER",
    status: consignmentStatus(po),
    outletId: po.outletId,
    version: po.version,
    json: () => consignmentJson(po),
  }));
  const others = Object.values(store.inventory.consignments).map((c) => ({
    type: c.type,
    status: c.status,
    outletId: c.outletId,
    version: c.version,
    json: () => inventoryConsignmentJson(c),
  }));
  return [...orders, ...others];
}

export function consignmentRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/consignments", (c) => {
    const { type, status, outlet_id } = c.req.query();
    const items = listed(c.get("store")).filter(
      (x) => (!type || x.type === type) && (!status || x.status === status) && (!outlet_id || x.outletId === outlet_id),
    );
    const page = versionPage(items, (x) => x.version, c.req.query());
    return c.json({ data: page.data.map((x) => x.json()), version: page.version });
  });

  app.get("/consignments/:id", (c) => c.json({ data: anyConsignmentJson(c.get("store"), c.req.param("id")) }));

  app.get("/consignments/:id/products", (c) => {
    const items = anyConsignmentProductsJson(c.get("store"), c.req.param("id"));
    const page = versionPage(items, (i) => i.version, c.req.query());
    return c.json({ data: page.data, version: page.version });
  });

  // "The consignment type can be SUPPLIER, OUTLET or RETURN (not STOCKTAKE)."
  app.get("/consignments/:id/totals", (c) => {
    const store = c.get("store");
    const id = c.req.param("id");
    if (store.inventory.consignments[id]?.type === "STOCKTAKE")
      throw new PosSandboxError(400, "totals are not available for a stocktake");
    return c.json({ data: [anyConsignmentTotalsJson(store, id)] });
  });

  return app;
}
