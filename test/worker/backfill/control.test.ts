import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { releaseLease, takeLease } from "../../../worker/db/leases";
import { loadRefs } from "../../../worker/qbo/refs";
import { runBackfillStep } from "../../../worker/sync/backfill/run";
import { createStack, TENANT } from "../support/stack";
import { countRows, forgetEverything, getBackfill, runUntilDone, type BackfillT } from "./harness";
import { expectedRangeBooks } from "./range-books";

afterEach(forgetEverything);

const start = (stack: Awaited<ReturnType<typeof createStack>>, body: Record<string, unknown>) =>
  stack.api<{ backfill: BackfillT; error?: { code: string; fields?: Record<string, string> } }>("/api/backfill", {
    body,
  });

describe("backfill progress, pause and resume", () => {
  it("keeps its numbers in D1, stops on pause, goes on after resume and counts a failure", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    const s = stack.services();
    // Hold the tenant's step lease so the start's own background step does nothing: this test drives the steps.
    expect(await takeLease(env.DB, TENANT, "backfill", stack.now(), 600)).toBe(true);
    const started = await start(stack, { from: "2026-10-18", to: "2026-10-19" });
    expect(started.status).toBe(200);
    await stack.settle();
    expect(await getBackfill(stack)).toMatchObject({
      status: "running",
      total: 0,
      done: 0,
      remaining: 0,
      etaSeconds: null,
    });
    await releaseLease(env.DB, TENANT, "backfill", stack.now());

    // a first step plans the range and releases three objects (planning discovers the store's month
    // of history, more D1 statements than a step's default allows: statements.test.ts tests that cap)
    const first = await runBackfillStep(s, TENANT, { maxItems: 3, maxStatements: 10_000 });
    expect(first).toMatchObject({ planned: true, released: 3, stopped: "max_items", finished: false });
    const partial = (await getBackfill(stack))!;
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const expected = expectedRangeBooks(stack, mappings, await loadRefs(s, TENANT), "2026-10-18", "2026-10-19");
    const total =
      expected.closures.length +
      expected.accountSales.length +
      expected.accountPayments.length +
      expected.accountCredits.length +
      expected.giftCardExpiries.length +
      expected.storeCreditIssues.length;
    expect(partial).toMatchObject({ status: "running", total, done: 3, failed: 0, remaining: total - 3 });
    expect(partial.etaSeconds).toBeGreaterThan(0);
    const row = await env.DB.prepare("SELECT total, done, failed, phase FROM backfills WHERE id = ?1")
      .bind(partial.id)
      .first();
    expect(row).toEqual({ total, done: 3, failed: 0, phase: "posting" });

    // paused: a step releases nothing, and the page shows no estimate
    const paused = await stack.api<{ backfill: BackfillT }>("/api/backfill/pause", { method: "POST" });
    expect(paused.body.backfill).toMatchObject({ status: "paused", done: 3, remaining: total - 3, etaSeconds: null });
    expect(await runBackfillStep(s, TENANT, {})).toMatchObject({ released: 0, stopped: "idle" });
    expect((await getBackfill(stack))?.done).toBe(3);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM backfill_items WHERE backfill_id = ?1 AND sync_item_id IS NULL",
        partial.id,
      ),
    ).toBe(total - 3);

    // QBO refuses the next journal entry (alone or in a batch): that closure is a failure a person must look at
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "JournalEntry", operation: "create", inBatch: "either" },
      kind: "fault",
      fault: {
        status: 400,
        code: "6000",
        message: "A business validation error has occurred while processing your request",
        detail: "Business Validation Error: a test refusal",
      },
    });
    const resumed = await stack.api<{ backfill: BackfillT }>("/api/backfill/resume", { method: "POST" });
    expect(resumed.body.backfill.status).toBe("running");
    await stack.settle();
    const done = await runUntilDone(stack);
    expect(done).toMatchObject({ status: "done", total, done: total - 1, failed: 1, remaining: 0, etaSeconds: null });
    const rejected = await env.DB.prepare("SELECT kind, reason_code FROM sync_items WHERE state = 'rejected'").all();
    // several objects are in flight at once: whichever journal entry QBO met first (a closure's or a
    // store-credit issue's) is the one refused
    expect(rejected.results).toHaveLength(1);
    expect(rejected.results[0]).toMatchObject({ reason_code: "qbo_validation" });
    expect(["closure", "store_credit_issue"]).toContain((rejected.results[0] as { kind: string }).kind);
    const trail = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'backfill' ORDER BY id").all<{
      detail: string;
    }>();
    expect(trail.results.map((r) => r.detail.split(" ")[0])).toEqual(["started", "paused", "resumed", "backfill"]);
    expect(trail.results.at(-1)?.detail).toMatch(
      /done: \d+ posted or nothing to post, 1 waiting for a person or a fix/,
    );
  });

  it("with counted totals left to the back office, closures wait; each posts once its totals arrive", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    const started = await start(stack, { from: "2026-10-19", to: "2026-10-19", counted: "wait" });
    expect(started.status).toBe(200);
    await stack.settle();
    const b = await runUntilDone(stack);
    expect(b).toMatchObject({ status: "done", failed: 3, done: b.total - 3, remaining: 0 });
    const waiting = await env.DB.prepare(
      "SELECT pos_id, reason_code FROM sync_items WHERE kind = 'closure' AND state = 'blocked'",
    ).all<{ pos_id: string; reason_code: string }>();
    expect(waiting.results.map((r) => r.reason_code)).toEqual([
      "needs_counted_totals",
      "needs_counted_totals",
      "needs_counted_totals",
    ]);
    expect(await countRows("SELECT COUNT(*) AS n FROM closures WHERE counted_source IS NOT NULL")).toBe(0);

    // the extension reads one closure's summary page in the back office
    const closureId = waiting.results[0]!.pos_id;
    const figures = stack.pos.closureFigures(TENANT, closureId);
    const payments = figures.payments
      .filter((p) => p.countedMinor !== null)
      .map((p) => ({ paymentTypeId: p.paymentTypeId, name: p.name, countedMinor: p.countedMinor! }));
    const counted = await stack.api(`/api/closures/${closureId}/counted`, { body: { payments } });
    expect(counted.status).toBe(200);
    await stack.settle();
    expect(await getBackfill(stack)).toMatchObject({ status: "done", failed: 2, done: b.total - 2, remaining: 0 });
  });

  it("refuses a range it cannot run, a second running backfill, and a missing QuickBooks connection", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack({ posOnly: true });
    const notConnected = await start(stack, { from: "2026-10-01", to: "2026-10-02" });
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error?.code).toBe("qbo_not_connected");

    const bad = await start(stack, { from: "2026-10-10", to: "2026-10-02" });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields).toEqual({ to: "before the start of the range" });
    const long = await start(stack, { from: "2025-01-01", to: "2026-10-02" });
    expect(long.body.error?.fields?.to).toMatch(/more than 366 days/);
    const future = await start(stack, { from: "2026-10-01", to: "2027-01-01" });
    expect(future.body.error?.fields).toEqual({ to: "in the future" });
    const notADate = await start(stack, { from: "2026-02-30", to: "2026-03-01" });
    expect(notADate.body.error?.fields).toEqual({ from: "not a calendar date" });
    expect((await stack.api("/api/backfill/pause", { method: "POST" })).status).toBe(409);
    expect(await getBackfill(stack)).toBeNull();
  });

  it("runs one backfill at a time: a running one must be paused, and a paused one is replaced", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    expect(await takeLease(env.DB, TENANT, "backfill", stack.now(), 600)).toBe(true);
    const first = await start(stack, { from: "2026-10-10", to: "2026-10-10" });
    expect(first.status).toBe(200);
    const second = await start(stack, { from: "2026-10-11", to: "2026-10-11" });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("conflict");
    await stack.api("/api/backfill/pause", { method: "POST" });
    const third = await start(stack, { from: "2026-10-11", to: "2026-10-11" });
    expect(third.status).toBe(200);
    const statuses = await env.DB.prepare("SELECT id, status FROM backfills ORDER BY id").all<{
      id: number;
      status: string;
    }>();
    expect(statuses.results.map((r) => r.status)).toEqual(["cancelled", "running"]);
    expect((await getBackfill(stack))?.id).toBe(third.body.backfill.id);
    await stack.settle();
  });
});
