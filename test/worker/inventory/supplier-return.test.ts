import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, trialBalanceMap } from "../support/books";
import { createStack, forgetAll, type Stack } from "../support/stack";

afterEach(forgetAll);

const consignments = (stack: Stack, status: string) =>
  Object.values(stack.pos.store(stack.tenant).inventory.consignments).filter(
    (c) => c.type === "RETURN" && c.status === status,
  );

const itemOf = async (stack: Stack, posId: string) =>
  (
    await stack
      .services()
      .db.prepare("SELECT state, docs_json FROM sync_items WHERE kind = 'supplier_return' AND pos_id = ?")
      .bind(posId)
      .all<{ state: string; docs_json: string }>()
  ).results;

/**
 * A supplier return sent in the POS, sent to QBO on a click (SPEC §4.5): one VendorCredit to the
 * supplier, Inventory Asset down at the POS's returned cost to the cent, A/P down with the input
 * tax QBO reverses; a second click posts nothing more; an open return is refused with why.
 */
describe("supplier returns on a click", () => {
  it("a sent return becomes one VendorCredit at the POS's cost; open ones are refused", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack({ inventory: true });
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const refs = await loadRefs(stack.services(), stack.tenant);
    const inventory = refs.accounts.find((a) => a.name === "Inventory Asset")!.id;
    expect(doc.mappings.accounts.inventoryAsset).toBe(inventory);

    const [sent] = consignments(stack, "SENT");
    expect(sent, "the generated days sent a supplier return").toBeDefined();
    const figures = stack.pos.inventory.supplierReturnFigures(stack.tenant, sent!.id);
    expect(figures.minor).toBeGreaterThan(0);
    const before = trialBalanceMap(stack);

    const click = () => stack.api("/api/sync/send", { body: { kind: "supplier_return", posId: sent!.id } });
    expect((await click()).status).toBe(200);
    await stack.settle();
    const [item] = await itemOf(stack, sent!.id);
    expect(item!.state).toBe("posted");
    const docs = JSON.parse(item!.docs_json) as { entity: string; id: string }[];
    expect(docs.map((d) => d.entity)).toEqual(["VendorCredit"]);

    const moved = deltas(before, trialBalanceMap(stack));
    expect(moved.get(inventory)).toBe(-figures.minor);
    const payable = refs.accounts.filter((a) => a.accountType === "Accounts Payable").map((a) => a.id);
    const apMoved = payable.reduce((s, id) => s + (moved.get(id) ?? 0), 0);
    // A/P down by the cost plus the input tax reversed (a liability: a debit is positive here)
    expect(apMoved).toBeGreaterThanOrEqual(figures.minor);
    expect([...moved.values()].reduce((s, v) => s + v, 0)).toBe(0);

    // clicked again: the same item, no second credit
    expect((await click()).status).toBe(200);
    await stack.settle();
    const credits = stack.qbo
      .requestLog(stack.realmId)
      .filter((l) => l.write && l.entity?.toLowerCase() === "vendorcredit");
    expect(credits).toHaveLength(1);

    // an open (or cancelled) return posts nothing: the click says why
    const other = [...consignments(stack, "OPEN"), ...consignments(stack, "CANCELLED")][0];
    expect(other, "the generated days opened and cancelled a return").toBeDefined();
    const refused = await stack.api("/api/sync/send", { body: { kind: "supplier_return", posId: other!.id } });
    expect(refused.status).toBe(409);
    expect(await itemOf(stack, other!.id)).toEqual([]);
  });
});

describe("supplier returns by themselves", () => {
  it("with the purchase orders' option, a return sent after the connection posts without a click", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack({ inventory: true });
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const saved = await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: { ...doc.mappings, options: { ...doc.mappings.options, autoSendPurchaseOrders: true } },
      },
    });
    expect(saved.status).toBe(200);
    const start = stack.now().toISOString();
    const before = new Set(consignments(stack, "SENT").map((c) => c.id));
    stack.pos.advanceDay(stack.tenant, 7);
    await stack.settle();
    stack.advance(7 * 24 * 3600 * 1000);
    await stack.cron();
    const sentSince = consignments(stack, "SENT").filter((c) => !before.has(c.id) && c.sentAt! > start);
    expect(sentSince.length).toBeGreaterThan(0);
    for (const c of sentSince) expect((await itemOf(stack, c.id))[0]?.state).toBe("posted");
    // and the ones sent before the connection are left to a backfill
    for (const id of before) expect(await itemOf(stack, id)).toEqual([]);
  });
});
