import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument, ReplaceResponse } from "../../../shared/api";
import { saleBalance } from "../../../sandbox/pos/ops/sales";
import { docsOf, type SyncItemRow } from "../../../worker/db/sync-items";
import { checkDrift } from "../../../worker/sync/drift";
import { createStack, forgetAll, type Stack } from "../support/stack";

afterEach(forgetAll);

/**
 * SPEC §4.4: a return of an on-account sale whose refund goes back on account becomes a QBO
 * CreditMemo for the customer, applied to the open invoice, so the invoice's open balance is what
 * the POS says the customer still owes. Through both sandboxes, the cron doing all of it.
 */

type Doc = { Id: string; TotalAmt: number; Balance?: number; RemainingCredit?: number; TxnStatus?: string };

async function item(stack: Stack, kind: string, posId: string): Promise<SyncItemRow | undefined> {
  const row = await stack
    .services()
    .db.prepare(
      "SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND state != 'superseded' ORDER BY id DESC",
    )
    .bind(stack.tenant, kind, posId)
    .first<SyncItemRow>();
  return row ?? undefined;
}

function qboDoc(stack: Stack, entity: string, id: string): Doc {
  const found = (stack.qbo.entities(stack.realmId, entity) as Doc[]).find((d) => d.Id === id);
  if (!found) throw new Error(`no ${entity} ${id} in QBO`);
  return found;
}

const cents = (n: number | undefined) => Math.round((n ?? 0) * 100);

