import { describe, expect, it } from "vitest";
import { audit } from "../../../worker/db/audit";
import {
  bumpCounter,
  countRateWindow,
  httpCounters,
  peekRateWindow,
  postingCounters,
  purgeRateWindows,
} from "../../../worker/db/counters";
import { claimItem, finishPostedStatement, upsertItem } from "../../../worker/db/sync-items";
import { db, freshTenant, later, t0 } from "./helpers";

describe("op_counters: QBO's answers per company and hour", () => {
  it("counts per scope, name and hour, and sums the hours of a window", async () => {
    const realm = `realm-${crypto.randomUUID()}`;
    await bumpCounter(db, realm, "qbo_429", t0);
    await bumpCounter(db, realm, "qbo_429", later(60));
    await bumpCounter(db, realm, "qbo_5xx", later(3600));
    await bumpCounter(db, realm, "qbo_no_answer", later(5 * 3600));
    const mine = (rows: { scope: string }[]) => rows.filter((r) => r.scope === realm);
    expect(mine(await httpCounters(db, t0.toISOString(), later(3600).toISOString()))).toEqual([
      { scope: realm, name: "qbo_429", count: 2 },
      { scope: realm, name: "qbo_5xx", count: 1 },
    ]);
    expect(mine(await httpCounters(db, later(7200).toISOString(), later(7300).toISOString()))).toEqual([]);
  });
});

describe("op_counters: the public routes' rate windows", () => {
  it("counts a window atomically, peeks without counting, and purges windows over an hour old", async () => {
    const scope = `rl:test:${crypto.randomUUID()}`;
    const window = t0.toISOString();
    const counts = await Promise.all([1, 2, 3].map(() => countRateWindow(db, scope, window)));
    expect(counts.sort()).toEqual([1, 2, 3]);
    expect(await peekRateWindow(db, scope, window)).toBe(3);
    expect(await peekRateWindow(db, scope, later(60).toISOString())).toBe(0);
    await countRateWindow(db, scope, later(3000).toISOString());
    await purgeRateWindows(db, later(3700));
    expect(await peekRateWindow(db, scope, window)).toBe(0);
    expect(await peekRateWindow(db, scope, later(3000).toISOString())).toBe(1);
  });

  it("keeps QBO's counters when it purges rate windows", async () => {
    const realm = `realm-${crypto.randomUUID()}`;
    await bumpCounter(db, realm, "qbo_429", t0);
    await purgeRateWindows(db, later(10 * 3600));
    expect((await httpCounters(db, t0.toISOString(), t0.toISOString())).some((r) => r.scope === realm)).toBe(true);
  });
});

describe("posting counters of a tenant", () => {
  it("reads outcomes from the audit trail and states from the items, inside the window", async () => {
    const t = await freshTenant();
    for (const action of ["post", "post", "adopt", "fail", "block", "reject", "nothing_to_post", "send"])
      await audit(db, { tenantId: t, actor: "cron", action }, later(10));
    await audit(db, { tenantId: t, actor: "cron", action: "post" }, later(-7200));
    const { row } = await upsertItem(
      db,
      { tenantId: t, kind: "closure", posId: "c", posVersion: "1", idemKey: "k" },
      t0,
    );
    await claimItem(db, row.id, "w", later(5));
    await finishPostedStatement(db, row.id, "w", {}, later(5)).run();
    await upsertItem(db, { tenantId: t, kind: "closure", posId: "d", posVersion: "1", idemKey: "k2" }, t0);
    const c = await postingCounters(db, t, t0.toISOString(), later(3600).toISOString());
    expect(c).toEqual({
      posted: 1,
      nothingToPost: 1,
      documentsCreated: 2,
      documentsAdopted: 1,
      failed: 1,
      blocked: 1,
      rejected: 1,
      retries: 0,
      current: { posted: 1, ready: 1 },
    });
  });
});
