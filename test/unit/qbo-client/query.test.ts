import { describe, expect, it } from "vitest";
import { cleanDisplayName, entityOfQuery, pageOf, qboQuery, qboString, QueryName } from "../../../worker/qbo/query";
import { qboDocUrl } from "../../../worker/qbo/links";

describe("QBO query quoting", () => {
  it("escapes quotes with a backslash, as Intuit documents", () => {
    expect(qboString("Adam's Candy Shop")).toBe("'Adam\\'s Candy Shop'");
    expect(qboQuery`select * from Customer where DisplayName = ${"Adam's Candy Shop"}`).toBe(
      "select * from Customer where DisplayName = 'Adam\\'s Candy Shop'",
    );
  });

  it("cannot be widened by a crafted value", () => {
    const sql = qboQuery`select * from Customer where DisplayName = ${"x' or Id = '1"}`;
    expect(sql).toBe("select * from Customer where DisplayName = 'x\\' or Id = \\'1'");
    // the whole value stays one literal: exactly one unescaped opening and closing quote
    expect(sql.replace(/\\./g, "").match(/'/g)).toHaveLength(2);
  });

  it("escapes a trailing backslash so it cannot swallow the closing quote", () => {
    expect(qboString("C:\\")).toBe("'C:\\\\'");
    expect(qboString("a\\'b")).toBe("'a\\\\\\'b'");
  });

  it("writes numbers, booleans, IN lists and checked names", () => {
    expect(
      qboQuery`select * from ${new QueryName("Item")} where Id IN ${["1", "2"]} and Active = ${true} and Qty > ${3}`,
    ).toBe("select * from Item where Id IN ('1', '2') and Active = true and Qty > 3");
    expect(() => new QueryName("Item; drop")).toThrow(/not a QBO entity/);
    expect(() => qboQuery`select * from Item where Id IN ${[]}`).toThrow(/empty IN/);
    expect(() => qboQuery`select * from Item where Qty > ${Number.NaN}`).toThrow(/finite/);
  });

  it("finds the entity even when a value mentions FROM", () => {
    expect(entityOfQuery(qboQuery`select * from Vendor where DisplayName = ${"Goods from Acme"}`)).toBe("Vendor");
    expect(entityOfQuery("SELECT count(*) FROM salesreceipt")).toBe("salesreceipt");
    expect(() => entityOfQuery("select 1")).toThrow(/no FROM/);
  });
});

describe("QBO query paging", () => {
  it("appends 1-based STARTPOSITION and MAXRESULTS (1000 by default)", () => {
    expect(pageOf("select * from Account", 1)).toBe("select * from Account STARTPOSITION 1 MAXRESULTS 1000");
    expect(pageOf("select * from Account", 1001)).toBe("select * from Account STARTPOSITION 1001 MAXRESULTS 1000");
  });

  it("refuses a query that pages itself, but not a value that mentions the words", () => {
    expect(() => pageOf("select * from Account MAXRESULTS 10", 1)).toThrow(/client pages it/);
    expect(pageOf(qboQuery`select * from Item where Name = ${"maxresults startposition"}`, 1)).toContain(
      "MAXRESULTS 1000",
    );
    expect(() => pageOf("select * from Account", 0)).toThrow(/1-based/);
    expect(() => pageOf("select * from Account", 1, 1001)).toThrow(/MAXRESULTS/);
  });
});

describe("display names and deep links", () => {
  it("removes what QBO refuses in names (colon, tab, newline)", () => {
    expect(cleanDisplayName("  Acme:\tWest\nStore  ")).toBe("Acme West Store");
    expect(cleanDisplayName("x".repeat(600))).toHaveLength(500);
  });

  it("links a document in QBO's own URL shape", () => {
    expect(qboDocUrl({ QBO_APP_URL: "https://app.qbo.intuit.com/app" }, "SalesReceipt", "12")).toBe(
      "https://app.qbo.intuit.com/app/salesreceipt?txnId=12",
    );
    expect(qboDocUrl({ QBO_APP_URL: "http://127.0.0.1:8788/app/" }, "JournalEntry", "7")).toBe(
      "http://127.0.0.1:8788/app/journalentry?txnId=7",
    );
    expect(qboDocUrl({ QBO_APP_URL: "http://127.0.0.1:8788/app" }, "Bill", "a b", "9341")).toBe(
      "http://127.0.0.1:8788/app/bill?txnId=a%20b&realm=9341",
    );
    expect(() => qboDocUrl({ QBO_APP_URL: "https://x" }, "../evil", "1")).toThrow();
  });
});
