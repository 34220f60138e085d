import { describe, expect, it } from "vitest";
import type { ClosureFigures, PaymentTypeFigures } from "../../../worker/ledger/closure/figures";
import type { ClosureRule, ClosureRuleLines, PostedClosure, RoledType } from "../../../worker/ledger/closure/rule";
import { applyRule, CLOSURE_RULES, closureLines } from "../../../worker/ledger/closure/rules";
import { charges } from "../../../worker/ledger/closure/rules/charges";
import { discountsGiven } from "../../../worker/ledger/closure/rules/discounts-given";
import { giftCardLiability } from "../../../worker/ledger/closure/rules/gift-card-liability";
import { loyalty } from "../../../worker/ledger/closure/rules/loyalty";
import { payments } from "../../../worker/ledger/closure/rules/payments";
import { rounding } from "../../../worker/ledger/closure/rules/rounding";
import { salesByCategory } from "../../../worker/ledger/closure/rules/sales-by-category";
import { storeCreditLiability } from "../../../worker/ledger/closure/rules/store-credit-liability";
import { taxCollected } from "../../../worker/ledger/closure/rules/tax-collected";
import { tillDiscrepancies } from "../../../worker/ledger/closure/rules/till-discrepancies";
import { tips } from "../../../worker/ledger/closure/rules/tips";
import type { Blocker, LedgerContext } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, caRefs, closure, PT } from "./fixtures";
import { withoutAbout } from "./helpers";

/**
 * Each rule of SPEC §1.1's table on its own: hand-made closure figures and the Quebec shop's
 * mappings in, the rule's lines, blockers and line-up rows out.
 */

function figures(over: Partial<ClosureFigures> = {}): ClosureFigures {
  return {
    categorySales: [],
    discounts: [],
    giftCardsSoldMinor: 0,
    roundingMinor: 0,
    lineTaxes: [],
    saleTaxByRate: new Map(),
    netSalesPosMinor: 0,
    charges: [],
    tipsMinor: 0,
    taxRoundingMinor: 0,
    paymentTypes: new Map(),
    ...over,
  };
}

function paymentType(id: string, name: string, over: Partial<PaymentTypeFigures> = {}): PaymentTypeFigures {
  return {
    id,
    name,
    thing: `payment type '${name}'`,
    expectedMinor: 0,
    countedMinor: 0,
    regularInMinor: 0,
    regularOutMinor: 0,
    onAccountMinor: 0,
    ...over,
  };
}

const account = (id: string) => caRefs().accounts.find((a) => a.id === id)!;
const deposit = (f: PaymentTypeFigures, accountId: string): RoledType => ({
  f,
  role: "deposit",
  account: account(accountId),
});

/** A rule's lines with the blockers it recorded, flattened for reading. */
type AppliedRule = ClosureRuleLines & { blockers: Omit<Blocker, "about">[] };

function apply(
  rule: ClosureRule,
  f: ClosureFigures,
  types: RoledType[] = [],
  ctx: LedgerContext = caContext(),
): AppliedRule {
  const { lines, blockers } = applyRule(rule, { closure: closure([], []), figures: f, types }, ctx);
  return { ...lines, blockers: withoutAbout(blockers) }; // English words; what they are about: blockers.test.ts
}

/** The sales-document lines as a bookkeeper reads them: kind, item, amount, label, POS tax. */
const salesLines = (r: AppliedRule) =>
  (r.salesLines ?? []).map((l) => [l.kind, l.item.name, l.amountMinor, l.label, l.tax?.posTaxId ?? null]);
const paymentsLines = (r: AppliedRule) =>
  (r.paymentsLines ?? []).map((l) => [l.source, l.account.name, l.debitMinor, l.description]);

/** What the documents carry, for a rule's line-up: its own lines unless told otherwise. */
function posted(r: AppliedRule, over: Partial<PostedClosure> = {}): PostedClosure {
  return {
    salesLines: r.salesLines ?? [],
    taxes: r.taxes ?? [],
    paymentsLines: r.paymentsLines ?? [],
    taxRows: [],
    ...over,
  };
}
const lineUp = (r: AppliedRule, over: Partial<PostedClosure> = {}) =>
  (r.lineUp?.(posted(r, over)) ?? []).map((v) => [v.line, v.label, v.posMinor, v.postedMinor]);

