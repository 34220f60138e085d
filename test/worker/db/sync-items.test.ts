import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { ensureTenant } from "../../../worker/db/tenants";
import {
  blockedByMapping,
  carryOver,
  claimItem,
  currentItem,
  currentItems,
  docsOf,
  dueItems,
  finishOutcomeStatement,
  finishPostedStatement,
  healBlocked,
  itemById,
  itemsUnder,
  markMaybeSent,
  postedInPeriod,
  recordDoc,
  replacementStatement,
  retryNow,
  supersedePostedStatement,
  tenantOfItem,
  upsertItem,
  waitingInPeriod,
  waitingOnPosted,
} from "../../../worker/db/sync-items";

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

  it("heals by a key longer than D1's LIKE patterns allow, and never takes an id's '_' as a wildcard", async () => {
    const long = "waiting:account_credit:cancel:d809f2bf-5b52-4d2c-ad04-aa16df1a386f"; // 67 characters
    const { row: mine } = await upsertItem(env.DB, item(a, "lk1"), t0);
    const { row: other } = await upsertItem(env.DB, item(a, "lk2"), t0);
    for (const [r, on] of [
      [mine, long],
      [other, "waiting:accountXcredit:cancel:d809f2bf-5b52-4d2c-ad04-aa16df1a386f"],
    ] as const) {
      await claimItem(env.DB, r.id, "w", t0);
      await finishOutcomeStatement(
        env.DB,
        r.id,
        "w",
        { state: "blocked", code: "waiting_for", detail: "the credit memo", blockedOn: on },
        t0,
      ).run();
    }
    expect(await healBlocked(env.DB, a, long, later(1))).toBe(1);
    const states = await env.DB.prepare(
      "SELECT pos_id, state FROM sync_items WHERE pos_id IN ('lk1', 'lk2') ORDER BY pos_id",
    ).all<{ pos_id: string; state: string }>();
    expect(states.results).toEqual([
      { pos_id: "lk1", state: "ready" },
      { pos_id: "lk2", state: "blocked" },
    ]);
    // a prefix heals both kinds of key that start with it, and nothing else
    expect(await healBlocked(env.DB, a, "waiting:accountXcredit:", later(2))).toBe(1);
  });

  it("finds items still waiting for another item that is posted already, in this tenant only", async () => {
    const { row: first } = await upsertItem(env.DB, item(a, "w1"), t0);
    const { row: waiting } = await upsertItem(env.DB, item(a, "w2"), t0);
    const { row: elsewhere } = await upsertItem(env.DB, item(b, "w3"), t0);
    for (const [r, on] of [
      [waiting, "waiting:closure:w1"],
      [elsewhere, "waiting:closure:w1"],
    ] as const) {
      await claimItem(env.DB, r.id, "w", t0);
      await finishOutcomeStatement(
        env.DB,
        r.id,
        "w",
        { state: "blocked", code: "waiting_for", detail: "the receipt of w1", blockedOn: on },
        t0,
      ).run();
    }
    expect(await waitingOnPosted(env.DB, a)).toEqual([]); // w1 not posted yet
    await claimItem(env.DB, first.id, "w", t0);
    await finishPostedStatement(env.DB, first.id, "w", { payloadHash: "h" }, later(1)).run();
    expect((await waitingOnPosted(env.DB, a)).map((r) => r.pos_id)).toEqual(["w2"]);
    expect(await waitingOnPosted(env.DB, b)).toEqual([]); // b's w1 is not posted: another tenant's is no answer
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

describe("sync items: the aggregate around one object", () => {
  const ref = (tenantId: string, kind: "sale" | "sale_payment" | "purchase_order", posId: string, v = "1") => ({
    tenantId,
    kind,
    posId,
    posVersion: v,
    idemKey: `tb1|${tenantId}|${kind}|${posId}|${v}`,
  });
  const post = async (id: number, docs: { part: string; entity: "Payment" | "Invoice" | "Bill"; id: string }[]) => {
    await claimItem(env.DB, id, "w", t0);
    for (const d of docs) await recordDoc(env.DB, id, "w", d, t0);
    await finishPostedStatement(env.DB, id, "w", { txnDate: "2026-11-27" }, t0).run();
  };

  it("finds the items applied to an object by their `<parent>:<id>` key, posted ones on request", async () => {
    const sale = (await upsertItem(env.DB, ref(a, "sale", "s1"), t0)).row;
    const p1 = (await upsertItem(env.DB, ref(a, "sale_payment", "s1:p1"), t0)).row;
    const p2 = (await upsertItem(env.DB, ref(a, "sale_payment", "s1:p2"), t0)).row;
    await upsertItem(env.DB, ref(a, "sale_payment", "s10:p1"), t0); // another sale whose id starts alike
    await upsertItem(env.DB, ref(b, "sale_payment", "s1:p9"), t0); // another tenant
    await post(p1.id, [{ part: "payment", entity: "Payment", id: "77" }]);
    expect((await itemsUnder(env.DB, a, "sale_payment", "s1")).map((r) => r.pos_id)).toEqual(["s1:p1", "s1:p2"]);
    expect((await itemsUnder(env.DB, a, "sale_payment", "s1", { postedOnly: true })).map((r) => r.id)).toEqual([p1.id]);
    expect(await itemsUnder(env.DB, a, "sale_payment", sale.pos_id.slice(0, 1))).toEqual([]);
    expect(p2.state).toBe("ready");
  });

  it("carries a purchase order's posted bills to its next version and supersedes the previous one", async () => {
    const v1 = (await upsertItem(env.DB, ref(a, "purchase_order", "po1"), t0)).row;
    await post(v1.id, [{ part: "d1/bill", entity: "Bill", id: "501" }]);
    const previous = (await itemById(env.DB, a, v1.id))!;
    const v2 = (await upsertItem(env.DB, ref(a, "purchase_order", "po1", "h2"), later(60))).row;
    await carryOver(env.DB, previous, v2, later(60));
    expect(docsOf((await itemById(env.DB, a, v2.id))!)).toEqual([{ part: "d1/bill", entity: "Bill", id: "501" }]);
    expect((await itemById(env.DB, a, v1.id))!.state).toBe("superseded");
    expect((await currentItem(env.DB, a, "purchase_order", "po1"))!.id).toBe(v2.id);
  });

  it("does not supersede a previous version an attempt holds right now", async () => {
    const v1 = (await upsertItem(env.DB, ref(a, "purchase_order", "po2"), t0)).row;
    await claimItem(env.DB, v1.id, "w", t0);
    const v2 = (await upsertItem(env.DB, ref(a, "purchase_order", "po2", "h2"), t0)).row;
    await carryOver(env.DB, (await itemById(env.DB, a, v1.id))!, v2, t0);
    expect((await itemById(env.DB, a, v1.id))!.state).toBe("posting");
  });

  it("replaces a posted item by a new version once, keeping the chosen open day", async () => {
    const old = (await upsertItem(env.DB, ref(a, "sale", "s2"), t0)).row;
    await post(old.id, [{ part: "invoice", entity: "Invoice", id: "900" }]);
    const posted = { ...(await itemById(env.DB, a, old.id))!, txn_date_override: "2026-12-01" };
    const replace = () =>
      env.DB.batch([
        replacementStatement(env.DB, posted, "2", `tb1|${a}|sale|s2|2`, later(5)),
        supersedePostedStatement(env.DB, old.id, later(5)),
      ]);
    await replace();
    await replace();
    const now = (await currentItem(env.DB, a, "sale", "s2"))!;
    expect(now).toMatchObject({ pos_version: "2", state: "ready", txn_date_override: "2026-12-01" });
    expect((await itemById(env.DB, a, old.id))!.state).toBe("superseded");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND pos_id = 's2'")
      .bind(a)
      .first<{ n: number }>();
    expect(count?.n).toBe(2);
  });

  it("marks a new item as maybe sent once, and knows whose an item is", async () => {
    const { row } = await upsertItem(env.DB, ref(a, "sale", "s3"), t0);
    await markMaybeSent(env.DB, row.id, t0);
    await markMaybeSent(env.DB, row.id, t0);
    expect((await itemById(env.DB, a, row.id))!.sends).toBe(1);
    expect(await tenantOfItem(env.DB, row.id)).toBe(a);
    expect(await tenantOfItem(env.DB, 987_654_321)).toBeNull();
  });

  it("counts the items waiting on each mapping", async () => {
    const blocked = (posId: string, key: string) =>
      upsertItem(
        env.DB,
        { ...ref(a, "sale", posId), state: "blocked", blockedOn: `mapping:${key}`, reasonCode: "needs_mapping" },
        t0,
      );
    await blocked("m1", "accounts.sales");
    await blocked("m2", "accounts.sales");
    await blocked("m3", "paymentTypes.cash");
    await upsertItem(env.DB, { ...ref(a, "sale", "m4"), state: "blocked", blockedOn: "counted" }, t0);
    expect(Object.fromEntries(await blockedByMapping(env.DB, a))).toEqual({
      "accounts.sales": 2,
      "paymentTypes.cash": 1,
    });
    expect((await blockedByMapping(env.DB, b)).size).toBe(0);
  });

  it("reads the postings of some kinds dated in a period, and counts those still on their way", async () => {
    const made = async (kind: "sale" | "sale_payment", posId: string, date: string | null) => {
      const { row } = await upsertItem(env.DB, ref(a, kind, posId), t0);
      if (date) {
        await claimItem(env.DB, row.id, "w", t0);
        await finishPostedStatement(env.DB, row.id, "w", { txnDate: date }, t0).run();
      }
      return row;
    };
    await made("sale", "in", "2026-11-10");
    await made("sale", "before", "2026-10-31");
    await made("sale_payment", "in:p", "2026-11-30");
    await made("sale", "waiting", null);
    const posted = await postedInPeriod(env.DB, a, ["sale"], "2026-11-01", "2026-11-30");
    expect(posted).toEqual([{ kind: "sale", docs_json: "[]" }]);
    expect(await postedInPeriod(env.DB, a, ["sale", "sale_payment"], "2026-11-01", "2026-11-30")).toHaveLength(2);
    expect(await waitingInPeriod(env.DB, a, ["sale"], "2026-11-01", "2026-11-30")).toBe(1);
    expect(await waitingInPeriod(env.DB, a, ["sale_payment"], "2026-11-01", "2026-11-30")).toBe(0);
  });
});
