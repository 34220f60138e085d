import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, expectedBooks, trialBalanceMap } from "../support/books";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * The proof that matters: trading days Tillbridge has never seen, posted into the QBO sandbox; the
 * trial balance's change for every account equals what the POS's own figures say, to the cent.
 */
describe("books after posting new trading days", () => {
  it.each([
    // SPEC §4's full activity in every store: tips, surcharges, fees, custom charges, Loyalty, voids
    ["Canadian store (GST/QST), seed 42", 42, "ca", "full"],
    ["Canadian store (GST/QST), seed 7", 7, "ca", "full"],
    ["US store (sales tax), seed 42", 42, "us", "full"],
    ["US store (sales tax), seed 7", 7, "us", "full"],
    ["Australian store (GST, tax-inclusive), seed 42", 42, "au", "full"],
    ["Australian store (GST, tax-inclusive), seed 7", 7, "au", "full"],
    ["UK store (VAT, tax-inclusive), seed 42", 42, "uk", "full"],
  ] as const)("every account ties out to the POS: %s", { timeout: 300_000 }, async (_label, seed, store, activity) => {
    const stack = await createStack({ seed, store, activity });
    const connectedAt = stack.now().toISOString();
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const before = trialBalanceMap(stack);

    stack.pos.advanceDay(stack.tenant, 3);
    await stack.settle();
    stack.advance(3 * 24 * 3600 * 1000);
    await stack.cron();
    await stack.cron(); // payments wait for their invoice in the first run

    const states = await stack
      .services()
      .db.prepare(
        "SELECT kind, state, reason_code, reason_detail, COUNT(*) AS n FROM sync_items GROUP BY kind, state, reason_code",
      )
      .all();
    // a closure whose sale was voided after it posted is replaced by its next version (SPEC §4.4):
    // the first version is superseded, its documents gone from QBO, and the books hold the new one
    const notPosted = states.results.filter(
      (r) => r.state !== "posted" && r.state !== "not_applicable" && r.state !== "superseded",
    );
    expect(notPosted, JSON.stringify(notPosted)).toEqual([]);

    const refs = await loadRefs(stack.services(), stack.tenant);
    const expected = expectedBooks(stack, mappings, refs, "2026-10-31", connectedAt);
    expect(expected.closures.length).toBeGreaterThanOrEqual(6); // three days of two or more registers
    const actual = deltas(before, trialBalanceMap(stack));
    const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
    const show = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [name(k), v]).sort());
    expect(show(actual)).toEqual(show(expected.byAccount));
  });
});
