import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hmacHex, type ClosureFigures } from "../../../sandbox/pos/index";
import type { RegisterClosure, Sale } from "../../../shared/domain/pos";
import { RegisterClosure as RegisterClosureSchema } from "../../../shared/domain/pos";
import { PosClient } from "../../../worker/pos/client";
import { loadClosure } from "../../../worker/pos/ingest";
import { createPosHarness, forgetTenant, TENANT, type PosHarness } from "./harness";

/**
 * THE TIE-OUT: the demo store's 30 days of trading, announced closure by closure through the
 * webhook endpoint (as the POS would have, had Tillbridge been connected), loaded through the
 * connector (sales paged by version cursor, mapped, grouped by sequence) into domain
 * RegisterClosures whose figures equal the sandbox's own (figures.ts, computed from its raw
 * records, never from the API JSON) for every closure, to the cent.
 */

const isAccount = (s: Sale) => s.kind !== "regular";
const sumBy = <T>(items: T[], key: (t: T) => string, amount: (t: T) => number) => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + amount(t));
  return m;
};
const sorted = (m: Map<string, number>) => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));

/** The closure's figures computed from the domain object alone, the way figures.ts defines them. */
function figuresOf(c: RegisterClosure, storeCreditTypes: Set<string>) {
  const sales = c.sales.filter((s) => s.completedSequenceId === c.id && s.state !== "parked" && !isAccount(s));
  const lines = sales.flatMap((s) => s.lines);
  const product = lines.filter((l) => l.kind === "product");
  const discounts =
    product.reduce((a, l) => a + l.discountMinor, 0) +
    lines.filter((l) => l.kind === "sale_discount").reduce((a, l) => a + l.discountMinor, 0);
  const undiscounted = product.reduce((a, l) => a + l.listMinor, 0);
  const giftCards = lines.filter((l) => l.kind === "gift_card").reduce((a, l) => a + l.netMinor, 0);
  const tax = sumBy(
    sales.flatMap((s) => s.taxes),
    (t) => t.rateId,
    (t) => t.taxMinor,
  );
  const payIn = (s: Sale) => s.payments.filter((p) => p.sequenceId === c.id);
  return {
    saleIds: sales.map((s) => s.id).sort(),
    byCategory: sorted(
      sumBy(
        product,
        (l) => l.categoryId ?? "",
        (l) => l.listMinor,
      ),
    ),
    undiscounted,
    discounts,
    net: undiscounted - discounts,
    giftCards,
    taxByRate: sorted(tax),
    tax: [...tax.values()].reduce((a, b) => a + b, 0),
    storeCredit:
      0 -
      sales
        .flatMap(payIn)
        .filter((p) => p.amountMinor < 0 && storeCreditTypes.has(p.paymentTypeId))
        .reduce((a, p) => a + p.amountMinor, 0),
    rounding: sales.reduce((a, s) => a + s.roundingMinor, 0),
    totalExTax: undiscounted - discounts + giftCards,
    regular: sorted(
      sumBy(
        c.sales.filter((s) => !isAccount(s)).flatMap(payIn),
        (p) => p.paymentTypeId,
        (p) => p.amountMinor,
      ),
    ),
    account: sorted(
      sumBy(
        c.sales.filter(isAccount).flatMap(payIn),
        (p) => p.paymentTypeId,
        (p) => p.amountMinor,
      ),
    ),
    // Sales whose lines tie to their totals (the mapper's promise)
    reconciled: c.sales.every(
      (s) =>
        s.lines.reduce((a, l) => a + l.netMinor, 0) === s.totalExTaxMinor &&
        s.taxes.reduce((a, t) => a + t.taxMinor, 0) === s.totalTaxMinor,
    ),
  };
}

function expected(f: ClosureFigures) {
  const m = (rows: { key: string; v: number }[]) => sorted(new Map(rows.map((r) => [r.key, r.v])));
  return {
    saleIds: [...f.sales.saleIds].sort(),
    byCategory: m(f.sales.undiscountedByCategory.map((r) => ({ key: r.categoryId ?? "", v: r.amountMinor }))),
    undiscounted: f.sales.undiscountedMinor,
    discounts: f.sales.discountsMinor,
    net: f.sales.netSalesExTaxMinor,
    giftCards: f.sales.giftCardsSoldMinor,
    taxByRate: m(f.sales.taxByRate.map((r) => ({ key: r.rateId, v: r.taxMinor }))),
    tax: f.sales.taxMinor,
    storeCredit: f.sales.storeCreditIssuedViaReturnsMinor,
    rounding: f.sales.cashRoundingMinor,
    totalExTax: f.sales.totalExTaxMinor,
    regular: m(f.regularPayments.map((r) => ({ key: r.paymentTypeId, v: r.amountMinor }))),
    account: m(f.accountPayments.map((r) => ({ key: r.paymentTypeId, v: r.amountMinor }))),
    reconciled: true,
  };
}

