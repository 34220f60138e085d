import { Hono } from "hono";
import { must, PosSandboxError } from "../store";
import type { ApiEnv } from "./index";
import { pageSize, versionPage, wantsDeleted } from "./paging";
import {
  categoryJson,
  outletJson,
  paymentTypeJson,
  productJson,
  retailerJson,
  sortedCategories,
  taxJson,
} from "./serialize";

/** Retailer, outlets, payment types, product categories, products and taxes. */
export function catalogRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/retailer", (c) => c.json({ data: retailerJson(c.get("store")) }));

  app.get("/outlets", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.outlets), (o) => o.version, c.req.query());
    return c.json({ data: page.data.map((o) => outletJson(store, o)), version: page.version });
  });

  app.get("/outlets/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: outletJson(store, must(store.outlets[c.req.param("id")], "outlet")) });
  });

  app.get("/payment_types", (c) => {
    const store = c.get("store");
    const q = c.req.query();
    const types = Object.values(store.paymentTypes).filter((p) => wantsDeleted(q) || p.deletedAt === null);
    const page = versionPage(types, (p) => p.version, q);
    return c.json({ data: page.data.map(paymentTypeJson), version: page.version });
  });

  // Paged by category id (`after`), not by version; sorted by full path; `page_info.last_seen` is the cursor.
  app.get("/product_categories", (c) => {
    const store = c.get("store");
    const { parent, after, include } = c.req.query();
    let cats = sortedCategories(store);
    if (parent === "none") cats = cats.filter((x) => x.parentId === null);
    else if (parent) {
      must(store.categories[parent], "category");
      const under = (id: string | null): boolean =>
        id !== null && (id === parent || under(store.categories[id]?.parentId ?? null));
      cats = cats.filter((x) => (include === "children" ? x.parentId === parent : under(x.parentId)));
    }
    if (after) {
      const i = cats.findIndex((x) => x.id === after);
      if (i < 0) throw new PosSandboxError(400, "after is not a category id of this listing");
      cats = cats.slice(i + 1);
    }
    const size = pageSize(c.req.query("page_size"), 1000, 1000);
    const page = cats.slice(0, size);
    return c.json({
      data: { categories: page.map((x) => categoryJson(store, x)) },
      page_info: { has_next: cats.length > size, last_seen: page.length > 0 ? page[page.length - 1]!.id : null },
    });
  });

  app.get("/products", (c) => {
    const store = c.get("store");
    const q = c.req.query();
    if (q.sku) {
      const found = Object.values(store.products).filter((p) => p.sku === q.sku);
      return c.json({
        data: found.map((p) => productJson(store, p)),
        version: versionPage(found, (p) => p.version, {}).version,
      });
    }
    const page = versionPage(Object.values(store.products), (p) => p.version, q);
    return c.json({ data: page.data.map((p) => productJson(store, p)), version: page.version });
  });

  app.get("/products/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: productJson(store, must(store.products[c.req.param("id")], "product")) });
  });

  app.get("/taxes", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.taxes), (t) => t.version, c.req.query());
    return c.json({ data: page.data.map(taxJson), version: page.version });
  });

  app.get("/taxes/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: taxJson(must(store.taxes[c.req.param("id")], "tax")) });
  });

  return app;
}
