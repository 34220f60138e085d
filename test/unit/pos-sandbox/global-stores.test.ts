import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { addDec, cmpDec, formatDec, toMinor } from "../../../shared/money";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { customerJson } from "../../../sandbox/pos/api/serialize";
import { mulDivRound } from "../../../sandbox/pos/pricing";
import { localDate } from "../../../sandbox/pos/time";
import type { StoreState } from "../../../sandbox/pos/types";
import { allSales, cents, d, isAccount, sumDec, type SaleJson } from "./api-json";

/**
 * The demo stores' generated days with SPEC §4's activity: the tax-inclusive Australian and UK stores
 * (full by default), and the Canadian and US stores with `activity: "full"` — which by default stay
 * byte for byte what they were.
 */

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const eq = (a: ReturnType<typeof d>, b: ReturnType<typeof d>) => cmpDec(a, b) === 0;
const typeKind = (store: StoreState, id: string) => store.paymentTypes[id]!.kind;
const isCard = (store: StoreState, s: SaleJson) =>
  s.payments.some((p) => ["card", "integrated"].includes(typeKind(store, p.type.config_id)));

/** Every sale adds up at full precision: lines + charges = price, Σ taxes = tax, price + tax = incl. */
function checkSale(store: StoreState, s: SaleJson): void {
  const inclusive = !store.retailer.taxExclusive;
  const lines = s.line_items.filter((l) => l.status !== "VOIDED");
  const charges = s.adjustments.filter((a) => a.adjustment_type !== "ROUNDING");
  const price = sumDec([...lines.map((l) => d(l.pricing.total)), ...charges.map((a) => d(a.total))]);
  expect(eq(price, d(s.totals.price)), `${s.id} price`).toBe(true);
  expect(eq(sumDec(s.taxes.map((t) => d(t.tax))), d(s.totals.tax)), `${s.id} tax`).toBe(true);
  expect(eq(addDec(d(s.totals.price), d(s.totals.tax)), d(s.totals.price_incl_tax)), `${s.id} incl`).toBe(true);
  cents(s.totals.price_incl_tax); // whole cents, or this throws
  for (const t of s.taxes) {
    const parts = [...lines.map((l) => l._metadata.tax_components), ...charges.map((a) => a.tax_components)];
    const exact = sumDec(parts.flatMap((cs) => cs.filter((c) => c.rate_id === t.id).map((c) => d(c.total_tax))));
    if (inclusive) expect(eq(exact, d(t.tax)), `${s.id} rate ${t.id}`).toBe(true);
    else expect(toMinor(exact, "half-up"), `${s.id} rate ${t.id}`).toBe(cents(t.tax));
  }
  // in a tax-inclusive outlet the unit price + unit tax is the shelf price: whole cents (or this throws)
  if (inclusive) for (const l of lines) cents(formatDec(addDec(d(l.pricing.price), d(l.tax.amount))));
  if (s.state === "closed" && !isAccount(s)) {
    const paid = s.payments.reduce((a, p) => a + cents(p.amount), 0);
    const rounding = s.adjustments
      .filter((a) => a.adjustment_type === "ROUNDING")
      .reduce((a, x) => a + cents(x.total), 0);
    expect(paid - rounding, s.id).toBe(cents(s.totals.price_incl_tax));
  }
}

