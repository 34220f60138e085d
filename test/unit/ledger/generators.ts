import fc from "fast-check";
import type { PurchaseOrderReceipt, RegisterClosure, Sale, SaleLine, SalePayment } from "../../../shared/domain/pos";
import { allocate, formatDec, minorToDec, mulDec, parseDec, toMinor } from "../../../shared/money";
import { CLOSURE_ID, CUSTOMER, POS_TAXES, PT, SUPPLIER } from "./fixtures";

/**
 * Realistic, internally consistent POS objects for property tests: lines priced with 5-decimal unit
 * prices and fractional or negative quantities, per-line tax rounded half-up per POS rate, line and
 * sale-level discounts, returns, gift cards, payments that cover each sale with Canadian 5-cent cash
 * rounding, store credit, on-account and layby sales, voided and parked sales.
 */

export const CATEGORIES = ["cat-tops", "cat-shirts", "cat-acc", "cat-books"] as const;
const TAXES = ["tx-gstqst", "tx-gst", "tx-none"] as const;
const rateOf = new Map(POS_TAXES.flatMap((t) => t.rates.map((r) => [r.id, parseDec(r.rate)] as const)));
const ratesOfTax = (taxId: string) => POS_TAXES.find((t) => t.id === taxId)!.rates.map((r) => r.id);

let seq = 0;
const id = (p: string) => `${p}${++seq}`;

const quantity = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("0.375", "1.5", "2.25", "0.001", "12.5", "0.333", "3.14159") },
);
const unitPrice = fc.integer({ min: 1, max: 50_000_000 }).map((n) => formatDec({ m: BigInt(n), s: 5 }));
const discountRate = fc.constantFrom("0", "0", "0", "0.1", "0.15", "0.5", "1");

function taxesOn(netMinor: number, taxId: string | null): { rateId: string; taxMinor: number }[] {
  if (taxId === null) return [];
  return ratesOfTax(taxId).map((rateId) => ({
    rateId,
    taxMinor: toMinor(mulDec(minorToDec(netMinor), rateOf.get(rateId)!), "half-up"),
  }));
}

const productLine = (sign: 1 | -1) =>
  fc
    .record({
      cat: fc.constantFrom(...CATEGORIES),
      tax: fc.constantFrom<string | null>(...TAXES, null),
      qty: quantity,
      price: unitPrice,
      pct: discountRate,
    })
    .map((r): SaleLine => {
      const qty = sign < 0 ? `-${r.qty}` : r.qty;
      const listMinor = toMinor(mulDec(parseDec(qty), parseDec(r.price)), "half-up");
      const discountMinor = toMinor(mulDec(minorToDec(listMinor), parseDec(r.pct)), "half-up");
      const netMinor = listMinor - discountMinor;
      return {
        id: id("l"),
        kind: "product",
        productId: id("p"),
        productName: `Product ${seq}`,
        sku: seq % 3 === 0 ? `SKU-${seq}` : null,
        categoryId: r.cat,
        quantity: qty,
        unitListPrice: r.price,
        listMinor,
        discountMinor,
        netMinor,
        taxId: r.tax,
        taxes: taxesOn(netMinor, r.tax),
        isReturn: sign < 0,
        giftCardNumber: null,
      };
    });

const giftCardLine = fc.integer({ min: 500, max: 20_000 }).map(
  (amount): SaleLine => ({
    id: id("l"),
    kind: "gift_card",
    productId: "p-gc",
    productName: "Gift Card",
    sku: null,
    categoryId: null,
    quantity: "1",
    unitListPrice: formatDec({ m: BigInt(amount), s: 2 }),
    listMinor: amount,
    discountMinor: 0,
    netMinor: amount,
    taxId: null,
    taxes: [],
    isReturn: false,
    giftCardNumber: `GC-${seq}`,
  }),
);

const saleDiscount = fc
  .record({ d: fc.integer({ min: 1, max: 2_000 }), tax: fc.constantFrom("tx-gstqst", "tx-gst") })
  .map(
    ({ d, tax }): SaleLine => ({
      id: id("l"),
      kind: "sale_discount",
      productId: "p-disc",
      productName: "Discount",
      sku: null,
      categoryId: null,
      quantity: "1",
      unitListPrice: "0",
      listMinor: 0,
      discountMinor: d,
      netMinor: -d,
      taxId: tax,
      taxes: taxesOn(-d, tax),
      isReturn: false,
      giftCardNumber: null,
    }),
  );

/** Canadian cash rounding: to the nearest 5 cents, 1–2 down, 3–4 up. */
export function roundCash(c: number): number {
  const r = ((c % 5) + 5) % 5;
  return r <= 2 ? c - r : c + (5 - r);
}

