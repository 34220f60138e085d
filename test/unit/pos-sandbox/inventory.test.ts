import { createHash } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cmpDec, mulDec, parseDec } from "../../../shared/money";
import { saleJson } from "../../../sandbox/pos/api/serialize-sale";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { createPurchaseOrder } from "../../../sandbox/pos/ops/purchasing";
import { divRound, levelKey, nextAverage } from "../../../sandbox/pos/ops/stock";
import { PosSandboxError } from "../../../sandbox/pos/store";
import type { StoreState } from "../../../sandbox/pos/types";

/**
 * Inventory in the POS sandbox: the average-cost rule, what each operation does to stock and cost,
 * what the generated days carry with the `inventory` option, and that stores without it are unchanged.
 */

const T0 = new Date("2026-11-10T15:00:00Z");
const d = (x: string | number) => parseDec(x);
const txt = (x: { m: bigint; s: number }) => {
  const neg = x.m < 0n;
  const digits = (neg ? -x.m : x.m).toString().padStart(x.s + 1, "0");
  const t = x.s === 0 ? digits : `${digits.slice(0, -x.s)}.${digits.slice(-x.s)}`;
  return neg ? `-${t}` : t;
};

/** The rule, written again independently: (q·a + r·c) / (q + r) as a fraction of 10^-10, half-up to 5 places. */
function expectedAverage(q: number, a: string, r: number, c: string): string {
  const scaled = (s: string) => BigInt(Math.round(Number(s) * 1e5)); // 5-place inputs only
  const num = BigInt(q) * scaled(a) + BigInt(r) * scaled(c); // × 1e5
  const den = BigInt(q + r);
  const q5 = (num * 2n + den) / (2n * den); // half-up for positives
  return (Number(q5) / 1e5).toFixed(5).replace(/0+$/, "").replace(/\.$/, "");
}

describe("the average-cost rule", () => {
  const avg = (q: string, a: string, r: string, c: string) => txt(nextAverage(d(q), d(a), d(r), d(c)));

  it("blends stock coming in, rounded half-up to 5 places", () => {
    expect(avg("10", "9.5", "5", "10.1")).toBe("9.7");
    expect(avg("2", "10", "1", "10.01")).toBe("10.00333");
    expect(avg("1", "1.00001", "1", "1")).toBe("1.00001"); // 1.000005 rounds up
    expect(avg("37", "24", "18", "24.84")).toBe(expectedAverage(37, "24", 18, "24.84"));
  });

  it("takes the incoming cost when there was no stock, and keeps the average for stock leaving at it", () => {
    expect(avg("0", "9.5", "4", "10.2")).toBe("10.2");
    expect(avg("-3", "9.5", "5", "10.2")).toBe("10.2");
    expect(avg("-5", "9.5", "3", "10.2")).toBe("10.2");
    expect(avg("10", "9.5", "-4", "9.5")).toBe("9.5");
    expect(avg("10", "9.5", "4", "9.5")).toBe("9.5");
  });

  it("re-averages what stays when stock leaves at another cost, unless nothing stays or value would go negative", () => {
    expect(avg("10", "10", "-2", "12")).toBe("9.5");
    expect(avg("2", "10", "-2", "12")).toBe("10");
    expect(avg("3", "1", "-2", "5")).toBe("1");
  });

  it("divides exactly, halves away from zero", () => {
    expect(txt(divRound(d(-1), d(3), 2))).toBe("-0.33");
    expect(txt(divRound(d(-2), d(3), 2))).toBe("-0.67");
    expect(txt(divRound(d("0.5"), d("-0.04"), 1))).toBe("-12.5");
  });
});

