import { describe, expect, it } from "vitest";
import type { RegisterClosure, Sale, SaleLine } from "../../../shared/domain/pos";
import type { QboRefs } from "../../../shared/domain/qbo";
import {
  buildClosurePosting,
  buildSaleInvoicePosting,
  type LedgerContext,
  withClosureCogs,
  withSaleCogs,
} from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, CUSTOMER, pay, product, PT, quebecClosure, sale } from "./fixtures";
import { blockersOf, cents, doc, effectMap, expectSound, journalSides, linesOf, planOf } from "./helpers";

const COGS = "65";
const COGS_ACC = "66";

/** The Quebec company with a COGS account (and one for accessories, on the Accessories item). */
function cogsContext(options: Partial<LedgerContext["mappings"]["options"]> = {}, cogs: string | undefined = COGS) {
  const ctx = caContext();
  const refs: QboRefs = {
    ...ctx.refs,
    accounts: [
      ...ctx.refs.accounts,
      {
        id: COGS,
        name: "Cost of goods sold",
        fullyQualifiedName: "Cost of goods sold",
        accountType: "Cost of Goods Sold",
        accountSubType: null,
        active: true,
      },
      {
        id: COGS_ACC,
        name: "COGS – Accessories",
        fullyQualifiedName: "COGS – Accessories",
        accountType: "Cost of Goods Sold",
        accountSubType: null,
        active: true,
      },
    ],
    items: ctx.refs.items.map((i) => (i.id === "101" ? { ...i, expenseAccountId: COGS_ACC } : i)),
  };
  const mappings = {
    ...ctx.mappings,
    accounts: { ...ctx.mappings.accounts, cogs },
    options: { ...ctx.mappings.options, ...options },
  };
  return { ...ctx, refs, mappings };
}

/** Gives each line of the named products its POS cost_total. */
function costed(c: RegisterClosure, costs: Record<string, string>): RegisterClosure {
  const withCost = (l: SaleLine): SaleLine => {
    const key = `${l.productName}${l.isReturn ? " (return)" : ""}`;
    return costs[key] === undefined ? { ...l, costTotal: "0" } : { ...l, costTotal: costs[key] };
  };
  return { ...c, sales: c.sales.map((s) => ({ ...s, lines: s.lines.map(withCost) })) };
}

/**
 * The Quebec closure with the POS's costs (average cost when sold × quantity, 5 places):
 *  #1001 T-shirt 2 × 11.23457 = 22.46914; Scarf 7.00500; Book 12.50500
 *  #1002 Shirt 4.12345        #1003 gift card: 0      #1004 T-shirt returned −11.10000
 *  #1005 Atlas 15.12500, the sale discount 0
 *  #1006 on account, Handbag 45.00000 (its invoice carries it)   #1007 voided, Hat 3.30000
 * Per category, exact then rounded once: Tops 22.46914 − 11.10000 = 11.36914 → 11.37; Shirts 4.12;
 * Accessories 7.005 → 7.01; Books 12.505 + 15.125 = 27.63 (rounding each line first: 27.64).
 * Total 50.13.
 */
function costedQuebec() {
  return costed(quebecClosure(), {
    "T-shirt": "22.46914",
    "T-shirt (return)": "-11.10000",
    Scarf: "7.00500",
    Book: "12.50500",
    Shirt: "4.12345",
    Atlas: "15.12500",
    Handbag: "45.00000",
    Hat: "3.30000",
  });
}

const closurePlan = (c: RegisterClosure, ctx: LedgerContext) => withClosureCogs(buildClosurePosting(c, ctx), c, ctx);