function without(mutate: (ctx: LedgerContext) => void): LedgerContext {
  const ctx = caContext();
  mutate(ctx);
  return ctx;
}

describe("Sales – category", () => {
  const sold = figures({
    categorySales: [
      { categoryId: "cat-tops", taxId: "tx-gstqst", listMinor: 5000 },
      { categoryId: "cat-books", taxId: "tx-gst", listMinor: 3000 },
      { categoryId: "cat-shirts", taxId: "tx-gstqst", listMinor: 999 },
      { categoryId: "cat-acc", taxId: "tx-gstqst", listMinor: 1999 },
      { categoryId: "cat-acc", taxId: "tx-gst", listMinor: 0 },
    ],
  });

  it("one line per (mapped item × POS tax) at the undiscounted price, by item then tax, categories named together", () => {
    const r = apply(salesByCategory, sold);
    expect(salesLines(r)).toEqual([
      ["sales", "Accessories", 1999, "Sales – Accessories (GST + QST)", "tx-gstqst"],
      ["sales", "Books", 3000, "Sales – Books (GST)", "tx-gst"],
      ["sales", "Clothing", 5999, "Sales – Clothing > Shirts, Clothing > Tops (GST + QST)", "tx-gstqst"],
    ]);
    expect(r.salesLines!.every((l) => l.description === l.label)).toBe(true);
    expect(r.blockers).toEqual([]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: false });
  });

  it("an untaxed category's line carries no tax and calls for the non-taxable code", () => {
    const r = apply(
      salesByCategory,
      figures({ categorySales: [{ categoryId: "cat-books", taxId: null, listMinor: 1200 }] }),
    );
    expect(salesLines(r)).toEqual([["sales", "Books", 1200, "Sales – Books (no tax)", null]]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true });
  });

  it("an unmapped category blocks and its line is left out; the other categories still post", () => {
    const r = apply(
      salesByCategory,
      sold,
      [],
      without((c) => delete c.mappings.categories["cat-books"]),
    );
    expect(r.blockers).toEqual([
      { code: "needs_mapping", detail: "category 'Books'", mappingKey: "categories.cat-books" },
    ]);
    expect(salesLines(r).map((l) => l[1])).toEqual(["Accessories", "Clothing"]);
    expect(r.needs?.salesDocument).toBe(true);
  });

  it("categories that cancel out (an even exchange) still call for the sales document", () => {
    const exchange = figures({
      categorySales: [
        { categoryId: "cat-tops", taxId: "tx-gst", listMinor: 2000 },
        { categoryId: "cat-books", taxId: "tx-gst", listMinor: -2000 },
      ],
    });
    const r = apply(salesByCategory, exchange);
    expect(salesLines(r).map((l) => l[2])).toEqual([-2000, 2000]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: false });
  });

  it("has no line-up row of its own (net sales are lined up with the discounts)", () => {
    expect(apply(salesByCategory, sold).lineUp).toBeUndefined();
  });
});

