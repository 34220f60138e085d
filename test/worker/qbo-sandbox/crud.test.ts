import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { api, balanceOf, caReceipt, connect, expectFault, ids, makeSandbox, type J } from "./helpers";

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

describe("create, read, update, delete", () => {
  it("answers a create as Intuit does: the entity with Id, SyncToken, MetaData, computed totals, and time", async () => {
    const res = await q.post(
      "SalesReceipt",
      caReceipt(sb, realmId, 100, { DocNumber: "S-1", PrivateNote: "Tillbridge abc" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("intuit_tid")).toBeTruthy();
    const r = res.body.SalesReceipt;
    expect(r).toMatchObject({
      SyncToken: "0",
      DocNumber: "S-1",
      TotalAmt: 114.98,
      Balance: 0,
      CurrencyRef: { value: "CAD" },
      TxnDate: "2026-11-27",
    });
    expect(r.Line.at(-1)).toEqual({ Amount: 100, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
    expect(r.Line[0]).toMatchObject({ Id: "1", LineNum: 1 });
    expect(r.TxnTaxDetail.TotalTax).toBe(14.98);
    const read = await q.get("SalesReceipt", r.Id);
    expect(read.body.SalesReceipt).toEqual(r);
  });

  it("reading a missing record is 610; an unknown resource is 400 Unsupported Operation", async () => {
    expectFault(await q.get("Invoice", "777"), 400, "610");
    const unknown = await q.post("Widget", {});
    expect(expectFault(unknown, 400, "500").Message).toBe("Unsupported Operation");
  });

  it("TaxCode and TaxRate are read-only through the Accounting API", async () => {
    expectFault(await q.post("TaxCode", { Name: "New" }), 400, "500");
    expect((await q.get("TaxCode", id.taxCode("GST"))).body.TaxCode.Name).toBe("GST");
  });

  it("a sparse update changes only the given fields; a full update replaces the record", async () => {
    const c = (await q.post("Customer", { DisplayName: "Pat Ouellet", CompanyName: "Ouellet & fils", Notes: "VIP" }))
      .body.Customer;
    const sparse = await q.post("Customer", { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: "regular" });
    expect(sparse.body.Customer).toMatchObject({
      SyncToken: "1",
      DisplayName: "Pat Ouellet",
      CompanyName: "Ouellet & fils",
      Notes: "regular",
    });
    const full = await q.post("Customer", { Id: c.Id, SyncToken: "1", DisplayName: "Pat Ouellet" });
    expect(full.body.Customer.SyncToken).toBe("2");
    expect(full.body.Customer.CompanyName).toBeUndefined();
    expect(full.body.Customer.Notes).toBeUndefined();
  });

  it("a stale SyncToken is 5010 Stale Object Error, and nothing changes", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 100))).body.SalesReceipt;
    expect((await q.post("SalesReceipt", { Id: r.Id, SyncToken: "0", sparse: true, PrivateNote: "one" })).status).toBe(
      200,
    );
    const f = expectFault(
      await q.post("SalesReceipt", { Id: r.Id, SyncToken: "0", sparse: true, PrivateNote: "two" }),
      400,
      "5010",
    );
    expect(f.Message).toBe("Stale Object Error");
    expect((await q.get("SalesReceipt", r.Id)).body.SalesReceipt.PrivateNote).toBe("one");
  });

  it("a sparse update of a document recomputes its totals and keeps it balanced", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 100))).body.SalesReceipt;
    const line = {
      ...r.Line[0],
      Amount: 200,
      SalesItemLineDetail: { ...r.Line[0].SalesItemLineDetail, UnitPrice: 200 },
    };
    const u = await q.post("SalesReceipt", { Id: r.Id, SyncToken: r.SyncToken, sparse: true, Line: [line] });
    expect(u.body.SalesReceipt.TotalAmt).toBe(229.95);
    expect(balanceOf(sb, realmId, "Undeposited Funds")).toBe(22995);
    expect(balanceOf(sb, realmId, "Sales of Product Income")).toBe(-20000);
  });

  it("delete removes a transaction and its postings; name lists cannot be deleted", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 100))).body.SalesReceipt;
    const del = await q.post("SalesReceipt", { Id: r.Id, SyncToken: r.SyncToken }, "operation=delete");
    expect(del.body.SalesReceipt).toMatchObject({ Id: r.Id, status: "Deleted" });
    expect(sb.entities(realmId, "SalesReceipt")).toHaveLength(0);
    expect(balanceOf(sb, realmId, "Undeposited Funds")).toBe(0);
    expectFault(await q.get("SalesReceipt", r.Id), 400, "610");
    const cust = id.customer("Marie Tremblay");
    expectFault(await q.post("Customer", { Id: cust, SyncToken: "0" }, "operation=delete"), 400, "500");
  });
});