describe("a return on account", () => {
  it("posts a CreditMemo applied to the open invoice; the invoice owes what the POS says", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack({ seed: 42, store: "ca" });
    const store = stack.pos.store(stack.tenant);
    const register = Object.values(store.registers)[0]!;
    const customer = Object.values(store.customers).find((c) => c.companyName !== null)!;
    const [a, b] = Object.values(store.products).filter((p) => p.kind === "product" && p.categoryId !== null);
    stack.pos.openRegister(stack.tenant, register.id, stack.now());
    const sale = stack.pos.addSale(stack.tenant, {
      registerId: register.id,
      kind: "onaccount",
      customerId: customer.id,
      lines: [
        { productId: a!.id, quantity: 2 },
        { productId: b!.id, quantity: 1 },
      ],
    });
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    const invoiceItem = await item(stack, "sale", sale.id);
    expect(invoiceItem?.state).toBe("posted");
    const invoiceId = docsOf(invoiceItem!).find((d) => d.entity === "Invoice")!.id;
    const owedBefore = saleBalance(store.sales[sale.id]!, store);
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(owedBefore);

    // one unit of the first line comes back; the credit goes back on account
    stack.advance(3600_000);
    const ret = stack.pos.returnSale(stack.tenant, sale.id, {
      registerId: register.id,
      at: stack.now().toISOString(),
      lines: [{ lineId: sale.line_items[0]!.id, quantity: "1" }],
      onAccount: true,
    });
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    await stack.cron(); // the credit waits for the credit memo in the first run

    const memoItem = await item(stack, "sale", ret.id);
    expect(memoItem?.state).toBe("posted");
    const memo = docsOf(memoItem!).find((d) => d.entity === "CreditMemo")!;
    const credit = -(store.sales[ret.id]!.totalPrice + store.sales[ret.id]!.totalTax);
    expect(cents(qboDoc(stack, "CreditMemo", memo.id).TotalAmt)).toBe(credit);
    const applied = await item(stack, "account_credit", ret.id);
    expect(applied?.state, applied?.reason_detail ?? "").toBe("posted");

    const owed = saleBalance(store.sales[sale.id]!, store);
    expect(owed).toBe(owedBefore - credit);
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(owed);
    expect(cents(qboDoc(stack, "CreditMemo", memo.id).RemainingCredit)).toBe(0);
    // the customer's A/R in QBO is what they owe on the sale, nothing more
    const payment = qboDoc(stack, "Payment", docsOf(applied!)[0]!.id);
    expect(payment.TotalAmt).toBe(0);
    // Tillbridge's own credit on the invoice is not a payment recorded in QBO: no "paid in QBO" badge
    const drift = await checkDrift(stack.services(), stack.tenant, { everyMs: 0, maxDocs: 200, maxReads: 50 });
    expect(drift.paidInQbo).toEqual([]);
    expect(drift.changed).toEqual([]);

    // the sale changes (its first line's category now maps elsewhere): a re-send replaces what the credit touches
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    // any other sales item will do to change the invoice: the discount item
    const other = doc.mappings.items.discount;
    expect(other).not.toBe(doc.mappings.categories[a!.categoryId!]);
    const saved = await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: { ...doc.mappings, categories: { ...doc.mappings.categories, [a!.categoryId!]: other } },
      },
    });
    expect(saved.status).toBe(200);
    const resend = (kind: string, posId: string) =>
      stack.api<ReplaceResponse>("/api/revisions/replace", { body: { kind, posId } });
    const taken = (r: ReplaceResponse) => r.voided.map((v) => [v.kind, v.posId, v.entity, v.how]);
    const firstApplication = docsOf(applied!)[0]!.id;
    // a payment of Tillbridge's on the invoice that no credit it can find again holds (here: the return's stored
    // record gone) would leave the re-send half-way: it is refused before anything moves, in the person's words
    const db = stack.services().db;
    const stored = await db
      .prepare("SELECT * FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale' AND id = ?2")
      .bind(stack.tenant, ret.id)
      .first<Record<string, unknown>>();
    await db
      .prepare("DELETE FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale' AND id = ?2")
      .bind(stack.tenant, ret.id)
      .run();
    type Refusal = { error: { code: string; message: string; action: string } };
    const refusal = (lang: string) =>
      stack.api<Refusal>("/api/revisions/replace", { body: { kind: "sale", posId: sale.id }, lang });
    const en = await refusal("en");
    expect(en.status, JSON.stringify(en.body)).toBe(409);
    expect(en.body.error.code).toBe("credit_applied");
    expect(en.body.error.message).toContain(`payment ${firstApplication}`);
    expect(en.body.error.action).toMatch(/delete the payment that applies the credit/);
    const fr = await refusal("fr");
    expect(fr.body.error.code).toBe("credit_applied");
    expect(fr.body.error.action).toMatch(/supprimez le paiement qui applique le crédit/);
    expect(qboDoc(stack, "Invoice", invoiceId).TxnStatus).not.toBe("Voided");
    const cols = Object.keys(stored!);
    await db
      .prepare(`INSERT INTO pos_objects (${cols.join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`)
      .bind(...cols.map((c) => stored![c]))
      .run();

    // the credit's payment comes out first (QBO voids no invoice a payment applies to), then the invoice; the new
    // invoice posts, and the credit is applied to it again from the same credit memo
    const sent = await resend("sale", sale.id);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(taken(sent.body)).toEqual([
      ["account_credit", ret.id, "Payment", "delete"],
      ["sale", sale.id, "Invoice", "void"],
    ]);
    expect(sent.body.related.map((r) => [r.kind, r.posId, r.state])).toEqual([["account_credit", ret.id, "posted"]]);
    const newInvoice = docsOf((await item(stack, "sale", sale.id))!).find((d) => d.entity === "Invoice")!.id;
    const application = async (version: string) => {
      const row = await item(stack, "account_credit", ret.id);
      expect(row?.state, row?.reason_detail ?? "").toBe("posted");
      expect(row?.pos_version).toBe(version);
      return qboDoc(stack, "Payment", docsOf(row!)[0]!.id) as Doc & { Line: { LinkedTxn: { TxnId: string }[] }[] };
    };
    const second = await application("2");
    expect(second.Line.map((l) => l.LinkedTxn[0]!.TxnId)).toEqual([newInvoice, memo.id]);
    expect(stack.qbo.entities(stack.realmId, "Payment").some((p) => (p as Doc).Id === firstApplication)).toBe(false);
    expect(qboDoc(stack, "Invoice", invoiceId).TxnStatus).toBe("Voided");
    expect(cents(qboDoc(stack, "Invoice", newInvoice).Balance)).toBe(owed);
    expect(cents(qboDoc(stack, "CreditMemo", memo.id).RemainingCredit)).toBe(0);

    // the return changed too (its line's category): its credit memo is replaced the same way
    const again = await resend("sale", ret.id);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(taken(again.body)).toEqual([
      ["account_credit", ret.id, "Payment", "delete"],
      ["sale", ret.id, "CreditMemo", "void"],
    ]);
    const newMemo = docsOf((await item(stack, "sale", ret.id))!).find((d) => d.entity === "CreditMemo")!.id;
    expect(newMemo).not.toBe(memo.id);
    const third = await application("3");
    expect(third.Line.map((l) => l.LinkedTxn[0]!.TxnId)).toEqual([newInvoice, newMemo]);
    expect(qboDoc(stack, "CreditMemo", memo.id).TxnStatus).toBe("Voided");
    expect(cents(qboDoc(stack, "Invoice", newInvoice).Balance)).toBe(owed);
    expect(cents(qboDoc(stack, "CreditMemo", newMemo).RemainingCredit)).toBe(0);
    // the credit counts once: one application standing, tagged with the credit's key
    const standing = (stack.qbo.entities(stack.realmId, "Payment") as (Doc & { PrivateNote?: string })[]).filter(
      (p) => p.TxnStatus !== "Voided" && p.PrivateNote?.includes(`|account_credit|${ret.id}|`),
    );
    expect(standing.map((p) => p.Id)).toEqual([third.Id]);
    // the customer owes in QBO what they owe on the sale: open invoices less credit left unapplied
    type Owed = Doc & { CustomerRef?: { value: string } };
    const qboCustomer = (qboDoc(stack, "Invoice", newInvoice) as Owed).CustomerRef?.value;
    const open = (entity: string, field: "Balance" | "RemainingCredit") =>
      (stack.qbo.entities(stack.realmId, entity) as Owed[])
        .filter((d) => d.TxnStatus !== "Voided" && d.CustomerRef?.value === qboCustomer)
        .reduce((sum, d) => sum + cents(d[field]), 0);
    expect(open("Invoice", "Balance") - open("CreditMemo", "RemainingCredit")).toBe(owed);
  });
});

