import { describe, expect, it } from "vitest";
import {
  activeBackfill,
  backfillById,
  createBackfill,
  latestBackfill,
  linkItem,
  nextUnreleased,
  progressOf,
  recentBackfills,
  saveProgress,
  savePlan,
  setNote,
  setStatus,
  tenantsWithRunningBackfills,
} from "../../../worker/db/backfills";
import { claimItem, finishOutcomeStatement, finishPostedStatement, upsertItem } from "../../../worker/db/sync-items";
import { db, freshTenant, later, t0 } from "./helpers";

const start = (tenantId: string, at = t0) =>
  createBackfill(
    db,
    { tenantId, from: "2026-10-01", to: "2026-10-31", countedPolicy: "wait", createdBy: "user:x" },
    at,
  );

describe("backfills in D1", () => {
  it("starts running in its planning phase; the tenant's active and latest backfill is it", async () => {
    const t = await freshTenant();
    const row = await start(t);
    expect(row).toMatchObject({ tenant_id: t, status: "running", phase: "planning", total: 0, counted_policy: "wait" });
    expect((await activeBackfill(db, t))?.id).toBe(row.id);
    expect((await latestBackfill(db, t))?.id).toBe(row.id);
    expect(await tenantsWithRunningBackfills(db)).toContain(t);
  });

  it("moves status only from the states named (two pauses: one wins), stamping the run and the end", async () => {
    const t = await freshTenant();
    const row = await start(t);
    const [one, two] = await Promise.all([
      setStatus(db, row.id, ["running"], "paused", later(10)),
      setStatus(db, row.id, ["running"], "paused", later(10)),
    ]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    expect(await tenantsWithRunningBackfills(db)).not.toContain(t);
    expect(await setStatus(db, row.id, ["paused"], "running", later(20), 3)).toBe(true);
    expect(await backfillById(db, row.id)).toMatchObject({
      run_started_at: later(20).toISOString(),
      run_settled_start: 3,
    });
    expect(await setStatus(db, row.id, ["running"], "done", later(30))).toBe(true);
    expect(await backfillById(db, row.id)).toMatchObject({
      status: "done",
      phase: "finished",
      finished_at: later(30).toISOString(),
    });
    expect(await activeBackfill(db, t)).toBeNull();
    await setNote(db, row.id, "x".repeat(2000), later(40));
    expect((await backfillById(db, row.id))?.note).toHaveLength(1000);
  });

  it("keeps the plan in posting order, releases it object by object, and reads progress from the items", async () => {
    const t = await freshTenant();
    const row = await start(t);
    const objects = Array.from({ length: 40 }, (_, i) => ({
      kind: "closure" as const,
      posId: `c${String(i).padStart(2, "0")}`,
      businessDate: "2026-10-02",
      syncItemId: null,
      maybePosted: i === 0,
    }));
    await savePlan(db, row.id, objects, later(1));
    expect(await backfillById(db, row.id)).toMatchObject({ phase: "posting", total: 40 });
    const first = await nextUnreleased(db, row.id, 3);
    expect(first.map((o) => [o.seq, o.pos_id, o.maybe_posted])).toEqual([
      [0, "c00", 1],
      [1, "c01", 0],
      [2, "c02", 0],
    ]);
    const item = async (posId: string) =>
      (await upsertItem(db, { tenantId: t, kind: "closure", posId, posVersion: "1", idemKey: `k|${t}|${posId}` }, t0))
        .row;
    const posted = await item("c00");
    const blocked = await item("c01");
    await linkItem(db, row.id, "closure", "c00", posted.id);
    await linkItem(db, row.id, "closure", "c01", blocked.id);
    await claimItem(db, posted.id, "w", t0);
    await finishPostedStatement(db, posted.id, "w", {}, t0).run();
    await claimItem(db, blocked.id, "w", t0);
    await finishOutcomeStatement(
      db,
      blocked.id,
      "w",
      { state: "blocked", code: "needs_counted_totals", detail: "", blockedOn: "counted" },
      t0,
      {},
      false,
    ).run();
    const p = await progressOf(db, row.id);
    expect(p).toEqual({ total: 40, done: 1, failed: 1, remaining: 38, unreleased: 38 });
    expect((await nextUnreleased(db, row.id, 1))[0]?.pos_id).toBe("c02");
    await saveProgress(db, row.id, p, later(2));
    expect(await backfillById(db, row.id)).toMatchObject({ total: 40, done: 1, failed: 1 });
  });

  it("lists running and paused backfills and those changed lately, newest first", async () => {
    const t = await freshTenant();
    const old = await start(t, new Date("2026-01-01T00:00:00Z"));
    await setStatus(db, old.id, ["running"], "cancelled", new Date("2026-01-02T00:00:00Z"));
    const paused = await start(t, new Date("2026-01-03T00:00:00Z"));
    await setStatus(db, paused.id, ["running"], "paused", new Date("2026-01-03T00:00:00Z"));
    const recent = await start(t, later(0));
    await setStatus(db, recent.id, ["running"], "done", later(1));
    const ids = (await recentBackfills(db, later(-3600))).filter((r) => r.tenant_id === t).map((r) => r.id);
    expect(ids).toEqual([recent.id, paused.id]);
  });
});
