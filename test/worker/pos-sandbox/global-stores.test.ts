import { beforeEach, describe, expect, it } from "vitest";
import { parseMinor } from "../../../shared/money";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { api, connect, control, getJson } from "./helpers";

/**
 * The tax-inclusive Australian and UK stores inside workerd (its Intl zones: Sydney and London both
 * change their clocks in October), and SPEC §4's control routes over HTTP with the webhooks the POS
 * sends: a payment type added after connecting then used, a product added (product.update), a sale
 * voided after its register closed (sale.update, and no new closure), a layby cancelled, an exchange.
 */

describe("the AU and UK demo stores in workerd", () => {
  const sb = createPosSandbox({ stores: ["au", "uk"] });

  // generating two stores of 30 days takes seconds on a busy machine: the timeout is generous on purpose
  it("open at 9–10 a.m. local through both October clock changes, and are deterministic", { timeout: 120_000 }, () => {
    const hours = (prefix: string, tz: string) =>
      sb
        .closures(prefix)
        .map((c) =>
          Number(
            new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", hourCycle: "h23" }).format(
              new Date(c.openedAt),
            ),
          ),
        );
    expect(new Set(hours("demo-au", "Australia/Sydney"))).toEqual(new Set([9, 10]));
    expect(new Set(hours("demo-uk", "Europe/London"))).toEqual(new Set([9, 10]));
    // AEST→AEDT on 4 October: 9 a.m. is 23:00Z before and 22:00Z after, 10 a.m. 00:00Z then 23:00Z
    const utc = (prefix: string, before: string) =>
      new Set(
        sb
          .closures(prefix)
          .filter((c) => c.openedAt < before === true)
          .map((c) => c.openedAt.slice(11, 13)),
      );
    expect([...utc("demo-au", "2026-10-03T12:00:00Z")].sort()).toEqual(["00", "23"]);
    expect([...utc("demo-au", "9999")].filter((h) => h === "22")).toEqual(["22"]);
    // London leaves BST on 25 October: 9 a.m. is 08:00Z before, 09:00Z after
    expect([...utc("demo-uk", "2026-10-24T12:00:00Z")].sort()).toEqual(["08", "09"]);
    expect(
      sb
        .closures("demo-uk")
        .filter((c) => c.openedAt > "2026-10-26")
        .every((c) => c.openedAt.slice(11, 13) >= "09"),
    ).toBe(true);
    expect(createPosSandbox({ stores: ["au", "uk"] }).exportState()).toBe(sb.exportState());
  });

  it("holds every payment in exactly one closure", { timeout: 120_000 }, () => {
    for (const prefix of ["demo-au", "demo-uk"]) {
      const store = sb.store(prefix);
      const paid = Object.values(store.sales)
        .filter((s) => s.state !== "voided")
        .flatMap((s) => s.payments)
        .reduce((a, p) => a + p.amount, 0);
      const inFigures = sb
        .closures(prefix)
        .map((c) => sb.closureFigures(prefix, c.id))
        .flatMap((f) => f.payments)
        .reduce((a, p) => a + p.expectedMinor, 0);
      expect(inFigures).toBe(paid);
    }
  });
});

interface Sent {
  type: string;
  payload: Record<string, any>;
}

