import { beforeAll, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { api, connect, getJson } from "./helpers";

/** The API 2026-07 read surface inside workerd: version-cursor paging, the other cursors, shapes. */

let sb: PosSandbox;
let token: string;

beforeAll(async () => {
  sb = createPosSandbox({
    days: 20,
    defaults: "today",
    autoApprove: true,
    now: () => new Date("2026-11-20T12:00:00Z"),
  });
  token = (await connect(sb)).access_token;
});

interface Page {
  data: { id: string; _metadata?: { version: number }; version?: number }[];
  version: { min: number | null; max: number | null };
}
const versionOf = (x: Page["data"][number]) => x._metadata?.version ?? x.version!;

describe("version-cursor paging", () => {
  it("walks every sale with after=version.max until an empty page (version.max null)", async () => {
    const seen: string[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const page = await getJson<Page>(sb, token, `/sales?after=${after}&page_size=150`);
      if (page.data.length === 0) {
        expect(page.version).toEqual({ min: null, max: null });
        break;
      }
      const versions = page.data.map(versionOf);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(versions.every((v) => v > after)).toBe(true);
      expect(page.version).toEqual({ min: versions[0], max: versions.at(-1) });
      expect(page.data.length).toBeLessThanOrEqual(150);
      seen.push(...page.data.map((s) => s.id));
      after = page.version.max!;
      pages++;
    }
    expect(pages).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(Object.keys(sb.store("demo").sales).length);
  });

  it("bounds a page with before, and versions are global and not +1 apart", async () => {
    const all = await getJson<Page>(sb, token, "/sales?page_size=10000");
    const versions = all.data.map(versionOf);
    expect(versions.some((v, i) => i > 0 && v - versions[i - 1]! > 1)).toBe(true);
    const mid = versions[100]!;
    const below = await getJson<Page>(sb, token, `/sales?before=${mid}&page_size=10000`);
    expect(below.data).toHaveLength(100);
    const window = await getJson<Page>(sb, token, `/sales?after=${versions[9]}&before=${versions[20]}`);
    expect(window.data.map(versionOf)).toEqual(versions.slice(10, 20));
    const products = await getJson<Page>(sb, token, "/products?page_size=5");
    expect(products.data).toHaveLength(5);
    const registers = await getJson<Page>(sb, token, "/registers");
    const outlets = await getJson<Page>(sb, token, "/outlets");
    const overlap = registers.data.map(versionOf).filter((v) => outlets.data.map(versionOf).includes(v));
    expect(overlap).toEqual([]);
  });

  it("sees a changed record again after the cursor, with a higher version", async () => {
    const before = await getJson<Page>(sb, token, "/sales?page_size=10000");
    const cursor = before.version.max!;
    const store = sb.store("demo");
    const reg = Object.values(store.registers)[0]!;
    const original = before.data.find(
      (s) =>
        store.sales[s.id]!.state === "closed" &&
        store.sales[s.id]!.attributes.length === 0 &&
        !store.sales[s.id]!.returnFor &&
        store.sales[s.id]!.returnSaleIds.length === 0 &&
        store.sales[s.id]!.lines.every((l) => l.kind === "product"),
    )!;
    sb.openRegister("demo", reg.id);
    const ret = sb.returnSale("demo", original.id, { registerId: reg.id });
    const changed = await getJson<Page>(sb, token, `/sales?after=${cursor}`);
    expect(changed.data.map((s) => s.id).sort()).toEqual([original.id, ret.id].sort());
    expect(versionOf(changed.data.find((s) => s.id === original.id)!)).toBeGreaterThan(versionOf(original));
    sb.closeRegister("demo", reg.id);
  });

  it("lists deleted payment types only with deleted=true", async () => {
    const live = await getJson<{ data: { name: string; deleted_at: string | null; type_id: number }[] }>(
      sb,
      token,
      "/payment_types",
    );
    const withDeleted = await getJson<{ data: { name: string; deleted_at: string | null }[] }>(
      sb,
      token,
      "/payment_types?deleted=true",
    );
    expect(live.data.every((p) => p.deleted_at === null)).toBe(true);
    expect(withDeleted.data.length).toBe(live.data.length + 1);
    expect(withDeleted.data.find((p) => p.deleted_at !== null)?.name).toBe("Chèque");
    expect(live.data.find((p) => p.name === "Gift Card")?.type_id).toBe(118);
  });
});

describe("the other cursors and filters", () => {
  it("pages product categories by id with page_info, sorted by full path", async () => {
    type Cats = {
      data: { categories: { id: string; name: string; category_path: { name: string }[]; leaf_category: boolean }[] };
      page_info: { has_next: boolean; last_seen: string | null };
    };
    const all = await getJson<Cats>(sb, token, "/product_categories");
    expect(all.data.categories.map((c) => c.category_path.map((p) => p.name).join(" > "))).toEqual([
      "Accessories",
      "Books",
      "Clothing",
      "Clothing > Bottoms",
      "Clothing > Tops",
      "Home",
    ]);
    expect(all.page_info.has_next).toBe(false);
    const first = await getJson<Cats>(sb, token, "/product_categories?page_size=4");
    expect(first.page_info).toEqual({ has_next: true, last_seen: first.data.categories[3]!.id });
    const rest = await getJson<Cats>(sb, token, `/product_categories?after=${first.page_info.last_seen}`);
    expect(rest.data.categories.map((c) => c.name)).toEqual(["Tops", "Home"]);
    const clothing = all.data.categories.find((c) => c.name === "Clothing")!;
    expect(clothing.leaf_category).toBe(false);
    const children = await getJson<Cats>(sb, token, `/product_categories?parent=${clothing.id}&include=children`);
    expect(children.data.categories.map((c) => c.name)).toEqual(["Bottoms", "Tops"]);
  });

  it("pages gift cards newest first with before=<id>", async () => {
    type Cards = { data: { id: string; created_at: string; number: string; balance: string; status: string }[] };
    const all = await getJson<Cards>(sb, token, "/gift_cards");
    expect(all.data.length).toBeGreaterThan(4);
    const created = all.data.map((g) => g.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const page = await getJson<Cards>(sb, token, `/gift_cards?page_size=2&before=${all.data[1]!.id}`);
    expect(page.data.map((g) => g.id)).toEqual([all.data[2]!.id, all.data[3]!.id]);
    const one = all.data[0]!;
    const bare = await getJson<{ number: string; balance: string }>(sb, token, `/gift_cards/${one.number}`);
    expect(bare).toMatchObject({ number: one.number, balance: one.balance });
    expect((await getJson<{ data: { id: string } }>(sb, token, `/gift_cards/by_id/${one.id}`)).data.id).toBe(one.id);
    const txn = sb.store("demo").giftCards[one.id]!.transactions[0]!.id;
    expect((await getJson<{ data: { id: string } }>(sb, token, `/gift_cards/transactions/${txn}`)).data.id).toBe(
      one.id,
    );
    expect((await api(sb, token, "/gift_cards/0000")).status).toBe(404);
    const expired = await getJson<Cards>(sb, token, "/gift_cards?status=EXPIRED");
    expect(expired.data.length).toBeGreaterThanOrEqual(1);
    expect(expired.data.every((g) => g.balance === "0.00")).toBe(true);
  });

  it("answers store credit as bare arrays and records (money as numbers)", async () => {
    const list = await getJson<
      { customer_id: string; balance: number; store_credit_transactions: { type: string; sale_id: string | null }[] }[]
    >(sb, token, "/store_credits?includes[]=customer");
    expect(Array.isArray(list)).toBe(true);
    expect(list.some((r) => r.store_credit_transactions.some((t) => t.type === "ISSUE" && t.sale_id === null))).toBe(
      true,
    );
    const one = await getJson<{ customer_id: string; balance: number }>(
      sb,
      token,
      `/store_credits/${list[0]!.customer_id}`,
    );
    expect(typeof one.balance).toBe("number");
    expect((list[0] as unknown as { customer: { id: string } }).customer.id).toBe(list[0]!.customer_id);
  });

  it("searches sales by date range and outlet with offset paging", async () => {
    const outlet = Object.values(sb.store("demo").outlets)[1]!;
    const q = `/search?type=sales&outlet_id=${outlet.id}&date_from=2026-10-05T00:00:00Z&date_to=2026-10-07T23:59:59Z`;
    const all = await getJson<{ data: { id: string; date: string; source: { outlet_id: string } }[] }>(sb, token, q);
    expect(all.data.length).toBeGreaterThan(5);
    expect(
      all.data.every(
        (s) =>
          s.source.outlet_id === outlet.id && s.date >= "2026-10-05T00:00:00" && s.date <= "2026-10-07T23:59:59+00:00",
      ),
    ).toBe(true);
    const dates = all.data.map((s) => s.date);
    expect(dates).toEqual([...dates].sort());
    const second = await getJson<{ data: { id: string }[] }>(sb, token, `${q}&offset=3&page_size=2`);
    expect(second.data.map((s) => s.id)).toEqual(all.data.slice(3, 5).map((s) => s.id));
    expect((await api(sb, token, "/search?type=widgets")).status).toBe(400);
  });

  it("serves purchase orders with deliveries, costs and line items, and the same orders as consignments", async () => {
    type Po = {
      id: string;
      status: string;
      order_number: string;
      costs: { type: string; amount: string; purchase_order_delivery_id: string }[];
      discounts: { type: string; amount: string }[];
    };
    const pos = await getJson<{ data: Po[] }>(sb, token, "/purchase_orders");
    const charged = pos.data.find((p) => p.costs.length > 0)!;
    expect(charged.costs.map((c) => [c.type, c.amount])).toEqual([
      ["SHIPPING", "45.00"],
      ["DUTIES", "12.35"],
    ]);
    expect(charged.discounts.map((c) => [c.type, c.amount])).toEqual([["DISCOUNT", "20.00"]]);
    const partial = pos.data.find((p) => sb.store("demo").purchaseOrders[p.id]!.deliveries.length === 2)!;
    const deliveries = await getJson<{
      data: { id: string; received_at: string; cost_price_total: string; received_quantity_total: string }[];
    }>(sb, token, `/purchase_orders/${partial.id}/deliveries`);
    expect(deliveries.data).toHaveLength(2);
    const lines = await getJson<{
      data: { expected_quantity: string; received_quantity: string; cost_price: string }[];
    }>(sb, token, `/purchase_orders/${partial.id}/deliveries/${deliveries.data[0]!.id}/line_items`);
    expect(lines.data.every((l) => Number(l.received_quantity) <= Number(l.expected_quantity))).toBe(true);
    const ordered = await getJson<{ data: { quantity: string }[] }>(
      sb,
      token,
      `/purchase_orders/${partial.id}/line_items`,
    );
    const received = (
      await Promise.all(
        deliveries.data.map((d) =>
          getJson<{ data: { received_quantity: string }[] }>(
            sb,
            token,
            `/purchase_orders/${partial.id}/deliveries/${d.id}/line_items`,
          ),
        ),
      )
    )
      .flatMap((p) => p.data)
      .reduce((a, l) => a + Number(l.received_quantity), 0);
    expect(received).toBe(ordered.data.reduce((a, l) => a + Number(l.quantity), 0));

    const consignments = await getJson<{
      data: { id: string; type: string; status: string; received_at: string | null }[];
    }>(sb, token, "/consignments?type=SUPPLIER&status=RECEIVED");
    expect(consignments.data.map((c) => c.id)).toContain(partial.id);
    expect(consignments.data.every((c) => c.type === "SUPPLIER" && c.status === "RECEIVED" && c.received_at)).toBe(
      true,
    );
    const products = await getJson<{ data: { count: string; received: string; cost: string }[] }>(
      sb,
      token,
      `/consignments/${partial.id}/products`,
    );
    expect(products.data.every((p) => p.count === p.received && /^\d+\.\d{5}$/.test(p.cost))).toBe(true);
    const totals = await getJson<{ data: { total_received_cost: string; total_sent_cost: string }[] }>(
      sb,
      token,
      `/consignments/${partial.id}/totals`,
    );
    expect(totals.data[0]!.total_received_cost).toBe(totals.data[0]!.total_sent_cost);
    expect((await getJson<{ data: unknown[] }>(sb, token, "/consignments?type=OUTLET")).data).toEqual([]);
  });

  it("answers a sale in the Sale schema's shape with its open-sequence ids", async () => {
    const page = await getJson<{ data: { id: string }[] }>(sb, token, "/sales?page_size=1");
    const { data: sale } = await getJson<{ data: Record<string, any> }>(sb, token, `/sales/${page.data[0]!.id}`);
    expect(Object.keys(sale).sort()).toEqual(
      [
        "_metadata",
        "adjustments",
        "attributes",
        "created_at",
        "customer_id",
        "date",
        "deleted_at",
        "ecom_custom_charges",
        "external_applications",
        "id",
        "invoice_number",
        "line_items",
        "note",
        "payments",
        "receipt_number",
        "return",
        "short_code",
        "source",
        "state",
        "taxes",
        "totals",
        "updated_at",
      ].sort(),
    );
    expect(sale._metadata.complete_open_sequence_id).toBe(sale.payments[0]._metadata.register_open_sequence_id);
    expect(typeof sale.totals.price).toBe("number");
    expect(sale.payments[0].type.config_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api(sb, token, "/sales/not-a-sale")).status).toBe(404);
    expect((await api(sb, token, "/nothing-here")).status).toBe(404);
  });
});
