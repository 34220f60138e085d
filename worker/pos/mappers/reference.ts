import type { Customer, PosCategory, PosOutlet, PosPaymentType, PosTax, Supplier } from "../../../shared/domain/pos";
import { formatDec } from "../../../shared/money";
import { payloadError, readObject } from "../read";
import { RawCategory, RawCustomer, RawOutlet, RawPaymentType, RawProduct, RawSupplier, RawTax } from "../schemas";
import type { ProductInfo } from "./context";

/** Reference lists: raw POS objects → the domain's drop-down and label types. */

/** Maps each object on its own: a bad one is reported and left out, the rest still map. */
export function mapEach<T>(raws: readonly unknown[], map: (raw: unknown) => T, onError: (e: unknown) => void): T[] {
  const out: T[] = [];
  for (const raw of raws) {
    try {
      out.push(map(raw));
    } catch (e) {
      onError(e);
    }
  }
  return out;
}

/** Payment types, deleted ones included (closures that used them must still post). */
export function toPaymentType(raw: unknown): PosPaymentType {
  const p = readObject(RawPaymentType, raw, "payment type");
  return { id: p.id, name: p.name, typeId: p.type_id ?? null, deleted: Boolean(p.deleted_at) };
}

export function toOutlet(raw: unknown, retailerTimeZone: string | null): PosOutlet {
  const o = readObject(RawOutlet, raw, "outlet");
  const timeZone = o.time_zone || retailerTimeZone;
  if (!timeZone) throw payloadError("outlet", o.id, "time_zone", "missing, and the retailer has no time zone either");
  if (!isTimeZone(timeZone)) throw payloadError("outlet", o.id, "time_zone", `unknown time zone "${timeZone}"`);
  return { id: o.id, name: o.name, timeZone, currency: o.currency ?? "" };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function toTax(raw: unknown): PosTax {
  const t = readObject(RawTax, raw, "tax");
  const rates = t.rates.map((r) => ({ id: r.id, name: r.display_name || r.name, rate: formatDec(r.rate) }));
  return { id: t.id, name: t.display_name || t.name, rates, deleted: Boolean(t.deleted_at) };
}

/** Categories with their full path ("Apparel / Shirts"), from category_path or by walking parents. */
export function toCategories(raws: readonly unknown[], onError: (e: unknown) => void): PosCategory[] {
  const cats = mapEach(raws, (r) => readObject(RawCategory, r, "product category"), onError).filter(
    (c) => !c.deleted_at,
  );
  const byId = new Map(cats.map((c) => [c.id, c]));
  const hasChildren = new Set(cats.map((c) => c.parent_category_id).filter((x): x is string => !!x));
  const pathOf = (c: RawCategory): string => {
    if (c.category_path?.length) return c.category_path.map((p) => p.name).join(" / ");
    const names: string[] = [];
    const seen = new Set<string>();
    for (
      let at: RawCategory | undefined = c;
      at && !seen.has(at.id);
      at = at.parent_category_id ? byId.get(at.parent_category_id) : undefined
    ) {
      seen.add(at.id);
      names.unshift(at.name);
    }
    return names.join(" / ");
  };
  return cats.map((c) => ({
    id: c.id,
    name: c.name,
    path: pathOf(c),
    leaf: c.leaf_category ?? !hasChildren.has(c.id),
  }));
}

export function toProductInfo(raw: unknown): ProductInfo {
  const p = readObject(RawProduct, raw, "product");
  const name = p.variant_name && !p.name.includes(p.variant_name) ? `${p.name} / ${p.variant_name}` : p.name;
  return {
    id: p.id,
    name,
    sku: p.sku,
    categoryId: p.product_category?.id ?? null,
    deleted: Boolean(p.deleted_at),
  };
}

/** The "Gift Card" product the POS adds when gift cards are enabled. */
export function isGiftCardProduct(raw: unknown): boolean {
  const p = RawProduct.safeParse(raw);
  if (!p.success) return false;
  const handle = (p.data.handle ?? "").toLowerCase().replace(/[^a-z]/g, "");
  return handle === "giftcard" || p.data.name.trim().toLowerCase() === "gift card";
}

export function toCustomer(raw: unknown): Customer {
  const c = readObject(RawCustomer, raw, "customer");
  return {
    id: c.id,
    firstName: c.first_name || null,
    lastName: c.last_name || null,
    companyName: c.company_name || null,
    email: c.email || null,
    customerCode: c.customer_code || null,
  };
}

export function toSupplier(raw: unknown): Supplier {
  const s = readObject(RawSupplier, raw, "supplier");
  return {
    id: s.id,
    name: s.name,
    companyName: s.contact?.company_name || null,
    firstName: s.contact?.first_name || null,
    lastName: s.contact?.last_name || null,
    email: s.contact?.email || null,
  };
}