describe("the tie-out: 30 days of the demo store through the connector", () => {
  let h: PosHarness;
  const loaded: { closure: RegisterClosure; figures: ClosureFigures }[] = [];
  let requestsPerClosure = 0;

  beforeAll(async () => {
    await forgetTenant();
    h = createPosHarness();
    await h.connect();
    const hook = Object.values(h.sandbox.store(TENANT).webhooks).find((w) => w.type === "register_closure.create")!;
    const closures = h.sandbox.closures(TENANT);
    for (const c of closures) {
      const payload = {
        id: c.id,
        register_id: c.registerId,
        outlet_id: c.outletId,
        sequence_number: c.sequenceNumber,
        register_open_time: c.openedAt,
        register_close_time: c.closedAt,
        payments: c.payments.map((p) => ({
          retailer_payment_type_id: p.payment_type_id,
          name: p.name,
          expected: p.expected,
          counted: p.counted,
        })),
      };
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
        domain_prefix: TENANT,
        type: "register_closure.create",
      }).toString();
      const res = await h.app.request(
        hook.url,
        {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-signature": `signature=${await hmacHex(env.POS_CLIENT_SECRET, body)}, algorithm=HMAC-SHA256`,
          },
          body,
        },
        env,
      );
      expect(res.status).toBe(200);
    }
    const client = PosClient.forTenant(h.services, TENANT);
    for (const c of closures)
      loaded.push({
        closure: await loadClosure(h.services, TENANT, c.id, client),
        figures: h.sandbox.closureFigures(TENANT, c.id),
      });
    requestsPerClosure = client.requests / closures.length;
  }, 240_000);

  it("loads every closure of the 30 days (several registers a day) as a valid domain RegisterClosure", () => {
    expect(loaded.length).toBeGreaterThanOrEqual(30);
    for (const { closure } of loaded) expect(RegisterClosureSchema.parse(closure)).toEqual(closure);
  });

  it("ties every closure's sales, discounts, tax, gift cards, store credit, rounding and payments to the sandbox, to the cent", () => {
    const storeCreditTypes = new Set(
      Object.values(h.sandbox.store(TENANT).paymentTypes)
        .filter((p) => p.kind === "store_credit")
        .map((p) => p.id),
    );
    for (const { closure, figures } of loaded) {
      expect({ id: closure.id, ...figuresOf(closure, storeCreditTypes) }).toEqual({
        id: closure.id,
        ...expected(figures),
      });
    }
  });

  it("carries each payment type's expected and counted totals as announced", () => {
    for (const { closure, figures } of loaded) {
      const mine = new Map(closure.payments.map((p) => [p.paymentTypeId, [p.expectedMinor, p.countedMinor]]));
      for (const p of figures.payments)
        expect([closure.id, p.name, mine.get(p.paymentTypeId)]).toEqual([
          closure.id,
          p.name,
          [p.expectedMinor, p.countedMinor],
        ]);
    }
  });

  it("covers the store's special days: a net-negative closure, an after-midnight close, a void, a deleted payment type", () => {
    const net = loaded.map(({ closure }) =>
      closure.sales
        .filter((s) => s.completedSequenceId === closure.id && s.kind === "regular")
        .reduce((a, s) => a + s.totalMinor, 0),
    );
    expect(Math.min(...net)).toBeLessThan(0);
    expect(loaded.some(({ closure }) => closure.closedAt.slice(0, 10) !== closure.openedAt.slice(0, 10))).toBe(true);
    const store = h.sandbox.store(TENANT);
    const deleted = Object.values(store.paymentTypes)
      .filter((p) => p.deletedAt !== null)
      .map((p) => p.id);
    expect(
      loaded.some(({ closure }) =>
        closure.payments.some((p) => deleted.includes(p.paymentTypeId) && p.expectedMinor !== 0),
      ),
    ).toBe(true);
    expect(Object.values(store.sales).some((s) => s.state === "voided")).toBe(true);
    // and the figures are not trivially zero: every kind of amount occurs somewhere
    const f = loaded.map(({ figures }) => figures);
    for (const pick of [
      (x: ClosureFigures) => x.sales.discountsMinor,
      (x: ClosureFigures) => x.sales.giftCardsSoldMinor,
      (x: ClosureFigures) => x.sales.storeCreditIssuedViaReturnsMinor,
      (x: ClosureFigures) => x.sales.cashRoundingMinor,
      (x: ClosureFigures) => x.accountPayments.length,
      (x: ClosureFigures) => x.sales.taxByRate.length - 1,
    ]) {
      expect(f.some((x) => pick(x) !== 0)).toBe(true);
    }
  });

  it("pages sales by cursor once for the whole run, not per closure", () => {
    const sales = Object.keys(h.sandbox.store(TENANT).sales).length;
    // 200 a page, then the empty page that says the cursor is caught up
    expect(h.calls.filter((c) => c === "GET /sales")).toHaveLength(Math.ceil(sales / 200) + 1);
    expect(requestsPerClosure).toBeLessThan(1);
  });
});
