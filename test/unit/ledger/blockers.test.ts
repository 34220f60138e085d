import { describe, expect, it } from "vitest";
import { buildClosurePosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, closure, giftCardLine, pay, product, PT, quebecClosure, sale } from "./fixtures";
import { aboutsOf, blockersOf } from "./helpers";
import { aboutText, describeError } from "../../../shared/errors";

const book = (priceMinor: number, gst: number) =>
  product("Book", "cat-books", "1", "1", priceMinor, 0, "tx-gst", [["pr-gst", gst]]);
const cardRow = (minor: number) => ({
  paymentTypeId: PT.card,
  name: "Credit Card",
  expectedMinor: minor,
  countedMinor: minor,
});

describe("needs_mapping names the POS thing in plain words and the mapping that fixes it", () => {
  it("collects every unmapped thing of the closure at once", () => {
    const ctx = caContext();
    const m = ctx.mappings;
    delete m.categories["cat-tops"];
    delete m.paymentTypes[PT.card];
    delete m.taxes["tx-gst"];
    m.items = {};
    m.accounts = {};
    m.closureCustomerId = undefined;
    m.nonTaxableTaxCodeId = undefined;
    const blockers = blockersOf(buildClosurePosting(quebecClosure(), ctx));
    expect(blockers).toEqual(
      expect.arrayContaining([
        { code: "needs_mapping", detail: "payment type 'Credit Card'", mappingKey: `paymentTypes.${PT.card}` },
        { code: "needs_mapping", detail: "category 'Clothing > Tops'", mappingKey: "categories.cat-tops" },
        { code: "needs_mapping", detail: "POS tax 'GST'", mappingKey: "taxes.tx-gst" },
        { code: "needs_mapping", detail: "the discount item", mappingKey: "items.discount" },
        { code: "needs_mapping", detail: "the gift card liability account", mappingKey: "accounts.giftCardLiability" },
        {
          code: "needs_mapping",
          detail: "the store credit liability account",
          mappingKey: "accounts.storeCreditLiability",
        },
        { code: "needs_mapping", detail: "the till discrepancy item", mappingKey: "items.tillDiscrepancy" },
        { code: "needs_mapping", detail: "the rounding item", mappingKey: "items.rounding" },
        { code: "needs_mapping", detail: "the gift card liability service", mappingKey: "items.giftCardLiability" },
        {
          code: "needs_mapping",
          detail: "the store credit liability service",
          mappingKey: "items.storeCreditLiability",
        },
        { code: "needs_mapping", detail: "the closure clearing account", mappingKey: "accounts.closureClearing" },
        { code: "needs_mapping", detail: "the closure customer", mappingKey: "closureCustomerId" },
        { code: "needs_mapping", detail: "the non-taxable tax code", mappingKey: "nonTaxableTaxCodeId" },
      ]),
    );
    expect(blockers).toHaveLength(13);
    expect(blockers.every((b) => b.code === "needs_mapping")).toBe(true);
  });

  it("then the documents' own mappings: clearing account, closure customer, non-taxable code", () => {
    const ctx = caContext();
    ctx.mappings.accounts.closureClearing = undefined;
    ctx.mappings.closureCustomerId = undefined;
    ctx.mappings.nonTaxableTaxCodeId = undefined;
    expect(blockersOf(buildClosurePosting(quebecClosure(), ctx))).toEqual([
      { code: "needs_mapping", detail: "the closure clearing account", mappingKey: "accounts.closureClearing" },
      { code: "needs_mapping", detail: "the closure customer", mappingKey: "closureCustomerId" },
      { code: "needs_mapping", detail: "the non-taxable tax code", mappingKey: "nonTaxableTaxCodeId" },
    ]);
  });

  it("a deleted payment type says so", () => {
    const ctx = caContext();
    delete ctx.mappings.paymentTypes[PT.afterpay];
    const c = closure(
      [sale("4001", [book(1000, 50)], [pay(PT.afterpay, 1050)])],
      [{ paymentTypeId: PT.afterpay, name: "Afterpay", expectedMinor: 1050, countedMinor: 1050 }],
    );
    expect(blockersOf(buildClosurePosting(c, ctx))).toEqual([
      { code: "needs_mapping", detail: "payment type 'Afterpay' (deleted)", mappingKey: `paymentTypes.${PT.afterpay}` },
    ]);
  });

  it("an unmapped category with no POS record is named by its id", () => {
    const c = closure(
      [sale("4002", [product("Mystery", "cat-gone", "1", "1", 100, 0, "tx-none", [])], [pay(PT.card, 100)])],
      [cardRow(100)],
    );
    expect(blockersOf(buildClosurePosting(c, caContext()))).toEqual([
      { code: "needs_mapping", detail: "category 'cat-gone'", mappingKey: "categories.cat-gone" },
    ]);
  });
});

