/**
 * The US company: a New York City store on QBO's US sales-tax model. Lines carry the TAX/NON pseudo
 * codes; the rate comes from the document's TxnTaxCodeRef ("New York City", 8.875%).
 */
import { Seeder } from "./seed-util";
import type { RealmState } from "./state";

export const US_REALM = "9341455130188502";

export function seedUs(at: string, realmId = US_REALM): RealmState {
  const realm: RealmState = {
    realmId,
    model: "us",
    companyInfo: {},
    preferences: {},
    entities: {},
    nextId: 1,
    requestIds: {},
  };
  const s = new Seeder(realm, at, { value: "USD", name: "United States Dollar" });

  s.account("Checking", "Bank", "Checking");
  s.account("Cash on hand", "Bank", "CashOnHand");
  s.account("Undeposited Funds", "Other Current Asset", "UndepositedFunds");
  s.account("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable");
  s.account("Inventory Asset", "Other Current Asset", "Inventory");
  s.account("Prepaid expenses", "Other Current Asset", "PrepaidExpenses");
  s.account("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable");
  s.account("Sales Tax Payable", "Other Current Liability", "SalesTaxPayable");
  s.account("Opening Balance Equity", "Equity", "OpeningBalanceEquity");
  s.account("Retained Earnings", "Equity", "RetainedEarnings");
  s.account("Sales of Product Income", "Income", "SalesOfProductIncome");
  s.account("Services", "Income", "ServiceFeeIncome");
  s.account("Discounts given", "Income", "DiscountsRefundsGiven");
  s.account("Uncategorized Income", "Income", "OtherPrimaryIncome");
  s.account("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs");
  s.account("Freight and delivery", "Cost of Goods Sold", "ShippingFreightDeliveryCos");
  s.account("Bank charges", "Expense", "BankCharges");
  s.account("Uncategorized Expense", "Expense", "OtherMiscellaneousServiceCost");
  s.account("Petty cash (old)", "Bank", "CashOnHand", { Active: false });

  s.add("TaxAgency", "New York State Department of Taxation", {
    DisplayName: "New York State Department of Taxation",
    Active: true,
    TaxTrackedOnSales: true,
    TaxTrackedOnPurchases: false,
    TaxTrackedOnSalesAccountRef: s.ref("Account", "Sales Tax Payable"),
  });
  const agency = "New York State Department of Taxation";
  s.taxRate("NY State 4%", "4", agency, "New York State sales tax");
  s.taxRate("NYC 4.5%", "4.5", agency, "New York City sales tax");
  s.taxRate("MCTD 0.375%", "0.375", agency, "Metropolitan Commuter Transportation District surcharge");
  s.taxCode("New York City", "NYC combined 8.875%", ["NY State 4%", "NYC 4.5%", "MCTD 0.375%"], []);

  s.item("Sales", "Service", { IncomeAccountRef: s.ref("Account", "Sales of Product Income"), Taxable: true });
  s.item("Services", "Service", { IncomeAccountRef: s.ref("Account", "Services"), Taxable: false });
  s.item("Hours", "Service", { IncomeAccountRef: s.ref("Account", "Services"), Taxable: false, UnitPrice: 95 });
  s.item("Gift wrapping (discontinued)", "Service", {
    Active: false,
    IncomeAccountRef: s.ref("Account", "Sales of Product Income"),
  });

  for (const [name, type] of [
    ["Cash", "NON_CREDIT_CARD"],
    ["Check", "NON_CREDIT_CARD"],
    ["Visa", "CREDIT_CARD"],
    ["MasterCard", "CREDIT_CARD"],
    ["American Express", "CREDIT_CARD"],
  ] as const) {
    s.named("PaymentMethod", name, { Type: type });
  }
  s.named("Term", "Due on receipt", { Type: "STANDARD", DueDays: 0 });
  s.named("Term", "Net 30", { Type: "STANDARD", DueDays: 30 });
  s.named("Class", "Retail", { SubClass: false, FullyQualifiedName: "Retail" });
  s.named("Class", "Online", { SubClass: false, FullyQualifiedName: "Online" });

  s.person("Customer", "Amy's Bird Sanctuary", {
    CompanyName: "Amy's Bird Sanctuary",
    GivenName: "Amy",
    FamilyName: "Lauterbach",
  });
  s.person("Customer", "Walk-in Customer", {});
  s.person("Vendor", "Hudson Supply Co.", { CompanyName: "Hudson Supply Co." });
  s.person("Vendor", "Brooklyn Freight", { CompanyName: "Brooklyn Freight" });
  s.person("Employee", "Dana Whitfield", { GivenName: "Dana", FamilyName: "Whitfield" });

  const addr = {
    Id: "1",
    Line1: "350 Fifth Avenue",
    City: "New York",
    CountrySubDivisionCode: "NY",
    PostalCode: "10118",
    Country: "US",
  };
  realm.companyInfo = {
    CompanyName: "Tillbridge Demo Store LLC",
    LegalName: "Tillbridge Demo Store LLC",
    CompanyAddr: addr,
    LegalAddr: addr,
    CompanyStartDate: "2025-01-01",
    FiscalYearStartMonth: "January",
    Country: "US",
    Email: { Address: "books@demo-store.example.com" },
    SupportedLanguages: "en",
    DefaultTimeZone: "America/New_York",
    NameValue: [{ Name: "OfferingSku", Value: "QuickBooks Online Plus" }],
    domain: "QBO",
    sparse: false,
    Id: "1",
    SyncToken: "0",
    MetaData: { CreateTime: at, LastUpdatedTime: at },
  };
  realm.preferences = {
    AccountingInfoPrefs: {
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: true,
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
    TaxPrefs: {
      UsingSalesTax: true,
      PartnerTaxEnabled: false,
      TaxGroupCodeRef: { value: s.id("TaxCode", "New York City") },
    },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: "USD" } },
    domain: "QBO",
    sparse: false,
    Id: "1",
    SyncToken: "0",
    MetaData: { CreateTime: at, LastUpdatedTime: at },
  };
  return realm;
}
