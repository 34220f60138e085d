/**
 * The UK company: a London shop on QBO's global tax model, VAT to HMRC. Codes as QBO UK names them:
 * "20.0% S" (standard), "5.0% R" (reduced), "0.0% Z" (zero-rated), "Exempt" and "No VAT", each with a
 * sales and a purchase rate; both post to "VAT Control".
 */
import { type GlobalCompanySpec, seedGlobal } from "./seed-global";
import type { RealmState } from "./state";

export const UK_REALM = "9341455130211805";

export const UK_COMPANY: GlobalCompanySpec = {
  realmId: UK_REALM,
  currency: { value: "GBP", name: "British Pound Sterling" },
  companyName: "Tillbridge Demo Ltd",
  legalName: "Tillbridge Demo Ltd",
  addr: { Id: "1", Line1: "221 Tottenham Court Road", City: "London", PostalCode: "W1T 7PL", Country: "GB" },
  country: "GB",
  timeZone: "Europe/London",
  email: "accounts@tillbridge-demo.example.co.uk",
  accounts: [
    ["Current Account", "Bank", "Checking"],
    ["Cash on hand", "Bank", "CashOnHand"],
    ["Undeposited Funds", "Other Current Asset", "UndepositedFunds"],
    ["Trade Debtors", "Accounts Receivable", "AccountsReceivable"],
    ["Stock Asset", "Other Current Asset", "Inventory"],
    ["Prepayments", "Other Current Asset", "PrepaidExpenses"],
    ["Trade Creditors", "Accounts Payable", "AccountsPayable"],
    ["VAT Control", "Other Current Liability", "GlobalTaxPayable"],
    ["PAYE and NI Payable", "Other Current Liability", "OtherCurrentLiabilities"],
    ["Opening Balance Equity", "Equity", "OpeningBalanceEquity"],
    ["Retained Earnings", "Equity", "RetainedEarnings"],
    ["Sales", "Income", "SalesOfProductIncome"],
    ["Services", "Income", "ServiceFeeIncome"],
    ["Discounts given", "Income", "DiscountsRefundsGiven"],
    ["Uncategorised Income", "Income", "OtherPrimaryIncome"],
    ["Cost of sales", "Cost of Goods Sold", "SuppliesMaterialsCogs"],
    ["Carriage", "Cost of Goods Sold", "ShippingFreightDeliveryCos"],
    ["Bank charges", "Expense", "BankCharges"],
    ["Office expenses", "Expense", "OfficeGeneralAdministrativeExpenses"],
    ["Uncategorised Expense", "Expense", "OtherMiscellaneousServiceCost"],
  ],
  taxAccount: "VAT Control",
  agency: { name: "HM Revenue & Customs", registration: "GB123456789", period: "Quarterly" },
  rates: [
    ["20.0% S (sales)", "20", "Standard rate sales"],
    ["20.0% S (purchases)", "20", "Standard rate purchases"],
    ["5.0% R (sales)", "5", "Reduced rate sales"],
    ["5.0% R (purchases)", "5", "Reduced rate purchases"],
    ["0.0% Z (sales)", "0", "Zero rated sales"],
    ["0.0% Z (purchases)", "0", "Zero rated purchases"],
    ["Exempt (sales)", "0", "Exempt sales"],
    ["Exempt (purchases)", "0", "Exempt purchases"],
  ],
  codes: [
    ["20.0% S", "Standard rate 20%", ["20.0% S (sales)"], ["20.0% S (purchases)"]],
    ["5.0% R", "Reduced rate 5%", ["5.0% R (sales)"], ["5.0% R (purchases)"]],
    ["0.0% Z", "Zero rated", ["0.0% Z (sales)"], ["0.0% Z (purchases)"]],
    ["Exempt", "Exempt from VAT", ["Exempt (sales)"], ["Exempt (purchases)"]],
    ["No VAT", "Outside the scope of VAT", [], []],
  ],
  itemCodes: { sales: "20.0% S", purchase: "20.0% S" },
  income: { product: "Sales", services: "Services", cogs: "Cost of sales" },
  customers: [
    [
      "Amelia Jones",
      { GivenName: "Amelia", FamilyName: "Jones", PrimaryEmailAddr: { Address: "amelia@example.co.uk" } },
    ],
    ["Camden Coffee House Ltd", { CompanyName: "Camden Coffee House Ltd" }],
  ],
  vendors: [
    ["Thames Wholesale Ltd", { CompanyName: "Thames Wholesale Ltd" }],
    ["Croydon Carriers", { CompanyName: "Croydon Carriers" }],
  ],
  employee: ["Oliver Evans", { GivenName: "Oliver", FamilyName: "Evans" }],
  paymentMethods: [
    ["Cash", "NON_CREDIT_CARD"],
    ["Cheque", "NON_CREDIT_CARD"],
    ["Visa", "CREDIT_CARD"],
    ["MasterCard", "CREDIT_CARD"],
    ["Debit card", "NON_CREDIT_CARD"],
  ],
};

export function seedUk(at: string, realmId = UK_REALM): RealmState {
  return seedGlobal(UK_COMPANY, at, realmId);
}
