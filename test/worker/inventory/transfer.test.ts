import { afterEach, describe, expect, it } from "vitest";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * A transfer between outlets with one Inventory Asset account and no classes told apart (SPEC §4.5):
 * clicked, it is known to Tillbridge and posts nothing — no document in QBO; a transfer not yet
 * received is refused with why.
 */
describe("transfers between outlets", () => {
  it("move nothing in the books when the outlets share the account and class", { timeout: 120_000 }, async () => {
    const stack = await createStack({ inventory: true, days: 14 });
    const transfers = Object.values(stack.pos.store(stack.tenant).inventory.consignments).filter(
      (c) => c.type === "OUTLET",
    );
    const received = transfers.find((c) => c.status === "RECEIVED" && c.products.every((p) => p.received === p.count));
    expect(received, "the generated days received a transfer in full").toBeDefined();
    const click = (posId: string) => stack.api("/api/sync/send", { body: { kind: "stock_transfer", posId } });
    expect((await click(received!.id)).status).toBe(200);
    await stack.settle();
    const row = await stack
      .services()
      .db.prepare("SELECT state, docs_json FROM sync_items WHERE kind = 'stock_transfer' AND pos_id = ?1")
      .bind(received!.id)
      .first<{ state: string; docs_json: string }>();
    expect(row).toEqual({ state: "not_applicable", docs_json: "[]" });
    expect(
      stack.qbo.requestLog(stack.realmId).filter((l) => l.write && l.entity?.toLowerCase() === "journalentry"),
    ).toEqual([]);

    const sent = stack.pos.inventory.createTransfer(stack.tenant, {
      sourceOutletId: received!.sourceOutletId!,
      outletId: received!.outletId,
      lines: [{ productId: received!.products[0]!.productId, quantity: "1" }],
      send: true,
    });
    expect((await click(sent.id)).status).toBe(409);
  });
});
