import { beforeAll, describe, expect, it } from "vitest";
import type { Dec } from "../../../shared/money";
import { productJson } from "../../../sandbox/pos/api/serialize";
import { createPosSandbox, type ClosureRecord, type PosSandbox } from "../../../sandbox/pos/index";
import { text } from "../../../sandbox/pos/pricing";
import { allSales, cents, d, isAccount, minor, roundCents, sumDec, type SaleJson } from "./api-json";

/**
 * closureFigures() is computed from the sandbox's raw records. Here every closure of the demo store is
 * recomputed independently from the API JSON (sales, products, payment types, the closure list) the
 * way a connector reads it, and the two must agree to the cent.
 */

interface Recomputed {
  byCategory: Map<string, Dec>;
  discounts: Dec;
  giftCards: number;
  taxByRate: Map<string, Dec>;
  charges: Map<string, Dec>;
  tips: number;
  storeCredit: number;
  rounding: number;
  account: Map<string, number>;
  regular: Map<string, number>;
  voidedLate: number;
}

/** The sequence a sale was completed in; when the API leaves it out, the one all its payments carry. */
function completedIn(s: SaleJson): string | null | undefined {
  if ("complete_open_sequence_id" in s._metadata) return s._metadata.complete_open_sequence_id;
  const seqs = new Set(s.payments.map((p) => p._metadata.register_open_sequence_id));
  return seqs.size === 1 ? [...seqs][0] : undefined;
}

function recompute(sb: PosSandbox, prefix: string, closure: ClosureRecord, sales: SaleJson[]): Recomputed {
  const store = sb.store(prefix);
  const closureId = closure.id;
  const products = new Map(Object.values(store.products).map((p) => [p.id, productJson(store, p)]));
  const storeCreditType = Object.values(store.paymentTypes).find((p) => p.name === "Store Credit")!.id;
  const closedAt = closure.closedAt!;
  const out: Recomputed = {
    byCategory: new Map(),
    discounts: d(0),
    giftCards: 0,
    taxByRate: new Map(),
    charges: new Map(),
    tips: 0,
    storeCredit: 0,
    rounding: 0,
    account: new Map(),
    regular: new Map(),
    voidedLate: 0,
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const addD = (m: Map<string, Dec>, k: string, v: Dec) => m.set(k, sumDec([m.get(k) ?? d(0), v]));
  for (const s of sales) {
    if (s.state === "voided") {
      for (const p of s.payments)
        if (p._metadata.register_open_sequence_id === closureId && s.updated_at > closedAt)
          out.voidedLate += cents(p.amount);
      continue;
    }
    for (const p of s.payments) {
      if (p._metadata.register_open_sequence_id !== closureId) continue;
      add(isAccount(s) ? out.account : out.regular, p.type.config_id, cents(p.amount));
    }
    if (completedIn(s) !== closureId || s.state === "parked" || isAccount(s)) continue;
    for (const l of s.line_items) {
      if (l.status === "VOIDED") continue;
      const product = products.get(l.product.id)!;
      if (l.product.id === store.retailer.discountProductId) {
        out.discounts = sumDec([out.discounts, d(-l.pricing.total)]);
      } else if (l.product.id === store.retailer.giftCardProductId) {
        out.giftCards += cents(l.pricing.total);
      } else {
        // the list total as recorded: total + discount_total (whole cents or 5 places)
        addD(
          out.byCategory,
          product.product_category?.id ?? "",
          sumDec([d(l.pricing.total), d(l.pricing.discount_total)]),
        );
        out.discounts = sumDec([out.discounts, d(l.pricing.discount_total)]);
      }
    }
    for (const t of s.taxes) addD(out.taxByRate, t.id, d(t.tax));
    for (const a of s.adjustments) {
      if (a.adjustment_type === "ROUNDING") out.rounding += cents(a.total);
      else if (a.adjustment_type === "TIP") out.tips += cents(a.total);
      else addD(out.charges, a.adjustment_type, d(a.total));
    }
    for (const p of s.payments) {
      if (p.type.config_id === storeCreditType && p.amount < 0 && p._metadata.register_open_sequence_id === closureId)
        out.storeCredit -= cents(p.amount);
    }
  }
  return out;
}

const entries = (m: Map<string, number>) => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));

