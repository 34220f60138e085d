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

const salesLine = (amount: number, extra: J = {}, detail: J = {}) => ({
  DetailType: "SalesItemLineDetail",
  Amount: amount,
  SalesItemLineDetail: {
    ItemRef: { value: id.item("Sales") },
    TaxCodeRef: { value: id.taxCode("GST/QST QC - 9.975") },
    ...detail,
  },
  ...extra,
});

describe("rule 1: Intuit's schema", () => {
  it("rejects an unknown property at any depth with 2010 naming it", async () => {
    const top = expectFault(await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { Colour: "red" })), 400, "2010");
    expect(top.Message).toBe("Request has invalid or unsupported property");
    expect(top.Detail).toContain("Colour");
    const deep = caReceipt(sb, realmId, 10);
    deep.Line[0].SalesItemLineDetail.ItemRef.colour = "x";
    expect(expectFault(await q.post("SalesReceipt", deep), 400, "2010").Detail).toContain(
      "Line[0].SalesItemLineDetail.ItemRef.colour",
    );
  });

  it("rejects a bad enumeration value with 2170", async () => {
    const f = expectFault(
      await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { GlobalTaxCalculation: "TaxMaybe" })),
      400,
      "2170",
    );
    expect(f.Detail).toContain("TaxMaybe");
  });

  it("rejects wrong primitive types", async () => {
    expectFault(await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { TxnDate: 20261127 })), 400, "2010");
    const body = caReceipt(sb, realmId, 10);
    body.Line[0].Amount = "ten";
    expectFault(await q.post("SalesReceipt", body), 400, "2010");
    expectFault(await q.post("Customer", { DisplayName: "A", Active: "yes" }), 400, "2010");
  });

  it("accepts sparse, domain and the read-only metadata", async () => {
    const res = await q.post(
      "SalesReceipt",
      caReceipt(sb, realmId, 10, {
        sparse: false,
        domain: "QBO",
        MetaData: { CreateTime: "2020-01-01T00:00:00-08:00" },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.SalesReceipt.MetaData.CreateTime).toBe("2026-11-28T15:00:00-00:00");
  });
});

describe("rule 2: references exist and are active", () => {
  it("a missing item or account is 610 Object Not Found", async () => {
    const body = caReceipt(sb, realmId, 10);
    body.Line[0].SalesItemLineDetail.ItemRef.value = "9999";
    expect(expectFault(await q.post("SalesReceipt", body), 400, "610").Message).toBe("Object Not Found");
    expectFault(
      await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DepositToAccountRef: { value: "8888" } })),
      400,
      "610",
    );
  });

  it("an inactive item, account or customer is 2500 Invalid Reference Id", async () => {
    const body = caReceipt(sb, realmId, 10);
    body.Line[0].SalesItemLineDetail.ItemRef.value = id.item("Gift wrapping (discontinued)");
    const f = expectFault(await q.post("SalesReceipt", body), 400, "2500");
    expect(f.Detail).toContain("made inactive");
    expectFault(
      await q.post(
        "SalesReceipt",
        caReceipt(sb, realmId, 10, { DepositToAccountRef: { value: id.account("Petty cash (old)") } }),
      ),
      400,
      "2500",
    );
    expectFault(
      await q.post(
        "SalesReceipt",
        caReceipt(sb, realmId, 10, { CustomerRef: { value: id.customer("Jean Gagnon (ancien)") } }),
      ),
      400,
      "2500",
    );
  });

  it("a LinkedTxn to a missing invoice is 610", async () => {
    const res = await q.post("Payment", {
      CustomerRef: { value: id.customer("Marie Tremblay") },
      TotalAmt: 5,
      Line: [{ Amount: 5, LinkedTxn: [{ TxnId: "424242", TxnType: "Invoice" }] }],
    });
    expectFault(res, 400, "610");
  });
});

