import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiError } from "../../../shared/errors";
import type {
  AuditResponse,
  MappingsDocument,
  ReplaceResponse,
  RevisionDiffResponse,
  StatusResponse,
} from "../../../shared/api";
import type { SavedEntity } from "../../../worker/qbo/client";
import { checkDrift } from "../../../worker/sync/drift";
import { trialBalanceMap, deltas } from "../support/books";
import { createStack, type Stack, TENANT } from "../support/stack";
import { bookkeeper, docsOfItem, forgetEverything, itemsOf, trade, writesSince } from "./helpers";

afterEach(forgetEverything);

type Saved = SavedEntity & {
  TxnStatus?: string;
  Line: {
    Amount: number;
    Description?: string;
    LinkedTxn?: { TxnId: string; TxnType: string }[];
    SalesItemLineDetail?: { ItemRef: { value: string } };
  }[];
  Balance?: number;
};

/** A new income account and a service posting to it, made in QBO and picked up by "Reload QuickBooks options". */
async function newSalesItem(stack: Stack, name: string): Promise<{ itemId: string; accountId: string }> {
  const client = await bookkeeper(stack);
  const account = await client.create(
    "Account",
    { Name: `${name} income`, AccountType: "Income", AccountSubType: "SalesOfProductIncome" },
    `acct-${name.replace(/\W/g, "")}`,
  );
  const cogs = stack.qbo.trialBalance(stack.realmId).find((a) => a.accountType === "Cost of Goods Sold")!;
  const item = await client.create(
    "Item",
    {
      Name: name,
      Type: "Service",
      IncomeAccountRef: { value: account.Id },
      ExpenseAccountRef: { value: cogs.accountId },
    },
    `item-${name.replace(/\W/g, "")}`,
  );
  expect((await stack.api("/api/mappings/options?reload=1")).status).toBe(200);
  return { itemId: item.Id, accountId: account.Id };
}

