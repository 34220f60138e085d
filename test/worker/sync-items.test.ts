import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { ensureTenant } from "../../worker/db/tenants";
import {
  claimItem,
  currentItems,
  docsOf,
  dueItems,
  finishOutcomeStatement,
  finishPostedStatement,
  healBlocked,
  recordDoc,
  retryNow,
  upsertItem,
} from "../../worker/db/sync-items";

const t0 = new Date("2026-11-28T12:00:00Z");
const later = (s: number) => new Date(t0.getTime() + s * 1000);
let n = 0;
const tenant = () => `t${++n}-${Math.random().toString(36).slice(2, 8)}`;
const item = (tenantId: string, posId: string, posVersion = "1") => ({
  tenantId,
  kind: "closure" as const,
  posId,
  posVersion,
  idemKey: `tb1|${tenantId}|closure|${posId}|${posVersion}`,
});

let a: string;
let b: string;
beforeEach(async () => {
  a = tenant();
  b = tenant();
  await ensureTenant(env.DB, a, "A", t0);
  await ensureTenant(env.DB, b, "B", t0);
});

describe("sync items in D1", () => {
  it("records an object version once, however often it is discovered", async () => {
    const first = await upsertItem(env.DB, item(a, "c1"), t0);
    const again = await upsertItem(env.DB, item(a, "c1"), later(5));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.row.id).toBe(first.row.id);
  });

  it("lets exactly one of two racing claimers hold an item; an expired lease is taken over", async () => {
    const { row } = await upsertItem(env.DB, item(a, "c2"), t0);
    const [one, two] = await Promise.all([
      claimItem(env.DB, row.id, "cron-1", t0),
      claimItem(env.DB, row.id, "click-1", t0),
    ]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    expect(await claimItem(env.DB, row.id, "cron-2", later(60))).toBe(false);
    expect(await claimItem(env.DB, row.id, "cron-2", later(121))).toBe(true);
  });

  it("keeps each posted document as soon as it exists, then settles as posted", async () => {
    const { row } = await upsertItem(env.DB, item(a, "c3"), t0);
    await claimItem(env.DB, row.id, "w", t0);
    await recordDoc(
      env.DB,
      row.id,
      "w",
      { part: "sales", entity: "SalesReceipt", id: "41", docNumber: "Z1-R1-AAAA" },
      t0,
    );
    await expect(
      recordDoc(env.DB, row.id, "intruder", { part: "payments", entity: "JournalEntry", id: "42" }, t0),
    ).rejects.toThrow(/lost the lease/);
    await recordDoc(env.DB, row.id, "w", { part: "payments", entity: "JournalEntry", id: "42" }, t0);
    await finishPostedStatement(env.DB, row.id, "w", { amountMinor: 12345, txnDate: "2026-11-01" }, t0).run();
    const [now] = await currentItems(env.DB, a, [{ kind: "closure", posId: "c3" }]);
    expect(now?.state).toBe("posted");
    expect(docsOf(now!).map((d) => d.id)).toEqual(["41", "42"]);
  });

  it("heals items blocked on a mapping when it is saved, and only those of that tenant", async () => {
    const ra = (await upsertItem(env.DB, item(a, "c4"), t0)).row;
    const rb = (await upsertItem(env.DB, item(b, "c4"), t0)).row;
    for (const [row, owner] of [
      [ra, "w1"],
      [rb, "w2"],
    ] as const) {
      await claimItem(env.DB, row.id, owner, t0);
      await finishOutcomeStatement(
        env.DB,
        row.id,
        owner,
        {
          state: "blocked",
          code: "needs_mapping",
          detail: "payment type 'Afterpay'",
          blockedOn: "mapping:paymentTypes.p9",
        },
        t0,
      ).run();
    }
    expect(await dueItems(env.DB, a, later(1), 10)).toHaveLength(0);
    expect(await healBlocked(env.DB, a, "mapping:", later(2))).toBe(1);
    expect((await dueItems(env.DB, a, later(3), 10)).map((r) => r.pos_id)).toEqual(["c4"]);
    expect(await dueItems(env.DB, b, later(3), 10)).toHaveLength(0);
  });

  it("waits for the backoff time before a failed item is due again; a person can retry now", async () => {
    const { row } = await upsertItem(env.DB, item(a, "c5"), t0);
    await claimItem(env.DB, row.id, "w", t0);
    await finishOutcomeStatement(
      env.DB,
      row.id,
      "w",
      { state: "failed", code: "qbo_transient", detail: "HTTP 503", nextAttemptAt: later(60) },
      t0,
    ).run();
    expect(await dueItems(env.DB, a, later(30), 10)).toHaveLength(0);
    expect(await dueItems(env.DB, a, later(61), 10)).toHaveLength(1);
    expect(await retryNow(env.DB, row.id, later(31))).toBe(true);
    expect(await dueItems(env.DB, a, later(31), 10)).toHaveLength(1);
  });

  it("answers the states of 500 objects in one query, scoped to the tenant", async () => {
    const stmts = [];
    for (let i = 0; i < 500; i++) {
      stmts.push(
        env.DB.prepare(
          "INSERT INTO sync_items (tenant_id, kind, pos_id, pos_version, state, idem_key, created_at, updated_at) VALUES (?1, 'closure', ?2, '1', 'ready', ?3, ?4, ?4)",
        ).bind(a, `bulk-${i}`, `k-${a}-${i}`, t0.toISOString()),
      );
    }
    await env.DB.batch(stmts);
    const refs = Array.from({ length: 500 }, (_, i) => ({ kind: "closure" as const, posId: `bulk-${i}` }));
    expect(await currentItems(env.DB, a, refs)).toHaveLength(500);
    expect(await currentItems(env.DB, b, refs)).toHaveLength(0);
  });
});
