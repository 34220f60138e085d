import { Hono } from "hono";
import type { ClosureRecord, StoreState } from "../pos/types";
import { CLIENT_JS } from "./client";
import { renderDocument } from "./shell";
import { closuresCsv, renderView, saleDetail, type View } from "./views";

/**
 * The back-office replica: the pages of the Retail POS back office that the extension injects into,
 * filled from the POS sandbox's store. Mount it under the POS sandbox's origin (it answers
 * `/<prefix>/register/closures`, `/<prefix>/register/closure/summary/<id>`, `/<prefix>/consignment`,
 * `/<prefix>/consignment/<id>` (purchase orders, supplier returns, transfers), `/<prefix>/history`,
 * `/<prefix>/inventory_count[/<id>]` (stocktakes), `/<prefix>/inventory/stock-adjustments`); the page
 * URLs are the real ones after the prefix (the stock adjustments one is a guess: see the README).
 */

/** What the replica reads from the POS sandbox (a PosSandbox satisfies it). */
export interface BackofficeSource {
  store(prefix: string): StoreState;
  closures(prefix: string): ClosureRecord[];
}

export const PAGE_PATHS = [
  "/register/closures",
  "/register/closure/summary/:id",
  "/consignment",
  "/consignment/:id",
  "/history",
  "/inventory_count",
  "/inventory_count/:id",
  "/inventory/stock-adjustments",
] as const;

function storeOf(pos: BackofficeSource, prefix: string): StoreState | null {
  try {
    return pos.store(prefix) ?? null;
  } catch {
    return null;
  }
}

/** A page as it looks once the client has rendered it (used for the saved fixtures and for tests). */
export function renderSnapshot(
  pos: BackofficeSource,
  prefix: string,
  pathAndQuery: string,
): { status: number; html: string } {
  const store = storeOf(pos, prefix);
  if (!store) return { status: 404, html: "" };
  const url = new URL(pathAndQuery, "http://replica.invalid");
  const base = `/${prefix}`;
  const view = renderView({
    store,
    closures: pos.closures(prefix),
    base,
    path: url.pathname,
    search: url.searchParams,
  });
  return { status: view.status, html: renderDocument({ base, storeName: store.retailer.name, view, script: false }) };
}

export function createBackofficeApp(pos: BackofficeSource): Hono {
  const app = new Hono();

  app.get("/:prefix/_backoffice/app.js", (c) =>
    c.body(CLIENT_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" }),
  );

  app.get("/:prefix/_backoffice/view", (c) => {
    const prefix = c.req.param("prefix");
    const store = storeOf(pos, prefix);
    if (!store) return c.json({ title: "Unknown store", html: "<p>Unknown store</p>" }, 404);
    const view: View = renderView({
      store,
      closures: pos.closures(prefix),
      base: `/${prefix}`,
      path: c.req.query("path") ?? "/",
      search: new URLSearchParams(c.req.query("search") ?? ""),
    });
    return c.json({ title: view.title, html: view.html }, view.status === 404 ? 404 : 200);
  });

  app.get("/:prefix/_backoffice/sale/:id", (c) => {
    const store = storeOf(pos, c.req.param("prefix"));
    if (!store) return c.json({ title: "Unknown store", html: "" }, 404);
    const view = saleDetail(store, c.req.param("id"));
    return c.json({ title: view.title, html: view.html }, view.status === 404 ? 404 : 200);
  });

  app.get("/:prefix/register/closures.csv", (c) => {
    const prefix = c.req.param("prefix");
    if (!storeOf(pos, prefix)) return c.text("Unknown store", 404);
    return c.body(closuresCsv(pos.closures(prefix)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="register-closures-${prefix}.csv"`,
    });
  });

  for (const path of PAGE_PATHS) {
    app.get(`/:prefix${path}`, (c) => {
      const prefix = c.req.param("prefix");
      const store = storeOf(pos, prefix);
      if (!store)
        return c.html(
          `<!doctype html><title>Not found</title><h1>No store called ${prefix.replace(/[^a-z0-9-]/gi, "")}</h1>`,
          404,
        );
      return c.html(renderDocument({ base: `/${prefix}`, storeName: store.retailer.name }));
    });
  }

  return app;
}
