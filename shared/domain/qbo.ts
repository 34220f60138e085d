import { z } from "zod";
import { QboEntity } from "../sync";

/**
 * The QuickBooks Online side as Tillbridge sees it: the reference data it maps to (cached from the
 * live company) and the documents the ledger drafts. Field names are Intuit's (see the XSD in
 * ../shared/reference/qbo-xsd). Amounts in document bodies are JSON numbers with at most 2 decimals,
 * produced from integer cents by shared/money.ts.
 */

export const Ref = z.object({ value: z.string().min(1), name: z.string().optional() });
export type Ref = z.infer<typeof Ref>;

export const QboAccount = z.object({
  id: z.string(),
  name: z.string(),
  fullyQualifiedName: z.string(),
  accountType: z.string(), // e.g. "Bank", "Other Current Asset", "Income", "Other Current Liability"
  accountSubType: z.string().nullable(),
  active: z.boolean(),
});
export type QboAccount = z.infer<typeof QboAccount>;

export const QboItem = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(), // Service | NonInventory | Inventory | Category | ...
  incomeAccountId: z.string().nullable(),
  expenseAccountId: z.string().nullable(),
  assetAccountId: z.string().nullable(),
  active: z.boolean(),
});
export type QboItem = z.infer<typeof QboItem>;

export const QboTaxRateRef = z.object({
  rateId: z.string(),
  name: z.string(),
  /** Percent as a decimal string: "9.975" */
  ratePercent: z.string(),
  agencyId: z.string().nullable(),
});

export const QboTaxCode = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  taxable: z.boolean(),
  salesRates: z.array(QboTaxRateRef),
  purchaseRates: z.array(QboTaxRateRef),
});
export type QboTaxCode = z.infer<typeof QboTaxCode>;

export const QboNamed = z.object({ id: z.string(), name: z.string(), active: z.boolean() });
export type QboNamed = z.infer<typeof QboNamed>;

/** A snapshot of the company's reference data (cached in KV; reloadable from the options page). */
export const QboRefs = z.object({
  realmId: z.string(),
  companyName: z.string(),
  /** ISO country of the company: "US" selects the US sales-tax model, anything else the global one */
  country: z.string(),
  homeCurrency: z.string(),
  multiCurrency: z.boolean(),
  /** Books closing date (Preferences.AccountingInfoPrefs.BookCloseDate), if set */
  bookCloseDate: z.string().nullable(),
  /** Whether the company tracks classes / locations (departments) */
  classTracking: z.boolean(),
  departmentTracking: z.boolean(),
  accounts: z.array(QboAccount),
  items: z.array(QboItem),
  taxCodes: z.array(QboTaxCode),
  classes: z.array(QboNamed),
  departments: z.array(QboNamed),
  paymentMethods: z.array(QboNamed),
  fetchedAt: z.string(),
});
export type QboRefs = z.infer<typeof QboRefs>;

/** One document the ledger drafts: exactly the JSON that will be POSTed to /v3/company/{realm}/{entity}. */
export const QboDocumentDraft = z.object({
  /** Which part of the POS object this is, e.g. "sales" and "payments" for a closure */
  part: z.string(),
  entity: QboEntity,
  docNumber: z.string().max(21).optional(),
  /** Deterministic QBO requestid (≤ 36 characters) for this document of this object version */
  requestId: z.string().max(36),
  body: z.record(z.string(), z.unknown()),
});
export type QboDocumentDraft = z.infer<typeof QboDocumentDraft>;
