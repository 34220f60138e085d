import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { api, CLIENT, connect, control, getJson } from "./helpers";

/**
 * Closing a register through the API: payments summary, close with counted totals, and the
 * `register_closure.create` webhook (form-encoded payload, HMAC signature), plus sale.update and
 * consignment.receive, retries, lost webhooks and the subscription CRUD — all inside workerd.
 */

interface Sent {
  url: string;
  headers: Headers;
  body: string;
}

let sb: PosSandbox;
let token: string;
let sent: Sent[];
let answers: number[];
let now: Date;

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function make(signing = true) {
  sent = [];
  answers = [];
  now = new Date("2026-11-20T14:00:00Z");
  return createPosSandbox({
    days: 2,
    autoApprove: true,
    webhookSigning: signing,
    webhookRetryDelaysMs: [0, 0],
    now: () => now,
    deliverWebhook: async (url, init) => {
      sent.push({ url, headers: new Headers(init.headers), body: String(init.body) });
      return new Response("ok", { status: answers.shift() ?? 200 });
    },
  });
}

async function subscribe(type: string, url = `http://hooks.test/${type}`) {
  const res = await api(sb, token, "/webhooks", { method: "POST", body: JSON.stringify({ url, type, active: true }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

const parsed = (s: Sent) => {
  const f = new URLSearchParams(s.body);
  return { type: f.get("type"), domain_prefix: f.get("domain_prefix"), payload: JSON.parse(f.get("payload")!) };
};

describe("closing a register through the API", () => {
  beforeEach(async () => {
    sb = make();
    token = (await connect(sb)).access_token;
  });

  it("summarises the open sequence, closes with counted totals and sends a signed register_closure.create", async () => {
    await subscribe("register_closure.create");
    const store = sb.store("demo");
    const reg = Object.values(store.registers)[1]!;
    const cash = Object.values(store.paymentTypes).find((p) => p.name === "Cash")!.id;
    const card = Object.values(store.paymentTypes).find((p) => p.name === "Credit Card")!.id;
    const tee = Object.values(store.products).find((p) => p.sku === "TOP-100")!.id;

    const opened = await api(sb, token, `/registers/${reg.id}/actions/open`, {
      method: "PUT",
      body: JSON.stringify({ register_open_time: "2026-11-20T13:30:00Z" }),
    });
    expect(opened.status).toBe(200);
    const register = (
      (await opened.json()) as {
        data: { is_open: boolean; register_open_sequence_id: string; register_open_time: string };
      }
    ).data;
    expect(register.is_open).toBe(true);
    expect(register.register_open_time).toBe("2026-11-20T13:30:00+00:00");

    expect((await control(sb, "/demo/sales", { registerId: reg.id, lines: [{ productId: tee }] })).status).toBe(201);
    await control(sb, "/demo/sales", {
      registerId: reg.id,
      lines: [{ productId: tee, quantity: 2 }],
      payments: [{ paymentTypeId: card }],
    });

    const summary = await getJson<{
      data: {
        payments: { payment_type_id: string; payment_type_name: string; total: string }[];
        register_closure_id: string;
        register_closure_sequence_number: number;
        register_open_time: string;
      };
    }>(sb, token, `/registers/${reg.id}/payments_summary`);
    expect(summary.data.register_closure_id).toBe(register.register_open_sequence_id);
    expect(summary.data.register_closure_sequence_number).toBe(3);
    const total = (id: string) => summary.data.payments.find((p) => p.payment_type_id === id)!.total;
    expect(total(cash)).toBe("28.75");
    expect(total(card)).toBe("57.47");
    expect(summary.data.payments.every((p) => /^-?\d+\.\d{2}$/.test(p.total))).toBe(true);
    expect(summary.data.payments.map((p) => p.payment_type_name)).not.toContain("Chèque");

    now = new Date("2026-11-20T22:00:00Z");
    const closed = await api(sb, token, `/registers/${reg.id}/actions/close`, {
      method: "PUT",
      body: JSON.stringify({
        payments: [
          { payment_type_id: cash, total: "27.75" },
          { payment_type_id: card, total: "57.47" },
        ],
      }),
    });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { data: { is_open: boolean; register_close_time: string } }).data).toMatchObject({
      is_open: false,
      register_close_time: "2026-11-20T22:00:00+00:00",
    });

    await sb.flushWebhooks();
    expect(sent).toHaveLength(1);
    const delivery = sent[0]!;
    expect(delivery.url).toBe("http://hooks.test/register_closure.create");
    expect(delivery.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(delivery.headers.get("x-signature")).toBe(
      `signature=${await hmacHex(CLIENT.secret, delivery.body)}, algorithm=HMAC-SHA256`,
    );
    const { type, domain_prefix, payload } = parsed(delivery);
    expect(type).toBe("register_closure.create");
    expect(domain_prefix).toBe("demo");
    expect(payload).toMatchObject({
      id: register.register_open_sequence_id,
      register_id: reg.id,
      outlet_id: reg.outletId,
      sequence_number: 3,
      register_open_time: "2026-11-20T13:30:00+00:00",
      register_close_time: "2026-11-20T22:00:00+00:00",
    });
    expect(payload.payments).toContainEqual({
      retailer_payment_type_id: cash,
      name: "Cash",
      expected: "28.75",
      counted: "27.75",
    });
    expect(payload.payments).toContainEqual({
      retailer_payment_type_id: card,
      name: "Credit Card",
      expected: "57.47",
      counted: "57.47",
    });

    const figures = sb.closureFigures("demo", payload.id);
    expect(figures.payments.find((p) => p.paymentTypeId === cash)).toMatchObject({
      expectedMinor: 2875,
      countedMinor: 2775,
      discrepancyMinor: -100,
    });
    expect(figures.sales.totalInclTaxMinor + figures.sales.cashRoundingMinor).toBe(2875 + 5747);
    expect((await api(sb, token, `/registers/${reg.id}/actions/close`, { method: "PUT", body: "{}" })).status).toBe(
      409,
    );
  });

  it("announces sales and received purchase orders with the API objects as payloads", async () => {
    await subscribe("sale.update");
    await subscribe("consignment.receive");
    const store = sb.store("demo");
    const reg = Object.values(store.registers)[0]!;
    sb.openRegister("demo", reg.id);
    const sale = sb.addSale("demo", {
      registerId: reg.id,
      lines: [{ productId: Object.values(store.products)[0]!.id }],
    });
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT")!;
    expect(
      (await control(sb, `/demo/purchase_orders/${po.id}/receive`, { costs: [{ type: "SHIPPING", amount: "10.00" }] }))
        .status,
    ).toBe(201);
    await sb.flushWebhooks();

    const saleHook = sent.map(parsed).find((x) => x.type === "sale.update")!;
    const { data: fromApi } = await getJson<{ data: unknown }>(sb, token, `/sales/${sale.id}`);
    expect(saleHook.payload).toEqual(fromApi);
    const receipt = sent.map(parsed).find((x) => x.type === "consignment.receive")!;
    expect(receipt.payload).toMatchObject({ id: po.id, type: "SUPPLIER", status: "RECEIVED" });
  });

  it("retries a failed delivery and logs every attempt", async () => {
    await subscribe("register_closure.create");
    const reg = Object.values(sb.store("demo").registers)[0]!;
    sb.openRegister("demo", reg.id);
    answers = [500, 503, 200];
    sb.closeRegister("demo", reg.id);
    await sb.flushWebhooks();
    expect(sent).toHaveLength(3);
    const log = sb.webhookDeliveries();
    expect(log.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(log.map((a) => a.deliveryId)).size).toBe(1);
    const overHttp = await (await control(sb, "/webhooks/deliveries", undefined, "GET")).json();
    expect(overHttp).toHaveLength(3);
  });

  it("gives up after the last retry", async () => {
    await subscribe("register_closure.create");
    const reg = Object.values(sb.store("demo").registers)[0]!;
    sb.openRegister("demo", reg.id);
    answers = [500, 500, 500, 500];
    sb.closeRegister("demo", reg.id);
    await sb.flushWebhooks();
    expect(sent).toHaveLength(3);
    expect(sb.webhookDeliveries().every((a) => a.status === 500)).toBe(true);
  });

  it("loses the next webhook on request", async () => {
    await subscribe("register_closure.create");
    const reg = Object.values(sb.store("demo").registers)[0]!;
    await control(sb, "/webhooks/drop_next", { count: 1 });
    sb.openRegister("demo", reg.id);
    sb.closeRegister("demo", reg.id);
    sb.openRegister("demo", reg.id);
    sb.closeRegister("demo", reg.id);
    await sb.flushWebhooks();
    expect(sent).toHaveLength(1);
    expect(sb.webhookDeliveries().map((a) => a.dropped)).toEqual([true, false]);
  });

  it("does not sign when signing is off", async () => {
    sb = make(false);
    token = (await connect(sb)).access_token;
    await subscribe("register_closure.create");
    const reg = Object.values(sb.store("demo").registers)[0]!;
    sb.openRegister("demo", reg.id);
    sb.closeRegister("demo", reg.id);
    await sb.flushWebhooks();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.has("x-signature")).toBe(false);
  });
});

describe("webhook subscriptions", () => {
  beforeEach(async () => {
    sb = make();
    token = (await connect(sb)).access_token;
  });

  it("creates, lists, updates and deletes, refusing duplicates and unknown types", async () => {
    const id = await subscribe("sale.update", "http://hooks.test/a");
    const dup = await api(sb, token, "/webhooks", {
      method: "POST",
      body: JSON.stringify({ url: "http://hooks.test/a", type: "sale.update", active: true }),
    });
    expect(dup.status).toBe(409);
    expect(
      (
        await api(sb, token, "/webhooks", {
          method: "POST",
          body: JSON.stringify({ url: "http://hooks.test/b", type: "sale.created", active: true }),
        })
      ).status,
    ).toBe(400);
    const list = await getJson<{
      data: { id: string; retailer_id: string; url: string; type: string; active: boolean }[];
    }>(sb, token, "/webhooks");
    expect(list.data).toEqual([
      { id, retailer_id: sb.store("demo").retailer.id, url: "http://hooks.test/a", type: "sale.update", active: true },
    ]);

    const off = await api(sb, token, `/webhooks/${id}`, {
      method: "PUT",
      body: JSON.stringify({ url: "http://hooks.test/a", type: "sale.update", active: false }),
    });
    expect(((await off.json()) as { data: { active: boolean } }).data.active).toBe(false);
    const reg = Object.values(sb.store("demo").registers)[0]!;
    sb.openRegister("demo", reg.id);
    sb.addSale("demo", { registerId: reg.id, lines: [{ productId: Object.values(sb.store("demo").products)[0]!.id }] });
    await sb.flushWebhooks();
    expect(sent).toHaveLength(0);

    expect((await api(sb, token, `/webhooks/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await api(sb, token, `/webhooks/${id}`)).status).toBe(404);
  });
});
