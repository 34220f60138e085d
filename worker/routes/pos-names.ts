import type { ObjectKind } from "../../shared/sync";
import { closureNames, objectFields } from "../db/attention";
import { PosClient } from "../pos/client";
import { loadReference } from "../pos/reference";
import type { Services } from "../services";

/**
 * How people know the objects Tillbridge posts: by the names the POS shows ("Register 1 #31", the
 * purchase order's number, the sale's invoice number), in the store's time zone, with a link to the
 * object's page in the back office. Read from what Tillbridge already stored; the POS is asked for
 * its reference lists only when they are not cached (and a POS that is down names nothing).
 */

const DAY_MS = 24 * 3600 * 1000;

export interface StoreContext {
  timeZone: string;
  registers: Map<string, string>;
}

export async function storeContext(s: Services, tenantId: string): Promise<StoreContext> {
  try {
    const ref = await loadReference(s, tenantId, PosClient.forTenant(s, tenantId), { maxAgeMs: DAY_MS });
    return {
      timeZone: ref.retailer.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC",
      registers: new Map(ref.registers.map((r) => [r.id, r.name])),
    };
  } catch (e) {
    s.log.warn("store reference unavailable for names", { error: e instanceof Error ? e.message : String(e) });
    return { timeZone: "UTC", registers: new Map() };
  }
}

const key = (kind: string, posId: string) => `${kind}\u0000${posId}`;
/** A sale payment's id is "<sale id>:<payment id>" */
const saleOf = (kind: string, posId: string) => (kind === "sale_payment" ? posId.slice(0, posId.indexOf(":")) : posId);

/** The POS's own name of each object, keyed by kind + posId; objects it cannot name are left out. */
export async function posNames(
  s: Services,
  tenantId: string,
  refs: readonly { kind: string; posId: string }[],
  store: StoreContext,
): Promise<Map<string, string>> {
  const ids = (k: readonly string[]) => [
    ...new Set(refs.filter((r) => k.includes(r.kind)).map((r) => saleOf(r.kind, r.posId))),
  ];
  const closureIds = ids(["closure"]);
  const orderIds = ids(["purchase_order"]);
  const saleIds = ids(["sale", "sale_payment"]);
  const [closures, orders, consignments, sales] = await Promise.all([
    closureNames(s.db, tenantId, closureIds),
    objectFields(s.db, tenantId, "purchase_order", orderIds, ["$.order_number", "$.supplier_invoice"]),
    objectFields(s.db, tenantId, "consignment", orderIds, ["$.name", "$.reference"]),
    objectFields(s.db, tenantId, "sale", saleIds, ["$.invoice_number"]),
  ]);
  const missing = [...closures.values()].map((c) => c.registerId).filter((id) => !store.registers.has(id));
  const registers = new Map(store.registers);
  for (const [id, name] of await objectFields(s.db, tenantId, "register", [...new Set(missing)], ["$.name"]))
    registers.set(id, name);

  const out = new Map<string, string>();
  for (const r of refs) {
    let name: string | undefined;
    if (r.kind === "closure") {
      const c = closures.get(r.posId);
      const register = c ? registers.get(c.registerId) : undefined;
      if (register) name = c?.sequenceNumber != null ? `${register} #${c.sequenceNumber}` : register;
    } else if (r.kind === "purchase_order") name = orders.get(r.posId) ?? consignments.get(r.posId);
    else if (r.kind === "sale" || r.kind === "sale_payment") name = sales.get(saleOf(r.kind, r.posId));
    if (name) out.set(key(r.kind, r.posId), name);
  }
  return out;
}
export const nameOf = (names: Map<string, string>, kind: string, posId: string) => names.get(key(kind, posId)) ?? null;

/** The object's page in the back office (closures, purchase orders, sales), null for the rest. */
export function backOfficeUrl(
  env: { POS_BACKOFFICE_URL_TEMPLATE: string },
  tenantId: string,
  kind: ObjectKind,
  posId: string,
) {
  const base = env.POS_BACKOFFICE_URL_TEMPLATE.replaceAll("{domain_prefix}", tenantId).replace(/\/+$/, "");
  const id = encodeURIComponent(saleOf(kind, posId));
  switch (kind) {
    case "closure":
      return `${base}/register/closure/summary/${id}`;
    case "purchase_order":
      return `${base}/consignment/${id}`;
    case "sale":
    case "sale_payment":
      return `${base}/history#${id}`;
    default:
      return null;
  }
}
