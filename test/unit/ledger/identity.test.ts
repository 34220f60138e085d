import { describe, expect, it } from "vitest";
import {
  buildClosurePosting,
  buildSaleInvoicePosting,
  businessDate,
  customerDisplayName,
  docNumber,
  idempotencyKey,
  keyTag,
  requestIdFor,
  vendorDisplayName,
} from "../../../worker/ledger";
import { caContext, closure, CUSTOMER, pay, product, PT, quebecClosure, sale, SUPPLIER } from "./fixtures";
import { blockersOf, planOf } from "./helpers";

describe("keys, request ids and DocNumbers", () => {
  it("the idempotency key is tb1|tenant|kind|posId|posVersion", () => {
    expect(idempotencyKey("laurier", "closure", "seq-12", "1")).toBe("tb1|laurier|closure|seq-12|1");
  });

  it("request ids are deterministic per (key, part), 32 characters, and differ between parts and versions", () => {
    const key = idempotencyKey("laurier", "closure", "seq-12", "1");
    expect(requestIdFor(key, "sales")).toBe(requestIdFor(key, "sales"));
    expect(requestIdFor(key, "sales")).toMatch(/^[0-9a-z]{32}$/);
    expect(requestIdFor(key, "sales")).not.toBe(requestIdFor(key, "payments"));
    expect(requestIdFor(key, "sales")).not.toBe(
      requestIdFor(idempotencyKey("laurier", "closure", "seq-12", "2"), "sales"),
    );
  });

  it("DocNumbers stay ≤ 21 whatever the readable part, keep its tail, and differ per part", () => {
    const key = idempotencyKey("t", "sale", "s", "1");
    const long = docNumber("RECEIPT-000000123456789", key, "invoice");
    expect(long).toMatch(/^000123456789-[0-9A-Z]{8}$/);
    expect(long).toHaveLength(21);
    expect(docNumber("Z1", key, "sales")).not.toBe(docNumber("Z1", key, "payments"));
    expect(docNumber("reçu #5 / été", key, "x")).toMatch(/^reu5t-[0-9A-Z]{8}$/);
    expect(docNumber("", key, "x")).toMatch(/^[0-9A-Z]{8}$/);
  });

  it("the same closure gives the same documents, byte for byte", () => {
    const a = planOf(buildClosurePosting(quebecClosure(), caContext()));
    const b = planOf(buildClosurePosting(structuredClone(quebecClosure()), caContext()));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.documents.map((d) => d.requestId)).toEqual(b.documents.map((d) => d.requestId));
  });
});

describe("QBO length limits", () => {
  it("PrivateNote ≤ 4000 keeps the key; Description ≤ 4000", () => {
    const c = quebecClosure();
    c.registerName = "R".repeat(5000);
    const plan = planOf(buildClosurePosting(c, caContext()));
    for (const d of plan.documents) {
      expect(String(d.body.PrivateNote)).toHaveLength(4000);
      expect(
        String(d.body.PrivateNote).startsWith(`Tillbridge ${keyTag(plan.key)} | key ${plan.key} | part ${d.part}`),
      ).toBe(true);
    }
    const long = sale(
      "6002",
      [product("P".repeat(5000), "cat-acc", "1", "5", 500, 0, "tx-none", [])],
      [pay(PT.onAccount, 500)],
      { kind: "on_account", state: "pending", customer: CUSTOMER, completedSequenceId: null },
    );
    const invoice = planOf(buildSaleInvoicePosting(long, caContext())).documents[0]!;
    expect((invoice.body.Line as { Description: string }[])[0]!.Description).toHaveLength(4000);
  });
});

