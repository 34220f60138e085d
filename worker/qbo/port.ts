import type { Customer, Supplier } from "../../shared/domain/pos";
import type { QboRefs } from "../../shared/domain/qbo";
import { requestIdOf } from "../../shared/hash";
import type { QboEntity } from "../../shared/sync";
import { QboClient } from "./client";
import { QboError } from "./faults";
import { qboDocUrl } from "./links";
import { findDocumentByDocNumber, findOrCreateParty, findPaymentByMarker, type FoundDocument } from "./lookup";
import { qboQuery, QueryName } from "./query";
import { loadRefs } from "./refs";
import { RawDocument } from "./schemas";
import type { QboServices } from "./tokens";

/**
 * The QBO side of one tenant as the sync engine sees it (structurally the `QboPort` of
 * worker/sync/ports.ts; not imported from there, so the arrow keeps pointing sync → qbo).
 * Opening it fails with qbo_not_connected / qbo_needs_reconnect before any posting starts.
 */

export interface CreatedDoc {
  id: string;
  docNumber?: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const cut = (s: string | null | undefined, max: number) => (s ? s.trim().slice(0, max) : "");

/** Name parts QBO keeps alongside the DisplayName (lengths per NameBase in the XSD). */
function partyFields(p: {
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
}): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (cut(p.firstName, 25)) fields.GivenName = cut(p.firstName, 25);
  if (cut(p.lastName, 25)) fields.FamilyName = cut(p.lastName, 25);
  if (cut(p.companyName, 100)) fields.CompanyName = cut(p.companyName, 100);
  if (p.email && EMAIL.test(p.email.trim()) && p.email.trim().length <= 100)
    fields.PrimaryEmailAddr = { Address: p.email.trim() };
  return fields;
}

function refValue(v: unknown): string | undefined {
  return v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string"
    ? (v as { value: string }).value
    : undefined;
}

const created = (found: FoundDocument): CreatedDoc => ({
  id: found.id,
  ...(found.docNumber ? { docNumber: found.docNumber } : {}),
});

/** How long a POS customer/supplier → QBO party match is trusted without asking QBO again. */
const PARTY_TTL_SECONDS = 24 * 3600;

export async function openQboPort(s: QboServices, tenantId: string) {
  const client = await QboClient.open(s, tenantId);
  // POS customer/supplier → QBO party, kept in KV so steady-state posting reads nothing from QBO
  // (reads are metered). A cached party that QBO no longer accepts is forgotten and looked up again.
  const partyKey = (entity: "Customer" | "Vendor", posId: string, displayName: string) =>
    `qbo-party:${tenantId}:${client.realmId}:${entity}:${posId}:${displayName}`;
  const fromCache = new Map<string, string>();
  async function party(
    entity: "Customer" | "Vendor",
    posId: string,
    displayName: string,
    resolve: () => Promise<{ id: string }>,
  ): Promise<string> {
    const key = partyKey(entity, posId, displayName);
    const cached = await s.kv.get(key);
    if (cached) {
      fromCache.set(cached, key);
      return cached;
    }
    const { id } = await resolve();
    await s.kv.put(key, id, { expirationTtl: PARTY_TTL_SECONDS });
    return id;
  }
  return {
    realmId: client.realmId,
    client,
    refs: (opts?: { reload?: boolean }): Promise<QboRefs> => loadRefs(s, tenantId, opts),

    async create(entity: QboEntity, body: Record<string, unknown>, requestId: string): Promise<CreatedDoc> {
      try {
        const saved = await client.create(entity, body, requestId);
        return { id: saved.Id, ...(typeof saved.DocNumber === "string" ? { docNumber: saved.DocNumber } : {}) };
      } catch (e) {
        // a cached customer/vendor deleted or made inactive in QBO: forget it; the retry finds or reactivates it
        const stale = [refValue(body.CustomerRef), refValue(body.VendorRef)]
          .map((id) => (id ? fromCache.get(id) : undefined))
          .filter((k): k is string => !!k);
        if (stale.length > 0 && e instanceof QboError && e.code === "qbo_invalid_reference") {
          await Promise.all(stale.map((k) => s.kv.delete(k)));
          throw new QboError(
            "qbo_transient",
            `a customer or vendor changed in QuickBooks Online; looking it up again (${e.detail ?? ""})`,
            { ...e.info, outcomeUnknown: false },
          );
        }
        throw e;
      }
    },

    /** The document a posting may already have created: by DocNumber + marker, or (Payment, no DocNumber) by date + marker. */
    async findExisting(
      entity: QboEntity,
      draft: { docNumber?: string; body: Record<string, unknown>; marker: string },
    ): Promise<CreatedDoc | null> {
      const txnDate = typeof draft.body.TxnDate === "string" ? draft.body.TxnDate : undefined;
      if (entity === "Payment") {
        const customerId = refValue(draft.body.CustomerRef);
        if (!customerId || !txnDate) return null;
        const found = await findPaymentByMarker(client, { customerId, txnDate, marker: draft.marker });
        return found ? created(found) : null;
      }
      if (draft.docNumber) {
        const found = await findDocumentByDocNumber(client, entity, draft.docNumber, { marker: draft.marker });
        return found ? created(found) : null;
      }
      if (!txnDate || !/^\d{4}-\d{2}-\d{2}$/.test(txnDate)) return null;
      const rows = await client.query(
        qboQuery`select * from ${new QueryName(entity)} where TxnDate = ${txnDate}`,
        RawDocument,
      );
      const match = rows.find((r) => r.PrivateNote?.includes(draft.marker));
      return match ? { id: match.Id, ...(match.DocNumber ? { docNumber: match.DocNumber } : {}) } : null;
    },

    findOrCreateCustomer: (customer: Customer, displayName: string): Promise<string> =>
      party("Customer", customer.id, displayName, () =>
        findOrCreateParty(
          client,
          "Customer",
          displayName,
          requestIdOf(`tb1|${tenantId}|customer|${customer.id}|${displayName}`),
          partyFields(customer),
        ),
      ),

    findOrCreateVendor: (supplier: Supplier, displayName: string): Promise<string> =>
      party("Vendor", supplier.id, displayName, () =>
        findOrCreateParty(
          client,
          "Vendor",
          displayName,
          requestIdOf(`tb1|${tenantId}|vendor|${supplier.id}|${displayName}`),
          partyFields(supplier),
        ),
      ),

    docUrl: (entity: QboEntity, id: string): string => qboDocUrl(s.env, entity, id, client.realmId),
  };
}

export type QboTenantPort = Awaited<ReturnType<typeof openQboPort>>;
