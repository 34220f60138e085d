import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { api, connect, expectFault, ids, type J, makeSandbox } from "./helpers";

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

const nonZero = () =>
  Object.fromEntries(
    sb
      .trialBalance(realmId)
      .filter((r) => r.balanceMinor !== 0)
      .map((r) => [r.name, r.balanceMinor]),
  );
const gstQst = () => ({ value: id.taxCode("GST/QST QC - 9.975") });
const accountLine = (amount: number, account = "Inventory Asset", extra: J = {}) => ({
  DetailType: "AccountBasedExpenseLineDetail",
  Amount: amount,
  AccountBasedExpenseLineDetail: { AccountRef: { value: id.account(account) }, TaxCodeRef: gstQst(), ...extra },
});
const credit = (lines: J[], extra: J = {}) => ({
  VendorRef: { value: id.vendor("Fournitures Laurentides Ltée") },
  TxnDate: "2026-11-27",
  GlobalTaxCalculation: "TaxExcluded",
  Line: lines,
  ...extra,
});

describe("VendorCredit", () => {
  it("books the mirror of a bill: Dr A/P, Cr the lines' accounts, Cr the input tax claimed back", async () => {
    const res = await q.post(
      "VendorCredit",
      credit(
        [
          accountLine(200),
          {
            DetailType: "ItemBasedExpenseLineDetail",
            Amount: 30,
            ItemBasedExpenseLineDetail: {
              ItemRef: { value: id.item("Sales") },
              Qty: 3,
              UnitPrice: 10,
              TaxCodeRef: gstQst(),
            },
          },
        ],
        { DocNumber: "RTN-1" },
      ),
    );
    expect(res.status).toBe(200);
    const vc = res.body.VendorCredit;
    // 230 × 5% = 11.50; 230 × 9.975% = 22.9425 → 22.94
    expect(vc).toMatchObject({ TotalAmt: 264.44, Balance: 264.44, SyncToken: "0", DocNumber: "RTN-1" });
    expect(vc.TxnTaxDetail.TotalTax).toBe(34.44);
    expect(nonZero()).toEqual({
      "Accounts Payable (A/P)": 26444,
      "Inventory Asset": -20000,
      "Cost of Goods Sold": -3000,
      "GST/HST Payable": -1150,
      "QST Payable": -2294,
    });
    expect(sb.trialBalance(realmId).reduce((a, r) => a + r.balanceMinor, 0)).toBe(0);
  });

  it("is read, queried, updated (sparse, SyncToken) and deleted like any transaction", async () => {
    const vc = (await q.post("VendorCredit", credit([accountLine(100)], { DocNumber: "RTN-2" }))).body.VendorCredit;
    expect((await q.get("VendorCredit", vc.Id)).body.VendorCredit.TotalAmt).toBe(114.98);
    const found = await q.query("select * from VendorCredit where DocNumber = 'RTN-2'");
    expect(found.body.QueryResponse.VendorCredit.map((v: J) => v.Id)).toEqual([vc.Id]);
    const up = await q.post("VendorCredit", {
      Id: vc.Id,
      SyncToken: vc.SyncToken,
      sparse: true,
      Line: [accountLine(50)],
    });
    expect(up.body.VendorCredit).toMatchObject({ SyncToken: "1", TotalAmt: 57.49 });
    expectFault(
      await q.post("VendorCredit", { Id: vc.Id, SyncToken: "0", sparse: true, PrivateNote: "x" }),
      400,
      "5010",
    );
    const del = await q.post("VendorCredit", { Id: vc.Id, SyncToken: "1" }, "operation=delete");
    expect(del.body.VendorCredit).toEqual({ Id: vc.Id, status: "Deleted", domain: "QBO" });
    expect(nonZero()).toEqual({});
    expectFault(await q.post("VendorCredit", { Id: vc.Id, SyncToken: "1" }, "operation=void"), 400, "500");
  });

  it("is strict to Intuit's XSD and QBO's rules", async () => {
    // A VendorCredit has no DueDate (a Bill does), and takes expense lines only.
    expectFault(await q.post("VendorCredit", credit([accountLine(10)], { DueDate: "2026-12-01" })), 400, "2010");
    const salesLine = {
      DetailType: "SalesItemLineDetail",
      Amount: 10,
      SalesItemLineDetail: { ItemRef: { value: id.item("Sales") }, TaxCodeRef: gstQst() },
    };
    expectFault(await q.post("VendorCredit", credit([salesLine])), 400, "2010");
    const { VendorRef: _, ...noVendor } = credit([accountLine(10)]);
    expect(expectFault(await q.post("VendorCredit", noVendor), 400, "2020").element).toBe("VendorRef");
    expectFault(await q.post("VendorCredit", credit([])), 400, "2020");
    expectFault(await q.post("VendorCredit", credit([accountLine(10)], { DocNumber: "X".repeat(22) })), 400, "2050");
    expectFault(await q.post("VendorCredit", credit([accountLine(-10)])), 400, "6000");
    expectFault(
      await q.post("VendorCredit", credit([accountLine(10)], { GlobalTaxCalculation: undefined })),
      400,
      "6000",
    );
    const ap = await q.post(
      "VendorCredit",
      credit([accountLine(10)], { APAccountRef: { value: id.account("Chequing") } }),
    );
    expect(expectFault(ap, 400, "6000").element).toBe("APAccountRef");
  });

  it("refuses an inactive vendor (2500) and a duplicate DocNumber (6140) unless allowed", async () => {
    const v = (await q.post("Vendor", { DisplayName: "Old supplier" })).body.Vendor;
    await q.post("Vendor", { Id: v.Id, SyncToken: v.SyncToken, sparse: true, Active: false });
    expectFault(await q.post("VendorCredit", credit([accountLine(10)], { VendorRef: { value: v.Id } })), 400, "2500");
    expect((await q.post("VendorCredit", credit([accountLine(10)], { DocNumber: "RTN-9" }))).status).toBe(200);
    expectFault(await q.post("VendorCredit", credit([accountLine(10)], { DocNumber: "RTN-9" })), 400, "6140");
    const allowed = await q.post(
      "VendorCredit",
      credit([accountLine(10)], { DocNumber: "RTN-9" }),
      "minorversion=75&include=allowduplicatedocnum",
    );
    expect(allowed.status).toBe(200);
  });
});
