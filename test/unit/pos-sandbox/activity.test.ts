import { beforeEach, describe, expect, it } from "vitest";
import { customerJson } from "../../../sandbox/pos/api/serialize";
import { createPosSandbox, type StorePreset } from "../../../sandbox/pos/index";
import { PosSandboxError } from "../../../sandbox/pos/store";
import type { StoreState } from "../../../sandbox/pos/types";
import { cents, minor } from "./api-json";

/**
 * SPEC §4's activity, one operation at a time: tips, surcharges, fees and custom charges; loyalty;
 * voided lines and late voids; exchanges; returns on account; cancelled laybys; a hidden sequence id;
 * reference data added after connecting — their rules, refusals and what closureFigures() makes of them.
 */

const T0 = new Date("2026-11-10T00:00:00Z");

function setup(preset: StorePreset, prefix: string) {
  let now = T0;
  const sb = createPosSandbox({ stores: [preset], days: 2, defaults: "today", now: () => now });
  const store = sb.store(prefix);
  const type = (name: string) => Object.values(store.paymentTypes).find((p) => p.name === name)!.id;
  const product = (name: string) => Object.values(store.products).find((p) => p.name === name)!.id;
  const reg = Object.values(store.registers)[0]!.id;
  sb.openRegister(prefix, reg);
  return {
    sb,
    store,
    prefix,
    type,
    product,
    reg,
    customer: (pred: (c: StoreState["customers"][string]) => boolean) => Object.values(store.customers).find(pred)!,
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

describe("tips, card surcharges and custom charges in a tax-inclusive store (AU)", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup("au", "demo-au");
  });

  it("adds a 1.5 % surcharge and a tip to a Lightspeed Payments sale of GST and GST-free goods", () => {
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [
        { productId: t.product("Ceramic pour-over set") },
        { productId: t.product("Single-origin coffee beans 500 g") },
      ],
      payments: [{ paymentTypeId: t.type("Lightspeed Payments"), surchargePercent: "1.5", tip: "5.00" }],
    });
    // 64.95 + 24.00 = 88.95; 1.5 % = 1.33425 → 1.33, spread 0.97 GST (ex 0.88182) and 0.36 GST-free
    expect(sale.payments.map((p) => p.amount)).toEqual([95.28]);
    expect(sale.payments[0]!.surcharge).toEqual({ amount: 1.33, rule: "1.5%" });
    const [gst, free] = Object.values(t.store.taxes).map((x) => x.rates[0]!.id);
    expect(sale.adjustments).toEqual([
      {
        adjustment_type: "SURCHARGE",
        name: "Card surcharge (1.5%)",
        tax_components: [
          { rate_id: gst, total_tax: 0.08818 },
          { rate_id: free, total_tax: 0 },
        ],
        total: 1.24182,
      },
      { adjustment_type: "TIP", name: "Tip", tax_components: [], total: 5 },
    ]);
    expect(sale.line_items.map((l) => l.surcharges.map((s) => s.value))).toEqual([[0.88182], [0.36]]);
    // 59.04545 + 24 + 1.24182 + 5 ex tax; 5.90455 + 0.08818 tax
    expect(sale.totals).toEqual({
      loyalty: 0,
      price: 89.28727,
      price_incl_tax: 95.28,
      surcharge: 1.24182,
      tax: 5.99273,
    });
    const tx = t.sb.lspayTransaction(t.prefix, sale.payments[0]!.id);
    expect(tx.tenders.map((x) => [x.type, x.amount])).toEqual([
      ["SALE", 88.95],
      ["TIP", 5],
      ["SURCHARGE", 1.33],
    ]);
    expect(sale.payments[0]!.source.id).toBe(tx.id);
  });

  it("refuses charges on cash, or on a payment that is not the last", () => {
    const lines = [{ productId: t.product("Linen apron") }];
    expect(
      refusal(() =>
        t.sb.addSale(t.prefix, { registerId: t.reg, lines, payments: [{ paymentTypeId: t.type("Cash"), tip: "2" }] }),
      ).status,
    ).toBe(400);
    expect(
      refusal(() =>
        t.sb.addSale(t.prefix, {
          registerId: t.reg,
          lines,
          payments: [{ paymentTypeId: t.type("EFTPOS"), amount: "10.00", tip: "1" }, { paymentTypeId: t.type("Cash") }],
        }),
      ).message,
    ).toMatch(/only the last payment/);
  });

  it("puts tips, surcharges and custom charges in the closure's figures, each once", () => {
    t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Ceramic pour-over set") }],
      payments: [{ paymentTypeId: t.type("Credit Card"), surchargePercent: "1.5", tip: "3.00" }],
    });
    t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Raw honey 500 g") }],
      customCharges: [{ name: "Gift wrapping", amount: "5.00" }],
      ecommerceOrderId: "W100200",
      payments: [{ paymentTypeId: t.type("Lightspeed Payments") }],
    });
    const closure = t.sb.closeRegister(t.prefix, t.reg);
    const f = t.sb.closureFigures(t.prefix, closure.id);
    expect(f.sales.tipsMinor).toBe(300);
    // 0.97 incl. → 0.88182 ex (rounded once: 0.88); gift wrapping 5.00 incl. → 4.54545 ex
    expect(f.sales.charges.map((c) => [c.type, c.taxName, c.amountExact, c.amountMinor])).toEqual([
      ["SURCHARGE", "GST", "0.88182", 88],
      ["ECOM_CUSTOM_CHARGE", "GST", "4.54545", 455],
    ]);
    expect(f.sales.totalInclTaxMinor + f.sales.cashRoundingMinor).toBe(
      f.regularPayments.reduce((a, p) => a + p.amountMinor, 0),
    );
    expect(Math.abs(f.sales.taxRoundingMinor)).toBeLessThanOrEqual(2);
  });

  it("itemises custom charges beside their compounded adjustment", () => {
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Lip balm") }],
      customCharges: [
        { name: "Gift wrapping", amount: "5.00" },
        { name: "Express delivery", amount: "12.95" },
      ],
      ecommerceOrderId: "W100201",
      payments: [{ paymentTypeId: t.type("Lightspeed Payments") }],
    });
    expect(sale.source).toMatchObject({ type: "ECOMMERCE", id: "W100201" });
    expect(sale.ecom_custom_charges.map((c) => [c.name, c.total, c.total_tax, c.total_incl])).toEqual([
      ["Gift wrapping", 4.54545, 0.45455, 5],
      ["Express delivery", 11.77273, 1.17727, 12.95],
    ]);
    expect(sale.adjustments).toEqual([
      expect.objectContaining({ adjustment_type: "ECOM_CUSTOM_CHARGE", name: "Gift wrapping", total: 16.31818 }),
    ]);
    expect(sale.totals.price_incl_tax).toBe(25.9);
  });
});

