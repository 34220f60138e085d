import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prepareTxn } from "../../../sandbox/qbo/documents";
import { QboFault } from "../../../sandbox/qbo/faults";
import { postings } from "../../../sandbox/qbo/ledger";
import { seedAu } from "../../../sandbox/qbo/seed-au";
import { seedNz } from "../../../sandbox/qbo/seed-nz";
import { seedUk } from "../../../sandbox/qbo/seed-uk";
import { type Doc, type RealmState, allOf } from "../../../sandbox/qbo/state";
import { intuitSignature, notificationBody } from "../../../sandbox/qbo/webhooks";

const AT = "2026-11-28T15:00:00-00:00";
const named = (realm: RealmState, entity: string, name: string) =>
  allOf(realm, entity).find((d) => (d.Name ?? d.DisplayName) === name)!;

function receipt(realm: RealmState, calc: string, lines: [number, string, number?][]): Doc {
  const item = named(realm, "Item", "Sales");
  return prepareTxn(
    realm,
    "SalesReceipt",
    {
      GlobalTaxCalculation: calc,
      Line: lines.map(([amount, code, gross]) => ({
        DetailType: "SalesItemLineDetail",
        Amount: amount,
        SalesItemLineDetail: {
          ItemRef: { value: item.Id },
          TaxCodeRef: { value: named(realm, "TaxCode", code).Id },
          ...(gross !== undefined ? { TaxInclusiveAmt: gross } : {}),
        },
      })),
    },
    { today: "2026-11-28", allowDuplicateDocNumber: false },
  );
}

describe("the seeded global companies", () => {
  it.each([
    ["AU", seedAu(AT), "AUD", "GST Payable"],
    ["NZ", seedNz(AT), "NZD", "GST Payable"],
    ["GB", seedUk(AT), "GBP", "VAT Control"],
  ])(
    "%s: every reference resolves, every rate posts to the agency's liability account",
    (country, realm, currency, taxAccount) => {
      expect(realm.companyInfo.Country).toBe(country);
      expect(realm.model).toBe("global");
      expect(realm.preferences.CurrencyPrefs.HomeCurrency.value).toBe(currency);
      const account = named(realm, "Account", taxAccount);
      expect(account).toMatchObject({ AccountType: "Other Current Liability", AccountSubType: "GlobalTaxPayable" });
      for (const rate of allOf(realm, "TaxRate")) {
        const agency = realm.entities.TaxAgency![rate.AgencyRef.value]!;
        expect(agency.TaxTrackedOnSalesAccountRef.value).toBe(account.Id);
        expect(agency.TaxOnPurchasesAccountRef.value).toBe(account.Id);
      }
      for (const code of allOf(realm, "TaxCode"))
        for (const d of [...code.SalesTaxRateList.TaxRateDetail, ...code.PurchaseTaxRateList.TaxRateDetail])
          expect(realm.entities.TaxRate![d.TaxRateRef.value]).toBeDefined();
      expect(allOf(realm, "Item").map((i) => i.Name)).toEqual([
        "Sales",
        "Services",
        "Hours",
        "Gift wrapping (discontinued)",
      ]);
    },
  );
});

describe("global tax, computed without HTTP", () => {
  it("UK exclusive: per rate over the document, half up; postings balance", () => {
    const realm = seedUk(AT);
    // 0.36 × 20% = 0.072 → 0.07 (per line it would be 3 × round(0.024) = 0.06)
    const doc = receipt(realm, "TaxExcluded", [
      [0.12, "20.0% S"],
      [0.12, "20.0% S"],
      [0.12, "20.0% S"],
    ]);
    expect(doc.TxnTaxDetail.TotalTax).toBe(0.07);
    expect(doc.TotalAmt).toBe(0.43);
    expect(postings(realm, "SalesReceipt", doc).reduce((a, p) => a + p.minor, 0)).toBe(0);
  });

  it("AU inclusive: gross 99.99 carries 9.09 of GST (99.99 ÷ 11 = 9.09); the net is 90.90", () => {
    const realm = seedAu(AT);
    const doc = receipt(realm, "TaxInclusive", [[90.9, "GST", 99.99]]);
    expect(doc.TxnTaxDetail.TaxLine[0].Amount).toBe(9.09);
    expect(doc.Line[0].Amount).toBe(90.9);
    expect(doc.TotalAmt).toBe(99.99);
  });

  it("NZ inclusive: a negative (returned) line is taxed by the same rule", () => {
    const realm = seedNz(AT);
    const doc = receipt(realm, "TaxInclusive", [
      [100, "GST", 115],
      [-20, "GST", -23],
    ]);
    expect(doc.TxnTaxDetail.TotalTax).toBe(12);
    expect(doc.Line.slice(0, 2).map((l: Doc) => l.Amount)).toEqual([100, -20]);
  });

  it("refuses a TaxInclusive line without its gross", () => {
    const realm = seedAu(AT);
    expect(() => receipt(realm, "TaxInclusive", [[10, "GST"]])).toThrow(QboFault);
  });
});

describe("webhook bodies and signatures", () => {
  it("the signature is base64 HMAC-SHA256 of the raw body with the verifier token", async () => {
    const change = { realmId: "1", entity: "Item", id: "7", operation: "Update" as const, at: AT };
    for (const format of ["legacy", "cloudevents"] as const) {
      const body = notificationBody(format, "1", [change]);
      const expected = createHmac("sha256", "secret").update(body).digest("base64");
      expect(await intuitSignature("secret", body)).toBe(expected);
    }
    expect(JSON.parse(notificationBody("cloudevents", "1", [change]))[0].type).toBe("qbo.item.updated.v1");
  });
});