describe("business dates (DST-safe, in the outlet's zone)", () => {
  it("a closure opened 2026-11-01 20:00 in Toronto and closed 00:30 the next day belongs to 2026-11-01", () => {
    const c = closure(
      [
        sale(
          "6001",
          [product("Book", "cat-books", "1", "10", 1000, 0, "tx-gst", [["pr-gst", 50]])],
          [pay(PT.cash, 1050)],
        ),
      ],
      [{ paymentTypeId: PT.cash, name: "Cash", expectedMinor: 1050, countedMinor: 1050 }],
    );
    c.openedAt = "2026-11-02T01:00:00Z"; // 20:00 EST, the evening clocks fell back
    c.closedAt = "2026-11-02T05:30:00Z"; // 00:30 EST the next day
    const plan = planOf(buildClosurePosting(c, caContext()));
    expect(plan.txnDate).toBe("2026-11-01");
    expect(plan.documents.every((d) => d.body.TxnDate === "2026-11-01")).toBe(true);
  });

  it.each([
    ["2026-03-08T06:59:00Z", "America/Toronto", "2026-03-08"], // 01:59 EST, a minute before spring-forward
    ["2026-03-09T03:59:00Z", "America/Toronto", "2026-03-08"], // 23:59 EDT on the 23-hour day
    ["2026-03-09T04:00:00Z", "America/Toronto", "2026-03-09"],
    ["2026-11-01T04:00:00Z", "America/Toronto", "2026-11-01"], // 00:00 EDT on the 25-hour day
    ["2026-11-02T04:59:00Z", "America/Toronto", "2026-11-01"], // 23:59 EST
    ["2026-11-02T05:00:00Z", "America/Toronto", "2026-11-02"],
    ["2026-11-01T20:00:00-05:00", "America/Toronto", "2026-11-01"],
    ["2026-03-29T00:30:00Z", "Europe/London", "2026-03-29"],
    ["2026-10-03T14:30:00Z", "Australia/Sydney", "2026-10-04"], // 00:30 AEST → DST starts at 02:00
    ["2026-06-30T18:45:00Z", "Asia/Kolkata", "2026-07-01"],
    ["2026-01-01T09:59:00Z", "Pacific/Honolulu", "2025-12-31"],
  ])("%s in %s is %s", (instant, zone, date) => {
    expect(businessDate(instant, zone)).toBe(date);
  });

  it("refuses a local time without an offset (it would depend on the machine) and an unknown zone", () => {
    expect(() => businessDate("2026-11-01T20:00:00", "America/Toronto")).toThrow(RangeError);
    expect(() => businessDate("2026-11-01", "America/Toronto")).toThrow(RangeError);
    expect(() => businessDate("2026-11-01T20:00:00Z", "Mars/Olympus")).toThrow(RangeError);
    const c = quebecClosure();
    c.timeZone = "Mars/Olympus";
    expect(blockersOf(buildClosurePosting(c, caContext()))[0]).toMatchObject({ code: "pos_payload_invalid" });
    expect(blockersOf(buildClosurePosting(c, caContext()))[0]!.detail).toMatch(/^the closure's opening time: /);
  });
});

describe("QBO display names", () => {
  it("company name, else first + last; no ':' tab or newline; at most 100 characters", () => {
    const base = { id: "c", firstName: null, lastName: null, companyName: null, email: null, customerCode: null };
    expect(customerDisplayName({ ...base, companyName: "Atelier: Tremblay\tInc.\n", firstName: "Élodie" })).toBe(
      "Atelier Tremblay Inc.",
    );
    expect(customerDisplayName({ ...base, firstName: "Élodie", lastName: "Tremblay" })).toBe("Élodie Tremblay");
    expect(customerDisplayName({ ...base, companyName: "  ", lastName: "Tremblay" })).toBe("Tremblay");
    expect(customerDisplayName({ ...base, customerCode: "C-9" })).toBe("C-9");
    expect(customerDisplayName(base)).toBe("POS customer c");
    expect(customerDisplayName({ ...base, companyName: "x".repeat(150) })).toHaveLength(100);
    expect(customerDisplayName({ ...base, companyName: "🛍".repeat(120) })).toBe("🛍".repeat(100));
  });

  it("suppliers by their POS name", () => {
    expect(vendorDisplayName(SUPPLIER)).toBe("Tissus Nord");
    expect(vendorDisplayName({ ...SUPPLIER, name: " ", firstName: "Ana", lastName: "Lopes", companyName: null })).toBe(
      "Ana Lopes",
    );
  });
});
