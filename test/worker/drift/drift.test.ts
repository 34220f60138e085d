import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditResponse, DriftResponse, StatusResponse } from "../../../shared/api";
import type { SavedEntity } from "../../../worker/qbo/client";
import { checkDrift } from "../../../worker/sync/drift";
import { createStack, type Stack, TENANT } from "../support/stack";
import { bookkeeper, docsOfItem, forgetEverything, itemsOf, trade } from "./helpers";

afterEach(forgetEverything);

/** A line amount changed by hand in QBO, the way a bookkeeper edits a sales receipt. */
/** A bookkeeper's edit of the first line's amount; QBO then computes the tax itself, unless it is given back. */
async function editFirstLine(
  stack: Stack,
  entity: string,
  id: string,
  amount: number,
  taxDetail?: unknown,
): Promise<void> {
  const client = await bookkeeper(stack);
  const doc = await client.read<SavedEntity & { Line: Record<string, unknown>[] }>(entity, id);
  const lines = doc.Line.filter((l) => l.DetailType === "SalesItemLineDetail").map((l, i) =>
    i === 0
      ? {
          ...l,
          Amount: amount,
          SalesItemLineDetail: { ...(l.SalesItemLineDetail as object), Qty: 1, UnitPrice: amount },
        }
      : l,
  );
  const tax = taxDetail === undefined ? {} : { TxnTaxDetail: taxDetail };
  await client.update(entity, { Id: doc.Id, SyncToken: doc.SyncToken!, Line: lines, ...tax }, `edit-${id}-${amount}`);
}

async function statusOf(stack: Stack, kind: string, posIds: string[], lang = "en") {
  const res = await stack.api<StatusResponse>("/api/status", {
    body: { objects: posIds.map((posId) => ({ kind, posId })) },
    lang,
  });
  expect(res.status).toBe(200);
  return res.body.objects;
}

/** An on-account sale with a deposit taken in the POS and the rest still owed, posted by Tillbridge. */
async function onAccountSale(stack: Stack) {
  const store = stack.pos.store(TENANT);
  const register = Object.values(store.registers)[0]!;
  const customer = Object.values(store.customers)[0]!;
  const product = Object.values(store.products).find((p) => p.kind === "product" && Number(p.price) > 20)!;
  const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
  stack.pos.openRegister(TENANT, register.id);
  const made = stack.pos.addSale(TENANT, {
    registerId: register.id,
    customerId: customer.id,
    kind: "onaccount",
    lines: [{ productId: product.id, quantity: 2 }],
    payments: [{ paymentTypeId: cash.id, amount: "5.00" }],
  });
  await stack.settle();
  await stack.cron();
  await stack.cron();
  const sale = (await itemsOf("sale")).find((r) => r.pos_id === made.id)!;
  const invoiceId = docsOfItem(sale).find((d) => d.entity === "Invoice")!.id;
  const invoice = await (await bookkeeper(stack)).read<SavedEntity & { CustomerRef: { value: string } }>(
    "Invoice",
    invoiceId,
  );
  return { sale, invoiceId, customerId: invoice.CustomerRef.value };
}

const paidInQbo = async (invoiceId: string) =>
  (
    await env.DB.prepare(
      "SELECT paid_in_qbo_minor AS m FROM drift_docs WHERE tenant_id = ?1 AND entity = 'Invoice' AND qbo_id = ?2",
    )
      .bind(TENANT, invoiceId)
      .first<{ m: number | null }>()
  )?.m ?? null;

