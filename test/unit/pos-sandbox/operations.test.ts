import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { PosSandboxError } from "../../../sandbox/pos/store";
import type { StoreState } from "../../../sandbox/pos/types";
import { cents, minor } from "./api-json";

/** The operations behind the control routes: their rules, their refusals, and what they leave behind. */

const T0 = new Date("2026-11-10T15:00:00Z");

function setup() {
  let now = T0;
  const sb = createPosSandbox({ days: 3, now: () => now });
  const store = sb.store("demo");
  const type = (name: string) => Object.values(store.paymentTypes).find((p) => p.name === name)!.id;
  const product = (sku: string) => Object.values(store.products).find((p) => p.sku === sku)!;
  const registers = Object.values(store.registers);
  const customer = Object.values(store.customers).find((c) => c.companyName !== null)!;
  return {
    sb,
    store,
    type,
    product,
    reg: registers[0]!.id,
    reg2: registers[2]!.id,
    customer,
    tick(ms: number) {
      now = new Date(now.getTime() + ms);
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

const expectedOf = (sb: PosSandbox, closureId: string, name: string) =>
  minor(
    sb
      .closures("demo")
      .find((c) => c.id === closureId)!
      .payments.find((p) => p.name === name)!.expected,
  );

describe("selling", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
    t.sb.openRegister("demo", t.reg);
  });

  it("rounds a cash remainder to 0.05 and records the rounding; a card pays exactly", () => {
    const tee = t.product("TOP-100").id; // 24.99 + GST 1.2495 + QST 2.4927525 → 28.73
    const cash = t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: tee }] });
    expect(cash.totals.price_incl_tax).toBe(28.73);
    expect(cash.payments.map((p) => p.amount)).toEqual([28.75]);
    expect(cash.adjustments).toEqual([
      { adjustment_type: "ROUNDING", name: "Rounding", tax_components: [], total: 0.02 },
    ]);
    const card = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: tee }],
      payments: [{ paymentTypeId: t.type("Credit Card") }],
    });
    expect(card.payments.map((p) => p.amount)).toEqual([28.73]);
    expect(card.adjustments).toEqual([]);
  });

  it("splits a payment and refuses payments that do not add up", () => {
    const jeans = t.product("BOT-108").id;
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: jeans }],
      payments: [{ paymentTypeId: t.type("Debit"), amount: "50.00" }, { paymentTypeId: t.type("Cash") }],
    });
    const rounding = sale.adjustments.reduce((a, x) => a + cents(x.total), 0);
    expect(sale.payments[0]!.amount).toBe(50);
    expect(cents(sale.payments[1]!.amount) % 5).toBe(0);
    expect(cents(sale.payments[0]!.amount) + cents(sale.payments[1]!.amount) - rounding).toBe(
      cents(sale.totals.price_incl_tax),
    );
    const before = Object.keys(t.store.sales).length;
    expect(
      refusal(() =>
        t.sb.addSale("demo", {
          registerId: t.reg,
          lines: [{ productId: jeans }],
          payments: [{ paymentTypeId: t.type("Debit"), amount: "10.00" }],
        }),
      ).status,
    ).toBe(400);
    expect(Object.keys(t.store.sales)).toHaveLength(before);
  });

  it("prices line discounts and a sale-level discount per tax", () => {
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [
        { productId: t.product("TOP-100").id, quantity: 2, discountPercent: 10 },
        { productId: t.product("BOO-126").id, discount: "2.00" },
      ],
      saleDiscountPercent: 10,
      payments: [{ paymentTypeId: t.type("Credit Card") }],
    });
    const discountLines = sale.line_items.filter((l) => l.product.id === t.store.retailer.discountProductId);
    expect(discountLines).toHaveLength(2); // one per tax: GST + QST, and GST only (books)
    expect(sale.line_items[0]!.pricing).toMatchObject({
      price: 22.491,
      discount: 2.499,
      total: 44.98,
      discount_total: 5,
    });
    expect(discountLines.map((l) => l.pricing.total)).toEqual([-4.5, -1.62]);
  });

  it("refuses a sale on a closed register, an unknown product and a deleted payment type", () => {
    const tee = t.product("TOP-100").id;
    expect(refusal(() => t.sb.addSale("demo", { registerId: t.reg2, lines: [{ productId: tee }] })).status).toBe(409);
    expect(refusal(() => t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: "nope" }] })).status).toBe(404);
    expect(
      refusal(() =>
        t.sb.addSale("demo", {
          registerId: t.reg,
          lines: [{ productId: tee }],
          payments: [{ paymentTypeId: t.type("Chèque") }],
        }),
      ).status,
    ).toBe(409);
    expect(
      refusal(() =>
        t.sb.addSale("demo", { registerId: t.reg, at: "2026-11-10T14:59:00Z", lines: [{ productId: tee }] }),
      ).message,
    ).toMatch(/before register Caisse 1 opened/);
  });

  it("sells, reloads and redeems gift cards, refusing a redemption beyond the balance", () => {
    const gc = t.store.retailer.giftCardProductId;
    const sold = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: gc, unitPrice: "50.00", giftCardNumber: "9000000000000001" }],
    });
    expect(sold.line_items[0]).toMatchObject({ gift_card_number: "9000000000000001", tax: { total: 0 } });
    t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: gc, unitPrice: "25.00", giftCardNumber: "9000000000000001" }],
    });
    const card = Object.values(t.store.giftCards).find((g) => g.number === "9000000000000001")!;
    expect(card.transactions.map((x) => [x.type, x.amount])).toEqual([
      ["ACTIVATION", 5000],
      ["RELOADING", 2500],
    ]);
    const big = t.product("HOM-133").id; // 119.00
    expect(
      refusal(() =>
        t.sb.addSale("demo", {
          registerId: t.reg,
          lines: [{ productId: big }],
          payments: [{ paymentTypeId: t.type("Gift Card"), amount: "136.82", giftCardNumber: "9000000000000001" }],
        }),
      ).status,
    ).toBe(422);
    expect(card.transactions).toHaveLength(2);
    const paid = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: big }],
      payments: [
        { paymentTypeId: t.type("Gift Card"), amount: "75.00", giftCardNumber: "9000000000000001" },
        { paymentTypeId: t.type("Credit Card") },
      ],
    });
    expect(paid.payments.map((p) => p.amount)).toEqual([75, 61.82]);
    expect(card.status).toBe("REDEEMED");
  });

  it("puts a sale on account and takes its payments later, in the paying register's sequence", () => {
    const tee = t.product("TOP-100").id;
    expect(
      refusal(() => t.sb.addSale("demo", { registerId: t.reg, kind: "onaccount", lines: [{ productId: tee }] })).status,
    ).toBe(400);
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      kind: "onaccount",
      customerId: t.customer.id,
      lines: [{ productId: tee, quantity: 4 }],
    });
    expect(sale).toMatchObject({ state: "pending", attributes: ["onaccount"], payments: [] });
    const first = t.sb.closeRegister("demo", t.reg);
    t.tick(86_400_000);
    const second = t.sb.openRegister("demo", t.reg2);
    t.sb.payOnAccount("demo", sale.id, {
      registerId: t.reg2,
      payments: [{ paymentTypeId: t.type("Debit"), amount: "50.00" }],
    });
    expect(
      refusal(() =>
        t.sb.payOnAccount("demo", sale.id, {
          registerId: t.reg2,
          payments: [{ paymentTypeId: t.type("Debit"), amount: "999.00" }],
        }),
      ).status,
    ).toBe(400);
    const paid = t.sb.payOnAccount("demo", sale.id, {
      registerId: t.reg2,
      payments: [{ paymentTypeId: t.type("Lightspeed Payments") }],
    });
    expect(paid.state).toBe("closed");
    expect(paid._metadata.complete_open_sequence_id).toBe(first.id);
    expect(paid.payments.every((p) => p._metadata.register_open_sequence_id === second.id)).toBe(true);
    expect(paid.payments.reduce((a, p) => a + cents(p.amount), 0)).toBe(cents(paid.totals.price_incl_tax));
    const f = t.sb.closureFigures("demo", second.id);
    expect(f.sales.saleIds).not.toContain(sale.id);
    expect(f.accountPayments.reduce((a, x) => a + x.amountMinor, 0)).toBe(cents(paid.totals.price_incl_tax));
  });

  it("voids a sale while its closure is open (its payments leave the expected), and after close too", () => {
    const tee = t.product("TOP-100").id;
    const kept = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: tee }],
      payments: [{ paymentTypeId: t.type("Credit Card") }],
    });
    const voided = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: tee }],
      payments: [{ paymentTypeId: t.type("Credit Card") }],
    });
    expect(t.sb.voidSale("demo", voided.id).state).toBe("voided");
    const closure = t.sb.closeRegister("demo", t.reg);
    expect(expectedOf(t.sb, closure.id, "Credit Card")).toBe(cents(kept.totals.price_incl_tax));
    // later, from the sales history: the POS's closure record keeps its figures, the books drop the sale
    t.tick(3_600_000);
    expect(t.sb.voidSale("demo", kept.id).state).toBe("voided");
    expect(expectedOf(t.sb, closure.id, "Credit Card")).toBe(cents(kept.totals.price_incl_tax));
    const f = t.sb.closureFigures("demo", closure.id);
    const card = f.payments.find((p) => p.name === "Credit Card")!;
    expect(card).toMatchObject({ expectedMinor: 0, countedMinor: 0, discrepancyMinor: 0 });
    expect(card.expectedAtCloseMinor).toBe(cents(kept.totals.price_incl_tax));
    expect(f.sales.saleIds).not.toContain(kept.id);
    expect(f.voidedAfterClose).toEqual([
      { saleId: kept.id, paymentTypeId: t.type("Credit Card"), amountMinor: cents(kept.totals.price_incl_tax) },
    ]);
  });

  it("closes with counted totals: a missing type counts as expected, bad amounts are refused", () => {
    t.sb.addSale("demo", { registerId: t.reg, lines: [{ productId: t.product("TOP-100").id }] });
    expect(refusal(() => t.sb.closeRegister("demo", t.reg, { [t.type("Cash")]: "12.345" })).status).toBe(400);
    const closure = t.sb.closeRegister("demo", t.reg, { [t.type("Cash")]: "20.00" });
    const cash = closure.payments.find((p) => p.name === "Cash")!;
    expect(cash).toEqual({ payment_type_id: t.type("Cash"), name: "Cash", expected: "28.75", counted: "20.00" });
    expect(closure.payments.find((p) => p.name === "Debit")).toMatchObject({ expected: "0.00", counted: "0.00" });
    expect(t.sb.closureFigures("demo", closure.id).payments.find((p) => p.name === "Cash")!.discrepancyMinor).toBe(
      -875,
    );
    expect(refusal(() => t.sb.closeRegister("demo", t.reg)).status).toBe(409);
  });
});

