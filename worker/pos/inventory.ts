import type { SupplierReturn } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { PosClient } from "./client";
import { consignmentState, toSupplierReturn } from "./mappers/inventory";
import { toSupplier } from "./mappers/reference";
import { readObject } from "./read";
import { loadReference, productsByIds } from "./reference";
import { RawConsignment } from "./schemas";
import type { PosServices } from "./tokens";

/**
 * The inventory documents besides purchase orders (SPEC §4.5), read fresh from the POS:
 * supplier returns (consignment RETURN) so far.
 */

/** A supplier return once SENT; a `conflict` while it is open, cancelled or not a return at all. */
export async function loadSupplierReturn(
  s: PosServices,
  tenantId: string,
  returnId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<SupplierReturn> {
  const id = encodeURIComponent(returnId);
  const raw = await client.getOne(`/consignments/${id}`);
  const state = consignmentState(raw);
  if (state.type !== "RETURN")
    throw new TillbridgeError("bad_request", `consignment ${returnId} is not a supplier return`);
  if (state.status !== "SENT" || state.deleted)
    throw new TillbridgeError(
      "conflict",
      `supplier return ${returnId} is ${state.deleted ? "deleted" : state.status.toLowerCase()}: only a sent return posts`,
    );
  const c = readObject(RawConsignment, raw, "consignment");
  const ref = await loadReference(s, tenantId, client);
  const outlet = ref.outlets.find((o) => o.id === c.outlet_id);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${c.outlet_id} of supplier return ${returnId}`);
  if (!c.supplier_id)
    throw new TillbridgeError("pos_payload_invalid", `supplier return ${returnId}: supplier_id: missing`);
  const supplier = toSupplier(await client.getOne(`/suppliers/${encodeURIComponent(c.supplier_id)}`));
  const rawProducts = await client.all(`/consignments/${id}/products`);
  const productIds = rawProducts.map((p) => String((p as { product_id?: unknown })?.product_id ?? "")).filter(Boolean);
  const products = await productsByIds(s, tenantId, client, productIds);
  const found = toSupplierReturn(raw, rawProducts, {
    outlet,
    supplier,
    product: (pid) => products.find((p) => p.id === pid),
  });
  if (!found) throw new TillbridgeError("conflict", `supplier return ${returnId} has nothing to post`);
  return found;
}
