import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { hmacHex, type DeliveryAttempt } from "../../../sandbox/pos/index";
import { postNow } from "../../../worker/sync/now";
import { createStack, TENANT, type Stack } from "../support/stack";
import {
  auditActions,
  closeARegister,
  docs,
  expectPostedOnce,
  item,
  later,
  qboDocsOf,
  readyClosures,
  status,
} from "./support";

/**
 * The fault matrix, part 3: the POS side. Webhooks that come twice, for a store Tillbridge does not
 * know, or out of order; a POS that throttles or answers garbage. Webhooks are hints: whatever
 * their order or number, each POS object becomes its documents exactly once.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => stack.pos.clearFaults());

/** Delivers a webhook the way the POS does (form body, HMAC signature over it). */
async function deliver(d: Pick<DeliveryAttempt, "url" | "body">, body = d.body): Promise<Response> {
  const signature = await hmacHex(env.POS_CLIENT_SECRET, body);
  return stack.request(new URL(d.url).pathname, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-signature": `signature=${signature}, algorithm=HMAC-SHA256`,
    },
    body,
  });
}

/** Runs `act` with the POS's webhooks captured instead of delivered; returns them in order. */
function captured(act: () => void): DeliveryAttempt[] {
  const from = stack.pos.webhookDeliveries().length;
  stack.pos.dropNextWebhooks(1000);
  try {
    act();
  } finally {
    const dropped = stack.pos
      .webhookDeliveries()
      .slice(from)
      .filter((d) => d.dropped).length;
    stack.pos.dropNextWebhooks(-(1000 - dropped));
  }
  return stack.pos.webhookDeliveries().slice(from);
}

describe("fault matrix: webhooks and the POS", () => {
  it("duplicate webhook: answered as a duplicate, one sync item, one document per part", {
    timeout: 60_000,
  }, async () => {
    const closureId = await closeARegister(stack);
    await expectPostedOnce(stack, "closure", closureId);
    const hook = stack.pos
      .webhookDeliveries()
      .find(
        (d) => d.type === "register_closure.create" && !d.dropped && (d.payload as { id?: string }).id === closureId,
      )!;

    const again = await deliver(hook);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    // the same closure announced again in a different delivery (not byte-identical): still nothing new
    const reworded = await deliver(hook, `${hook.body}&retry=1`);
    expect(reworded.status).toBe(200);
    await stack.settle();
    await stack.cron();

    await expectPostedOnce(stack, "closure", closureId);
    const { results } = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure' AND pos_id = ?2",
    )
      .bind(TENANT, closureId)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
    expect((await auditActions("closure", closureId)).filter((a) => a === "post")).toHaveLength(2);
  });

  it("webhook for an unknown tenant: refused, nothing recorded", { timeout: 60_000 }, async () => {
    const closureId = await closeARegister(stack);
    const hook = stack.pos
      .webhookDeliveries()
      .find((d) => d.type === "register_closure.create" && (d.payload as { id?: string }).id === closureId);
    const secret = new URL(hook!.url).pathname.split("/").at(-1)!;
    const before = (await env.DB.prepare("SELECT COUNT(*) AS n FROM sync_items").first<{ n: number }>())!.n;

    const unknown = await deliver({
      url: `http://127.0.0.1:8787/webhooks/pos/no-such-store/${secret}`,
      body: hook!.body,
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const wrongSecret = await deliver({
      url: `http://127.0.0.1:8787/webhooks/pos/${TENANT}/not-the-secret`,
      body: hook!.body,
    });
    expect(wrongSecret.status).toBe(401);
    await stack.settle();

    expect(await env.DB.prepare("SELECT id FROM tenants WHERE id = 'no-such-store'").first()).toBeNull();
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM sync_items").first<{ n: number }>())!.n).toBe(before);
    expect(await env.DB.prepare("SELECT 1 FROM webhook_events WHERE tenant_id = 'no-such-store'").first()).toBeNull();
  });

  it("out-of-order webhooks: closure before its sales, a sale's later version before its first", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = Object.values(store.registers)[1]!;
    const customer = Object.values(store.customers)[2]!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[4]!;
    const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
    let saleId = "";
    let closureId = "";
    const hooks = captured(() => {
      closureId = stack.pos.openRegister(TENANT, reg.id).id;
      saleId = stack.pos.addSale(TENANT, {
        registerId: reg.id,
        kind: "onaccount",
        customerId: customer.id,
        lines: [{ productId: product.id, quantity: 3 }],
      }).id;
      stack.pos.payOnAccount(TENANT, saleId, {
        registerId: reg.id,
        payments: [{ paymentTypeId: cash.id, amount: "20.00" }],
      });
      stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: product.id }] });
      stack.pos.closeRegister(TENANT, reg.id);
    });
    expect(hooks.map((h) => h.type)).toEqual(["sale.update", "sale.update", "sale.update", "register_closure.create"]);

    for (const hook of [...hooks].reverse()) {
      expect((await deliver(hook)).status).toBe(200);
      await stack.settle();
    }
    await later(stack, 2); // payments wait for their invoice; discovery runs again
    await later(stack, 2);

    await expectPostedOnce(stack, "closure", closureId);
    await expectPostedOnce(stack, "sale", saleId);
    const { results } = await env.DB.prepare(
      "SELECT pos_id FROM sync_items WHERE tenant_id = ?1 AND kind = 'sale_payment' AND pos_id LIKE ?2",
    )
      .bind(TENANT, `${saleId}:%`)
      .all<{ pos_id: string }>();
    expect(results).toHaveLength(1);
    await expectPostedOnce(stack, "sale_payment", results[0]!.pos_id);
    const invoiceId = qboDocsOf(stack, "sale", saleId)[0]!.doc.Id;
    const payment = docs(stack, "Payment").find(
      (p) => p.Id === qboDocsOf(stack, "sale_payment", results[0]!.pos_id)[0]!.doc.Id,
    ) as unknown as { TotalAmt: number; Line: { LinkedTxn: { TxnId: string }[] }[] };
    expect(payment.TotalAmt).toBe(20);
    expect(payment.Line[0]!.LinkedTxn[0]!.TxnId).toBe(invoiceId);
  });

  it("POS 429 while loading a closure: failed until the POS's Retry-After, then posted once", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.pos.injectFault({ path: "/sales", kind: "http429" });
    const before = stack.now().getTime();
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");

    const throttled = await status(stack, "closure", closureId!);
    expect(throttled.state).toBe("failed");
    expect(throttled.reason).toMatchObject({
      code: "pos_throttled",
      message: "The Retail POS asked Tillbridge to slow down.",
    });
    const wait = Date.parse(throttled.nextTryAt!) - before;
    expect(wait).toBeGreaterThanOrEqual(25_000);
    expect(wait).toBeLessThanOrEqual(40_000);
    expect(qboDocsOf(stack, "closure", closureId!)).toEqual([]);

    await later(stack, 1);
    await expectPostedOnce(stack, "closure", closureId!);
  });

  it("POS payload malformed: failed as transient (never half-posted), then posted once", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.pos.injectFault({ path: "/sales", kind: "malformed" });
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");

    const failed = await status(stack, "closure", closureId!);
    expect(failed.state).toBe("failed");
    expect(failed.reason?.code).toBe("pos_transient");
    expect(failed.reason?.message).toBe("The Retail POS did not answer properly (GET /sales: the answer is not JSON).");
    expect(failed.nextTryAt).toBeDefined();
    expect(qboDocsOf(stack, "closure", closureId!)).toEqual([]);

    await later(stack);
    await expectPostedOnce(stack, "closure", closureId!);
  });
});
