import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { docsOf, type SyncItemRow } from "../../../worker/db/sync-items";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, expectedBooks, trialBalanceMap } from "../support/books";
import { createStack, forgetAll, type Stack } from "../support/stack";

afterEach(forgetAll);

/**
 * SPEC §4.4: a sale voided after its closure posted changes that closure; its posting is replaced
 * (§3.5) by itself — no one clicks — with the diff in the audit trail. Through both sandboxes: the
 * POS voids a card sale of a closure already in QBO, the cron runs, and QBO shows the old documents
 * voided, one live document of each part for the new version, and books that tie out to the POS.
 */

type Doc = { Id: string; PrivateNote?: string; TxnStatus?: string; TotalAmt?: number };

async function closureItems(stack: Stack): Promise<SyncItemRow[]> {
  const { results } = await stack
    .services()
    .db.prepare("SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure' ORDER BY id")
    .bind(stack.tenant)
    .all<SyncItemRow>();
  return results;
}

/** QBO documents of one closure version (by the key in their PrivateNote), live and voided. */
function docsOfVersion(stack: Stack, closureId: string, version: string) {
  const key = `key tb1|${stack.tenant}|closure|${closureId}|${version} `;
  const all = ["SalesReceipt", "RefundReceipt", "JournalEntry"].flatMap((entity) =>
    (stack.qbo.entities(stack.realmId, entity) as Doc[]).map((d) => ({ entity, ...d })),
  );
  const mine = all.filter((d) => (d.PrivateNote ?? "").includes(key));
  return {
    live: mine.filter((d) => d.TxnStatus !== "Voided"),
    voided: mine.filter((d) => d.TxnStatus === "Voided"),
  };
}

describe("a sale voided after its closure posted", () => {
  it("the closure's posting is replaced by itself, the diff audited, and the books tie out", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack({ seed: 42, store: "ca" });
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const before = trialBalanceMap(stack);
    stack.pos.advanceDay(stack.tenant, 1);
    await stack.settle();
    stack.advance(24 * 3600 * 1000);
    await stack.cron();
    await stack.cron();

    const posted = (await closureItems(stack)).filter((i) => i.state === "posted");
    expect(posted.length).toBeGreaterThanOrEqual(2);
    const store = stack.pos.store(stack.tenant);
    const card = new Set(["card", "integrated"]);
    const postedIds = new Set(posted.map((i) => i.pos_id));
    const victim = Object.values(store.sales).find(
      (s) =>
        s.state === "closed" &&
        s.attributes.length === 0 &&
        s.returnFor === null &&
        s.returnSaleIds.length === 0 &&
        s.completeSequenceId !== null &&
        postedIds.has(s.completeSequenceId) &&
        s.payments.length > 0 &&
        s.payments.every((p) => card.has(store.paymentTypes[p.paymentTypeId]?.kind ?? "")) &&
        !s.lines.some((l) => l.kind === "gift_card"),
    );
    expect(victim, "a card sale in a posted closure").toBeDefined();
    const closureId = victim!.completeSequenceId!;
    const first = docsOfVersion(stack, closureId, "1");
    expect(first.live.length).toBeGreaterThanOrEqual(1);
    expect(first.voided).toEqual([]);
    const oldSales = first.live.find((d) => d.entity === "SalesReceipt" || d.entity === "RefundReceipt")!;

    // the customer changed their mind the next morning: the sale is voided from the sales history
    stack.pos.voidSale(stack.tenant, victim!.id, stack.now());
    await stack.settle();
    stack.advance(60_000);
    await stack.cron();

    const item = (await closureItems(stack)).filter((i) => i.pos_id === closureId);
    expect(item.map((i) => [i.pos_version, i.state])).toEqual([
      ["1", "superseded"],
      ["2", "posted"],
    ]);
    // at most one live document per part, all of the new version; the old ones voided
    const old = docsOfVersion(stack, closureId, "1");
    expect(old.live).toEqual([]);
    // the receipt voided; a journal entry, which QBO cannot void, deleted
    expect(old.voided.map((d) => d.Id)).toEqual([oldSales.Id]);
    const stillThere = ["JournalEntry"].flatMap((e) =>
      (stack.qbo.entities(stack.realmId, e) as Doc[]).map((d) => d.Id),
    );
    for (const d of first.live.filter((x) => x.entity === "JournalEntry")) expect(stillThere).not.toContain(d.Id);
    const next = docsOfVersion(stack, closureId, "2");
    expect(next.live.map((d) => d.entity).sort()).toEqual(
      docsOf(item[1]!)
        .map((d) => d.entity)
        .sort(),
    );
    expect(new Set(next.live.map((d) => d.entity)).size).toBe(next.live.length);
    // the sales document lost exactly the voided sale
    const newSales = next.live.find((d) => d.entity === "SalesReceipt" || d.entity === "RefundReceipt")!;
    const signed = (d: Doc & { entity: string }) =>
      Math.round((d.TotalAmt ?? 0) * 100) * (d.entity === "RefundReceipt" ? -1 : 1);
    expect(signed(newSales)).toBe(signed(oldSales) - (victim!.totalPrice + victim!.totalTax + victim!.rounding));

    // the diff is in the audit trail, said as the POS's change
    const audits = await stack
      .services()
      .db.prepare("SELECT actor, action, detail FROM audit_log WHERE tenant_id = ?1 AND pos_id = ?2 ORDER BY id")
      .bind(stack.tenant, closureId)
      .all<{ actor: string; action: string; detail: string }>();
    const diff = audits.results.find((a) => a.action === "replace_diff");
    expect(diff?.actor).toBe("cron");
    expect(diff?.detail).toContain(`sale ${victim!.id} voided`);
    expect(diff?.detail).toMatch(/Sales – .*: \d+\.\d\d → \d+\.\d\d/);
    expect(audits.results.some((a) => a.action === "replace" && a.detail.startsWith("version 1 replaced by 2"))).toBe(
      true,
    );

    // a second run changes nothing more
    stack.advance(60_000);
    await stack.cron();
    expect((await closureItems(stack)).filter((i) => i.pos_id === closureId)).toHaveLength(2);

    // every account to the cent against the POS's own figures (which leave the voided sale out)
    const refs = await loadRefs(stack.services(), stack.tenant);
    const expected = expectedBooks(stack, mappings, refs, "2026-10-31");
    const actual = deltas(before, trialBalanceMap(stack));
    const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
    const show = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [name(k), v]).sort());
    expect(show(actual)).toEqual(show(expected.byAccount));
  });
});
