import { describe, expect, it } from "vitest";
import { buildClosurePosting } from "../../worker/ledger";
import { debitsAndCredits } from "../../worker/reports/debits-credits";
import { ACCOUNTS as A, caContext, caRefs, quebecClosure } from "./ledger/fixtures";
import { doc, formTotal, journalSides, planOf } from "./ledger/helpers";

/**
 * The preview's debits and credits (issue 17.1): a bookkeeper checks where each amount lands before
 * going live, so the view must say exactly what QBO will post: every account, each side, to the cent.
 */
describe("a document as debits and credits", () => {
  const plan = planOf(buildClosurePosting(quebecClosure(), caContext()));
  const refs = caRefs();
  const name = (id: string) => refs.accounts.find((a) => a.id === id)!.fullyQualifiedName;

  it("a closure's sales receipt debits the clearing account with its total and credits income and tax", () => {
    const receipt = doc(plan, "sales");
    const view = debitsAndCredits("SalesReceipt", receipt.body, refs);
    expect(view.debitMinor).toBe(view.creditMinor);
    const clearing = view.lines.filter((l) => l.accountId === A.clearing);
    expect(clearing).toHaveLength(1);
    // the header is what QBO's TotalAmt will be: every line and the tax
    expect(clearing[0]!.debitMinor - clearing[0]!.creditMinor).toBe(formTotal(receipt));
    expect(clearing[0]!.account).toBe(name(A.clearing));
    // each category line lands in its item's income account, by name
    const clothing = view.lines.find((l) => l.memo.startsWith("Sales – Clothing"))!;
    expect(clothing.accountId).toBe(A.clothingIncome);
    expect(clothing.creditMinor).toBe(3499);
    // GST and QST each to the tax agency, as credits, summing to the document's tax
    const tax = view.lines.filter((l) => l.accountId === null);
    expect(tax.map((l) => l.account)).toEqual(expect.arrayContaining([expect.stringMatching(/^Tax payable: GST/)]));
    const taxDetail = receipt.body.TxnTaxDetail as { TotalTax: number };
    expect(tax.reduce((s, l) => s + l.creditMinor - l.debitMinor, 0)).toBe(Math.round(taxDetail.TotalTax * 100));
    for (const l of view.lines) expect(l.debitMinor === 0 || l.creditMinor === 0).toBe(true);
  });

  it("a closure's journal entry shows each line on its own side, as posted", () => {
    const journal = doc(plan, "payments");
    const view = debitsAndCredits("JournalEntry", journal.body, refs);
    const sides = journalSides(journal);
    expect(view.debitMinor).toBe(sides.debits);
    expect(view.creditMinor).toBe(sides.credits);
    for (const [account, signed] of sides.byAccount) {
      const mine = view.lines.filter((l) => l.accountId === account);
      expect(mine.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0)).toBe(signed);
    }
  });

  it("a refund receipt is the mirror of a sales receipt; a payment moves A/R to where it was deposited", () => {
    const receipt = doc(plan, "sales");
    const sales = debitsAndCredits("SalesReceipt", receipt.body, refs);
    const refund = debitsAndCredits("RefundReceipt", receipt.body, refs);
    expect(refund.lines.map((l) => [l.accountId, l.debitMinor, l.creditMinor])).toEqual(
      sales.lines.map((l) => [l.accountId, l.creditMinor, l.debitMinor]),
    );
    const payment = debitsAndCredits(
      "Payment",
      { TotalAmt: 12.34, DepositToAccountRef: { value: A.cash } },
      refs,
      "fr",
    );
    expect(payment.lines).toEqual([
      { account: name(A.cash), accountId: A.cash, memo: "Total", debitMinor: 1234, creditMinor: 0 },
      { account: "Comptes clients (C/C)", accountId: null, memo: "Total", debitMinor: 0, creditMinor: 1234 },
    ]);
  });

  it("a bill credits A/P with the whole and debits its lines and the recoverable tax", () => {
    const view = debitsAndCredits(
      "Bill",
      {
        APAccountRef: { value: A.payable },
        Line: [
          {
            Amount: 100,
            DetailType: "AccountBasedExpenseLineDetail",
            AccountBasedExpenseLineDetail: { AccountRef: { value: A.freight } },
          },
          {
            Amount: 0.05,
            DetailType: "AccountBasedExpenseLineDetail",
            AccountBasedExpenseLineDetail: { AccountRef: { value: A.duties } },
          },
        ],
        TxnTaxDetail: { TotalTax: 5, TaxLine: [{ Amount: 5, TaxLineDetail: { TaxRateRef: { value: "gst-rate" } } }] },
      },
      refs,
    );
    expect(view.lines[0]).toMatchObject({ accountId: A.payable, debitMinor: 0, creditMinor: 10505 });
    expect(view.debitMinor).toBe(10505);
    expect(view.creditMinor).toBe(10505);
    expect(view.lines.find((l) => l.accountId === null)!.account).toMatch(/^Tax recoverable: /);
  });

  it("a US document's single tax total goes to the tax payable named by its code", () => {
    const view = debitsAndCredits(
      "SalesReceipt",
      {
        DepositToAccountRef: { value: A.clearing },
        Line: [
          {
            Amount: 10,
            DetailType: "SalesItemLineDetail",
            SalesItemLineDetail: { ItemRef: { value: "nope", name: "Sales" } },
          },
        ],
        TxnTaxDetail: { TotalTax: 0.89, TxnTaxCodeRef: { value: "7", name: "Springfield" } },
      },
      refs,
    );
    expect(view.lines.map((l) => [l.account, l.debitMinor, l.creditMinor])).toEqual([
      [name(A.clearing), 1089, 0],
      ["Sales", 0, 1000],
      ["Tax payable: Springfield", 0, 89],
    ]);
  });
});
