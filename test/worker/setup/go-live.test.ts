import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { PreviewResponse, RecentObjectsResponse, SetupResponse, StatusResponse } from "../../../shared/api";
import { holdUntilLive } from "../../../worker/db/setup";
import { auditRows, forgetEverything, itemsOf, trade } from "../drift/helpers";
import { createStack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe("guided setup: nothing posts before the merchant has seen the first closure and gone live", () => {
  it("holds the first closure, previews it as balanced debits and credits, and posts it once on go live", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack({ reviewFirst: true });
    const before = await stack.api<SetupResponse>("/api/setup");
    expect(before.body).toEqual({
      held: true,
      liveAt: null,
      liveBy: null,
      firstClosure: null,
      released: 0,
      timeZone: "America/Toronto",
    });

    await trade(stack); // a trading day: its closures close, the webhooks and two cron runs pass
    const held = await itemsOf("closure", "blocked");
    expect(held.length).toBeGreaterThan(0);
    for (const row of held) expect([row.reason_code, row.blocked_on]).toEqual(["not_live", "setup"]);
    const posts = () =>
      stack.qbo
        .requestLog(stack.realmId)
        .filter((r) => r.write && ["SalesReceipt", "JournalEntry"].includes(r.entity ?? ""));
    expect(posts()).toEqual([]);

    const setup = (await stack.api<SetupResponse>("/api/setup")).body;
    expect(setup.held).toBe(true);
    expect(setup.firstClosure).toMatchObject({ posId: held[0]!.pos_id, state: "blocked" });
    expect(setup.firstClosure!.name).toMatch(/ #\d+$/);

    // any of them can be previewed without typing its id: the recent ones, by their POS names, newest first
    const recent = (await stack.api<RecentObjectsResponse>("/api/preview/recent?kind=closure")).body.objects;
    expect(recent.map((o) => o.posId).sort()).toEqual(held.map((r) => r.pos_id).sort());
    expect(recent[recent.length - 1]!.posId).toBe(held[0]!.pos_id);
    for (const o of recent)
      expect(o).toMatchObject({ kind: "closure", state: "blocked", name: expect.stringMatching(/ #\d+$/) });
    expect((await stack.api("/api/preview/recent?kind=nonsense")).status).toBe(400);

    // the badge says why, in plain words, with the setup as the place to fix it
    const status = await stack.api<StatusResponse>("/api/status", {
      body: { objects: [{ kind: "closure", posId: held[0]!.pos_id }] },
    });
    expect(status.body.objects[0]!.reason).toMatchObject({ code: "not_live", fixAt: "setup" });

    const preview = (
      await stack.api<PreviewResponse>(`/api/preview?kind=closure&posId=${encodeURIComponent(held[0]!.pos_id)}`)
    ).body;
    expect(preview.blockers).toEqual([]);
    expect(preview.documents.length).toBeGreaterThan(0);
    for (const d of preview.documents) {
      const j = d.journal!;
      expect(j.lines.length).toBeGreaterThan(1);
      expect(j.debitMinor).toBe(j.creditMinor);
      expect(sum(j.lines.map((l) => l.debitMinor))).toBe(j.debitMinor);
      for (const l of j.lines) {
        expect(l.debitMinor === 0 || l.creditMinor === 0).toBe(true);
        expect(l.account).not.toBe("");
      }
    }
    // the sales receipt debits the closure clearing account with what the POS took, tax included
    const receipt = preview.documents.find((d) => d.entity === "SalesReceipt")!;
    const clearing = receipt.journal!.lines.find((l) => l.account === "Tillbridge closure clearing")!;
    expect(clearing.debitMinor).toBe(
      receipt.journal!.debitMinor - sum(receipt.journal!.lines.filter((l) => l !== clearing).map((l) => l.debitMinor)),
    );
    expect(clearing.debitMinor).toBeGreaterThan(0);

    const waitingBefore = (await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND blocked_on = 'setup' AND state = 'blocked'",
    )
      .bind(TENANT)
      .first<{ n: number }>())!.n;
    const live = await stack.api<SetupResponse>("/api/setup/go-live", { method: "POST" });
    expect(live.status).toBe(200);
    expect(live.body.held).toBe(true);
    expect(live.body.liveAt).not.toBeNull();
    // every object of the day waited for it (sales on account too), and all of them are released
    expect(live.body.released).toBe(waitingBefore);
    expect(waitingBefore).toBeGreaterThan(held.length);
    await stack.settle();
    await stack.cron();
    expect(await itemsOf("closure", "blocked")).toEqual([]);
    expect(await itemsOf("sale", "blocked")).toEqual([]);
    const posted = await itemsOf("closure", "posted");
    expect(posted.map((r) => r.pos_id).sort()).toEqual(held.map((r) => r.pos_id).sort());

    // what QBO holds is what the preview showed
    const receipts = stack.qbo.entities(stack.realmId, "SalesReceipt") as { PrivateNote?: string; TotalAmt: number }[];
    const mine = receipts.filter((r) => r.PrivateNote?.includes(held[0]!.pos_id));
    expect(mine).toHaveLength(1);
    expect(Math.round(mine[0]!.TotalAmt * 100)).toBe(clearing.debitMinor);

    // a second click changes nothing; the audit log names the person's choice
    const again = await stack.api<SetupResponse>("/api/setup/go-live", { method: "POST" });
    expect(again.body.released).toBe(0);
    expect(again.body.liveAt).toBe(live.body.liveAt);
    expect((await auditRows("action = 'go_live'")).length).toBe(1);

    // and the next day posts by itself
    await trade(stack);
    expect(await itemsOf("closure", "blocked")).toEqual([]);
  });

  it("never holds a store that was not connected through the guided setup, nor one that has posted already", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    expect((await stack.api<SetupResponse>("/api/setup")).body.held).toBe(false);
    await trade(stack);
    expect((await itemsOf("closure", "posted")).length).toBeGreaterThan(0);
    // reconnecting through the extension later must not stop a store that is already posting
    expect(await holdUntilLive(env.DB, TENANT, stack.now())).toBe(false);
    expect((await stack.api<SetupResponse>("/api/setup")).body.held).toBe(false);
  });
});
