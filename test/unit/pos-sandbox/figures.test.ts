import { beforeAll, describe, expect, it } from "vitest";
import { mulDec } from "../../../shared/money";
import { productJson } from "../../../sandbox/pos/api/serialize";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { allSales, cents, d, isAccount, minor, roundCents, sumDec, type SaleJson } from "./api-json";

/**
 * closureFigures() is computed from the sandbox's raw records. Here every closure of the demo store is
 * recomputed independently from the API JSON (sales, products, payment types, the closure list) the
 * way a connector reads it, and the two must agree to the cent.
 */

interface Recomputed {
  byCategory: Map<string, number>;
  undiscounted: number;
  discounts: number;
  giftCards: number;
  taxByRate: Map<string, number>;
  storeCredit: number;
  rounding: number;
  account: Map<string, number>;
  regular: Map<string, number>;
}

function recompute(sb: PosSandbox, prefix: string, closureId: string, sales: SaleJson[]): Recomputed {
  const store = sb.store(prefix);
  const products = new Map(Object.values(store.products).map((p) => [p.id, productJson(store, p)]));
  const storeCreditType = Object.values(store.paymentTypes).find((p) => p.name === "Store Credit")!.id;
  const out: Recomputed = {
    byCategory: new Map(),
    undiscounted: 0,
    discounts: 0,
    giftCards: 0,
    taxByRate: new Map(),
    storeCredit: 0,
    rounding: 0,
    account: new Map(),
    regular: new Map(),
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const s of sales) {
    if (s.state === "voided") continue;
    for (const p of s.payments) {
      if (p._metadata.register_open_sequence_id !== closureId) continue;
      add(isAccount(s) ? out.account : out.regular, p.type.config_id, cents(p.amount));
    }
    if (s._metadata.complete_open_sequence_id !== closureId || s.state === "parked" || isAccount(s)) continue;
    for (const l of s.line_items) {
      const product = products.get(l.product.id)!;
      if (l.product.id === store.retailer.discountProductId) {
        out.discounts -= cents(l.pricing.total);
      } else if (l.product.id === store.retailer.giftCardProductId) {
        out.giftCards += cents(l.pricing.total);
      } else {
        const list = roundCents(mulDec(sumDec([d(l.pricing.price), d(l.pricing.discount)]), d(l.quantity)));
        add(out.byCategory, product.product_category?.id ?? "", list);
        out.undiscounted += list;
        out.discounts += list - cents(l.pricing.total);
      }
    }
    for (const t of s.taxes) add(out.taxByRate, t.id, cents(t.tax));
    for (const p of s.payments) {
      if (p.type.config_id === storeCreditType && p.amount < 0 && p._metadata.register_open_sequence_id === closureId)
        out.storeCredit -= cents(p.amount);
    }
    out.rounding += s.adjustments
      .filter((a) => a.adjustment_type === "ROUNDING")
      .reduce((a, x) => a + cents(x.total), 0);
  }
  return out;
}

const entries = (m: Map<string, number>) => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));

describe.each([
  [42, "demo"],
  [777, "demo"],
  [42, "demo-us"],
])("closure figures tie out with the API JSON (seed %i, %s)", (seed, prefix) => {
  let sb: PosSandbox;
  let sales: SaleJson[];

  beforeAll(() => {
    sb = createPosSandbox({ seed, stores: ["ca", "us"] });
    sales = allSales(sb.store(prefix));
  });

  it("agrees on every closure: categories, discounts, gift cards, tax per rate, store credit, rounding, payments", () => {
    const closures = sb.closures(prefix);
    expect(closures.length).toBeGreaterThan(50);
    for (const c of closures) {
      const f = sb.closureFigures(prefix, c.id);
      const r = recompute(sb, prefix, c.id, sales);
      const label = `closure ${c.id}`;
      expect(
        entries(new Map(f.sales.undiscountedByCategory.map((x) => [x.categoryId ?? "", x.amountMinor]))),
        label,
      ).toEqual(entries(r.byCategory));
      expect(f.sales.undiscountedMinor, label).toBe(r.undiscounted);
      expect(f.sales.discountsMinor, label).toBe(r.discounts);
      expect(f.sales.netSalesExTaxMinor, label).toBe(r.undiscounted - r.discounts);
      expect(f.sales.giftCardsSoldMinor, label).toBe(r.giftCards);
      expect(entries(new Map(f.sales.taxByRate.map((x) => [x.rateId, x.taxMinor]))), label).toEqual(
        entries(r.taxByRate),
      );
      expect(f.sales.storeCreditIssuedViaReturnsMinor, label).toBe(r.storeCredit);
      expect(f.sales.cashRoundingMinor, label).toBe(r.rounding);
      expect(entries(new Map(f.accountPayments.map((x) => [x.paymentTypeId, x.amountMinor]))), label).toEqual(
        entries(r.account),
      );
      expect(entries(new Map(f.regularPayments.map((x) => [x.paymentTypeId, x.amountMinor]))), label).toEqual(
        entries(r.regular),
      );
    }
  });

  it("balances each closure: sales incl. tax + rounding = regular payments, and expected = regular + account", () => {
    for (const c of sb.closures(prefix)) {
      const f = sb.closureFigures(prefix, c.id);
      const regular = f.regularPayments.reduce((a, x) => a + x.amountMinor, 0);
      expect(f.sales.totalInclTaxMinor + f.sales.cashRoundingMinor, c.id).toBe(regular);
      for (const row of c.payments) {
        const account = f.accountPayments.find((x) => x.paymentTypeId === row.payment_type_id)?.amountMinor ?? 0;
        const reg = f.regularPayments.find((x) => x.paymentTypeId === row.payment_type_id)?.amountMinor ?? 0;
        expect(minor(row.expected), `${c.id} ${row.name}`).toBe(reg + account);
        const fig = f.payments.find((x) => x.paymentTypeId === row.payment_type_id)!;
        expect(fig.expectedMinor).toBe(minor(row.expected));
        expect(fig.countedMinor).toBe(minor(row.counted!));
        expect(fig.discrepancyMinor).toBe(minor(row.counted!) - minor(row.expected));
      }
    }
  });

  it("reports some till discrepancies, gift cards sold and store credit issued somewhere in the month", () => {
    const all = sb.closures(prefix).map((c) => sb.closureFigures(prefix, c.id));
    expect(all.some((f) => f.payments.some((p) => (p.discrepancyMinor ?? 0) > 0))).toBe(true);
    expect(all.some((f) => f.payments.some((p) => (p.discrepancyMinor ?? 0) < 0))).toBe(true);
    expect(all.some((f) => f.sales.giftCardsSoldMinor > 0)).toBe(true);
    expect(all.some((f) => f.sales.storeCreditIssuedViaReturnsMinor > 0)).toBe(true);
    expect(all.some((f) => f.sales.discountsMinor > 0)).toBe(true);
    expect(all.some((f) => f.accountPayments.length > 0)).toBe(true);
    if (prefix === "demo") expect(all.some((f) => f.sales.cashRoundingMinor !== 0)).toBe(true);
  });
});
