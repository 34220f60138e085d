import { Hono } from "hono";
import { must } from "../store";
import type { PurchaseOrderRec, StoreState } from "../types";
import type { ApiEnv } from "./index";
import { versionPage } from "./paging";
import { deliveryJson, deliveryLineJson, poLineJson, purchaseOrderJson } from "./serialize-stock";

/** Purchase orders with their line items and deliveries (2026-07); as consignments: api/consignments.ts. */

const PO_PAGE = { def: 100, max: 1000 };

const order = (store: StoreState, id: string): PurchaseOrderRec => must(store.purchaseOrders[id], "purchase order");

export function stockRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/purchase_orders", (c) => {
    const page = versionPage(Object.values(c.get("store").purchaseOrders), (p) => p.version, c.req.query(), PO_PAGE);
    return c.json({ data: page.data.map(purchaseOrderJson), version: page.version });
  });

  app.get("/purchase_orders/:id", (c) => c.json({ data: purchaseOrderJson(order(c.get("store"), c.req.param("id"))) }));

  app.get("/purchase_orders/:id/line_items", (c) => {
    const po = order(c.get("store"), c.req.param("id"));
    const page = versionPage(po.lines, (l) => l.version, c.req.query(), PO_PAGE);
    return c.json({ data: page.data.map((l) => poLineJson(po, l)), version: page.version });
  });

  app.get("/purchase_orders/:id/deliveries", (c) => {
    const po = order(c.get("store"), c.req.param("id"));
    const page = versionPage(po.deliveries, (d) => d.version, c.req.query(), PO_PAGE);
    return c.json({ data: page.data.map((d) => deliveryJson(po, d)), version: page.version });
  });

  app.get("/purchase_orders/:id/deliveries/:deliveryId/line_items", (c) => {
    const po = order(c.get("store"), c.req.param("id"));
    const delivery = must(
      po.deliveries.find((d) => d.id === c.req.param("deliveryId")),
      "delivery",
    );
    const page = versionPage(delivery.lines, (l) => l.version, c.req.query(), PO_PAGE);
    return c.json({ data: page.data.map((l) => deliveryLineJson(po, delivery, l)), version: page.version });
  });

  return app;
}
