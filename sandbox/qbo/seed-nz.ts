/**
 * The New Zealand company: an Auckland shop on QBO's global tax model, GST 15 % to Inland Revenue,
 * with zero-rated, exempt and no-GST codes, each code usable on sales and purchases.
 */
import { type GlobalCompanySpec, seedGlobal } from "./seed-global";
import type { RealmState } from "./state";

export const NZ_REALM = "9341455130200704";

export const NZ_COMPANY: GlobalCompanySpec = {
  realmId: NZ_REALM,
  currency: { value: "NZD", name: "New Zealand Dollar" },
  companyName: "Tillbridge Demo Limited",
  legalName: "Tillbridge Demo Limited",
  addr: { Id: "1", Line1: "45 Queen Street", City: "Auckland", PostalCode: "1010", Country: "NZ" },
  country: "NZ",
  timeZone: "Pacific/Auckland",
  email: "accounts@tillbridge-demo.example.co.nz",
  accounts: [
    ["Business Cheque Account", "Bank", "Checking"],
    ["Cash on hand", "Bank", "CashOnHand"],
    ["Undeposited Funds", "Other Current Asset", "UndepositedFunds"],
    ["Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"],
    ["Inventory Asset", "Other Current Asset", "Inventory"],
    ["Prepayments", "Other Current Asset", "PrepaidExpenses"],
    ["Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"],
    ["GST Payable", "Other Current Liability", "GlobalTaxPayable"],
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
  ],
  taxAccount: "GST Payable",
  agency: { name: "Inland Revenue", registration: "123-456-789", period: "Two-monthly" },
  rates: [
    ["GST (sales)", "15", "Goods and services tax on sales"],
    ["GST (purchases)", "15", "Goods and services tax on purchases"],
    ["Zero-rated (sales)", "0", "Zero-rated supplies"],
    ["Zero-rated (purchases)", "0", "Zero-rated purchases"],
    ["Exempt (sales)", "0", "Exempt supplies"],
    ["Exempt (purchases)", "0", "Exempt purchases"],
  ],
  codes: [
    ["GST", "GST 15%", ["GST (sales)"], ["GST (purchases)"]],
    ["Zero-rated", "Zero-rated 0%", ["Zero-rated (sales)"], ["Zero-rated (purchases)"]],
    ["Exempt", "Exempt from GST", ["Exempt (sales)"], ["Exempt (purchases)"]],
    ["No GST", "Out of scope of GST", [], []],
  ],
  itemCodes: { sales: "GST", purchase: "GST" },
  income: { product: "Sales", services: "Services", cogs: "Cost of sales" },
  customers: [
    [
      "Aroha Williams",
      { GivenName: "Aroha", FamilyName: "Williams", PrimaryEmailAddr: { Address: "aroha@example.co.nz" } },
    ],
    ["Ponsonby Espresso Ltd", { CompanyName: "Ponsonby Espresso Ltd" }],
  ],
  vendors: [
    ["Waitemata Wholesale", { CompanyName: "Waitemata Wholesale" }],
    ["Kiwi Courier Co", { CompanyName: "Kiwi Courier Co" }],
  ],
  employee: ["Liam Taylor", { GivenName: "Liam", FamilyName: "Taylor" }],
  paymentMethods: [
    ["Cash", "NON_CREDIT_CARD"],
    ["EFTPOS", "NON_CREDIT_CARD"],
    ["Visa", "CREDIT_CARD"],
    ["MasterCard", "CREDIT_CARD"],
  ],
};

export function seedNz(at: string, realmId = NZ_REALM): RealmState {
  return seedGlobal(NZ_COMPANY, at, realmId);
}
