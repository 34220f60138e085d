import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { announcedClosureStatement } from "../../../worker/db/closures";
import { upsertItem } from "../../../worker/db/sync-items";
import { ensureTenant } from "../../../worker/db/tenants";
import { idempotencyKey } from "../../../worker/ledger";
import { announcedClosure } from "../../../worker/pos/webhooks";
import { createServices } from "../../../worker/services";
import { runCron } from "../../../worker/sync/cron";
import { recordItem } from "../../../worker/kinds/record";
import { createStores, type Stores, type Tenant } from "./stores";

/**
 * Fairness and the time budget, with several merchants: one with a big backlog, one with a small
 * one, one whose items cannot go anywhere (no connection). A cron run serves every tenant within
 * its first round, stops inside its budget leaving the rest ready, and the next run finishes —
 * each closure posted once, and no company ever asked more than QBO's 10 requests a second.
 */
let stores: Stores;
beforeAll(async () => {
  stores = await createStores();
}, 120_000);

/** Closures of a store recorded by Tillbridge (webhook figures stored) but not posted yet. */
async function backlog(tenant: Tenant, n: number): Promise<string[]> {
  const store = stores.pos.store(tenant.id);
  const registers = Object.values(store.registers);
  const products = Object.values(store.products).filter((p) => p.kind === "product");
  const s = stores.services();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const reg = registers[i % registers.length]!;
    const from = stores.pos.webhookDeliveries().length;
    stores.pos.dropNextWebhooks(1000);
    const id = stores.pos.openRegister(tenant.id, reg.id).id;
    stores.pos.addSale(tenant.id, {
      registerId: reg.id,
      lines: [{ productId: products[i % products.length]!.id, quantity: 1 + (i % 3) }],
    });
    stores.pos.closeRegister(tenant.id, reg.id);
    const delivered = stores.pos.webhookDeliveries().slice(from);
    stores.pos.dropNextWebhooks(-(1000 - delivered.filter((d) => d.dropped).length));
    const hook = delivered.find((d) => d.type === "register_closure.create")!;
    await announcedClosureStatement(s.db, tenant.id, announcedClosure(hook.payload), s.now()).run();
    await recordItem(s, tenant.id, "closure", id);
    ids.push(id);
  }
  return ids;
}

const states = async (tenantId: string) =>
  Object.fromEntries(
    (
      await env.DB.prepare("SELECT state, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 GROUP BY state")
        .bind(tenantId)
        .all<{ state: string; n: number }>()
    ).results.map((r) => [r.state, r.n]),
  );

/** The most requests a company received in any one-second window. */
function peakPerSecond(realmId: string): number {
  const times = stores.qbo
    .requestLog(realmId)
    .map((l) => Date.parse(l.at))
    .sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 1000) i++;
    peak = Math.max(peak, j - i + 1);
  }
  return peak;
}

describe("cron: fairness across tenants and the time budget", () => {
  it("serves every tenant in its first round, stops inside its budget, and the next run finishes the backlog", {
    timeout: 180_000,
  }, async () => {
    const [big, small] = stores.tenants as [Tenant, Tenant];
    const bigIds = await backlog(big, 24);
    const smallIds = await backlog(small, 3);
    const s = stores.services();
    await ensureTenant(s.db, "ghost", "A store that never connected", s.now());
    for (const posId of ["g1", "g2", "g3"])
      await upsertItem(
        s.db,
        {
          tenantId: "ghost",
          kind: "closure",
          posId,
          posVersion: "1",
          idemKey: idempotencyKey("ghost", "closure", posId, "1"),
        },
        s.now(),
      );
    const fromAudit = (await env.DB.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM audit_log").first<{
      id: number;
    }>())!.id;

    // The run's budget is kept on a clock that moves with the work done, not with this machine's speed
    // (a loaded machine must not change the outcome): each document sent to QBO costs 150 ms of it.
    let spentMs = 0;
    const route = stores.deps.fetch!;
    const timed: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      if (req.method === "POST" && url.port === "8788" && /^\/v3\/company\/[^/]+\/(?!query)/.test(url.pathname))
        spentMs += 150;
      return route(req);
    };
    const budgetMs = 4000;
    const first = await runCron(createServices(env, { ...stores.deps, fetch: timed }, { requestId: "cron-1" }), {
      scheduledTime: stores.now(),
      budgetMs,
      perTenantRound: 2,
      clock: () => spentMs,
    });
    const elapsed = spentMs;

    expect(first.outOfTime).toBe(true);
    expect(elapsed).toBeLessThan(budgetMs + 1500);
    for (const t of [big.id, small.id, "ghost"])
      expect(first.perTenant[t]?.attempted ?? 0, `${t} served`).toBeGreaterThan(0);
    // round-robin: every tenant's first item comes within the first round (3 tenants × 2 items)
    const { results } = await env.DB.prepare(
      "SELECT tenant_id, pos_id FROM audit_log WHERE id > ?1 AND kind = 'closure' ORDER BY id",
    )
      .bind(fromAudit)
      .all<{ tenant_id: string; pos_id: string }>();
    const order: string[] = [];
    for (const r of results)
      if (!order.includes(`${r.tenant_id}/${r.pos_id}`)) order.push(`${r.tenant_id}/${r.pos_id}`);
    const firstRound = order.slice(0, 6).map((k) => k.split("/")[0]);
    expect(new Set(firstRound)).toEqual(new Set([big.id, small.id, "ghost"]));
    // the rest waits, ready, for the next run
    expect((await states(big.id)).ready ?? 0).toBeGreaterThan(0);
    expect(await states("ghost")).toEqual({ blocked: 3 });

    const second = await runCron(stores.services("cron-2"), {
      scheduledTime: new Date(stores.now().getTime() + 60_000),
      budgetMs: 120_000,
      perTenantRound: 2,
    });
    expect(second.outOfTime).toBe(false);
    expect(await states(big.id)).toEqual({ posted: bigIds.length });
    expect(await states(small.id)).toEqual({ posted: smallIds.length });
    expect(first.posted + second.posted).toBe(bigIds.length + smallIds.length);

    for (const t of [big, small]) {
      const notes = ["SalesReceipt", "RefundReceipt", "JournalEntry"]
        .flatMap((e) => stores.qbo.entities(t.realmId, e) as { PrivateNote?: string }[])
        .map((d) => d.PrivateNote ?? "");
      for (const id of t === big ? bigIds : smallIds) {
        expect(notes.filter((n) => n.includes(`key tb1|${t.id}|closure|${id}|1 | part sales`))).toHaveLength(1);
        expect(notes.filter((n) => n.includes(`key tb1|${t.id}|closure|${id}|1 | part payments`))).toHaveLength(1);
      }
      expect(peakPerSecond(t.realmId)).toBeLessThanOrEqual(10);
    }
  });
});