describe("Discounts given", () => {
  const given = figures({
    discounts: [
      { taxId: "tx-gstqst", minor: 750 },
      { taxId: null, minor: 100 },
      { taxId: "tx-gst", minor: 400 },
      { taxId: "tx-none", minor: 0 },
    ],
    netSalesPosMinor: 8000,
  });

  it("one negative line per POS tax through the discount item, by tax name; gift-card discounts under no tax", () => {
    const r = apply(discountsGiven, given);
    expect(salesLines(r)).toEqual([
      ["discount", "Discount", -400, "Discounts given (GST)", "tx-gst"],
      ["discount", "Discount", -750, "Discounts given (GST + QST)", "tx-gstqst"],
      ["discount", "Discount", -100, "Discounts given (no tax)", null],
    ]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true });
  });

  it("lines up the POS's net sales against the sales and discount lines together", () => {
    const r = apply(discountsGiven, given);
    const sales = apply(
      salesByCategory,
      figures({ categorySales: [{ categoryId: "cat-books", taxId: "tx-gst", listMinor: 9250 }] }),
    );
    expect(lineUp(r, { salesLines: [...sales.salesLines!, ...r.salesLines!] })).toEqual([
      ["net_sales", "Net sales (sales − discounts)", 8000, 9250 - 1250],
    ]);
  });

  it("needs the discount item only when something was discounted", () => {
    const ctx = without((c) => delete c.mappings.items.discount);
    expect(apply(discountsGiven, figures(), [], ctx).blockers).toEqual([]);
    const r = apply(discountsGiven, given, [], ctx);
    expect(r.blockers).toEqual([{ code: "needs_mapping", detail: "the discount item", mappingKey: "items.discount" }]);
    expect(r.salesLines).toEqual([]);
  });
});

describe("Tax", () => {
  const charged = figures({
    lineTaxes: [
      { taxId: "tx-gstqst", rateId: "pr-gst", minor: 250 },
      { taxId: "tx-gstqst", rateId: "pr-qst", minor: 499 },
      { taxId: "tx-gst", rateId: "pr-gst", minor: 150 },
      { taxId: "tx-gst", rateId: "pr-gst-old", minor: 0 },
    ],
    saleTaxByRate: new Map([
      ["pr-gst", 400],
      ["pr-qst", 499],
    ]),
  });

  it("books the POS's own tax per (POS tax, rate), none for a rate that charged nothing", () => {
    const r = apply(taxCollected, charged);
    expect(r.taxes!.map((t) => [t.tax.posTaxId, t.posRateId, t.amountMinor])).toEqual([
      ["tx-gstqst", "pr-gst", 250],
      ["tx-gstqst", "pr-qst", 499],
      ["tx-gst", "pr-gst", 150],
    ]);
    expect(r.salesLines).toBeUndefined();
    expect(r.needs).toEqual({ salesDocument: true });
  });

  it("lines up each POS rate against what is booked, then QBO's own computation where it would differ", () => {
    const r = apply(taxCollected, charged);
    const taxRows = [{ label: "QST 9.975%", posMinor: 499, qboMinor: 500 }];
    expect(lineUp(r, { taxRows })).toEqual([
      ["tax", "Tax – POS rate GST", 400, 400],
      ["tax", "Tax – POS rate QST", 499, 499],
      ["tax_override", "tax rounding (override) – QST 9.975%", 499, 500],
    ]);
  });

  it("a POS tax the lists do not know waits on its mapping (never rejected); nothing charged calls for no document", () => {
    const r = apply(taxCollected, figures({ lineTaxes: [{ taxId: "tx-mystery", rateId: "pr-x", minor: 5 }] }));
    expect(r.blockers).toEqual([{ code: "needs_mapping", detail: "tax tx-mystery", mappingKey: "taxes.tx-mystery" }]);
    expect(r.taxes).toEqual([]);
    expect(apply(taxCollected, figures()).needs).toEqual({ salesDocument: false });
  });
});