describe("rule 3: journal entries", () => {
  const je = (lines: [string, "Debit" | "Credit", number, J?][]) => ({
    TxnDate: "2026-11-27",
    Line: lines.map(([account, side, amount, entity]) => ({
      DetailType: "JournalEntryLineDetail",
      Amount: amount,
      JournalEntryLineDetail: {
        PostingType: side,
        AccountRef: { value: id.account(account) },
        ...(entity ? { Entity: entity } : {}),
      },
    })),
  });

  it("must balance to the cent", async () => {
    const f = expectFault(
      await q.post(
        "JournalEntry",
        je([
          ["Chequing", "Debit", 100.01],
          ["Undeposited Funds", "Credit", 100],
        ]),
      ),
      400,
      "6000",
    );
    expect(f.Detail).toMatch(/must balance/);
    expect(
      (
        await q.post(
          "JournalEntry",
          je([
            ["Chequing", "Debit", 100.01],
            ["Undeposited Funds", "Credit", 100.01],
          ]),
        )
      ).status,
    ).toBe(200);
  });

  it("needs at least one line", async () => {
    expectFault(await q.post("JournalEntry", { TxnDate: "2026-11-27", Line: [] }), 400, "2020");
  });

  it("an A/R line needs a customer and an A/P line a vendor", async () => {
    const ar = expectFault(
      await q.post(
        "JournalEntry",
        je([
          ["Accounts Receivable (A/R)", "Debit", 5],
          ["Sales of Product Income", "Credit", 5],
        ]),
      ),
      400,
      "6000",
    );
    expect(ar.Detail).toMatch(/customer/);
    const ap = expectFault(
      await q.post(
        "JournalEntry",
        je([
          ["Bank charges", "Debit", 5],
          [
            "Accounts Payable (A/P)",
            "Credit",
            5,
            { Type: "Customer", EntityRef: { value: id.customer("Marie Tremblay") } },
          ],
        ]),
      ),
      400,
      "6000",
    );
    expect(ap.Detail).toMatch(/vendor/);
    const ok = je([
      ["Bank charges", "Debit", 5],
      [
        "Accounts Payable (A/P)",
        "Credit",
        5,
        { Type: "Vendor", EntityRef: { value: id.vendor("Transport Rapide QC") } },
      ],
    ]);
    expect((await q.post("JournalEntry", ok)).status).toBe(200);
  });
});

describe("rule 4: Amount = Qty × UnitPrice, exact cents", () => {
  it("rejects a line whose amount is not Qty × UnitPrice rounded to cents with 6070", async () => {
    const bad = caReceipt(sb, realmId, 10, { Line: [salesLine(10, {}, { Qty: 3, UnitPrice: 3.33 })] });
    expect(expectFault(await q.post("SalesReceipt", bad), 400, "6070").Message).toMatch(/Amount calculation incorrect/);
    const ok = caReceipt(sb, realmId, 10, { Line: [salesLine(9.99, {}, { Qty: 3, UnitPrice: 3.33 })] });
    expect((await q.post("SalesReceipt", ok)).status).toBe(200);
    const rounded = caReceipt(sb, realmId, 10, { Line: [salesLine(3.33, {}, { Qty: 0.333, UnitPrice: 10 })] });
    expect((await q.post("SalesReceipt", rounded)).status).toBe(200);
  });

  it("rejects amounts with more than two decimals", async () => {
    const f = expectFault(
      await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { Line: [salesLine(10.005)] })),
      400,
      "6000",
    );
    expect(f.Detail).toMatch(/2 decimal/);
  });
});

