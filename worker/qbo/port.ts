import type { Customer, Supplier } from "../../shared/domain/pos";
import type { QboRefs } from "../../shared/domain/qbo";
import { requestIdOf } from "../../shared/hash";
import type { QboEntity } from "../../shared/sync";
import { type EntityVersion, QboClient } from "./client";
import { QboError } from "./faults";
import { qboDocUrl } from "./links";
import { createWindow } from "./batcher";
import { findDocumentByDocNumber, findOrCreateParty, findPaymentByMarker, type FoundDocument } from "./lookup";
import { qboQuery, QueryName } from "./query";
import { loadRefs, refreshRefs } from "./refs";
import { RawDocument } from "./schemas";
import type { QboServices } from "./tokens";

/**
 * The QBO side of one tenant as the sync engine, the drift check, re-send and backfill see it:
 * every operation they need on the company, so none of them reaches past it to the HTTP client.
 * Opening it fails with qbo_not_connected / qbo_needs_reconnect before any posting starts.
 */
export interface QboPort {
  realmId: string;
  refs(opts?: { reload?: boolean }): Promise<QboRefs>;
  /** Brings the cached reference data up to date by Change Data Capture (one read): how many records differ, and when QBO last changed one */
  refreshRefs(): Promise<{ changed: number; lastChangeAt: string | null }>;
  /** Creates a document with its requestid. Errors are TillbridgeErrors; an unknown outcome is flagged. */
  create(entity: QboEntity, body: Record<string, unknown>, requestId: string): Promise<CreatedDoc>;
  /** Finds a document this posting may already have created (after an ambiguous outcome). */
  findExisting(
    entity: QboEntity,
    draft: { docNumber?: string; body: Record<string, unknown>; marker: string },
  ): Promise<CreatedDoc | null>;
  findOrCreateCustomer(customer: Customer, displayName: string): Promise<string>;
  findOrCreateVendor(supplier: Supplier, displayName: string): Promise<string>;
  docUrl(entity: QboEntity, id: string): string;
  /**
   * Records of one entity by id as QBO holds them now (raw rows; an id missing from the answer was
   * deleted), read DOCS_PER_QUERY ids to a query.
   */
  readDocuments(entity: string, ids: readonly string[]): Promise<unknown[]>;
  /** The PrivateNotes of an entity's documents dated within [from, to] (one paged query). */
  notesBetween(entity: QboEntity, from: string, to: string): Promise<(string | undefined)[]>;
  /** Voids a posted document: QBO keeps it with zero amounts. */
  voidDocument(entity: QboEntity, version: EntityVersion, requestId: string): Promise<void>;
  /** Deletes a posted document (for those QBO cannot void, or that must stop being linked). */
  deleteDocument(entity: QboEntity, version: EntityVersion, requestId: string): Promise<void>;
  /**
   * A poster of this company joins the create window (batcher.ts): while several have joined, their
   * creates leave together in batch requests. Returns the function that leaves it.
   */
  join?(): () => void;
}

export interface CreatedDoc {
  id: string;
  docNumber?: string;
}

/** Ids per `Id in (...)` query: well inside QBO's query length, one request for a page of badges. */
export const DOCS_PER_QUERY = 30;

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

/**
 * POS customer/supplier → QBO party, kept in KV so steady-state posting reads nothing from QBO
 * (reads are metered). A cached party that QBO no longer accepts is forgotten and looked up again.
 */
function partyCache(s: QboServices, tenantId: string, client: QboClient) {
  const fromCache = new Map<string, string>();
  // postings in flight together that need the same party look it up (or create it) once
  const inFlight = new Map<string, Promise<string>>();
  const party = (entity: "Customer" | "Vendor", p: Customer | Supplier, displayName: string) => {
    const key = `qbo-party:${tenantId}:${client.realmId}:${entity}:${p.id}:${displayName}`;
    let found = inFlight.get(key);
    if (!found) {
      found = lookUp(key, entity, p, displayName).finally(() => inFlight.delete(key));
      inFlight.set(key, found);
    }
    return found;
  };
  const lookUp = async (key: string, entity: "Customer" | "Vendor", p: Customer | Supplier, displayName: string) => {
    const cached = await s.kv.get(key);
    if (cached) {
      fromCache.set(cached, key);
      return cached;
    }
    const requestId = requestIdOf(`tb1|${tenantId}|${entity.toLowerCase()}|${p.id}|${displayName}`);
    const { id } = await findOrCreateParty(client, entity, displayName, requestId, partyFields(p));
    await s.kv.put(key, id, { expirationTtl: PARTY_TTL_SECONDS });
    return id;
  };
  /** The cache entries of the customer/vendor a refused document named. */
  const keysIn = (body: Record<string, unknown>) =>
    [refValue(body.CustomerRef), refValue(body.VendorRef)]
      .map((id) => (id ? fromCache.get(id) : undefined))
      .filter((k): k is string => !!k);
  return { party, keysIn };
}

/** The document a posting may already have created: by DocNumber + marker, or (Payment, no DocNumber) by date + marker. */
async function findExisting(
  client: QboClient,
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
}

async function readDocuments(client: QboClient, entity: string, ids: readonly string[]): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let i = 0; i < ids.length; i += DOCS_PER_QUERY)
    rows.push(
      ...(await client.query(
        qboQuery`select * from ${new QueryName(entity)} where Id in ${ids.slice(i, i + DOCS_PER_QUERY)}`,
      )),
    );
  return rows;
}

/**
 * The port, with the HTTP client beside it for the mappings' setup work (creating the standard
 * accounts and items), which is not posting.
 */
export async function openQboPort(s: QboServices, tenantId: string): Promise<QboPort & { client: QboClient }> {
  const client = await QboClient.open(s, tenantId);
  const parties = partyCache(s, tenantId, client);
  const window = createWindow(client);
  return {
    realmId: client.realmId,
    client,
    refs: (opts) => loadRefs(s, tenantId, opts),
    async refreshRefs() {
      const { changed, lastChangeAt } = await refreshRefs(s, tenantId, client);
      return { changed, lastChangeAt };
    },
    async create(entity, body, requestId) {
      try {
        const saved = await window.create(entity, body, requestId);
        return { id: saved.Id, ...(typeof saved.DocNumber === "string" ? { docNumber: saved.DocNumber } : {}) };
      } catch (e) {
        // a cached customer/vendor deleted or made inactive in QBO: forget it; the retry finds or reactivates it
        const stale = parties.keysIn(body);
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
    findExisting: (entity, draft) => findExisting(client, entity, draft),
    findOrCreateCustomer: (customer, displayName) => parties.party("Customer", customer, displayName),
    findOrCreateVendor: (supplier, displayName) => parties.party("Vendor", supplier, displayName),
    docUrl: (entity, id) => qboDocUrl(s.env, entity, id, client.realmId),
    readDocuments: (entity, ids) => readDocuments(client, entity, ids),
    async notesBetween(entity, from, to) {
      const rows = await client.query(
        qboQuery`select * from ${new QueryName(entity)} where TxnDate >= ${from} and TxnDate <= ${to}`,
        RawDocument,
      );
      return rows.map((r) => r.PrivateNote);
    },
    voidDocument: async (entity, version, requestId) => void (await client.void(entity, version, requestId)),
    deleteDocument: async (entity, version, requestId) => void (await client.delete(entity, version, requestId)),
    join: () => window.join(),
  };
}
