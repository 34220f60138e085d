import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { api, balanceOf, connect, ids, makeSandbox, type J } from "./helpers";

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

const bal = (name: string) => balanceOf(sb, realmId, name);
const nonZero = () =>
  Object.fromEntries(
    sb
      .trialBalance(realmId)
      .filter((r) => r.balanceMinor !== 0)
      .map((r) => [r.name, r.balanceMinor]),
  );
const total = () => sb.trialBalance(realmId).reduce((a, r) => a + r.balanceMinor, 0);
const gstQst = () => ({ value: id.taxCode("GST/QST QC - 9.975") });
const line = (amount: number, item = "Sales", code: J = gstQst(), extra: J = {}) => ({
  DetailType: "SalesItemLineDetail",
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: id.item(item) }, TaxCodeRef: code, ...extra },
});
const sales = (lines: J[], extra: J = {}) => ({
  TxnDate: "2026-11-27",
  GlobalTaxCalculation: "TaxExcluded",
  Line: lines,
  ...extra,
});

describe("the CA company's books (GST 5% + QST 9.975%)", () => {
  it("a sales receipt: Dr deposit account, Cr income per line, Cr each agency's account by its tax", async () => {
    const res = await q.post(
      "SalesReceipt",
      sales([line(4495.16), line(-95.16, "Services")], { DepositToAccountRef: { value: id.account("Cash on hand") } }),
    );
    expect(res.status).toBe(200);
    // Net 4400.00: GST 220.00, QST 438.90 (9.975% of 4400 = 438.90) per rate over the document
    expect(res.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(658.9);
    expect(res.body.SalesReceipt.TotalAmt).toBe(5058.9);
    expect(nonZero()).toEqual({
      "Cash on hand": 505890,
      "Sales of Product Income": -449516,
      Services: 9516,
      "GST/HST Payable": -22000,
      "QST Payable": -43890,
    });
    expect(total()).toBe(0);
  });

  it("tax is rounded per rate over the document, not per line", async () => {
    const res = await q.post("SalesReceipt", sales([line(0.1), line(0.1), line(0.1)]));
    // 0.30 × 5% = 0.015 → 0.02 (per line it would be 3 × 0.01); 0.30 × 9.975% = 0.029925 → 0.03
    expect(res.body.SalesReceipt.TxnTaxDetail.TaxLine.map((t: J) => t.Amount)).toEqual([0.02, 0.03]);
    expect(bal("GST/HST Payable")).toBe(-2);
    expect(bal("QST Payable")).toBe(-3);
  });

  it("honours explicit per-rate tax amounts (a tax override) and rejects a rate not on the document's codes", async () => {
    const override = sales([line(4495.16)], {
      TxnTaxDetail: {
        TaxLine: [
          {
            Amount: 448.39,
            DetailType: "TaxLineDetail",
            TaxLineDetail: {
              TaxRateRef: { value: id.taxRate("QST (sales)") },
              PercentBased: true,
              TaxPercent: 9.975,
              NetAmountTaxable: 4495.16,
            },
          },
        ],
      },
    });
    const res = await q.post("SalesReceipt", override);
    expect(res.status).toBe(200);
    expect(bal("QST Payable")).toBe(-44839); // QBO alone would compute 448.40
    expect(bal("GST/HST Payable")).toBe(-22476);
    expect(res.body.SalesReceipt.TotalAmt).toBe(5168.31);
    const wrong = sales([line(10, "Sales", { value: id.taxCode("GST") })], {
      TxnTaxDetail: {
        TaxLine: [
          {
            Amount: 1,
            DetailType: "TaxLineDetail",
            TaxLineDetail: { TaxRateRef: { value: id.taxRate("QST (sales)") } },
          },
        ],
      },
    });
    expect((await q.post("SalesReceipt", wrong)).body.Fault.Error[0].code).toBe("6000");
  });

  it("a discount line debits the discount account and, with a tax code, reduces that code's taxable amount", async () => {
    const res = await q.post(
      "SalesReceipt",
      sales([
        line(100),
        {
          DetailType: "DiscountLineDetail",
          Amount: 10,
          DiscountLineDetail: { PercentBased: false, TaxCodeRef: gstQst() },
        },
      ]),
    );
    expect(res.body.SalesReceipt.TotalAmt).toBe(103.48); // 90 + 4.50 + 8.98 (8.9775)
    expect(nonZero()).toEqual({
      "Undeposited Funds": 10348,
      "Sales of Product Income": -10000,
      "Discounts given": 1000,
      "GST/HST Payable": -450,
      "QST Payable": -898,
    });
    const missing = await q.post(
      "SalesReceipt",
      sales([line(100), { DetailType: "DiscountLineDetail", DiscountLineDetail: { PercentBased: false } }]),
    );
    expect(missing.body.Fault.Error[0].code).toBe("6090");
  });

  it("an invoice cannot be cut below the payments applied to it, nor deleted while paid", async () => {
    const customer = { value: id.customer("Marie Tremblay") };
    const inv = (await q.post("Invoice", sales([line(100)], { CustomerRef: customer }))).body.Invoice;
    await q.post("Payment", {
      CustomerRef: customer,
      TotalAmt: 50,
      Line: [{ Amount: 50, LinkedTxn: [{ TxnId: inv.Id, TxnType: "Invoice" }] }],
    });
    const fresh = (await q.get("Invoice", inv.Id)).body.Invoice;
    const cut = await q.post("Invoice", { Id: inv.Id, SyncToken: fresh.SyncToken, sparse: true, Line: [line(10)] });
    expect(cut.body.Fault.Error[0].code).toBe("6000");
    const del = await q.post("Invoice", { Id: inv.Id, SyncToken: fresh.SyncToken }, "operation=delete");
    expect(del.body.Fault.Error[0].code).toBe("6000");
  });

  it("a refund receipt mirrors the sale", async () => {
    await q.post("RefundReceipt", sales([line(100)], { DepositToAccountRef: { value: id.account("Chequing") } }));
    expect(nonZero()).toEqual({
      Chequing: -11498,
      "Sales of Product Income": 10000,
      "GST/HST Payable": 500,
      "QST Payable": 998,
    });
  });

  it("an invoice then a payment: A/R up then down, the invoice balance follows, money in Undeposited Funds", async () => {
    const customer = { value: id.customer("Marie Tremblay") };
    const inv = (
      await q.post(
        "Invoice",
        sales([line(250, "Sales", gstQst(), { Qty: 2, UnitPrice: 125 })], { CustomerRef: customer }),
      )
    ).body.Invoice;
    expect(inv.TotalAmt).toBe(287.44); // 250 + 12.50 + 24.94 (24.9375 → 24.94)
    expect(bal("Accounts Receivable (A/R)")).toBe(28744);
    const pay = await q.post("Payment", {
      CustomerRef: customer,
      TotalAmt: 100,
      Line: [{ Amount: 100, LinkedTxn: [{ TxnId: inv.Id, TxnType: "Invoice" }] }],
    });
    expect(pay.body.Payment.UnappliedAmt).toBe(0);
    const after = (await q.get("Invoice", inv.Id)).body.Invoice;
    expect(after.Balance).toBe(187.44);
    expect(after.LinkedTxn).toEqual([{ TxnId: pay.body.Payment.Id, TxnType: "Payment" }]);
    expect(nonZero()).toEqual({
      "Undeposited Funds": 10000,
      "Accounts Receivable (A/R)": 18744,
      "Sales of Product Income": -25000,
      "GST/HST Payable": -1250,
      "QST Payable": -2494,
    });
    // Voiding the payment restores the invoice balance.
    await q.post("Payment", { Id: pay.body.Payment.Id, SyncToken: pay.body.Payment.SyncToken }, "operation=void");
    expect((await q.get("Invoice", inv.Id)).body.Invoice.Balance).toBe(287.44);
    expect(bal("Undeposited Funds")).toBe(0);
  });

  it("a credit memo mirrors an invoice", async () => {
    await q.post("CreditMemo", sales([line(10)], { CustomerRef: { value: id.customer("Marie Tremblay") } }));
    expect(nonZero()).toEqual({
      "Accounts Receivable (A/R)": -1150,
      "Sales of Product Income": 1000,
      "GST/HST Payable": 50,
      "QST Payable": 100,
    });
  });

  it("a payment applies a credit memo to an invoice: balances follow, nothing else moves, over-use refused", async () => {
    const customer = { value: id.customer("Marie Tremblay") };
    const inv = (await q.post("Invoice", sales([line(100)], { CustomerRef: customer }))).body.Invoice;
    const cm = (await q.post("CreditMemo", sales([line(20)], { CustomerRef: customer }))).body.CreditMemo;
    expect([inv.TotalAmt, cm.TotalAmt, cm.RemainingCredit]).toEqual([114.98, 23, 23]);
    const books = nonZero();
    const applyCredit = (amount: number) =>
      q.post("Payment", {
        CustomerRef: customer,
        TotalAmt: 0,
        Line: [
          { Amount: amount, LinkedTxn: [{ TxnId: inv.Id, TxnType: "Invoice" }] },
          { Amount: amount, LinkedTxn: [{ TxnId: cm.Id, TxnType: "CreditMemo" }] },
        ],
      });
    expect((await applyCredit(23.01)).body.Fault.Error[0].code).toBe("6000");
    const pay = (await applyCredit(23)).body.Payment;
    expect(pay.UnappliedAmt).toBe(0);
    expect((await q.get("Invoice", inv.Id)).body.Invoice.Balance).toBe(91.98);
    const used = (await q.get("CreditMemo", cm.Id)).body.CreditMemo;
    expect([used.Balance, used.RemainingCredit]).toEqual([0, 0]);
    expect(used.LinkedTxn).toEqual([{ TxnId: pay.Id, TxnType: "Payment" }]);
    expect(nonZero()).toEqual(books);
    // applied, it cannot be voided; the payment voided first gives the credit back
    const voidCm = await q.post("CreditMemo", { Id: cm.Id, SyncToken: used.SyncToken }, "operation=void");
    expect(voidCm.body.Fault.Error[0].code).toBe("6000");
    await q.post("Payment", { Id: pay.Id, SyncToken: pay.SyncToken }, "operation=void");
    expect((await q.get("CreditMemo", cm.Id)).body.CreditMemo.RemainingCredit).toBe(23);
    expect((await q.get("Invoice", inv.Id)).body.Invoice.Balance).toBe(114.98);
    // credit is not money: more credit than the invoices it pays is refused
    const alone = await q.post("Payment", {
      CustomerRef: customer,
      TotalAmt: 0,
      Line: [{ Amount: 5, LinkedTxn: [{ TxnId: cm.Id, TxnType: "CreditMemo" }] }],
    });
    expect(alone.body.Fault.Error[0].code).toBe("6000");
  });

  it("a journal entry posts each line to its account", async () => {
    const je = {
      TxnDate: "2026-11-27",
      Line: [
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 970,
          JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: id.account("Chequing") } },
        },
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 30.01,
          JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: id.account("Bank charges") } },
        },
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 1000.01,
          JournalEntryLineDetail: { PostingType: "Credit", AccountRef: { value: id.account("Undeposited Funds") } },
        },
      ],
    };
    expect((await q.post("JournalEntry", je)).status).toBe(200);
    expect(nonZero()).toEqual({ Chequing: 97000, "Bank charges": 3001, "Undeposited Funds": -100001 });
  });

  it("a bill: Cr A/P by the total, Dr each line's account, Dr input tax credits to the agencies' accounts", async () => {
    const res = await q.post("Bill", {
      VendorRef: { value: id.vendor("Fournitures Laurentides Ltée") },
      TxnDate: "2026-11-27",
      DocNumber: "INV-7781",
      GlobalTaxCalculation: "TaxExcluded",
      Line: [
        {
          DetailType: "AccountBasedExpenseLineDetail",
          Amount: 1234.56,
          AccountBasedExpenseLineDetail: { AccountRef: { value: id.account("Inventory Asset") }, TaxCodeRef: gstQst() },
        },
        {
          DetailType: "AccountBasedExpenseLineDetail",
          Amount: 45,
          AccountBasedExpenseLineDetail: {
            AccountRef: { value: id.account("Freight and delivery") },
            TaxCodeRef: gstQst(),
          },
        },
        {
          DetailType: "AccountBasedExpenseLineDetail",
          Amount: -20,
          AccountBasedExpenseLineDetail: {
            AccountRef: { value: id.account("Freight and delivery") },
            TaxCodeRef: { value: id.taxCode("Exempt") },
          },
        },
      ],
    });
    expect(res.status).toBe(200);
    // Taxable 1279.56: GST 63.98 (63.978), QST 127.64 (127.636...); Exempt 0
    expect(res.body.Bill.TotalAmt).toBe(1451.18);
    expect(nonZero()).toEqual({
      "Inventory Asset": 123456,
      "Freight and delivery": 2500,
      "GST/HST Payable": 6398,
      "QST Payable": 12764,
      "Accounts Payable (A/P)": -145118,
    });
  });

  it("a deposit moves money from Undeposited Funds to the bank", async () => {
    await q.post("SalesReceipt", sales([line(100)]));
    await q.post("Deposit", {
      DepositToAccountRef: { value: id.account("Chequing") },
      TxnDate: "2026-11-28",
      Line: [
        {
          Amount: 114.98,
          DetailType: "DepositLineDetail",
          DepositLineDetail: { AccountRef: { value: id.account("Undeposited Funds") } },
        },
      ],
    });
    expect(bal("Undeposited Funds")).toBe(0);
    expect(bal("Chequing")).toBe(11498);
  });

  it("a tax-inclusive receipt keeps the gross the request gave and splits it into net and tax", async () => {
    const gross = { GlobalTaxCalculation: "TaxInclusive" };
    // Amount is the net on a TaxInclusive document; the gross sent as Amount is refused.
    const mistaken = await q.post(
      "SalesReceipt",
      sales([line(114.98, "Sales", gstQst(), { TaxInclusiveAmt: 114.98 })], gross),
    );
    expect(mistaken.body.Fault.Error[0]).toMatchObject({ code: "6000", element: "Line[0].Amount" });
    const res = await q.post("SalesReceipt", sales([line(100, "Sales", gstQst(), { TaxInclusiveAmt: 114.98 })], gross));
    const r = res.body.SalesReceipt;
    expect(r.TotalAmt).toBe(114.98);
    expect(r.Line[0]).toMatchObject({ Amount: 100 });
    expect(r.Line[0].SalesItemLineDetail.TaxInclusiveAmt).toBe(114.98);
    expect(nonZero()).toEqual({
      "Undeposited Funds": 11498,
      "Sales of Product Income": -10000,
      "GST/HST Payable": -500,
      "QST Payable": -998,
    });
  });

  it("inventory items sold also post cost of goods sold at their purchase cost", async () => {
    const item = await q.post("Item", {
      Name: "Candle",
      Type: "Inventory",
      TrackQtyOnHand: true,
      QtyOnHand: 10,
      InvStartDate: "2026-01-01",
      PurchaseCost: 4.25,
      IncomeAccountRef: { value: id.account("Sales of Product Income") },
      ExpenseAccountRef: { value: id.account("Cost of Goods Sold") },
      AssetAccountRef: { value: id.account("Inventory Asset") },
    });
    expect(item.status).toBe(200);
    await q.post("SalesReceipt", sales([line(30, "Candle", gstQst(), { Qty: 3, UnitPrice: 10 })]));
    expect(bal("Cost of Goods Sold")).toBe(1275);
    expect(bal("Inventory Asset")).toBe(-1275);
    expect(total()).toBe(0);
  });
});