describe("qbo_invalid_reference: inactive, deleted or wrong-type mapped things", () => {
  it("collects them all with the same plain words", () => {
    const ctx = caContext();
    const m = ctx.mappings;
    m.paymentTypes[PT.cash] = { role: "deposit", accountId: A.oldTill }; // inactive
    m.paymentTypes[PT.card] = { role: "deposit", accountId: A.salesIncome }; // an Income account
    m.categories["cat-acc"] = "120"; // inactive item
    m.categories["cat-books"] = "121"; // an Inventory item
    m.items.discount = "999"; // deleted
    m.taxes["tx-gstqst"] = { taxCodeId: "6" }; // GST only: QST has no match
    m.accounts.storeCreditLiability = A.storeCreditExpense; // an Expense account
    m.items.giftCardLiability = "122"; // posts to Sales, not to the gift card liability
    const blockers = blockersOf(buildClosurePosting(quebecClosure(), ctx));
    expect(blockers).toEqual(
      expect.arrayContaining([
        {
          code: "qbo_invalid_reference",
          detail: "payment type 'Cash': QBO account 'Old till' is inactive",
          mappingKey: `paymentTypes.${PT.cash}`,
        },
        {
          code: "qbo_invalid_reference",
          detail:
            "payment type 'Credit Card': QBO account 'Sales' is of type Income; it must be Bank or Other Current Asset",
          mappingKey: `paymentTypes.${PT.card}`,
        },
        {
          code: "qbo_invalid_reference",
          detail: "category 'Accessories': QBO product/service 'Old stock' is inactive",
          mappingKey: "categories.cat-acc",
        },
        {
          code: "qbo_invalid_reference",
          detail:
            "category 'Books': QBO product/service 'Tracked stock' is of type Inventory; it must be Service or NonInventory",
          mappingKey: "categories.cat-books",
        },
        {
          code: "qbo_invalid_reference",
          detail: "the discount item: QBO product/service 999 no longer exists",
          mappingKey: "items.discount",
        },
        {
          code: "qbo_invalid_reference",
          detail:
            "POS tax 'GST + QST': its rates (GST 5%, QST 9.975%) do not match the rates of QBO tax code 'GST' (GST 5%)",
          mappingKey: "taxes.tx-gstqst",
        },
        {
          code: "qbo_invalid_reference",
          detail:
            "the store credit liability account: QBO account 'Store credit expense' is of type Expense; it must be Other Current Liability",
          mappingKey: "accounts.storeCreditLiability",
        },
        {
          code: "qbo_invalid_reference",
          detail:
            "the gift card liability service: QBO product/service 'Misposted gift cards' posts to 'Sales', not to the gift card liability account 'Gift card liability'",
          mappingKey: "items.giftCardLiability",
        },
      ]),
    );
    expect(blockers).toHaveLength(8);
  });

  it("an inactive tax code, a clearing account of the wrong type, an inactive class", () => {
    const ctx = caContext();
    ctx.mappings.taxes["tx-gst"] = { taxCodeId: "9" };
    ctx.mappings.accounts.closureClearing = A.giftCardLiability;
    ctx.mappings.outlets["out-mtl"] = { classId: "c2" };
    const c = closure([sale("4003", [book(1000, 50)], [pay(PT.card, 1050)])], [cardRow(1050)]);
    expect(blockersOf(buildClosurePosting(c, ctx))).toEqual([
      {
        code: "qbo_invalid_reference",
        detail: "POS tax 'GST': QBO tax code 'Retired code' is inactive",
        mappingKey: "taxes.tx-gst",
      },
      {
        code: "qbo_invalid_reference",
        detail: "outlet 'Montréal': QBO class 'Closed store' is inactive",
        mappingKey: "outlets.out-mtl",
      },
      {
        code: "qbo_invalid_reference",
        detail:
          "the closure clearing account: QBO account 'Gift card liability' is of type Other Current Liability; it must be Other Current Asset or Bank",
        mappingKey: "accounts.closureClearing",
      },
    ]);
  });

  it("a non-taxable code that charges tax is refused", () => {
    const ctx = caContext();
    ctx.mappings.nonTaxableTaxCodeId = "6";
    const c = closure([sale("4004", [giftCardLine("GC-1", 1000)], [pay(PT.card, 1000)])], [cardRow(1000)]);
    expect(blockersOf(buildClosurePosting(c, ctx))).toEqual([
      {
        code: "qbo_invalid_reference",
        detail: "the non-taxable tax code: QBO tax code 'GST' charges tax",
        mappingKey: "nonTaxableTaxCodeId",
      },
    ]);
  });
});