function setup() {
  let now = T0;
  const sb = createPosSandbox({ days: 0, inventory: true, now: () => now });
  const store = sb.store("demo");
  const [montreal, quebec] = Object.values(store.outlets);
  const product = (sku: string) => Object.values(store.products).find((p) => p.sku === sku)!;
  const level = (sku: string, outletId = montreal!.id) => store.inventory.levels[levelKey(product(sku).id, outletId)]!;
  const reg = Object.values(store.registers).find((r) => r.outletId === montreal!.id)!.id;
  sb.openRegister("demo", reg);
  return {
    sb,
    store,
    montreal: montreal!.id,
    quebec: quebec!.id,
    product,
    level,
    reg,
    tick(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
    /** A purchase order at a cost of our choosing, received at once. */
    receive(sku: string, quantity: number, costPrice: string, outletId = montreal!.id) {
      const p = product(sku);
      const po = createPurchaseOrder(store, {
        supplierId: p.supplierId!,
        outletId,
        at: now.toISOString(),
        lines: [{ productId: p.id, quantity: String(quantity), costPrice }],
      });
      sb.receivePurchaseOrder("demo", po.id, { at: now.toISOString() });
    },
  };
}

function refusal(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PosSandboxError) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("stock and cost through sales", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it("takes stock at the average when sold, and a line carries cost and cost_total", () => {
    const tee = t.level("TOP-100");
    const before = Number(tee.onHand);
    expect(tee.averageCost).toBe("9.5");
    const sale = t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: tee.productId, quantity: 2 }] });
    expect(sale.line_items[0]!.pricing).toMatchObject({ cost: 9.5, cost_total: 19 });
    expect(Number(tee.onHand)).toBe(before - 2);
  });

  it("moves the average on a receipt at a new cost; a return comes back at the cost of the line it returns", () => {
    const tee = t.level("TOP-100");
    const sold = t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: tee.productId, quantity: 3 }] });
    const q = Number(tee.onHand);
    t.tick(10);
    t.receive("TOP-100", 24, "10.13");
    expect(tee.averageCost).toBe(expectedAverage(q, "9.5", 24, "10.13"));
    const afterReceipt = tee.averageCost;
    t.tick(10);
    const second = t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: tee.productId }] });
    expect(second.line_items[0]!.pricing.cost).toBe(Number(afterReceipt));

    const onHand = Number(tee.onHand);
    const ret = t.sb.returnSale("demo", sold.id, {
      registerId: t.reg,
      lines: [{ lineId: sold.line_items[0]!.id, quantity: 1 }],
    });
    expect(ret.line_items[0]!.pricing).toMatchObject({ cost: 9.5, cost_total: -9.5 });
    expect(Number(tee.onHand)).toBe(onHand + 1);
    expect(tee.averageCost).toBe(expectedAverage(onHand, afterReceipt, 1, "9.5"));
  });

  it("puts a voided sale's stock back; a parked sale takes none", () => {
    const tee = t.level("TOP-100");
    const before = tee.onHand;
    const parked = t.sb.addSale("demo", { registerId: t.reg, kind: "parked", lines: [{ productId: tee.productId }] });
    expect(tee.onHand).toBe(before);
    expect(parked.line_items[0]!.pricing.cost).toBe(9.5);
    const sale = t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: tee.productId, quantity: 2 }] });
    expect(Number(tee.onHand)).toBe(Number(before) - 2);
    t.sb.voidSale("demo", sale.id);
    expect(tee.onHand).toBe(before);
    t.sb.voidSale("demo", parked.id);
    expect(tee.onHand).toBe(before);
    const kinds = t.store.inventory.moves.filter((m) => m.sourceId === sale.id).map((m) => [m.kind, m.quantity]);
    expect(kinds).toEqual([
      ["sale", "-2"],
      ["void", "2"],
    ]);
  });

  it("gives gift cards, discounts and services no cost and moves no stock for them", () => {
    const service = t.product("SRV-900");
    expect(service.hasInventory).toBe(false);
    const moves = t.store.inventory.moves.length;
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [
        { productId: service.id },
        { productId: t.store.retailer.giftCardProductId, unitPrice: "25.00" },
        { productId: t.product("HOM-130").id },
      ],
      saleDiscountPercent: "10",
    });
    const costs = sale.line_items.map((l) => [
      t.store.products[l.product.id]!.sku,
      l.pricing.cost,
      l.pricing.cost_total,
    ]);
    expect(costs).toEqual([
      ["SRV-900", 0, 0],
      ["gift-card", 0, 0],
      ["HOM-130", 7.7, 7.7],
      ["vend-discount", 0, 0],
    ]);
    expect(t.store.inventory.moves.length).toBe(moves + 1);
    expect(t.store.inventory.levels[levelKey(service.id, t.montreal)]).toBeUndefined();
  });

  it("takes stock for an on-account sale when it is made", () => {
    const mug = t.level("HOM-131");
    const before = Number(mug.onHand);
    const customer = Object.values(t.store.customers).find((c) => c.onAccountLimit !== null)!;
    t.sb.addSale("demo", {
      registerId: t.reg,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: mug.productId, quantity: 3 }],
    });
    expect(Number(mug.onHand)).toBe(before - 3);
  });
});