describe("returns", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
    t.sb.openRegister("demo", t.reg);
  });

  it("gives back a sale-level discount in proportion, and exactly in full over several returns", () => {
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      customerId: t.customer.id,
      lines: [{ productId: t.product("TOP-100").id, quantity: 3 }, { productId: t.product("HOM-130").id }],
      saleDiscountPercent: 15,
      payments: [{ paymentTypeId: t.type("Credit Card") }],
    });
    const [a, b] = sale.line_items;
    const r1 = t.sb.returnSale("demo", sale.id, {
      registerId: t.reg,
      lines: [{ lineId: a!.id, quantity: 1 }],
      refunds: [{ paymentTypeId: t.type("Credit Card") }],
    });
    const r2 = t.sb.returnSale("demo", sale.id, {
      registerId: t.reg,
      refunds: [{ paymentTypeId: t.type("Store Credit") }],
    });
    expect(r1.return).toMatchObject({ is_return: true, original_sale_id: sale.id });
    const total = (x: typeof sale) => cents(x.totals.price_incl_tax);
    expect(total(r1) + total(r2)).toBe(-total(sale));
    expect(cents(r1.totals.price) + cents(r2.totals.price)).toBe(-cents(sale.totals.price));
    expect(r2.line_items.find((l) => l.product.id === b!.product.id)!.quantity).toBe(-1);
    expect(t.sb.store("demo").sales[sale.id]!.returnSaleIds).toEqual([r1.id, r2.id]);
    expect(refusal(() => t.sb.returnSale("demo", sale.id, { registerId: t.reg })).status).toBe(409);
    expect(refusal(() => t.sb.returnSale("demo", r1.id, { registerId: t.reg })).status).toBe(409);
    const credit = t.store.storeCredits[t.customer.id]!.transactions.at(-1)!;
    expect(credit).toMatchObject({ type: "ISSUE", saleId: r2.id, amount: -total(r2) });
  });

  it("refuses to return more than is left on a line", () => {
    const sale = t.sb.addSale("demo", {
      registerId: t.reg,
      lines: [{ productId: t.product("TOP-100").id, quantity: 2 }],
    });
    expect(
      refusal(() =>
        t.sb.returnSale("demo", sale.id, {
          registerId: t.reg,
          lines: [{ lineId: sale.line_items[0]!.id, quantity: 3 }],
        }),
      ).status,
    ).toBe(400);
  });
});

