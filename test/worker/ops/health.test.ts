import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { markNeedsReconnect } from "../../../worker/db/connections";
import { createLogger } from "../../../worker/lib/log";
import { createStack, TENANT } from "../support/stack";
import { forgetEverything } from "../backfill/harness";

const TOKEN = "ops-test-token-0123456789abcdefghijklmnop";
const raw = env as unknown as Record<string, unknown>;
beforeAll(() => {
  raw.OPS_TOKEN = TOKEN;
});
afterAll(() => {
  delete raw.OPS_TOKEN;
});
afterEach(forgetEverything);

interface Health {
  ok: boolean;
  requestId: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
  connections?: {
    tenants: number;
    active: number;
    needingAttention: number;
    pos: Record<string, number>;
    qbo: Record<string, number>;
  };
  tenants?: {
    tenantId: string;
    active: boolean;
    pos: { status: string; live?: { ok: boolean } };
    qbo: { status: string; reason?: string; live?: { ok: boolean; detail?: string } };
    attention: string[];
  }[];
}

describe("/health", () => {
  it("checks D1, KV, the cron and every tenant's connections; names tenants only to the operator", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack({ noMappings: true });
    const get = async (path: string, operator = false) => {
      const res = await stack.request(path, operator ? { headers: { authorization: `Bearer ${TOKEN}` } } : {});
      return { status: res.status, body: (await res.json()) as Health, requestId: res.headers.get("x-request-id") };
    };

    const fine = await get("/health");
    expect(fine.status).toBe(200);
    expect(fine.body.ok).toBe(true);
    expect(fine.body.requestId).toBe(fine.requestId);
    expect(fine.body.checks.d1?.detail).toMatch(/^\d+ migrations applied, the last \d{4}_\w+\.sql \(2 databases\)$/);
    expect(fine.body.checks).toMatchObject({
      kv: { ok: true },
      cron: { ok: true, detail: "no run recorded yet" },
      connections: { ok: true },
    });
    expect(fine.body.connections).toEqual({
      tenants: 1,
      active: 1,
      needingAttention: 0,
      pos: { connected: 1, needs_reconnect: 0, disconnected: 0, not_connected: 0 },
      qbo: { connected: 1, needs_reconnect: 0, disconnected: 0, not_connected: 0 },
    });
    expect(fine.body.tenants).toBeUndefined();
    expect(JSON.stringify(fine.body)).not.toContain(TENANT);

    // deep: one call to each system per tenant, operator only
    const deep = await get("/health?deep=1", true);
    expect(deep.body.tenants).toMatchObject([
      {
        tenantId: TENANT,
        active: true,
        pos: { status: "connected", live: { ok: true } },
        qbo: { status: "connected", live: { ok: true } },
        attention: [],
      },
    ]);
    expect((await get("/health?deep=1")).body.tenants).toBeUndefined();

    await markNeedsReconnect(env.DB, TENANT, "qbo", "invalid_grant: the refresh token was revoked", stack.now());
    const attention = await get("/health", true);
    expect(attention.status).toBe(200); // one merchant's connection is not the service's health
    expect(attention.body.ok).toBe(true);
    expect(attention.body.checks.connections).toEqual({ ok: false, detail: "1 active tenants, 1 needing attention" });
    expect(attention.body.connections?.qbo.needs_reconnect).toBe(1);
    expect(attention.body.tenants?.[0]?.attention).toEqual([
      "QuickBooks Online needs to be reconnected (invalid_grant: the refresh token was revoked)",
    ]);
    const one = await stack.request(`/ops/health/${TENANT}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await one.json()) as { tenant: { qbo: { status: string } } }).tenant.qbo.status).toBe("needs_reconnect");
    expect((await stack.request("/ops/health/nobody", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      404,
    );

    // a cron that stopped running makes the service unready
    await env.KV.put("cron:last-run", new Date(stack.now().getTime() - 3600_000).toISOString());
    const stale = await get("/health");
    expect(stale.status).toBe(503);
    expect(stale.body.checks.cron).toEqual({ ok: false, detail: "last run 3600 s ago" });
  });
});

describe("logs", () => {
  it("carry the request id from the request into its background work, and never a credential", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    const res = await stack.request("/api/backfill", {
      method: "POST",
      headers: {
        authorization: `Bearer ${stack.session}`,
        "content-type": "application/json",
        "x-request-id": "req-backfill-42",
      },
      body: JSON.stringify({ from: "2026-10-19", to: "2026-10-19" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-backfill-42");
    await stack.settle();
    const lines = stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const planned = lines.find((l) => l.msg === "backfill planned");
    expect(planned).toMatchObject({ requestId: "req-backfill-42", tenant: TENANT, level: "info" });
    // planning is the request's background work (it logs after the answer); what it posts, if its
    // D1 budget leaves room after planning, carries the same id
    expect(lines.filter((l) => l.msg === "posted").every((l) => l.requestId === "req-backfill-42")).toBe(true);
    for (const line of stack.logs) expect(line).not.toContain(stack.session);
  });

  it("mask secrets under any key and inside any text, but keep Tillbridge's error codes", () => {
    const out: string[] = [];
    const log = createLogger("debug", { requestId: "r1" }, (line) => void out.push(line));
    log.info("callback", {
      code: "AB11700000000000abcdefghijklmnop",
      reason: { code: "qbo_throttled" },
      url: "https://example.test/auth/qbo/callback?code=secret-code-123&state=st-456&realmId=9130",
      header: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk",
      session: "tbs_whatever",
      note: "the session tbs_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG was revoked",
      jwt: "id eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpbnR1aXQifQ.sig",
      refresh_token: "RT1-abc",
    });
    const line = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "info",
      msg: "callback",
      requestId: "r1",
      code: "[redacted]",
      reason: { code: "qbo_throttled" },
      session: "[redacted]",
      refresh_token: "[redacted]",
    });
    expect(line.url).toBe("https://example.test/auth/qbo/callback?code=[redacted]&state=[redacted]&realmId=9130");
    expect(line.header).toBe("Bearer [redacted]");
    expect(line.note).toBe("the session tbs_[redacted] was revoked");
    expect(line.jwt).toBe("id [jwt redacted]");
    for (const secret of ["secret-code-123", "st-456", "RT1-abc", "abcdefghijk", "AB117"])
      expect(out[0]).not.toContain(secret);
  });
});