describe("supplier returns, transfers, stocktakes and adjustments", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it("sends a supplier return: stock leaves at its cost (re-averaging what stays); a cancelled one moves nothing", () => {
    const tee = t.level("TOP-100");
    t.receive("TOP-100", 20, "10.40");
    const [q, a] = [Number(tee.onHand), tee.averageCost];
    const supplierId = t.product("TOP-100").supplierId!;
    const open = t.sb.inventory.createSupplierReturn("demo", {
      supplierId,
      outletId: t.montreal,
      lines: [{ productId: tee.productId, quantity: 2 }],
    });
    expect(open).toMatchObject({ type: "RETURN", status: "OPEN", supplier_id: supplierId, source_outlet_id: null });
    expect(Number(tee.onHand)).toBe(q);
    const sent = t.sb.inventory.sendConsignment("demo", open.id);
    expect(sent.status).toBe("SENT");
    expect(Number(tee.onHand)).toBe(q - 2);
    // returned at the supply price 9.50 (the default credit price), not the average
    expect(tee.averageCost).toBe(expectedAverage(q, a, -2, "9.5"));
    expect(refusal(() => t.sb.inventory.sendConsignment("demo", open.id)).status).toBe(409);
    expect(refusal(() => t.sb.inventory.cancelConsignment("demo", open.id)).status).toBe(409);

    const other = t.sb.inventory.createSupplierReturn("demo", {
      supplierId,
      outletId: t.montreal,
      lines: [{ productId: tee.productId, quantity: 1, cost: "9.00" }],
    });
    const onHand = tee.onHand;
    expect(t.sb.inventory.cancelConsignment("demo", other.id).status).toBe("CANCELLED");
    expect(tee.onHand).toBe(onHand);
    expect(t.sb.inventory.supplierReturnFigures("demo", other.id)).toMatchObject({ posts: false, minor: 900 });
  });

  it("refuses a return of a product without inventory or a quantity that is not positive", () => {
    const supplierId = Object.values(t.store.suppliers)[0]!.id;
    const line = (productId: string, quantity: number) => ({
      supplierId,
      outletId: t.montreal,
      lines: [{ productId, quantity }],
    });
    expect(refusal(() => t.sb.inventory.createSupplierReturn("demo", line(t.product("SRV-900").id, 1))).status).toBe(
      422,
    );
    expect(refusal(() => t.sb.inventory.createSupplierReturn("demo", line(t.product("TOP-100").id, 0))).status).toBe(
      400,
    );
  });

  it("transfers at the source's average when sent; the destination blends what it receives", () => {
    const from = t.level("TOP-101");
    const to = t.level("TOP-101", t.quebec);
    t.receive("TOP-101", 12, "25.10");
    const sourceAverage = from.averageCost;
    const [q, a] = [Number(to.onHand), to.averageCost];
    const transfer = t.sb.inventory.createTransfer("demo", {
      sourceOutletId: t.montreal,
      outletId: t.quebec,
      lines: [{ productId: from.productId, quantity: 5 }],
    });
    expect(transfer).toMatchObject({
      type: "OUTLET",
      status: "OPEN",
      outlet_id: t.quebec,
      source_outlet_id: t.montreal,
    });
    expect(t.store.inventory.consignments[transfer.id]!.products[0]!.cost).toBeNull();
    const fromBefore = Number(from.onHand);
    t.sb.inventory.sendConsignment("demo", transfer.id);
    expect(Number(from.onHand)).toBe(fromBefore - 5);
    expect(from.averageCost).toBe(sourceAverage);
    expect(t.store.inventory.consignments[transfer.id]!.products[0]!.cost).toBe(sourceAverage);
    const received = t.sb.inventory.receiveTransfer("demo", transfer.id, {
      lines: [{ productId: from.productId, quantity: 4 }],
    });
    expect(received.status).toBe("RECEIVED");
    expect(received.received_at).not.toBeNull();
    expect(Number(to.onHand)).toBe(q + 4);
    expect(to.averageCost).toBe(expectedAverage(q, a, 4, sourceAverage));
    const figures = t.sb.inventory.transferFigures("demo", transfer.id);
    expect(cmpDec(d(figures.sent.exact), mulDec(d(5), d(sourceAverage)))).toBe(0);
    expect(cmpDec(d(figures.received.exact), mulDec(d(4), d(sourceAverage)))).toBe(0);
    expect(refusal(() => t.sb.inventory.receiveTransfer("demo", transfer.id)).status).toBe(409);
  });

  it("runs a stocktake: expected and cost fixed when processed, stock moved by counted − expected on completion", () => {
    const [a, b, c] = ["TOP-100", "BOT-108", "HOM-131"].map((sku) => t.level(sku));
    const counts = [
      { productId: a!.productId, counted: Number(a!.onHand) + 2 },
      { productId: b!.productId, counted: Number(b!.onHand) - 3 },
      { productId: c!.productId, counted: Number(c!.onHand) },
    ];
    const st = t.sb.inventory.runStocktake("demo", {
      outletId: t.montreal,
      productIds: counts.map((x) => x.productId),
      counts,
      complete: false,
    });
    expect(st).toMatchObject({
      status: "STOCKTAKE_IN_PROGRESS_PROCESSED",
      total_count_gain: 2,
      total_count_loss: 3,
      total_cost_gain: 19,
      total_cost_loss: 96,
    });
    // a sale between processing and completion stays counted
    t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: b!.productId }] });
    const done = t.sb.inventory.completeStocktake("demo", st.id);
    expect(done.status).toBe("STOCKTAKE_COMPLETE");
    expect(Number(a!.onHand)).toBe(counts[0]!.counted);
    expect(Number(b!.onHand)).toBe(counts[1]!.counted - 1);
    expect(Number(c!.onHand)).toBe(counts[2]!.counted);
    expect(t.sb.inventory.stocktakeFigures("demo", st.id)).toMatchObject({
      posts: true,
      gain: { minor: 1900 },
      loss: { minor: 9600 },
      net: { exact: "-77", minor: -7700 },
    });
    expect(refusal(() => t.sb.inventory.cancelConsignment("demo", st.id)).status).toBe(409);
  });

  it("records adjustments at the average of the moment, by the spec's sign rules", () => {
    const tee = t.level("TOP-100");
    const adj = (reason: string, quantity: number, customReasonId?: string) => () =>
      t.sb.inventory.recordAdjustment("demo", {
        outletId: t.montreal,
        productId: tee.productId,
        quantity,
        reason: reason as "DAMAGE",
        ...(customReasonId ? { customReasonId } : {}),
      });
    for (const reason of ["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"])
      expect(refusal(adj(reason, 1)).status, reason).toBe(422);
    for (const reason of ["STOCK_FOUND", "SAMPLE_FOR_SALE"]) expect(refusal(adj(reason, -1)).status, reason).toBe(422);
    expect(refusal(adj("CUSTOM", -1)).status).toBe(422);
    const [negative, positive] = Object.values(t.store.inventory.customReasons);
    expect([negative!.type, positive!.type]).toEqual(["NEGATIVE", "POSITIVE"]);
    expect(refusal(adj("CUSTOM", 1, negative!.id)).status).toBe(422);
    expect(refusal(adj("THEFT", -1, negative!.id)).status).toBe(422);
    const before = Number(tee.onHand);
    const theft = adj("THEFT", -2)();
    expect(theft).not.toHaveProperty("custom_inventory_adjustment_reason_id");
    expect(adj("CUSTOM", -1, negative!.id)()).toMatchObject({
      reason: "CUSTOM",
      custom_inventory_adjustment_reason_id: negative!.id,
    });
    expect(Number(tee.onHand)).toBe(before - 3);
    const disabled = t.sb.inventory.createCustomReason("demo", {
      name: "Old reason",
      type: "NEGATIVE",
      enabled: false,
    });
    expect(refusal(adj("CUSTOM", -1, disabled.id)).message).toMatch(/disabled/);

    // the record keeps the average it moved at; the API later answers the current one
    t.receive("TOP-100", 30, "11.00");
    const figure = t.sb.inventory.adjustmentFigures("demo").adjustments.find((a) => a.id === theft.id)!;
    expect(figure).toMatchObject({ unitCost: "9.5", exact: "-19", minor: -1900 });
    expect(figure.currentAverage).toBe(tee.averageCost);
    expect(t.sb.inventory.level("demo", tee.productId, t.montreal).average_cost).toBeGreaterThan(9.5);
  });
});