describe("stock, liabilities and time", () => {
  let t: ReturnType<typeof setup>;
  let store: StoreState;
  beforeEach(() => {
    t = setup();
    store = t.store;
  });

  it("receives a purchase order partially, then closes it with `final`, costs validated", () => {
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT")!;
    const line = po.lines[0]!;
    expect(
      refusal(() =>
        t.sb.receivePurchaseOrder("demo", po.id, {
          lines: [{ productId: line.productId, quantity: 1 }],
          costs: [{ type: "SHIPPING", amount: "-3" }],
        }),
      ).status,
    ).toBe(400);
    const first = t.sb.receivePurchaseOrder("demo", po.id, {
      lines: [{ productId: line.productId, quantity: 1 }],
      costs: [{ type: "FREIGHT", amount: "9.99" }],
    });
    expect(first.costs.map((c) => [c.type, c.amount])).toEqual([["FREIGHT", "9.99"]]);
    expect(po.status).toBe("PARTIALLY_RECEIVED");
    t.sb.receivePurchaseOrder("demo", po.id, { lines: [{ productId: line.productId, quantity: 1 }], final: true });
    expect(po.status).toBe("RECEIVED");
    expect(refusal(() => t.sb.receivePurchaseOrder("demo", po.id)).status).toBe(409);
  });

  it("expires a gift card's balance with a negative EXPIRING transaction", () => {
    const card = Object.values(store.giftCards).find((g) => g.status === "ACTIVE" && g.saleId === null)!;
    const json = t.sb.expireGiftCard("demo", card.number);
    expect(json.status).toBe("EXPIRED");
    expect(json.balance).toBe("0.00");
    expect(json.gift_card_transactions.at(-1)).toMatchObject({ type: "EXPIRING", amount: `-${json.total_sold}` });
    expect(refusal(() => t.sb.expireGiftCard("demo", card.number)).status).toBe(409);
  });

  it("issues store credit by hand (no sale)", () => {
    const person = Object.values(store.customers).find((c) => c.companyName === null)!;
    t.sb.issueStoreCredit("demo", person.id, "12.50", "Sorry for the wait");
    expect(store.storeCredits[person.id]!.transactions.at(-1)).toMatchObject({
      type: "ISSUE",
      amount: 1250,
      saleId: null,
      notes: "Sorry for the wait",
    });
  });

  it("advances trading a day at a time, continuing scheduled account payments, like the seeded days", () => {
    const longer = createPosSandbox({ days: 4 });
    const next = createPosSandbox({ days: 3 });
    next.advanceDay("demo");
    expect(next.closures("demo")).toHaveLength(12);
    expect(JSON.stringify(next.store("demo").sales)).toBe(JSON.stringify(longer.store("demo").sales));
    next.openRegister("demo", Object.keys(next.store("demo").registers)[0]!);
    expect(() => next.advanceDay("demo")).toThrow(/close it before advancing/);
  });

  it("exports and imports its whole state, and carries on identically after an import", () => {
    const a = createPosSandbox({ days: 2 });
    const b = createPosSandbox({ days: 1, seed: 9 });
    b.importState(a.exportState());
    expect(b.exportState()).toBe(a.exportState());
    a.advanceDay("demo");
    b.advanceDay("demo");
    expect(b.exportState()).toBe(a.exportState());
    expect(() => b.importState('{"format":"other"}')).toThrow(/not a/);
  });
});
