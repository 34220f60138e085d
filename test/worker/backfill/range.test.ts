import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, trialBalanceMap } from "../support/books";
import { createStack, TENANT } from "../support/stack";
import { countRows, forgetEverything, getBackfill, qboDocuments, runUntilDone, type BackfillT } from "./harness";
import { expectedRangeBooks } from "./range-books";

afterEach(forgetEverything);

/**
 * Days of the demo store's history from before Tillbridge was connected (the stack connects on
 * 2026-10-31; the store traded from 2026-10-01), posted by a backfill: the books of those days tie
 * out to the POS's own figures, and a second, overlapping backfill posts only what is new.
 */
describe("a backfill of past trading days", () => {
  it("posts every closure, account sale, payment and event of the range, tied out to the POS", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const refs = await loadRefs(stack.services(), TENANT);
    const before = trialBalanceMap(stack);

    const started = await stack.api<{ backfill: BackfillT }>("/api/backfill", {
      body: { from: "2026-10-18", to: "2026-10-21" },
    });
    expect(started.status).toBe(200);
    expect(started.body.backfill).toMatchObject({ from: "2026-10-18", to: "2026-10-21", status: "running" });
    await stack.settle();
    const done = await runUntilDone(stack);

    const expected = expectedRangeBooks(stack, mappings, refs, "2026-10-18", "2026-10-21");
    const objects =
      expected.closures.length +
      expected.accountSales.length +
      expected.accountPayments.length +
      expected.accountCredits.length +
      expected.giftCardExpiries.length +
      expected.storeCreditIssues.length;
    // the range holds every kind: three registers × four days, account sales of the range or paid in it, events
    expect(expected.closures.length).toBe(12);
    expect(expected.accountSales.length).toBeGreaterThanOrEqual(3);
    expect(expected.accountPayments.length).toBeGreaterThanOrEqual(4);
    expect(expected.giftCardExpiries.length).toBe(1);
    expect(expected.storeCreditIssues.length).toBe(1);
    expect(done).toMatchObject({
      status: "done",
      total: objects,
      done: objects,
      failed: 0,
      remaining: 0,
      etaSeconds: null,
    });

    const states = await env.DB.prepare(
      "SELECT kind, state, reason_code, COUNT(*) AS n FROM sync_items GROUP BY kind, state, reason_code",
    ).all();
    expect(states.results.filter((r) => r.state !== "posted" && r.state !== "not_applicable")).toEqual([]);
    const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
    const show = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [name(k), v]).sort());
    expect(show(deltas(before, trialBalanceMap(stack)))).toEqual(show(expected.byAccount));

    // closures no webhook announced were rebuilt from the sales, posted with counted = expected, and say so
    for (const id of expected.closures) {
      const c = await env.DB.prepare(
        "SELECT discovered_via, counted_source FROM closures WHERE tenant_id = ?1 AND id = ?2",
      )
        .bind(TENANT, id)
        .first();
      expect(c, id).toEqual({ discovered_via: "backfill", counted_source: "assumed" });
      // …and keep the POS's own sequence number (counted from each register's latest) in DocNumber and memo
      const n = stack.pos.closureFigures(TENANT, id).sequenceNumber;
      const sales = qboDocuments(stack).filter((d) => d.note.includes(id));
      expect(sales.length, id).toBeGreaterThan(0);
      for (const d of sales) expect(d.note, id).toContain(`sequence #${n}`);
      const docNumbers = (["SalesReceipt", "RefundReceipt"] as const).flatMap((entity) =>
        (stack.qbo.entities(stack.realmId, entity) as { DocNumber?: string; PrivateNote?: string }[])
          .filter((d) => d.PrivateNote?.includes(id))
          .map((d) => d.DocNumber ?? ""),
      );
      for (const dn of docNumbers) expect(dn, id).toMatch(new RegExp(`^Z${n}-S`));
    }
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'counted_assumed'")).toBe(12);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'backfill' AND detail LIKE 'started backfill%' AND actor LIKE 'user:%'",
      ),
    ).toBe(1);

    // a second range overlapping the first: its first day is recognised, only the new day is posted
    const docsBefore = qboDocuments(stack);
    const second = await stack.api<{ backfill: BackfillT }>("/api/backfill", {
      body: { from: "2026-10-21", to: "2026-10-22" },
    });
    expect(second.status).toBe(200);
    await stack.settle();
    const again = await runUntilDone(stack);
    const day2 = expectedRangeBooks(stack, mappings, refs, "2026-10-21", "2026-10-21");
    const day3 = expectedRangeBooks(stack, mappings, refs, "2026-10-22", "2026-10-22");
    expect(again.failed).toBe(0);
    expect(again.done).toBe(again.total);
    const docsAfter = qboDocuments(stack);
    const onDay = (docs: typeof docsBefore, date: string) =>
      docs.filter((d) => d.txnDate === date && d.entity !== "Payment").length;
    expect(onDay(docsAfter, "2026-10-21")).toBe(onDay(docsBefore, "2026-10-21"));
    expect(onDay(docsBefore, "2026-10-22")).toBe(0);
    expect(onDay(docsAfter, "2026-10-22")).toBeGreaterThanOrEqual(2 * day3.closures.length);
    const tags = docsAfter
      .map((d) => /Tillbridge (\w{10}) \| key [^|]+\| part (\S+)/.exec(d.note)?.slice(1).join("/"))
      .filter(Boolean);
    expect(new Set(tags).size, "one QBO document per posting and part").toBe(tags.length);
    expect(day2.closures.every((id) => docsBefore.some((d) => d.note.includes(id)))).toBe(true);
    expect((await getBackfill(stack))?.id).toBe(again.id);
  });
});
