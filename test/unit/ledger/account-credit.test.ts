import { describe, expect, it } from "vitest";
import { buildAccountCreditPosting, buildSaleInvoicePosting, creditOnAccount } from "../../../worker/ledger";
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
    expect(creditOnAccount(partly, caContext())).toBe(5224);
    const p = doc(planOf(buildAccountCreditPosting(partly, caContext())), "credit");
    expect(linesOf(p).map((l) => l.Amount)).toEqual([52.24, 52.24]);
    // unresolved, the engine fills the customer, the invoice and the credit memo
    expect(JSON.stringify(p.body)).toContain("__credit_memo__");
  });

  it("a negative On Account charge is the credit itself, not money paid out", () => {
    expect(creditOnAccount(ret([pay(PT.onAccount, -7224)]), caContext())).toBe(7224);
  });

  it("posts nothing when the refund was paid out in full, or the return was voided", () => {
    const paidOut = planOf(buildAccountCreditPosting(ret([pay(PT.card, -7224)]), caContext()));
    expect(paidOut.documents).toEqual([]);
    const voided = planOf(buildAccountCreditPosting({ ...ret(), state: "voided" }, caContext()));
    expect(voided.documents).toEqual([]);
  });

  it("refuses a sale that is not a return on account, saying why", () => {
    const plain = { ...ret(), returnForSaleId: null };
    expect(blockersOf(buildAccountCreditPosting(plain, caContext())).map((b) => b.detail)).toEqual([
      "sale #5002: not a return: it names no original sale",
    ]);
  });
});
