import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { releaseLease, takeLease } from "../../../worker/db/leases";
import { D1_STATEMENTS_PER_INVOCATION, runBackfillStep } from "../../../worker/sync/backfill/run";
import { runTenantMessage, type TenantMessage } from "../../../worker/sync/cron";
import { createStack, TENANT } from "../support/stack";
import { forgetEverything, getBackfill, qboDocuments, runUntilDone, type BackfillT } from "./harness";

afterEach(forgetEverything);

/** D1 statements sent through a binding, counted here independently of the product's own counter. */
function tally(db: D1Database): { db: D1Database; n: () => number } {
  let n = 0;
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (st: D1PreparedStatement): D1PreparedStatement => {
    const w = new Proxy(st, {
      get(target, prop) {
        if (prop === "bind") return (...v: unknown[]) => wrap(target.bind(...v));
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") n++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    real.set(w, st);
    return w;
  };
  const counted = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) => {
          n += stmts.length;
          return target.batch(stmts.map((s) => real.get(s) ?? s));
        };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: counted, n: () => n };
}

describe("a backfill step's D1 statements", () => {
  it("stop releasing before the step's cap, and the next steps carry on to the end", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    // hold the step lease so the start's own background step does nothing: this test drives the steps
    expect(await takeLease(env.DB, TENANT, "backfill", stack.now(), 600)).toBe(true);
    const started = await stack.api<{ backfill: BackfillT }>("/api/backfill", {
      body: { from: "2026-10-12", to: "2026-10-19" },
    });
    expect(started.status).toBe(200);
    await stack.settle();
    await releaseLease(env.DB, TENANT, "backfill", stack.now());

    // the plan first, alone (no object released): what planning costs is not the releases' business
    const planStep = await runBackfillStep(stack.services(), TENANT, { maxItems: 0 });
    expect(planStep).toMatchObject({ planned: true, released: 0, stopped: "max_items" });
    const total = (await getBackfill(stack))!.total;
    expect(total).toBeGreaterThan(20);

    const CAP = 150;
    const steps: { released: number; spent: number; reported: number; stopped: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = tally(env.DB);
      const r = await runBackfillStep({ ...stack.services(), db: t.db }, TENANT, { maxStatements: CAP });
      steps.push({ released: r.released, spent: t.n(), reported: r.d1Statements, stopped: r.stopped });
    }
    for (const st of steps) {
      // every statement of the step counted, and under the cap
      expect(st.reported).toBe(st.spent);
      expect(st.spent).toBeLessThanOrEqual(CAP);
      // the cap stopped it, not the objects running out: it released some, far fewer than the range
      expect(st).toMatchObject({ stopped: "d1_budget" });
      expect(st.released).toBeGreaterThanOrEqual(1);
    }
    const released = steps.reduce((n, st) => n + st.released, 0);
    expect(released).toBeLessThan(total);
    expect((await getBackfill(stack))!.done).toBe(released);

    // without the small cap, the steps finish the range: every object once in QBO
    const done = await runUntilDone(stack);
    expect(done).toMatchObject({ status: "done", total, done: total, failed: 0, remaining: 0 });
    const notes = qboDocuments(stack)
      .map((d) => /key (\S+) \| part ([^|]+?)(?: \||$)/.exec(d.note))
      .filter((m) => m !== null)
      .map((m) => `${m[1]}|${m[2]}`);
    expect(new Set(notes).size).toBe(notes.length);
  });

  it("in the queue, go on in invocations of their own until the range is done, each under D1's 1,000", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    expect(await takeLease(env.DB, TENANT, "backfill", stack.now(), 600)).toBe(true);
    const started = await stack.api<{ backfill: BackfillT }>("/api/backfill", {
      body: { from: "2026-10-12", to: "2026-10-19" },
    });
    expect(started.status).toBe(200);
    await stack.settle();
    await releaseLease(env.DB, TENANT, "backfill", stack.now());

    const sent: TenantMessage[] = [];
    const queue = { send: async (m: TenantMessage) => void sent.push(m), sendBatch: async () => {} };
    const invocations: { backfillOnly: boolean; statements: number; discovered: number; attempted: number }[] = [];
    const invoke = async (m: TenantMessage) => {
      const t = tally(env.DB);
      const report = await runTenantMessage({ ...env, DB: t.db, SYNC_QUEUE: queue }, m, stack.deps);
      invocations.push({
        backfillOnly: m.backfillOnly === true,
        statements: t.n(),
        discovered: report.discovered,
        attempted: report.attempted,
      });
    };
    // each minute's message, then its continuations as the queue delivers them, until the range is done
    for (let minute = 0; minute < 5 && (await getBackfill(stack))?.status !== "done"; minute++) {
      await invoke({ tenantId: TENANT, scheduledTime: stack.now().toISOString() });
      for (let i = 0; i < 30 && sent.length > 0; i++) await invoke(sent.shift()!);
      expect(sent).toEqual([]);
      stack.advance(60_000);
    }

    expect(invocations.length).toBeGreaterThan(2);
    // the first minute's step planned and stopped at its budget: continuations carried it on
    expect(invocations[1]).toMatchObject({ backfillOnly: true });
    // continuations run the backfill step alone: no discovery, no live posting
    for (const inv of invocations.filter((i) => i.backfillOnly))
      expect(inv).toMatchObject({ discovered: 0, attempted: 0 });
    // every invocation stays under D1's limit but the first: its planning discovers the store's month
    // of history, alone more than 1,000 statements (planning is not split: see docs/SCALE.md)
    for (const inv of invocations.slice(1)) expect(inv.statements).toBeLessThanOrEqual(D1_STATEMENTS_PER_INVOCATION);
    const b = (await getBackfill(stack))!;
    expect(b).toMatchObject({ status: "done", done: b.total, failed: 0, remaining: 0 });
  });
});
