import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RegisterClosure, Sale } from "../../../shared/domain/pos";
import { minorToDec, mulDec, parseDec, toMinor } from "../../../shared/money";
import {
  buildClosurePosting,
  buildGiftCardExpiryPosting,
  buildPurchaseOrderPosting,
  buildSaleInvoicePosting,
  buildSalePaymentPosting,
  buildStoreCreditIssuePosting,
} from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, CLOSURE_ID, CUSTOMER, POS_TAXES, PT } from "./fixtures";
import { closureArb, invoiceSaleArb, purchaseOrderArb } from "./generators";
import {
  cents,
  doc,
  effectMap,
  expectSound,
  formTotal,
  hasPlaceholder,
  journalSides,
  linesOf,
  nonZero,
  planOf,
} from "./helpers";

/**
 * SPEC §1's tables, computed here from the POS objects on their own, against what the ledger posts.
 */
const RUNS = { numRuns: 150 };
const ITEM_INCOME: Record<string, string> = {
  "cat-tops": A.clothingIncome,
  "cat-shirts": A.clothingIncome,
  "cat-acc": A.accessoriesIncome,
  "cat-books": A.booksIncome,
};
const DEPOSIT_ACCOUNT: Record<string, string> = { [PT.cash]: A.cash, [PT.card]: A.card, [PT.afterpay]: A.afterpay };
const QBO_RATE: Record<string, string> = { "pr-gst": "r-gst", "pr-qst": "r-qst" };
const PERCENT: Record<string, string> = { "r-gst": "5", "r-qst": "9.975" };

const TYPE_NAME = Object.fromEntries(caContext().paymentTypes.map((p) => [p.id, p.name]));
const included = (s: Sale) => s.state !== "parked" && s.state !== "voided";
const completedHere = (s: Sale) => included(s) && s.kind === "regular" && s.completedSequenceId === CLOSURE_ID;

function add(m: Record<string, number>, k: string, v: number) {
  m[k] = (m[k] ?? 0) + v;
}

/** The books effect of a closure per SPEC §1.1 and DESIGN §1.1, line by line of the table. */
function expectedClosureEffects(c: RegisterClosure): Record<string, number> {
  const e: Record<string, number> = {};
  for (const s of c.sales.filter(completedHere)) {
    for (const l of s.lines) {
      if (l.kind === "product") add(e, ITEM_INCOME[l.categoryId!]!, -l.listMinor); // Sales – category: income of the mapped item
      if (l.kind === "gift_card") add(e, A.giftCardLiability, -l.listMinor); // gift cards sold: liability up
      add(e, A.discounts, l.discountMinor); // discounts given: contra-income
      for (const t of l.taxes) add(e, `tax:${QBO_RATE[t.rateId]}`, -t.taxMinor); // tax per rate: liability
    }
    add(e, A.rounding, -s.roundingMinor);
    for (const p of s.payments) {
      if (p.paymentTypeId === PT.giftCard) add(e, A.giftCardLiability, p.amountMinor); // redeemed: down; refunded onto a card: up
      if (p.paymentTypeId === PT.storeCredit) add(e, A.storeCreditLiability, p.amountMinor); // redeemed: down; issued by a return: up
    }
  }
  for (const row of c.payments) {
    const account = DEPOSIT_ACCOUNT[row.paymentTypeId];
    if (!account) continue;
    const onAccount = onAccountPayments(c, row.paymentTypeId);
    add(e, account, row.countedMinor! - onAccount); // each deposit account: counted − on-account payments
    add(e, A.overShort, -(row.countedMinor! - row.expectedMinor)); // till discrepancy: over/short
  }
  return nonZero(e);
}

function onAccountPayments(c: RegisterClosure, typeId: string): number {
  return c.sales
    .filter((s) => included(s) && s.kind !== "regular")
    .flatMap((s) => s.payments)
    .filter((p) => p.sequenceId === CLOSURE_ID && p.paymentTypeId === typeId)
    .reduce((s, p) => s + p.amountMinor, 0);
}

