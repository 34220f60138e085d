import { TillbridgeError } from "../../shared/errors";
import { requestIdOf } from "../../shared/hash";
import type { QboClient } from "./client";
import { QboError } from "./faults";
import { cleanDisplayName, qboQuery, QueryName } from "./query";
import { RawDocument, RawParty } from "./schemas";

/**
 * Lookups that make posting safe to repeat: find-or-create a Customer/Vendor by DisplayName, and
 * find a document Tillbridge may already have posted (after a timeout, a 5xx, or a crash between
 * QBO's answer and D1's write) so the engine adopts it instead of creating a second one.
 */

export type PartyEntity = "Customer" | "Vendor";

export interface PartyRef {
  id: string;
  displayName: string;
  created: boolean;
}

async function findParty(client: QboClient, entity: PartyEntity, name: string) {
  // Active IN (true, false): an inactive match still owns the name (6240 otherwise).
  const rows = await client.query(
    qboQuery`select * from ${new QueryName(entity)} where DisplayName = ${name} and Active IN (true, false)`,
    RawParty,
  );
  return rows.find((r) => r.Active) ?? rows[0];
}

/**
 * The id of the Customer or Vendor named `displayName`, created if none exists, reactivated if it
 * is inactive. A name held by another kind of record (customers, vendors and employees share one
 * namespace) is qbo_duplicate_name naming it: a person must rename one of them.
 */
export async function findOrCreateParty(
  client: QboClient,
  entity: PartyEntity,
  displayName: string,
  requestId: string,
  fields: Record<string, unknown> = {},
): Promise<PartyRef> {
  const name = cleanDisplayName(displayName);
  if (!name) throw new TillbridgeError("bad_request", `${entity} name is empty`);
  const existing = await findParty(client, entity, name);
  if (existing) {
    if (!existing.Active && existing.SyncToken !== undefined) {
      await client.update(
        entity,
        { Id: existing.Id, SyncToken: existing.SyncToken, Active: true },
        requestIdOf(`${requestId}|reactivate`),
      );
    }
    return { id: existing.Id, displayName: existing.DisplayName, created: false };
  }
  try {
    const created = await client.create(entity, { ...fields, DisplayName: name }, requestId);
    return { id: created.Id, displayName: name, created: true };
  } catch (e) {
    if (!(e instanceof QboError) || e.code !== "qbo_duplicate_name") throw e;
    // Created meanwhile by a concurrent post, or held by another kind of record.
    const raced = await findParty(client, entity, name);
    if (raced) return { id: raced.Id, displayName: raced.DisplayName, created: false };
    throw new QboError("qbo_duplicate_name", name, e.info);
  }
}

export interface FoundDocument {
  id: string;
  syncToken?: string;
  docNumber?: string;
  txnDate?: string;
  privateNote?: string;
}

const found = (d: RawDocument): FoundDocument => ({
  id: d.Id,
  ...(d.SyncToken !== undefined ? { syncToken: d.SyncToken } : {}),
  ...(d.DocNumber !== undefined ? { docNumber: d.DocNumber } : {}),
  ...(d.TxnDate !== undefined ? { txnDate: d.TxnDate } : {}),
  ...(d.PrivateNote !== undefined ? { privateNote: d.PrivateNote } : {}),
});

/**
 * The document of `entity` with this DocNumber; with `marker`, only one whose PrivateNote carries
 * it (DocNumbers are not unique in QBO; the Tillbridge marker is). Not for Payment (§2.4).
 */
export async function findDocumentByDocNumber(
  client: QboClient,
  entity: string,
  docNumber: string,
  opts: { marker?: string } = {},
): Promise<FoundDocument | null> {
  if (entity === "Payment") throw new Error("QBO cannot filter Payment by DocNumber; use findPaymentByMarker");
  const rows = await client.query(
    qboQuery`select * from ${new QueryName(entity)} where DocNumber = ${docNumber}`,
    RawDocument,
  );
  const match = opts.marker ? rows.find((r) => r.PrivateNote?.includes(opts.marker!)) : rows[0];
  return match ? found(match) : null;
}

/** A Payment Tillbridge posted: same customer, same date, and our marker in PrivateNote. */
export async function findPaymentByMarker(
  client: QboClient,
  p: { customerId: string; txnDate: string; marker: string },
): Promise<FoundDocument | null> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p.txnDate)) throw new Error(`TxnDate must be YYYY-MM-DD: ${p.txnDate}`);
  if (!p.marker) throw new Error("a Payment is only adopted by its marker");
  const rows = await client.query(
    qboQuery`select * from Payment where CustomerRef = ${p.customerId} and TxnDate = ${p.txnDate}`,
    RawDocument,
  );
  const match = rows.find((r) => r.PrivateNote?.includes(p.marker));
  return match ? found(match) : null;
}