describe("a return on account voided in the POS after its credit was applied", () => {
  it("a re-send of the return takes its credit memo and the credit out: the invoice owes again", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack({ seed: 42, store: "ca" });
    const store = stack.pos.store(stack.tenant);
    const register = Object.values(store.registers)[0]!;
    const customer = Object.values(store.customers).find((c) => c.companyName !== null)!;
    const [a] = Object.values(store.products).filter((p) => p.kind === "product" && p.categoryId !== null);
    stack.pos.openRegister(stack.tenant, register.id, stack.now());
    const sale = stack.pos.addSale(stack.tenant, {
      registerId: register.id,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: a!.id, quantity: 3 }],
    });
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    stack.advance(3600_000);
    const ret = stack.pos.returnSale(stack.tenant, sale.id, {
      registerId: register.id,
      at: stack.now().toISOString(),
      lines: [{ lineId: sale.line_items[0]!.id, quantity: "1" }],
      onAccount: true,
    });
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    await stack.cron();
    const credited = await item(stack, "account_credit", ret.id);
    expect(credited?.state).toBe("posted");
    const invoiceId = docsOf((await item(stack, "sale", sale.id))!).find((d) => d.entity === "Invoice")!.id;
    const memoId = docsOf((await item(stack, "sale", ret.id))!).find((d) => d.entity === "CreditMemo")!.id;
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(saleBalance(store.sales[sale.id]!, store));

    // the return is voided in the POS: the customer owes the sale in full again
    stack.advance(60_000);
    stack.pos.voidSale(stack.tenant, ret.id);
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    const owed = saleBalance(store.sales[sale.id]!, store);
    expect(owed).toBe(cents(qboDoc(stack, "Invoice", invoiceId).TotalAmt));

    const sent = await stack.api<ReplaceResponse>("/api/revisions/replace", { body: { kind: "sale", posId: ret.id } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.voided.map((v) => [v.kind, v.posId, v.entity, v.how])).toEqual([
      ["account_credit", ret.id, "Payment", "delete"],
      ["sale", ret.id, "CreditMemo", "void"],
    ]);
    expect(sent.body.object.state).toBe("not_applicable");
    expect(sent.body.related.map((r) => [r.kind, r.posId, r.state])).toEqual([
      ["account_credit", ret.id, "not_applicable"],
    ]);
    expect(qboDoc(stack, "CreditMemo", memoId).TxnStatus).toBe("Voided");
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(owed);
    const revision = await stack
      .services()
      .db.prepare("SELECT status FROM revisions WHERE tenant_id = ?1 AND pos_id = ?2")
      .bind(stack.tenant, ret.id)
      .first<{ status: string }>();
    expect(revision?.status).toBe("done");
  });
});

