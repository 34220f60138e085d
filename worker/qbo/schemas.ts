import { z } from "zod";

/**
 * The raw QBO payloads Tillbridge reads, as Intuit names them (qbo-xsd/Finance.xsd). Lenient on
 * purpose: only the fields we use, everything else passes through, so a new Intuit field never
 * breaks a read. Mapped to our own types in refs.ts.
 */

const id = z.union([z.string(), z.number()]).transform(String);
const RawRef = z.object({ value: id, name: z.string().optional() });
const active = z.boolean().optional().default(true);

export const RawAccount = z.object({
  Id: id,
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  AccountType: z.string().optional().default(""),
  AccountSubType: z.string().optional(),
  Active: active,
});

export const RawItem = z.object({
  Id: id,
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  Type: z.string().optional().default(""),
  IncomeAccountRef: RawRef.optional(),
  ExpenseAccountRef: RawRef.optional(),
  AssetAccountRef: RawRef.optional(),
  Active: active,
});

const RateList = z
  .object({
    TaxRateDetail: z
      .array(z.object({ TaxRateRef: RawRef }))
      .optional()
      .default([]),
  })
  .optional();

export const RawTaxCode = z.object({
  Id: id,
  Name: z.string(),
  Active: active,
  Taxable: z.boolean().optional().default(false),
  SalesTaxRateList: RateList,
  PurchaseTaxRateList: RateList,
});

export const RawTaxRate = z.object({
  Id: id,
  Name: z.string(),
  // A JSON number read through its shortest decimal text (exact; never used in arithmetic here).
  RateValue: z.union([z.number(), z.string()]).optional(),
  AgencyRef: RawRef.optional(),
  Active: active,
});

export const RawNamed = z.object({
  Id: id,
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  Active: active,
});

export const RawCompanyInfo = z.object({
  CompanyName: z.string().optional(),
  LegalName: z.string().optional(),
  Country: z.string().optional(),
  CompanyAddr: z.object({ Country: z.string().optional() }).optional(),
  LegalAddr: z.object({ Country: z.string().optional() }).optional(),
});

export const RawPreferences = z.object({
  CurrencyPrefs: z
    .object({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: z.object({ value: z.string() }).optional() })
    .optional(),
  AccountingInfoPrefs: z
    .object({
      BookCloseDate: z.string().optional(),
      ClassTrackingPerTxn: z.boolean().optional(),
      ClassTrackingPerTxnLine: z.boolean().optional(),
      TrackDepartments: z.boolean().optional(),
    })
    .optional(),
});

/** What a document lookup needs to adopt a document after an ambiguous outcome. */
export const RawDocument = z.object({
  Id: id,
  SyncToken: z.string().optional(),
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  PrivateNote: z.string().optional(),
  TotalAmt: z.union([z.number(), z.string()]).optional(),
  CustomerRef: RawRef.optional(),
});
export type RawDocument = z.infer<typeof RawDocument>;

export const RawParty = z.object({ Id: id, SyncToken: z.string().optional(), DisplayName: z.string(), Active: active });
export type RawParty = z.infer<typeof RawParty>;
