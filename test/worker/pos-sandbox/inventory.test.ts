import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { localToUtc } from "../../../sandbox/pos/time";
import { api, connect, control, getJson } from "./helpers";

/**
 * Inventory over HTTP inside workerd: the control routes that make supplier returns, transfers,
 * stocktakes and adjustments, the webhooks the POS sends for them (`consignment.send`,
 * `consignment.receive`, `inventory.update`, each carrying the API object), the figures routes, and
 * a generated day with the inventory option.
 */

interface Sent {
  type: string;
  payload: any;
}

let sb: PosSandbox;
let token: string;
let sent: Sent[];
let now: Date;

function make(o: { days: number; inventory: boolean }) {
  sent = [];
  now = new Date("2026-11-20T15:00:00Z");
  return createPosSandbox({
    ...o,
    autoApprove: true,
    webhookRetryDelaysMs: [],
    now: () => now,
    deliverWebhook: async (_url, init) => {
      const form = new URLSearchParams(String(init.body));
      sent.push({ type: form.get("type")!, payload: JSON.parse(form.get("payload")!) });
      return new Response("ok");
    },
  });
}

async function subscribe(...types: string[]) {
  for (const type of types) {
    const body = JSON.stringify({ url: `http://hooks.test/${type}`, type, active: true });
    expect((await api(sb, token, "/webhooks", { method: "POST", body })).status).toBe(201);
  }
}

async function post<T = any>(path: string, body: unknown, status = 200): Promise<T> {
  const res = await control(sb, path, body);
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}

async function get<T = any>(path: string, status = 200): Promise<T> {
  const res = await control(sb, path, undefined, "GET");
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}

const tick = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

describe("inventory documents made through the control routes", () => {
  let ids: { montreal: string; quebec: string; tee: string; supplier: string };
  beforeEach(async () => {
    sb = make({ days: 2, inventory: false });
    token = (await connect(sb)).access_token;
    const store = sb.store("demo");
    const [montreal, quebec] = Object.keys(store.outlets);
    const tee = Object.values(store.products).find((p) => p.sku === "TOP-100")!;
    ids = { montreal: montreal!, quebec: quebec!, tee: tee.id, supplier: tee.supplierId! };
    await subscribe("consignment.send", "consignment.receive", "inventory.update");
  });

  it("sends a supplier return, announced with the consignment and the product's new inventory record", async () => {
    const created = await post(
      "/demo/supplier_returns",
      {
        supplierId: ids.supplier,
        outletId: ids.montreal,
        lines: [{ productId: ids.tee, quantity: 2, cost: "9.50" }],
        send: true,
      },
      201,
    );
    expect(created).toMatchObject({ type: "RETURN", status: "SENT", supplier_id: ids.supplier });
    await sb.flushWebhooks();
    const { data: consignment } = await getJson(sb, token, `/consignments/${created.id}`);
    expect(sent.find((s) => s.type === "consignment.send")!.payload).toEqual(consignment);
    const records = await getJson<any[]>(sb, token, `/inventory/${ids.tee}`);
    const montreal = records.find((r) => r.outlet_id === ids.montreal);
    expect(sent.filter((s) => s.type === "inventory.update").map((s) => s.payload)).toEqual([montreal]);
    const products = await getJson(sb, token, `/consignments/${created.id}/products`);
    expect(products.data[0]).toMatchObject({
      product_id: ids.tee,
      count: "2.00000",
      cost: "9.50000",
      received: "0.00000",
    });
    const figures = await get(`/demo/consignments/${created.id}/figures`);
    expect(figures).toMatchObject({ posts: true, exact: "19", minor: 1900 });
    await post(`/demo/consignments/${created.id}/cancel`, {}, 409);
  });

  it("transfers between the Québec store's outlets: sent, then received, each announced", async () => {
    const transfer = await post(
      "/demo/transfers",
      { sourceOutletId: ids.montreal, outletId: ids.quebec, lines: [{ productId: ids.tee, quantity: 6 }] },
      201,
    );
    expect(transfer.status).toBe("OPEN");
    const totalsOpen = await getJson(sb, token, `/consignments/${transfer.id}/totals`);
    expect(totalsOpen.data[0]).toMatchObject({ total_sent_count: "6.00000", total_received_count: "0.00000" });
    tick(5);
    await post(`/demo/consignments/${transfer.id}/send`, {});
    tick(60 * 20);
    const received = await post(`/demo/consignments/${transfer.id}/receive`, {});
    expect(received).toMatchObject({ status: "RECEIVED", source_outlet_id: ids.montreal, outlet_id: ids.quebec });
    await sb.flushWebhooks();
    expect(sent.filter((s) => s.type.startsWith("consignment.")).map((s) => [s.type, s.payload.status])).toEqual([
      ["consignment.send", "SENT"],
      ["consignment.receive", "RECEIVED"],
    ]);
    expect(new Set(sent.filter((s) => s.type === "inventory.update").map((s) => s.payload.outlet_id))).toEqual(
      new Set([ids.montreal, ids.quebec]),
    );
    const totals = await getJson(sb, token, `/consignments/${transfer.id}/totals`);
    expect(totals.data[0].total_received_cost).toBe(totals.data[0].total_sent_cost);
  });

  it("runs a stocktake and records adjustments, refusing a wrong sign", async () => {
    const store = sb.store("demo");
    const onHand = Number(sb.inventory.level("demo", ids.tee, ids.montreal).current_inventory_level);
    const stocktake = await post(
      "/demo/stocktakes",
      { outletId: ids.montreal, productIds: [ids.tee], counts: [{ productId: ids.tee, counted: onHand - 2 }] },
      201,
    );
    expect(stocktake).toMatchObject({
      type: "STOCKTAKE",
      status: "STOCKTAKE_COMPLETE",
      total_count_loss: 2,
      total_cost_loss: 19,
    });
    await post(
      "/demo/stock_adjustments",
      { outletId: ids.montreal, productId: ids.tee, quantity: 1, reason: "THEFT" },
      422,
    );
    const theft = await post(
      "/demo/stock_adjustments",
      { outletId: ids.montreal, productId: ids.tee, quantity: -1, reason: "THEFT" },
      201,
    );
    expect(theft).toMatchObject({ reason: "THEFT", quantity: "-1", outlet_id: ids.montreal });
    expect(sb.inventory.level("demo", ids.tee, ids.montreal).current_inventory_level).toBe(onHand - 3);
    const figures = await get("/demo/stock_adjustments/figures");
    expect(figures.byReason).toEqual([{ reason: "THEFT", customReasonId: null, count: 1, exact: "-9.5", minor: -950 }]);
    const { data } = await getJson(sb, token, "/stock_adjustments");
    expect(data.map((a: { id: string }) => a.id)).toEqual([theft.id]);
    expect(Object.keys(store.inventory.adjustments)).toEqual([theft.id]);
  });

  it("answers the figures: value, roll-forward, a closure's and a sale's cost; 400 without an instant", async () => {
    const from = "2026-11-20T00:00:00Z";
    await post(
      "/demo/stock_adjustments",
      { outletId: ids.montreal, productId: ids.tee, quantity: -2, reason: "DAMAGE", at: "2026-11-20T14:00:00Z" },
      201,
    );
    const rf = await get(`/demo/inventory/roll_forward?from=${from}&to=2026-11-21T00:00:00Z`);
    const montreal = rf.outlets.find((o: { outletId: string }) => o.outletId === ids.montreal);
    expect(montreal).toMatchObject({ adjustments: { exact: "-19", minor: -1900 }, difference: "0", residueMinor: 0 });
    const value = await get(`/demo/inventory/value?at=${from}`);
    expect(value.outlets).toHaveLength(2);
    expect(value.outlets.every((o: { minor: number }) => o.minor > 0)).toBe(true);
    await get("/demo/inventory/value", 400);
    await get("/demo/inventory/value?at=yesterday", 400);
    const closure = sb.closures("demo")[0]!;
    const cogs = await get(`/demo/closures/${closure.id}/cogs`);
    expect(cogs.closureId).toBe(closure.id);
    expect(cogs.minor).toBeGreaterThan(0);
    const saleId = sb.closureFigures("demo", closure.id).sales.saleIds[0]!;
    expect((await get(`/demo/sales/${saleId}/cogs`)).saleId).toBe(saleId);
  });
});

