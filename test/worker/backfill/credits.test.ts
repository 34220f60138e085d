import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { saleBalance } from "../../../sandbox/pos/ops/sales";
import { docsOf, type SyncItemRow } from "../../../worker/db/sync-items";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, trialBalanceMap } from "../support/books";
import { createStack, type Stack, TENANT } from "../support/stack";
import { forgetEverything, qboDocuments, runUntilDone, type BackfillT } from "./harness";
import { expectedRangeBooks, localDay } from "./range-books";

afterEach(forgetEverything);

type Doc = {
  Id: string;
  TotalAmt?: number;
  Balance?: number;
  TxnStatus?: string;
  CustomerRef?: { value: string };
  Line?: {
    Amount?: number;
    JournalEntryLineDetail?: {
      PostingType: string;
      AccountRef: { value: string };
      Entity?: { EntityRef: { value: string } };
    };
  }[];
};

const cents = (amount: number | undefined) => Math.round((amount ?? 0) * 100);

/**
 * Each QBO customer's Accounts Receivable, read from QBO's own documents: invoices up; credit memos
 * and payments down; journal lines on A/R naming the customer (money paid out to them) either way.
 */
function receivableByCustomer(stack: Stack, arAccountId: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (customer: string | undefined, minor: number) => {
    if (customer) out.set(customer, (out.get(customer) ?? 0) + minor);
  };
  const docs = (entity: string) =>
    (stack.qbo.entities(stack.realmId, entity) as Doc[]).filter((d) => d.TxnStatus !== "Voided");
  for (const d of docs("Invoice")) add(d.CustomerRef?.value, cents(d.TotalAmt));
  for (const d of docs("CreditMemo")) add(d.CustomerRef?.value, -cents(d.TotalAmt));
  for (const d of docs("Payment")) add(d.CustomerRef?.value, -cents(d.TotalAmt));
  for (const d of docs("JournalEntry"))
    for (const l of d.Line ?? []) {
      const j = l.JournalEntryLineDetail;
      if (j?.AccountRef.value !== arAccountId) continue;
      add(j.Entity?.EntityRef.value, j.PostingType === "Debit" ? cents(l.Amount) : -cents(l.Amount));
    }
  return out;
}

/**
 * SPEC §4.4 in a backfill: days of full activity from before Tillbridge was connected (the stack
 * connects on 2026-10-31) hold a return on account and cancelled laybys. Oct 10–13: a layby made on
 * Oct 5 is cancelled on the 10th and its deposit refunded at a register; another, made on the 11th,
 * is cancelled on the 17th with its deposit kept as store credit (its sale brings it, with its
 * payments); an on-account sale of Oct 8, paid on the 11th, is returned on account on the 13th.
 */