describe("rule 5: no negative documents", () => {
  it("a sales receipt may have negative lines but not a negative total", async () => {
    const ok = caReceipt(sb, realmId, 0, { Line: [salesLine(50), salesLine(-20)] });
    expect((await q.post("SalesReceipt", ok)).status).toBe(200);
    const neg = caReceipt(sb, realmId, 0, { Line: [salesLine(20), salesLine(-50)] });
    expect(expectFault(await q.post("SalesReceipt", neg), 400, "6000").Detail).toMatch(/negative/);
    for (const entity of ["RefundReceipt", "Invoice", "CreditMemo"]) {
      const body = {
        ...neg,
        CustomerRef: { value: id.customer("Marie Tremblay") },
        DepositToAccountRef: { value: id.account("Chequing") },
      };
      expectFault(await q.post(entity, body), 400, "6000");
    }
  });

  it("a bill or a payment cannot be negative", async () => {
    const bill = {
      VendorRef: { value: id.vendor("Transport Rapide QC") },
      GlobalTaxCalculation: "TaxExcluded",
      Line: [
        {
          DetailType: "AccountBasedExpenseLineDetail",
          Amount: -5,
          AccountBasedExpenseLineDetail: {
            AccountRef: { value: id.account("Bank charges") },
            TaxCodeRef: { value: id.taxCode("Exempt") },
          },
        },
      ],
    };
    expectFault(await q.post("Bill", bill), 400, "6000");
    expectFault(
      await q.post("Payment", { CustomerRef: { value: id.customer("Marie Tremblay") }, TotalAmt: -1 }),
      400,
      "6000",
    );
  });
});

describe("rule 6: document numbers and text lengths", () => {
  it("DocNumber longer than 21 characters is 2050", async () => {
    expectFault(await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "A".repeat(22) })), 400, "2050");
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "A".repeat(21) }))).status).toBe(200);
  });

  it("a used DocNumber is 6140 unless include=allowduplicatedocnum", async () => {
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "Z12-R1" }))).status).toBe(200);
    const f = expectFault(
      await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "Z12-R1" })),
      400,
      "6140",
    );
    expect(f.Message).toBe("Duplicate Document Number Error");
    expect(
      (
        await q.post(
          "SalesReceipt",
          caReceipt(sb, realmId, 10, { DocNumber: "Z12-R1" }),
          "minorversion=75&include=allowduplicatedocnum",
        )
      ).status,
    ).toBe(200);
    // Another entity type may use the same number.
    const je = {
      DocNumber: "Z12-R1",
      Line: [
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 1,
          JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: id.account("Chequing") } },
        },
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 1,
          JournalEntryLineDetail: { PostingType: "Credit", AccountRef: { value: id.account("Undeposited Funds") } },
        },
      ],
    };
    expect((await q.post("JournalEntry", je)).status).toBe(200);
  });

  it("PrivateNote and line Description are limited to 4000 characters (2050)", async () => {
    expectFault(
      await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { PrivateNote: "x".repeat(4001) })),
      400,
      "2050",
    );
    expectFault(
      await q.post(
        "SalesReceipt",
        caReceipt(sb, realmId, 10, { Line: [salesLine(10, { Description: "d".repeat(4001) })] }),
      ),
      400,
      "2050",
    );
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { PrivateNote: "x".repeat(4000) }))).status).toBe(
      200,
    );
  });
});

describe("rule 7: names", () => {
  it("DisplayName is unique across customers, vendors and employees, inactive ones included (6240)", async () => {
    expect(expectFault(await q.post("Vendor", { DisplayName: "Marie Tremblay" }), 400, "6240").Message).toBe(
      "Duplicate Name Exists Error",
    );
    expectFault(await q.post("Customer", { DisplayName: "sophie roy" }), 400, "6240");
    expectFault(await q.post("Employee", { DisplayName: "Jean Gagnon (ancien)" }), 400, "6240");
    expect((await q.post("Customer", { DisplayName: "Tillbridge POS Customer" })).status).toBe(200);
  });

  it("names cannot contain a colon, tab or newline, and a person needs a name (6080)", async () => {
    expectFault(await q.post("Customer", { DisplayName: "A:B" }), 400, "6000");
    expectFault(await q.post("Vendor", { DisplayName: "A\tB" }), 400, "6000");
    expectFault(await q.post("Customer", { CompanyName: "Nameless Inc." }), 400, "6080");
    const built = await q.post("Customer", { GivenName: "Luc", FamilyName: "Côté" });
    expect(built.body.Customer.DisplayName).toBe("Luc Côté");
  });

  it("Item names are unique (6240)", async () => {
    const f = expectFault(
      await q.post("Item", {
        Name: "sales",
        Type: "Service",
        IncomeAccountRef: { value: id.account("Services") },
        ExpenseAccountRef: { value: id.account("Cost of Goods Sold") },
      }),
      400,
      "6240",
    );
    expect(f.element).toBe("Name");
  });
});

