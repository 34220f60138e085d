import { describe, expect, it } from "vitest";
import {
  buildAccountCreditPosting,
  buildCancellationPosting,
  buildSaleInvoicePosting,
  creditOnAccount,
} from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, CUSTOMER, pay, product, PT, sale } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, hasPlaceholder, line, linesOf, planOf } from "./helpers";

/**
 * SPEC §4.4: a return of an on-account sale whose refund goes back on account is a CreditMemo for
 * the customer (income and tax reversed line by line), applied to the open invoice.
 */

const shirt = (qty: string, list: number, gst: number, qst: number) =>
  product("Shirt", "cat-shirts", qty, "40.00", list, 0, "tx-gstqst", [
    ["pr-gst", gst],
    ["pr-qst", qst],
  ]);
const book = (qty: string, list: number, gst: number) =>
  product("Book", "cat-books", qty, "25.00", list, 0, "tx-gst", [["pr-gst", gst]]);

/** One shirt (40.00 + 2.00 GST + 3.99 QST) and one book (25.00 + 1.25 GST) come back on account. */
const ret = (payments = [] as ReturnType<typeof pay>[]) =>
  sale("5002", [shirt("-1", -4000, -200, -399), book("-1", -2500, -125)], payments, {
    kind: "on_account",
    customer: CUSTOMER,
    returnForSaleId: "sale-5001",
    completedSequenceId: null,
  });

describe("a return on account", () => {
  it("posts a CreditMemo for the customer: each returned line's income and tax reversed, A/R down", () => {
    const plan = planOf(buildSaleInvoicePosting(ret(), caContext(), { customerId: "55" }));
    expectSound(plan);
    const memo = doc(plan, "invoice");
    expect(memo.entity).toBe("CreditMemo");
    expect(cents(line(memo, "Shirt").Amount)).toBe(4000);
    expect(cents(line(memo, "Book").Amount)).toBe(2500);
    expect(effectMap(plan)).toEqual({
      [A.receivable]: -7224,
      [A.clothingIncome]: 4000,
      [A.booksIncome]: 2500,
      "tax:r-gst": 325,
      "tax:r-qst": 399,
    });
  });

  it("applies the whole credit to the original invoice: a Payment of no money linking both", () => {
    const plan = planOf(
      buildAccountCreditPosting(ret(), caContext(), { customerId: "55", invoiceId: "301", creditMemoId: "302" }),
    );
    expectSound(plan);
    expect(hasPlaceholder(plan)).toBe(false);
    const p = doc(plan, "credit");
    expect(p.entity).toBe("Payment");
    expect(p.body.TotalAmt).toBe(0);
    expect(p.body.CustomerRef).toEqual({ value: "55" });
    expect(linesOf(p).map((l) => [l.Amount, l.LinkedTxn])).toEqual([
      [72.24, [{ TxnId: "301", TxnType: "Invoice" }]],
      [72.24, [{ TxnId: "302", TxnType: "CreditMemo" }]],
    ]);
    expect(plan.effects).toEqual([]);
    expect(plan.variance).toEqual([
      {
        line: "account_credit",
        label: "Credit applied to the invoice",
        posMinor: 7224,
        postedMinor: 7224,
        diffMinor: 0,
      },
    ]);
  });

  it("applies only what was not paid out in money (a cash refund of 20.00 leaves 52.24 on account)", () => {
    const partly = ret([pay(PT.cash, -2000)]);
    expect(creditOnAccount(partly, caContext())?.amountMinor).toBe(5224);
    const p = doc(planOf(buildAccountCreditPosting(partly, caContext())), "credit");
    expect(linesOf(p).map((l) => l.Amount)).toEqual([52.24, 52.24]);
    // unresolved, the engine fills the customer, the invoice and the credit memo
    expect(JSON.stringify(p.body)).toContain("__credit_memo__");
  });

  it("a negative On Account charge is the credit itself, not money paid out", () => {
    expect(creditOnAccount(ret([pay(PT.onAccount, -7224)]), caContext())?.amountMinor).toBe(7224);
  });

  it("posts nothing when the refund was paid out in full, or the return was voided", () => {
    const paidOut = planOf(buildAccountCreditPosting(ret([pay(PT.card, -7224)]), caContext()));
    expect(paidOut.documents).toEqual([]);
    const voided = planOf(buildAccountCreditPosting({ ...ret(), state: "voided" }, caContext()));
    expect(voided.documents).toEqual([]);
  });

  it("refuses a sale that is neither a return on account nor a cancelled layby, saying why", () => {
    const plain = { ...ret(), returnForSaleId: null };
    expect(blockersOf(buildAccountCreditPosting(plain, caContext())).map((b) => b.detail)).toEqual([
      "sale #5002: neither a return nor a cancelled layby",
    ]);
  });
});

