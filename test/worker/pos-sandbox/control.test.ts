import { beforeEach, describe, expect, it } from "vitest";
import { formatMinor, parseMinor } from "../../../shared/money";
import { createPosSandbox, type ClosureFigures, type ClosureRecord, type PosSandbox } from "../../../sandbox/pos/index";
import { api, connect, control } from "./helpers";

/** The `/_sandbox` control surface over HTTP, inside workerd. */

let sb: PosSandbox;

async function post<T = any>(path: string, body?: unknown, status = 200): Promise<T> {
  const res = await control(sb, path, body);
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}

async function get<T = any>(path: string): Promise<T> {
  const res = await control(sb, path, undefined, "GET");
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe("the control surface", () => {
  beforeEach(() => {
    sb = createPosSandbox({
      days: 3,
      stores: ["ca", "us"],
      autoApprove: true,
      now: () => new Date("2026-11-20T15:00:00Z"),
    });
  });

  it("lists the stores with their registers, outlets and payment types", async () => {
    const stores =
      await get<
        {
          prefix: string;
          apiBase: string;
          registers: unknown[];
          outlets: { timeZone: string }[];
          paymentTypes: { deleted: boolean }[];
        }[]
      >("/stores");
    expect(stores.map((s) => s.prefix)).toEqual(["demo", "demo-us"]);
    expect(stores[0]!.apiBase).toBe("http://127.0.0.1:8789/demo/api/2026-07");
    expect(stores[0]!.registers).toHaveLength(3);
    expect(stores[1]!.registers).toHaveLength(2);
    expect(stores[1]!.outlets[0]!.timeZone).toBe("America/New_York");
    expect(stores[0]!.paymentTypes.some((p) => p.deleted)).toBe(true);
  });

  it("runs a register day over HTTP: open, sales of every kind, return, void, close, figures", async () => {
    const store = sb.store("demo");
    const [reg] = Object.values(store.registers);
    const type = (name: string) => Object.values(store.paymentTypes).find((p) => p.name === name)!.id;
    const product = Object.values(store.products).find((p) => p.sku === "HOM-133")!.id;
    const customer = Object.values(store.customers)[0]!.id;

    const open = await post<ClosureRecord>(`/demo/registers/${reg!.id}/open`, { at: "2026-11-20T13:00:00Z" });
    expect(open.closedAt).toBeNull();
    const sale = await post(
      `/demo/sales`,
      {
        registerId: reg!.id,
        at: "2026-11-20T14:00:00Z",
        lines: [{ productId: product, discountPercent: 10 }],
        saleDiscountPercent: 5,
      },
      201,
    );
    const account = await post(
      `/demo/sales`,
      { registerId: reg!.id, kind: "onaccount", customerId: customer, lines: [{ productId: product }] },
      201,
    );
    expect(account.state).toBe("pending");
    const paid = await post(`/demo/sales/${account.id}/payments`, {
      registerId: reg!.id,
      payments: [{ paymentTypeId: type("Debit") }],
    });
    expect(paid.state).toBe("closed");
    const ret = await post(
      `/demo/sales/${sale.id}/return`,
      { registerId: reg!.id, refunds: [{ paymentTypeId: type("Cash") }] },
      201,
    );
    expect(ret.return.original_sale_id).toBe(sale.id);
    const voidable = await post(
      `/demo/sales`,
      { registerId: reg!.id, lines: [{ productId: product }], payments: [{ paymentTypeId: type("Credit Card") }] },
      201,
    );
    expect((await post(`/demo/sales/${voidable.id}/void`, {})).state).toBe("voided");
    const closed = await post<ClosureRecord>(`/demo/registers/${reg!.id}/close`, {
      counted: { [type("Cash")]: "10.00" },
      at: "2026-11-20T23:00:00Z",
    });
    expect(closed.id).toBe(open.id);
    expect(closed.payments.find((p) => p.name === "Credit Card")!.expected).toBe("0.00");
    expect(closed.payments.find((p) => p.name === "Debit")!.expected).toBe(
      formatMinor(parseMinor(paid.totals.price_incl_tax)),
    );

    const figures = await get<ClosureFigures>(`/demo/closures/${closed.id}/figures`);
    expect(figures.sales.saleIds.sort()).toEqual([sale.id, ret.id].sort());
    expect(figures.sales.netSalesExTaxMinor).toBe(0);
    expect(figures.accountPayments).toEqual([
      {
        paymentTypeId: type("Debit"),
        name: "Debit",
        amountMinor: parseMinor(paid.totals.price_incl_tax),
        saleIds: [account.id],
      },
    ]);
    const list = await get<ClosureRecord[]>("/demo/closures");
    expect(list.at(-1)!.id).toBe(closed.id);
  });

  it("receives purchase orders, expires gift cards and issues store credit", async () => {
    const store = sb.store("demo");
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT")!;
    const delivery = await post(
      `/demo/purchase_orders/${po.id}/receive`,
      {
        supplierInvoice: "X-1",
        costs: [{ type: "SHIPPING", amount: "12.00" }],
        discounts: [{ type: "DISCOUNT", amount: 3 }],
      },
      201,
    );
    expect(delivery).toMatchObject({
      purchase_order_id: po.id,
      supplier_invoice: "X-1",
      costs: [{ type: "SHIPPING", amount: "12.00" }],
      discounts: [{ type: "DISCOUNT", amount: "3.00" }],
    });
    const card = Object.values(store.giftCards).find((g) => g.status === "ACTIVE")!;
    expect((await post(`/demo/gift_cards/${card.number}/expire`, {})).status).toBe("EXPIRED");
    const customer = Object.values(store.customers)[5]!.id;
    expect(
      await post(`/demo/customers/${customer}/store_credit`, { amount: "20.00", notes: "Goodwill" }, 201),
    ).toMatchObject({ amount: 20, sale_id: null });
    expect((await control(sb, `/demo/customers/${customer}/store_credit`, { amount: "2.005" })).status).toBe(400);
  });

  it("refuses bad bodies with 400 and unknown things with 404", async () => {
    expect((await control(sb, "/demo/sales", { registerId: "x", lines: [] })).status).toBe(400);
    expect((await control(sb, "/demo/sales", "not json at all")).status).toBe(400);
    const bad = await control(sb, "/demo/sales", { registerId: "nope", lines: [{ productId: "p" }] });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ error: "register nope not found" });
    expect((await control(sb, "/elsewhere/closures", undefined, "GET")).status).toBe(404);
  });

  it("advances a trading day and the clock", async () => {
    const before = sb.closures("demo").length;
    expect(await post("/demo/advance_day", { days: 2 })).toEqual({ nextTradingDate: "2026-10-06" });
    expect(sb.closures("demo").length).toBe(before + 6);
    expect(await post("/clock", { now: "2027-01-01T00:00:00Z", frozen: true })).toEqual({
      now: "2027-01-01T00:00:00.000Z",
    });
    expect(sb.now().toISOString()).toBe("2027-01-01T00:00:00.000Z");
    await post("/clock", { advanceSeconds: 3600 });
    expect(sb.now().getTime()).toBeGreaterThanOrEqual(Date.parse("2027-01-01T01:00:00Z"));
  });

  it("revokes a store's grants, exports, imports and resets the state", async () => {
    const tokens = await connect(sb);
    expect(await post("/demo/revoke", {})).toEqual({ revoked: 2 });
    expect((await api(sb, tokens.access_token, "/retailer")).status).toBe(401);

    const exported = await (await control(sb, "/state", undefined, "GET")).text();
    const fresh = createPosSandbox({ days: 1 });
    const put = await fresh.fetch(
      new Request("http://127.0.0.1:8789/_sandbox/state", { method: "PUT", body: exported }),
    );
    expect(put.status).toBe(200);
    expect(fresh.exportState()).toBe(exported);

    const reg = Object.keys(sb.store("demo").registers)[0]!;
    sb.openRegister("demo", reg);
    await post("/reset");
    expect(sb.store("demo").registers[reg]!.isOpen).toBe(false);
    expect(sb.exportState()).toBe(createPosSandbox({ days: 3, stores: ["ca", "us"] }).exportState());
  });
});
