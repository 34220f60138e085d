/**
 * A company on QBO's global tax model from a short description: its chart of accounts, its tax agency
 * (one liability account the agency's sales and purchase tax post to), rates and codes, the standard
 * items the CA company has, a few people, CompanyInfo and Preferences. seed-au.ts, seed-nz.ts and
 * seed-uk.ts describe theirs.
 */
import { Seeder } from "./seed-util";
import type { Doc, RealmState } from "./state";

export interface GlobalCompanySpec {
  realmId: string;
  currency: { value: string; name: string };
  companyName: string;
  legalName: string;
  addr: Doc;
  country: string;
  timeZone: string;
  email: string;
  /** [name, AccountType, AccountSubType] in QBO's order for a new company of that country */
  accounts: [string, string, string][];
  /** The tax liability account (GlobalTaxPayable) the agency's sales and purchase tax post to */
  taxAccount: string;
  agency: { name: string; registration: string; period: string };
  /** [name, percent, description] */
  rates: [string, string, string][];
  /** [name, description, sales rate names, purchase rate names] */
  codes: [string, string, string[], string[]][];
  /** The codes the standard "Sales" and "Services" items carry */
  itemCodes: { sales: string; purchase: string };
  income: { product: string; services: string; cogs: string };
  customers: [string, Doc][];
  vendors: [string, Doc][];
  employee: [string, Doc];
  paymentMethods: [string, "CREDIT_CARD" | "NON_CREDIT_CARD"][];
}

function taxes(s: Seeder, spec: GlobalCompanySpec): void {
  s.add("TaxAgency", spec.agency.name, {
    DisplayName: spec.agency.name,
    Active: true,
    TaxTrackedOnSales: true,
    TaxTrackedOnPurchases: true,
    TaxTrackedOnSalesAccountRef: s.ref("Account", spec.taxAccount),
    TaxOnPurchasesAccountRef: s.ref("Account", spec.taxAccount),
    TaxRegistrationNumber: spec.agency.registration,
    ReportingPeriod: spec.agency.period,
  });
  for (const [name, percent, description] of spec.rates) s.taxRate(name, percent, spec.agency.name, description);
  for (const [name, description, sales, purchase] of spec.codes) s.taxCode(name, description, sales, purchase);
}

function items(s: Seeder, spec: GlobalCompanySpec): void {
  const codes = { SalesTaxCodeRef: s.ref("TaxCode", spec.itemCodes.sales) };
  const purchase = { PurchaseTaxCodeRef: s.ref("TaxCode", spec.itemCodes.purchase) };
  const accounts = (income: string) => ({
    IncomeAccountRef: s.ref("Account", income),
    ExpenseAccountRef: s.ref("Account", spec.income.cogs),
  });
  s.item("Sales", "Service", { ...accounts(spec.income.product), ...codes, ...purchase });
  s.item("Services", "Service", { ...accounts(spec.income.services), ...codes, ...purchase });
  s.item("Hours", "Service", { ...accounts(spec.income.services), UnitPrice: 85 });
  s.item("Gift wrapping (discontinued)", "Service", { ...accounts(spec.income.product), Active: false });
}

function lists(s: Seeder, spec: GlobalCompanySpec): void {
  for (const [name, type] of spec.paymentMethods) s.named("PaymentMethod", name, { Type: type });
  s.named("Term", "Due on receipt", { Type: "STANDARD", DueDays: 0 });
  s.named("Term", "Net 30", { Type: "STANDARD", DueDays: 30 });
  s.named("Class", "Retail", { SubClass: false, FullyQualifiedName: "Retail" });
  s.named("Class", "Online", { SubClass: false, FullyQualifiedName: "Online" });
  for (const [name, fields] of spec.customers) s.person("Customer", name, fields);
  for (const [name, fields] of spec.vendors) s.person("Vendor", name, fields);
  s.person("Employee", spec.employee[0], spec.employee[1]);
}

const meta = (at: string) => ({
  domain: "QBO",
  sparse: false,
  Id: "1",
  SyncToken: "0",
  MetaData: { CreateTime: at, LastUpdatedTime: at },
});

function companyInfo(spec: GlobalCompanySpec, at: string): Doc {
  return {
    CompanyName: spec.companyName,
    LegalName: spec.legalName,
    CompanyAddr: spec.addr,
    LegalAddr: spec.addr,
    CompanyStartDate: "2025-01-01",
    FiscalYearStartMonth: spec.country === "AU" ? "July" : spec.country === "NZ" ? "April" : "January",
    Country: spec.country,
    Email: { Address: spec.email },
    SupportedLanguages: "en",
    DefaultTimeZone: spec.timeZone,
    NameValue: [{ Name: "OfferingSku", Value: "QuickBooks Online Plus" }],
    ...meta(at),
  };
}

function preferences(spec: GlobalCompanySpec, at: string): Doc {
  return {
    AccountingInfoPrefs: {
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: false,
      FirstMonthOfFiscalYear: companyInfo(spec, at).FiscalYearStartMonth,
      UseAccountNumbers: false,
      CustomerTerminology: "Customers",
    },
    ProductAndServicesPrefs: {
      ForSales: true,
      ForPurchase: true,
      QuantityWithPriceAndRate: true,
      QuantityOnHand: true,
    },
    SalesFormsPrefs: {
      CustomTxnNumbers: true,
      AllowDeposit: true,
      AllowDiscount: true,
      AllowShipping: false,
      AllowServiceDate: false,
      AutoApplyCredit: true,
      AutoApplyPayments: true,
    },
    VendorAndPurchasesPrefs: { TrackingByCustomer: false, BillableExpenseTracking: false },
    TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: spec.currency.value } },
    ...meta(at),
  };
}

export function seedGlobal(spec: GlobalCompanySpec, at: string, realmId = spec.realmId): RealmState {
  const realm: RealmState = {
    realmId,
    model: "global",
    companyInfo: {},
    preferences: {},
    entities: {},
    nextId: 1,
    requestIds: {},
  };
  const s = new Seeder(realm, at, spec.currency);
  for (const [name, type, subType] of spec.accounts) s.account(name, type, subType);
  s.account("Petty cash (old)", "Bank", "CashOnHand", { Active: false });
  taxes(s, spec);
  items(s, spec);
  lists(s, spec);
  realm.companyInfo = companyInfo(spec, at);
  realm.preferences = preferences(spec, at);
  return realm;
}
