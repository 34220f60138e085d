import type { Lang } from "../../shared/errors";
import type { ObjectStatus } from "../../shared/sync";
import type { Services } from "../services";

/**
 * Notes a badge shows beside its state, found by the drift check (sync/drift.ts) and kept where a
 * page view reads them without asking QBO:
 * - for on-account and layby sales, a payment recorded on the invoice in QBO rather than in the POS
 *   ("paid in QBO: apply it in the POS"), in KV;
 * - for any posted object, a document edited, voided or deleted in QBO after it was posted, in D1.
 */
export const paidInQboKey = (tenantId: string, saleId: string) => `qbo-paid:${tenantId}:${saleId}`;

const PAID: Record<Lang, (amount: string) => string> = {
  en: (amount) => `Paid in QuickBooks Online (${amount}): apply this payment to the sale in the POS.`,
  fr: (amount) => `Payé dans QuickBooks En ligne (${amount}) : appliquez ce paiement à la vente dans le POS.`,
};

type DriftNote = "edited" | "voided" | "deleted";
const DRIFT: Record<Lang, Record<DriftNote, (doc: string, detail: string) => string>> = {
  en: {
    edited: (doc, detail) => `${doc} was edited in QuickBooks Online after Tillbridge posted it${detail ? ` (${detail})` : ""}. Check it in QuickBooks Online, or re-send the posting from Tillbridge.`,
    voided: (doc) => `${doc} was voided in QuickBooks Online. Re-send the posting from Tillbridge if it should stand.`,
    deleted: (doc) => `${doc} was deleted in QuickBooks Online. Re-send the posting from Tillbridge if it should stand.`,
  },
  fr: {
    edited: (doc, detail) => `${doc} a été modifié dans QuickBooks En ligne après l'envoi par Tillbridge${detail ? ` (${detail})` : ""}. Vérifiez-le dans QuickBooks En ligne, ou renvoyez l'écriture depuis Tillbridge.`,
    voided: (doc) => `${doc} a été annulé dans QuickBooks En ligne. Renvoyez l'écriture depuis Tillbridge si elle doit être maintenue.`,
    deleted: (doc) => `${doc} a été supprimé dans QuickBooks En ligne. Renvoyez l'écriture depuis Tillbridge si elle doit être maintenue.`,
  },
};

const note = (status: ObjectStatus, text: string) => void (status.notes = [...(status.notes ?? []), text]);

async function paidNotes(s: Services, tenantId: string, statuses: ObjectStatus[], lang: Lang): Promise<void> {
  const sales = statuses.filter((x) => x.kind === "sale" && x.state === "posted");
  await Promise.all(
    sales.map(async (status) => {
      const amount = await s.kv.get(paidInQboKey(tenantId, status.posId));
      if (amount) note(status, PAID[lang](amount));
    }),
  );
}

/** One query for every object on the page: documents of its current posting flagged by the drift check. */
async function driftNotes(s: Services, tenantId: string, statuses: ObjectStatus[], lang: Lang): Promise<void> {
  const posted = statuses.filter((x) => x.state === "posted");
  if (posted.length === 0) return;
  const { results } = await s.db
    .prepare(
      `SELECT d.kind, d.pos_id, d.entity, d.qbo_id, d.doc_number, d.status, d.detail FROM json_each(?2) AS j
       JOIN drift_docs AS d ON d.tenant_id = ?1 AND d.kind = json_extract(j.value, '$.kind') AND d.pos_id = json_extract(j.value, '$.posId')
       JOIN sync_items AS s ON s.id = d.item_id AND s.state = 'posted'
       WHERE d.status != 'ok' ORDER BY d.pos_id, d.part`,
    )
    .bind(tenantId, JSON.stringify(posted.map((x) => ({ kind: x.kind, posId: x.posId }))))
    .all<{ kind: string; pos_id: string; entity: string; qbo_id: string; doc_number: string | null; status: DriftNote; detail: string | null }>();
  for (const r of results) {
    const status = posted.find((x) => x.kind === r.kind && x.posId === r.pos_id);
    if (status) note(status, DRIFT[lang][r.status](`${r.entity} ${r.doc_number ?? r.qbo_id}`, r.detail ?? ""));
  }
}

export async function statusNotes(s: Services, tenantId: string, statuses: ObjectStatus[], lang: Lang): Promise<void> {
  await Promise.all([paidNotes(s, tenantId, statuses, lang), driftNotes(s, tenantId, statuses, lang)]);
}

