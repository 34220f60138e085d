import { z } from "zod";
import type { ReconciliationResponse, ReconciliationRow } from "../../shared/api";
import { parseMinor } from "../../shared/money";
import type { ObjectRef } from "../../shared/sync";
import { closuresOpenedBetween } from "../db/attention";
import { getMappings } from "../db/mappings";
import { currentItems, docsOf } from "../db/sync-items";
import { businessDate } from "../ledger";
import { openQboPort } from "../qbo/port";
import { QboDoc } from "../reports/doc-lines";
import type { Services } from "../services";
import { storeContext } from "./pos-names";

/**
 * The daily reconciliation per payment type, from the closures: what the POS took (expected), what
 * was counted, what Tillbridge posted to the deposit account (read back from QBO's journal entries,
 * so an edit in QBO shows), and which account that is. A payments journal line of a closure names
 * its payment type first ("Cash: counted 120.00 …"), which is how a line is tied to its type.
 */

const DAY_MS = 24 * 3600 * 1000;
const Payments = z.array(
  z.object({
    paymentTypeId: z.string(),
    name: z.string(),
    expectedMinor: z.number().int().nullable(),
    countedMinor: z.number().int().nullable(),
  }),
);

/** Signed (debit positive) amounts of a journal entry's lines, by the payment type name that starts their description. */
function postedByName(raw: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const doc = QboDoc.safeParse(raw);
  if (!doc.success || doc.data.TxnStatus === "Voided") return out;
  for (const line of doc.data.Line) {
    const d = line.JournalEntryLineDetail;
    const m = /^(.+?): counted /.exec(line.Description ?? "");
    if (!d || !m || line.Amount === undefined) continue;
    const amount = parseMinor(String(line.Amount)) * (d.PostingType === "Credit" ? -1 : 1);
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + amount);
  }
  return out;
}

export async function reconciliation(
  s: Services,
  tenantId: string,
  from: string,
  to: string,
): Promise<ReconciliationResponse> {
  const store = await storeContext(s, tenantId);
  // a day's closures opened within a day of its UTC bounds, whatever the zone
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS).toISOString();
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * DAY_MS).toISOString();
  const closures = (await closuresOpenedBetween(s.db, tenantId, start, end))
    .map((c) => ({ ...c, date: businessDate(c.opened_at, store.timeZone) }))
    .filter((c) => c.date >= from && c.date <= to);
  const refs: ObjectRef[] = closures.map((c) => ({ kind: "closure", posId: c.id }));
  const [items, { mappings }] = await Promise.all([currentItems(s.db, tenantId, refs), getMappings(s.db, tenantId)]);
  const itemOf = new Map(items.map((i) => [i.pos_id, i]));
  const journals = items.flatMap((i) =>
    docsOf(i)
      .filter((d) => d.entity === "JournalEntry")
      .map((d) => d.id),
  );

  const port = await openQboPort(s, tenantId);
  const [docs, qboRefs] = await Promise.all([
    journals.length ? port.readDocuments("JournalEntry", journals) : Promise.resolve([]),
    port.refs(),
  ]);
  const postedOf = new Map<string, Map<string, number>>();
  for (const raw of docs) {
    const id = QboDoc.safeParse(raw).data?.Id;
    if (id) postedOf.set(id, postedByName(raw));
  }

  const rows = new Map<string, ReconciliationRow>();
  for (const c of closures) {
    const item = itemOf.get(c.id);
    const posted = item?.state === "posted" || item?.state === "superseded";
    const journal = item ? docsOf(item).find((d) => d.entity === "JournalEntry") : undefined;
    const lines = journal ? postedOf.get(journal.id) : undefined;
    for (const p of Payments.parse(JSON.parse(c.payments_json ?? "[]"))) {
      const key = `${c.date}\u0000${p.paymentTypeId}`;
      let row = rows.get(key);
      if (!row) {
        const m = mappings.paymentTypes[p.paymentTypeId];
        const accountId = m?.role === "deposit" ? m.accountId : null;
        row = {
          date: c.date,
          paymentTypeId: p.paymentTypeId,
          name: p.name,
          role: m?.role ?? null,
          account: accountId
            ? { id: accountId, name: qboRefs.accounts.find((a) => a.id === accountId)?.name ?? accountId }
            : null,
          closures: 0,
          takenMinor: 0,
          countedMinor: 0,
          countedUnknown: 0,
          postedMinor: m?.role === "deposit" ? 0 : null,
          waiting: 0,
        };
        rows.set(key, row);
      }
      row.closures++;
      row.takenMinor += p.expectedMinor ?? 0;
      if (p.countedMinor === null) row.countedUnknown++;
      else row.countedMinor += p.countedMinor;
      if (!posted) row.waiting++;
      else if (row.postedMinor !== null) row.postedMinor += lines?.get(p.name) ?? 0;
    }
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.date === b.date ? a.name.localeCompare(b.name) : a.date < b.date ? -1 : 1,
  );
  return { from, to, timeZone: store.timeZone, rows: sorted };
}