const strip = (store: StoreState) => {
  const copy = JSON.parse(JSON.stringify(store)) as Partial<StoreState>;
  delete copy.inventory;
  for (const sale of Object.values(copy.sales!)) for (const line of sale.lines) delete line.cost;
  return JSON.stringify(copy);
};
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("stores without the inventory option", () => {
  // sha-256 of the stores generated before inventory existed (commit cbcaa17), and of their sales' API
  // JSON. Inventory only adds records (the store's `inventory`, each line's `cost`); it draws nothing
  // from the trading stream and takes no version from the store's counter.
  const GOLDEN: Record<number, Record<string, [string, string]>> = {
    42: {
      demo: [
        "faa1069f35adb16da9c10b5913843eb3c18ddd973deddf8b9684b10120ed8615",
        "cae6e323829628b8eed21ee827c215515413f80b6f001a9c7bb46d7831e8d389",
      ],
      "demo-us": [
        "0449f942ce54a7f43cdba877ebde537a806ceb4c2e8b1fed94766e9571767cc1",
        "6cccc2a5b0f11a2cc73eea43b3046d20cd6fcf1ffeb1987a68f14dae72e2d026",
      ],
    },
    20261001: {
      demo: [
        "c6201b3cc208cb85421e652a10178118968a391fc06a0300b6d580bb7ef2acd8",
        "c7ce3a4c301a6d49e5b4abe4bd34399a4d15e61c9dcbd2edf6bd7d82889b4721",
      ],
      "demo-us": [
        "8edb3db122abe79cfd4cf3eb33babffecdf718f1260f3043d4c6cc6ad627a49e",
        "ff0d6dd292437846c03642f9224d32f3960fa2f6ca331d27417280fc11527be7",
      ],
    },
  };

  it.each([42, 20261001])(
    "trade byte-identically to before (seed %i), sale costs included",
    (seed) => {
      const sb = createPosSandbox({ seed, stores: ["ca", "us"], defaults: "today" });
      for (const prefix of ["demo", "demo-us"]) {
        const store = sb.store(prefix);
        const sales = Object.values(store.sales).map((s) => saleJson(store, s));
        expect([sha(strip(store)), sha(JSON.stringify(sales))], prefix).toEqual(GOLDEN[seed]![prefix]);
        expect(store.inventory.enabled).toBe(false);
        expect(Object.keys(store.inventory.consignments)).toEqual([]);
        expect(Object.keys(store.inventory.adjustments)).toEqual([]);
      }
    },
    60_000,
  );
});

