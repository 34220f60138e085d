import { describe, expect, it } from "vitest";
import { formatMinor } from "../../../shared/money";
import { buildClosurePosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, closure, giftCardLine, pay, product, PT, sale, usContext } from "./fixtures";
import {
  blockersOf,
  cents,
  doc,
  effectMap,
  expectSound,
  journalSides,
  line,
  linesOf,
  planOf,
  taxDetail,
} from "./helpers";

const cash = (expectedMinor: number, countedMinor: number | null = expectedMinor) => ({
  paymentTypeId: PT.cash,
  name: "Cash",
  expectedMinor,
  countedMinor,
});
const book = (priceMinor: number, gst: number) =>
  product("Book", "cat-books", "1", formatMinor(priceMinor), priceMinor, 0, "tx-gst", [["pr-gst", gst]]);

describe("till discrepancies and cash rounding", () => {
  it("cash over: counted 11.00 against 10.50 expected raises the over/short item by 0.50; the till account gets what was counted", () => {
    const plan = planOf(
      buildClosurePosting(
        closure([sale("2001", [book(1000, 50)], [pay(PT.cash, 1050)])], [cash(1050, 1100)]),
        caContext(),
      ),
    );
    expectSound(plan);
    const receipt = doc(plan, "sales");
    expect(cents(line(receipt, "Till discrepancy – Cash (counted 11.00, expected 10.50)").Amount)).toBe(50);
    expect(Object.fromEntries(journalSides(doc(plan, "payments")).byAccount)).toEqual({
      [A.cash]: 1100,
      [A.clearing]: -1100,
    });
    expect(effectMap(plan)).toEqual({ [A.booksIncome]: -1000, [A.overShort]: -50, "tax:r-gst": -50, [A.cash]: 1100 });
  });

  it("cash short: counted 10.00 against 10.50 lowers it (a debit of 0.50 to over/short)", () => {
    const plan = planOf(
      buildClosurePosting(
        closure([sale("2002", [book(1000, 50)], [pay(PT.cash, 1050)])], [cash(1050, 1000)]),
        caContext(),
      ),
    );
    expect(cents(line(doc(plan, "sales"), "Till discrepancy – Cash").Amount)).toBe(-50);
    expect(effectMap(plan)[A.overShort]).toBe(50);
    expect(effectMap(plan)[A.cash]).toBe(1000);
  });

  it("5-cent rounding: 10.02 paid as 10.00 in cash posts a −0.02 rounding line through the rounding item", () => {
    // Book 9.54 + GST 0.477 → 0.48 = 10.02
    const plan = planOf(
      buildClosurePosting(
        closure([sale("2003", [book(954, 48)], [pay(PT.cash, 1000)], { roundingMinor: -2 })], [cash(1000)]),
        caContext(),
      ),
    );
    expectSound(plan);
    const rounding = line(doc(plan, "sales"), "Cash rounding");
    expect(cents(rounding.Amount)).toBe(-2);
    expect(rounding.SalesItemLineDetail).toMatchObject({ ItemRef: { value: "114" }, TaxCodeRef: { value: "7" } });
    expect(effectMap(plan)[A.rounding]).toBe(2);
    expect(plan.variance.find((r) => r.line === "rounding")).toEqual({
      line: "rounding",
      label: "Cash rounding",
      posMinor: -2,
      postedMinor: -2,
      diffMinor: 0,
    });
  });
});

