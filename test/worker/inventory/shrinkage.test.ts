import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { mulDec, parseDec, toMinor } from "../../../shared/money";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, trialBalanceMap } from "../support/books";
import { createStack, forgetAll, type Stack } from "../support/stack";

afterEach(forgetAll);

const itemsOf = async (stack: Stack, kind: string) =>
  (
    await stack
      .services()
      .db.prepare("SELECT pos_id, state, reason_detail, docs_json FROM sync_items WHERE kind = ?1")
      .bind(kind)
      .all<{ pos_id: string; state: string; reason_detail: string | null; docs_json: string }>()
  ).results;

async function mapShrinkage(stack: Stack) {
  const refs = await loadRefs(stack.services(), stack.tenant);
  const shrink = refs.accounts.find((a) => a.accountType === "Cost of Goods Sold")!;
  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const saved = await stack.api("/api/mappings", {
    method: "PUT",
    body: { version: doc.version, mappings: { ...doc.mappings, shrinkage: { default: shrink.id } } },
  });
  expect(saved.status).toBe(200);
  return { inventory: refs.accounts.find((a) => a.name === "Inventory Asset")!.id, shrink: shrink.id };
}

/**
 * Stocktakes and stock adjustments in the books (SPEC §4.5): a completed stocktake sent on a click
 * moves its net at cost between Inventory Asset and the shrinkage account; the adjustments of new
 * trading days post by themselves, each at the average cost the POS answered when Tillbridge read it.
 */
describe("stock lost or found", () => {
  it("a completed stocktake on a click, at its net cost to the cent", { timeout: 120_000 }, async () => {
    const stack = await createStack({ inventory: true });
    const { inventory, shrink } = await mapShrinkage(stack);
    const done = Object.values(stack.pos.store(stack.tenant).inventory.consignments).find(
      (c) => c.type === "STOCKTAKE" && c.status === "STOCKTAKE_COMPLETE",
    );
    expect(done, "the generated month completed a stocktake").toBeDefined();
    const figures = stack.pos.inventory.stocktakeFigures(stack.tenant, done!.id);
    expect(figures.net.minor).not.toBe(0);
    const before = trialBalanceMap(stack);
    expect((await stack.api("/api/sync/send", { body: { kind: "stocktake", posId: done!.id } })).status).toBe(200);
    await stack.settle();
    const [item] = await itemsOf(stack, "stocktake");
    expect(item!.state).toBe("posted");
    const moved = deltas(before, trialBalanceMap(stack));
    expect(Object.fromEntries(moved)).toEqual({ [inventory]: figures.net.minor, [shrink]: -figures.net.minor });
  });

  it("new days' adjustments post by themselves at the average the POS answered", { timeout: 180_000 }, async () => {
    const stack = await createStack({ inventory: true });
    const { inventory } = await mapShrinkage(stack);
    await stack.cron(); // what the month before held is left to a backfill
    expect(await itemsOf(stack, "stock_adjustment")).toEqual([]);
    const before = trialBalanceMap(stack);
    const from = stack.now().toISOString();
    stack.pos.advanceDay(stack.tenant, 1);
    await stack.settle();
    stack.advance(24 * 3600 * 1000);
    await stack.cron();
    const figures = stack.pos.inventory.adjustmentFigures(stack.tenant, from, stack.now().toISOString());
    expect(figures.adjustments.length).toBeGreaterThan(0);
    const items = await itemsOf(stack, "stock_adjustment");
    expect(items.map((i) => [i.pos_id, i.state]).sort()).toEqual(
      figures.adjustments.map((a) => [a.id, a.minor === 0 ? "not_applicable" : "posted"]).sort(),
    );
    // valued at GET /inventory's average when read (after the day): the POS's own figure at that average
    const atRead = figures.adjustments.reduce(
      (s, a) => s + toMinor(mulDec(parseDec(a.quantity), parseDec(a.currentAverage)), "half-up"),
      0,
    );
    expect(deltas(before, trialBalanceMap(stack)).get(inventory) ?? 0).toBe(atRead);
  });
});
