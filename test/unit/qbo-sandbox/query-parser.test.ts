import { describe, expect, it } from "vitest";
import { QboFault } from "../../../sandbox/qbo/faults";
import { parseQuery, runQuery } from "../../../sandbox/qbo/query";

const fault = (text: string) => {
  try {
    parseQuery(text);
  } catch (e) {
    if (e instanceof QboFault) return e.code;
    throw e;
  }
  return "parsed";
};

describe("the QBO query parser", () => {
  it("parses the full grammar, resolving field names case-insensitively against the schema", () => {
    const q = parseQuery(
      "SELECT * FROM salesreceipt WHERE customerref IN ('1', '2') AND metadata.lastupdatedtime >= '2026-01-01' AND docnumber LIKE 'Z%' ORDER BY TxnDate DESC, id STARTPOSITION 11 MAXRESULTS 10",
    );
    expect(q.entity).toBe("SalesReceipt");
    expect(q.where.map((c) => [c.path.join("."), c.op, c.values])).toEqual([
      ["CustomerRef", "in", ["1", "2"]],
      ["MetaData.LastUpdatedTime", ">=", ["2026-01-01"]],
      ["DocNumber", "like", ["Z%"]],
    ]);
    expect(q.orderBy).toEqual([
      { path: ["TxnDate"], desc: true },
      { path: ["Id"], desc: false },
    ]);
    expect([q.startPosition, q.maxResults]).toEqual([11, 10]);
  });

  it("defaults to startposition 1 and maxresults 100", () => {
    const q = parseQuery("select count(*) from Item");
    expect(q).toMatchObject({ count: true, startPosition: 1, maxResults: 100 });
  });

  it("reports parse errors as 4000 and validation errors as 4001", () => {
    expect(fault("select * from Item where Name = 'a' OR Name = 'b'")).toBe("4000");
    expect(fault("select * from Item where Name")).toBe("4000");
    expect(fault("select * from Item maxresults ten")).toBe("4000");
    expect(fault("select * from Item extra")).toBe("4000");
    expect(fault("select * from Nope")).toBe("4001");
    expect(fault("select * from Item where Nope = 1")).toBe("4001");
    expect(fault("select * from Item startposition 0")).toBe("4001");
  });

  it("filters, sorts numerically, pages, and projects fields", () => {
    const docs = [
      { Id: "10", Name: "b", Active: true, UnitPrice: 9 },
      { Id: "2", Name: "A", Active: true, UnitPrice: 10.5 },
      { Id: "3", Name: "c", Active: false, UnitPrice: 1 },
    ];
    expect(runQuery(parseQuery("select * from Item"), docs)).toMatchObject({
      Item: [{ Id: "2" }, { Id: "10" }],
      maxResults: 2,
    });
    expect(
      runQuery(parseQuery("select * from Item where UnitPrice > '9.5' and Active in (true, false)"), docs),
    ).toMatchObject({ Item: [{ Id: "2" }] });
    expect(runQuery(parseQuery("select Name from Item orderby Name desc maxresults 1"), docs)).toEqual({
      Item: [{ Name: "b" }],
      startPosition: 1,
      maxResults: 1,
    });
    expect(runQuery(parseQuery("select * from Item startposition 5"), docs)).toEqual({});
  });
});
