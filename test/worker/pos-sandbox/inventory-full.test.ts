import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { addDays, localToUtc } from "../../../sandbox/pos/time";
import { api, connect, control, getJson } from "./helpers";

/**
 * Inventory with SPEC §4's activity over HTTP inside workerd (the next defaults): a cancelled layby and
 * a line voided later put their stock back when they happen, announced with `inventory.update`, the
 * API shows the cancelling lines at the cost of what they cancel, the figures routes say when each
 * part moved, and generated days of full activity roll forward to the cent.
 */

interface Sent {
  type: string;
  payload: any;
}

let sb: PosSandbox;
let token: string;
let sent: Sent[];
let now: Date;

function make(days: number) {
  sent = [];
  now = new Date("2026-11-20T15:00:00Z");
  return createPosSandbox({
    days,
    defaults: "next",
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

async function call<T = any>(path: string, body?: unknown, status = 200): Promise<T> {
  const res = await control(sb, path, body, body === undefined ? "GET" : "POST");
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}

const tick = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

describe("a layby cancelled and a line voided later, through the control routes", () => {
  let ids: { register: string; montreal: string; tee: string; mug: string; customer: string; cash: string };
  beforeEach(async () => {
    sb = make(1);
    token = (await connect(sb)).access_token;
    const store = sb.store("demo");
    const montreal = Object.keys(store.outlets)[0]!;
    const product = (sku: string) => Object.values(store.products).find((p) => p.sku === sku)!.id;
    ids = {
      register: Object.values(store.registers).find((r) => r.outletId === montreal)!.id,
      montreal,
      tee: product("TOP-100"),
      mug: product("HOM-131"),
      customer: Object.values(store.customers).find((c) => c.onAccountLimit !== null)!.id,
      cash: Object.values(store.paymentTypes).find((t) => t.kind === "cash")!.id,
    };
    for (const type of ["inventory.update", "sale.update"]) {
      const body = JSON.stringify({ url: `http://hooks.test/${type}`, type, active: true });
      expect((await api(sb, token, "/webhooks", { method: "POST", body })).status).toBe(201);
    }
    await call(`/demo/registers/${ids.register}/open`, {});
  });

  it("puts a cancelled layby's stock back when it is cancelled, and says so", async () => {
    const from = now.toISOString();
    const onHand = async () =>
      (await getJson(sb, token, `/inventory/${ids.tee}`)).find((r: any) => r.outlet_id === ids.montreal)
        .current_inventory_level;
    const before = await onHand();
    tick(5);
    const layby = await call(
      "/demo/sales",
      {
        registerId: ids.register,
        kind: "layby",
        customerId: ids.customer,
        lines: [{ productId: ids.tee, quantity: 2 }],
        payments: [{ paymentTypeId: ids.cash, amount: "10" }],
      },
      201,
    );
    expect(await onHand()).toBe(before - 2);
    tick(90);
    await sb.flushWebhooks();
    sent.length = 0;
    await call(`/demo/sales/${layby.id}/cancel_layby`, { registerId: ids.register });
    expect(await onHand()).toBe(before);
    await sb.flushWebhooks();
    const levels = sent.filter((s) => s.type === "inventory.update" && s.payload.product_id === ids.tee);
    expect(levels.at(-1)!.payload.current_inventory_level).toBe(before);

    const { data: sale } = await getJson(sb, token, `/sales/${layby.id}`);
    const [sold, cancelling] = sale.line_items as any[];
    expect(cancelling.quantity).toBe(-2);
    expect(cancelling.pricing.cost).toBe(sold.pricing.cost);
    expect(cancelling.pricing.cost_total).toBe(-sold.pricing.cost_total);

    const cogs = await call(`/demo/sales/${layby.id}/cogs`);
    expect(cogs.exact).toBe("0");
    expect(cogs.movements.map((m: any) => [m.why, m.minor])).toEqual([
      ["sold", 1900],
      ["layby cancelled", -1900],
    ]);
    tick(1);
    const rf = await call(`/demo/inventory/roll_forward?from=${from}&to=${now.toISOString()}`);
    for (const o of rf.outlets) expect(o).toMatchObject({ difference: "0", cogs: { exact: "0" } });
  });

  it("brings a voided line's stock back when it is voided, not when the sale was made", async () => {
    tick(5);
    const sale = await call(
      "/demo/sales",
      {
        registerId: ids.register,
        kind: "onaccount",
        customerId: ids.customer,
        lines: [{ productId: ids.tee }, { productId: ids.mug, quantity: 3 }],
      },
      201,
    );
    tick(30);
    const voidedAt = now.toISOString();
    await call(`/demo/sales/${sale.id}/lines/${sale.line_items[1].id}/void`, {});
    const cogs = await call(`/demo/sales/${sale.id}/cogs`);
    expect(cogs.movements).toEqual([
      { at: sale.date, why: "sold", exact: "26", minor: 2600 },
      { at: expect.stringMatching(/^2026-11-20T15:35/), why: "line voided", exact: "-16.5", minor: -1650 },
    ]);
    expect(Date.parse(cogs.movements[1].at)).toBe(Date.parse(voidedAt));
    expect(cogs).toMatchObject({ exact: "9.5", minor: 950 });
  });
});

describe("generated days with the next defaults", () => {
  it("trade full activity with inventory and roll forward to the cent", async () => {
    sb = make(6);
    const stores = await call("/stores");
    expect(stores.map((s: any) => [s.prefix, s.activity, s.inventory])).toEqual([["demo", "full", true]]);
    const store = sb.store("demo");
    const from = store.trading.nextDate;
    sb.advanceDay("demo", 4);
    const at = (date: string) => localToUtc(date, 0, store.retailer.timezone).toISOString();
    const rf = await call(`/demo/inventory/roll_forward?from=${at(from)}&to=${at(addDays(from, 4))}`);
    expect(rf.outlets).toHaveLength(2);
    for (const o of rf.outlets) {
      expect(o.difference, o.name).toBe("0");
      expect(Math.abs(o.residueMinor), o.name).toBeLessThanOrEqual(5);
      expect(o.cogs.minor, o.name).toBeGreaterThan(0);
    }
    const voided = Object.values(store.sales).filter((s) => s.lines.some((l) => l.voided)).length;
    expect(voided).toBeGreaterThan(0);
  }, 60_000);
});
