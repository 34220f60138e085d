import type { z } from "zod";
import { QboRefs, type QboAccount, type QboItem, type QboNamed, type QboTaxCode } from "../../shared/domain/qbo";
import { getConnection, setDisplayName } from "../db/connections";
import { QboClient } from "./client";
import { RawAccount, RawCompanyInfo, RawItem, RawNamed, RawPreferences, RawTaxCode, RawTaxRate } from "./schemas";
import type { QboServices } from "./tokens";

/**
 * The company's reference data (what the mappings point at), read once and cached in KV so that
 * steady-state posting makes no QBO reads (reads are metered, §4). Inactive records are included
 * and flagged: a mapping may point at one, and the settings page must say so.
 */

export const refsKey = (tenantId: string) => `qbo-refs:${tenantId}`;

const COUNTRY_NAMES: Record<string, string> = {
  USA: "US",
  "UNITED STATES": "US",
  CANADA: "CA",
  "UNITED KINGDOM": "GB",
  UK: "GB",
  AUSTRALIA: "AU",
  FRANCE: "FR",
  INDIA: "IN",
};

export function countryCode(info: z.infer<typeof RawCompanyInfo>): string {
  const raw = (info.Country ?? info.LegalAddr?.Country ?? info.CompanyAddr?.Country ?? "").trim();
  return COUNTRY_NAMES[raw.toUpperCase()] ?? raw.toUpperCase();
}

export function toAccount(a: z.infer<typeof RawAccount>): QboAccount {
  return {
    id: a.Id,
    name: a.Name,
    fullyQualifiedName: a.FullyQualifiedName ?? a.Name,
    accountType: a.AccountType,
    accountSubType: a.AccountSubType ?? null,
    active: a.Active,
  };
}

export function toItem(i: z.infer<typeof RawItem>): QboItem {
  return {
    id: i.Id,
    name: i.FullyQualifiedName ?? i.Name,
    type: i.Type,
    incomeAccountId: i.IncomeAccountRef?.value ?? null,
    expenseAccountId: i.ExpenseAccountRef?.value ?? null,
    assetAccountId: i.AssetAccountRef?.value ?? null,
    active: i.Active,
  };
}

export function toTaxCode(c: z.infer<typeof RawTaxCode>, rates: Map<string, z.infer<typeof RawTaxRate>>): QboTaxCode {
  const ratesOf = (list: z.infer<typeof RawTaxCode>["SalesTaxRateList"]) =>
    (list?.TaxRateDetail ?? []).map((d) => {
      const rate = rates.get(d.TaxRateRef.value);
      return {
        rateId: d.TaxRateRef.value,
        name: rate?.Name ?? d.TaxRateRef.name ?? d.TaxRateRef.value,
        ratePercent: rate?.RateValue === undefined ? "0" : String(rate.RateValue),
        agencyId: rate?.AgencyRef?.value ?? null,
      };
    });
  return {
    id: c.Id,
    name: c.Name,
    active: c.Active,
    taxable: c.Taxable,
    salesRates: ratesOf(c.SalesTaxRateList),
    purchaseRates: ratesOf(c.PurchaseTaxRateList),
  };
}

export const toNamed = (n: z.infer<typeof RawNamed>): QboNamed => ({
  id: n.Id,
  name: n.FullyQualifiedName ?? n.Name,
  active: n.Active,
});

const all = (entity: string) => `select * from ${entity} where Active IN (true, false)`;

/** Reads every piece of reference data from QBO (about nine requests). */
export async function fetchRefs(client: QboClient, now: Date): Promise<QboRefs> {
  const info = RawCompanyInfo.parse(await client.companyInfo());
  const prefs = RawPreferences.parse(await client.preferences());
  const accounts = await client.query(all("Account"), RawAccount);
  const items = await client.query(all("Item"), RawItem);
  const taxRates = await client.query(all("TaxRate"), RawTaxRate);
  const taxCodes = await client.query(all("TaxCode"), RawTaxCode);
  const classes = await client.query(all("Class"), RawNamed);
  const departments = await client.query(all("Department"), RawNamed);
  const paymentMethods = await client.query(all("PaymentMethod"), RawNamed);
  const rateById = new Map(taxRates.map((r) => [r.Id, r]));
  const acct = prefs.AccountingInfoPrefs;
  return QboRefs.parse({
    realmId: client.realmId,
    companyName: info.CompanyName ?? info.LegalName ?? "",
    country: countryCode(info),
    homeCurrency: prefs.CurrencyPrefs?.HomeCurrency?.value ?? "",
    multiCurrency: prefs.CurrencyPrefs?.MultiCurrencyEnabled ?? false,
    bookCloseDate: acct?.BookCloseDate ?? null,
    classTracking: Boolean(acct?.ClassTrackingPerTxn || acct?.ClassTrackingPerTxnLine),
    departmentTracking: acct?.TrackDepartments ?? false,
    accounts: accounts.map(toAccount),
    items: items.map(toItem),
    taxCodes: taxCodes.map((c) => toTaxCode(c, rateById)),
    classes: classes.map(toNamed),
    departments: departments.map(toNamed),
    paymentMethods: paymentMethods.map(toNamed),
    fetchedAt: now.toISOString(),
  });
}

/**
 * The tenant's reference data: from KV unless `reload` (the options page's "Reload QuickBooks
 * options", or after a 610/2500), or the cache belongs to another company.
 */
export async function loadRefs(s: QboServices, tenantId: string, opts: { reload?: boolean } = {}): Promise<QboRefs> {
  if (!opts.reload) {
    const cached = await s.kv.get(refsKey(tenantId), "json").catch(() => null);
    const parsed = QboRefs.safeParse(cached);
    if (parsed.success) {
      const conn = await getConnection(s.db, tenantId, "qbo");
      if (conn?.external_id === parsed.data.realmId) return parsed.data;
    }
  }
  const client = await QboClient.open(s, tenantId);
  const refs = await fetchRefs(client, s.now());
  await s.kv.put(refsKey(tenantId), JSON.stringify(refs));
  // The connection shows the company's current name (renamed in QBO, or unknown at connect time).
  if (refs.companyName) await setDisplayName(s.db, tenantId, "qbo", refs.companyName, s.now());
  return refs;
}

export async function invalidateRefs(s: Pick<QboServices, "kv">, tenantId: string): Promise<void> {
  await s.kv.delete(refsKey(tenantId));
}