describe("lines that cancel out still post, each in its own place", () => {
  it("cash over 0.50 and card short 0.50: both till lines post, each with the non-taxable code", () => {
    const plan = planOf(
      buildClosurePosting(
        closure(
          [sale("2101", [book(1000, 50)], [pay(PT.cash, 1050)]), sale("2102", [book(2000, 100)], [pay(PT.card, 2100)])],
          [cash(1050, 1100), { paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 2100, countedMinor: 2050 }],
        ),
        caContext(),
      ),
    );
    expectSound(plan);
    const receipt = doc(plan, "sales");
    const over = line(receipt, "Till discrepancy – Cash (counted 11.00, expected 10.50)");
    const short = line(receipt, "Till discrepancy – Credit Card (counted 20.50, expected 21.00)");
    expect([cents(over.Amount), cents(short.Amount)]).toEqual([50, -50]);
    for (const l of [over, short]) expect(l.SalesItemLineDetail).toMatchObject({ TaxCodeRef: { value: "7" } });
    expect(effectMap(plan)).toMatchObject({ [A.cash]: 1100, [A.card]: 2050 });
    expect(effectMap(plan)[A.overShort]).toBeUndefined();
  });

  it("an even exchange across categories moves the income between them (nothing nets across categories)", () => {
    const shirt = product("Shirt", "cat-tops", "1", "20.00", 2000, 0, "tx-gst", [["pr-gst", 100]]);
    const bookBack = product("Book", "cat-books", "-1", "20.00", -2000, 0, "tx-gst", [["pr-gst", -100]]);
    const plan = planOf(buildClosurePosting(closure([sale("2103", [shirt, bookBack], [])], []), caContext()));
    expectSound(plan);
    expect(plan.documents.map((d) => d.entity)).toEqual(["SalesReceipt"]);
    const receipt = doc(plan, "sales");
    expect(cents(line(receipt, "Sales – Clothing > Tops (GST)").Amount)).toBe(2000);
    expect(cents(line(receipt, "Sales – Books (GST)").Amount)).toBe(-2000);
    expect(effectMap(plan)).toEqual({ [A.clothingIncome]: -2000, [A.booksIncome]: 2000 });
  });
});

describe("a net-negative closure never fails: it posts a RefundReceipt", () => {
  // T-shirt returned: −25.00, GST −1.25, QST −2.49375 → −2.49; −28.74 refunded as −28.75 cash (rounding −0.01)
  const ret = sale(
    "2004",
    [
      product("T-shirt", "cat-tops", "-1", "25.00000", -2500, 0, "tx-gstqst", [
        ["pr-gst", -125],
        ["pr-qst", -249],
      ]),
    ],
    [pay(PT.cash, -2875)],
    { roundingMinor: -1 },
  );
  const plan = planOf(buildClosurePosting(closure([ret], [cash(-2875)]), caContext()));

  it("every line negated, tax lines and base negated, total 28.75", () => {
    expectSound(plan);
    const refund = doc(plan, "sales");
    expect(refund.entity).toBe("RefundReceipt");
    expect(refund.body.DepositToAccountRef).toMatchObject({ value: A.clearing });
    const sales = line(refund, "Sales – Clothing > Tops (GST + QST)");
    expect(sales).toMatchObject({ Amount: 25, SalesItemLineDetail: { Qty: 1, UnitPrice: 25 } });
    expect(cents(line(refund, "Cash rounding").Amount)).toBe(1);
    expect(taxDetail(refund)).toEqual({
      TotalTax: 3.74,
      TaxLine: [
        {
          DetailType: "TaxLineDetail",
          Amount: 1.25,
          TaxLineDetail: { TaxRateRef: { value: "r-gst" }, PercentBased: true, TaxPercent: 5, NetAmountTaxable: 25 },
        },
        {
          DetailType: "TaxLineDetail",
          Amount: 2.49,
          TaxLineDetail: {
            TaxRateRef: { value: "r-qst" },
            PercentBased: true,
            TaxPercent: 9.975,
            NetAmountTaxable: 25,
          },
        },
      ],
    });
  });

  it("the payments journal credits the till and debits the clearing account", () => {
    const j = doc(plan, "payments");
    expect(
      linesOf(j).map((l) => [(l.JournalEntryLineDetail as { PostingType: string }).PostingType, l.Amount]),
    ).toEqual([
      ["Credit", 28.75],
      ["Debit", 28.75],
    ]);
    expect(effectMap(plan)).toEqual({
      [A.clothingIncome]: 2500,
      [A.rounding]: 1,
      "tax:r-gst": 125,
      "tax:r-qst": 249,
      [A.cash]: -2875,
    });
    expect(plan.summary).toContainEqual({ label: "RefundReceipt total (refunded)", amountMinor: -2875 });
  });
});