describe("a return on account of a sale from before Tillbridge was connected", () => {
  it("brings the original invoice in, so the credit applies to it", { timeout: 300_000 }, async () => {
    const stack = await createStack({ seed: 42, store: "ca" });
    const store = stack.pos.store(stack.tenant);
    const old = Object.values(store.sales).find(
      (s) =>
        s.attributes.includes("onaccount") &&
        s.state === "pending" &&
        s.returnSaleIds.length === 0 &&
        s.lines.some((l) => l.kind === "product" && !l.voided && Number(l.quantity) >= 1) &&
        saleBalance(s, store) > 50_00,
    );
    expect(old, "a pending on-account sale in the seeded history").toBeDefined();
    const line = old!.lines.find((l) => l.kind === "product" && !l.voided && Number(l.quantity) >= 1)!;
    const register = Object.values(store.registers)[0]!;
    stack.pos.openRegister(stack.tenant, register.id, stack.now());
    const ret = stack.pos.returnSale(stack.tenant, old!.id, {
      registerId: register.id,
      at: stack.now().toISOString(),
      lines: [{ lineId: line.id, quantity: "1" }],
      onAccount: true,
    });
    await stack.settle();
    stack.advance(60_000);
    for (let i = 0; i < 3; i++) await stack.cron();
    const original = await item(stack, "sale", old!.id);
    expect(original?.state, original?.reason_detail ?? "").toBe("posted");
    expect((await item(stack, "account_credit", ret.id))?.state).toBe("posted");
    const invoiceId = docsOf(original!).find((d) => d.entity === "Invoice")!.id;
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(saleBalance(store.sales[old!.id]!, store));
  });
});

