import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { counterFor } from "../../../worker/qbo/http";
import { createStack, type Stack } from "../support/stack";
import { countRows, forgetEverything, getBackfill, runUntilDone } from "../backfill/harness";

/**
 * The operator's view: counters of what was posted and what went wrong (QBO 429s and 5xx
 * included), the dead letters with a retry, and the operator token that guards them.
 */
const TOKEN = "ops-test-token-0123456789abcdefghijklmnop";
const raw = env as unknown as Record<string, unknown>;

beforeAll(() => {
  raw.OPS_TOKEN = TOKEN;
});
afterAll(() => {
  delete raw.OPS_TOKEN;
});
afterEach(forgetEverything);

async function ops<T = Record<string, unknown>>(
  stack: Stack,
  path: string,
  init: { method?: string; token?: string | null } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? TOKEN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await stack.request(path, { method: init.method ?? "GET", headers });
  return { status: res.status, body: (await res.json()) as T };
}

interface Counters {
  totals: {
    posted: number;
    documentsCreated: number;
    failed: number;
    blocked: number;
    rejected: number;
    retries: number;
    current: Record<string, number>;
  };
  tenants: { tenantId: string; posted: number }[];
  qbo: {
    totals: { qbo_429: number; qbo_5xx: number; qbo_no_answer: number };
    byRealm: { realmId: string; tenantId: string | null; qbo_429: number; qbo_5xx: number }[];
  };
}

interface DeadLetters {
  summary: { tenantId: string; state: string; code: string; count: number }[];
  items: { id: number; kind: string; state: string; reason: { code: string; message: string; action: string } }[];
}

describe("operator routes", () => {
  it("exist only with the OPS_TOKEN secret, and only for its bearer", { timeout: 120_000 }, async () => {
    const stack = await createStack({ posOnly: true });
    expect((await ops(stack, "/ops/counters", { token: null })).status).toBe(401);
    expect((await ops(stack, "/ops/counters", { token: "x".repeat(40) })).status).toBe(401);
    // the merchant's session opens nothing here
    expect((await ops(stack, "/ops/counters", { token: stack.session })).status).toBe(401);
    const ok = await stack.request("/ops/counters", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    delete raw.OPS_TOKEN;
    try {
      const off = await ops<{ error: { code: string } }>(stack, "/ops/counters");
      expect(off.status).toBe(404);
      expect(off.body.error.code).toBe("not_found");
    } finally {
      raw.OPS_TOKEN = TOKEN;
    }
  });

  it("counts postings, failures, blocks, rejections, retries and QBO's 429s and 5xx; lists and retries dead letters", {
    timeout: 300_000,
  }, async () => {
    const stack = await createStack();
    const realm = stack.realmId;
    // the first invoice meets a 500 (transient: retried), the first payment a 429, the next payment a refusal
    // (the 500 meets the first write, alone or a batch: postings in flight together send their creates as one)
    stack.qbo.injectFault({ realm, match: { method: "POST" }, kind: "http500" });
    stack.qbo.injectFault({ realm, match: { entity: "Payment", operation: "create" }, kind: "throttle" });
    stack.qbo.injectFault({
      realm,
      match: { entity: "Payment", operation: "create" },
      kind: "fault",
      fault: {
        status: 400,
        code: "6000",
        message: "A business validation error has occurred while processing your request",
        detail: "Business Validation Error: refused for the test",
      },
    });
    // closures wait for counted totals from the back office: six blocked items
    expect(
      (await stack.api("/api/backfill", { body: { from: "2026-10-19", to: "2026-10-20", counted: "wait" } })).status,
    ).toBe(200);
    await stack.settle();
    // one posting at a time: the faults above meet the requests they name, not a batch of several
    const b = await runUntilDone(stack, 12, { posters: 1 });
    expect(b.failed).toBe(7);

    const counters = await ops<Counters>(stack, "/ops/counters");
    expect(counters.status).toBe(200);
    const t = counters.body.totals;
    // the 500 failed every item of what it met (one document, or a batch of several), the 429 one payment
    expect(t.rejected).toBe(1);
    expect(t.failed).toBeGreaterThanOrEqual(2);
    // six closures wait for counted totals; payments also waited a while for the invoice that met the 500
    expect(t.blocked).toBeGreaterThanOrEqual(6);
    expect(t.posted).toBe(await countRows("SELECT COUNT(*) AS n FROM sync_items WHERE state = 'posted'"));
    expect(t.posted).toBeGreaterThanOrEqual(3);
    expect(t.documentsCreated).toBe(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'post'"));
    expect(t.retries).toBeGreaterThanOrEqual(2);
    expect(t.current).toMatchObject({ blocked: 6, rejected: 1 });
    expect(counters.body.tenants.map((x) => x.tenantId)).toEqual(["demo"]);
    expect(counters.body.qbo.totals).toEqual({ qbo_429: 1, qbo_5xx: 1, qbo_no_answer: 0 });
    expect(counters.body.qbo.byRealm).toEqual([
      { realmId: realm, tenantId: "demo", qbo_429: 1, qbo_5xx: 1, qbo_no_answer: 0 },
    ]);
    // what falls under which counter: only throttling, server errors and silence
    expect([429, 500, 503, 400, 401, undefined].map(counterFor)).toEqual([
      "qbo_429",
      "qbo_5xx",
      "qbo_5xx",
      null,
      null,
      "qbo_no_answer",
    ]);
    // a window before anything happened counts nothing
    const early = await ops<Counters>(stack, "/ops/counters?since=2026-10-01T00:00:00Z&until=2026-10-02T00:00:00Z");
    expect(early.body.totals).toMatchObject({ posted: 0, failed: 0, blocked: 0, rejected: 0, retries: 0 });
    expect(early.body.qbo.totals.qbo_429).toBe(0);

    const dead = await ops<DeadLetters>(stack, "/ops/dead-letter");
    expect(dead.body.summary.map(({ state, code, count }) => ({ state, code, count }))).toEqual([
      { state: "blocked", code: "needs_counted_totals", count: 6 },
      { state: "rejected", code: "qbo_validation", count: 1 },
    ]);
    expect(dead.body.items).toHaveLength(7);
    const rejected = (await ops<DeadLetters>(stack, "/ops/dead-letter?state=rejected")).body.items;
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ kind: "sale_payment", state: "rejected", reason: { code: "qbo_validation" } });
    expect(rejected[0]!.reason.message).toMatch(/^QuickBooks Online refused this/);

    // the operator retries it: the refusal was a one-off, so it posts, and the trail says who asked
    const retried = await ops(stack, `/ops/dead-letter/${rejected[0]!.id}/retry`, { method: "POST" });
    expect(retried.status).toBe(200);
    await stack.settle();
    expect(
      await countRows("SELECT COUNT(*) AS n FROM sync_items WHERE id = ?1 AND state = 'posted'", rejected[0]!.id),
    ).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'retry' AND actor = 'operator'")).toBe(
      1,
    );
    expect((await ops(stack, `/ops/dead-letter/${rejected[0]!.id}/retry`, { method: "POST" })).status).toBe(409);
    expect((await ops(stack, "/ops/dead-letter/999999/retry", { method: "POST" })).status).toBe(404);
    expect((await getBackfill(stack))?.failed).toBe(6);

    const backfills = await ops<{ backfills: { tenantId: string; countedPolicy: string; status: string }[] }>(
      stack,
      "/ops/backfills",
    );
    expect(backfills.body.backfills).toMatchObject([{ tenantId: "demo", countedPolicy: "wait", status: "done" }]);
  });
});