describe("void", () => {
  it("voids a sales receipt (operation=update&include=void): amounts zeroed, record kept, memo says Voided, books reversed", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 100, { PrivateNote: "Z12" }))).body.SalesReceipt;
    expect(balanceOf(sb, realmId, "QST Payable")).toBe(-998);
    const v = await q.post(
      "SalesReceipt",
      { Id: r.Id, SyncToken: r.SyncToken, sparse: true },
      "operation=update&include=void",
    );
    expect(v.status).toBe(200);
    const voided = v.body.SalesReceipt;
    expect(voided).toMatchObject({ TotalAmt: 0, PrivateNote: "Voided - Z12", SyncToken: "1" });
    expect(voided.Line.every((l: J) => l.Amount === 0)).toBe(true);
    expect(voided.TxnTaxDetail.TotalTax).toBe(0);
    expect(sb.entities(realmId, "SalesReceipt")).toHaveLength(1);
    expect(sb.trialBalance(realmId).every((row) => row.balanceMinor === 0)).toBe(true);
  });

  it("voids an invoice with operation=void; a bill cannot be voided", async () => {
    const inv = (
      await q.post("Invoice", caReceipt(sb, realmId, 10, { CustomerRef: { value: id.customer("Marie Tremblay") } }))
    ).body.Invoice;
    const v = await q.post("Invoice", { Id: inv.Id, SyncToken: inv.SyncToken }, "operation=void");
    expect(v.body.Invoice).toMatchObject({ TotalAmt: 0, Balance: 0, PrivateNote: "Voided" });
    const bill = (
      await q.post("Bill", {
        VendorRef: { value: id.vendor("Transport Rapide QC") },
        GlobalTaxCalculation: "TaxExcluded",
        Line: [
          {
            DetailType: "AccountBasedExpenseLineDetail",
            Amount: 5,
            AccountBasedExpenseLineDetail: {
              AccountRef: { value: id.account("Bank charges") },
              TaxCodeRef: { value: id.taxCode("Exempt") },
            },
          },
        ],
      })
    ).body.Bill;
    expectFault(await q.post("Bill", { Id: bill.Id, SyncToken: bill.SyncToken }, "operation=void"), 400, "500");
  });
});

describe("requestid", () => {
  it("replays the original response without performing the write again", async () => {
    const first = await q.post("SalesReceipt", caReceipt(sb, realmId, 100), "minorversion=75&requestid=tb1-abc");
    const again = await q.post("SalesReceipt", caReceipt(sb, realmId, 100), "minorversion=75&requestid=tb1-abc");
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(sb.entities(realmId, "SalesReceipt")).toHaveLength(1);
    expect(balanceOf(sb, realmId, "Undeposited Funds")).toBe(11498);
    const other = await q.post("SalesReceipt", caReceipt(sb, realmId, 100), "minorversion=75&requestid=tb1-def");
    expect(other.body.SalesReceipt.Id).not.toBe(first.body.SalesReceipt.Id);
  });

  it("replays a fault too, and refuses a requestid longer than 50 characters", async () => {
    const bad = caReceipt(sb, realmId, 100, { DocNumber: "X".repeat(22) });
    const f1 = await q.post("SalesReceipt", bad, "requestid=r-fault");
    const f2 = await q.post("SalesReceipt", caReceipt(sb, realmId, 100), "requestid=r-fault");
    expect(f2.status).toBe(400);
    expect(f2.text).toBe(f1.text);
    expect(sb.entities(realmId, "SalesReceipt")).toHaveLength(0);
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 100), `requestid=${"r".repeat(51)}`)).status).toBe(400);
    expect(sb.entities(realmId, "SalesReceipt")).toHaveLength(0);
  });

  it("is remembered per company", async () => {
    const us = await connect(sb, "us");
    const uq = api(sb, us.realmId, us.token);
    await q.post("Customer", { DisplayName: "Shared Req" }, "requestid=same");
    const res = await uq.post("Customer", { DisplayName: "Shared Req" }, "requestid=same");
    expect(res.status).toBe(200);
    expect(res.body.Customer.Id).toBeDefined();
    expect((sb.entities(us.realmId, "Customer") as J[]).some((c) => c.DisplayName === "Shared Req")).toBe(true);
  });
});

