import { describe, expect, it } from "vitest";
import { audit, auditEntries } from "../../../worker/db/audit";
import { deadLetters, DeadLetterQuery } from "../../../worker/db/dead-letters";
import { claimItem, finishOutcomeStatement, upsertItem } from "../../../worker/db/sync-items";
import { db, freshTenant, later, t0 } from "./helpers";

describe("the audit trail", () => {
  it("reads a tenant's entries newest first, filtered by time, kind, action and object", async () => {
    const t = await freshTenant();
    const other = await freshTenant();
    await audit(db, { tenantId: t, actor: "cron", action: "post", kind: "closure", posId: "c1", qboId: "1" }, t0);
    await audit(db, { tenantId: t, actor: "user:a", action: "send", kind: "sale", posId: "s1" }, later(10));
    await audit(db, { tenantId: t, actor: "cron", action: "post", kind: "sale", posId: "s1" }, later(20));
    await audit(db, { tenantId: other, actor: "cron", action: "post", kind: "sale", posId: "s1" }, later(20));
    const all = await auditEntries(db, t, { limit: 10 });
    expect(all.map((e) => [e.action, e.pos_id])).toEqual([
      ["post", "s1"],
      ["send", "s1"],
      ["post", "c1"],
    ]);
    expect(all[2]).toMatchObject({ actor: "cron", kind: "closure", qbo_id: "1", payload_hash: null });
    expect(await auditEntries(db, t, { kind: "sale", action: "post", limit: 10 })).toHaveLength(1);
    expect(await auditEntries(db, t, { posId: "s1", limit: 10 })).toHaveLength(2);
    const window = { from: later(5).toISOString(), to: later(20).toISOString(), limit: 10 };
    expect((await auditEntries(db, t, window)).map((e) => e.action)).toEqual(["send"]);
    expect(await auditEntries(db, t, { limit: 1 })).toHaveLength(1);
  });
});

describe("dead letters", () => {
  it("lists blocked and rejected items stuck long enough, with a summary per reason", async () => {
    const t = await freshTenant();
    const stuck = async (posId: string, outcome: Parameters<typeof finishOutcomeStatement>[3], at: Date) => {
      const { row } = await upsertItem(db, { tenantId: t, kind: "sale", posId, posVersion: "1", idemKey: posId }, at);
      await claimItem(db, row.id, "w", at);
      await finishOutcomeStatement(db, row.id, "w", outcome, at).run();
    };
    await stuck("r1", { state: "rejected", code: "qbo_validation", detail: "Amount is wrong" }, t0);
    await stuck(
      "b1",
      { state: "blocked", code: "needs_mapping", detail: "accounts.sales", blockedOn: "mapping:x" },
      t0,
    );
    await stuck(
      "b2",
      { state: "blocked", code: "needs_mapping", detail: "accounts.sales", blockedOn: "mapping:x" },
      later(7200),
    );
    await upsertItem(db, { tenantId: t, kind: "sale", posId: "ok", posVersion: "1", idemKey: "ok" }, t0);
    const all = await deadLetters(db, DeadLetterQuery.parse({ tenant: t }), later(7300));
    expect(all.summary).toEqual([
      { tenantId: t, state: "blocked", code: "needs_mapping", count: 2, oldest: t0.toISOString() },
      { tenantId: t, state: "rejected", code: "qbo_validation", count: 1, oldest: t0.toISOString() },
    ]);
    expect(all.items.map((i) => i.posId)).toEqual(["r1", "b1", "b2"]);
    expect(all.items[0]).toMatchObject({
      state: "rejected",
      reason: { code: "qbo_validation", detail: "Amount is wrong" },
      attempts: 1,
      blockedOn: null,
    });
    const old = await deadLetters(db, DeadLetterQuery.parse({ tenant: t, olderThanHours: "1" }), later(7300));
    expect(old.items.map((i) => i.posId)).toEqual(["r1", "b1"]);
    const rejected = await deadLetters(db, DeadLetterQuery.parse({ tenant: t, state: "rejected" }), later(7300));
    expect(rejected.items.map((i) => i.posId)).toEqual(["r1"]);
  });
});
