import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENUMS, TYPES } from "../../../sandbox/qbo/schema.generated";
import { describeWithReference } from "../../support/reference";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const script = join(root, "scripts/gen-qbo-schema.mjs");
const committed = join(root, "sandbox/qbo/schema.generated.ts");
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

// These two read Intuit's XSD from ../shared/reference/qbo-xsd, which only the workspace has.
describeWithReference("qbo-xsd", "scripts/gen-qbo-schema.mjs against Intuit's XSD", () => {
  it("the committed sandbox/qbo/schema.generated.ts is what the generator makes from the XSD", () => {
    const check = run("--check");
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("--check fails on a stale file", () => {
    const stale = join(mkdtempSync(join(tmpdir(), "qbo-schema-")), "schema.generated.ts");
    writeFileSync(stale, readFileSync(committed, "utf8").replace('"DocNumber":"s"', '"DocNumber":"n"'));
    const check = run("--check", "--out", stale);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/out of date/);
  });
});

describe("sandbox/qbo/schema.generated.ts", () => {
  it("is compact and carries the entities, their inherited fields, choices and enumerations", () => {
    expect(statSync(committed).size).toBeLessThan(300_000);
    // SalesReceipt ← SalesTransaction ← Transaction ← IntuitEntity
    expect(TYPES.SalesReceipt).toMatchObject({
      Id: "s",
      SyncToken: "s",
      sparse: "b",
      domain: "s",
      DocNumber: "s",
      TxnDate: "d",
      Line: "Line[]",
      GlobalTaxCalculation: "E:GlobalTaxCalculationEnum",
      DepositToAccountRef: "ReferenceType",
      TotalAmt: "n",
    });
    // Line's xs:choice of detail objects
    expect(TYPES.Line).toMatchObject({
      SalesItemLineDetail: "SalesItemLineDetail",
      JournalEntryLineDetail: "JournalEntryLineDetail",
      Amount: "n",
    });
    // simpleContent: a ref is { value, name, type }
    expect(TYPES.ReferenceType).toEqual({ value: "s", name: "s", type: "s" });
    expect(ENUMS.GlobalTaxCalculationEnum).toEqual(["TaxInclusive", "TaxExcluded", "NotApplicable"]);
    expect([...ENUMS.PostingTypeEnum!].sort()).toEqual(["Credit", "Debit"]);
    for (const e of [
      "Account",
      "Item",
      "Customer",
      "Vendor",
      "Employee",
      "TaxCode",
      "TaxRate",
      "TaxAgency",
      "Class",
      "Department",
      "PaymentMethod",
      "Term",
      "Invoice",
      "SalesReceipt",
      "Payment",
      "CreditMemo",
      "RefundReceipt",
      "JournalEntry",
      "Bill",
      "Deposit",
      "CompanyInfo",
      "Preferences",
    ]) {
      expect(TYPES[e], e).toBeDefined();
    }
  });
});