describe("rule 8: the books closing date", () => {
  it("nothing dated on or before BookCloseDate (6210), and closed documents cannot change", async () => {
    const before = await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { TxnDate: "2026-10-31" }));
    expect(before.status).toBe(200);
    sb.setPreferences(realmId, { BookCloseDate: "2026-10-31" });
    expect(
      expectFault(await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { TxnDate: "2026-10-31" })), 400, "6210")
        .Message,
    ).toBe("Account Period Closed");
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { TxnDate: "2026-11-01" }))).status).toBe(200);
    const r = before.body.SalesReceipt;
    expectFault(
      await q.post("SalesReceipt", { Id: r.Id, SyncToken: r.SyncToken }, "minorversion=75&operation=delete"),
      400,
      "6210",
    );
  });
});

describe("rule 9: tax models", () => {
  it("the CA company needs GlobalTaxCalculation and a tax code on every line", async () => {
    const noGtc = caReceipt(sb, realmId, 10);
    delete noGtc.GlobalTaxCalculation;
    expectFault(await q.post("SalesReceipt", noGtc), 400, "6000");
    const noCode = caReceipt(sb, realmId, 10);
    delete noCode.Line[0].SalesItemLineDetail.TaxCodeRef;
    expect(expectFault(await q.post("SalesReceipt", noCode), 400, "6000").Detail).toMatch(/GST\/HST rate/);
    const bill = {
      VendorRef: { value: id.vendor("Transport Rapide QC") },
      GlobalTaxCalculation: "TaxExcluded",
      Line: [
        {
          DetailType: "AccountBasedExpenseLineDetail",
          Amount: 5,
          AccountBasedExpenseLineDetail: { AccountRef: { value: id.account("Bank charges") } },
        },
      ],
    };
    expectFault(await q.post("Bill", bill), 400, "6000");
  });

  it("the US company takes TAX or NON on lines (6100) and no GlobalTaxCalculation", async () => {
    const us = await connect(sb, "us");
    const uq = api(sb, us.realmId, us.token);
    const uid = ids(sb, us.realmId);
    const receipt = (code: string, extra: J = {}) => ({
      Line: [
        {
          DetailType: "SalesItemLineDetail",
          Amount: 100,
          SalesItemLineDetail: { ItemRef: { value: uid.item("Sales") }, TaxCodeRef: { value: code } },
        },
      ],
      TxnTaxDetail: { TxnTaxCodeRef: { value: uid.taxCode("New York City") } },
      ...extra,
    });
    expect(
      expectFault(await uq.post("SalesReceipt", receipt(uid.taxCode("New York City"))), 400, "6100").Detail,
    ).toMatch(/TAX or NON/);
    expectFault(await uq.post("SalesReceipt", receipt("TAX", { GlobalTaxCalculation: "TaxExcluded" })), 400, "6000");
    const ok = await uq.post("SalesReceipt", receipt("TAX"));
    expect(ok.status).toBe(200);
    expect(ok.body.SalesReceipt.TxnTaxDetail.TotalTax).toBe(8.88); // 4 + 4.5 + 0.375 on 100, per rate: 4.00 + 4.50 + 0.38
    expect(ok.body.SalesReceipt.TotalAmt).toBe(108.88);
  });
});

