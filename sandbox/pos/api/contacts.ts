import { Hono } from "hono";
import { must } from "../store";
import type { ApiEnv } from "./index";
import { versionPage } from "./paging";
import { customerJson, supplierJson } from "./serialize";

/** Customers and suppliers (version cursor lists, single records). */
export function contactRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/customers", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.customers), (x) => x.version, c.req.query());
    return c.json({ data: page.data.map((x) => customerJson(store, x)), version: page.version });
  });

  app.get("/customers/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: customerJson(store, must(store.customers[c.req.param("id")], "customer")) });
  });

  app.get("/suppliers", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.suppliers), (x) => x.version, c.req.query());
    return c.json({ data: page.data.map(supplierJson), version: page.version });
  });

  app.get("/suppliers/:id", (c) =>
    c.json({ data: supplierJson(must(c.get("store").suppliers[c.req.param("id")], "supplier")) }),
  );

  return app;
}
