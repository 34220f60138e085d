import { beforeEach, describe, expect, it } from "vitest";
import type { CompanyKey, QboSandbox } from "../../../sandbox/qbo/index";
import { api, balanceOf, connect, expectFault, ids, type J, makeSandbox } from "./helpers";

/** The global companies' tax, to the cent, on examples worked by hand (rounding half up per rate). */

let sb: QboSandbox;

beforeEach(() => {
  sb = makeSandbox().sb;
});

async function company(key: CompanyKey) {
  const c = await connect(sb, key);
  const id = ids(sb, c.realmId);
  const q = api(sb, c.realmId, c.token);
  const nonZero = () =>
    Object.fromEntries(
      sb
        .trialBalance(c.realmId)
        .filter((r) => r.balanceMinor !== 0)
        .map((r) => [r.name, r.balanceMinor]),
    );
  const total = () => sb.trialBalance(c.realmId).reduce((a, r) => a + r.balanceMinor, 0);
  const line = (amount: number, code: string, extra: J = {}, item = "Sales") => ({
    DetailType: "SalesItemLineDetail",
    Amount: amount,
    SalesItemLineDetail: { ItemRef: { value: id.item(item) }, TaxCodeRef: { value: id.taxCode(code) }, ...extra },
  });
  const expense = (amount: number, account: string, code: string, extra: J = {}) => ({
    DetailType: "AccountBasedExpenseLineDetail",
    Amount: amount,
    AccountBasedExpenseLineDetail: {
      AccountRef: { value: id.account(account) },
      TaxCodeRef: { value: id.taxCode(code) },
      ...extra,
    },
  });
  const receipt = (lines: J[], calc: string, extra: J = {}) =>
    q.post("SalesReceipt", { TxnDate: "2026-11-27", GlobalTaxCalculation: calc, Line: lines, ...extra });
  const rateName = (rateId: string) => (sb.entities(c.realmId, "TaxRate") as J[]).find((r) => r.Id === rateId)?.Name;
  /** [rate name, tax, net taxable] per TaxLine */
  const taxLines = (doc: J) =>
    (doc.TxnTaxDetail.TaxLine as J[]).map((t) => [
      rateName(t.TaxLineDetail.TaxRateRef.value),
      t.Amount,
      t.TaxLineDetail.NetAmountTaxable,
    ]);
  return { ...c, id, q, nonZero, total, line, expense, receipt, taxLines };
}