describe("a non-cash fee in a tax-exclusive store (US)", () => {
  it("charges 3 % of what the card pays, ex tax, and taxes it with the goods (one rounding per rate)", () => {
    const t = setup("us", "demo-us");
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Organic cotton tee") }],
      payments: [{ paymentTypeId: t.type("Credit Card"), nonCashFeePercent: "3" }],
    });
    // 24.99 + 2.22 = 27.21; 3 % = 0.8163 → 0.82 ex; tax 2.2178625 + 0.072775 = 2.2906375 → 2.29
    expect(sale.adjustments).toEqual([
      {
        adjustment_type: "NON_CASH_FEE",
        name: "Non-cash adjustment",
        tax_components: [{ rate_id: sale.taxes[0]!.id, total_tax: 0.072775 }],
        total: 0.82,
      },
    ]);
    expect(sale.totals).toMatchObject({ price: 25.81, tax: 2.29, price_incl_tax: 28.1 });
    expect(sale.payments.map((p) => p.amount)).toEqual([28.1]);
    expect(t.store.sales[sale.id]!.payments[0]!.fee).toBe(89);
  });
});

describe("loyalty (AU)", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup("au", "demo-au");
  });

  it("earns on a member's lines, redeems up to the balance, and a void gives it back", () => {
    const member = t.customer((c) => c.loyalty === true && c.companyName === null);
    const balance = () => customerJson(t.store, member).loyalty_balance;
    const start = balance();
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      customerId: member.id,
      lines: [{ productId: t.product("Ceramic pour-over set"), quantity: 2 }],
      payments: [{ paymentTypeId: t.type("EFTPOS") }],
    });
    // 64.95 × 0.02 = 1.299 → 1.30 a unit
    expect(sale.line_items[0]!.pricing).toMatchObject({ loyalty_amount: 1.3, loyalty_amount_total: 2.6 });
    expect(sale.totals.loyalty).toBe(2.6);
    expect(balance()).toBeCloseTo(start + 2.6, 10);
    const tooMuch = ((cents(balance()) + 1) / 100).toFixed(2);
    expect(
      refusal(() =>
        t.sb.addSale(t.prefix, {
          registerId: t.reg,
          customerId: member.id,
          lines: [{ productId: t.product("Merino throw") }],
          payments: [{ paymentTypeId: t.type("Loyalty"), amount: tooMuch }, { paymentTypeId: t.type("Cash") }],
        }),
      ).status,
    ).toBe(422);
    const redeemed = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      customerId: member.id,
      lines: [{ productId: t.product("Merino throw") }],
      payments: [{ paymentTypeId: t.type("Loyalty"), amount: "2.00" }, { paymentTypeId: t.type("EFTPOS") }],
    });
    expect(redeemed.payments.map((p) => [p.type.id, p.amount])).toEqual([
      ["106", 2],
      ["4", 147],
    ]);
    const afterRedeem = balance();
    t.sb.voidSale(t.prefix, redeemed.id);
    expect(cents(balance())).toBe(cents(afterRedeem) + 200 - 298); // the 2.00 comes back, 2.98 earned goes
    const stranger = t.customer((c) => c.loyalty !== true);
    expect(
      refusal(() =>
        t.sb.addSale(t.prefix, {
          registerId: t.reg,
          customerId: stranger.id,
          lines: [{ productId: t.product("Lip balm") }],
          payments: [{ paymentTypeId: t.type("Loyalty") }],
        }),
      ).message,
    ).toMatch(/loyalty member/);
  });

  it("keeps Loyalty payments apart in the figures (never counted)", () => {
    const member = t.customer((c) => c.loyalty === true && (c.loyaltyOpening ?? 0) >= 450);
    t.sb.addSale(t.prefix, {
      registerId: t.reg,
      customerId: member.id,
      lines: [{ productId: t.product("Linen apron") }],
      payments: [{ paymentTypeId: t.type("Loyalty"), amount: "4.00" }, { paymentTypeId: t.type("Cash") }],
    });
    const closure = t.sb.closeRegister(t.prefix, t.reg);
    const f = t.sb.closureFigures(t.prefix, closure.id);
    expect(f.loyaltyRedeemedMinor).toBe(400);
    expect(f.payments.find((p) => p.kind === "loyalty")).toMatchObject({ expectedMinor: 400, discrepancyMinor: 0 });
  });
});