describe("Gift card liability", () => {
  const giftCard = (over: Partial<PaymentTypeFigures>): RoledType => ({
    f: paymentType(PT.giftCard, "Gift Card", over),
    role: "gift_card",
  });

  it("up on the sales document by cards sold and refunds onto cards; down in the journal by redemptions", () => {
    const r = apply(giftCardLiability, figures({ giftCardsSoldMinor: 5000 }), [
      giftCard({ regularInMinor: 2000, regularOutMinor: -300 }),
    ]);
    expect(salesLines(r)).toEqual([
      [
        "gift_card",
        "Gift card liability",
        5300,
        "Gift card liability (cards sold or reloaded, refunds onto cards)",
        null,
      ],
    ]);
    expect(paymentsLines(r)).toEqual([["gift_card", "Gift card liability", 2000, "Gift card redemptions"]]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true, paymentsJournal: true });
    expect(lineUp(r)).toEqual([["gift_cards", "Gift cards sold or reloaded, and refunds onto cards", 5300, 5300]]);
  });

  it("redemptions alone need the liability account, not the service", () => {
    const ctx = without((c) => delete c.mappings.items.giftCardLiability);
    const r = apply(giftCardLiability, figures(), [giftCard({ regularInMinor: 1500 })], ctx);
    expect(r.blockers).toEqual([]);
    expect(r.salesLines).toEqual([]);
    expect(paymentsLines(r)).toEqual([["gift_card", "Gift card liability", 1500, "Gift card redemptions"]]);
    expect(r.needs).toEqual({ salesDocument: false, nonTaxableCode: false, paymentsJournal: true });
  });

  it("a liability service that posts elsewhere blocks, naming both accounts", () => {
    const ctx = without((c) => (c.mappings.items.giftCardLiability = "122"));
    const r = apply(giftCardLiability, figures({ giftCardsSoldMinor: 2500 }), [], ctx);
    expect(r.blockers).toEqual([
      {
        code: "qbo_invalid_reference",
        detail:
          "the gift card liability service: QBO product/service 'Misposted gift cards' posts to 'Sales', not to the gift card liability account 'Gift card liability'",
        mappingKey: "items.giftCardLiability",
      },
    ]);
    expect(r.salesLines).toEqual([]);
  });

  it("nothing sold or redeemed: no lines and no mapping asked for", () => {
    const ctx = without((c) => delete c.mappings.accounts.giftCardLiability);
    const r = apply(giftCardLiability, figures(), [giftCard({})], ctx);
    expect([r.salesLines, r.paymentsLines, r.blockers]).toEqual([undefined, undefined, []]);
    expect(lineUp(r)).toEqual([["gift_cards", "Gift cards sold or reloaded, and refunds onto cards", 0, 0]]);
  });
});

describe("Store credit liability", () => {
  const storeCredit = (over: Partial<PaymentTypeFigures>): RoledType => ({
    f: paymentType(PT.storeCredit, "Store Credit", over),
    role: "store_credit",
  });

  it("up by credit issued through returns (negative payments), down by redemptions", () => {
    const r = apply(storeCreditLiability, figures(), [storeCredit({ regularInMinor: 1000, regularOutMinor: -2587 })]);
    expect(salesLines(r)).toEqual([
      ["store_credit", "Store credit liability", 2587, "Store credit liability (issued through returns)", null],
    ]);
    expect(paymentsLines(r)).toEqual([["store_credit", "Store credit liability", 1000, "Store credit redemptions"]]);
    expect(lineUp(r)).toEqual([["store_credit", "Store credit issued through returns", 2587, 2587]]);
  });

  it("an unmapped liability account blocks both moves", () => {
    const ctx = without((c) => delete c.mappings.accounts.storeCreditLiability);
    const r = apply(
      storeCreditLiability,
      figures(),
      [storeCredit({ regularInMinor: 1000, regularOutMinor: -500 })],
      ctx,
    );
    expect(r.blockers).toEqual([
      {
        code: "needs_mapping",
        detail: "the store credit liability account",
        mappingKey: "accounts.storeCreditLiability",
      },
    ]);
    expect(r.paymentsLines).toEqual([]);
  });
});