describe("the Australian company (GST 10%)", () => {
  it("is seeded as QBO Australia names things: AUD, codes by side, one GST Payable for the ATO", async () => {
    const au = await company("au");
    expect(sb.companies().find((x) => x.realmId === au.realmId)?.country).toBe("AU");
    const prefs = (await au.q.call("GET", "preferences?minorversion=75")).body.Preferences;
    expect(prefs.CurrencyPrefs.HomeCurrency.value).toBe("AUD");
    expect(prefs.TaxPrefs.UsingSalesTax).toBe(true);
    const codes = (await au.q.query("select * from TaxCode")).body.QueryResponse.TaxCode as J[];
    const gst = codes.find((x) => x.Name === "GST");
    expect(gst.SalesTaxRateList.TaxRateDetail).toHaveLength(1);
    expect(gst.PurchaseTaxRateList.TaxRateDetail).toHaveLength(0);
    expect(codes.map((x) => x.Name)).toEqual(
      expect.arrayContaining(["GST", "GST-free", "GST on non-capital", "GST-free non-capital", "Out of Scope"]),
    );
    const agency = (await au.q.query("select * from TaxAgency")).body.QueryResponse.TaxAgency[0];
    expect(agency.DisplayName).toBe("Australian Taxation Office");
    expect(agency.TaxTrackedOnSalesAccountRef.value).toBe(au.id.account("GST Payable"));
    const sales = (await au.q.query("select * from Item where Name = 'Sales'")).body.QueryResponse.Item[0];
    expect(sales.SalesTaxCodeRef.value).toBe(au.id.taxCode("GST"));
    expect(sales.PurchaseTaxCodeRef.value).toBe(au.id.taxCode("GST on non-capital"));
  });

  it("TaxExcluded: GST per rate over the document, GST-free lines taxed at 0", async () => {
    const au = await company("au");
    const res = await au.receipt([au.line(100, "GST"), au.line(33.33, "GST"), au.line(20, "GST-free")], "TaxExcluded");
    expect(res.status).toBe(200);
    const r = res.body.SalesReceipt;
    // 133.33 × 10% = 13.333 → 13.33
    expect(au.taxLines(r)).toEqual([
      ["GST (sales)", 13.33, 133.33],
      ["GST-free (sales)", 0, 20],
    ]);
    expect(r.TotalAmt).toBe(166.66);
    expect(au.nonZero()).toEqual({ "Undeposited Funds": 16666, Sales: -15333, "GST Payable": -1333 });
    expect(au.total()).toBe(0);
  });

  it("TaxInclusive: Amount is the net, TaxInclusiveAmt the gross; GST = gross ÷ 11 per rate; the gross is kept", async () => {
    const au = await company("au");
    const res = await au.receipt(
      [
        au.line(9.09, "GST", { TaxInclusiveAmt: 10 }),
        au.line(5, "GST", { TaxInclusiveAmt: 5.5 }),
        au.line(3, "GST-free", { TaxInclusiveAmt: 3 }),
      ],
      "TaxInclusive",
    );
    expect(res.status).toBe(200);
    const r = res.body.SalesReceipt;
    // 15.50 × 10/110 = 1.40909 → 1.41; net 14.09 shared by the gross: 9.09 and 5.00
    expect(au.taxLines(r)).toEqual([
      ["GST (sales)", 1.41, 14.09],
      ["GST-free (sales)", 0, 3],
    ]);
    expect(r.TxnTaxDetail.TaxLine[0].TaxLineDetail.TaxInclusiveAmount).toBe(15.5);
    expect(r.Line.slice(0, 3).map((l: J) => [l.Amount, l.SalesItemLineDetail.TaxInclusiveAmt])).toEqual([
      [9.09, 10],
      [5, 5.5],
      [3, 3],
    ]);
    expect(r.TotalAmt).toBe(18.5);
    expect(au.nonZero()).toEqual({ "Undeposited Funds": 1850, Sales: -1709, "GST Payable": -141 });
  });

  it("TaxInclusive rounds once per rate: three 5-cent lines carry 1 cent of GST, the nets give way", async () => {
    const au = await company("au");
    const five = () => au.line(0.05, "GST", { TaxInclusiveAmt: 0.05 });
    const r = (await au.receipt([five(), five(), five()], "TaxInclusive")).body.SalesReceipt;
    // 0.15 ÷ 11 = 0.0136 → 0.01 (per line it would be 0.00 three times); nets 0.14 over three lines
    expect(r.TxnTaxDetail.TotalTax).toBe(0.01);
    expect(r.Line.slice(0, 3).map((l: J) => l.Amount)).toEqual([0.05, 0.05, 0.04]);
    expect(r.TotalAmt).toBe(0.15);
  });

  it("TaxInclusive is strict: TaxInclusiveAmt is required, and Amount must be the net", async () => {
    const au = await company("au");
    const missing = await au.receipt([au.line(9.09, "GST")], "TaxInclusive");
    expect(expectFault(missing, 400, "6000").element).toBe("Line[0].SalesItemLineDetail.TaxInclusiveAmt");
    const gross = await au.receipt([au.line(10, "GST", { TaxInclusiveAmt: 10 })], "TaxInclusive");
    expect(expectFault(gross, 400, "6000").Detail).toMatch(/Amount excludes tax/);
  });

  it("a TaxLine override books the caller's GST instead, shows the difference, and keeps the gross", async () => {
    const au = await company("au");
    const res = await au.receipt(
      [au.line(9.09, "GST", { TaxInclusiveAmt: 10 }), au.line(5, "GST", { TaxInclusiveAmt: 5.5 })],
      "TaxInclusive",
      {
        TxnTaxDetail: {
          TaxLine: [
            {
              Amount: 1.4,
              DetailType: "TaxLineDetail",
              TaxLineDetail: {
                TaxRateRef: { value: au.id.taxRate("GST (sales)") },
                PercentBased: true,
                TaxPercent: 10,
              },
            },
          ],
        },
      },
    );
    const r = res.body.SalesReceipt;
    expect(r.TxnTaxDetail.TaxLine[0].Amount).toBe(1.4);
    expect(r.TxnTaxDetail.TaxLine[0].TaxLineDetail.OverrideDeltaAmount).toBe(-0.01);
    expect(r.TotalAmt).toBe(15.5);
    expect(au.nonZero()).toEqual({ "Undeposited Funds": 1550, Sales: -1410, "GST Payable": -140 });
  });

  it("an override must add up with the nets; a later edit keeps it unless the lines change", async () => {
    const au = await company("au");
    const gst = (amount: number) => ({
      TxnTaxDetail: {
        TaxLine: [
          {
            Amount: amount,
            DetailType: "TaxLineDetail",
            TaxLineDetail: { TaxRateRef: { value: au.id.taxRate("GST (sales)") } },
          },
        ],
      },
    });
    // Gross 10.00 with 0.95 of GST leaves 9.05 of net: an Amount of 9.09 does not add up.
    const mismatch = await au.receipt([au.line(9.09, "GST", { TaxInclusiveAmt: 10 })], "TaxInclusive", gst(0.95));
    expect(expectFault(mismatch, 400, "6000").element).toBe("Line[0].Amount");
    const r = (await au.receipt([au.line(9.05, "GST", { TaxInclusiveAmt: 10 })], "TaxInclusive", gst(0.95))).body
      .SalesReceipt;
    expect(r.TxnTaxDetail.TaxLine[0].TaxLineDetail.OverrideDeltaAmount).toBe(0.04);
    sb.changeDocument(au.realmId, "SalesReceipt", r.Id, "edit", { PrivateNote: "memo fixed in QBO" });
    const edited = (await au.q.get("SalesReceipt", r.Id)).body.SalesReceipt;
    expect([edited.SyncToken, edited.TxnTaxDetail.TotalTax, edited.Line[0].Amount]).toEqual(["1", 0.95, 9.05]);
    const relined = await au.q.post("SalesReceipt", {
      Id: r.Id,
      SyncToken: "1",
      sparse: true,
      Line: [au.line(18.18, "GST", { TaxInclusiveAmt: 20 })],
    });
    expect(relined.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(1.82);
    expect(relined.body.SalesReceipt.TxnTaxDetail.TaxLine[0].TaxLineDetail.OverrideDeltaAmount).toBeUndefined();
  });

  it("purchases use the purchase codes: a bill's GST debits GST Payable; a sales-only code is refused", async () => {
    const au = await company("au");
    const vendor = { value: au.id.vendor("Bondi Wholesale Supplies") };
    const bill = await au.q.post("Bill", {
      VendorRef: vendor,
      TxnDate: "2026-11-27",
      GlobalTaxCalculation: "TaxExcluded",
      Line: [
        au.expense(123.45, "Inventory Asset", "GST on non-capital"),
        au.expense(50, "Freight and delivery", "GST-free non-capital"),
      ],
    });
    expect(bill.status).toBe(200);
    // 123.45 × 10% = 12.345 → 12.35
    expect(bill.body.Bill.TotalAmt).toBe(185.8);
    expect(au.nonZero()).toEqual({
      "Inventory Asset": 12345,
      "Freight and delivery": 5000,
      "GST Payable": 1235,
      "Accounts Payable (A/P)": -18580,
    });
    const wrongSide = await au.q.post("Bill", {
      VendorRef: vendor,
      GlobalTaxCalculation: "TaxExcluded",
      Line: [au.expense(10, "Inventory Asset", "GST")],
    });
    expect(expectFault(wrongSide, 400, "6000").Detail).toMatch(/cannot be used on a purchase transaction/);
  });

  it("NotApplicable: out of scope of tax, no tax codes with rates, no tax", async () => {
    const au = await company("au");
    const plain = {
      DetailType: "SalesItemLineDetail",
      Amount: 40,
      SalesItemLineDetail: { ItemRef: { value: au.id.item("Sales") } },
    };
    const res = await au.receipt([plain, au.line(2, "Out of Scope")], "NotApplicable");
    expect(res.status).toBe(200);
    expect(res.body.SalesReceipt.TotalAmt).toBe(42);
    expect(res.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(0);
    expect(au.nonZero()).toEqual({ "Undeposited Funds": 4200, Sales: -4200 });
    expectFault(await au.receipt([au.line(10, "GST")], "NotApplicable"), 400, "6000");
    const noCalc = await au.q.post("SalesReceipt", { Line: [au.line(10, "GST")] });
    expect(expectFault(noCalc, 400, "6000").element).toBe("GlobalTaxCalculation");
  });
});

describe("the New Zealand company (GST 15%)", () => {
  it("TaxExcluded with GST, zero-rated and exempt lines; TaxInclusive takes 3/23 of the gross", async () => {
    const nz = await company("nz");
    const ex = await nz.receipt(
      [nz.line(86.96, "GST"), nz.line(10, "Zero-rated"), nz.line(5, "Exempt")],
      "TaxExcluded",
    );
    // 86.96 × 15% = 13.044 → 13.04
    expect(nz.taxLines(ex.body.SalesReceipt)).toEqual([
      ["GST (sales)", 13.04, 86.96],
      ["Zero-rated (sales)", 0, 10],
      ["Exempt (sales)", 0, 5],
    ]);
    expect(ex.body.SalesReceipt.TotalAmt).toBe(115);
    const inc = await nz.receipt([nz.line(20, "GST", { TaxInclusiveAmt: 23 })], "TaxInclusive");
    expect(inc.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(3);
    expect(nz.nonZero()).toEqual({ "Undeposited Funds": 13800, Sales: -12196, "GST Payable": -1604 });
    expect(nz.total()).toBe(0);
  });

  it("a bill's GST is an input credit on GST Payable", async () => {
    const nz = await company("nz");
    const res = await nz.q.post("Bill", {
      VendorRef: { value: nz.id.vendor("Waitemata Wholesale") },
      GlobalTaxCalculation: "TaxInclusive",
      Line: [nz.expense(173.91, "Inventory Asset", "GST", { TaxInclusiveAmt: 200 })],
    });
    expect(res.status).toBe(200);
    // 200 × 15/115 = 26.087 → 26.09; net 173.91
    expect(nz.nonZero()).toEqual({
      "Inventory Asset": 17391,
      "GST Payable": 2609,
      "Accounts Payable (A/P)": -20000,
    });
  });
});

describe("the UK company (VAT 20%, 5%, 0%, exempt, no VAT)", () => {
  it("TaxExcluded: one tax line per rate, rounded half up over the document; VAT to VAT Control", async () => {
    const uk = await company("uk");
    const res = await uk.receipt(
      [
        uk.line(19.99, "20.0% S"),
        uk.line(7.49, "5.0% R"),
        uk.line(4, "0.0% Z"),
        uk.line(2.5, "Exempt"),
        uk.line(1, "No VAT"),
      ],
      "TaxExcluded",
    );
    const r = res.body.SalesReceipt;
    // 19.99 × 20% = 3.998 → 4.00; 7.49 × 5% = 0.3745 → 0.37
    expect(uk.taxLines(r)).toEqual([
      ["20.0% S (sales)", 4, 19.99],
      ["5.0% R (sales)", 0.37, 7.49],
      ["0.0% Z (sales)", 0, 4],
      ["Exempt (sales)", 0, 2.5],
    ]);
    expect(r.TotalAmt).toBe(39.35);
    expect(uk.nonZero()).toEqual({ "Undeposited Funds": 3935, Sales: -3498, "VAT Control": -437 });
  });

  it("TaxInclusive: 12.99 gross at 20% is 2.165 → 2.17 VAT; 10.50 at 5% is 0.50", async () => {
    const uk = await company("uk");
    const r = (
      await uk.receipt(
        [
          uk.line(10, "20.0% S", { TaxInclusiveAmt: 12 }),
          uk.line(0.83, "20.0% S", { TaxInclusiveAmt: 0.99 }),
          uk.line(10, "5.0% R", { TaxInclusiveAmt: 10.5 }),
        ],
        "TaxInclusive",
      )
    ).body.SalesReceipt;
    expect(uk.taxLines(r)).toEqual([
      ["20.0% S (sales)", 2.17, 10.82],
      ["5.0% R (sales)", 0.5, 10],
    ]);
    expect(r.Line.slice(0, 3).map((l: J) => l.Amount)).toEqual([10, 0.82, 10]);
    expect(r.TotalAmt).toBe(23.49);
    expect(balanceOf(sb, uk.realmId, "VAT Control")).toBe(-267);
  });

  it("the message for a line without a tax code speaks of VAT", async () => {
    const uk = await company("uk");
    const noCode = {
      DetailType: "SalesItemLineDetail",
      Amount: 5,
      SalesItemLineDetail: { ItemRef: { value: uk.id.item("Sales") } },
    };
    const fault = expectFault(await uk.receipt([noCode], "TaxExcluded"), 400, "6000");
    expect(fault.Detail).toMatch(/have a VAT rate before you save/);
  });
});