describe("a state saved before stores had inventory", () => {
  it("gets opening stock on import and sells from it; its old sales stay out of the figures", () => {
    const old = createPosSandbox({ days: 2, now: () => T0 });
    const state = JSON.parse(old.exportState()) as { stores: Record<string, Partial<StoreState>> };
    for (const store of Object.values(state.stores)) {
      delete store.inventory;
      for (const sale of Object.values(store.sales!)) for (const line of sale.lines) delete line.cost;
    }
    const sb = createPosSandbox({ days: 0, now: () => T0 });
    sb.importState(JSON.stringify(state));
    const store = sb.store("demo");
    expect(Object.keys(store.inventory.levels)).toHaveLength(76);
    const reg = Object.values(store.registers)[0]!;
    sb.openRegister("demo", reg.id);
    const tee = Object.values(store.products).find((p) => p.sku === "TOP-100")!;
    const sale = sb.addSale("demo", { registerId: reg.id, lines: [{ productId: tee.id }] });
    expect(sale.line_items[0]!.pricing.cost).toBe(9.5);
    const rf = sb.inventory.rollForward("demo", "2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z");
    expect(rf.outlets.map((o) => o.difference)).toEqual(["0", "0"]);
    expect(rf.outlets[0]!.cogs.exact).toBe("9.5");
  });
});