describe("voided lines, voids after close", () => {
  it("keeps a voided line on the sale and out of every total", () => {
    const t = setup("uk", "demo-uk");
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Linen shirt") }, { productId: t.product("Wool blanket"), voided: true }],
      payments: [{ paymentTypeId: t.type("Card") }],
    });
    expect(sale.line_items.map((l) => l.status)).toEqual(["CONFIRMED", "VOIDED"]);
    expect(sale.totals).toMatchObject({ price: 54.16667, tax: 10.83333, price_incl_tax: 65 });
    const f = t.sb.closureFigures(t.prefix, t.sb.closeRegister(t.prefix, t.reg).id);
    expect(f.sales.undiscountedByCategory.map((c) => [c.name, c.amountExact])).toEqual([["Womenswear", "54.16667"]]);
  });

  it("voids a line of a pending layby: the total drops, not below what was paid", () => {
    const t = setup("uk", "demo-uk");
    const customer = t.customer((c) => c.companyName === null);
    const layby = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "layby",
      customerId: customer.id,
      lines: [{ productId: t.product("Wool blanket") }, { productId: t.product("Stoneware mug") }],
      payments: [{ paymentTypeId: t.type("Cash"), amount: "10.00" }],
    });
    const after = t.sb.voidLine(t.prefix, layby.id, layby.line_items[0]!.id);
    expect(after.totals.price_incl_tax).toBe(14);
    expect(after.line_items[0]!.status).toBe("VOIDED");
    expect(refusal(() => t.sb.voidLine(t.prefix, layby.id, layby.line_items[1]!.id)).message).toMatch(/exceed/);
  });

  it("voids a Lightspeed Payments sale after close: the transaction is reversed, the record unchanged", () => {
    const t = setup("au", "demo-au");
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Merino throw") }],
      payments: [{ paymentTypeId: t.type("Lightspeed Payments") }],
    });
    const closure = t.sb.closeRegister(t.prefix, t.reg);
    t.tick(86_400_000);
    t.sb.voidSale(t.prefix, sale.id);
    const record = t.sb.closures(t.prefix).find((c) => c.id === closure.id)!;
    expect(minor(record.payments.find((p) => p.name === "Lightspeed Payments")!.expected)).toBe(14900);
    const tx = t.sb.lspayTransaction(t.prefix, sale.payments[0]!.id);
    expect(tx.status).toBe("REVERSED");
    expect(tx.tenders.map((x) => [x.type, x.status])).toEqual([
      ["SALE", "REVERSED"],
      ["REVERSAL", "APPROVED"],
    ]);
    const f = t.sb.closureFigures(t.prefix, closure.id);
    expect(f.sales.saleIds).not.toContain(sale.id);
    expect(f.payments.find((p) => p.name === "Lightspeed Payments")).toMatchObject({
      expectedMinor: 0,
      expectedAtCloseMinor: 14900,
      countedAtCloseMinor: 14900,
      countedMinor: 0,
    });
  });
});