describe("payment types", () => {
  it("a deleted payment type still posts when it is mapped (Afterpay → its clearing account)", () => {
    const c = closure(
      [sale("2005", [book(2000, 100)], [pay(PT.afterpay, 2100)])],
      [{ paymentTypeId: PT.afterpay, name: "Afterpay", expectedMinor: 2100, countedMinor: 2100 }],
    );
    const plan = planOf(buildClosurePosting(c, caContext()));
    expect(effectMap(plan)[A.afterpay]).toBe(2100);
  });

  it("a refund onto a gift card (negative Gift Card payment) raises the gift card liability with the cards sold", () => {
    const c = closure(
      [
        sale("2006", [giftCardLine("GC-9", 3000)], [pay(PT.card, 3000)]),
        sale("2007", [book(-1000, -50)], [pay(PT.giftCard, -1050)], { returnForSaleId: "sale-1" }),
      ],
      [
        { paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 3000, countedMinor: 3000 },
        { paymentTypeId: PT.giftCard, name: "Gift Card", expectedMinor: -1050, countedMinor: null },
      ],
    );
    const plan = planOf(buildClosurePosting(c, caContext()));
    expectSound(plan);
    expect(cents(line(doc(plan, "sales"), "Gift card liability").Amount)).toBe(4050);
    expect(effectMap(plan)[A.giftCardLiability]).toBe(-4050);
    expect(plan.variance.find((r) => r.label === "Gift Card (expected)")).toMatchObject({
      posMinor: -1050,
      postedMinor: -1050,
      diffMinor: 0,
    });
  });

  it("store credit redeemed lowers the liability in the payments journal", () => {
    const c = closure(
      [sale("2008", [book(2000, 100)], [pay(PT.storeCredit, 2100)])],
      [{ paymentTypeId: PT.storeCredit, name: "Store Credit", expectedMinor: 2100, countedMinor: 0 }],
    );
    const plan = planOf(buildClosurePosting(c, caContext()));
    expect(Object.fromEntries(journalSides(doc(plan, "payments")).byAccount)).toEqual({
      [A.storeCreditLiability]: 2100,
      [A.clearing]: -2100,
    });
  });

  it("an on-account payment taken at the register stays out of the closure's documents; the till holds counted", () => {
    const onAccount = sale("2009", [book(10000, 500)], [pay(PT.onAccount, 10500, "seq-3"), pay(PT.cash, 4000)], {
      kind: "layby",
      state: "pending",
      completedSequenceId: "seq-3",
    });
    const plan = planOf(buildClosurePosting(closure([onAccount], [cash(4000, 4000)]), caContext()));
    expect(plan.documents).toEqual([]);
    expect(plan.variance).toContainEqual({
      line: "payment",
      label: "Cash (counted)",
      posMinor: 4000,
      postedMinor: 4000,
      diffMinor: 0,
    });
  });
});

describe("nothing to post", () => {
  it("a closure with no sales and zero payments is an ok plan with zero documents", () => {
    const plan = planOf(
      buildClosurePosting(
        closure(
          [],
          [cash(0, 0), { paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 0, countedMinor: null }],
        ),
        caContext(),
      ),
    );
    expect(plan.documents).toEqual([]);
    expect(plan.effects).toEqual([]);
    expect(plan.txnDate).toBe("2026-03-14");
  });

  it("even with nothing mapped", () => {
    const ctx = caContext();
    ctx.mappings = { ...ctx.mappings, paymentTypes: {}, accounts: {}, closureCustomerId: undefined };
    expect(buildClosurePosting(closure([sale("2010", [], [], { state: "parked" })], [cash(0, null)]), ctx).ok).toBe(
      true,
    );
  });
});

describe("US sales tax model", () => {
  // Hat 20.00 × 8.875 % = 1.775 → 1.78; gift card 25.00 (NON)
  const us = () =>
    closure(
      [
        sale(
          "3001",
          [product("Hat", "cat-acc", "1", "20", 2000, 0, "tx-nyc", [["pr-nyc", 178]]), giftCardLine("GC-1", 2500)],
          [pay(PT.card, 4678)],
        ),
      ],
      [{ paymentTypeId: PT.card, name: "Credit Card", expectedMinor: 4678, countedMinor: 4678 }],
    );

  it("lines carry TAX / NON, the document one TxnTaxCodeRef and the POS's TotalTax", () => {
    const plan = planOf(buildClosurePosting(us(), usContext()));
    expectSound(plan);
    const receipt = doc(plan, "sales");
    expect(receipt.body.GlobalTaxCalculation).toBeUndefined();
    expect(line(receipt, "Sales – Accessories (NYC sales tax)").SalesItemLineDetail).toMatchObject({
      TaxCodeRef: { value: "TAX" },
    });
    expect(line(receipt, "Gift card liability").SalesItemLineDetail).toMatchObject({ TaxCodeRef: { value: "NON" } });
    expect(taxDetail(receipt)).toEqual({ TxnTaxCodeRef: { value: "2" }, TotalTax: 1.78 });
    expect(effectMap(plan)["taxcode:2"]).toBe(-178);
    expect(plan.variance.find((r) => r.line === "tax_override")).toMatchObject({ posMinor: 178, postedMinor: 178 });
  });

  it("several taxable US codes in one closure block it, naming them", () => {
    const c = us();
    c.sales.push(
      sale("3002", [product("Cap", "cat-acc", "1", "10", 1000, 0, "tx-alb", [["pr-alb", 80]])], [pay(PT.card, 1080)]),
    );
    c.payments[0]!.expectedMinor = c.payments[0]!.countedMinor = 5758;
    expect(blockersOf(buildClosurePosting(c, usContext()))).toEqual([
      {
        code: "unsupported_event",
        detail:
          "the closure mixes several US sales tax codes ('Albany', 'NYC'); QuickBooks Online allows one per document",
      },
    ]);
  });
});