describe("a backfill of days with returns on account and cancelled laybys", () => {
  it("posts each credit once, applied, so invoices and customers owe in QBO what they owe in the POS", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack({ activity: "full" });
    const store = stack.pos.store(TENANT);
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const refs = await loadRefs(stack.services(), TENANT);
    const before = trialBalanceMap(stack);

    const [from, to] = ["2026-10-10", "2026-10-13"];
    const started = await stack.api<{ backfill: BackfillT }>("/api/backfill", { body: { from, to } });
    expect(started.status).toBe(200);
    await stack.settle();
    const done = await runUntilDone(stack);

    // the POS's side, from its raw records
    const expected = expectedRangeBooks(stack, mappings, refs, from, to);
    const zone = store.retailer.timezone;
    const sales = expected.accountSales.map((id) => store.sales[id]!);
    const returns = sales.filter((s) => s.returnFor !== null);
    const cancelled = sales.filter((s) => s.attributes.includes("layby") && s.lines.some((l) => l.isReturn));
    expect(returns.length, "returns on account").toBeGreaterThanOrEqual(1);
    expect(cancelled.length, "cancelled laybys").toBeGreaterThanOrEqual(2);
    // one cancelled in the range, one after it (brought by its sale); a return's original brought by it
    const refundDay = (id: string) => localDay(store.sales[id]!.payments.find((p) => p.amount < 0)!.at, zone);
    expect(cancelled.some((s) => refundDay(s.id) > to)).toBe(true);
    expect(cancelled.some((s) => refundDay(s.id) <= to && localDay(s.date, zone) < from)).toBe(true);
    expect(returns.every((r) => expected.accountSales.includes(r.returnFor!))).toBe(true);

    const objects =
      expected.closures.length +
      expected.accountSales.length +
      expected.accountPayments.length +
      expected.accountCredits.length +
      expected.giftCardExpiries.length +
      expected.storeCreditIssues.length;
    const { results: states } = await env.DB.prepare(
      "SELECT kind, pos_id, state, reason_code, reason_detail FROM sync_items WHERE state NOT IN ('posted', 'not_applicable', 'superseded')",
    ).all();
    expect(states).toEqual([]);
    expect(done).toMatchObject({ status: "done", total: objects, done: objects, failed: 0, remaining: 0 });

    // each credit on account: one item, posted (or nothing to post: a deposit refunded in full), in
    // the backfill's plan after the invoices and payments it waits for, a credit memo before its application
    const { results: items } = await env.DB.prepare(
      "SELECT * FROM sync_items WHERE tenant_id = ?1 AND state != 'superseded'",
    )
      .bind(TENANT)
      .all<SyncItemRow>();
    expect(items.filter((r) => r.state !== "posted" && r.state !== "not_applicable")).toEqual([]);
    const credits = items.filter((r) => r.kind === "account_credit");
    expect(credits.map((r) => r.pos_id).sort()).toEqual([...expected.accountCredits].sort());
    const { results: plan } = await env.DB.prepare(
      "SELECT seq, kind, pos_id, business_date FROM backfill_items WHERE backfill_id = ?1 ORDER BY seq",
    )
      .bind(done.id)
      .all<{ seq: number; kind: string; pos_id: string; business_date: string }>();
    const seqOf = (kind: string, posId: string) => plan.find((p) => p.kind === kind && p.pos_id === posId)?.seq ?? -1;
    for (const s of returns) {
      expect(seqOf("account_credit", s.id)).toBeGreaterThan(seqOf("sale", s.id));
      expect(seqOf("account_credit", s.id)).toBeGreaterThan(seqOf("sale", s.returnFor!));
      expect(plan.find((p) => p.pos_id === s.id && p.kind === "account_credit")?.business_date).toBe(
        localDay(s.date, zone),
      );
    }
    for (const s of cancelled) {
      const memo = seqOf("account_credit", `cancel:${s.id}`);
      expect(memo).toBeGreaterThan(seqOf("sale", s.id));
      for (const p of s.payments) expect(memo).toBeGreaterThan(seqOf("sale_payment", `${s.id}:${p.id}`));
      expect(seqOf("account_credit", s.id)).toBeGreaterThan(memo);
      // dated when the deposit went back
      expect(plan.find((p) => p.pos_id === `cancel:${s.id}`)?.business_date).toBe(refundDay(s.id));
    }
    // …and once in QBO: a credit memo per cancellation, an application per credit left on account
    const docs = qboDocuments(stack);
    for (const r of credits) {
      for (const d of docsOf(r)) expect(docs.filter((q) => q.entity === d.entity && q.id === d.id)).toHaveLength(1);
      const tagged = docs.filter((q) => q.note.includes(`key tb1|${TENANT}|account_credit|${r.pos_id}|`));
      expect(tagged, r.pos_id).toHaveLength(docsOf(r).length);
    }
    for (const s of cancelled) {
      const memo = credits.find((r) => r.pos_id === `cancel:${s.id}`)!;
      expect(docsOf(memo).map((d) => d.entity)).toEqual(["CreditMemo"]);
    }
    for (const s of returns) {
      const applied = credits.find((r) => r.pos_id === s.id)!;
      expect(applied.state).toBe("posted");
      expect(docsOf(applied).map((d) => d.entity)).toEqual(["Payment"]);
    }
    const tags = docs
      .map((d) => /Tillbridge (\w{10}) \| key [^|]+\| part (\S+)/.exec(d.note)?.slice(1).join("/"))
      .filter(Boolean);
    expect(new Set(tags).size, "one QBO document per posting and part").toBe(tags.length);

    // each invoice's open balance in QBO is what the POS says is still owed on the sale
    const invoices = stack.qbo.entities(stack.realmId, "Invoice") as Doc[];
    const itemOf = (id: string) => items.find((r) => r.kind === "sale" && r.pos_id === id);
    const open = sales
      .filter((s) => s.returnFor === null)
      .map((s) => {
        const id = docsOf(itemOf(s.id)!).find((d) => d.entity === "Invoice")?.id;
        return {
          sale: s.invoiceNumber,
          pos: saleBalance(s, store),
          qbo: cents(invoices.find((i) => i.Id === id)?.Balance),
        };
      });
    expect(open.length).toBeGreaterThanOrEqual(3);
    expect(open.filter((r) => r.pos !== r.qbo)).toEqual([]);

    // each customer of the range's credits owes in QBO what the POS says they owe on the sales the range brought
    const ar = refs.accounts.find((a) => a.accountType === "Accounts Receivable")!.id;
    const receivable = receivableByCustomer(stack, ar);
    const qboCustomerOf = (saleId: string) => {
      const doc = docsOf(itemOf(saleId)!).find((d) => d.entity === "Invoice" || d.entity === "CreditMemo")!;
      return (stack.qbo.entities(stack.realmId, doc.entity) as Doc[]).find((d) => d.Id === doc.id)?.CustomerRef?.value;
    };
    const customers = new Set([...returns, ...cancelled].map((s) => s.customerId!));
    expect(customers.size).toBeGreaterThanOrEqual(2);
    for (const customer of customers) {
      const theirs = sales.filter((s) => s.customerId === customer);
      const inQbo = new Set(theirs.map((s) => qboCustomerOf(s.id)));
      expect(inQbo.size, customer).toBe(1);
      const owed = theirs.reduce((sum, s) => sum + saleBalance(s, store), 0);
      expect(receivable.get([...inQbo][0]!) ?? 0, customer).toBe(owed);
    }

    // and the range's books tie out to the POS
    const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
    const show = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [name(k), v]).sort());
    expect(show(deltas(before, trialBalanceMap(stack)))).toEqual(show(expected.byAccount));
  });
});