describe("rule 10: document-specific requirements", () => {
  it("RefundReceipt needs a Bank or Other Current Asset DepositToAccountRef", async () => {
    expectFault(await q.post("RefundReceipt", caReceipt(sb, realmId, 10)), 400, "2020");
    expectFault(
      await q.post(
        "RefundReceipt",
        caReceipt(sb, realmId, 10, { DepositToAccountRef: { value: id.account("Bank charges") } }),
      ),
      400,
      "6000",
    );
    expect(
      (
        await q.post(
          "RefundReceipt",
          caReceipt(sb, realmId, 10, { DepositToAccountRef: { value: id.account("Chequing") } }),
        )
      ).status,
    ).toBe(200);
  });

  it("Payment needs CustomerRef and TotalAmt, applies only the customer's own invoices, never over-applied", async () => {
    expectFault(await q.post("Payment", { TotalAmt: 5 }), 400, "2020");
    expectFault(await q.post("Payment", { CustomerRef: { value: id.customer("Marie Tremblay") } }), 400, "2020");
    const inv = await q.post(
      "Invoice",
      caReceipt(sb, realmId, 100, { CustomerRef: { value: id.customer("Marie Tremblay") } }),
    );
    const invoiceId = inv.body.Invoice.Id;
    const other = await q.post("Payment", {
      CustomerRef: { value: id.customer("Café Olimpico Inc.") },
      TotalAmt: 10,
      Line: [{ Amount: 10, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }],
    });
    expect(expectFault(other, 400, "6000").Detail).toMatch(/another customer/);
    const over = await q.post("Payment", {
      CustomerRef: { value: id.customer("Marie Tremblay") },
      TotalAmt: 200,
      Line: [{ Amount: 114.99, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }],
    });
    expectFault(over, 400, "6000");
    const ok = await q.post("Payment", {
      CustomerRef: { value: id.customer("Marie Tremblay") },
      TotalAmt: 14.98,
      Line: [{ Amount: 14.98, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }],
    });
    expect(ok.status).toBe(200);
    expect((await q.get("Invoice", invoiceId)).body.Invoice.Balance).toBe(100);
    const rest = await q.post("Payment", {
      CustomerRef: { value: id.customer("Marie Tremblay") },
      TotalAmt: 100.01,
      Line: [{ Amount: 100.01, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }],
    });
    expectFault(rest, 400, "6000");
  });

  it("Bill needs VendorRef, and APAccountRef must be Accounts Payable", async () => {
    const line = {
      DetailType: "AccountBasedExpenseLineDetail",
      Amount: 5,
      AccountBasedExpenseLineDetail: {
        AccountRef: { value: id.account("Bank charges") },
        TaxCodeRef: { value: id.taxCode("Exempt") },
      },
    };
    expectFault(await q.post("Bill", { GlobalTaxCalculation: "TaxExcluded", Line: [line] }), 400, "2020");
    expectFault(
      await q.post("Bill", {
        VendorRef: { value: id.vendor("Transport Rapide QC") },
        APAccountRef: { value: id.account("Chequing") },
        GlobalTaxCalculation: "TaxExcluded",
        Line: [line],
      }),
      400,
      "6000",
    );
  });

  it("SalesReceipt deposits to Undeposited Funds by default", async () => {
    const res = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(res.body.SalesReceipt.DepositToAccountRef).toEqual({
      value: id.account("Undeposited Funds"),
      name: "Undeposited Funds",
    });
  });
});

describe("rule 11: currency and line limits", () => {
  it("a CurrencyRef other than the home currency is 6000 while multicurrency is off", async () => {
    expect(
      expectFault(
        await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { CurrencyRef: { value: "USD" } })),
        400,
        "6000",
      ).Detail,
    ).toMatch(/Multicurrency/);
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { CurrencyRef: { value: "CAD" } }))).status).toBe(
      200,
    );
  });

  it("a taxable document has at most 750 lines", async () => {
    const many = caReceipt(sb, realmId, 0, { Line: Array.from({ length: 751 }, () => salesLine(1)) });
    expect(expectFault(await q.post("SalesReceipt", many), 400, "6000").Detail).toMatch(/750/);
    const enough = caReceipt(sb, realmId, 0, { Line: Array.from({ length: 750 }, () => salesLine(1)) });
    expect((await q.post("SalesReceipt", enough)).status).toBe(200);
  });
});