describe("company settings", () => {
  it("no ClassRef / DepartmentRef when the company does not track them; CurrencyRef when it is multi-currency", () => {
    const ctx = caContext();
    ctx.refs = { ...ctx.refs, classTracking: false, departmentTracking: false, multiCurrency: true };
    const plan = planOf(
      buildClosurePosting(closure([sale("2011", [book(1000, 50)], [pay(PT.cash, 1050)])], [cash(1050)]), ctx),
    );
    const receipt = doc(plan, "sales");
    expect(receipt.body.DepartmentRef).toBeUndefined();
    expect(JSON.stringify(receipt.body)).not.toContain("ClassRef");
    expect(receipt.body.CurrencyRef).toEqual({ value: "CAD" });
    expect(doc(plan, "payments").body.CurrencyRef).toEqual({ value: "CAD" });
  });

  it("an outlet selling in another currency than the company's is not posted", () => {
    const ctx = caContext({
      outlets: [{ id: "out-mtl", name: "Montréal", timeZone: "America/Toronto", currency: "USD" }],
    });
    expect(
      blockersOf(
        buildClosurePosting(closure([sale("2012", [book(1000, 50)], [pay(PT.cash, 1050)])], [cash(1050)]), ctx),
      ),
    ).toEqual([
      {
        code: "unsupported_event",
        detail: "outlet 'Montréal' sells in USD but the QuickBooks company's home currency is CAD",
      },
    ]);
  });

  it("a new revision changes the key, the request ids and the DocNumbers", () => {
    const c = closure([sale("2013", [book(1000, 50)], [pay(PT.cash, 1050)])], [cash(1050)]);
    const one = planOf(buildClosurePosting(c, caContext()));
    const two = planOf(buildClosurePosting(c, caContext({ revision: "2" })));
    expect(two.key).toBe(one.key.replace(/\|1$/, "|2"));
    expect(two.documents.map((d) => d.requestId)).not.toEqual(one.documents.map((d) => d.requestId));
    expect(two.documents.map((d) => d.docNumber)).not.toEqual(one.documents.map((d) => d.docNumber));
  });
});

describe("line limit", () => {
  it("more than 750 category × tax lines block the closure instead of posting a partial document", () => {
    const ctx = caContext();
    const categories = Array.from({ length: 760 }, (_, i) => ({
      id: `cat-${i}`,
      name: `C${i}`,
      path: `C${i}`,
      leaf: true,
    }));
    ctx.categories = categories;
    ctx.refs = {
      ...ctx.refs,
      items: [
        ...ctx.refs.items,
        ...categories.map((_c, i) => ({
          id: `it-${i}`,
          name: `Item ${i}`,
          type: "Service",
          incomeAccountId: A.salesIncome,
          expenseAccountId: null,
          assetAccountId: null,
          active: true,
        })),
      ],
    };
    ctx.mappings.categories = Object.fromEntries(categories.map((c, i) => [c.id, `it-${i}`]));
    const lines = categories.map((c) => product(c.name, c.id, "1", "1", 100, 0, "tx-none", []));
    const total = lines.length * 100;
    const r = buildClosurePosting(
      closure(
        [sale("2014", lines, [pay(PT.card, total)])],
        [{ paymentTypeId: PT.card, name: "Credit Card", expectedMinor: total, countedMinor: total }],
      ),
      ctx,
    );
    expect(blockersOf(r)).toEqual([
      { code: "unsupported_event", detail: "the closure needs 760 lines; QuickBooks Online accepts at most 750" },
    ]);
  });
});
