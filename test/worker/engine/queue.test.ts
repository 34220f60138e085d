import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import { ensureTenant } from "../../../worker/db/tenants";
import { INLINE_TENANTS, runScheduled, runTenantMessage, type TenantMessage } from "../../../worker/sync/cron";
import { createStack, forgetAll, TENANT } from "../support/stack";

afterEach(forgetAll);

describe("the scale path: one queue message per tenant", () => {
  it("serves a few tenants inline, and fans out beyond them", async () => {
    const sent: TenantMessage[] = [];
    const queue = {
      sendBatch: async (batch: { body: TenantMessage }[]) => void sent.push(...batch.map((m) => m.body)),
      send: async () => {},
    };
    const at = new Date("2026-11-28T12:00:00Z");
    for (let i = 0; i < INLINE_TENANTS; i++) await ensureTenant(env.DB, `shop-${i}`, `Shop ${i}`, at);
    const inline = await runScheduled({ ...env, SYNC_QUEUE: queue }, { scheduledTime: at });
    expect(inline.queued).toBeUndefined();
    expect(sent).toEqual([]);

    await ensureTenant(env.DB, "shop-extra", "Shop extra", at);
    const fanned = await runScheduled({ ...env, SYNC_QUEUE: queue }, { scheduledTime: at });
    expect(fanned.queued).toBe(INLINE_TENANTS + 1);
    expect(sent.map((m) => m.tenantId).sort()).toEqual(
      [...Array.from({ length: INLINE_TENANTS }, (_, i) => `shop-${i}`), "shop-extra"].sort(),
    );
    expect(new Set(sent.map((m) => m.scheduledTime))).toEqual(new Set([at.toISOString()]));
  });

  it("a tenant's message runs its discovery and postings in an invocation of its own", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    // no webhook reaches the Worker: everything must be found by the message's own discovery
    stack.pos.dropNextWebhooks(10_000);
    stack.pos.advanceDay(TENANT, 1);
    await stack.settle();
    stack.advance(24 * 3600 * 1000);
    const report = await runTenantMessage(
      env,
      { tenantId: TENANT, scheduledTime: stack.now().toISOString() },
      stack.deps,
    );
    expect(report.tenants).toBe(1);
    expect(Object.keys(report.perTenant)).toEqual(report.attempted > 0 ? [TENANT] : []);
    const { results } = await env.DB.prepare(
      "SELECT kind, state, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 GROUP BY kind, state",
    )
      .bind(TENANT)
      .all<{ kind: string; state: string; n: number }>();
    // everything the day produced is settled, and the on-account sales were found by this invocation's discovery
    expect(
      results.filter((r) => r.state !== "posted" && r.state !== "not_applicable" && r.state !== "blocked"),
    ).toEqual([]);
    expect(results.find((r) => r.kind === "sale" && r.state === "posted")?.n ?? 0).toBeGreaterThan(0);
    // closures found by polling wait for their counted totals (only the webhook or the back office has them)
    expect(results.find((r) => r.kind === "closure")?.state).toBe("blocked");
    expect(results.find((r) => r.kind === "sale" && r.state === "posted")?.n ?? 0).toBeGreaterThan(0);
    expect(report.discovered).toBeGreaterThan(0);
  });

  it("the Worker's queue handler acknowledges each message once served", async () => {
    const batch = createMessageBatch<TenantMessage>("tillbridge-sync", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 1,
        body: { tenantId: "nobody", scheduledTime: new Date().toISOString() },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });
});
