import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, expectedBooks, trialBalanceMap } from "../support/books";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * The books tie-out with cost of goods sold on (SPEC §4.5): three unseen trading days posted into the
 * QBO sandbox with a COGS account mapped; every account's change in the trial balance equals the
 * POS's own figures to the cent — the closures' and account sales' as before, plus Cost of Goods
 * Sold up and Inventory Asset down by each closure's cost (per category, rounded once) and each
 * on-account or layby sale's.
 */
describe("books with cost of goods sold", () => {
  it.each([
    ["Canadian store (GST/QST)", "ca"],
    ["US store (sales tax)", "us"],
  ] as const)("every account ties out to the POS: %s", { timeout: 300_000 }, async (_label, store) => {
    const stack = await createStack({ seed: 42, store });
    const refs = await loadRefs(stack.services(), stack.tenant);
    const cogs = refs.accounts.find((a) => a.accountType === "Cost of Goods Sold" && a.name === "Cost of Goods Sold")!;
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const saved = await stack.api<MappingsDocument>("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: { ...doc.mappings, accounts: { ...doc.mappings.accounts, cogs: cogs.id } },
      },
    });
    expect(saved.status).toBe(200);
    const mappings = saved.body.mappings;
    const before = trialBalanceMap(stack);

    stack.pos.advanceDay(stack.tenant, 3);
    await stack.settle();
    stack.advance(3 * 24 * 3600 * 1000);
    await stack.cron();
    await stack.cron(); // payments wait for their invoice in the first run

    const states = await stack
      .services()
      .db.prepare("SELECT kind, state, reason_detail FROM sync_items WHERE state NOT IN ('posted', 'not_applicable')")
      .all();
    expect(states.results).toEqual([]);

    const expected = expectedBooks(stack, mappings, refs, "2026-10-31");
    const inventory = mappings.accounts.inventoryAsset!;
    let costMinor = 0;
    for (const id of expected.closures) costMinor += stack.pos.inventory.closureCogs(stack.tenant, id).minor;
    for (const id of expected.accountSales) costMinor += stack.pos.inventory.saleCogs(stack.tenant, id).minor;
    expect(costMinor).toBeGreaterThan(0);
    const byAccount = new Map(expected.byAccount);
    byAccount.set(cogs.id, (byAccount.get(cogs.id) ?? 0) + costMinor);
    byAccount.set(inventory, (byAccount.get(inventory) ?? 0) - costMinor);

    const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
    const show = (m: Map<string, number>) =>
      Object.fromEntries(
        [...m]
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => [name(k), v])
          .sort(),
      );
    expect(show(deltas(before, trialBalanceMap(stack)))).toEqual(show(byAccount));
  });
});
