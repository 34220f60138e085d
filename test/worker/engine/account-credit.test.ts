import { afterEach, describe, expect, it } from "vitest";
import { saleBalance } from "../../../sandbox/pos/ops/sales";
import { docsOf, type SyncItemRow } from "../../../worker/db/sync-items";
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
  });
});