describe("Till discrepancies", () => {
  const types = [
    deposit(paymentType(PT.cash, "Cash", { expectedMinor: 9930, countedMinor: 9830 }), A.cash),
    deposit(paymentType(PT.card, "Credit Card", { expectedMinor: 10622, countedMinor: 10622 }), A.card),
    deposit(paymentType(PT.afterpay, "Afterpay", { expectedMinor: 5000, countedMinor: 5005 }), A.afterpay),
    deposit(paymentType(PT.paypal, "PayPal", { expectedMinor: 700, countedMinor: null }), A.card),
  ];

  it("counted − expected per payment type whose money was counted, by name, through the over/short item", () => {
    const r = apply(tillDiscrepancies, figures(), types);
    expect(salesLines(r)).toEqual([
      ["till", "Till over/short", 5, "Till discrepancy – Afterpay (counted 50.05, expected 50.00)", null],
      ["till", "Till over/short", -100, "Till discrepancy – Cash (counted 98.30, expected 99.30)", null],
    ]);
    expect(r.salesLines!.map((l) => l.paymentTypeId)).toEqual([PT.afterpay, PT.cash]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true });
    expect(r.lineUp).toBeUndefined();
  });

  it("an over and a short that cancel out still call for the document and the non-taxable code", () => {
    const cash = paymentType(PT.cash, "Cash", { expectedMinor: 1050, countedMinor: 1100 });
    const card = paymentType(PT.card, "Credit Card", { expectedMinor: 2100, countedMinor: 2050 });
    const r = apply(tillDiscrepancies, figures(), [deposit(cash, A.cash), deposit(card, A.card)]);
    expect(salesLines(r).map((l) => l[2])).toEqual([50, -50]);
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true });
  });

  it("needs the over/short item only when a till is off", () => {
    const ctx = without((c) => delete c.mappings.items.tillDiscrepancy);
    expect(apply(tillDiscrepancies, figures(), [types[1]!], ctx).blockers).toEqual([]);
    expect(apply(tillDiscrepancies, figures(), types, ctx).blockers).toEqual([
      { code: "needs_mapping", detail: "the till discrepancy item", mappingKey: "items.tillDiscrepancy" },
    ]);
  });
});

describe("Rounding", () => {
  it("the sales' cash rounding through the rounding item, lined up against the POS", () => {
    const r = apply(rounding, figures({ roundingMinor: -3 }));
    expect(salesLines(r)).toEqual([["rounding", "Rounding", -3, "Rounding", null]]);
    expect(r.salesLines![0]!.description).toBe("Cash rounding");
    expect(r.needs).toEqual({ salesDocument: true, nonTaxableCode: true });
    expect(lineUp(r)).toEqual([["rounding", "Cash rounding", -3, -3]]);
  });

  it("no rounding: no line, no mapping asked for, and a zero line-up row", () => {
    const ctx = without((c) => delete c.mappings.items.rounding);
    const r = apply(rounding, figures(), [], ctx);
    expect([r.salesLines, r.blockers]).toEqual([undefined, []]);
    expect(lineUp(r)).toEqual([["rounding", "Cash rounding", 0, 0]]);
  });
});

