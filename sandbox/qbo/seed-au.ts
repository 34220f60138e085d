/**
 * The Australian company: a Sydney shop on QBO's global tax model, GST 10 % reported to the ATO.
 * Codes as QBO Australia names them: sales use "GST" or "GST-free", purchases "GST on non-capital",
 * "GST-free non-capital", "GST on capital" or "GST-free capital"; "Input taxed" and "Out of Scope" go
 * both ways. Prices in Australia include GST, so Tillbridge posts its documents TaxInclusive here.
 */
import { type GlobalCompanySpec, seedGlobal } from "./seed-global";
import type { RealmState } from "./state";

export const AU_REALM = "9341455130199603";

const accounts: GlobalCompanySpec["accounts"] = [
  ["Business Cheque Account", "Bank", "Checking"],
  ["Cash on hand", "Bank", "CashOnHand"],
  ["Undeposited Funds", "Other Current Asset", "UndepositedFunds"],
  ["Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"],
  ["Inventory Asset", "Other Current Asset", "Inventory"],
  ["Prepaid expenses", "Other Current Asset", "PrepaidExpenses"],
  ["Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"],
  ["GST Payable", "Other Current Liability", "GlobalTaxPayable"],
  ["PAYG Withholdings Payable", "Other Current Liability", "OtherCurrentLiabilities"],
  ["Opening Balance Equity", "Equity", "OpeningBalanceEquity"],
  ["Retained Earnings", "Equity", "RetainedEarnings"],
  ["Sales", "Income", "SalesOfProductIncome"],
  ["Services", "Income", "ServiceFeeIncome"],
  ["Discounts given", "Income", "DiscountsRefundsGiven"],
  ["Uncategorised Income", "Income", "OtherPrimaryIncome"],
  ["Cost of sales", "Cost of Goods Sold", "SuppliesMaterialsCogs"],
  ["Freight and delivery", "Cost of Goods Sold", "ShippingFreightDeliveryCos"],
  ["Bank charges", "Expense", "BankCharges"],
  ["Office expenses", "Expense", "OfficeGeneralAdministrativeExpenses"],
  ["Uncategorised Expense", "Expense", "OtherMiscellaneousServiceCost"],
];

export const AU_COMPANY: GlobalCompanySpec = {
  realmId: AU_REALM,
  currency: { value: "AUD", name: "Australian Dollar" },
  companyName: "Tillbridge Demo Pty Ltd",
  legalName: "Tillbridge Demo Pty Ltd",
  addr: {
    Id: "1",
    Line1: "100 George Street",
    City: "Sydney",
    CountrySubDivisionCode: "NSW",
    PostalCode: "2000",
    Country: "AU",
  },
  country: "AU",
  timeZone: "Australia/Sydney",
  email: "accounts@tillbridge-demo.example.com.au",
  accounts,
  taxAccount: "GST Payable",
  agency: { name: "Australian Taxation Office", registration: "51 824 753 556", period: "Quarterly" },
  rates: [
    ["GST (sales)", "10", "Goods and services tax"],
    ["GST (purchases)", "10", "Goods and services tax (input tax credit)"],
    ["GST-free (sales)", "0", "GST-free supplies"],
    ["GST-free (purchases)", "0", "GST-free acquisitions"],
    ["Input taxed", "0", "Input taxed supplies and acquisitions"],
  ],
  codes: [
    ["GST", "Goods and services tax (G1)", ["GST (sales)"], []],
    ["GST-free", "No tax applies (G3)", ["GST-free (sales)"], []],
    ["GST-free exports", "Exports (G2)", ["GST-free (sales)"], []],
    ["GST on non-capital", "GST on non-capital items (G11)", [], ["GST (purchases)"]],
    ["GST-free non-capital", "No tax on non-capital items (G11)", [], ["GST-free (purchases)"]],
    ["GST on capital", "GST on capital items (G10)", [], ["GST (purchases)"]],
    ["GST-free capital", "No tax on capital items (G10)", [], ["GST-free (purchases)"]],
    ["Input taxed", "Input taxed", ["Input taxed"], ["Input taxed"]],
    ["Out of Scope", "Nontaxable goods and services, not on the BAS", [], []],
  ],
  itemCodes: { sales: "GST", purchase: "GST on non-capital" },
  income: { product: "Sales", services: "Services", cogs: "Cost of sales" },
  customers: [
    [
      "Olivia Smith",
      { GivenName: "Olivia", FamilyName: "Smith", PrimaryEmailAddr: { Address: "olivia@example.com.au" } },
    ],
    ["Harbour Cafe Pty Ltd", { CompanyName: "Harbour Cafe Pty Ltd" }],
    ["Jack Brown (old)", { GivenName: "Jack", FamilyName: "Brown", Active: false }],
  ],
  vendors: [
    ["Bondi Wholesale Supplies", { CompanyName: "Bondi Wholesale Supplies" }],
    ["Parramatta Freight", { CompanyName: "Parramatta Freight" }],
  ],
  employee: ["Chloe Nguyen", { GivenName: "Chloe", FamilyName: "Nguyen" }],
  paymentMethods: [
    ["Cash", "NON_CREDIT_CARD"],
    ["EFTPOS", "NON_CREDIT_CARD"],
    ["Visa", "CREDIT_CARD"],
    ["MasterCard", "CREDIT_CARD"],
    ["American Express", "CREDIT_CARD"],
  ],
};

export function seedAu(at: string, realmId = AU_REALM): RealmState {
  return seedGlobal(AU_COMPANY, at, realmId);
}