describe("exchanges", () => {
  it("returns one item and takes another in one sale, each in its own category, paying the difference", () => {
    const t = setup("uk", "demo-uk");
    const original = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: t.product("Merino crew jumper") }],
      payments: [{ paymentTypeId: t.type("Card") }],
    });
    const exchange = t.sb.returnSale(t.prefix, original.id, {
      registerId: t.reg,
      newLines: [{ productId: t.product("Kids' cotton pyjamas") }, { productId: t.product("Wool blanket") }],
      refunds: [{ paymentTypeId: t.type("Card") }],
    });
    expect(exchange.line_items.map((l) => l.quantity)).toEqual([-1, 1, 1]);
    expect(exchange.return).toMatchObject({ is_return: true, original_sale_id: original.id });
    // −89.00 + 22.00 + 120.00
    expect(exchange.payments.map((p) => p.amount)).toEqual([53]);
    expect(exchange.note).toMatch(/^Exchange of/);
    const f = t.sb.closureFigures(t.prefix, t.sb.closeRegister(t.prefix, t.reg).id);
    expect(Object.fromEntries(f.sales.undiscountedByCategory.map((c) => [c.name, c.amountExact]))).toEqual({
      Womenswear: "0",
      Childrenswear: "22",
      Home: "100",
    });
  });
});