describe("generated days with the inventory option", () => {
  let sb: PosSandbox;
  let store: StoreState;
  beforeAll(() => {
    sb = createPosSandbox({ seed: 42, stores: ["ca", "us"], inventory: true });
    store = sb.store("demo");
  }, 60_000);

  it("carry weekly supplier returns (and a cancelled one), monthly stocktakes, transfers and restocks", () => {
    const consignments = Object.values(store.inventory.consignments);
    const of = (type: string, status: string) => consignments.filter((c) => c.type === type && c.status === status);
    expect(of("RETURN", "SENT").length).toBeGreaterThanOrEqual(4);
    expect(of("RETURN", "CANCELLED").length).toBeGreaterThanOrEqual(2);
    const [montreal, quebec] = Object.keys(store.outlets);
    const stocktakes = of("STOCKTAKE", "STOCKTAKE_COMPLETE");
    expect(stocktakes.map((c) => c.outletId)).toEqual([montreal, quebec]);
    for (const st of stocktakes) {
      const f = sb.inventory.stocktakeFigures("demo", st.id);
      expect(Number(f.gainCount), st.name).toBeGreaterThan(0);
      expect(Number(f.lossCount), st.name).toBeGreaterThan(0);
    }
    const transfers = of("OUTLET", "RECEIVED");
    expect(transfers.length).toBeGreaterThanOrEqual(4);
    expect(transfers.every((c) => c.sourceOutletId === montreal && c.outletId === quebec)).toBe(true);
    const restocks = Object.values(store.purchaseOrders).filter((po) => po.notes === "Réassort hebdomadaire");
    expect(restocks.length).toBeGreaterThanOrEqual(6);
    expect(new Set(restocks.map((po) => po.outletId))).toEqual(new Set([montreal, quebec]));
  });

  it("carry damage and theft most weeks and every other reason at least once", () => {
    const reasons = Object.values(store.inventory.adjustments).map((a) => a.reason);
    expect(reasons.filter((r) => r === "DAMAGE").length).toBeGreaterThanOrEqual(6);
    expect(reasons.filter((r) => r === "THEFT").length).toBeGreaterThanOrEqual(3);
    expect(new Set(reasons)).toEqual(
      new Set(["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION", "STOCK_FOUND", "SAMPLE_FOR_SALE", "CUSTOM"]),
    );
    const customTypes = Object.values(store.inventory.adjustments)
      .filter((a) => a.reason === "CUSTOM")
      .map((a) => store.inventory.customReasons[a.customReasonId!]!.type);
    expect(new Set(customTypes)).toEqual(new Set(["POSITIVE", "NEGATIVE"]));
  });

  it("move averages off the supply price (5-place averages) and sell the service at no cost", () => {
    const odd = Object.values(store.inventory.levels).filter((l) => (l.averageCost.split(".")[1] ?? "").length > 2);
    expect(odd.length).toBeGreaterThan(5);
    const service = Object.values(store.products).find((p) => p.hasInventory === false)!;
    const lines = Object.values(store.sales).flatMap((s) => s.lines.filter((l) => l.productId === service.id));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.cost === "0")).toBe(true);
    expect(Object.values(store.inventory.levels).every((l) => Number(l.onHand) >= 0)).toBe(true);
  });

  // Generating days is CPU work: these budgets are for a loaded machine, not a race.
  it("are deterministic: the same seed gives the same store", () => {
    const again = createPosSandbox({ seed: 42, inventory: true });
    expect(JSON.stringify(again.store("demo"))).toBe(JSON.stringify(store));
  }, 60_000);

  it("continue identically one day at a time", () => {
    const stepwise = createPosSandbox({ seed: 42, days: 28, inventory: true });
    stepwise.advanceDay("demo", 2);
    expect(JSON.stringify(stepwise.store("demo"))).toBe(JSON.stringify(store));
  }, 60_000);

  it("differ with another seed", () => {
    const [a, b] = [42, 7].map((seed) => createPosSandbox({ seed, days: 5, inventory: true }).store("demo").inventory);
    expect(JSON.stringify(a!.adjustments)).not.toBe(JSON.stringify(b!.adjustments));
    expect(JSON.stringify(a!.levels)).not.toBe(JSON.stringify(b!.levels));
  }, 60_000);
});
