import { describe, expect, it } from "vitest";
import { buildClosurePosting } from "../../../worker/ledger";
import { ACCOUNTS as A, CLOSURE_ID, caContext, quebecClosure } from "./fixtures";
import {
  cents,
  doc,
  effectMap,
  expectSound,
  formTotal,
  journalSides,
  line,
  linesOf,
  planOf,
  taxDetail,
} from "./helpers";

describe("a Quebec closure (GST + QST) posts as SPEC §1.1 says, to the cent", () => {
  const plan = planOf(buildClosurePosting(quebecClosure(), caContext()));
  const receipt = doc(plan, "sales");
  const journal = doc(plan, "payments");

  it("is a SalesReceipt into the clearing account and a JournalEntry, in that order, both sound", () => {
    expect(plan.documents.map((d) => [d.part, d.entity])).toEqual([
      ["sales", "SalesReceipt"],
      ["payments", "JournalEntry"],
    ]);
    expectSound(plan);
    expect(receipt.body.DepositToAccountRef).toEqual({ value: A.clearing, name: "Tillbridge POS clearing" });
    expect(receipt.body.CustomerRef).toEqual({ value: "300" });
    expect(receipt.body.GlobalTaxCalculation).toBe("TaxExcluded");
    expect(plan.txnDate).toBe("2026-03-14");
    expect(plan.key).toBe(`tb1|laurier|closure|${CLOSURE_ID}|1`);
  });

  it("Sales – category lines at the undiscounted price, one per (item × POS tax), categories sharing an item merged", () => {
    const clothing = line(receipt, "Sales – Clothing > Shirts, Clothing > Tops (GST + QST)");
    expect(cents(clothing.Amount)).toBe(3499); // 50.00 − 25.00 (return) + 9.99
    expect(clothing.SalesItemLineDetail).toEqual({
      ItemRef: { value: "100", name: "Clothing" },
      Qty: 1,
      UnitPrice: 34.99,
      TaxCodeRef: { value: "5" },
      ClassRef: { value: "c1" },
    });
    expect(cents(line(receipt, "Sales – Accessories (GST + QST)").Amount)).toBe(1999); // the on-account handbag and the voided hat stay out
    const books = line(receipt, "Sales – Books (GST)");
    expect(cents(books.Amount)).toBe(7000);
    expect((books.SalesItemLineDetail as { TaxCodeRef: unknown }).TaxCodeRef).toEqual({ value: "6" }); // the GST-only category
  });

  it("Discounts given per POS tax (line and sale-level, returns reduce them)", () => {
    expect(cents(line(receipt, "Discounts given (GST + QST)").Amount)).toBe(-250); // 5.00 − 2.50
    expect(cents(line(receipt, "Discounts given (GST)").Amount)).toBe(-400);
  });

  it("gift cards sold, store credit issued through the return, the till discrepancy and the rounding each on their line", () => {
    const gc = line(receipt, "Gift card liability");
    expect(cents(gc.Amount)).toBe(5000);
    expect(gc.SalesItemLineDetail).toMatchObject({ ItemRef: { value: "111" }, TaxCodeRef: { value: "7" } });
    expect(cents(line(receipt, "Store credit liability").Amount)).toBe(2587);
    const till = line(receipt, "Till discrepancy – Cash (counted 98.30, expected 99.30)");
    expect(cents(till.Amount)).toBe(-100);
    expect(till.SalesItemLineDetail).toMatchObject({ ItemRef: { value: "113" }, TaxCodeRef: { value: "7" } });
    expect(cents(line(receipt, "Cash rounding").Amount)).toBe(1);
    expect(linesOf(receipt)).toHaveLength(9);
  });

  it("tax per QBO rate carries the POS amounts, with the taxable base", () => {
    const tax = taxDetail(receipt)!;
    expect(cents(tax.TotalTax)).toBe(1116);
    expect(tax.TaxLine).toEqual([
      {
        DetailType: "TaxLineDetail",
        Amount: 5.92,
        TaxLineDetail: { TaxRateRef: { value: "r-gst" }, PercentBased: true, TaxPercent: 5, NetAmountTaxable: 118.48 },
      },
      {
        DetailType: "TaxLineDetail",
        Amount: 5.24,
        TaxLineDetail: {
          TaxRateRef: { value: "r-qst" },
          PercentBased: true,
          TaxPercent: 9.975,
          NetAmountTaxable: 52.48,
        },
      },
    ]);
  });

  it("the payments journal puts counted − on-account payments in each deposit account and redemptions against the liability", () => {
    const { debits, credits, byAccount } = journalSides(journal);
    expect(debits).toBe(20452);
    expect(credits).toBe(20452);
    expect(Object.fromEntries(byAccount)).toEqual({
      [A.cash]: 7830, // counted 98.30 − 20.00 taken on the on-account sale
      [A.card]: 10622,
      [A.giftCardLiability]: 2000,
      [A.clearing]: -20452,
    });
    expect(formTotal(receipt)).toBe(20452); // the receipt's total: the clearing account nets to zero
  });

  it("books: the effect on every account, clearing at zero", () => {
    expect(effectMap(plan)[A.clearing]).toBeUndefined();
    expect(plan.effects.find((e) => e.accountId === A.clothingIncome)?.label).toBe("Sales – Clothing");
    expect(plan.effects.find((e) => e.accountId === "tax:r-qst")?.label).toBe("Tax – QST 9.975%");
    expect(effectMap(plan)).toEqual({
      [A.clothingIncome]: -3499,
      [A.accessoriesIncome]: -1999,
      [A.booksIncome]: -7000,
      [A.discounts]: 650,
      [A.giftCardLiability]: -3000, // 50.00 sold − 20.00 redeemed
      [A.storeCreditLiability]: -2587,
      [A.overShort]: 100,
      [A.rounding]: -1,
      "tax:r-gst": -592,
      "tax:r-qst": -524,
      [A.cash]: 7830,
      [A.card]: 10622,
    });
  });

  it("variance: every tie-out row is zero; QBO's own QST would be 5.23, shown as the override row", () => {
    const rows = plan.variance.filter((r) => r.line !== "tax_override");
    expect(rows.every((r) => r.diffMinor === 0)).toBe(true);
    expect(rows.map((r) => [r.line, r.label, r.posMinor])).toEqual([
      ["net_sales", "Net sales (sales − discounts)", 11848],
      ["tax", "Tax – POS rate GST", 592],
      ["tax", "Tax – POS rate QST", 524],
      ["gift_cards", "Gift cards sold or reloaded, and refunds onto cards", 5000],
      ["store_credit", "Store credit issued through returns", 2587],
      ["rounding", "Cash rounding", 1],
      ["payment", "Cash (expected)", 9930], // 78.30 to the till + 1.00 short + 20.00 against the invoice
      ["payment", "Cash (counted)", 9830],
      ["payment", "Credit Card (expected)", 10622],
      ["payment", "Credit Card (counted)", 10622],
      ["payment", "Gift Card (expected)", 2000],
      ["payment", "Store Credit (expected)", -2587],
    ]);
    expect(plan.variance.filter((r) => r.line === "tax_override")).toEqual([
      {
        line: "tax_override",
        label: "tax rounding (override) – GST 5%",
        posMinor: 592,
        postedMinor: 592,
        diffMinor: 0,
      },
      {
        line: "tax_override",
        label: "tax rounding (override) – QST 9.975%",
        posMinor: 524,
        postedMinor: 523,
        diffMinor: -1,
      }, // 52.48 × 9.975 % = 5.23488
    ]);
  });

  it("DocNumbers are readable, ≤ 21 and distinct; PrivateNote carries the key, register, sequence and outlet", () => {
    expect(receipt.docNumber).toMatch(/^Z12-S-[0-9A-Z]{8}$/);
    expect(journal.docNumber).toMatch(/^Z12-P-[0-9A-Z]{8}$/);
    const note = String(receipt.body.PrivateNote);
    for (const part of [plan.key, "Main 1", "sequence #12", "outlet Montréal", CLOSURE_ID])
      expect(note).toContain(part);
    expect(receipt.body.DepartmentRef).toEqual({ value: "d1" });
    expect(journal.body.DepartmentRef).toEqual({ value: "d1" });
  });

  it("the summary reads like the preview", () => {
    expect(plan.summary.slice(0, 3)).toEqual([
      { label: "Sales – Accessories (GST + QST)", amountMinor: 1999 },
      { label: "Sales – Books (GST)", amountMinor: 7000 },
      { label: "Sales – Clothing > Shirts, Clothing > Tops (GST + QST)", amountMinor: 3499 },
    ]);
    expect(plan.summary).toContainEqual({ label: "SalesReceipt total", amountMinor: 20452 });
    expect(plan.summary).toContainEqual({ label: "Cash → Till cash", amountMinor: 7830 });
  });
});
