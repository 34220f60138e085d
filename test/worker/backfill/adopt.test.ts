import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createStack } from "../support/stack";
import { countRows, forgetEverything, qboDocuments, runUntilDone, type BackfillT } from "./harness";

afterEach(forgetEverything);

describe("a backfill over documents QBO already holds", () => {
  it("finds them by their Tillbridge marker and adopts them instead of posting twice", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    const range = { from: "2026-10-20", to: "2026-10-21" };
    expect((await stack.api("/api/backfill", { body: range })).status).toBe(200);
    await stack.settle();
    const first = await runUntilDone(stack);
    expect(first.failed).toBe(0);
    const posted = qboDocuments(stack);
    const created = await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'post'");
    expect(created).toBeGreaterThan(10);

    // Tillbridge's own records are lost (a restored database, a new install); QBO keeps the books.
    await env.DB.batch(
      ["sync_items", "backfill_items", "backfills", "closures", "audit_log"].map((t) =>
        env.DB.prepare(`DELETE FROM ${t}`),
      ),
    );

    const again = await stack.api<{ backfill: BackfillT }>("/api/backfill", { body: range });
    expect(again.status).toBe(200);
    await stack.settle();
    const second = await runUntilDone(stack);
    expect(second).toMatchObject({ status: "done", total: first.total, done: first.total, failed: 0 });
    expect(qboDocuments(stack)).toEqual(posted);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'post'")).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'adopt'")).toBe(created);
    const planned = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'backfill_planned'").first<{
      detail: string;
    }>();
    expect(planned?.detail).toContain(`${first.total} objects, 0 already known to Tillbridge`);
    // every object that had posted a document was found by the one range scan, not looked up blindly
    expect(await countRows("SELECT COUNT(*) AS n FROM backfill_items WHERE maybe_posted = 1")).toBeGreaterThan(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM sync_items WHERE state = 'posted'")).toBe(
      await countRows("SELECT COUNT(*) AS n FROM backfill_items WHERE maybe_posted = 1"),
    );
  });
});