describe("cost of goods sold per closure", () => {
  it("posts nothing more while no COGS account is mapped, or when the option is off", () => {
    const c = costedQuebec();
    const bare = planOf(buildClosurePosting(c, caContext()));
    expect(planOf(closurePlan(c, caContext()))).toEqual(bare);
    const off = cogsContext({ postCogs: false });
    expect(planOf(closurePlan(c, off))).toEqual(planOf(buildClosurePosting(c, off)));
  });

  it("a JournalEntry Dr COGS per category, Cr Inventory Asset, each category rounded once", () => {
    const ctx = cogsContext();
    const c = costedQuebec();
    const plan = planOf(closurePlan(c, ctx));
    expectSound(plan);
    const before = planOf(buildClosurePosting(c, ctx));
    expect(plan.documents.map((d) => d.part)).toEqual([...before.documents.map((d) => d.part), "cogs"]);
    const je = doc(plan, "cogs");
    expect(je.entity).toBe("JournalEntry");
    expect(je.body.TxnDate).toBe("2026-03-14");
    expect(je.body.DepartmentRef).toEqual({ value: "d1" });
    const debits = linesOf(je)
      .filter((l) => (l.JournalEntryLineDetail as { PostingType: string }).PostingType === "Debit")
      .map((l) => [String(l.Description), cents(l.Amount)]);
    expect(debits).toEqual([
      ["Cost of goods sold – Clothing > Tops (closure #12)", 1137],
      ["Cost of goods sold – Accessories (closure #12)", 701],
      ["Cost of goods sold – Books (closure #12)", 2763],
      ["Cost of goods sold – Clothing > Shirts (closure #12)", 412],
    ]);
    const sides = journalSides(je);
    expect(sides.byAccount.get(COGS)).toBe(5013);
    expect(sides.byAccount.get(A.inventory)).toBe(-5013);
    for (const l of linesOf(je)) expect(l.JournalEntryLineDetail).toMatchObject({ ClassRef: { value: "c1" } });
    // the books effect: the closure's own effects, plus COGS up and Inventory Asset down
    const e = effectMap(plan);
    expect(e[COGS]).toBe(5013);
    expect(e[A.inventory]).toBe(-5013);
    expect(plan.variance.find((v) => v.line === "cogs")).toMatchObject({ posMinor: 5013, diffMinor: 0 });
  });

  it("is one document with a stable part and request id: at most one per closure version", () => {
    const ctx = cogsContext();
    const a = doc(planOf(closurePlan(costedQuebec(), ctx)), "cogs");
    const b = doc(planOf(closurePlan(costedQuebec(), ctx)), "cogs");
    expect(a.requestId).toBe(b.requestId);
    expect(a.docNumber).toBe(b.docNumber);
    expect(a.docNumber).toMatch(/^Z12-C-/);
    const v2 = doc(planOf(closurePlan(costedQuebec(), { ...ctx, revision: "2" })), "cogs");
    expect(v2.requestId).not.toBe(a.requestId);
  });

  it("a net return reverses it: Dr Inventory Asset, Cr COGS", () => {
    const ctx = cogsContext();
    const c = costedQuebec();
    const onlyReturn: RegisterClosure = {
      ...c,
      sales: c.sales.filter((s) => s.invoiceNumber === "1004"),
      payments: [{ paymentTypeId: PT.storeCredit, name: "Store Credit", expectedMinor: -2587, countedMinor: null }],
    };
    const plan = planOf(closurePlan(onlyReturn, ctx));
    expectSound(plan);
    const sides = journalSides(doc(plan, "cogs"));
    expect(sides.byAccount.get(COGS)).toBe(-1110);
    expect(sides.byAccount.get(A.inventory)).toBe(1110);
  });

  it("per category: to the category item's COGS expense account, else the one COGS account", () => {
    const plan = planOf(closurePlan(costedQuebec(), cogsContext({ cogsPerCategory: true })));
    const sides = journalSides(doc(plan, "cogs"));
    expect(sides.byAccount.get(COGS_ACC)).toBe(701);
    expect(sides.byAccount.get(COGS)).toBe(1137 + 2763 + 412);
    expect(sides.byAccount.get(A.inventory)).toBe(-5013);
  });

  it("waits for the Inventory Asset account with the closure's other blockers, never half-posts", () => {
    const ctx = cogsContext();
    const noInventory = {
      ...ctx,
      mappings: { ...ctx.mappings, accounts: { ...ctx.mappings.accounts, inventoryAsset: undefined } },
    };
    expect(blockersOf(closurePlan(costedQuebec(), noInventory))).toEqual([
      { code: "needs_mapping", detail: "the inventory asset account", mappingKey: "accounts.inventoryAsset" },
    ]);
  });

  it("lines without a POS cost (an older payload) and all-zero costs add no document", () => {
    const ctx = cogsContext();
    const none = quebecClosure();
    expect(planOf(closurePlan(none, ctx))).toEqual(planOf(buildClosurePosting(none, ctx)));
    const zero = costed(quebecClosure(), {});
    expect(planOf(closurePlan(zero, ctx)).documents.map((d) => d.part)).not.toContain("cogs");
  });
});

describe("cost of goods sold of an on-account or layby sale", () => {
  function layby(extra: Partial<Sale> = {}): Sale {
    const lines = [
      {
        ...product("Handbag", "cat-acc", "1", "100.00000", 10000, 0, "tx-gstqst", [
          ["pr-gst", 500],
          ["pr-qst", 998],
        ]),
        costTotal: "45.33333",
      },
      { ...product("Gloves", "cat-tops", "2", "5.00000", 1000, 0, "tx-gst", [["pr-gst", 50]]), costTotal: "4.44444" },
    ];
    return sale("5002", lines, [pay(PT.onAccount, 12548)], {
      kind: "layby",
      state: "pending",
      customer: CUSTOMER,
      completedSequenceId: null,
      saleDate: "2026-03-20T02:30:00Z",
      ...extra,
    });
  }

  it("carries its cost with the invoice's date", () => {
    const ctx = cogsContext();
    const s = layby();
    const plan = planOf(withSaleCogs(buildSaleInvoicePosting(s, ctx, { customerId: "77" }), s, ctx));
    expectSound(plan);
    expect(plan.documents.map((d) => d.part)).toEqual(["invoice", "cogs"]);
    const je = doc(plan, "cogs");
    // 02:30 UTC on the 20th is the 19th in Montréal: the invoice's date, and the journal's
    expect(je.body.TxnDate).toBe(doc(plan, "invoice").body.TxnDate);
    expect(je.body.TxnDate).toBe("2026-03-19");
    const sides = journalSides(je);
    expect(sides.byAccount.get(COGS)).toBe(4533 + 444);
    expect(sides.byAccount.get(A.inventory)).toBe(-4977);
  });

  it("a cancelled layby's cancelling lines net its cost to nothing; a voided sale has none", () => {
    const ctx = cogsContext();
    const s = layby();
    const cancelled: Sale = {
      ...s,
      lines: [
        ...s.lines,
        ...s.lines.map((l) => ({
          ...l,
          id: `${l.id}-x`,
          quantity: `-${l.quantity}`,
          listMinor: -l.listMinor,
          netMinor: -l.netMinor,
          taxes: l.taxes.map((t) => ({ ...t, taxMinor: -t.taxMinor })),
          isReturn: true,
          costTotal: `-${l.costTotal}`,
        })),
      ],
    };
    const lines = (x: Sale) =>
      planOf(withSaleCogs(buildSaleInvoicePosting(x, ctx, { customerId: "77" }), x, ctx)).documents.map((d) => d.part);
    expect(
      lines({ ...cancelled, totalExTaxMinor: 0, totalTaxMinor: 0, totalMinor: 0, taxes: [], payments: [] }),
    ).not.toContain("cogs");
    expect(lines(layby({ state: "voided" }))).toEqual([]);
  });
});
