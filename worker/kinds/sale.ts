import type { Sale } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { type AccountSaleRow, accountSales } from "../db/register-sequences";
import { currentItem, healBlocked } from "../db/sync-items";
import { buildSaleInvoicePosting, withSaleCogs } from "../ledger";
import { classifySale } from "../pos/mappers/sale-state";
import type { ChangedSale } from "../pos/port";
import { accountCreditsOf, creditsOnSale, type StoredAccountSale, storedAccountCredits } from "./account-credit";
import { defineKind, type Discovery, type HistoryRange, type RangeObject, waitingFor } from "./kind";
import { itemOnClick } from "./record";
import { salePaymentId } from "./sale-payment";

/**
 * An on-account or layby sale: an Invoice to its customer (a CreditMemo when it is a refund),
 * DESIGN §1.3. Other sales post inside their register closure. Discovery records each payment taken
 * on it too (kinds/sale-payment.ts), right after the sale, so an invoice comes before its payments,
 * and for a return on account the credit applied to the original invoice (kinds/account-credit.ts).
 */
export default defineKind({
  kind: "sale",
  entities: ["Invoice", "CreditMemo", "JournalEntry"],

  discover: async (d) => {
    let created = 0;
    for (const changed of (await d.storedSales()).sales) {
      if (!postsAsInvoice(changed)) continue;
      const sale = await loadForDiscovery(d, changed.id);
      if (sale === "unreadable") created += Number(await d.record("sale", changed.id));
      if (!sale || sale === "unreadable" || !isRecent(sale, d.syncFrom)) continue;
      created += await recordWithItsOwn(d, sale);
      // a return's credit applies to the original invoice: one from before Tillbridge was connected comes in now
      if (sale.returnForSaleId !== null && !(await currentItem(d.s.db, d.tenantId, "sale", sale.returnForSaleId))) {
        const original = await loadForDiscovery(d, sale.returnForSaleId);
        if (original && original !== "unreadable" && original.kind !== "regular")
          created += await recordWithItsOwn(d, original);
      }
    }
    return created;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "sale", posId, async () => {
      const sale = await c.pos.loadSale(posId);
      if (sale.kind === "regular")
        throw new TillbridgeError(
          "bad_request",
          "only on-account and layby sales post as invoices; other sales post with their register closure",
        );
    }),

  build: async (b, posId) => {
    const sale: Sale = { ...(await b.pos.loadSale(posId)), version: b.posVersion };
    return [await b.withParties((r) => withSaleCogs(buildSaleInvoicePosting(sale, b.ledger, r), sale, b.ledger))];
  },

  appliedBy: { kind: "sale_payment", entity: "Payment", to: "Invoice" },
  // credits on account applied to its invoice, or from its credit memo when it is a return (kinds/account-credit.ts)
  creditsOn: creditsOnSale,
  // payments taken on the sale wait for its invoice: now they can go
  afterPosted: async ({ db, now }, row) =>
    void (await healBlocked(db, row.tenant_id, waitingFor("sale", row.pos_id), now)),

  backfill: {
    rank: 0,
    objectsIn: async (r) => ({ objects: inRange(r, await accountSales(r.s.db, r.tenantId)) }),
  },
});

/** The sale, every payment taken on it, and a return's or a cancellation's credit (kinds/account-credit.ts). */
async function recordWithItsOwn(d: Discovery, sale: Sale): Promise<number> {
  let created = Number(await d.record("sale", sale.id));
  for (const p of sale.payments)
    if (p.amountMinor !== 0) created += Number(await d.record("sale_payment", salePaymentId(sale.id, p.id)));
  for (const id of accountCreditsOf(sale)) created += Number(await d.record("account_credit", id));
  return created;
}

const postsAsInvoice = (c: ChangedSale) =>
  (c.kind === "on_account" || c.kind === "layby") && (c.state === "pending" || c.state === "closed");

/**
 * A sale from before Tillbridge was connected comes in when a payment is taken on it now: the
 * payment must apply to an invoice, and the invoice carries the earlier payments too, so the
 * customer's balance in QBO is the POS's.
 */