describe("pos_payload_invalid: the POS data does not add up", () => {
  it("names the sale and the field, and collects them with the mapping problems", () => {
    const ctx = caContext();
    delete ctx.mappings.categories["cat-books"];
    const noCategory = sale(
      "4005",
      [product("Loose item", null, "1", "1", 500, 0, "tx-none", [])],
      [pay(PT.card, 500)],
    );
    const badTotals = sale("4006", [book(1000, 50)], [pay(PT.card, 1050)]);
    badTotals.totalExTaxMinor = 1001;
    const unknownType = sale(
      "4007",
      [book(2000, 100)],
      [{ ...pay(PT.card, 2100), paymentTypeId: "pt-ghost", paymentTypeName: "Ghost" }],
    );
    const c = closure([noCategory, badTotals, unknownType], [cardRow(1550)]);
    const blockers = blockersOf(buildClosurePosting(c, ctx));
    expect(blockers).toEqual([
      { code: "pos_payload_invalid", detail: "sale #4005 line 1 ('Loose item'): the product has no category" },
      { code: "pos_payload_invalid", detail: "sale #4006: its lines total 10.00 before tax but the sale says 10.01" },
      { code: "pos_payload_invalid", detail: "sale #4006: total before tax + tax is not the sale total" },
      { code: "needs_mapping", detail: "payment type 'Ghost'", mappingKey: "paymentTypes.pt-ghost" },
      { code: "needs_mapping", detail: "category 'Books'", mappingKey: "categories.cat-books" },
    ]);
  });

  it("the payments summary must tie out with the payments of the sequence, naming the type and both figures", () => {
    const c = closure([sale("4008", [book(1000, 50)], [pay(PT.card, 1050)])], [cardRow(1200)]);
    expect(blockersOf(buildClosurePosting(c, caContext()))).toEqual([
      {
        code: "pos_payload_invalid",
        detail:
          "payment type 'Credit Card': the closure's payments summary expects 12.00 but the payments taken in this closure total 10.50",
      },
    ]);
  });

  it("a regular sale paid partly in another sequence, or paid here but completed elsewhere", () => {
    const split = sale("4009", [book(1000, 50)], [pay(PT.card, 550), pay(PT.card, 500, "seq-99")]);
    const elsewhere = sale("4010", [book(1000, 50)], [pay(PT.card, 1050)], { completedSequenceId: "seq-99" });
    const c = closure([split, elsewhere], [cardRow(1600)]);
    expect(blockersOf(buildClosurePosting(c, caContext()))).toEqual([
      {
        code: "pos_payload_invalid",
        detail: "sale #4009: completed in this closure but paid partly in another register sequence",
      },
      {
        code: "pos_payload_invalid",
        detail: "sale #4010: paid in this closure but completed in another register sequence",
      },
    ]);
  });

  it("a malformed closure is refused field by field before anything else", () => {
    const bad = { ...closure([], []), sequenceNumber: "twelve" } as unknown as Parameters<
      typeof buildClosurePosting
    >[0];
    expect(blockersOf(buildClosurePosting(bad, caContext()))).toEqual([
      { code: "pos_payload_invalid", detail: "the closure: invalid sequenceNumber" },
    ]);
  });

  it("a fractional-cent amount is refused", () => {
    const c = closure([sale("4011", [book(1000, 50)], [pay(PT.card, 1050.5)])], [cardRow(1050)]);
    expect(blockersOf(buildClosurePosting(c, caContext()))[0]).toMatchObject({
      code: "pos_payload_invalid",
      detail: "the closure: sale 4011: invalid payments.0.amountMinor",
    });
  });
});