describe.each([
  ["au", "demo-au", "AUD", "Australia/Sydney"],
  ["uk", "demo-uk", "GBP", "Europe/London"],
] as const)("the %s demo store (tax-inclusive, full activity)", (preset, prefix, currency, tz) => {
  let sb: PosSandbox;
  let store: StoreState;
  let sales: SaleJson[];
  const byDay = (f: (s: SaleJson) => boolean) => new Set(sales.filter(f).map((s) => localDate(s.date, tz)));

  // generation takes seconds on a busy machine: the timeouts here are generous on purpose
  beforeAll(() => {
    sb = createPosSandbox({ stores: [preset] });
    store = sb.store(prefix);
    sales = allSales(store);
  }, 120_000);

  it("is a tax-inclusive store trading 30 days on three registers in its own zone and currency", () => {
    expect(store.retailer).toMatchObject({ currency, timezone: tz, taxExclusive: false });
    expect(Object.values(store.outlets).every((o) => o.displayPrices === "inclusive" && o.timeZone === tz)).toBe(true);
    expect(store.config.activity).toBe("full");
    expect(sb.closures(prefix)).toHaveLength(90);
    expect(new Set(sb.closures(prefix).map((c) => localDate(c.openedAt, tz))).size).toBe(30);
    expect(sales.length).toBeGreaterThan(1200);
  });

  it("keeps every sale exact: unrounded ex-tax amounts and tax that add up to whole cents paid", {
    timeout: 60_000,
  }, () => {
    for (const s of sales) checkSale(store, s);
    const lines = sales.flatMap((s) => s.line_items);
    expect(lines.some((l) => /\.\d{3,5}$/.test(String(l.pricing.total)))).toBe(true);
    expect(lines.some((l) => /\.\d{3,5}$/.test(String(l.tax.total)))).toBe(true);
    expect(sales.some((s) => s.taxes.some((t) => /\.\d{3,5}$/.test(String(t.tax))))).toBe(true);
  });

  it("taxes at the country's rates, zero-rated and exempt goods included", () => {
    const used = new Set(sales.flatMap((s) => s.line_items.map((l) => l.tax.id)));
    const names = [...used].map((id) => store.taxes[id]!.name).sort();
    if (preset === "au") expect(names).toEqual(expect.arrayContaining(["GST", "GST Free"]));
    else expect(names).toEqual(expect.arrayContaining(["VAT 20%", "VAT 5%", "VAT 0%", "Exempt"]));
  });

  it(preset === "au" ? "rounds cash to 5 cents (Australia)" : "never rounds cash (the UK)", () => {
    const cashId = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!.id;
    const cash = sales
      .filter((s) => !isAccount(s))
      .flatMap((s) => s.payments.filter((p) => p.type.config_id === cashId));
    expect(cash.length).toBeGreaterThan(100);
    const rounded = sales.filter((s) => s.adjustments.some((a) => a.adjustment_type === "ROUNDING"));
    if (preset === "au") {
      expect(cash.every((p) => cents(p.amount) % 5 === 0)).toBe(true);
      expect(rounded.length).toBeGreaterThan(50);
    } else expect(rounded).toEqual([]);
  });

  it("has tips on about 15 % of card sales, through Lightspeed Payments, with TIP tenders", () => {
    const card = sales.filter((s) => s.state === "closed" && !s.return.is_return && isCard(store, s));
    const tipped = card.filter((s) => s.adjustments.some((a) => a.adjustment_type === "TIP"));
    expect(tipped.length / card.length).toBeGreaterThan(0.1);
    expect(tipped.length / card.length).toBeLessThan(0.2);
    for (const s of tipped) {
      const tip = s.adjustments.find((a) => a.adjustment_type === "TIP")!;
      expect(tip.tax_components).toEqual([]);
      const payment = s.payments.find((p) => p.source.id !== null)!;
      const tenders = sb.lspayTransaction(prefix, payment.id).tenders;
      expect(tenders.find((t) => t.type === "TIP")?.amount).toBe(tip.total);
      expect(tenders.reduce((a, t) => a + cents(t.amount), 0)).toBe(cents(payment.amount));
    }
  });

  it("surcharges a share of card payments, and the one surcharge shows three times alike", () => {
    const card = sales.filter((s) => s.state === "closed" && isCard(store, s));
    const surcharged = card.filter((s) => s.adjustments.some((a) => a.adjustment_type === "SURCHARGE"));
    // Australia lets merchants surcharge; the UK only commercial cards
    if (preset === "au") expect(surcharged.length / card.length).toBeGreaterThan(0.1);
    else expect(surcharged.length / card.length).toBeLessThan(0.1);
    expect(surcharged.length).toBeGreaterThan(0);
    for (const s of surcharged) {
      const adj = s.adjustments.find((a) => a.adjustment_type === "SURCHARGE")!;
      const adjTax = sumDec(adj.tax_components.map((c) => d(c.total_tax)));
      const onLines = s.line_items.flatMap((l) => l.surcharges);
      expect(eq(sumDec(onLines.map((x) => d(x.value))), d(adj.total))).toBe(true);
      expect(eq(sumDec(onLines.flatMap((x) => x.tax_components.map((c) => d(c.total_tax)))), adjTax)).toBe(true);
      const payment = s.payments.find((p) => p.surcharge)!;
      expect(eq(addDec(d(adj.total), adjTax), d(payment.surcharge!.amount))).toBe(true);
      expect(s.totals.surcharge).toBe(adj.total);
    }
  });

  it("has e-commerce orders whose custom charges show as an adjustment and itemised", () => {
    const web = sales.filter((s) => s.ecom_custom_charges.length > 0);
    expect(web.length).toBeGreaterThan(5);
    for (const s of web) {
      expect(s.source.type).toBe("ECOMMERCE");
      const adj = s.adjustments.find((a) => a.adjustment_type === "ECOM_CUSTOM_CHARGE")!;
      expect(eq(sumDec(s.ecom_custom_charges.map((c) => d(c.total))), d(adj.total))).toBe(true);
      for (const c of s.ecom_custom_charges) {
        expect(eq(addDec(d(c.total), d(c.total_tax)), d(c.total_incl))).toBe(true);
        cents(c.total_incl);
      }
    }
  });

  it("has a few Loyalty redemptions a day by members; a return takes back the loyalty its sale earned", () => {
    const loyaltyId = Object.values(store.paymentTypes).find((p) => p.typeId === 106)!.id;
    const redeemed = sales.filter((s) => s.payments.some((p) => p.type.config_id === loyaltyId));
    expect(redeemed.length / 30).toBeGreaterThan(1.5);
    expect(redeemed.every((s) => s.customer_id && store.customers[s.customer_id]!.loyalty)).toBe(true);
    expect(sales.some((s) => s.totals.loyalty > 0 && s.line_items.some((l) => l.pricing.loyalty_amount > 0))).toBe(
      true,
    );
    const returned = sales.filter((s) => s.return.is_return && s.totals.loyalty < 0);
    expect(returned.length).toBeGreaterThan(0);
    // a balance below zero only ever comes from such a return (the POS lets it go negative)
    for (const c of Object.values(store.customers)) {
      if (customerJson(store, c).loyalty_balance >= 0) continue;
      expect(returned.some((s) => s.customer_id === c.id)).toBe(true);
    }
  });

  it("voids a sale or a line on most days; voided lines count nowhere", () => {
    const days = byDay((s) => s.state === "voided" || s.line_items.some((l) => l.status === "VOIDED"));
    expect(days.size).toBeGreaterThanOrEqual(20);
    const withVoidedLine = sales.filter((s) => s.line_items.some((l) => l.status === "VOIDED"));
    expect(withVoidedLine.length).toBeGreaterThan(20);
  });

  it("voids a card sale after its register closed: the closure record keeps its figures, the books drop it", () => {
    const late = Object.values(store.sequences).filter((q) => q.expectedAtClose);
    expect(late.length).toBeGreaterThanOrEqual(1);
    for (const q of late) {
      const f = sb.closureFigures(prefix, q.id);
      expect(f.voidedAfterClose.length).toBeGreaterThan(0);
      const record = sb.closures(prefix).find((c) => c.id === q.id)!;
      for (const v of f.voidedAfterClose) {
        const row = f.payments.find((p) => p.paymentTypeId === v.paymentTypeId)!;
        expect(row.expectedAtCloseMinor - row.expectedMinor).toBe(
          f.voidedAfterClose.filter((x) => x.paymentTypeId === v.paymentTypeId).reduce((a, x) => a + x.amountMinor, 0),
        );
        expect(cents(record.payments.find((p) => p.payment_type_id === v.paymentTypeId)!.expected)).toBe(
          row.expectedAtCloseMinor,
        );
        const sale = store.sales[v.saleId]!;
        expect(sale.voidedAt! > q.closedAt!).toBe(true);
        expect(sale.payments.every((p) => p.lspay === undefined || p.lspay.status === "REVERSED")).toBe(true);
      }
    }
  });

  it("exchanges every few days: returned and new lines in one sale, each in its own category", () => {
    const exchanges = sales.filter(
      (s) => s.return.is_return && s.line_items.some((l) => l.quantity > 0) && s.line_items.some((l) => l.quantity < 0),
    );
    expect(exchanges.length).toBeGreaterThanOrEqual(7);
    for (const s of exchanges) {
      const cat = (l: SaleJson["line_items"][number]) => store.products[l.product.id]!.categoryId;
      const back = s.line_items.filter((l) => l.quantity < 0).map(cat);
      const taken = s.line_items.filter((l) => l.quantity > 0).map(cat);
      expect(back.some((c) => taken.includes(c))).toBe(false);
    }
    expect(exchanges.some((s) => cents(s.totals.price_incl_tax) > 0)).toBe(true);
    expect(exchanges.some((s) => cents(s.totals.price_incl_tax) < 0)).toBe(true);
  });

  it("returns part of an on-account sale back on account: the customer owes that much less on the sale", () => {
    const returns = Object.values(store.sales).filter(
      (s) => s.returnFor && s.attributes.includes("onaccount") && s.state !== "voided",
    );
    expect(returns.length).toBeGreaterThanOrEqual(1);
    for (const r of returns) {
      expect(r.payments).toEqual([]);
      const original = store.sales[r.returnFor!]!;
      const paid = original.payments.reduce((a, p) => a + p.amount, 0);
      const credit = -(r.totalPrice + r.totalTax);
      const owed = original.totalPrice + original.totalTax - paid - credit;
      expect(owed).toBeGreaterThanOrEqual(0);
      if (original.state === "closed") expect(owed).toBe(0);
    }
  });

  it("cancels two laybys: one deposit refunded at a register, one kept as store credit", () => {
    const cancelled = Object.values(store.sales).filter(
      (s) => s.attributes.includes("layby") && s.lines.some((l) => l.isReturn),
    );
    expect(cancelled).toHaveLength(2);
    const kinds = new Set<string>();
    for (const s of cancelled) {
      expect(s.state).toBe("closed");
      expect(s.totalPrice + s.totalTax).toBe(0);
      expect(s.payments.reduce((a, p) => a + p.amount, 0)).toBe(0);
      const refund = s.payments.find((p) => p.amount < 0)!;
      kinds.add(typeKind(store, refund.paymentTypeId));
      expect(refund.sequenceId).not.toBe(s.completeSequenceId);
    }
    expect(kinds.has("store_credit")).toBe(true);
    const issues = Object.values(store.storeCredits).flatMap((c) => c.transactions);
    expect(issues.some((t) => t.type === "ISSUE" && cancelled.some((s) => s.id === t.saleId))).toBe(true);
  });

  it("leaves complete_open_sequence_id out of some sales, each paid within one sequence", () => {
    const missing = sales.filter((s) => !("complete_open_sequence_id" in s._metadata));
    expect(missing.length).toBeGreaterThan(5);
    for (const s of missing) {
      expect(new Set(s.payments.map((p) => p._metadata.register_open_sequence_id)).size).toBe(1);
    }
  });

  it("is deterministic, and N days then one more are the N + 1-day store", { timeout: 120_000 }, () => {
    expect(createPosSandbox({ stores: [preset] }).exportState()).toBe(sb.exportState());
    const short = createPosSandbox({ stores: [preset], days: 29 });
    short.advanceDay(prefix, 1);
    expect(JSON.stringify(short.store(prefix))).toBe(JSON.stringify(store));
  });
});

