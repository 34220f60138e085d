import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { api, caReceipt, connect, expectFault, ids, makeSandbox, type J } from "./helpers";

let sb: QboSandbox;
let realmId: string;
let q: ReturnType<typeof api>;
let id: ReturnType<typeof ids>;

beforeEach(async () => {
  sb = makeSandbox().sb;
  const c = await connect(sb, "ca");
  realmId = c.realmId;
  q = api(sb, realmId, c.token);
  id = ids(sb, realmId);
});

const rows = (res: { body: J }, entity: string) => (res.body.QueryResponse[entity] ?? []) as J[];

describe("the query language", () => {
  it("answers QueryResponse with startPosition, maxResults and time", async () => {
    const res = await q.query("select * from PaymentMethod");
    expect(res.status).toBe(200);
    expect(rows(res, "PaymentMethod").map((p) => p.Name)).toEqual([
      "Cash",
      "Cheque",
      "Visa",
      "MasterCard",
      "Debit (Interac)",
    ]);
    expect(res.body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 5 });
    expect(typeof res.body.time).toBe("string");
  });

  it("is case-insensitive in keywords, entity, fields and string values", async () => {
    const res = await q.query("SeLeCt * FROM account WHERE name = 'undeposited funds'");
    expect(rows(res, "Account")).toHaveLength(1);
    expect(rows(res, "Account")[0].AccountSubType).toBe("UndepositedFunds");
  });

  it("returns active records only unless Active is filtered", async () => {
    expect(rows(await q.query("select * from Item"), "Item").map((i) => i.Name)).not.toContain(
      "Gift wrapping (discontinued)",
    );
    const all = rows(await q.query("select * from Item where Active in (true, false)"), "Item");
    expect(all.map((i) => i.Name)).toContain("Gift wrapping (discontinued)");
    expect(
      rows(await q.query("select * from Customer where Active = false"), "Customer").map((c) => c.DisplayName),
    ).toEqual(["Jean Gagnon (ancien)"]);
  });

  it("unescapes \\' inside quoted values", async () => {
    await q.post("Customer", { DisplayName: "Chez Léo's" });
    const res = await q.query("select * from Customer where DisplayName = 'Chez Léo\\'s'");
    expect(rows(res, "Customer")).toHaveLength(1);
  });

  it("supports LIKE, IN, comparisons, nested fields and refs", async () => {
    expect(
      rows(await q.query("select * from Account where Name like '%Payable%'"), "Account").map((a) => a.Name),
    ).toEqual(["Accounts Payable (A/P)", "GST/HST Payable", "QST Payable"]);
    expect(rows(await q.query(`select * from Account where Id in ('1', '2', '9999')`), "Account")).toHaveLength(2);
    await q.post(
      "SalesReceipt",
      caReceipt(sb, realmId, 10, { DocNumber: "Q-1", CustomerRef: { value: id.customer("Marie Tremblay") } }),
    );
    await q.post("SalesReceipt", caReceipt(sb, realmId, 200, { DocNumber: "Q-2", TxnDate: "2026-11-20" }));
    expect(
      rows(await q.query("select * from SalesReceipt where TotalAmt > '100'"), "SalesReceipt").map((r) => r.DocNumber),
    ).toEqual(["Q-2"]);
    expect(
      rows(await q.query("select * from SalesReceipt where TxnDate >= '2026-11-21'"), "SalesReceipt").map(
        (r) => r.DocNumber,
      ),
    ).toEqual(["Q-1"]);
    expect(
      rows(
        await q.query(`select * from SalesReceipt where CustomerRef = '${id.customer("Marie Tremblay")}'`),
        "SalesReceipt",
      ).map((r) => r.DocNumber),
    ).toEqual(["Q-1"]);
    expect(
      rows(
        await q.query("select * from SalesReceipt where MetaData.CreateTime >= '2026-11-28T00:00:00-00:00'"),
        "SalesReceipt",
      ),
    ).toHaveLength(2);
  });

  it("orders, pages with STARTPOSITION/MAXRESULTS, and counts", async () => {
    const page = await q.query("select * from Account orderby Name desc startposition 2 maxresults 3");
    expect(page.body.QueryResponse).toMatchObject({ startPosition: 2, maxResults: 3 });
    const names = rows(page, "Account").map((a) => a.Name);
    expect(names).toEqual([...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
    const count = await q.query("select count(*) from Account");
    expect(count.body.QueryResponse.totalCount).toBe(20);
  });

  it("answers an empty result as an empty QueryResponse", async () => {
    const res = await q.query("select * from Invoice");
    expect(res.body.QueryResponse).toEqual({});
  });

  it("takes POST /query with Content-Type application/text", async () => {
    const res = await q.call(
      "POST",
      "query?minorversion=75",
      "select * from TaxCode where Name = 'GST'",
      "application/text",
    );
    expect(rows(res, "TaxCode")[0].SalesTaxRateList.TaxRateDetail).toHaveLength(1);
  });

  it("reads CompanyInfo and Preferences through queries, with account balances current", async () => {
    expect(rows(await q.query("select * from CompanyInfo"), "CompanyInfo")[0].CompanyName).toBe(
      "Boutique Tillbridge Démo Inc.",
    );
    expect(rows(await q.query("select * from Preferences"), "Preferences")[0].TaxPrefs.UsingSalesTax).toBe(true);
    await q.post("SalesReceipt", caReceipt(sb, realmId, 100));
    const gst = rows(await q.query("select * from Account where Name = 'GST/HST Payable'"), "Account")[0];
    expect(gst.CurrentBalance).toBe(5);
  });

  it("rejects OR, unknown syntax and bad operators with 4000 QueryParserError", async () => {
    expectFault(await q.query("select * from Customer where DisplayName = 'a' or DisplayName = 'b'"), 400, "4000");
    expectFault(await q.query("select * Customer"), 400, "4000");
    expectFault(await q.query("select * from Customer where DisplayName != 'a'"), 400, "4000");
    expectFault(await q.query("select * from Customer where DisplayName = 'unterminated"), 400, "4000");
  });

  it("rejects unknown entities and fields, and MAXRESULTS over 1000, with 4001", async () => {
    expectFault(await q.query("select * from Gizmo"), 400, "4001");
    expectFault(await q.query("select * from Customer where Colour = 'red'"), 400, "4001");
    expectFault(await q.query("select * from Customer maxresults 1001"), 400, "4001");
    expect((await q.query("select * from Customer maxresults 1000")).status).toBe(200);
  });
});