/** QBO's own tax per rate: half-up of Σ taxable net × rate over the document. */
function qboComputedTax(c: RegisterClosure): Map<string, { pos: number; qbo: number }> {
  const net = new Map<string, number>();
  const pos = new Map<string, number>();
  for (const s of c.sales.filter(completedHere)) {
    for (const l of s.lines) {
      for (const t of l.taxes) pos.set(QBO_RATE[t.rateId]!, (pos.get(QBO_RATE[t.rateId]!) ?? 0) + t.taxMinor);
      if (l.kind === "gift_card" || l.taxId === null) continue;
      for (const r of POS_TAXES.find((t) => t.id === l.taxId)!.rates)
        net.set(QBO_RATE[r.id]!, (net.get(QBO_RATE[r.id]!) ?? 0) + l.netMinor);
    }
  }
  const out = new Map<string, { pos: number; qbo: number }>();
  for (const [rate, n] of net) {
    const qbo = toMinor(mulDec(mulDec(minorToDec(n), parseDec(PERCENT[rate]!)), parseDec("0.01")), "half-up");
    if (n !== 0 || (pos.get(rate) ?? 0) !== 0) out.set(rate, { pos: pos.get(rate) ?? 0, qbo });
  }
  return out;
}

describe("closures (generated)", () => {
  it("every document balances, the clearing account nets to zero, and each account moves as SPEC §1.1 says", () => {
    fc.assert(
      fc.property(closureArb, (c) => {
        const plan = planOf(buildClosurePosting(c, caContext()));
        expectSound(plan);
        expect(effectMap(plan)).toEqual(expectedClosureEffects(c));
        const sales = plan.documents.find((d) => d.part === "sales");
        const payments = plan.documents.find((d) => d.part === "payments");
        const salesTotal = sales ? (sales.entity === "RefundReceipt" ? -1 : 1) * formTotal(sales) : 0;
        const clearing = payments ? (journalSides(payments).byAccount.get(A.clearing) ?? 0) : 0;
        expect(salesTotal + clearing).toBe(0);
        if (sales) expect(sales.entity).toBe(salesTotal < 0 ? "RefundReceipt" : "SalesReceipt");
      }),
      RUNS,
    );
  });

  it("variance rows are all zero; the tax override rows are exactly QBO's own computation minus the POS tax", () => {
    fc.assert(
      fc.property(closureArb, (c) => {
        const plan = planOf(buildClosurePosting(c, caContext()));
        for (const r of plan.variance) expect(r.diffMinor).toBe(r.postedMinor - r.posMinor);
        expect(plan.variance.filter((r) => r.line !== "tax_override" && r.diffMinor !== 0)).toEqual([]);
        if (plan.documents.length === 0) return;
        const expected = qboComputedTax(c);
        const overrides = plan.variance.filter((r) => r.line === "tax_override");
        expect(overrides.map((r) => [r.label, r.posMinor, r.postedMinor]).sort()).toEqual(
          [...expected.entries()]
            .map(([rate, x]) => [
              `tax rounding (override) – ${rate === "r-gst" ? "GST 5%" : "QST 9.975%"}`,
              x.pos,
              x.qbo,
            ])
            .sort(),
        );
      }),
      RUNS,
    );
  });

  it("payments tie out: closure postings + on-account payments = the POS payments summary, per type", () => {
    fc.assert(
      fc.property(closureArb, (c) => {
        const plan = planOf(buildClosurePosting(c, caContext()));
        const sales = plan.documents.find((d) => d.part === "sales");
        const journal = plan.documents.find((d) => d.part === "payments");
        const sign = sales?.entity === "RefundReceipt" ? -1 : 1;
        const salesLine = (prefix: string) =>
          sign *
          linesOf(sales!)
            .filter((l) => String(l.Description).startsWith(prefix))
            .reduce((s, l) => s + cents(l.Amount), 0);
        const jeOf = (account: string) => (journal ? (journalSides(journal).byAccount.get(account) ?? 0) : 0);
        for (const row of c.payments) {
          const onAccount = onAccountPayments(c, row.paymentTypeId);
          const deposit = DEPOSIT_ACCOUNT[row.paymentTypeId];
          if (deposit) {
            const till = sales ? salesLine(`Till discrepancy – ${TYPE_NAME[row.paymentTypeId]} `) : 0;
            expect(jeOf(deposit) - till + onAccount).toBe(row.expectedMinor);
          }
          if (row.paymentTypeId === PT.giftCard) {
            const sold = c.sales
              .filter(completedHere)
              .flatMap((s) => s.lines)
              .filter((l) => l.kind === "gift_card")
              .reduce((s, l) => s + l.listMinor, 0);
            const liabilityUp = sales ? salesLine("Gift card liability") : 0;
            expect(jeOf(A.giftCardLiability) - (liabilityUp - sold) + onAccount).toBe(row.expectedMinor);
          }
          if (row.paymentTypeId === PT.storeCredit) {
            const issued = sales ? salesLine("Store credit liability") : 0;
            expect(jeOf(A.storeCreditLiability) - issued + onAccount).toBe(row.expectedMinor);
          }
        }
      }),
      RUNS,
    );
  });

  it("is deterministic: the same closure gives the same plan", () => {
    fc.assert(
      fc.property(closureArb, (c) => {
        const a = buildClosurePosting(c, caContext());
        const b = buildClosurePosting(structuredClone(c), caContext());
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 50 },
    );
  });

  it("the POS tax posted per rate is the sales' tax per rate (nothing absorbed)", () => {
    fc.assert(
      fc.property(closureArb, (c) => {
        const plan = planOf(buildClosurePosting(c, caContext()));
        const tax = new Map<string, number>();
        for (const s of c.sales.filter(completedHere))
          for (const t of s.taxes)
            tax.set(`tax:${QBO_RATE[t.rateId]}`, (tax.get(`tax:${QBO_RATE[t.rateId]}`) ?? 0) - t.taxMinor);
        const fromPlan = Object.fromEntries(Object.entries(effectMap(plan)).filter(([k]) => k.startsWith("tax:")));
        expect(fromPlan).toEqual(nonZero(Object.fromEntries(tax)));
      }),
      { numRuns: 50 },
    );
  });
});

describe("purchase orders (generated)", () => {
  it("the bill balances; inventory, charges, QBO's input tax and A/P move as SPEC §1.2 says", () => {
    fc.assert(
      fc.property(purchaseOrderArb, (po) => {
        const plan = planOf(buildPurchaseOrderPosting(po, caContext(), { vendorId: "56" }));
        expectSound(plan);
        expect(hasPlaceholder(plan)).toBe(false);
        const shipping = po.costs.find((c) => c.type === "SHIPPING")?.amountMinor ?? 0;
        const duties = po.costs.find((c) => c.type === "DUTIES")?.amountMinor ?? 0;
        const discount = po.discounts[0]?.amountMinor ?? 0;
        const total = po.linesTotalMinor + shipping + duties - discount;
        const itc = (p: string) => toMinor(mulDec(mulDec(minorToDec(total), parseDec(p)), parseDec("0.01")), "half-up");
        expect(effectMap(plan)).toEqual(
          nonZero({
            [A.inventory]: po.linesTotalMinor,
            [A.freight]: shipping,
            [A.duties]: duties,
            [A.purchaseDiscounts]: -discount,
            "tax:p-gst": itc("5"),
            "tax:p-qst": itc("9.975"),
            [A.payable]: -(total + itc("5") + itc("9.975")),
          }),
        );
        if (plan.documents.length) expect(formTotal(doc(plan, "bill"))).toBe(total);
        expect(plan.variance.every((r) => r.diffMinor === 0)).toBe(true);
        expect(JSON.stringify(buildPurchaseOrderPosting(structuredClone(po), caContext(), { vendorId: "56" }))).toBe(
          JSON.stringify({ ok: true, plan }),
        );
      }),
      RUNS,
    );
  });
});

describe("on-account sales and their payments (generated)", () => {
  it("the invoice (or credit memo) totals the sale with its rounding, to A/R, each line at Qty × UnitPrice", () => {
    fc.assert(
      fc.property(invoiceSaleArb, (s) => {
        const plan = planOf(buildSaleInvoicePosting(s, caContext(), { customerId: "77" }));
        expectSound(plan);
        expect(hasPlaceholder(plan)).toBe(false);
        const total = s.totalMinor + s.roundingMinor;
        if (plan.documents.length === 0) return expect(total).toBe(0);
        const d = doc(plan, "invoice");
        expect(d.entity).toBe(total < 0 ? "CreditMemo" : "Invoice");
        expect((total < 0 ? -1 : 1) * formTotal(d)).toBe(total);
        const e: Record<string, number> = { [A.receivable]: total, [A.rounding]: -s.roundingMinor };
        for (const l of s.lines) {
          if (l.kind === "product") add(e, ITEM_INCOME[l.categoryId!]!, -l.listMinor);
          if (l.kind === "gift_card") add(e, A.giftCardLiability, -l.listMinor);
          add(e, A.discounts, l.discountMinor);
          for (const t of l.taxes) add(e, `tax:${QBO_RATE[t.rateId]}`, -t.taxMinor);
        }
        expect(effectMap(plan)).toEqual(nonZero(e));
        expect(plan.variance.filter((r) => r.line !== "tax_override" && r.diffMinor !== 0)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("each POS payment on it posts its amount against A/R into the payment type's account", () => {
    const payments = fc.array(
      fc.record({
        type: fc.constantFrom(PT.cash, PT.card, PT.afterpay, PT.giftCard, PT.storeCredit),
        amount: fc.integer({ min: 1, max: 500_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(invoiceSaleArb, payments, (s, ps) => {
        const sale: Sale = {
          ...s,
          payments: ps.map((p, i) => ({
            id: `pp${i}`,
            paymentTypeId: p.type,
            paymentTypeName: p.type,
            amountMinor: p.amount,
            paidAt: "2026-03-15T12:00:00Z",
            registerId: "reg-1",
            sequenceId: CLOSURE_ID,
          })),
        };
        for (const p of sale.payments) {
          const plan = planOf(
            buildSalePaymentPosting(sale, p.id, caContext(), { customerId: "77", invoiceId: "1042" }),
          );
          expectSound(plan);
          expect(hasPlaceholder(plan)).toBe(false);
          const landing =
            DEPOSIT_ACCOUNT[p.paymentTypeId] ??
            (p.paymentTypeId === PT.giftCard ? A.giftCardLiability : A.storeCreditLiability);
          expect(effectMap(plan)).toEqual({ [landing]: p.amountMinor, [A.receivable]: -p.amountMinor });
          expect(cents(doc(plan, "payment").body.TotalAmt)).toBe(p.amountMinor);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("gift-card expiry and manual store credit (generated)", () => {
  it("one balanced journal moving exactly the amount", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom("America/Toronto", "America/Vancouver", "Europe/Paris"),
        (amount, timeZone) => {
          const expiry = planOf(
            buildGiftCardExpiryPosting(
              {
                transactionId: "t",
                giftCardId: "g",
                giftCardNumber: "GC-1",
                amountMinor: amount,
                occurredAt: "2026-06-01T03:00:00Z",
                timeZone,
              },
              caContext(),
            ),
          );
          expectSound(expiry);
          expect(effectMap(expiry)).toEqual({ [A.giftCardLiability]: amount, [A.breakage]: -amount });
          const issue = planOf(
            buildStoreCreditIssuePosting(
              {
                transactionId: "t",
                customer: CUSTOMER,
                amountMinor: amount,
                occurredAt: "2026-06-01T03:00:00Z",
                timeZone,
                notes: null,
              },
              caContext(),
            ),
          );
          expectSound(issue);
          expect(effectMap(issue)).toEqual({ [A.storeCreditExpense]: amount, [A.storeCreditLiability]: -amount });
        },
      ),
      RUNS,
    );
  });
});
