import type { Dec } from "../../../shared/money";
import type { CustomerFields, ProductFields, TaxFields } from "../schemas";

/**
 * Reference objects of either POS API generation in one shape (2026-07 names): a product's category,
 * a tax's rates, a customer's names. Nothing here is ever missing: a product without a category or
 * a customer without a name is still a product or a customer.
 */

export interface PosProduct {
  id: string;
  name: string;
  handle: string | null;
  sku: string | null;
  variant_name: string | null;
  /** 2.0: the product type (`product_type_id`, or the embedded `type`) */
  product_category: { id: string } | null;
  deleted_at: string | null;
}

export function normalizeProduct(p: ProductFields): PosProduct {
  const categoryId = p.product_category?.id ?? p.product_type_id ?? p.type?.id ?? null;
  return {
    id: p.id,
    name: p.name,
    handle: p.handle ?? null,
    sku: p.sku ?? null,
    variant_name: p.variant_name ?? null,
    product_category: categoryId === null ? null : { id: categoryId },
    deleted_at: p.deleted_at ?? null,
  };
}

export interface PosTaxRate {
  id: string;
  name: string;
  display_name: string | null;
  rate: Dec;
}

export interface PosTaxObject {
  id: string;
  name: string;
  display_name: string | null;
  /** 2.0 single-rate taxes carry the rate on the tax itself: such a tax is its own (only) rate */
  rates: PosTaxRate[];
  deleted_at: string | null;
}

export function normalizeTax(t: TaxFields): PosTaxObject {
  const display_name = t.display_name ?? null;
  const rates = (t.rates ?? []).map((r) => ({
    id: r.id,
    name: r.name,
    display_name: r.display_name ?? null,
    rate: r.rate,
  }));
  if (!rates.length && t.rate != null) rates.push({ id: t.id, name: t.name, display_name, rate: t.rate });
  return { id: t.id, name: t.name, display_name, rates, deleted_at: t.deleted_at ?? null };
}

export interface PosCustomerObject {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  email: string | null;
  customer_code: string | null;
}

export function normalizeCustomer(c: CustomerFields): PosCustomerObject {
  let first = c.first_name ?? null;
  let last = c.last_name ?? null;
  // `name` is deprecated but some payloads carry only it.
  if (!first && !last && c.name) [first, last] = splitName(c.name);
  return {
    id: c.id,
    first_name: first,
    last_name: last,
    company_name: c.company_name ?? null,
    email: c.email ?? null,
    customer_code: c.customer_code ?? null,
  };
}

function splitName(name: string): [string | null, string | null] {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? [parts.slice(0, -1).join(" "), parts.at(-1)!] : [parts[0] || null, null];
}