const round = (x: Dec) => roundCents(x);

describe.each([
  [42, "ca", "classic"],
  [777, "ca", "classic"],
  [42, "us", "classic"],
  [42, "au", "full"],
  [42, "uk", "full"],
  [42, "ca", "full"],
  [42, "us", "full"],
] as const)("closure figures tie out with the API JSON (seed %i, %s, %s)", (seed, preset, activity) => {
  let sb: PosSandbox;
  let sales: SaleJson[];
  const prefix = { ca: "demo", us: "demo-us", au: "demo-au", uk: "demo-uk" }[preset];

  // generation and a month of closures take seconds on a busy machine: generous timeouts on purpose
  beforeAll(() => {
    sb = createPosSandbox({ seed, stores: [preset], activity: { [preset]: activity } });
    sales = allSales(sb.store(prefix));
  }, 120_000);

  it("agrees on every closure: categories, discounts, gift cards, tax per rate, charges, tips, store credit, rounding, payments", {
    timeout: 120_000,
  }, () => {
    const closures = sb.closures(prefix);
    expect(closures.length).toBeGreaterThan(50);
    for (const c of closures) {
      const f = sb.closureFigures(prefix, c.id);
      const r = recompute(sb, prefix, c, sales);
      const label = `closure ${c.id}`;
      // every figure is the sum of the recorded amounts, rounded half-up once
      expect(
        entries(new Map(f.sales.undiscountedByCategory.map((x) => [x.categoryId ?? "", x.amountMinor]))),
        label,
      ).toEqual(entries(new Map([...r.byCategory].map(([k, v]) => [k, round(v)]))));
      for (const x of f.sales.undiscountedByCategory)
        expect(x.amountExact).toBe(text(r.byCategory.get(x.categoryId ?? "")!));
      expect(f.sales.discountsExact, label).toBe(text(r.discounts));
      expect(f.sales.discountsMinor, label).toBe(round(r.discounts));
      expect(f.sales.netSalesExTaxMinor, label).toBe(f.sales.undiscountedMinor - f.sales.discountsMinor);
      expect(f.sales.giftCardsSoldMinor, label).toBe(r.giftCards);
      expect(entries(new Map(f.sales.taxByRate.map((x) => [x.rateId, x.taxMinor]))), label).toEqual(
        entries(new Map([...r.taxByRate].map(([k, v]) => [k, round(v)]))),
      );
      for (const t of f.sales.taxByRate) expect(t.taxExact).toBe(text(r.taxByRate.get(t.rateId)!));
      for (const [type, exact] of r.charges) {
        const mine = f.sales.charges.filter((x) => x.type === type).map((x) => d(x.amountExact));
        expect(text(sumDec(mine)), `${label} ${type}`).toBe(text(exact));
      }
      expect(f.sales.tipsMinor, label).toBe(r.tips);
      expect(f.sales.storeCreditIssuedViaReturnsMinor, label).toBe(r.storeCredit);
      expect(f.sales.cashRoundingMinor, label).toBe(r.rounding);
      expect(entries(new Map(f.accountPayments.map((x) => [x.paymentTypeId, x.amountMinor]))), label).toEqual(
        entries(r.account),
      );
      expect(entries(new Map(f.regularPayments.map((x) => [x.paymentTypeId, x.amountMinor]))), label).toEqual(
        entries(r.regular),
      );
      expect(
        f.voidedAfterClose.reduce((a, v) => a + v.amountMinor, 0),
        label,
      ).toBe(r.voidedLate);
    }
  });

  it("balances each closure: sales incl. tax + rounding = regular payments, and expected = regular + account", {
    timeout: 60_000,
  }, () => {
    const inclusive = !sb.store(prefix).retailer.taxExclusive;
    for (const c of sb.closures(prefix)) {
      const f = sb.closureFigures(prefix, c.id);
      const regular = f.regularPayments.reduce((a, x) => a + x.amountMinor, 0);
      expect(f.sales.totalInclTaxMinor + f.sales.cashRoundingMinor, c.id).toBe(regular);
      const parts = f.sales.netSalesExTaxMinor + f.sales.giftCardsSoldMinor + f.sales.chargesMinor + f.sales.tipsMinor;
      expect(parts + f.sales.taxMinor + f.sales.taxRoundingMinor + f.sales.cashRoundingMinor, c.id).toBe(regular);
      // the residue of rounding each figure once: nothing in an exclusive store, a few cents in an inclusive one
      if (inclusive) expect(Math.abs(f.sales.taxRoundingMinor), c.id).toBeLessThanOrEqual(3);
      else expect(f.sales.taxRoundingMinor, c.id).toBe(0);
      for (const row of c.payments) {
        const account = f.accountPayments.find((x) => x.paymentTypeId === row.payment_type_id)?.amountMinor ?? 0;
        const reg = f.regularPayments.find((x) => x.paymentTypeId === row.payment_type_id)?.amountMinor ?? 0;
        const fig = f.payments.find((x) => x.paymentTypeId === row.payment_type_id)!;
        expect(fig.expectedMinor, `${c.id} ${row.name}`).toBe(reg + account);
        // the POS's closure record keeps what it said at close; a sale voided since leaves both live figures
        const late = f.voidedAfterClose.filter((v) => v.paymentTypeId === row.payment_type_id);
        const lateMinor = late.reduce((a, v) => a + v.amountMinor, 0);
        expect(fig.expectedAtCloseMinor).toBe(minor(row.expected));
        expect(fig.expectedMinor).toBe(minor(row.expected) - lateMinor);
        expect(fig.countedAtCloseMinor).toBe(minor(row.counted!));
        expect(fig.countedMinor).toBe(minor(row.counted!) - lateMinor);
        expect(fig.discrepancyMinor).toBe(minor(row.counted!) - minor(row.expected));
      }
    }
  });

  it("reports some till discrepancies, gift cards sold and store credit issued somewhere in the month", {
    timeout: 60_000,
  }, () => {
    const all = sb.closures(prefix).map((c) => sb.closureFigures(prefix, c.id));
    expect(all.some((f) => f.payments.some((p) => (p.discrepancyMinor ?? 0) > 0))).toBe(true);
    expect(all.some((f) => f.payments.some((p) => (p.discrepancyMinor ?? 0) < 0))).toBe(true);
    expect(all.some((f) => f.sales.giftCardsSoldMinor > 0)).toBe(true);
    expect(all.some((f) => f.sales.storeCreditIssuedViaReturnsMinor > 0)).toBe(true);
    expect(all.some((f) => f.sales.discountsMinor > 0)).toBe(true);
    expect(all.some((f) => f.accountPayments.length > 0)).toBe(true);
    if (prefix === "demo" || prefix === "demo-au") expect(all.some((f) => f.sales.cashRoundingMinor !== 0)).toBe(true);
    if (activity === "full") {
      expect(all.some((f) => f.sales.tipsMinor > 0)).toBe(true);
      expect(all.some((f) => f.sales.charges.length > 0)).toBe(true);
      expect(all.some((f) => f.loyaltyRedeemedMinor > 0)).toBe(true);
      expect(all.some((f) => f.voidedAfterClose.length > 0)).toBe(true);
      expect(all.some((f) => f.accountPayments.some((a) => a.amountMinor < 0))).toBe(true);
    }
    if (prefix === "demo-au" || prefix === "demo-uk")
      expect(all.some((f) => f.sales.taxRoundingMinor !== 0)).toBe(true);
  });
});
