import { Hono } from "hono";
import { must, PosSandboxError } from "../store";
import { parseInstant } from "../time";
import type { SaleRec, StoreState } from "../types";
import type { ApiEnv } from "./index";
import { pageSize, versionPage } from "./paging";
import { customerJson, productJson } from "./serialize";
import { saleJson } from "./serialize-sale";

/**
 * Sales by version cursor, one sale by id, and `/search` (offset paging, at most 1000 a page): sales by
 * date range (UTC), outlet, register, state, attributes, customer, invoice number, payment type and
 * product; customers and products by their simple fields.
 */

function multi(c: { req: { queries(name: string): string[] | undefined } }, name: string): string[] {
  return [...(c.req.queries(name) ?? []), ...(c.req.queries(`${name}[]`) ?? [])];
}

function searchSales(store: StoreState, q: Record<string, string>, many: (name: string) => string[]): SaleRec[] {
  const from = q.date_from ? parseInstant(q.date_from).getTime() : -Infinity;
  const to = q.date_to ? parseInstant(q.date_to).getTime() : Infinity;
  const outlets = many("outlet_id");
  const registers = many("register_id");
  const states = many("state");
  const attributes = many("attributes");
  const paymentTypes = many("payment_type_id");
  const products = many("product_id");
  return Object.values(store.sales).filter((s) => {
    const at = Date.parse(s.date);
    if (at < from || at > to) return false;
    if (outlets.length && !outlets.includes(s.outletId)) return false;
    if (registers.length && !registers.includes(s.registerId)) return false;
    if (states.length && !states.includes(s.state)) return false;
    if (attributes.length && !attributes.some((a) => (s.attributes as string[]).includes(a))) return false;
    if (q.customer_id && s.customerId !== q.customer_id) return false;
    if (q.invoice_number && s.invoiceNumber !== q.invoice_number) return false;
    if (q.user_id && s.userId !== q.user_id) return false;
    if (paymentTypes.length && !s.payments.some((p) => paymentTypes.includes(p.paymentTypeId))) return false;
    if (products.length && !s.lines.some((l) => products.includes(l.productId))) return false;
    return true;
  });
}

export function saleRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/sales", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.sales), (s) => s.version, c.req.query());
    return c.json({ data: page.data.map((s) => saleJson(store, s)), version: page.version });
  });

  app.get("/sales/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: saleJson(store, must(store.sales[c.req.param("id")], "sale")) });
  });

  app.get("/search", (c) => {
    const store = c.get("store");
    const q = c.req.query();
    const many = (name: string) => multi(c, name);
    const offset = q.offset ? Number(q.offset) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      throw new PosSandboxError(400, "offset must be a non-negative integer");
    const size = pageSize(q.page_size, 1000, 1000);
    const desc = q.order_direction === "desc";
    if (q.type === "sales") {
      const key =
        q.order_by === "invoice_number"
          ? (s: SaleRec) => s.invoiceNumber
          : q.order_by === "updated_at"
            ? (s: SaleRec) => s.updatedAt
            : (s: SaleRec) => s.date;
      const found = searchSales(store, q, many).sort(
        (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1) * (desc ? -1 : 1),
      );
      return c.json({ data: found.slice(offset, offset + size).map((s) => saleJson(store, s)) });
    }
    if (q.type === "customers") {
      const fields = ["customer_code", "email", "first_name", "last_name", "company_name", "phone"] as const;
      const found = Object.values(store.customers)
        .map((x) => customerJson(store, x))
        .filter((x) => fields.every((f) => !q[f] || String(x[f] ?? "").toLowerCase() === q[f]!.toLowerCase()));
      return c.json({ data: found.slice(offset, offset + size) });
    }
    if (q.type === "products") {
      const skus = many("sku");
      const suppliers = many("supplier_id");
      const found = Object.values(store.products).filter(
        (p) =>
          (!skus.length || skus.includes(p.sku.toLowerCase())) &&
          (!suppliers.length || (p.supplierId !== null && suppliers.includes(p.supplierId))),
      );
      return c.json({ data: found.slice(offset, offset + size).map((p) => productJson(store, p)) });
    }
    throw new PosSandboxError(400, "type must be sales, products or customers");
  });

  return app;
}