describe("batch", () => {
  it("runs independent items with their bId echoed, per-item faults, and queries", async () => {
    const res = await q.call("POST", "batch?minorversion=75", {
      BatchItemRequest: [
        { bId: "b1", operation: "create", SalesReceipt: caReceipt(sb, realmId, 10, { DocNumber: "B-1" }) },
        { bId: "b2", operation: "create", SalesReceipt: caReceipt(sb, realmId, 10, { DocNumber: "B-1" }) },
        { bId: "b3", operation: "create", Customer: { DisplayName: "Batch Person" } },
        { bId: "b4", Query: "select * from Customer where DisplayName = 'Marie Tremblay'" },
      ],
    });
    expect(res.status).toBe(200);
    const items = res.body.BatchItemResponse as J[];
    expect(items.map((i) => i.bId)).toEqual(["b1", "b2", "b3", "b4"]);
    expect(items[0].SalesReceipt.DocNumber).toBe("B-1");
    expect(items[1].Fault.Error[0].code).toBe("6140");
    expect(items[1].Fault.type).toBe("ValidationFault");
    expect(items[2].Customer.DisplayName).toBe("Batch Person");
    expect(items[3].QueryResponse.Customer[0].DisplayName).toBe("Marie Tremblay");
    expect(typeof res.body.time).toBe("string");
  });

  it("allows duplicate doc numbers per item through optionsData, and supports update and delete", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "B-2" }))).body.SalesReceipt;
    const res = await q.call("POST", "batch", {
      BatchItemRequest: [
        {
          bId: "d",
          operation: "create",
          optionsData: "allowduplicatedocnum",
          SalesReceipt: caReceipt(sb, realmId, 10, { DocNumber: "B-2" }),
        },
        {
          bId: "u",
          operation: "update",
          SalesReceipt: { Id: r.Id, SyncToken: r.SyncToken, sparse: true, PrivateNote: "batched" },
        },
      ],
    });
    expect(res.body.BatchItemResponse[1].Fault, JSON.stringify(res.body.BatchItemResponse[1])).toBeUndefined();
    expect(res.body.BatchItemResponse[0].SalesReceipt.DocNumber).toBe("B-2");
    expect(res.body.BatchItemResponse[1].SalesReceipt.PrivateNote).toBe("batched");
    const del = await q.call("POST", "batch", {
      BatchItemRequest: [{ bId: "x", operation: "delete", SalesReceipt: { Id: r.Id, SyncToken: "1" } }],
    });
    expect(del.body.BatchItemResponse[0].SalesReceipt.status).toBe("Deleted");
  });

  it("refuses more than 30 items with 1040 and performs none", async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({
      bId: `c${i}`,
      operation: "create",
      Customer: { DisplayName: `Batch ${i}` },
    }));
    expectFault(await q.call("POST", "batch", { BatchItemRequest: items }), 400, "1040");
    expect((sb.entities(realmId, "Customer") as J[]).some((c) => c.DisplayName === "Batch 0")).toBe(false);
  });

  it("rejects unknown keys in an item as an item fault", async () => {
    const res = await q.call("POST", "batch", { BatchItemRequest: [{ bId: "k", operation: "create", Gadget: {} }] });
    expect(res.body.BatchItemResponse[0].Fault.Error[0].code).toBe("2010");
  });
});

describe("CompanyInfo and Preferences", () => {
  it("reads company info and preferences, and takes sparse preference updates with a SyncToken", async () => {
    const info = (await q.call("GET", `companyinfo/${realmId}`)).body.CompanyInfo;
    expect(info).toMatchObject({ CompanyName: "Boutique Tillbridge Démo Inc.", Country: "CA" });
    const prefs = (await q.call("GET", "preferences")).body.Preferences;
    expect(prefs.TaxPrefs.UsingSalesTax).toBe(true);
    expect(prefs.AccountingInfoPrefs.TrackDepartments).toBe(true);
    expect(prefs.CurrencyPrefs.HomeCurrency.value).toBe("CAD");
    const up = await q.call("POST", "preferences", {
      SyncToken: prefs.SyncToken,
      sparse: true,
      AccountingInfoPrefs: { BookCloseDate: "2026-06-30" },
    });
    expect(up.body.Preferences.AccountingInfoPrefs).toMatchObject({
      BookCloseDate: "2026-06-30",
      TrackDepartments: true,
    });
    expectFault(
      await q.call("POST", "preferences", {
        SyncToken: prefs.SyncToken,
        AccountingInfoPrefs: { BookCloseDate: "2026-07-31" },
      }),
      400,
      "5010",
    );
    expectFault(await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { TxnDate: "2026-06-30" })), 400, "6210");
  });
});