const isRecent = (sale: Sale, syncFrom: string) =>
  sale.saleDate.slice(0, 10) >= syncFrom || sale.payments.some((p) => p.paidAt.slice(0, 10) >= syncFrom);

/**
 * One sale the POS garbles must not stop discovery of every sale after it: it gets its item, whose
 * posting says what cannot be read ("unreadable"). One gone meanwhile has nothing to post (null).
 */
async function loadForDiscovery(d: Discovery, saleId: string): Promise<Sale | "unreadable" | null> {
  try {
    return await d.pos.loadSale(saleId);
  } catch (e) {
    if (!(e instanceof TillbridgeError) || (e.code !== "pos_payload_invalid" && e.code !== "pos_not_found")) throw e;
    d.s.log.warn("pos sale unreadable at discovery", { sale: saleId, fault: e.code });
    return e.code === "pos_payload_invalid" ? "unreadable" : null;
  }
}

/**
 * The stored on-account and layby sales of a backfill's range — by their date, a payment's or their
 * credit's — each with everything of its own, as discovery records them (recordWithItsOwn): every
 * payment taken on it and its credits on account (kinds/account-credit.ts). A return's credit
 * applies to the original's invoice, and that invoice's open balance is the POS's only once its
 * returns are credited: a return of the range brings its original, an original brings its returns.
 * All from the connector's stored JSON, in the one statement that lists them.
 */
function inRange(r: HistoryRange, rows: readonly AccountSaleRow[]): RangeObject[] {
  const sales = new Map<string, ListedSale>();
  for (const row of rows) {
    const sale = listed(r, row);
    if (sale) sales.set(sale.id, sale);
  }
  const taken = new Set([...sales.values()].filter((s) => s.days.some((d) => r.inRange(d))).map((s) => s.id));
  for (const s of sales.values()) {
    const original = s.returnForSaleId;
    if (original !== null && sales.has(original) && (taken.has(s.id) || taken.has(original))) {
      taken.add(s.id);
      taken.add(original);
    }
  }
  return [...taken].flatMap((id) => sales.get(id)!.objects);
}

interface ListedSale extends StoredAccountSale {
  /** Its own day and its payments' (a credit posts on one of them) */
  days: string[];
  objects: RangeObject[];
}

/** A stored sale that posts as an invoice, with its objects; null for one that posts nothing of its own. */
function listed(r: HistoryRange, sale: AccountSaleRow): ListedSale | null {
  const attrs = sale.attributes
    ? (JSON.parse(sale.attributes) as unknown[]).filter((a): a is string => typeof a === "string")
    : null;
  const c = classifySale(sale.state, attrs, sale.status);
  if ("error" in c || c.kind === "regular" || (c.state !== "pending" && c.state !== "closed")) return null;
  const zone = r.zoneOfOutlet(sale.outlet_id);
  const saleDay = r.localDay(sale.sale_date, zone);
  if (!saleDay) return null;
  const payments = (JSON.parse(sale.payments) as unknown[][])
    .filter(([, , , deleted]) => deleted === null || deleted === undefined)
    .map(([id, amount, at]) => ({
      id: typeof id === "string" || typeof id === "number" ? String(id) : null,
      zero: amount === null || /^-?0*(\.0*)?$/.test(String(amount)),
      refund: /^\s*-/.test(String(amount)),
      day: r.localDay(typeof at === "string" ? at : null, zone),
    }));
  const stored: StoredAccountSale = {
    id: sale.id,
    kind: c.kind,
    returnForSaleId: sale.return_for,
    returningLines: sale.returning_lines,
    sellingLines: sale.selling_lines,
    saleDay,
    refundDays: payments.flatMap((p) => (p.refund && !p.zero && p.day ? [p.day] : [])),
  };
  return {
    ...stored,
    days: [saleDay, ...payments.flatMap((p) => (p.day ? [p.day] : []))],
    objects: [
      { kind: "sale", posId: sale.id, businessDate: saleDay },
      ...payments
        .filter((p) => p.id && !p.zero)
        .map(
          (p): RangeObject => ({ kind: "sale_payment", posId: `${sale.id}:${p.id}`, businessDate: p.day ?? saleDay }),
        ),
      ...storedAccountCredits(stored),
    ],
  };
}
