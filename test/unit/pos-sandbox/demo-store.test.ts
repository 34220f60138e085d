import { beforeAll, describe, expect, it } from "vitest";
import { mulDec } from "../../../shared/money";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { localDate } from "../../../sandbox/pos/time";
import { allSales, cents, d, isAccount, minor, roundCents, sumDec, type SaleJson } from "./api-json";

/**
 * The seeded demo store, for two seeds: every sale is internally consistent in its API JSON, every
 * closure's expected totals are exactly its payments, and the special cases the connector and ledger
 * must handle are all present.
 */

const SEEDS = [42, 20261001];

describe.each(SEEDS)("the demo store, seed %i", (seed) => {
  let sb: PosSandbox;
  let sales: SaleJson[];
  const store = () => sb.store("demo");

  beforeAll(() => {
    sb = createPosSandbox({ seed, stores: ["ca", "us"], defaults: "today" });
    sales = allSales(store());
  });

  it("trades 30 days on three registers, one closure per register per day, all closed", () => {
    const closures = sb.closures("demo");
    expect(closures).toHaveLength(90);
    expect(closures.every((c) => c.closedAt !== null && c.payments.every((p) => p.counted !== null))).toBe(true);
    expect(Object.values(store().registers).every((r) => !r.isOpen)).toBe(true);
    expect(sales.length).toBeGreaterThan(900);
  });

  it("keeps every sale internally consistent (lines, taxes, totals)", () => {
    for (const sale of sales) {
      const lineTotals = sale.line_items.map((l) => cents(l.pricing.total));
      expect(
        lineTotals.reduce((a, b) => a + b, 0),
        sale.id,
      ).toBe(cents(sale.totals.price));
      expect(sale.taxes.map((t) => cents(t.tax)).reduce((a, b) => a + b, 0)).toBe(cents(sale.totals.tax));
      expect(cents(sale.totals.price) + cents(sale.totals.tax)).toBe(cents(sale.totals.price_incl_tax));
      for (const t of sale.taxes) {
        const exact = sumDec(
          sale.line_items.flatMap((l) =>
            l._metadata.tax_components.filter((c) => c.rate_id === t.id).map((c) => d(c.total_tax)),
          ),
        );
        expect(roundCents(exact), `${sale.id} rate ${t.id}`).toBe(cents(t.tax));
      }
      for (const l of sale.line_items) {
        expect(roundCents(mulDec(d(l.pricing.price), d(l.quantity)))).toBe(cents(l.pricing.total));
        const undiscounted = roundCents(mulDec(sumDec([d(l.pricing.price), d(l.pricing.discount)]), d(l.quantity)));
        expect(undiscounted - cents(l.pricing.total)).toBe(cents(l.pricing.discount_total));
        expect(l.return.is_return).toBe(l.quantity < 0);
      }
    }
  });

  it("has completed regular sales paid exactly: payments − rounding = total incl. tax", () => {
    const regular = sales.filter((s) => s.state === "closed" && !isAccount(s));
    expect(regular.length).toBeGreaterThan(800);
    for (const s of regular) {
      const paid = s.payments.reduce((a, p) => a + cents(p.amount), 0);
      const rounding = s.adjustments
        .filter((a) => a.adjustment_type === "ROUNDING")
        .reduce((a, x) => a + cents(x.total), 0);
      expect(paid - rounding, s.id).toBe(cents(s.totals.price_incl_tax));
    }
    expect(regular.some((s) => s.adjustments.length > 0)).toBe(true);
  });

  it("rounds cash to 0.05 in Canada, and never in the US store", () => {
    const cashId = Object.values(store().paymentTypes).find((p) => p.kind === "cash")!.id;
    const cash = sales
      .filter((s) => !isAccount(s))
      .flatMap((s) => s.payments.filter((p) => p.type.config_id === cashId));
    expect(cash.length).toBeGreaterThan(100);
    expect(cash.every((p) => cents(p.amount) % 5 === 0)).toBe(true);
    const us = allSales(sb.store("demo-us"));
    expect(us.length).toBeGreaterThan(500);
    expect(us.every((s) => s.adjustments.length === 0)).toBe(true);
    expect(new Set(us.flatMap((s) => s.taxes.map((t) => t.id))).size).toBeLessThanOrEqual(2);
  });

  it("makes every closure's expected totals exactly the payments carrying its sequence id", () => {
    const bySeq = new Map<string, Map<string, number>>();
    for (const s of sales.filter((x) => x.state !== "voided")) {
      for (const p of s.payments) {
        const m = bySeq.get(p._metadata.register_open_sequence_id) ?? new Map<string, number>();
        m.set(p.type.config_id, (m.get(p.type.config_id) ?? 0) + cents(p.amount));
        bySeq.set(p._metadata.register_open_sequence_id, m);
      }
    }
    let closureTotal = 0;
    for (const c of sb.closures("demo")) {
      for (const row of c.payments) {
        expect(minor(row.expected), `${c.id} ${row.name}`).toBe(bySeq.get(c.id)?.get(row.payment_type_id) ?? 0);
        closureTotal += minor(row.expected);
      }
      const listed = new Set(c.payments.map((p) => p.payment_type_id));
      for (const typeId of bySeq.get(c.id)?.keys() ?? []) expect(listed.has(typeId)).toBe(true);
    }
    const salePayments = sales
      .filter((x) => x.state !== "voided")
      .flatMap((s) => s.payments)
      .reduce((a, p) => a + cents(p.amount), 0);
    expect(closureTotal).toBe(salePayments);
  });

  it("takes payments and completes sales inside the open→close window of their sequence", () => {
    const seqs = store().sequences;
    for (const s of sales) {
      for (const p of s.payments) {
        const seq = seqs[p._metadata.register_open_sequence_id]!;
        expect(seq.registerId).toBe(p.source.register_id);
        expect(p.date >= seq.openedAt && p.date <= seq.closedAt!).toBe(true);
      }
      if (s._metadata.complete_open_sequence_id) {
        const seq = seqs[s._metadata.complete_open_sequence_id]!;
        expect(s.date >= seq.openedAt && s.date <= seq.closedAt!).toBe(true);
      }
    }
  });

  it("has a net-negative closure (refunds exceed the day's payments)", () => {
    const negative = sb.closures("demo").filter((c) => c.payments.reduce((a, p) => a + minor(p.expected), 0) < 0);
    expect(negative).toHaveLength(1);
    const figures = sb.closureFigures("demo", negative[0]!.id);
    expect(figures.sales.totalInclTaxMinor).toBeLessThan(0);
  });

  it("has a closure that ends after local midnight, with a sale after midnight in it", () => {
    const tz = "America/Toronto";
    const late = sb.closures("demo").filter((c) => localDate(c.closedAt!, tz) !== localDate(c.openedAt, tz));
    expect(late).toHaveLength(1);
    const inIt = sales.filter((s) => s._metadata.complete_open_sequence_id === late[0]!.id);
    expect(inIt.some((s) => localDate(s.date, tz) !== localDate(late[0]!.openedAt, tz))).toBe(true);
  });

  it("lands on-account and layby payments in later closures, the sale staying in its own", () => {
    const account = sales.filter(isAccount);
    expect(account.filter((s) => s.attributes.includes("onaccount")).length).toBeGreaterThanOrEqual(5);
    expect(account.filter((s) => s.attributes.includes("layby")).length).toBeGreaterThanOrEqual(2);
    const seqs = store().sequences;
    let later = 0;
    for (const s of account) {
      const created = seqs[s._metadata.complete_open_sequence_id!]!;
      for (const p of s.payments) {
        if (p._metadata.register_open_sequence_id === created.id) continue;
        expect(seqs[p._metadata.register_open_sequence_id]!.openedAt > created.openedAt).toBe(true);
        later++;
      }
      const paid = s.payments.reduce((a, p) => a + cents(p.amount), 0);
      if (s.state === "closed") expect(paid).toBe(cents(s.totals.price_incl_tax));
      else expect(paid).toBeLessThan(cents(s.totals.price_incl_tax));
    }
    expect(later).toBeGreaterThanOrEqual(6);
    expect(
      account.some(
        (s) =>
          s.attributes.includes("layby") &&
          s.payments.some((p) => p._metadata.register_open_sequence_id === s._metadata.complete_open_sequence_id),
      ),
    ).toBe(true);
    expect(account.some((s) => s.state === "closed")).toBe(true);
  });

  it("has returns of earlier sales, refunded in cash, to card and as store credit", () => {
    const byId = new Map(sales.map((s) => [s.id, s]));
    const returns = sales.filter((s) => s.return.is_return);
    expect(returns.length).toBeGreaterThan(20);
    const kinds = new Set<string>();
    for (const r of returns) {
      const original = byId.get(r.return.original_sale_id!)!;
      expect(original.date < r.date).toBe(true);
      expect(original.return.return_sale_ids).toContain(r.id);
      expect(r.line_items.every((l) => l.quantity < 0)).toBe(true);
      for (const p of r.payments) kinds.add(store().paymentTypes[p.type.config_id]!.kind);
    }
    expect([...kinds]).toEqual(expect.arrayContaining(["cash", "store_credit"]));
    expect(kinds.has("card") || kinds.has("integrated")).toBe(true);
    const scIssues = Object.values(store().storeCredits)
      .flatMap((r) => r.transactions)
      .filter((t) => t.type === "ISSUE");
    expect(scIssues.some((t) => t.saleId !== null && byId.get(t.saleId)?.return.is_return)).toBe(true);
    expect(scIssues.some((t) => t.saleId === null)).toBe(true);
    expect(
      Object.values(store().storeCredits)
        .flatMap((r) => r.transactions)
        .some((t) => t.type === "REDEMPTION"),
    ).toBe(true);
  });

  it("has line discounts, sale-level discount lines and 5-decimal unit prices", () => {
    const discountId = store().retailer.discountProductId;
    const lines = sales.flatMap((s) => s.line_items);
    expect(lines.some((l) => l.product.id !== discountId && l.pricing.discount > 0)).toBe(true);
    const saleLevel = lines.filter((l) => l.product.id === discountId);
    expect(saleLevel.length).toBeGreaterThan(10);
    expect(saleLevel.every((l) => l.pricing.price < 0 && Math.abs(l.quantity) === 1)).toBe(true);
    expect(lines.some((l) => /\.\d{5}$/.test(String(l.pricing.price)))).toBe(true);
  });

  it("has gift cards sold, reloaded, redeemed and expiring", () => {
    const cards = Object.values(store().giftCards);
    const types = new Set(cards.flatMap((c) => c.transactions.map((t) => t.type)));
    expect([...types]).toEqual(expect.arrayContaining(["ACTIVATION", "RELOADING", "REDEEMING", "EXPIRING"]));
    const expired = cards.filter((c) => c.status === "EXPIRED");
    expect(expired.length).toBeGreaterThanOrEqual(2);
    for (const c of expired) expect(c.transactions.reduce((a, t) => a + t.amount, 0)).toBe(0);
    const giftLines = sales
      .flatMap((s) => s.line_items)
      .filter((l) => l.product.id === store().retailer.giftCardProductId);
    expect(giftLines.length).toBeGreaterThan(5);
    expect(giftLines.every((l) => l.gift_card_number && l.tax.total === 0)).toBe(true);
    const gcType = Object.values(store().paymentTypes).find((p) => p.typeId === 118)!;
    expect(sales.some((s) => s.payments.some((p) => p.type.config_id === gcType.id))).toBe(true);
  });

  it("used a payment type that was later deleted, on early sales only", () => {
    const deleted = Object.values(store().paymentTypes).filter((p) => p.deletedAt !== null);
    expect(deleted).toHaveLength(1);
    const used = sales.flatMap((s) => s.payments).filter((p) => p.type.config_id === deleted[0]!.id);
    expect(used.length).toBeGreaterThanOrEqual(1);
    expect(used.every((p) => p.date < deleted[0]!.deletedAt!)).toBe(true);
  });

  it("has a voided completed sale whose payments do not count, and parked sales with none", () => {
    const voided = sales.filter((s) => s.state === "voided");
    expect(voided.some((s) => s.payments.length > 0)).toBe(true);
    expect(sales.some((s) => s.state === "parked" && s.payments.length === 0)).toBe(true);
  });

  it("received purchase orders: one in two deliveries, one with shipping, duties and a discount", () => {
    const orders = Object.values(store().purchaseOrders);
    const partial = orders.find((o) => o.deliveries.length === 2)!;
    expect(partial.status).toBe("RECEIVED");
    const charged = orders.find((o) => o.deliveries.some((dl) => dl.costs.length > 0))!;
    const delivery = charged.deliveries[0]!;
    expect(delivery.costs.map((c) => [c.type, c.amount])).toEqual([
      ["SHIPPING", "45.00"],
      ["DUTIES", "12.35"],
    ]);
    expect(delivery.discounts.map((c) => [c.type, c.amount])).toEqual([["DISCOUNT", "20.00"]]);
    expect(orders.some((o) => o.status === "SENT" && o.deliveries.length === 0)).toBe(true);
    expect(orders.filter((o) => o.status === "RECEIVED").length).toBeGreaterThanOrEqual(4);
  });

  it("is deterministic: the same seed gives identical state, another seed different trading", () => {
    const again = createPosSandbox({ seed, stores: ["ca", "us"], defaults: "today" });
    expect(again.exportState()).toBe(sb.exportState());
    const other = createPosSandbox({ seed: seed + 1, defaults: "today" });
    expect(other.store("demo").sales).not.toEqual(store().sales);
  });
});