describe("returns of on-account sales and cancelled laybys (CA, classic store, same operations)", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup("ca", "demo");
  });

  it("credits a return back on account: no payment, the customer owes that much less, the sale closes at zero", () => {
    const customer = t.customer((c) => c.companyName !== null);
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: Object.values(t.store.products)[0]!.id, quantity: 2 }],
    });
    const owing = () => customerJson(t.store, customer).balance;
    const before = owing();
    const back = t.sb.returnSale(t.prefix, sale.id, {
      registerId: t.reg,
      lines: [{ lineId: sale.line_items[0]!.id, quantity: 1 }],
    });
    expect(back).toMatchObject({ attributes: ["onaccount"], state: "closed", payments: [] });
    // the POS shows what a customer owes as a negative balance: it rises by the credit
    expect(cents(owing()) - cents(before)).toBe(-cents(back.totals.price_incl_tax));
    expect(t.store.sales[sale.id]!.state).toBe("pending");
    // returned whole in one go, an on-account sale owes nothing and closes
    const whole = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: Object.values(t.store.products)[3]!.id, quantity: 3 }],
    });
    const mid = owing();
    t.sb.returnSale(t.prefix, whole.id, { registerId: t.reg });
    expect(t.store.sales[whole.id]!.state).toBe("closed");
    expect(cents(owing()) - cents(mid)).toBe(cents(whole.totals.price_incl_tax));
    const f = t.sb.closureFigures(t.prefix, t.sb.closeRegister(t.prefix, t.reg).id);
    expect(f.sales.saleIds).not.toContain(back.id);
    expect(f.accountPayments).toEqual([]);
  });

  it("refunds what was paid and credits the rest; refuses a credit beyond what is owed", () => {
    const customer = t.customer((c) => c.companyName !== null);
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "onaccount",
      customerId: customer.id,
      lines: [{ productId: Object.values(t.store.products)[0]!.id }],
    });
    t.sb.payOnAccount(t.prefix, sale.id, {
      registerId: t.reg,
      payments: [{ paymentTypeId: t.type("Debit"), amount: "20.00" }],
    });
    expect(refusal(() => t.sb.returnSale(t.prefix, sale.id, { registerId: t.reg, onAccount: true })).status).toBe(409);
    const refunded = t.sb.returnSale(t.prefix, sale.id, {
      registerId: t.reg,
      refunds: [{ paymentTypeId: t.type("Debit"), amount: "-20.00" }],
    });
    expect(refunded.payments.map((p) => p.amount)).toEqual([-20]);
    expect(t.store.sales[sale.id]!.state).toBe("closed");
    const f = t.sb.closureFigures(t.prefix, t.sb.closeRegister(t.prefix, t.reg).id);
    expect(f.accountPayments.map((a) => [a.name, a.amountMinor])).toEqual([["Debit", 0]]);
  });

  it("cancels a layby: cancelling lines, the deposit refunded in a later sequence, nothing left owing", () => {
    const customer = t.customer((c) => c.companyName === null);
    const layby = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "layby",
      customerId: customer.id,
      lines: [{ productId: Object.values(t.store.products)[2]!.id }],
      payments: [{ paymentTypeId: t.type("Cash"), amount: "25.00" }],
    });
    t.sb.closeRegister(t.prefix, t.reg);
    t.tick(86_400_000);
    const second = t.sb.openRegister(t.prefix, t.reg);
    const cancelled = t.sb.cancelLayby(t.prefix, layby.id, { registerId: t.reg });
    expect(cancelled).toMatchObject({ state: "closed", attributes: ["layby"] });
    expect(cancelled.totals.price_incl_tax).toBe(0);
    expect(cancelled.line_items.map((l) => [l.quantity, l.return.is_return])).toEqual([
      [1, false],
      [-1, true],
    ]);
    expect(cancelled.payments.map((p) => [p.amount, p._metadata.register_open_sequence_id])).toEqual([
      [25, layby.payments[0]!._metadata.register_open_sequence_id],
      [-25, second.id],
    ]);
    const f = t.sb.closureFigures(t.prefix, t.sb.closeRegister(t.prefix, t.reg).id);
    expect(f.accountPayments.map((a) => [a.name, a.amountMinor])).toEqual([["Cash", -2500]]);
    expect(refusal(() => t.sb.cancelLayby(t.prefix, layby.id, { registerId: t.reg })).status).toBe(409);
  });

  it("cancels a layby keeping the deposit as store credit (an ISSUE for the layby)", () => {
    const customer = t.customer((c) => c.companyName === null);
    const layby = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      kind: "layby",
      customerId: customer.id,
      lines: [{ productId: Object.values(t.store.products)[2]!.id }],
      payments: [{ paymentTypeId: t.type("Debit"), amount: "30.00" }],
    });
    t.sb.cancelLayby(t.prefix, layby.id, { registerId: t.reg, keepAsStoreCredit: true });
    const issue = t.store.storeCredits[customer.id]!.transactions.at(-1)!;
    expect(issue).toMatchObject({ type: "ISSUE", amount: 3000, saleId: layby.id });
  });
});

