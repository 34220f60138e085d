import type { Customer, PosCategory, PosOutlet, PosPaymentType, PosTax } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { getObjects, type StoredObject, upsertObjectStatement } from "../db/pos-objects";
import type { PosClient } from "./client";
import type { ProductInfo } from "./mappers/context";
import {
  isGiftCardProduct,
  mapEach,
  toCategories,
  toCustomer,
  toOutlet,
  toPaymentType,
  toProductInfo,
  toTax,
} from "./mappers/reference";
import { readObject } from "./read";
import { RawRegister, RawRetailer } from "./schemas";
import type { PosServices } from "./tokens";

/**
 * The store's reference data: small lists (retailer, outlets, registers, payment types incl.
 * deleted, taxes, categories) cached in KV per tenant with a freshness limit, and the catalogue and
 * customers kept in D1 (`pos_objects`) through their version cursors, compacted to what mapping needs.
 */

export interface PosReference {
  fetchedAt: string;
  retailer: {
    name: string;
    timeZone: string | null;
    discountProductId: string | null;
    currency: string | null;
    /** Prices include tax (`tax_exclusive: false`): sale amounts are recorded to five decimals (SPEC §4.1) */
    taxInclusive?: boolean;
  };
  outlets: PosOutlet[];
  registers: { id: string; name: string; outletId: string }[];
  paymentTypes: PosPaymentType[];
  taxes: PosTax[];
  categories: PosCategory[];
}

export const REFERENCE_MAX_AGE_MS = 15 * 60 * 1000;
const kvKey = (tenantId: string) => `pos-ref:${tenantId}`;

/** Drops a tenant's cached reference lists (after a disconnect, or to force a reload). */
export async function forgetReference(kv: KVNamespace, tenantId: string): Promise<void> {
  await kv.delete(kvKey(tenantId));
}

export async function loadReference(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  opts: { maxAgeMs?: number; force?: boolean } = {},
): Promise<PosReference> {
  if (!opts.force) {
    const cached = await s.kv.get<PosReference>(kvKey(tenantId), "json");
    if (cached && s.now().getTime() - Date.parse(cached.fetchedAt) < (opts.maxAgeMs ?? REFERENCE_MAX_AGE_MS))
      return cached;
  }
  const skip = (what: string) => (e: unknown) =>
    s.log.warn(`pos ${what} skipped`, { error: e instanceof TillbridgeError ? e.detail : String(e) });
  const retailer = readObject(RawRetailer, await client.getOne("/retailer"), "retailer");
  const timeZone = retailer.timezone || null;
  const [outlets, registers, paymentTypes, taxes, categories] = await Promise.all([
    client.all("/outlets"),
    client.all("/registers"),
    client.all("/payment_types", { deleted: true }),
    client.all("/taxes"),
    client.categories(),
  ]);
  const ref: PosReference = {
    fetchedAt: s.now().toISOString(),
    retailer: {
      name: retailer.name,
      timeZone,
      discountProductId: retailer.discount_product_id ?? null,
      currency: typeof retailer.currency === "string" ? retailer.currency : (retailer.currency?.code ?? null),
      taxInclusive: retailer.tax_exclusive === false,
    },
    outlets: mapEach(outlets, (o) => toOutlet(o, timeZone), skip("outlet")),
    registers: mapEach(registers, (r) => readObject(RawRegister, r, "register"), skip("register")).map((r) => ({
      id: r.id,
      name: r.name,
      outletId: r.outlet_id,
    })),
    paymentTypes: mapEach(paymentTypes, toPaymentType, skip("payment type")),
    taxes: mapEach(taxes, toTax, skip("tax")),
    categories: toCategories(categories, skip("category")),
  };
  await s.kv.put(kvKey(tenantId), JSON.stringify(ref), { expirationTtl: 7 * 24 * 3600 });
  return ref;
}

