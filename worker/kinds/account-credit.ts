import type { Sale } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import type { ObjectKind, QboEntity } from "../../shared/sync";
import { returnsOf } from "../db/pos-objects";
import { currentItem, docsOf, healBlocked } from "../db/sync-items";
import { buildAccountCreditPosting, buildCancellationPosting, cancelledParts, creditOnAccount } from "../ledger";
import { type Build, defineKind, type RangeObject, waitingFor } from "./kind";

/**
 * Credit on account (SPEC §4.4): the return of an on-account sale whose refund went back on
 * account, or a cancelled layby. A return posts its own CreditMemo (kinds/sale.ts); a layby's
 * cancelling lines post theirs here, as `cancel:<sale id>`. The credit is then applied to the open
 * invoice — a Payment of no money linking both, keyed by the return's (or layby's) id — so the
 * invoice's open balance is what the POS says the customer still owes. Found with the sale
 * (kinds/sale.ts records them); each waits for the documents it links.
 */
export default defineKind({
  kind: "account_credit",
  entities: ["CreditMemo", "Payment"],

  build: async (b, posId) => {
    if (posId.startsWith(CANCEL)) {
      const sale = await b.pos.loadSale(posId.slice(CANCEL.length));
      return [await b.withParties((r) => buildCancellationPosting(sale, b.ledger, r))];
    }
    const sale = await b.pos.loadSale(posId);
    const linked = b.resolve ? await linkedDocuments(b, sale) : {};
    return [await b.withParties((r) => buildAccountCreditPosting(sale, b.ledger, { ...r, ...linked }))];
  },

  // a cancellation's credit memo is posted: its credit can be applied now
  afterPosted: async ({ db, now }, row) => {
    if (row.pos_id.startsWith(CANCEL))
      await healBlocked(db, row.tenant_id, waitingFor("account_credit", row.pos_id), now);
  },

  // a cancellation's credit memo is applied by the layby's own credit
  creditsOn: async (_db, _tenantId, posId) =>
    posId.startsWith(CANCEL) ? [{ kind: "account_credit", posId: posId.slice(CANCEL.length) }] : [],

  // after the day's invoices (0) and payments (2); listed with their sale by the sale kind's backfill
  backfill: { rank: 4 },
});

const CANCEL = "cancel:";
/** An application posts after the credit memo it applies, on the same day (the cancellation's are both ours). */
const APPLICATION_RANK = 5;

/**
 * The credits that may apply to a sale's documents: its own (a cancelled layby's, applied to its
 * invoice; a return's, applied from its credit memo) and those of the sales that return it.
 */
export async function creditsOnSale(
  db: D1Database,
  tenantId: string,
  saleId: string,
): Promise<{ kind: ObjectKind; posId: string }[]> {
  const ids = [saleId, ...(await returnsOf(db, tenantId, saleId))];
  return ids.map((posId) => ({ kind: "account_credit", posId }));
}

/** The account-credit items a sale calls for: a cancellation's credit memo, and each credit's application. */
export function accountCreditsOf(sale: Sale): string[] {
  if (sale.kind === "regular") return [];
  if (sale.returnForSaleId !== null) return [sale.id];
  return cancelledParts(sale) ? [`${CANCEL}${sale.id}`, sale.id] : [];
}

/**
 * A stored on-account or layby sale as a backfill reads it from the connector's stored JSON, without
 * loading it: what accountCreditsOf and cancelledParts need to know.
 */
export interface StoredAccountSale {
  id: string;
  kind: "on_account" | "layby";
  returnForSaleId: string | null;
  /** Lines (not voided) that take something back, and lines that sell */
  returningLines: number;
  sellingLines: number;
  /** Its local business day, and that of each payment of money paid out (refunds), in the outlet's zone */
  saleDay: string;
  refundDays: string[];
}

/**
 * The account-credit objects of a backfill (accountCreditsOf's, from stored data), each on the
 * business day its credit posts on: a return's own day; a cancellation's, the day its money went
 * back (its last refund), else the layby's own day, as cancelledParts dates it.
 */
export function storedAccountCredits(sale: StoredAccountSale): RangeObject[] {
  const apply = (businessDate: string): RangeObject => ({
    kind: "account_credit",
    posId: sale.id,
    businessDate,
    rank: APPLICATION_RANK,
  });
  if (sale.returnForSaleId !== null) return [apply(sale.saleDay)];
  if (sale.kind !== "layby" || sale.returningLines === 0 || sale.sellingLines === 0) return [];
  const day = [...sale.refundDays].sort().at(-1) ?? sale.saleDay;
  return [{ kind: "account_credit", posId: `${CANCEL}${sale.id}`, businessDate: day }, apply(day)];
}

/** The invoice the credit applies to and the credit memo it applies, once both are posted. */
async function linkedDocuments(b: Build, sale: Sale): Promise<{ invoiceId?: string; creditMemoId?: string }> {
  // a voided return credits nothing (the ledger posts nothing for it): there is nothing to wait for
  if (sale.state === "voided" || sale.state === "parked") return {};
  const found = creditOnAccount(sale, b.ledger);
  if (!found || found.amountMinor <= 0) return {};
  const memo =
    sale.returnForSaleId !== null
      ? await documentOf(b, "sale", sale.id, "CreditMemo")
      : await documentOf(b, "account_credit", `${CANCEL}${sale.id}`, "CreditMemo");
  return { invoiceId: await documentOf(b, "sale", found.invoiceOfSaleId, "Invoice"), creditMemoId: memo };
}

/** The QBO id of a posted document of another item; until it is posted, the credit waits for it. */
async function documentOf(b: Build, kind: ObjectKind, posId: string, entity: QboEntity): Promise<string> {
  const item = await currentItem(b.s.db, b.tenantId, kind, posId);
  const doc = item?.state === "posted" ? docsOf(item).find((d) => d.entity === entity) : undefined;
  if (!doc) {
    const what = entity === "Invoice" ? "invoice" : "credit memo";
    const of = kind === "sale" ? `sale ${posId}` : `the cancellation of sale ${posId.slice(CANCEL.length)}`;
    throw new TillbridgeError("waiting_for", `the ${what} of ${of}`, { mappingKey: `${kind}:${posId}` });
  }
  return doc.id;
}
