import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../worker/lib/crypto";
import { getConnection } from "../../../worker/db/connections";
import { recordItem } from "../../../worker/kinds/record";
import { postNow } from "../../../worker/sync/now";
import { BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS, MAX_ATTEMPTS } from "../../../worker/sync/policy";
import { openTenant } from "../../../worker/sync/runtime";
import { createStack, RETURN_TO, TENANT, type Stack } from "../support/stack";
import { expectPostedOnce, item, qboDocsOf, readyClosures, status } from "../faults/support";

/**
 * Healing without a click: items blocked on something a person fixes retry by themselves once it
 * is fixed — the POS reconnected, a closure's counted totals supplied, the invoice a payment waits
 * for posted — and transient failures back off, capped, until they give up visibly. (The QBO
 * reconnect, a saved mapping and a reopened period are proven in ../faults/.)
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => {
  stack.qbo.clearFaults();
  stack.pos.clearFaults();
});

async function reconnectPos(): Promise<void> {
  const json = { "content-type": "application/json" };
  const nonce = `nonce-${crypto.randomUUID()}`;
  const start = await stack.request("/auth/pos/start", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ returnTo: RETURN_TO, nonceHash: await sha256Hex(nonce) }),
  });
  expect(start.status).toBe(200);
  const consent = await stack.pos.fetch(new Request(((await start.json()) as { authorizeUrl: string }).authorizeUrl));
  const back = new URL(consent.headers.get("location")!);
  const done = await stack.request(`${back.pathname}${back.search}`);
  const code = new URL(done.headers.get("location")!).hash.replace(/^#code=/, "");
  const exchanged = await stack.request("/auth/session", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ code, nonce }),
  });
  expect(exchanged.status).toBe(200);
  stack.session = ((await exchanged.json()) as { session: string }).session;
  await stack.settle();
}

describe("healing: blocked items retry by themselves once the cause is fixed", () => {
  it("POS connection ended: blocked, then ready the moment the store reconnects, and posted by the next run", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.pos.revokeGrants(TENANT); // the merchant removed the app in the POS
    await stack.cron();

    const blocked = await status(stack, "closure", closureId!);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({ code: "pos_needs_reconnect", fixAt: "connections" });
    expect(blocked.reason?.message).toMatch(/^The Retail POS connection has ended \(/);
    expect((await getConnection(env.DB, TENANT, "pos"))!.status).toBe("needs_reconnect");

    await reconnectPos();
    expect((await item(stack, "closure", closureId!))!.state).toBe("ready");
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId!);
  });

  it("a closure that closed while the POS connection had ended is not history: the reconnect keeps the line", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = Object.values(store.registers).find((r) => !r.isOpen)!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[5]!;
    const before = (await getConnection(env.DB, TENANT, "pos"))!.connected_at;
    stack.pos.revokeGrants(TENANT);
    await stack.cron();
    const hooks = Object.values(store.webhooks);
    for (const h of hooks) h.active = false;
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: product.id, quantity: 1 }] });
    stack.pos.closeRegister(TENANT, reg.id, undefined);
    for (const h of hooks) h.active = true;
    stack.advance(60_000);
    await reconnectPos(); // a minute after the close: the same account, connected again
    expect((await getConnection(env.DB, TENANT, "pos"))!.connected_at).toBe(before);

    await stack.cron();
    stack.advance(16 * 60_000);
    await stack.cron(); // found from its sales, as any closure whose webhook was lost
    const found = await status(stack, "closure", closureId);
    expect(found.state).toBe("blocked");
    expect(found.reason).toMatchObject({ code: "needs_counted_totals" });
  });

  it("counted totals unknown (the closure's webhook was lost): blocked, then posted when the back office supplies them", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = Object.values(store.registers)[2]!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[6]!;
    const discover = async () => (await openTenant(stack.services(), TENANT, "cron")).discover();
    const hooks = Object.values(store.webhooks);
    for (const h of hooks) h.active = false;
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    await discover(); // register polling sees it open…
    stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: product.id, quantity: 2 }] });
    stack.pos.closeRegister(TENANT, reg.id, undefined);
    for (const h of hooks) h.active = true;
    await stack.cron(); // …and closed: the closure is found, without its counted figures

    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({
      code: "needs_counted_totals",
      message: "The counted totals of this closure are not known yet.",
      fixAt: "closures",
    });

    const figures = stack.pos.closureFigures(TENANT, closureId);
    const payments = figures.payments.map((p) => ({
      paymentTypeId: p.paymentTypeId,
      name: store.paymentTypes[p.paymentTypeId]!.name,
      countedMinor: p.countedMinor ?? p.expectedMinor,
    }));
    const counted = await stack.api<{ ok: boolean }>(`/api/closures/${closureId}/counted`, { body: { payments } });
    expect(counted.status).toBe(200);
    await stack.settle();
    await expectPostedOnce(stack, "closure", closureId);
  });

  it("a register opened and closed between two polls with every webhook lost: its sales reveal the closure, which waits for counted totals, then posts", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = Object.values(store.registers).find((r) => !r.isOpen)!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[4]!;
    const hooks = Object.values(store.webhooks);
    for (const h of hooks) h.active = false;
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: product.id, quantity: 3 }] });
    stack.pos.closeRegister(TENANT, reg.id, undefined);
    for (const h of hooks) h.active = true;

    await stack.cron(); // the sale comes in by the version cursor; its closure's webhook may still be on its way
    expect(await item(stack, "closure", closureId)).toBeNull();
    stack.advance(16 * 60_000);
    await stack.cron(); // no webhook after a quarter of an hour: the closure is recorded from its sales
    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({ code: "needs_counted_totals", fixAt: "closures" });
    const rec = await env.DB.prepare(
      "SELECT register_id, discovered_via FROM closures WHERE tenant_id = ?1 AND id = ?2",
    )
      .bind(TENANT, closureId)
      .first();
    expect(rec).toEqual({ register_id: reg.id, discovered_via: "poll" });
    // nothing is left waiting to be resolved
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM cursors WHERE tenant_id = ?1 AND resource LIKE 'seq?:%'")
        .bind(TENANT)
        .first<{ n: number }>())!.n,
    ).toBe(0);

    const figures = stack.pos.closureFigures(TENANT, closureId);
    const payments = figures.payments.map((p) => ({
      paymentTypeId: p.paymentTypeId,
      name: store.paymentTypes[p.paymentTypeId]!.name,
      countedMinor: p.countedMinor ?? p.expectedMinor,
    }));
    expect((await stack.api(`/api/closures/${closureId}/counted`, { body: { payments } })).status).toBe(200);
    await stack.settle();
    await expectPostedOnce(stack, "closure", closureId);
  });

  it("a payment waiting for its sale's invoice: ready the moment the invoice posts", { timeout: 60_000 }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = Object.values(store.registers)[0]!;
    const customer = Object.values(store.customers)[4]!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[2]!;
    const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
    const from = stack.pos.webhookDeliveries().length;
    stack.pos.dropNextWebhooks(1000);
    stack.pos.openRegister(TENANT, reg.id);
    const saleId = stack.pos.addSale(TENANT, {
      registerId: reg.id,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: product.id }],
    }).id;
    stack.pos.payOnAccount(TENANT, saleId, {
      registerId: reg.id,
      payments: [{ paymentTypeId: cash.id, amount: "5.00" }],
    });
    stack.pos.closeRegister(TENANT, reg.id);
    stack.pos.dropNextWebhooks(
      -(
        1000 -
        stack.pos
          .webhookDeliveries()
          .slice(from)
          .filter((d) => d.dropped).length
      ),
    );
    const paymentPosId = `${saleId}:${store.sales[saleId]!.payments[0]!.id}`;

    const s = stack.services();
    const { row: payment } = await recordItem(s, TENANT, "sale_payment", paymentPosId);
    await postNow(s, TENANT, payment, "test");
    const waiting = await status(stack, "sale_payment", paymentPosId);
    expect(waiting.state).toBe("blocked");
    expect(waiting.reason).toMatchObject({
      code: "waiting_for",
      message: `Waiting for the invoice of sale ${saleId} to be posted first.`,
      action: "Nothing to do: this is sent right after it.",
    });

    const { row: sale } = await recordItem(s, TENANT, "sale", saleId);
    expect((await postNow(s, TENANT, sale, "test")).state).toBe("posted");
    expect((await item(stack, "sale_payment", paymentPosId))!.state).toBe("ready");
    await stack.cron();
    await expectPostedOnce(stack, "sale_payment", paymentPosId);
  });

  it("a lapsed QBO subscription: blocked, probed again after an hour (no event says it was renewed), then posted", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "SalesReceipt", operation: "create" },
      kind: "fault",
      fault: {
        status: 400,
        code: "6190",
        message: "Invalid Company Status",
        detail: "Subscription period has ended or canceled or there was a billing problem",
      },
    });
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");
    const blocked = await status(stack, "closure", closureId!);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({
      code: "qbo_subscription_lapsed",
      message: "The QuickBooks Online subscription is not active.",
      fixAt: "connections",
    });

    stack.advance(30 * 60_000);
    await stack.cron();
    expect((await status(stack, "closure", closureId!)).state).toBe("blocked");
    stack.advance(31 * 60_000); // renewed meanwhile (the fault is spent): the hourly probe finds out
    const report = await stack.cron();
    expect(report.healed).toBeGreaterThanOrEqual(1);
    await expectPostedOnce(stack, "closure", closureId!);
  });

  it("transient failures back off exponentially with jitter, capped, then give up visibly; a person's retry posts once", {
    timeout: 120_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "SalesReceipt", operation: "create" },
      kind: "http503",
      count: 1000,
    });
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");
    const waits: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const row = (await item(stack, "closure", closureId!))!;
      expect(row.attempts).toBe(attempt);
      if (row.state === "rejected") break;
      expect(row.state).toBe("failed");
      waits.push((Date.parse(row.next_attempt_at!) - Date.parse(row.last_attempt_at!)) / 1000);
      stack.advance(Date.parse(row.next_attempt_at!) - stack.now().getTime() + 1000);
      await stack.cron();
    }
    expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
    waits.forEach((w, i) => {
      const raw = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** i);
      expect(w).toBeGreaterThanOrEqual(Math.floor(raw * 0.8) - 1);
      expect(w).toBeLessThanOrEqual(raw * 1.2 + 1);
    });
    expect(Math.max(...waits)).toBeLessThanOrEqual(BACKOFF_CAP_SECONDS * 1.2 + 1);

    const gaveUp = await status(stack, "closure", closureId!);
    expect(gaveUp.state).toBe("rejected");
    expect(gaveUp.reason?.message).toMatch(new RegExp(`gave up after ${MAX_ATTEMPTS} attempts`));
    expect(gaveUp.nextTryAt).toBeUndefined();
    expect(qboDocsOf(stack, "closure", closureId!)).toEqual([]);

    stack.qbo.clearFaults();
    const retried = await stack.api<{ object: { state: string } }>("/api/sync/retry", {
      body: { kind: "closure", posId: closureId },
    });
    expect(retried.status).toBe(200);
    await stack.settle();
    await expectPostedOnce(stack, "closure", closureId!);
  });
});