describe("a cancelled layby", () => {
  it("leaves nothing open: invoice credited in full, the deposit refunded or kept as store credit", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack({ seed: 42, store: "ca" });
    const store = stack.pos.store(stack.tenant);
    const register = Object.values(store.registers)[0]!;
    const customers = Object.values(store.customers).slice(0, 2);
    const [a, b] = Object.values(store.products).filter((p) => p.kind === "product" && p.categoryId !== null);
    const cash = Object.values(store.paymentTypes).find((t) => t.kind === "cash")!;
    stack.pos.openRegister(stack.tenant, register.id, stack.now());
    const laybys = customers.map((c) =>
      stack.pos.addSale(stack.tenant, {
        registerId: register.id,
        kind: "layby",
        customerId: c.id,
        lines: [
          { productId: a!.id, quantity: 1 },
          { productId: b!.id, quantity: 2 },
        ],
        payments: [{ paymentTypeId: cash.id, amount: "20.00" }],
      }),
    );
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();
    await stack.cron();
    const ar = () =>
      stack.qbo.trialBalance(stack.realmId).find((r) => r.name === "Accounts Receivable (A/R)")?.balanceMinor ?? 0;
    const arBefore = ar();
    const tbBefore = new Map(stack.qbo.trialBalance(stack.realmId).map((r) => [r.accountId, r.balanceMinor]));
    const owedBefore = laybys.map((l) => saleBalance(store.sales[l.id]!, store));
    expect(owedBefore.every((o) => o > 0)).toBe(true);

    stack.advance(3600_000);
    stack.pos.cancelLayby(stack.tenant, laybys[0]!.id, { registerId: register.id, at: stack.now().toISOString() });
    stack.pos.cancelLayby(stack.tenant, laybys[1]!.id, {
      registerId: register.id,
      at: stack.now().toISOString(),
      keepAsStoreCredit: true,
    });
    await stack.settle();
    stack.advance(60_000);
    for (let i = 0; i < 3; i++) await stack.cron();

    const states = await stack
      .services()
      .db.prepare(
        "SELECT kind, pos_id, state, reason_detail FROM sync_items WHERE tenant_id = ?1 AND state != 'superseded'",
      )
      .bind(stack.tenant)
      .all<{ kind: string; pos_id: string; state: string; reason_detail: string | null }>();
    const mine = states.results.filter((r) => laybys.some((l) => r.pos_id.includes(l.id)));
    expect(
      mine.filter((r) => r.state !== "posted"),
      JSON.stringify(mine),
    ).toEqual([]);
    expect(mine.filter((r) => r.kind === "account_credit").length).toBe(4);

    for (const l of laybys) {
      expect(saleBalance(store.sales[l.id]!, store)).toBe(0);
      const invoiceId = docsOf((await item(stack, "sale", l.id))!).find((d) => d.entity === "Invoice")!.id;
      expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(0);
      const memoId = docsOf((await item(stack, "account_credit", `cancel:${l.id}`))!)[0]!.id;
      const memo = qboDoc(stack, "CreditMemo", memoId);
      // credited in full: the memo is the invoice, to the cent
      expect(cents(memo.TotalAmt)).toBe(cents(qboDoc(stack, "Invoice", invoiceId).TotalAmt));
    }
    // nothing stays owed or owing: A/R back where it was before the laybys were cancelled, less what they still owed
    expect(ar()).toBe(arBefore - owedBefore.reduce((s, o) => s + o, 0));
    // the refunded deposit left the cash account; the kept one is now store credit owed to the customer
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const cashMapping = mappings.paymentTypes[cash.id];
    const cashAccount = cashMapping?.role === "deposit" ? cashMapping.accountId : "";
    const delta = (id: string) =>
      (stack.qbo.trialBalance(stack.realmId).find((r) => r.accountId === id)?.balanceMinor ?? 0) -
      (tbBefore.get(id) ?? 0);
    expect(delta(cashAccount)).toBe(-2000);
    expect(delta(mappings.accounts.storeCreditLiability!)).toBe(-2000);

    // the layby's first product now maps elsewhere: re-sending the cancellation replaces its credit memo and
    // applies the credit again; re-sending the layby replaces its invoice with its payments and its credit
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const saved = await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: {
          ...doc.mappings,
          categories: { ...doc.mappings.categories, [a!.categoryId!]: doc.mappings.items.discount },
        },
      },
    });
    expect(saved.status).toBe(200);
    const first = laybys[0]!.id;
    const resend = (kind: string, posId: string) =>
      stack.api<ReplaceResponse>("/api/revisions/replace", { body: { kind, posId } });
    const taken = (r: ReplaceResponse) => r.voided.map((v) => [v.kind, v.posId, v.entity, v.how]);
    const memoSent = await resend("account_credit", `cancel:${first}`);
    expect(memoSent.status, JSON.stringify(memoSent.body)).toBe(200);
    expect(taken(memoSent.body)).toEqual([
      ["account_credit", first, "Payment", "delete"],
      ["account_credit", `cancel:${first}`, "CreditMemo", "void"],
    ]);
    const saleSent = await resend("sale", first);
    expect(saleSent.status, JSON.stringify(saleSent.body)).toBe(200);
    const out = taken(saleSent.body);
    expect(out.at(-1)).toEqual(["sale", first, "Invoice", "void"]);
    expect(out).toContainEqual(["account_credit", first, "Payment", "delete"]);
    expect(saleSent.body.related.every((r) => r.state === "posted")).toBe(true);
    const invoiceId = docsOf((await item(stack, "sale", first))!).find((d) => d.entity === "Invoice")!.id;
    const memoId = docsOf((await item(stack, "account_credit", `cancel:${first}`))!)[0]!.id;
    const credit = await item(stack, "account_credit", first);
    expect(credit?.pos_version).toBe("3");
    const applied = qboDoc(stack, "Payment", docsOf(credit!)[0]!.id) as Doc & {
      Line: { LinkedTxn: { TxnId: string }[] }[];
    };
    expect(applied.Line.map((l) => l.LinkedTxn[0]!.TxnId)).toEqual([invoiceId, memoId]);
    expect(cents(qboDoc(stack, "Invoice", invoiceId).Balance)).toBe(0);
    expect(cents(qboDoc(stack, "CreditMemo", memoId).TotalAmt)).toBe(
      cents(qboDoc(stack, "Invoice", invoiceId).TotalAmt),
    );
    // still nothing owed or owing, and the deposit's money where it was
    expect(ar()).toBe(arBefore - owedBefore.reduce((s, o) => s + o, 0));
    expect(delta(cashAccount)).toBe(-2000);
  });
});
