/**
 * The Canadian company: a Québec boutique on QBO's global tax model (GST 5% + QST 9.975%). Only what a
 * fresh QBO Canada company has plus a few customers and vendors: Tillbridge's own accounts and items are
 * not here, because Tillbridge offers to create them.
 */
import { Seeder } from "./seed-util";
import type { RealmState } from "./state";

export const CA_REALM = "9341455130166501";

export function seedCa(at: string, realmId = CA_REALM): RealmState {
  const realm: RealmState = {
    realmId,
    model: "global",
    companyInfo: {},
    preferences: {},
    entities: {},
    nextId: 1,
    requestIds: {},
  };
  const s = new Seeder(realm, at, { value: "CAD", name: "Canadian Dollar" });

  s.account("Chequing", "Bank", "Checking");
  s.account("Cash on hand", "Bank", "CashOnHand");
  s.account("Undeposited Funds", "Other Current Asset", "UndepositedFunds");
  s.account("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable");
  s.account("Inventory Asset", "Other Current Asset", "Inventory");
  s.account("Prepaid expenses", "Other Current Asset", "PrepaidExpenses");
  s.account("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable");
  s.account("GST/HST Payable", "Other Current Liability", "GlobalTaxPayable");
  s.account("QST Payable", "Other Current Liability", "GlobalTaxPayable");
  s.account("Opening Balance Equity", "Equity", "OpeningBalanceEquity");
  s.account("Retained Earnings", "Equity", "RetainedEarnings");
  s.account("Sales of Product Income", "Income", "SalesOfProductIncome");
  s.account("Services", "Income", "ServiceFeeIncome");
  s.account("Discounts given", "Income", "DiscountsRefundsGiven");
  s.account("Uncategorized Income", "Income", "OtherPrimaryIncome");
  s.account("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs");
  s.account("Freight and delivery", "Cost of Goods Sold", "ShippingFreightDeliveryCos");
  s.account("Bank charges", "Expense", "BankCharges");
  s.account("Office expenses", "Expense", "OfficeGeneralAdministrativeExpenses");
  s.account("Uncategorized Expense", "Expense", "OtherMiscellaneousServiceCost");
  s.account("Petty cash (old)", "Bank", "CashOnHand", { Active: false });

  s.add("TaxAgency", "Canada Revenue Agency", {
    DisplayName: "Canada Revenue Agency",
    Active: true,
    TaxTrackedOnSales: true,
    TaxTrackedOnPurchases: true,
    TaxTrackedOnSalesAccountRef: s.ref("Account", "GST/HST Payable"),
    TaxOnPurchasesAccountRef: s.ref("Account", "GST/HST Payable"),
    TaxRegistrationNumber: "123456789RT0001",
    ReportingPeriod: "Quarterly",
  });
  s.add("TaxAgency", "Revenu Québec", {
    DisplayName: "Revenu Québec",
    Active: true,
    TaxTrackedOnSales: true,
    TaxTrackedOnPurchases: true,
    TaxTrackedOnSalesAccountRef: s.ref("Account", "QST Payable"),
    TaxOnPurchasesAccountRef: s.ref("Account", "QST Payable"),
    TaxRegistrationNumber: "1234567890TQ0001",
    ReportingPeriod: "Quarterly",
  });
  s.taxRate("GST (sales)", "5", "Canada Revenue Agency", "Goods and Services Tax");
  s.taxRate("QST (sales)", "9.975", "Revenu Québec", "Québec Sales Tax");
  s.taxRate("GST (purchases)", "5", "Canada Revenue Agency", "Goods and Services Tax (input tax credit)");
  s.taxRate("QST (purchases)", "9.975", "Revenu Québec", "Québec Sales Tax (input tax refund)");
  s.taxRate("Zero-rated", "0", "Canada Revenue Agency", "Zero-rated supplies");
  s.taxRate("Exempt", "0", "Canada Revenue Agency", "Exempt supplies");
  s.taxCode(
    "GST/QST QC - 9.975",
    "GST/QST Québec",
    ["GST (sales)", "QST (sales)"],
    ["GST (purchases)", "QST (purchases)"],
  );
  s.taxCode("GST", "GST only", ["GST (sales)"], ["GST (purchases)"]);
  s.taxCode("Zero-rated", "Zero-rated", ["Zero-rated"], ["Zero-rated"]);
  s.taxCode("Exempt", "Exempt", ["Exempt"], ["Exempt"]);
  s.taxCode("Out of Scope", "Out of scope of tax", [], []);

  const gstQst = s.ref("TaxCode", "GST/QST QC - 9.975");
  s.item("Sales", "Service", {
    IncomeAccountRef: s.ref("Account", "Sales of Product Income"),
    ExpenseAccountRef: s.ref("Account", "Cost of Goods Sold"),
    SalesTaxCodeRef: gstQst,
    PurchaseTaxCodeRef: gstQst,
  });
  s.item("Services", "Service", {
    IncomeAccountRef: s.ref("Account", "Services"),
    ExpenseAccountRef: s.ref("Account", "Cost of Goods Sold"),
    SalesTaxCodeRef: gstQst,
    PurchaseTaxCodeRef: gstQst,
  });
  s.item("Hours", "Service", {
    IncomeAccountRef: s.ref("Account", "Services"),
    ExpenseAccountRef: s.ref("Account", "Cost of Goods Sold"),
    UnitPrice: 85,
  });
  s.item("Gift wrapping (discontinued)", "Service", {
    Active: false,
    IncomeAccountRef: s.ref("Account", "Sales of Product Income"),
    ExpenseAccountRef: s.ref("Account", "Cost of Goods Sold"),
  });

  for (const [name, type] of [
    ["Cash", "NON_CREDIT_CARD"],
    ["Cheque", "NON_CREDIT_CARD"],
    ["Visa", "CREDIT_CARD"],
    ["MasterCard", "CREDIT_CARD"],
    ["Debit (Interac)", "NON_CREDIT_CARD"],
  ] as const) {
    s.named("PaymentMethod", name, { Type: type });
  }
  s.named("Term", "Due on receipt", { Type: "STANDARD", DueDays: 0 });
  s.named("Term", "Net 30", { Type: "STANDARD", DueDays: 30 });
  s.named("Class", "Retail", { SubClass: false, FullyQualifiedName: "Retail" });
  s.named("Class", "Online", { SubClass: false, FullyQualifiedName: "Online" });
  s.named("Department", "Montréal", { SubDepartment: false, FullyQualifiedName: "Montréal" });
  s.named("Department", "Québec", { SubDepartment: false, FullyQualifiedName: "Québec" });

  s.person("Customer", "Marie Tremblay", {
    GivenName: "Marie",
    FamilyName: "Tremblay",
    PrimaryEmailAddr: { Address: "marie.tremblay@example.ca" },
  });
  s.person("Customer", "Café Olimpico Inc.", { CompanyName: "Café Olimpico Inc." });
  s.person("Customer", "Jean Gagnon (ancien)", { GivenName: "Jean", FamilyName: "Gagnon", Active: false });
  s.person("Vendor", "Fournitures Laurentides Ltée", { CompanyName: "Fournitures Laurentides Ltée" });
  s.person("Vendor", "Transport Rapide QC", { CompanyName: "Transport Rapide QC" });
  s.person("Employee", "Sophie Roy", { GivenName: "Sophie", FamilyName: "Roy" });

  realm.companyInfo = {
    CompanyName: "Boutique Tillbridge Démo Inc.",
    LegalName: "Boutique Tillbridge Démo Inc.",
    CompanyAddr: {
      Id: "1",
      Line1: "1200 rue Sainte-Catherine O",
      City: "Montréal",
      CountrySubDivisionCode: "QC",
      PostalCode: "H3B 1K9",
      Country: "CA",
    },
    LegalAddr: {
      Id: "1",
      Line1: "1200 rue Sainte-Catherine O",
      City: "Montréal",
      CountrySubDivisionCode: "QC",
      PostalCode: "H3B 1K9",
      Country: "CA",
    },
    CompanyStartDate: "2025-01-01",
    FiscalYearStartMonth: "January",
    Country: "CA",
    Email: { Address: "comptes@boutique-demo.example.ca" },
    SupportedLanguages: "en,fr",
    DefaultTimeZone: "America/Montreal",
    NameValue: [{ Name: "OfferingSku", Value: "QuickBooks Online Plus" }],
    domain: "QBO",
    sparse: false,
    Id: "1",
    SyncToken: "0",
    MetaData: { CreateTime: at, LastUpdatedTime: at },
  };
  realm.preferences = {
    AccountingInfoPrefs: {
      TrackDepartments: true,
      DepartmentTerminology: "Location",
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: false,
      FirstMonthOfFiscalYear: "January",
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
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: "CAD" } },
    OtherPrefs: { NameValue: [{ Name: "SalesFormsPrefs.DefaultCustomerMessage", Value: "Merci de votre achat!" }] },
    domain: "QBO",
    sparse: false,
    Id: "1",
    SyncToken: "0",
    MetaData: { CreateTime: at, LastUpdatedTime: at },
  };
  return realm;
}