describe("needs_counted_totals", () => {
  it("a deposit payment type with no counted figure waits for it; gift cards and store credit do not need one", () => {
    const c = quebecClosure();
    c.payments[0]!.countedMinor = null;
    expect(blockersOf(buildClosurePosting(c, caContext()))).toEqual([
      { code: "needs_counted_totals", detail: "the counted total of payment type 'Cash'" },
    ]);
  });
});

describe("the closure's lines are checked without zod, as strictly", () => {
  it("a line with a non-integer amount, a bad quantity or a missing field names the sale and the field", () => {
    const bad = [
      (c: ReturnType<typeof quebecClosure>) => void ((c.sales[0]!.lines[0] as { listMinor: number }).listMinor = 10.5),
      (c: ReturnType<typeof quebecClosure>) => void ((c.sales[0]!.lines[0] as { quantity: string }).quantity = "1,5"),
      (c: ReturnType<typeof quebecClosure>) =>
        void delete (c.sales[0]!.lines[0] as { productName?: string }).productName,
      (c: ReturnType<typeof quebecClosure>) =>
        void ((c.sales[0]!.lines[0] as { taxes: unknown[] }).taxes = [{ rateId: "r", taxMinor: "1" }]),
      (c: ReturnType<typeof quebecClosure>) => void ((c.sales[0]!.payments[0] as { paidAt: string }).paidAt = "x"),
    ];
    for (const spoil of bad) {
      const c = quebecClosure();
      spoil(c);
      const [first] = blockersOf(buildClosurePosting(c, caContext()));
      expect(first).toMatchObject({
        code: "pos_payload_invalid",
        detail: expect.stringMatching(/^the closure: sale \S+: invalid (lines|payments)\.0\./),
      });
    }
  });
});