/** The saved state without what the inventory option adds (its records, each line's cost, the option itself). */
function withoutInventory(state: string): string {
  const parsed = JSON.parse(state) as { options: Record<string, unknown>; stores: Record<string, StoreState> };
  delete parsed.options.inventory;
  for (const store of Object.values(parsed.stores)) {
    delete (store as Partial<StoreState>).inventory;
    for (const sale of Object.values(store.sales)) for (const line of sale.lines) delete line.cost;
  }
  return JSON.stringify(parsed);
}

describe("the Canadian and US stores", () => {
  it("stay byte for byte what they were by default (state and API JSON, seeds 42 and 7)", { timeout: 120_000 }, () => {
    // recorded from the stores before SPEC §4's activity existed (commit cbcaa17)
    const golden: Record<number, [string, string, string]> = {
      42: [
        "55c46f3488fcb8c6cf49ac8515cfffe5299f0a01349839a36b86fd417194aa8b",
        "c47c5a0e4c9f0accffa30a0d385715f88081f7c05d6fe9272737aa55dce5842b",
        "361d5d12ce0959a99c13f02fbd756a9f077fe20b7c865f70c697c85199f59a10",
      ],
      7: [
        "6fc0b88e2d732625e5eb0c2bc95cc92703dcbd9f8907ce01a1f569764b6b78a8",
        "051434f6e632190c1c210f8059e594f56b5643038308ff9b3786acb48bba0c8c",
        "9dfed284b03e2958c3ea0d59401387d64b229977c9e063ba1448a3ea1f5abb0a",
      ],
    };
    for (const seed of [42, 7]) {
      const sb = createPosSandbox({ seed, stores: ["ca", "us"], defaults: "today" });
      const api = (p: string) =>
        JSON.stringify([
          allSales(sb.store(p)),
          Object.values(sb.store(p).customers).map((c) => customerJson(sb.store(p), c)),
          sb.closures(p),
        ]);
      expect([sha(withoutInventory(sb.exportState())), sha(api("demo")), sha(api("demo-us"))]).toEqual(golden[seed]);
    }
  });

  describe.each([
    ["ca", "demo"],
    ["us", "demo-us"],
  ] as const)("%s with activity: full", (preset, prefix) => {
    let sb: PosSandbox;
    let store: StoreState;
    let sales: SaleJson[];

    beforeAll(() => {
      sb = createPosSandbox({ stores: [preset], activity: { [preset]: "full" } });
      store = sb.store(prefix);
      sales = allSales(store);
    }, 120_000);

    it("trades the new activity on the same registers, every sale exact", { timeout: 60_000 }, () => {
      expect(sb.closures(prefix)).toHaveLength(preset === "ca" ? 90 : 60);
      for (const s of sales) checkSale(store, s);
      const types = new Set(sales.flatMap((s) => s.adjustments.map((a) => a.adjustment_type)));
      expect(types.has("TIP")).toBe(true);
      expect(types.has("ECOM_CUSTOM_CHARGE")).toBe(true);
      // Québec forbids card surcharges; the US store runs a non-cash adjustment instead
      expect(types.has("SURCHARGE")).toBe(false);
      expect(types.has("NON_CASH_FEE")).toBe(preset === "us");
      expect(sales.some((s) => s.payments.some((p) => typeKind(store, p.type.config_id) === "loyalty"))).toBe(true);
      expect(sales.some((s) => s.line_items.some((l) => l.status === "VOIDED"))).toBe(true);
      expect(Object.values(store.sequences).some((q) => q.expectedAtClose)).toBe(true);
      expect(
        Object.values(store.sales).filter((s) => s.attributes.includes("layby") && s.lines.some((l) => l.isReturn)),
      ).toHaveLength(2);
    });

    it("rounds nothing but cash: an exclusive store's closures have no tax rounding", { timeout: 60_000 }, () => {
      for (const c of sb.closures(prefix)) expect(sb.closureFigures(prefix, c.id).sales.taxRoundingMinor).toBe(0);
    });

    it("charges the non-cash fee as 3 % of what the card paid before it, taxed like the goods", () => {
      const fees = Object.values(store.sales).filter((s) => s.adjustments?.some((a) => a.type === "NON_CASH_FEE"));
      expect(fees.length > 0).toBe(preset === "us");
      for (const s of fees) {
        const payment = s.payments.find((p) => p.fee)!;
        const base = payment.amount - payment.fee! - (payment.tip ?? 0);
        const ex = s.adjustments!.filter((a) => a.type === "NON_CASH_FEE").reduce((a, x) => a + cents(x.total), 0);
        expect(ex).toBe(mulDivRound(base, 3, 100));
        expect(s.adjustments!.find((a) => a.type === "NON_CASH_FEE")!.taxes.length).toBeGreaterThan(0);
      }
    });
  });
});