describe("SPEC §4 through the control surface, with webhooks", () => {
  let sb: PosSandbox;
  let token: string;
  let sent: Sent[];
  let now: Date;
  const prefix = "demo-au";

  async function post<T = any>(path: string, body?: unknown, status = 200): Promise<T> {
    const res = await control(sb, path, body);
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(status);
    return JSON.parse(text) as T;
  }

  async function subscribe(type: string) {
    const res = await api(
      sb,
      token,
      "/webhooks",
      { method: "POST", body: JSON.stringify({ url: `http://hooks.test/${type}`, type, active: true }) },
      prefix,
    );
    expect(res.status).toBe(201);
  }

  beforeEach(async () => {
    sent = [];
    now = new Date("2026-11-10T00:00:00Z");
    sb = createPosSandbox({
      stores: ["au"],
      days: 3,
      autoApprove: true,
      webhookRetryDelaysMs: [],
      now: () => now,
      deliverWebhook: async (_url, init) => {
        const form = new URLSearchParams(String(init.body));
        sent.push({ type: form.get("type")!, payload: JSON.parse(form.get("payload")!) });
        return new Response("ok");
      },
    });
    token = (await connect(sb, prefix)).access_token;
    for (const type of ["sale.update", "register_closure.create", "product.update"]) await subscribe(type);
  });

  const store = () => sb.store(prefix);
  const type = (name: string) => Object.values(store().paymentTypes).find((p) => p.name === name)!.id;
  const product = (name: string) => Object.values(store().products).find((p) => p.name === name)!.id;
  const register = () => Object.values(store().registers)[0]!.id;

  it("takes a payment type added after connecting in a sale; the sale and the closure carry it", async () => {
    const added = await post(`/${prefix}/payment_types`, { name: "Zip (new today)", kind: "other" }, 201);
    const types = await getJson<{ data: { id: string }[] }>(sb, token, "/payment_types", prefix);
    expect(types.data.map((t) => t.id)).toContain(added.id);
    await post(`/${prefix}/registers/${register()}/open`, {});
    const sale = await post(
      `/${prefix}/sales`,
      {
        registerId: register(),
        lines: [{ productId: product("Linen apron") }],
        payments: [{ paymentTypeId: added.id }],
      },
      201,
    );
    await post(`/${prefix}/registers/${register()}/close`, {});
    await sb.flushWebhooks();
    const saleHook = sent.find((s) => s.type === "sale.update" && s.payload.id === sale.id)!;
    expect(saleHook.payload.payments[0].type).toMatchObject({ config_id: added.id, name: "Zip (new today)" });
    const closure = sent.find((s) => s.type === "register_closure.create")!;
    expect(
      closure.payload.payments.find(
        (p: { retailer_payment_type_id: string }) => p.retailer_payment_type_id === added.id,
      ),
    ).toMatchObject({ expected: "39.95" });
    // payment types, taxes, categories and outlets are no webhook types: only the product announces itself
    const tax = await post(`/${prefix}/taxes`, { name: "Luxury Car Tax", rates: [{ name: "LCT", rate: "0.33" }] }, 201);
    const category = await post(`/${prefix}/categories`, { name: "Gift hampers" }, 201);
    const hamper = await post(
      `/${prefix}/products`,
      { name: "Christmas hamper", price: "89.95", categoryId: category.id, taxId: tax.id },
      201,
    );
    await sb.flushWebhooks();
    expect(sent.filter((s) => s.type === "product.update").map((s) => s.payload.id)).toEqual([hamper.id]);
    expect(hamper.product_category.name).toBe("Gift hampers");
  });

  it("voids a sale after its register closed: sale.update, no new closure, the summary unchanged", async () => {
    await post(`/${prefix}/registers/${register()}/open`, {});
    const sale = await post(
      `/${prefix}/sales`,
      {
        registerId: register(),
        lines: [{ productId: product("Merino throw") }],
        payments: [{ paymentTypeId: type("Lightspeed Payments"), tip: "10.00", surchargePercent: "1.2" }],
      },
      201,
    );
    await post(`/${prefix}/registers/${register()}/close`, {});
    const summary = await getJson(sb, token, `/registers/${register()}/payments_summary`, prefix);
    now = new Date(now.getTime() + 3_600_000);
    await sb.flushWebhooks();
    sent.length = 0;
    const voided = await post(`/${prefix}/sales/${sale.id}/void`, {});
    expect(voided.state).toBe("voided");
    await sb.flushWebhooks();
    expect(sent.map((s) => [s.type, s.payload.id])).toEqual([["sale.update", sale.id]]);
    expect(await getJson(sb, token, `/registers/${register()}/payments_summary`, prefix)).toEqual(summary);
    const tx = (await (
      await control(sb, `/${prefix}/lspay_transactions/${sale.payments[0].id}`, undefined, "GET")
    ).json()) as {
      status: string;
      tenders: { type: string; amount: number }[];
    };
    expect(tx.status).toBe("REVERSED");
    expect(tx.tenders.map((t) => t.type)).toEqual(["SALE", "TIP", "SURCHARGE", "REVERSAL"]);
  });

  it("cancels a layby, voids a line, and exchanges over HTTP", async () => {
    await post(`/${prefix}/registers/${register()}/open`, {});
    const customer = Object.values(store().customers).find((c) => c.companyName === null)!;
    const layby = await post(
      `/${prefix}/sales`,
      {
        registerId: register(),
        kind: "layby",
        customerId: customer.id,
        lines: [{ productId: product("Merino throw") }, { productId: product("Lip balm") }],
        payments: [{ paymentTypeId: type("Cash"), amount: "20.00" }],
      },
      201,
    );
    const trimmed = await post(`/${prefix}/sales/${layby.id}/lines/${layby.line_items[1].id}/void`, {});
    expect(trimmed.totals.price_incl_tax).toBe(149);
    const cancelled = await post(`/${prefix}/sales/${layby.id}/cancel_layby`, {
      registerId: register(),
      keepAsStoreCredit: true,
    });
    expect(cancelled).toMatchObject({ state: "closed", totals: { price_incl_tax: 0 } });
    expect(cancelled.payments.map((p: { amount: number }) => p.amount)).toEqual([20, -20]);
    const bought = await post(
      `/${prefix}/sales`,
      {
        registerId: register(),
        lines: [{ productId: product("Enamel camp mug") }],
        payments: [{ paymentTypeId: type("EFTPOS") }],
      },
      201,
    );
    const exchange = await post(
      `/${prefix}/sales/${bought.id}/return`,
      {
        registerId: register(),
        newLines: [{ productId: product("Raw honey 500 g") }],
        refunds: [{ paymentTypeId: type("EFTPOS") }],
      },
      201,
    );
    // 24.95 back, 16.95 taken: 8.00 refunded
    expect(exchange.payments.map((p: { amount: number }) => p.amount)).toEqual([-8]);
    const closure = await post(`/${prefix}/registers/${register()}/close`, {});
    const f = (await (await control(sb, `/${prefix}/closures/${closure.id}/figures`, undefined, "GET")).json()) as {
      accountPayments: { name: string; amountMinor: number }[];
      sales: { storeCreditIssuedViaReturnsMinor: number };
    };
    expect(f.accountPayments.map((a) => [a.name, a.amountMinor])).toEqual([
      ["Cash", 2000],
      ["Store Credit", -2000],
    ]);
    expect(parseMinor(closure.payments.find((p: { name: string }) => p.name === "Store Credit").expected)).toBe(-2000);
  });
});