describe("the US company's books", () => {
  it("posts sales tax from the transaction's tax code, or the TotalTax override prorated across its rates", async () => {
    const us = await connect(sb, "us");
    const uq = api(sb, us.realmId, us.token);
    const uid = ids(sb, us.realmId);
    const receipt = (totalTax?: number) => ({
      Line: [
        {
          DetailType: "SalesItemLineDetail",
          Amount: 20,
          SalesItemLineDetail: {
            ItemRef: { value: uid.item("Sales") },
            Qty: 2,
            UnitPrice: 10,
            TaxCodeRef: { value: "TAX" },
          },
        },
        {
          DetailType: "SalesItemLineDetail",
          Amount: 5,
          SalesItemLineDetail: { ItemRef: { value: uid.item("Services") }, TaxCodeRef: { value: "NON" } },
        },
      ],
      TxnTaxDetail: {
        TxnTaxCodeRef: { value: uid.taxCode("New York City") },
        ...(totalTax !== undefined ? { TotalTax: totalTax } : {}),
      },
    });
    const a = await uq.post("SalesReceipt", receipt());
    expect(a.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(1.78); // 0.80 + 0.90 + 0.075→0.08
    const b = await uq.post("SalesReceipt", receipt(1.77));
    expect(b.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(1.77);
    expect(balanceOf(sb, us.realmId, "Sales Tax Payable")).toBe(-355);
    expect(balanceOf(sb, us.realmId, "Undeposited Funds")).toBe(2678 + 2677);
    expect(sb.trialBalance(us.realmId).reduce((s, r) => s + r.balanceMinor, 0)).toBe(0);
  });
});