async function remapCategory(stack: Stack, categoryId: string, itemId: string): Promise<number> {
  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const saved = await stack.api<MappingsDocument>("/api/mappings", {
    method: "PUT",
    body: {
      version: doc.version,
      mappings: { ...doc.mappings, categories: { ...doc.mappings.categories, [categoryId]: itemId } },
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return saved.body.version;
}

const diffOf = (stack: Stack, kind: string, posId: string) =>
  stack.api<RevisionDiffResponse>(`/api/revisions/diff?kind=${kind}&posId=${encodeURIComponent(posId)}`);
const replace = (stack: Stack, body: Record<string, unknown>) =>
  stack.api<ReplaceResponse & ApiError>("/api/revisions/replace", { body });

describe("re-send a changed object: diff and replacement", () => {
  it("replaces a closure's posting after a mapping change: line-by-line diff, old documents voided or deleted, the new version posted once", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const [closure] = await itemsOf("closure");
    const figures = stack.pos.closureFigures(TENANT, closure!.pos_id);
    const category = figures.sales.undiscountedByCategory.find((c) => c.categoryId && c.amountMinor > 0)!;
    const oldDocs = docsOfItem(closure!);

    // nothing changed yet
    const same = await diffOf(stack, "closure", closure!.pos_id);
    expect(same.status).toBe(200);
    expect(same.body.changed).toBe(false);
    expect(same.body.documents.every((d) => !d.changed && d.lines.every((l) => l.change === "same"))).toBe(true);
    const refused = await replace(stack, { kind: "closure", posId: closure!.pos_id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.detail).toContain("nothing changed");

    const { itemId, accountId } = await newSalesItem(stack, "Category sales");
    const mappingVersion = await remapCategory(stack, category.categoryId!, itemId);
    const diff = await diffOf(stack, "closure", closure!.pos_id);
    expect(diff.body).toMatchObject({
      kind: "closure",
      posId: closure!.pos_id,
      posVersion: "1",
      nextVersion: "2",
      changed: true,
      blockers: [],
      related: [],
    });
    const sales = diff.body.documents.find((d) => d.part === "sales")!;
    const payments = diff.body.documents.find((d) => d.part === "payments")!;
    expect(sales.changed).toBe(true);
    expect(sales.old).toMatchObject({ entity: "SalesReceipt", id: oldDocs[0]!.id, status: "live" });
    expect(sales.new!.totalMinor).toBe(sales.old!.totalMinor);
    const moved = sales.lines.filter((l) => l.change !== "same");
    expect(moved.length).toBeGreaterThan(0);
    // the category's own line now goes to the new item; what it posts, to the cent, is the category's sales
    const toNew = moved.filter((l) => l.new?.ref.startsWith(`item:${itemId}|`));
    expect(toNew.reduce((s, l) => s + l.new!.amountMinor, 0)).toBe(category.amountMinor);
    expect(toNew.every((l) => l.new!.refName === "Category sales")).toBe(true);
    expect(payments.changed).toBe(false);

    const before = trialBalanceMap(stack);
    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    // two clicks at once: one replacement
    const [r1, r2] = await Promise.all([
      replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" }),
      replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" }),
    ]);
    const ok = [r1, r2].filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of [r1, r2]) if (r.status !== 200) expect(r.status).toBe(409);
    const done = ok[0]!.body;
    expect(done).toMatchObject({
      fromVersion: "1",
      toVersion: "2",
      object: { kind: "closure", posId: closure!.pos_id, posVersion: "2", state: "posted" },
    });
    expect(done.voided.map((v) => [v.part, v.entity, v.id, v.how])).toEqual([
      ["sales", "SalesReceipt", oldDocs[0]!.id, "void"],
      ["payments", "JournalEntry", oldDocs[1]!.id, "delete"],
    ]);
    const writes = writesSince(stack, logFrom)
      .map((w) => `${w.entity}:${w.operation}`)
      .sort();
    expect(writes).toEqual(["JournalEntry:create", "JournalEntry:delete", "SalesReceipt:create", "SalesReceipt:void"]);

    // a third click for the version already replaced: the same answer, nothing sent
    const logAfter = stack.qbo.requestLog(stack.realmId).length;
    const again = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" });
    expect(again.status).toBe(200);
    expect(again.body.object.docs).toEqual(done.object.docs);
    expect(writesSince(stack, logAfter)).toEqual([]);

    // the books: only the category's income moved, to the new account; nothing else changed
    const moves = deltas(before, trialBalanceMap(stack));
    const salesIncome = stack.qbo
      .trialBalance(stack.realmId)
      .find((a) => a.name === "Sales of Product Income")!.accountId;
    expect(Object.fromEntries(moves)).toEqual({
      [accountId]: -category.amountMinor,
      [salesIncome]: category.amountMinor,
    });
    const oldReceipt = stack.qbo
      .entities(stack.realmId, "SalesReceipt")
      .find((d) => (d as Saved).Id === oldDocs[0]!.id) as Saved;
    expect(oldReceipt.TxnStatus).toBe("Voided");
    expect(stack.qbo.entities(stack.realmId, "JournalEntry").some((d) => (d as Saved).Id === oldDocs[1]!.id)).toBe(
      false,
    );

    // the items: the old superseded, the new one posted with the mapping version it used
    const { results } = await env.DB.prepare(
      "SELECT pos_version, state, mapping_version FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure' AND pos_id = ?2 ORDER BY id",
    )
      .bind(TENANT, closure!.pos_id)
      .all();
    expect(results).toEqual([
      { pos_version: "1", state: "superseded", mapping_version: 1 },
      { pos_version: "2", state: "posted", mapping_version: mappingVersion },
    ]);
    const status = await stack.api<StatusResponse>("/api/status", {
      body: { objects: [{ kind: "closure", posId: closure!.pos_id }] },
    });
    expect(status.body.objects[0]).toMatchObject({ posVersion: "2", state: "posted" });
    expect(status.body.objects[0]!.docs.map((d) => d.id)).toEqual(done.object.docs.map((d) => d.id));

    // the trail: what was voided and deleted, what was posted, and the replacement, by whom
    const trail = (
      await stack.api<AuditResponse>(`/api/audit?kind=closure&posId=${closure!.pos_id}`)
    ).body.entries.reverse();
    const tail = trail.slice(-5).map((e) => [e.action, e.posVersion, e.qboEntity, e.actor]);
    expect(tail).toEqual([
      ["void", "1", "SalesReceipt", "user:demo"],
      ["delete", "1", "JournalEntry", "user:demo"],
      ["post", "2", "SalesReceipt", "user:demo"],
      ["post", "2", "JournalEntry", "user:demo"],
      ["replace", "2", null, "user:demo"],
    ]);
    expect(trail.at(-1)!.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await diffOf(stack, "closure", closure!.pos_id)).body.changed).toBe(false);
  });

  it("resumes a replacement interrupted half-way, voiding nothing twice and posting once", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const [closure] = await itemsOf("closure");
    const [sales, journal] = docsOfItem(closure!);
    const category = stack.pos
      .closureFigures(TENANT, closure!.pos_id)
      .sales.undiscountedByCategory.find((c) => c.categoryId && c.amountMinor > 0)!;
    const { itemId } = await newSalesItem(stack, "Resumed sales");
    await remapCategory(stack, category.categoryId!, itemId);

    // QBO fails the journal's delete: the receipt is already voided, the rest waits
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "JournalEntry", operation: "delete" },
      kind: "http503",
    });
    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const broken = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" });
    expect(broken.status).toBe(502);
    const status = await stack.api<StatusResponse>("/api/status", {
      body: { objects: [{ kind: "closure", posId: closure!.pos_id }] },
    });
    expect(status.body.objects[0]).toMatchObject({ posVersion: "1", state: "posted" });

    const resumed = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.voided.map((v) => [v.entity, v.id, v.how])).toEqual([
      ["SalesReceipt", sales!.id, "void"],
      ["JournalEntry", journal!.id, "delete"],
    ]);
    const writes = writesSince(stack, logFrom).map((w) => `${w.entity}:${w.operation}:${w.status}`);
    expect(writes.filter((w) => w.startsWith("SalesReceipt:void"))).toEqual(["SalesReceipt:void:200"]);
    expect(writes.filter((w) => w.startsWith("SalesReceipt:create"))).toEqual(["SalesReceipt:create:200"]);
    expect(writes.filter((w) => w.startsWith("JournalEntry:delete"))).toEqual([
      "JournalEntry:delete:503",
      "JournalEntry:delete:200",
    ]);
    const voids = (await stack.api<AuditResponse>(`/api/audit?posId=${closure!.pos_id}&action=void`)).body.entries;
    expect(voids.map((e) => e.qboId)).toEqual([sales!.id]);
    expect(resumed.body.object).toMatchObject({ posVersion: "2", state: "posted" });
  });

  it("re-sends a closure whose receipt was deleted in QBO: the diff shows it gone, the replacement restores it", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const [closure] = await itemsOf("closure");
    const [sales, journal] = docsOfItem(closure!);
    const client = await bookkeeper(stack);
    const doc = await client.read("SalesReceipt", sales!.id);
    await client.delete("SalesReceipt", { Id: doc.Id, SyncToken: doc.SyncToken! }, "bookkeeper-deletes");
    await checkDrift(stack.services(), TENANT, { everyMs: 0, maxDocs: 100, maxReads: 20 });
    const flagged = await stack.api<StatusResponse>("/api/status", {
      body: { objects: [{ kind: "closure", posId: closure!.pos_id }] },
    });
    expect(flagged.body.objects[0]!.notes!.join(" ")).toContain("was deleted in QuickBooks Online");

    const diff = await diffOf(stack, "closure", closure!.pos_id);
    expect(diff.body.changed).toBe(true);
    const part = diff.body.documents.find((d) => d.part === "sales")!;
    expect(part.old).toMatchObject({ id: sales!.id, status: "deleted", totalMinor: 0 });
    expect(part.lines.every((l) => l.change === "added")).toBe(true);

    const before = trialBalanceMap(stack);
    const done = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" });
    expect(done.status).toBe(200);
    expect(done.body.voided.map((v) => [v.entity, v.how])).toEqual([
      ["SalesReceipt", "gone"],
      ["JournalEntry", "delete"],
    ]);
    // the receipt is back: the books move by exactly what it posts, the journal nets to nothing
    const receipt = done.body.object.docs.find((d) => d.part === "sales")!;
    expect(receipt.id).not.toBe(sales!.id);
    expect(done.body.object.docs.find((d) => d.part === "payments")!.id).not.toBe(journal!.id);
    const moved = deltas(before, trialBalanceMap(stack));
    const clearing = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings.accounts.closureClearing!;
    expect(moved.get(clearing) ?? 0).toBe(part.new!.totalMinor);
    // the new posting is not drift: the note is gone
    const after = await stack.api<StatusResponse>("/api/status", {
      body: { objects: [{ kind: "closure", posId: closure!.pos_id }] },
    });
    expect(after.body.objects[0]!.notes).toBeUndefined();
  });

  it("replaces an on-account sale's invoice with its payments, which re-apply to the new invoice", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack);
    const store = stack.pos.store(TENANT);
    const register = Object.values(store.registers)[0]!;
    const customer = Object.values(store.customers)[0]!;
    const product = Object.values(store.products).find(
      (p) => p.kind === "product" && p.categoryId && Number(p.price) > 20,
    )!;
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
    const payment = (await itemsOf("sale_payment")).find((r) => r.pos_id.startsWith(`${made.id}:`))!;
    const oldInvoice = docsOfItem(sale).find((d) => d.entity === "Invoice")!;
    const oldPayment = docsOfItem(payment).find((d) => d.entity === "Payment")!;
    const client = await bookkeeper(stack);
    const invoiceBefore = await client.read<Saved>("Invoice", oldInvoice.id);

    const { itemId } = await newSalesItem(stack, "Account sales");
    await remapCategory(stack, product.categoryId!, itemId);
    const diff = await diffOf(stack, "sale", made.id);
    expect(diff.body.changed).toBe(true);
    expect(diff.body.related).toEqual([{ kind: "sale_payment", posId: payment.pos_id }]);
    expect(
      diff.body.documents[0]!.lines.some(
        (l) => l.change === "changed" && l.old!.ref.startsWith("item:") && l.new!.ref.startsWith(`item:${itemId}|`),
      ),
    ).toBe(true);

    // a payment recorded in QBO on this invoice: Tillbridge will not void what it did not post
    const foreign = await client.create(
      "Payment",
      {
        CustomerRef: invoiceBefore.CustomerRef,
        TotalAmt: 1,
        Line: [{ Amount: 1, LinkedTxn: [{ TxnId: oldInvoice.id, TxnType: "Invoice" }] }],
      },
      "foreign-payment",
    );
    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const blocked = await replace(stack, { kind: "sale", posId: made.id, fromVersion: "1" });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.detail).toContain(foreign.Id);
    expect(writesSince(stack, logFrom)).toEqual([]);
    await client.delete(
      "Payment",
      { Id: foreign.Id, SyncToken: (await client.read("Payment", foreign.Id)).SyncToken! },
      "remove-foreign",
    );

    const done = await replace(stack, { kind: "sale", posId: made.id, fromVersion: "1" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.voided.map((v) => [v.kind, v.entity, v.how])).toEqual([
      ["sale_payment", "Payment", "delete"],
      ["sale", "Invoice", "void"],
    ]);
    expect(done.body.object).toMatchObject({ posVersion: "2", state: "posted" });
    expect(done.body.related).toMatchObject([
      { kind: "sale_payment", posId: payment.pos_id, posVersion: "2", state: "posted" },
    ]);
    const newInvoice = done.body.object.docs.find((d) => d.entity === "Invoice")!;
    const newPayment = done.body.related[0]!.docs.find((d) => d.entity === "Payment")!;
    expect(newPayment.id).not.toBe(oldPayment.id);
    const repaid = await client.read<Saved>("Payment", newPayment.id);
    expect(repaid.Line[0]!.LinkedTxn).toEqual([{ TxnId: newInvoice.id, TxnType: "Invoice" }]);
    const invoiceAfter = await client.read<Saved>("Invoice", newInvoice.id);
    expect(invoiceAfter.Balance).toBe(invoiceBefore.Balance);
    expect(invoiceAfter.Line.some((l) => l.SalesItemLineDetail?.ItemRef.value === itemId)).toBe(true);
    expect((await client.read<Saved>("Invoice", oldInvoice.id)).TxnStatus).toBe("Voided");
  });

  it("refuses what it cannot replace, and touches nothing", { timeout: 180_000 }, async () => {
    const stack = await createStack();
    await trade(stack);
    const [closure] = await itemsOf("closure");
    const category = stack.pos
      .closureFigures(TENANT, closure!.pos_id)
      .sales.undiscountedByCategory.find((c) => c.categoryId && c.amountMinor > 0)!;
    const { itemId } = await newSalesItem(stack, "Closed books sales");
    await remapCategory(stack, category.categoryId!, itemId);
    const logFrom = stack.qbo.requestLog(stack.realmId).length;

    // the books are closed on the closure's date: nothing is voided, the choice is named
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: "2026-12-31" });
    await stack.api("/api/mappings/options?reload=1");
    expect((await diffOf(stack, "closure", closure!.pos_id)).body.changed).toBe(true);
    const closed = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "1" });
    expect(closed.body.error.code).toBe("closed_period");
    expect(closed.body.error.detail).toBe("2026-12-31");
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: null });
    await stack.api("/api/mappings/options?reload=1");

    // a mapping removed: the new documents cannot be built; the blockers are named
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const { [cash.id]: _dropped, ...paymentTypes } = doc.mappings.paymentTypes;
    expect(
      (
        await stack.api("/api/mappings", {
          method: "PUT",
          body: { version: doc.version, mappings: { ...doc.mappings, paymentTypes } },
        })
      ).status,
    ).toBe(200);
    const diff = await diffOf(stack, "closure", closure!.pos_id);
    expect(diff.body.blockers).toEqual([
      expect.objectContaining({ code: "needs_mapping", mappingKey: `paymentTypes.${cash.id}` }),
    ]);
    expect(diff.body.changed).toBe(false);
    const refused = await replace(stack, { kind: "closure", posId: closure!.pos_id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("needs_mapping");

    // a stale version
    const stale = await replace(stack, { kind: "closure", posId: closure!.pos_id, fromVersion: "7" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.detail).toContain("version 1, not 7");

    // a purchase order's bill, an object never sent
    const po = await replace(stack, { kind: "purchase_order", posId: "anything" });
    expect(po.status).toBe(400);
    const unknown = await diffOf(stack, "closure", "no-such-closure");
    expect(unknown.status).toBe(404);
    expect(writesSince(stack, logFrom)).toEqual([]);
    const { results } = await env.DB.prepare("SELECT COUNT(*) AS n FROM revisions").all<{ n: number }>();
    expect(results[0]!.n).toBe(0);
  });
});
