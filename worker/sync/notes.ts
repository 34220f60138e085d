import type { Lang } from "../../shared/errors";
import type { ObjectStatus } from "../../shared/sync";
import { findKind } from "../kinds";
import type { Services } from "../services";
import { formatMinor } from "../../shared/money";
import { driftNotes, type DriftStatus } from "../db/drift-docs";

/**
 * Notes a badge shows beside its state, found by the drift check (sync/drift.ts) and kept in D1
 * (drift_docs) where a page view reads them all in one query, without asking QBO:
 * - for on-account and layby sales, a payment recorded on the invoice in QBO rather than in the POS
 *   ("paid in QBO: apply it in the POS");
 * - for any posted object, a document edited, voided or deleted in QBO after it was posted.
 */

const PAID: Record<Lang, (amount: string) => string> = {
  en: (amount) => `Paid in QuickBooks Online (${amount}): apply this payment to the sale in the POS.`,
  fr: (amount) => `Payé dans QuickBooks En ligne (${amount}) : appliquez ce paiement à la vente dans le POS.`,
};

type DriftNote = Exclude<DriftStatus, "ok">;
const DRIFT: Record<Lang, Record<DriftNote, (doc: string, detail: string) => string>> = {
  en: {
    edited: (doc, detail) =>
      `${doc} was edited in QuickBooks Online after Tillbridge posted it${detail ? ` (${detail})` : ""}. Check it in QuickBooks Online, or re-send the posting from Tillbridge.`,
    voided: (doc) => `${doc} was voided in QuickBooks Online. Re-send the posting from Tillbridge if it should stand.`,
    deleted: (doc) =>
      `${doc} was deleted in QuickBooks Online. Re-send the posting from Tillbridge if it should stand.`,
  },
  fr: {
    edited: (doc, detail) =>
      `${doc} a été modifié dans QuickBooks En ligne après l'envoi par Tillbridge${detail ? ` (${detail})` : ""}. Vérifiez-le dans QuickBooks En ligne, ou renvoyez l'écriture depuis Tillbridge.`,
    voided: (doc) =>
      `${doc} a été annulé dans QuickBooks En ligne. Renvoyez l'écriture depuis Tillbridge si elle doit être maintenue.`,
    deleted: (doc) =>
      `${doc} a été supprimé dans QuickBooks En ligne. Renvoyez l'écriture depuis Tillbridge si elle doit être maintenue.`,
  },
};

const note = (status: ObjectStatus, text: string) => void (status.notes = [...(status.notes ?? []), text]);

/** One query for every object on the page: flagged documents of its current posting, and payments made in QBO. */
export async function statusNotes(s: Services, tenantId: string, statuses: ObjectStatus[], lang: Lang): Promise<void> {
  const posted = statuses.filter((x) => x.state === "posted");
  if (posted.length === 0) return;
  const results = await driftNotes(s.db, tenantId, posted);
  // the same object may be asked twice on a page: each of its statuses gets the notes
  const byKey = new Map<string, ObjectStatus[]>();
  for (const x of posted)
    byKey.set(`${x.kind}\u0000${x.posId}`, [...(byKey.get(`${x.kind}\u0000${x.posId}`) ?? []), x]);
  for (const r of results) {
    for (const status of byKey.get(`${r.kind}\u0000${r.pos_id}`) ?? []) {
      if (r.status !== "ok")
        note(status, DRIFT[lang][r.status](`${r.entity} ${r.doc_number ?? r.qbo_id}`, r.detail ?? ""));
      // paid on a document others apply to (an on-account sale's invoice), in QBO rather than the POS
      if (findKind(r.kind)?.appliedBy && (r.paid_in_qbo_minor ?? 0) > 0)
        note(status, PAID[lang](formatMinor(r.paid_in_qbo_minor!)));
    }
  }
}