/**
 * A layby of a shirt and a book (72.24), 20.00 deposit, cancelled the way the POS does it: each
 * line again with a negative quantity, and the deposit refunded (cash) or kept as store credit.
 */
const cancelled = (refund: ReturnType<typeof pay>) =>
  sale(
    "6001",
    [shirt("1", 4000, 200, 399), book("1", 2500, 125), shirt("-1", -4000, -200, -399), book("-1", -2500, -125)],
    [pay(PT.cash, 2000, "seq-10", "2026-03-10T15:00:00Z"), refund],
    { kind: "layby", customer: CUSTOMER, completedSequenceId: null },
  );

describe("a cancelled layby leaves nothing open", () => {
  const refund = pay(PT.cash, -2000, "seq-12", "2026-03-14T18:00:00Z");

  it("its invoice is the layby as it was made, not the zero the cancelled sale totals", () => {
    const plan = planOf(buildSaleInvoicePosting(cancelled(refund), caContext(), { customerId: "55" }));
    expectSound(plan);
    expect(doc(plan, "invoice").entity).toBe("Invoice");
    expect(effectMap(plan)[A.receivable]).toBe(7224);
  });

  it("its cancelling lines are a CreditMemo for the whole layby, dated when the deposit went back", () => {
    const plan = planOf(buildCancellationPosting(cancelled(refund), caContext(), { customerId: "55" }));
    expectSound(plan);
    expect(plan.posId).toBe("cancel:sale-6001");
    expect(plan.key).toBe("tb1|laurier|account_credit|cancel:sale-6001|1");
    expect(plan.txnDate).toBe("2026-03-14");
    const memo = doc(plan, "memo");
    expect(memo.entity).toBe("CreditMemo");
    expect(effectMap(plan)).toEqual({
      [A.receivable]: -7224,
      [A.clothingIncome]: 4000,
      [A.booksIncome]: 2500,
      "tax:r-gst": 325,
      "tax:r-qst": 399,
    });
  });

  it("the credit applied to the invoice is what was still owed: the whole less the refunded deposit", () => {
    const found = creditOnAccount(cancelled(refund), caContext());
    expect([found?.amountMinor, found?.invoiceOfSaleId]).toEqual([5224, "sale-6001"]);
    const kept = pay(PT.storeCredit, -2000, "seq-12", "2026-03-14T18:00:00Z");
    expect(creditOnAccount(cancelled(kept), caContext())?.amountMinor).toBe(5224);
    const plan = planOf(
      buildAccountCreditPosting(cancelled(refund), caContext(), {
        customerId: "55",
        invoiceId: "401",
        creditMemoId: "402",
      }),
    );
    expect(linesOf(doc(plan, "credit")).map((l) => [l.Amount, l.LinkedTxn])).toEqual([
      [52.24, [{ TxnId: "401", TxnType: "Invoice" }]],
      [52.24, [{ TxnId: "402", TxnType: "CreditMemo" }]],
    ]);
  });

  it("a sale without cancelling lines has no cancellation", () => {
    const plain = sale("6002", [book("1", 2500, 125)], [], { kind: "layby", customer: CUSTOMER });
    expect(planOf(buildCancellationPosting(plain, caContext())).documents).toEqual([]);
  });
});
