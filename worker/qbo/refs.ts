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
  await s.kv.put(cdcKey(tenantId), refs.fetchedAt);
  // The connection shows the company's current name (renamed in QBO, or unknown at connect time).
  if (refs.companyName) await setDisplayName(s.db, tenantId, "qbo", refs.companyName, s.now());
  return refs;
}

export async function invalidateRefs(s: Pick<QboServices, "kv">, tenantId: string): Promise<void> {
  await s.kv.delete(refsKey(tenantId));
}

/** The reference entities Change Data Capture covers (tax codes and rates it does not: they rarely change). */
const CDC_ENTITIES = ["Account", "Item", "Class", "Department", "PaymentMethod", "Preferences"] as const;
const cdcKey = (tenantId: string) => `qbo-refs-cdc:${tenantId}`;
/** CDC looks back 30 days; a cache older than this is read again whole. */
const CDC_LOOKBACK_MS = 29 * 86_400_000;
/** QBO's change times are to the second and its clock is not ours: each read overlaps the one before. */
const CDC_OVERLAP_MS = 2 * 60_000;

/**
 * Brings the cached reference data up to date with QBO's Change Data Capture: one metered read for
 * every reference list (an account or item reactivated, a closing date moved, a class deleted),
 * instead of the nine a reload costs. Without a cache (or one past CDC's look-back, or a change
 * set QBO cut short) it reloads whole. Returns the refs and how many records changed.
 */
export async function refreshRefs(
  s: QboServices,
  tenantId: string,
  client?: QboClient,
): Promise<{ refs: QboRefs; changed: number; reads: number; lastChangeAt: string | null }> {
  const parsed = QboRefs.safeParse(await s.kv.get(refsKey(tenantId), "json").catch(() => null));
  const conn = await getConnection(s.db, tenantId, "qbo");
  const since = (await s.kv.get(cdcKey(tenantId))) ?? (parsed.success ? parsed.data.fetchedAt : null);
  const asked = s.now();
  const whole = async () => {
    const refs = await loadRefs(s, tenantId, { reload: true });
    await s.kv.put(cdcKey(tenantId), asked.toISOString());
    return { refs, changed: 1, reads: 9, lastChangeAt: asked.toISOString() };
  };
  if (
    !parsed.success ||
    conn?.external_id !== parsed.data.realmId ||
    !since ||
    asked.getTime() - Date.parse(since) > CDC_LOOKBACK_MS
  )
    return whole();
  const qbo = client ?? (await QboClient.open(s, tenantId));
  const from = new Date(Date.parse(since) - CDC_OVERLAP_MS).toISOString();
  const { rows, truncated } = await qbo.cdc(CDC_ENTITIES, from);
  if (truncated) return whole();
  const refs = { ...parsed.data };
  let changed = 0;
  // when QBO last changed any of them (a change after an item was refused may be its fix, even one
  // the cache never saw undone: made inactive and active again between two reads)
  let lastChange = 0;
  for (const list of rows.values())
    for (const raw of list) {
      const t = Date.parse(String((raw.MetaData as { LastUpdatedTime?: unknown } | undefined)?.LastUpdatedTime ?? ""));
      if (!Number.isNaN(t)) lastChange = Math.max(lastChange, t);
    }
  const merge = <T extends { id: string }>(list: T[], entity: string, map: (raw: unknown) => T | null): T[] => {
    const byId = new Map(list.map((x) => [x.id, x]));
    for (const raw of rows.get(entity) ?? []) {
      const id = String(raw.Id ?? "");
      if (!id) continue;
      const before = byId.get(id);
      if (raw.status === "Deleted") {
        if (before) changed++;
        byId.delete(id);
        continue;
      }
      const next = map(raw);
      if (!next) continue;
      // the overlap brings back what the last read saw: only a real difference counts
      if (JSON.stringify(before) !== JSON.stringify(next)) changed++;
      byId.set(id, next);
    }
    return [...byId.values()];
  };
  const parse =
    <S extends z.ZodType, T>(schema: S, to: (x: z.infer<S>) => T) =>
    (raw: unknown): T | null => {
      const r = schema.safeParse(raw);
      return r.success ? to(r.data) : null;
    };
  refs.accounts = merge(refs.accounts, "Account", parse(RawAccount, toAccount));
  refs.items = merge(refs.items, "Item", parse(RawItem, toItem));
  refs.classes = merge(refs.classes, "Class", parse(RawNamed, toNamed));
  refs.departments = merge(refs.departments, "Department", parse(RawNamed, toNamed));
  refs.paymentMethods = merge(refs.paymentMethods, "PaymentMethod", parse(RawNamed, toNamed));
  for (const raw of rows.get("Preferences") ?? []) {
    const prefs = RawPreferences.safeParse(raw);
    if (!prefs.success) continue;
    const acct = prefs.data.AccountingInfoPrefs;
    const next = {
      bookCloseDate: acct?.BookCloseDate ?? null,
      classTracking: Boolean(acct?.ClassTrackingPerTxn || acct?.ClassTrackingPerTxnLine),
      departmentTracking: acct?.TrackDepartments ?? false,
    };
    const { bookCloseDate, classTracking, departmentTracking } = refs;
    if (JSON.stringify({ bookCloseDate, classTracking, departmentTracking }) !== JSON.stringify(next)) changed++;
    Object.assign(refs, next);
  }
  if (changed > 0) await s.kv.put(refsKey(tenantId), JSON.stringify(refs));
  await s.kv.put(cdcKey(tenantId), asked.toISOString());
  return { refs, changed, reads: 1, lastChangeAt: lastChange ? new Date(lastChange).toISOString() : null };
}
