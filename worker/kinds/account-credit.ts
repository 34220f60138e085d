import type { QboEntity } from "../../shared/sync";
import { TillbridgeError } from "../../shared/errors";
import { currentItem, docsOf } from "../db/sync-items";
import { buildAccountCreditPosting } from "../ledger";
import { defineKind, type Build } from "./kind";

/**
 * The return of an on-account sale whose refund went back on account (SPEC §4.4): the return posts
 * as its own CreditMemo (kinds/sale.ts), and this applies that credit to the original sale's open
 * invoice — a Payment of no money linking both — so the invoice's open balance is what the POS says
 * the customer still owes. Found with the return (kinds/sale.ts records it), keyed by the return's
 * id; it waits until both the invoice and the credit memo are posted.
 */
export default defineKind({
  kind: "account_credit",
  entities: ["Payment"],

  build: async (b, posId) => {
    const ret = await b.pos.loadSale(posId);
    const linked =
      b.resolve && ret.returnForSaleId !== null
        ? {
            invoiceId: await documentOf(b, ret.returnForSaleId, "Invoice"),
            creditMemoId: await documentOf(b, ret.id, "CreditMemo"),
          }
        : {};
    return [await b.withParties((r) => buildAccountCreditPosting(ret, b.ledger, { ...r, ...linked }))];
  },
});

/** The QBO id of a sale's posted invoice or credit memo; until it is posted, the credit waits for it. */
async function documentOf(b: Build, saleId: string, entity: QboEntity): Promise<string> {
  const item = await currentItem(b.s.db, b.tenantId, "sale", saleId);
  const doc = item?.state === "posted" ? docsOf(item).find((d) => d.entity === entity) : undefined;
  if (!doc)
    throw new TillbridgeError(
      "waiting_for",
      `the ${entity === "Invoice" ? "invoice" : "credit memo"} of sale ${saleId}`,
      {
        mappingKey: `sale:${saleId}`,
      },
    );
  return doc.id;
}