function totals(lines: SaleLine[]) {
  const totalExTaxMinor = lines.reduce((s, l) => s + l.netMinor, 0);
  const byRate = new Map<string, number>();
  for (const l of lines) for (const t of l.taxes) byRate.set(t.rateId, (byRate.get(t.rateId) ?? 0) + t.taxMinor);
  const totalTaxMinor = [...byRate.values()].reduce((a, b) => a + b, 0);
  return {
    totalExTaxMinor,
    totalTaxMinor,
    totalMinor: totalExTaxMinor + totalTaxMinor,
    taxes: [...byRate.entries()].map(([rateId, taxMinor]) => ({ rateId, taxMinor })),
  };
}

function payment(paymentTypeId: string, amountMinor: number, sequenceId: string | null): SalePayment {
  return {
    id: id("pay"),
    paymentTypeId,
    paymentTypeName: paymentTypeId,
    amountMinor,
    paidAt: "2026-03-14T18:00:00Z",
    registerId: "reg-1",
    sequenceId,
  };
}

function baseSale(lines: SaleLine[], extra: Partial<Sale>): Sale {
  return {
    id: id("sale-"),
    version: "1",
    outletId: "out-mtl",
    registerId: "reg-1",
    invoiceNumber: String(1000 + seq),
    saleDate: "2026-03-14T17:00:00Z",
    state: "closed",
    kind: "regular",
    customer: null,
    completedSequenceId: CLOSURE_ID,
    returnForSaleId: null,
    lines,
    ...totals(lines),
    roundingMinor: 0,
    payments: [],
    note: null,
    ...extra,
  };
}

/** A regular sale (or return) paid in this closure: split across tenders, cash rounded to 5 cents. */
export const regularSale = fc
  .record({
    isReturn: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    lines: fc.array(productLine(1), { minLength: 1, maxLength: 5 }),
    returns: fc.array(productLine(-1), { minLength: 1, maxLength: 3 }),
    giftCards: fc.array(giftCardLine, { maxLength: 1 }),
    saleDiscount: fc.option(saleDiscount, { nil: undefined }),
    weights: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(6), fc.nat(6), fc.nat(2)),
    refundTo: fc.constantFrom(PT.cash, PT.card, PT.storeCredit, PT.giftCard),
  })
  .map((r): Sale => {
    const lines = r.isReturn ? r.returns : [...r.lines, ...r.giftCards, ...(r.saleDiscount ? [r.saleDiscount] : [])];
    const sale = baseSale(lines, { returnForSaleId: r.isReturn ? "sale-original" : null });
    const T = sale.totalMinor;
    const pays: SalePayment[] = [];
    let rounding = 0;
    if (T >= 0) {
      const [gc, sc, card, cash, afterpay] = allocate(T, r.weights.every((w) => w === 0) ? [0, 0, 0, 1, 0] : r.weights);
      const paidCash = roundCash(cash!);
      rounding = paidCash - cash!;
      for (const [type, amount] of [
        [PT.giftCard, gc],
        [PT.storeCredit, sc],
        [PT.card, card],
        [PT.cash, paidCash],
        [PT.afterpay, afterpay],
      ] as const) {
        if (amount) pays.push(payment(type, amount, CLOSURE_ID));
      }
    } else if (r.refundTo === PT.cash) {
      const paid = roundCash(T);
      rounding = paid - T;
      if (paid) pays.push(payment(PT.cash, paid, CLOSURE_ID));
    } else pays.push(payment(r.refundTo, T, CLOSURE_ID));
    return { ...sale, payments: pays, roundingMinor: rounding };
  });