describe("each blocker says what it is about as data, for every language to word", () => {
  it("an unmapped POS object names its family and name; a fixed mapping its catalog path", () => {
    const ctx = caContext();
    const m = ctx.mappings;
    delete m.categories["cat-tops"];
    delete m.paymentTypes[PT.card];
    delete m.taxes["tx-gst"];
    m.items.discount = undefined;
    m.closureCustomerId = undefined;
    m.nonTaxableTaxCodeId = undefined;
    const abouts = aboutsOf(buildClosurePosting(quebecClosure(), ctx));
    expect(abouts).toEqual(
      expect.arrayContaining([
        ["payment type 'Credit Card'", { thing: "paymentTypes", name: "Credit Card" }],
        ["category 'Clothing > Tops'", { thing: "categories", name: "Clothing > Tops" }],
        ["POS tax 'GST'", { thing: "taxes", name: "GST" }],
        ["the discount item", { thing: "items.discount" }],
        ["the closure customer", { thing: "closureCustomerId" }],
        ["the non-taxable tax code", { thing: "nonTaxableTaxCodeId" }],
      ]),
    );
    expect(abouts.every(([, about]) => about !== undefined)).toBe(true);
    // French words the data in whole French sentences, with no English left
    const card = abouts.find(([detail]) => detail === "payment type 'Credit Card'")![1]!;
    expect(describeError("needs_mapping", "payment type 'Credit Card'", "fr", [card]).message).toBe(
      "Aucune correspondance n'est choisie pour le mode de paiement « Credit Card ».",
    );
  });

  it("a deleted payment type says so", () => {
    const ctx = caContext();
    delete ctx.mappings.paymentTypes[PT.afterpay];
    const c = closure(
      [sale("4001", [book(1000, 50)], [pay(PT.afterpay, 1050)])],
      [{ paymentTypeId: PT.afterpay, name: "Afterpay", expectedMinor: 1050, countedMinor: 1050 }],
    );
    expect(aboutsOf(buildClosurePosting(c, ctx))).toEqual([
      ["payment type 'Afterpay' (deleted)", { thing: "paymentTypes", name: "Afterpay", deleted: true }],
    ]);
  });

  it("a mapped thing QBO cannot use carries the problem, worded like the English detail", () => {
    const ctx = caContext();
    const m = ctx.mappings;
    m.paymentTypes[PT.cash] = { role: "deposit", accountId: A.oldTill };
    m.categories["cat-books"] = "121";
    m.items.discount = "999";
    m.items.giftCardLiability = "122";
    const abouts = aboutsOf(buildClosurePosting(quebecClosure(), ctx));
    expect(abouts).toEqual(
      expect.arrayContaining([
        [
          "payment type 'Cash': QBO account 'Old till' is inactive",
          {
            thing: "paymentTypes",
            name: "Cash",
            problem: { kind: "inactive", entity: "account", qboName: "Old till" },
          },
        ],
        [
          "category 'Books': QBO product/service 'Tracked stock' is of type Inventory; it must be Service or NonInventory",
          {
            thing: "categories",
            name: "Books",
            problem: {
              kind: "wrong_type",
              entity: "item",
              qboName: "Tracked stock",
              type: "Inventory",
              allowed: ["Service", "NonInventory"],
            },
          },
        ],
        [
          "the discount item: QBO product/service 999 no longer exists",
          { thing: "items.discount", problem: { kind: "gone", entity: "item", id: "999" } },
        ],
      ]),
    );
    // the English words of the data are the detail's own
    for (const [detail, about] of abouts) expect(aboutText(about!, "en")).toBe(detail);
    const cash = abouts.find(([d]) => d.startsWith("payment type 'Cash'"))![1]!;
    expect(aboutText(cash, "fr")).toBe("le mode de paiement « Cash » : le compte QBO « Old till » est inactif");
  });
});

describe("blockers that name what they are about, for the French badge too", () => {
  it("a non-taxable code that charges tax carries the problem", () => {
    const ctx = caContext();
    ctx.mappings.nonTaxableTaxCodeId = "6";
    const c = closure([sale("4004", [giftCardLine("GC-1", 1000)], [pay(PT.card, 1000)])], [cardRow(1000)]);
    const abouts = aboutsOf(buildClosurePosting(c, ctx));
    expect(abouts).toHaveLength(1);
    const [detail, about] = abouts[0]!;
    expect(detail).toBe("the non-taxable tax code: QBO tax code 'GST' charges tax");
    expect(about).toEqual({ thing: "nonTaxableTaxCodeId", problem: { kind: "charges_tax", qboName: "GST" } });
    expect(describeError("qbo_invalid_reference", detail, "fr", [about!]).message).toContain(
      "le code de taxe QBO « GST » applique une taxe",
    );
    expect(aboutText(about!, "en")).toBe(detail);
  });

  it("a payment type the POS's lists do not know is named by the closure's own words", () => {
    const ctx = caContext();
    ctx.paymentTypes = ctx.paymentTypes.filter((p) => p.id !== PT.afterpay);
    delete ctx.mappings.paymentTypes[PT.afterpay];
    const c = closure(
      [sale("4001", [book(1000, 50)], [pay(PT.afterpay, 1050)])],
      [{ paymentTypeId: PT.afterpay, name: "Afterpay", expectedMinor: 1050, countedMinor: 1050 }],
    );
    const abouts = aboutsOf(buildClosurePosting(c, ctx));
    expect(abouts).toContainEqual(["payment type 'Afterpay'", { thing: "paymentTypes", name: "Afterpay" }]);
    expect(aboutText({ thing: "paymentTypes", name: "Afterpay" }, "fr")).toBe("le mode de paiement « Afterpay »");
  });
});
