import { describe, expect, it } from "vitest";
import { ObjectKind } from "../../../shared/sync";
import { ALL_KINDS, findKind, type Kind, KINDS, kindOf } from "../../../worker/kinds";
import { POSTED_ENTITIES } from "../../../worker/sync/backfill/markers";
import { sortForPosting } from "../../../worker/sync/backfill/history";

/**
 * The rules every kind module keeps, whatever it posts: the engine, re-send, drift and backfill rely
 * on them instead of knowing the kinds. A new kind that breaks one fails here.
 */
describe("the object-kind registry", () => {
  it("has one module per kind of the API contract, each under its own name", () => {
    expect(Object.keys(KINDS).sort()).toEqual([...ObjectKind.options].sort());
    for (const [name, kind] of Object.entries(KINDS)) expect(kind.kind).toBe(name);
    expect(ALL_KINDS.map((k) => k.kind)).toEqual(Object.keys(KINDS));
  });

  it("knows a kind by name and refuses one it does not know", () => {
    expect(kindOf("closure")).toBe(KINDS.closure);
    expect(findKind("toString")).toBeUndefined();
    expect(() => kindOf("layaway_fee")).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("gives every kind a build and the QBO entities its documents can be", () => {
    for (const kind of ALL_KINDS) {
      expect(typeof kind.build, kind.kind).toBe("function");
      expect(kind.entities.length, kind.kind).toBeGreaterThan(0);
    }
  });

  it("discovers a closure before the sales that may reveal it, and a sale before its payments", () => {
    const order = ALL_KINDS.filter((k) => k.discover).map((k) => k.kind);
    expect(order.indexOf("closure")).toBeLessThan(order.indexOf("sale"));
    // payments are found with their sale: a kind of their own would race it
    expect((KINDS.sale_payment as Kind).discover).toBeUndefined();
  });

  it("names, for what applies to a kind's document, a kind that posts that entity and a document the kind posts", () => {
    const applied = ALL_KINDS.filter((k) => k.appliedBy);
    expect(applied.map((k) => k.kind)).toEqual(["sale"]);
    for (const kind of applied) {
      const by = kind.appliedBy!;
      expect(kindOf(by.kind).entities).toContain(by.entity);
      expect(kind.entities).toContain(by.to);
      // what applies to it posts after it on the same day
      expect(kindOf(by.kind).backfill!.rank).toBeGreaterThan(kind.backfill!.rank);
    }
  });

  it("puts a backfill's objects day by day, an invoice before its payments and the day's closure", () => {
    const sorted = sortForPosting([
      { kind: "sale_payment", posId: "s1:p1", businessDate: "2026-10-02" },
      { kind: "closure", posId: "c2", businessDate: "2026-10-02" },
      { kind: "gift_card_expiry", posId: "g1", businessDate: "2026-10-01" },
      { kind: "sale", posId: "s1", businessDate: "2026-10-02" },
    ]);
    expect(sorted.map((o) => o.posId)).toEqual(["g1", "s1", "c2", "s1:p1"]);
  });

  it("puts a day's credits on account after its invoices and payments, a credit memo before its application", () => {
    const sorted = sortForPosting([
      { kind: "account_credit", posId: "a1", businessDate: "2026-10-02", rank: 5 },
      { kind: "account_credit", posId: "cancel:a1", businessDate: "2026-10-02" },
      { kind: "sale_payment", posId: "a1:p2", businessDate: "2026-10-02" },
      { kind: "sale", posId: "r1", businessDate: "2026-10-02" },
      { kind: "account_credit", posId: "0r", businessDate: "2026-10-01", rank: 5 },
    ]);
    expect(sorted.map((o) => o.posId)).toEqual(["0r", "r1", "a1:p2", "cancel:a1", "a1"]);
    expect(KINDS.account_credit.backfill.rank).toBeGreaterThan(KINDS.sale_payment.backfill.rank);
  });

  it("names the credits on account a re-send takes out and applies again with a credit memo", async () => {
    expect(ALL_KINDS.filter((k) => k.creditsOn).map((k) => k.kind)).toEqual(["sale", "account_credit"]);
    const db = null as unknown as D1Database; // a cancellation's credit is named by its id alone
    // a cancelled layby's credit memo is `cancel:<sale id>`, applied by the layby's own credit
    expect(await KINDS.account_credit.creditsOn(db, "t", "cancel:lay-1")).toEqual([
      { kind: "account_credit", posId: "lay-1" },
    ]);
    expect(await KINDS.account_credit.creditsOn(db, "t", "lay-1")).toEqual([]);
  });

  it("scans QBO for earlier postings of every entity a backfilled kind posts, and only those", () => {
    expect(POSTED_ENTITIES).toEqual([
      "SalesReceipt",
      "RefundReceipt",
      "JournalEntry",
      "Invoice",
      "CreditMemo",
      "Payment",
    ]);
    expect(POSTED_ENTITIES).not.toContain("Bill"); // purchase orders are not backfilled
    expect((KINDS.purchase_order as Kind).backfill).toBeUndefined();
  });

  it("keys a payment's documents by the payment's own id, as the ledger does", () => {
    expect(KINDS.sale_payment.backfill?.keyId?.("sale-1:pay-9")).toBe("pay-9");
    expect((KINDS.sale as Kind).backfill?.keyId).toBeUndefined();
  });

  it("lets a re-send replace every posting but a purchase order's bills and a supplier return's credit, and says why", () => {
    expect(ALL_KINDS.filter((k) => k.cannotReplace).map((k) => k.kind)).toEqual(["purchase_order", "supplier_return"]);
    expect(KINDS.supplier_return.cannotReplace).toMatch(/correct the vendor credit in QuickBooks Online/);
    expect(KINDS.purchase_order.cannotReplace).toMatch(/correct the bill in QuickBooks Online/);
  });

  it("names a purchase order's bills by delivery, and leaves other kinds' parts as the ledger names them", () => {
    const plan = { posId: "delivery-7" } as Parameters<NonNullable<typeof KINDS.purchase_order.part>>[0];
    expect(KINDS.purchase_order.part(plan, "bill")).toBe("delivery-7/bill");
    expect(ALL_KINDS.filter((k) => k.part).map((k) => k.kind)).toEqual(["purchase_order"]);
  });

  it("settles a closure's unknown counted totals in a backfill only when the merchant chose counted = expected", () => {
    const settle = KINDS.closure.backfill.settle;
    expect(settle.blockedOn({ counted_policy: "expected" } as never)).toBe("counted");
    expect(settle.blockedOn({ counted_policy: "wait" } as never)).toBeNull();
  });
});