describe("drift check: documents read back from QBO", () => {
  it("flags documents edited, voided or deleted in QBO, in the badge's notes and the audit trail, and clears them when put back", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const closures = await itemsOf("closure");
    expect(closures.length).toBeGreaterThanOrEqual(3);
    const s = stack.services();

    const first = await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    expect(first.changed).toEqual([]);
    expect(first.checked).toBeGreaterThanOrEqual(closures.length * 2);

    const [a, b, c] = closures as [(typeof closures)[0], (typeof closures)[0], (typeof closures)[0]];
    const salesA = docsOfItem(a).find((d) => d.part === "sales")!;
    const journalB = docsOfItem(b).find((d) => d.part === "payments")!;
    const salesC = docsOfItem(c).find((d) => d.part === "sales")!;
    const client = await bookkeeper(stack);
    const before = await client.read<SavedEntity & { Line: { Amount: number }[]; TxnTaxDetail?: unknown }>(
      salesA.entity,
      salesA.id,
    );
    await editFirstLine(stack, salesA.entity, salesA.id, 1.23);
    const journal = await client.read(journalB.entity, journalB.id);
    await client.delete(journalB.entity, { Id: journal.Id, SyncToken: journal.SyncToken! }, "del-journal");
    const receipt = await client.read(salesC.entity, salesC.id);
    await client.void(salesC.entity, { Id: receipt.Id, SyncToken: receipt.SyncToken! }, "void-receipt");
    // a memo is not money: changing it is not drift
    const other = docsOfItem(c).find((d) => d.part === "payments")!;
    const otherDoc = await client.read(other.entity, other.id);
    await client.update(
      other.entity,
      { Id: otherDoc.Id, SyncToken: otherDoc.SyncToken!, PrivateNote: "checked by the bookkeeper" },
      "memo-only",
    );

    const second = await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    const found = second.changed.map((x) => [x.posId, x.entity, x.qboId, x.status]).sort();
    expect(found).toEqual(
      [
        [a.pos_id, salesA.entity, salesA.id, "edited"],
        [b.pos_id, "JournalEntry", journalB.id, "deleted"],
        [c.pos_id, salesC.entity, salesC.id, "voided"],
      ].sort(),
    );
    const edited = second.changed.find((x) => x.status === "edited")!;
    expect(edited.detail).toContain(`${(before.Line[0]!.Amount).toFixed(2)} → 1.23`);

    const notes = await statusOf(stack, "closure", [a.pos_id, b.pos_id, c.pos_id, closures[3]?.pos_id ?? a.pos_id]);
    expect(notes[0]!.notes!.join(" ")).toMatch(
      new RegExp(`${salesA.entity} ${salesA.docNumber} was edited in QuickBooks Online .*→ 1\\.23`),
    );
    expect(notes[1]!.notes!.join(" ")).toContain(`JournalEntry ${journalB.docNumber} was deleted in QuickBooks Online`);
    expect(notes[2]!.notes!.join(" ")).toContain(
      `${salesC.entity} ${salesC.docNumber} was voided in QuickBooks Online`,
    );
    const fr = await statusOf(stack, "closure", [b.pos_id], "fr");
    expect(fr[0]!.notes!.join(" ")).toContain("a été supprimé dans QuickBooks En ligne");

    const audit = await stack.api<AuditResponse>("/api/audit?action=drift");
    expect(audit.body.entries.map((e) => [e.posId, e.qboEntity, e.qboId, e.actor]).sort()).toEqual(
      [
        [a.pos_id, salesA.entity, salesA.id, "cron"],
        [b.pos_id, "JournalEntry", journalB.id, "cron"],
        [c.pos_id, salesC.entity, salesC.id, "cron"],
      ].sort(),
    );
    const report = await stack.api<DriftResponse>("/api/reports/drift");
    expect(report.body.documents.map((d) => d.status).sort()).toEqual(["deleted", "edited", "voided"]);
    // named as the POS names them, with the store's time zone for the page
    expect(report.body.timeZone).toBe("America/Toronto");
    for (const d of report.body.documents) expect(d.posName, d.posId).toMatch(/^.+ #\d+$/);

    // a third run finds nothing new to say
    expect((await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 })).changed).toEqual([]);

    // the bookkeeper puts the amount back, and the tax as Tillbridge booked it (QBO's own computation
    // may differ from the POS's by a cent): the flag goes, and the trail says so
    await editFirstLine(stack, salesA.entity, salesA.id, before.Line[0]!.Amount, before.TxnTaxDetail);
    const fourth = await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    expect(fourth.changed.map((x) => [x.qboId, x.status])).toEqual([[salesA.id, "ok"]]);
    expect((await statusOf(stack, "closure", [a.pos_id]))[0]!.notes).toBeUndefined();
    expect(
      (await stack.api<AuditResponse>("/api/audit?action=drift_cleared")).body.entries.map((e) => e.qboId),
    ).toEqual([salesA.id]);
  });

  it("reads a few documents a run, never-checked first then the longest unchecked, within its read budget", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const s = stack.services();
    const { results } = await env.DB.prepare(
      "SELECT docs_json FROM sync_items WHERE tenant_id = ?1 AND state = 'posted'",
    )
      .bind(TENANT)
      .all<{ docs_json: string }>();
    const total = results.reduce((n, r) => n + (JSON.parse(r.docs_json) as unknown[]).length, 0);
    expect(total).toBeGreaterThan(6);

    const log = () => stack.qbo.requestLog(stack.realmId).filter((r) => r.operation === "query").length;
    const seen = new Set<string>();
    let runs = 0;
    while (seen.size < total) {
      const queriesBefore = log();
      const run = await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 4, maxReads: 1 });
      // one QBO read a run (the refs come from the cache)
      expect(log() - queriesBefore).toBe(1);
      expect(run.reads).toBe(1);
      expect(run.checked).toBeGreaterThan(0);
      expect(run.checked).toBeLessThanOrEqual(4);
      const { results: checked } = await env.DB.prepare(
        "SELECT entity || ':' || qbo_id AS k FROM drift_docs WHERE tenant_id = ?1 ORDER BY checked_at DESC LIMIT ?2",
      )
        .bind(TENANT, run.checked)
        .all<{ k: string }>();
      for (const r of checked) {
        expect(seen.has(r.k)).toBe(false); // never a document twice before every one was read once
        seen.add(r.k);
      }
      stack.advance(60_000);
      expect(++runs).toBeLessThan(total);
    }
    // every document read once: the next run goes back to one read longest ago (a run reads several
    // documents at one time, so several may share that time; any of them is the longest unchecked)
    const { results: oldest } = await env.DB.prepare(
      `SELECT entity || ':' || qbo_id AS k FROM drift_docs WHERE tenant_id = ?1
       AND checked_at = (SELECT MIN(checked_at) FROM drift_docs WHERE tenant_id = ?1)`,
    )
      .bind(TENANT)
      .all<{ k: string }>();
    expect(oldest.length).toBeGreaterThan(0);
    expect(oldest.length).toBeLessThanOrEqual(4);
    await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 1, maxReads: 1 });
    const newest = await env.DB.prepare(
      "SELECT entity || ':' || qbo_id AS k FROM drift_docs WHERE tenant_id = ?1 ORDER BY checked_at DESC LIMIT 1",
    )
      .bind(TENANT)
      .first<{ k: string }>();
    expect(oldest.map((r) => r.k)).toContain(newest!.k);
  });

  it("with the cron's defaults, reads at most every 15 minutes, and waits quietly while QBO is disconnected", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const s = stack.services();
    const queries = () => stack.qbo.requestLog(stack.realmId).filter((r) => r.operation === "query").length;
    const first = await checkDrift(s, TENANT);
    expect(first.skipped).toBeUndefined();
    expect(first.checked).toBeGreaterThan(0);
    expect(first.checked).toBeLessThanOrEqual(20);
    expect(first.reads).toBeLessThanOrEqual(4);
    const before = queries();
    expect(await checkDrift(s, TENANT)).toMatchObject({ skipped: "too_soon", checked: 0, reads: 0 });
    stack.advance(14 * 60_000);
    expect((await checkDrift(s, TENANT)).skipped).toBe("too_soon");
    expect(queries()).toBe(before);
    stack.advance(2 * 60_000);
    expect((await checkDrift(s, TENANT)).checked).toBeGreaterThan(0);

    expect((await stack.api("/api/qbo/disconnect", { method: "POST" })).status).toBe(200);
    stack.advance(16 * 60_000);
    expect(await checkDrift(s, TENANT)).toMatchObject({ skipped: "qbo_not_connected", checked: 0 });
  });

  it("flags a document already changed when it is first read back", { timeout: 120_000 }, async () => {
    const stack = await createStack();
    await trade(stack);
    const [closure] = await itemsOf("closure");
    const sales = docsOfItem(closure!).find((d) => d.part === "sales")!;
    await editFirstLine(stack, sales.entity, sales.id, 2.5);
    const run = await checkDrift(stack.services(), TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    expect(run.changed).toEqual([
      {
        kind: "closure",
        posId: closure!.pos_id,
        entity: sales.entity,
        qboId: sales.id,
        status: "edited",
        detail: "changed 1 time(s) before Tillbridge first read it back",
      },
    ]);
  });

  it("shows a payment recorded on an on-account invoice in QBO on the sale's badge, and not Tillbridge's own payments", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const s = stack.services();
    const client = await bookkeeper(stack);
    const { sale, invoiceId, customerId } = await onAccountSale(stack);
    expect(sale.state).toBe("posted");
    // Tillbridge's own payment on it is not "paid in QBO"
    const paidInPos = docsOfItem((await itemsOf("sale_payment")).find((p) => p.pos_id.startsWith(`${sale.pos_id}:`))!);
    expect(paidInPos.map((d) => d.entity)).toEqual(["Payment"]);

    await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    expect(await paidInQbo(invoiceId)).toBeNull();
    const before = await statusOf(stack, "sale", [sale.pos_id]);
    expect(before[0]!.notes).toBeUndefined();

    const payment = await client.create(
      "Payment",
      {
        CustomerRef: { value: customerId },
        TotalAmt: 1,
        Line: [{ Amount: 1, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }],
      },
      "paid-in-qbo-1",
    );
    // the invoice is checked again only once every other document has had its turn
    await env.DB.prepare(
      "UPDATE drift_docs SET checked_at = '2000-01-01' WHERE tenant_id = ?1 AND entity = 'Invoice' AND qbo_id = ?2",
    )
      .bind(TENANT, invoiceId)
      .run();
    const run = await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 1, maxReads: 5 });
    expect(run.paidInQbo).toEqual([{ saleId: sale.pos_id, amountMinor: 100 }]);
    expect(run.changed).toEqual([]); // a payment applied is not an edit of the invoice
    const after = await statusOf(stack, "sale", [sale.pos_id]);
    expect(after[0]!.notes).toEqual(["Paid in QuickBooks Online (1.00): apply this payment to the sale in the POS."]);
    const audit = await stack.api<AuditResponse>("/api/audit?action=paid_in_qbo");
    expect(audit.body.entries.map((e) => [e.posId, e.qboId])).toEqual([[sale.pos_id, payment.Id]]);

    // voided in QBO: the note goes
    const p = await client.read("Payment", payment.Id);
    await client.void("Payment", { Id: p.Id, SyncToken: p.SyncToken! }, "void-paid-in-qbo");
    await env.DB.prepare(
      "UPDATE drift_docs SET checked_at = '2000-01-01' WHERE tenant_id = ?1 AND entity = 'Invoice' AND qbo_id = ?2",
    )
      .bind(TENANT, invoiceId)
      .run();
    await checkDrift(s, TENANT, { everyMs: 0, maxDocs: 1, maxReads: 5 });
    expect(await paidInQbo(invoiceId)).toBeNull();
    expect((await statusOf(stack, "sale", [sale.pos_id]))[0]!.notes).toBeUndefined();
  });
});