describe("a sale whose complete_open_sequence_id the API leaves out", () => {
  it("omits the key from the JSON; the raw record keeps the sequence", () => {
    const t = setup("ca", "demo");
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: Object.values(t.store.products)[0]!.id }],
      omitSequenceId: true,
    });
    expect("complete_open_sequence_id" in sale._metadata).toBe(false);
    expect(t.store.sales[sale.id]!.completeSequenceId).toBe(sale.payments[0]!._metadata.register_open_sequence_id);
  });
});

describe("reference data added after connecting", () => {
  it("takes a new payment type in a sale; the open summary and its closure list it, earlier closures do not", () => {
    const t = setup("uk", "demo-uk");
    const earlier = t.sb.closures(t.prefix)[0]!;
    t.tick(60_000);
    const afterpay = t.sb.addPaymentType(t.prefix, { name: "Klarna (new today)", kind: "other" });
    expect(afterpay).toMatchObject({ name: "Klarna (new today)", type_id: 7, deleted_at: null });
    const tax = t.sb.addTax(t.prefix, { name: "VAT 12.5%", rates: [{ name: "VAT 12.5%", rate: "0.125" }] });
    const category = t.sb.addCategory(t.prefix, { name: "Garden" });
    const product = t.sb.addProduct(t.prefix, {
      name: "Trowel",
      price: "11.25",
      taxId: tax.id,
      categoryId: category.id,
    });
    // a tax-inclusive store sets the shelf price: 11.25 / 1.125 = 10
    expect([product.price_including_tax, product.price_excluding_tax]).toEqual([11.25, 10]);
    const sale = t.sb.addSale(t.prefix, {
      registerId: t.reg,
      lines: [{ productId: product.id }],
      payments: [{ paymentTypeId: afterpay.id }],
    });
    expect(sale.taxes).toEqual([{ id: tax.rates[0]!.id, tax: 1.25 }]);
    const closure = t.sb.closeRegister(t.prefix, t.reg);
    expect(closure.payments.find((p) => p.payment_type_id === afterpay.id)?.expected).toBe("11.25");
    expect(
      t.sb
        .closures(t.prefix)
        .find((c) => c.id === earlier.id)!
        .payments.some((p) => p.payment_type_id === afterpay.id),
    ).toBe(false);
    const f = t.sb.closureFigures(t.prefix, closure.id);
    expect(f.sales.undiscountedByCategory).toEqual([
      { categoryId: category.id, name: "Garden", amountMinor: 1000, amountExact: "10" },
    ]);
  });

  it("opens a new outlet with its register, trading like the others", () => {
    const t = setup("au", "demo-au");
    const { outlet, registers } = t.sb.addOutlet(t.prefix, { name: "Newtown", registers: ["Newtown Register"] });
    expect(outlet).toMatchObject({ name: "Newtown", display_prices: "inclusive", time_zone: "Australia/Sydney" });
    t.sb.openRegister(t.prefix, registers[0]!.id);
    const sale = t.sb.addSale(t.prefix, {
      registerId: registers[0]!.id,
      lines: [{ productId: t.product("Lip balm") }],
    });
    expect(sale.source.outlet_id).toBe(outlet.id);
  });
});