describe("a generated day with the inventory option", () => {
  it("announces restocks, transfers and stock changes, and rolls forward exactly", async () => {
    sb = make({ days: 25, inventory: true });
    token = (await connect(sb)).access_token;
    await subscribe("consignment.send", "consignment.receive", "inventory.update", "sale.update");
    const store = sb.store("demo");
    const from = store.trading.nextDate;
    sb.advanceDay("demo", 5); // days 25–29: a return sent, a stocktake on the 28th, restocks, a transfer sent
    await sb.flushWebhooks();
    const types = sent.map((s) => s.type);
    for (const type of ["consignment.send", "consignment.receive", "inventory.update", "sale.update"])
      expect(types, type).toContain(type);
    const kinds = sent.filter((s) => s.type === "consignment.send").map((s) => s.payload.type);
    expect(new Set(kinds)).toEqual(new Set(["SUPPLIER", "OUTLET", "RETURN"]));
    const updates = sent.filter((s) => s.type === "inventory.update").map((s) => s.payload);
    const last = new Map(updates.map((u) => [u.id, u]));
    for (const record of last.values()) {
      const [now] = (await getJson<any[]>(sb, token, `/inventory/${record.product_id}`)).filter(
        (r) => r.outlet_id === record.outlet_id,
      );
      expect(now).toEqual(record);
    }
    const to = store.trading.nextDate;
    const midnight = (date: string) => localToUtc(date, 0, store.retailer.timezone).toISOString();
    const rf = await get(`/demo/inventory/roll_forward?from=${midnight(from)}&to=${midnight(to)}`);
    for (const o of rf.outlets) expect(o.difference, o.name).toBe("0");
    const stocktakes = await getJson(sb, token, "/consignments?type=STOCKTAKE&status=STOCKTAKE_COMPLETE");
    expect(stocktakes.data.length).toBe(2);
  }, 60_000); // generating 30 days is CPU work: a budget for a loaded machine, not a race
});