/** An on-account or layby sale with payments taken here or in another sequence. */
export const onAccountSale = fc
  .record({
    lines: fc.array(productLine(1), { minLength: 1, maxLength: 3 }),
    kind: fc.constantFrom("on_account" as const, "layby" as const),
    chargedHere: fc.boolean(),
    completed: fc.constantFrom<string | null>(CLOSURE_ID, "seq-old", null),
    payments: fc.array(
      fc.record({
        type: fc.constantFrom(PT.cash, PT.card, PT.giftCard, PT.afterpay),
        share: fc.integer({ min: 1, max: 40 }),
        here: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
  })
  .map((r): Sale => {
    const sale = baseSale(r.lines, {
      kind: r.kind,
      state: "pending",
      customer: CUSTOMER,
      completedSequenceId: r.completed,
    });
    const T = Math.max(sale.totalMinor, 0);
    const pays = [payment(PT.onAccount, sale.totalMinor, r.chargedHere ? CLOSURE_ID : "seq-old")];
    for (const p of r.payments) {
      const amount = toMinor(mulDec(minorToDec(T), { m: BigInt(p.share), s: 2 }), "half-up");
      if (amount > 0) pays.push(payment(p.type, amount, p.here ? CLOSURE_ID : "seq-old"));
    }
    return { ...sale, payments: pays };
  });

const DEPOSIT = [PT.cash, PT.card, PT.afterpay] as const;

/** A closure whose payments summary is what its sales say, with counted figures around expected. */
export const closureArb = fc
  .record({
    regular: fc.array(regularSale, { maxLength: 10 }),
    onAccount: fc.array(onAccountSale, { maxLength: 3 }),
    voided: fc.array(regularSale, { maxLength: 2 }),
    parked: fc.array(regularSale, { maxLength: 1 }),
    discrepancy: fc.tuple(
      ...DEPOSIT.map(() =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(0) },
          { weight: 2, arbitrary: fc.integer({ min: -2_000, max: 2_000 }) },
        ),
      ),
    ),
    zeroRows: fc.boolean(),
  })
  .map((r): RegisterClosure => {
    const sales = [
      ...r.regular,
      ...r.onAccount,
      ...r.voided.map((s) => ({ ...s, state: "voided" as const })),
      ...r.parked.map((s) => ({ ...s, state: "parked" as const, payments: [], completedSequenceId: null })),
    ];
    const expected = new Map<string, number>();
    for (const s of sales) {
      if (s.state === "voided" || s.state === "parked") continue;
      for (const p of s.payments)
        if (p.sequenceId === CLOSURE_ID)
          expected.set(p.paymentTypeId, (expected.get(p.paymentTypeId) ?? 0) + p.amountMinor);
    }
    if (r.zeroRows) for (const t of [PT.cash, PT.card, PT.storeCredit]) if (!expected.has(t)) expected.set(t, 0);
    const payments = [...expected.entries()].map(([paymentTypeId, expectedMinor]) => {
      const d = DEPOSIT.indexOf(paymentTypeId as (typeof DEPOSIT)[number]);
      return {
        paymentTypeId,
        name: paymentTypeId,
        expectedMinor,
        countedMinor: d >= 0 ? expectedMinor + r.discrepancy[d]! : null,
      };
    });
    return {
      id: CLOSURE_ID,
      registerId: "reg-1",
      registerName: "Main 1",
      outletId: "out-mtl",
      outletName: "Montréal",
      timeZone: "America/Toronto",
      sequenceNumber: 12,
      openedAt: "2026-03-14T13:00:00Z",
      closedAt: "2026-03-14T23:30:00Z",
      payments,
      sales,
    };
  });

/** A received delivery whose line totals are qty × cost rounded half-up, with charges a bill can carry. */
export const purchaseOrderArb = fc
  .record({
    lines: fc.array(
      fc.record({
        qty: fc.oneof(fc.integer({ min: 0, max: 200 }).map(String), fc.constantFrom("12.5", "0.75", "3.333")),
        cost: unitPrice,
      }),
      { maxLength: 8 },
    ),
    shipping: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    duties: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    discountShare: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })
  .map((r): PurchaseOrderReceipt => {
    const lines = r.lines.map((l, i) => ({
      id: `pol${i}`,
      productId: `p${i}`,
      productName: `Fabric ${i}`,
      sku: null,
      receivedQuantity: l.qty,
      unitCost: l.cost,
      totalMinor: toMinor(mulDec(parseDec(l.qty), parseDec(l.cost)), "half-up"),
    }));
    const linesTotalMinor = lines.reduce((s, l) => s + l.totalMinor, 0);
    const costs = [
      ...(r.shipping ? [{ type: "SHIPPING", amountMinor: r.shipping }] : []),
      ...(r.duties ? [{ type: "DUTIES", amountMinor: r.duties }] : []),
    ];
    const gross = linesTotalMinor + costs.reduce((s, c) => s + c.amountMinor, 0);
    const discount = r.discountShare
      ? toMinor(mulDec(minorToDec(gross), { m: BigInt(r.discountShare), s: 2 }), "half-up")
      : 0;
    return {
      purchaseOrderId: id("po-"),
      deliveryId: seq % 2 ? id("del-") : null,
      version: "1",
      outletId: "out-mtl",
      timeZone: "America/Toronto",
      supplier: SUPPLIER,
      orderNumber: `PO-${seq}`,
      supplierInvoice: seq % 3 ? `INV-${seq}` : null,
      receivedAt: "2026-03-14T15:00:00Z",
      lines,
      costs,
      discounts: discount ? [{ type: "DISCOUNT", amountMinor: discount }] : [],
      linesTotalMinor,
    };
  });

/** An on-account sale for its own invoice: possibly a return (negative), possibly with cash rounding. */
export const invoiceSaleArb = fc
  .record({
    lines: fc.array(productLine(1), { minLength: 1, maxLength: 6 }),
    returns: fc.array(productLine(-1), { maxLength: 2 }),
    giftCards: fc.array(giftCardLine, { maxLength: 1 }),
    saleDiscount: fc.option(saleDiscount, { nil: undefined }),
    rounding: fc.integer({ min: -2, max: 2 }),
  })
  .map(
    (r): Sale =>
      baseSale([...r.lines, ...r.returns, ...r.giftCards, ...(r.saleDiscount ? [r.saleDiscount] : [])], {
        kind: "on_account",
        state: "pending",
        customer: CUSTOMER,
        completedSequenceId: null,
        roundingMinor: r.rounding,
      }),
  );