describe("Payments", () => {
  const cash = paymentType(PT.cash, "Cash", { expectedMinor: 9930, countedMinor: 9830, onAccountMinor: 2000 });
  const card = paymentType(PT.card, "Credit Card", { expectedMinor: 10622, countedMinor: 10622 });
  const types = [deposit(card, A.card), deposit(cash, A.cash)];

  it("each payment type's account receives what was counted, less on-account payments, by name", () => {
    const r = apply(payments, figures(), types);
    expect(paymentsLines(r)).toEqual([
      [PT.cash, "Till cash", 7830, "Cash: counted 98.30 less on-account payments 20.00 (register Main 1, closure #12)"],
      [PT.card, "Card clearing", 10622, "Credit Card: counted 106.22 (register Main 1, closure #12)"],
    ]);
    expect(r.paymentsLines!.map((l) => l.label)).toEqual(["Cash → Till cash", "Credit Card → Card clearing"]);
    expect(r.needs).toEqual({ paymentsJournal: true });
    expect(r.salesLines).toBeUndefined();
  });

  it("a type not yet counted moves nothing; only on-account money calls for no journal", () => {
    const waiting = paymentType(PT.cash, "Cash", { expectedMinor: 500, countedMinor: null });
    expect(apply(payments, figures(), [deposit(waiting, A.cash)]).paymentsLines).toEqual([]);
    const onlyOnAccount = paymentType(PT.cash, "Cash", {
      expectedMinor: 2000,
      countedMinor: 2000,
      onAccountMinor: 2000,
    });
    const r = apply(payments, figures(), [deposit(onlyOnAccount, A.cash)]);
    expect(paymentsLines(r)).toEqual([
      [PT.cash, "Till cash", 0, "Cash: counted 20.00 less on-account payments 20.00 (register Main 1, closure #12)"],
    ]);
    expect(r.needs).toEqual({ paymentsJournal: false });
  });

  it("refunds exceeding takings: the account is credited, and the journal is still called for", () => {
    const refunds = paymentType(PT.card, "Credit Card", { expectedMinor: -4500, countedMinor: -4500 });
    const r = apply(payments, figures(), [deposit(refunds, A.card)]);
    expect(paymentsLines(r)).toEqual([
      [PT.card, "Card clearing", -4500, "Credit Card: counted -45.00 (register Main 1, closure #12)"],
    ]);
    expect(r.needs).toEqual({ paymentsJournal: true });
  });

  it("lines up every payment type: postings + on-account payments = the payments summary, expected and counted", () => {
    const giftCard: RoledType = {
      f: paymentType(PT.giftCard, "Gift Card", { expectedMinor: 2000, regularInMinor: 2000 }),
      role: "gift_card",
    };
    const r = apply(payments, figures({ giftCardsSoldMinor: 5000 }), [...types, giftCard]);
    const till = apply(tillDiscrepancies, figures(), types).salesLines!;
    const gift = apply(giftCardLiability, figures({ giftCardsSoldMinor: 5000 }), [giftCard]);
    const rows = lineUp(r, {
      salesLines: [...till, ...gift.salesLines!],
      paymentsLines: [...gift.paymentsLines!, ...r.paymentsLines!],
    });
    expect(rows).toEqual([
      ["payment", "Credit Card (expected)", 10622, 10622],
      ["payment", "Credit Card (counted)", 10622, 10622],
      ["payment", "Cash (expected)", 9930, 7830 + 2000 + 100],
      ["payment", "Cash (counted)", 9830, 7830 + 2000],
      ["payment", "Gift Card (expected)", 2000, 2000],
    ]);
  });
});

describe("the table of rules", () => {
  const side = {
    closure: closure([], []),
    figures: figures({ roundingMinor: 2, giftCardsSoldMinor: 1000 }),
    types: [],
  };

  it("lists SPEC §1.1's lines in its order", () => {
    expect(CLOSURE_RULES).toEqual([
      salesByCategory,
      discountsGiven,
      charges,
      tips,
      taxCollected,
      giftCardLiability,
      storeCreditLiability,
      tillDiscrepancies,
      rounding,
      payments,
      loyalty,
    ]);
  });

  it("a rule added to the list puts its lines, line-up rows and blockers after the others'", () => {
    // ("till" lines only show in a payment type's line-up)
    const deposits: ClosureRule = ({ refs, blockers }) => {
      blockers.add("needs_mapping", "the deposits account", "accounts.deposits");
      const item = refs.salesItem("113", "the deposits item", "items.deposits")!;
      return {
        salesLines: [{ kind: "till", item, amountMinor: 700, description: "Deposits", label: "Deposits", tax: null }],
        needs: { salesDocument: true, nonTaxableCode: true },
        lineUp: () => [{ line: "deposits", label: "Deposits", posMinor: 700, postedMinor: 700, diffMinor: 0 }],
      };
    };
    const ctx = without((c) => delete c.mappings.items.rounding);
    const lines = closureLines(side, ctx, [...CLOSURE_RULES, deposits]);
    expect(lines.salesLines.map((l) => l.label)).toEqual([
      "Gift card liability (cards sold or reloaded, refunds onto cards)",
      "Deposits",
    ]);
    expect(lines.blockers.map((b) => b.detail)).toEqual(["the rounding item", "the deposits account"]);
    expect(lines.lineUp([]).map((v) => v.line)).toEqual([
      "net_sales",
      "gift_cards",
      "store_credit",
      "rounding",
      "deposits",
    ]);
    expect(lines.needs).toEqual({ salesDocument: true, paymentsJournal: false, nonTaxableCode: true });
  });
});