/** Products as mapping needs them, with whether each is the Gift Card product. */
export interface StoredProduct extends ProductInfo {
  giftCard: boolean;
}

const versionOf = (raw: unknown) => {
  const v = (raw as { version?: unknown })?.version;
  return typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v)) ? String(v) : "0";
};

/** Pages a catalogue collection from its cursor into pos_objects, compacted; a bad object is skipped. */
async function syncCompact<T extends { id: string }>(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  path: string,
  kind: "product" | "customer",
  compact: (raw: unknown) => T,
): Promise<number> {
  let stored = 0;
  const after = (await getCursor(s.db, tenantId, kind === "product" ? "products" : "customers")) ?? "0";
  for await (const page of client.pages(path, { after, query: { deleted: true }, pageSize: 1000 })) {
    const stmts: D1PreparedStatement[] = [];
    for (const raw of page.items) {
      try {
        const c = compact(raw);
        stmts.push(
          upsertObjectStatement(s.db, tenantId, kind, { id: c.id, version: versionOf(raw), json: c }, s.now()),
        );
      } catch (e) {
        s.log.warn(`pos ${kind} skipped`, { error: e instanceof TillbridgeError ? e.detail : String(e) });
      }
    }
    stmts.push(
      advanceCursorStatement(s.db, tenantId, kind === "product" ? "products" : "customers", page.max, s.now()),
    );
    await s.db.batch(stmts);
    stored += stmts.length - 1;
  }
  return stored;
}

const compactProduct = (raw: unknown): StoredProduct => ({ ...toProductInfo(raw), giftCard: isGiftCardProduct(raw) });

export function syncProducts(s: PosServices, tenantId: string, client: PosClient): Promise<number> {
  return syncCompact(s, tenantId, client, "/products", "product", compactProduct);
}

export function syncCustomers(s: PosServices, tenantId: string, client: PosClient): Promise<number> {
  return syncCompact(s, tenantId, client, "/customers", "customer", toCustomer);
}

/** Beyond this many unknown ids, paging the whole collection by its cursor is cheaper than one read each. */
const BULK_AFTER = 20;

/**
 * Products or customers by id: from D1, and any not there read one by one from the API (a product
 * deleted long ago, a customer created a second ago) — or, when many are missing, the collection is
 * paged from its cursor first. Ids the POS does not know are left out.
 */
async function byIds<T>(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  kind: "product" | "customer",
  ids: Iterable<string>,
  compact: (raw: unknown) => T,
): Promise<T[]> {
  const wanted = [...new Set(ids)];
  let found: StoredObject[] = await getObjects(s.db, tenantId, kind, wanted);
  if (wanted.length - found.length > BULK_AFTER) {
    await syncCompact(s, tenantId, client, `/${kind}s`, kind, compact as (raw: unknown) => { id: string });
    found = await getObjects(s.db, tenantId, kind, wanted);
  }
  const have = new Set(found.map((o) => o.id));
  const out = found.map((o) => o.json as T);
  for (const id of wanted.filter((x) => !have.has(x))) {
    try {
      const raw = await client.getOne(`/${kind}s/${encodeURIComponent(id)}`);
      const c = compact(raw);
      await upsertObjectStatement(s.db, tenantId, kind, { id, version: versionOf(raw), json: c }, s.now()).run();
      out.push(c);
    } catch (e) {
      if (!(e instanceof TillbridgeError) || (e.code !== "pos_not_found" && e.code !== "pos_payload_invalid")) throw e;
    }
  }
  return out;
}

export const productsByIds = (s: PosServices, tenantId: string, client: PosClient, ids: Iterable<string>) =>
  byIds(s, tenantId, client, "product", ids, compactProduct);
export const customersByIds = (
  s: PosServices,
  tenantId: string,
  client: PosClient,
  ids: Iterable<string>,
): Promise<Customer[]> => byIds(s, tenantId, client, "customer", ids, toCustomer);
