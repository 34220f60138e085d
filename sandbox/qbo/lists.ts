/**
 * Name-list entities (accounts, items, customers, vendors, employees, classes, locations, payment
 * methods, terms): required names, QBO's uniqueness rules, and the fields QBO fills in itself.
 */
import { PEOPLE } from "./entities";
import { F, QboFault } from "./faults";
import { lookup } from "./refs";
import { CLASSIFICATION } from "./seed-util";
import { type Doc, type RealmState, allOf } from "./state";

const BAD_NAME_CHARS = /[:\t\n]/;

function checkName(name: unknown, element: string, max: number, what: string): string {
  if (typeof name !== "string" || name.trim() === "") throw F.required(element);
  if (name.length > max) throw F.stringLength(`${element} (${name.length})`, max);
  if (BAD_NAME_CHARS.test(name))
    throw F.business(`The ${what} name must not contain a colon (:), tab or newline`, element);
  return name.trim();
}

/** Customer, Vendor and Employee share one DisplayName namespace, inactive records included. */
function checkPersonName(realm: RealmState, displayName: string, selfEntity: string, selfId?: string): void {
  const lower = displayName.toLowerCase();
  for (const entity of PEOPLE) {
    for (const other of allOf(realm, entity)) {
      if (entity === selfEntity && other.Id === selfId) continue;
      if (String(other.DisplayName ?? "").toLowerCase() === lower) throw F.duplicateName(displayName);
    }
  }
}

function checkUnique(realm: RealmState, entity: string, field: string, value: string, selfId?: string): void {
  const lower = value.toLowerCase();
  for (const other of allOf(realm, entity)) {
    if (other.Id !== selfId && String(other[field] ?? "").toLowerCase() === lower)
      throw F.duplicateItemName(value, entity.toLowerCase());
  }
}

const SUBTYPE_TYPE: Record<string, string> = {
  Checking: "Bank",
  Savings: "Bank",
  CashOnHand: "Bank",
  UndepositedFunds: "Other Current Asset",
  Inventory: "Other Current Asset",
  OtherCurrentAssets: "Other Current Asset",
  PrepaidExpenses: "Other Current Asset",
  AccountsReceivable: "Accounts Receivable",
  AccountsPayable: "Accounts Payable",
  OtherCurrentLiabilities: "Other Current Liability",
  SalesTaxPayable: "Other Current Liability",
  SalesOfProductIncome: "Income",
  ServiceFeeIncome: "Income",
  DiscountsRefundsGiven: "Income",
  OtherPrimaryIncome: "Income",
  SuppliesMaterialsCogs: "Cost of Goods Sold",
  BankCharges: "Expense",
  OtherMiscellaneousServiceCost: "Expense",
};

export function prepareList(realm: RealmState, entity: string, doc: Doc, selfId?: string): Doc {
  const home = realm.preferences.CurrencyPrefs?.HomeCurrency?.value as string;
  switch (entity) {
    case "Customer":
    case "Vendor":
    case "Employee": {
      const parts = [doc.Title, doc.GivenName, doc.MiddleName, doc.FamilyName, doc.Suffix].filter(
        (p) => typeof p === "string" && p.trim() !== "",
      );
      if (!doc.DisplayName && parts.length === 0) throw F.noName();
      const displayName = checkName(doc.DisplayName ?? parts.join(" "), "DisplayName", 500, entity.toLowerCase());
      for (const f of ["GivenName", "FamilyName", "MiddleName"])
        if (typeof doc[f] === "string" && BAD_NAME_CHARS.test(doc[f]))
          throw F.business(`The ${entity.toLowerCase()} name must not contain a colon (:), tab or newline`, f);
      checkPersonName(realm, displayName, entity, selfId);
      const money =
        entity === "Employee" ? {} : { Balance: doc.Balance ?? 0, CurrencyRef: doc.CurrencyRef ?? { value: home } };
      return {
        ...doc,
        ...money,
        DisplayName: displayName,
        FullyQualifiedName: displayName,
        PrintOnCheckName: doc.PrintOnCheckName ?? displayName,
        Active: doc.Active ?? true,
      };
    }
    case "Account": {
      const name = checkName(doc.Name, "Name", 100, "account");
      const type = doc.AccountType ?? SUBTYPE_TYPE[doc.AccountSubType as string];
      if (!type)
        throw new QboFault(
          400,
          "6010",
          "Invalid account type",
          "You must select an account type (AccountType or AccountSubType)",
          "AccountType",
        );
      checkUnique(realm, "Account", "Name", name, selfId);
      if (doc.AccountSubType === "UndepositedFunds" && doc.ParentRef)
        throw F.business("Undeposited Funds cannot be a sub-account", "ParentRef");
      return {
        SubAccount: false,
        CurrentBalance: 0,
        CurrentBalanceWithSubAccounts: 0,
        CurrencyRef: { value: home },
        ...doc,
        Name: name,
        FullyQualifiedName: name,
        AccountType: type,
        Classification: CLASSIFICATION[type],
        Active: doc.Active ?? true,
      };
    }
    case "Item":
      return prepareItem(realm, doc, selfId);
    default: {
      const name = checkName(doc.Name, "Name", 100, entity.toLowerCase());
      checkUnique(realm, entity, "Name", name, selfId);
      const fq = entity === "Class" || entity === "Department" ? { FullyQualifiedName: name } : {};
      return { ...doc, ...fq, Name: name, Active: doc.Active ?? true };
    }
  }
}

function prepareItem(realm: RealmState, doc: Doc, selfId?: string): Doc {
  const name = checkName(doc.Name, "Name", 100, "item");
  checkUnique(realm, "Item", "Name", name, selfId);
  if (!doc.Type) throw F.required("Type");
  const type = doc.Type as string;
  const need = (field: string) => {
    if (!doc[field])
      throw new QboFault(
        400,
        "2020",
        "Required param missing, need to supply the required value for the API",
        `Required parameter ${field} is missing in the request (${type} item)`,
        field,
      );
  };
  if (type === "Inventory") {
    for (const f of ["IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef", "InvStartDate", "QtyOnHand"]) need(f);
    if (doc.TrackQtyOnHand !== true)
      throw F.business("An Inventory item must have TrackQtyOnHand true", "TrackQtyOnHand");
    if (
      lookup(realm, "Account", String(doc.AssetAccountRef.value), "AssetAccountRef").AccountType !==
      "Other Current Asset"
    ) {
      throw F.business("AssetAccountRef must be an Other Current Asset account", "AssetAccountRef");
    }
  } else if (type === "Service" || type === "NonInventory") {
    need("IncomeAccountRef");
    // QBO Canada and UK insist on both accounts even without purchase tracking (qbo-api-notes §2.9).
    if (["CA", "GB"].includes(String(realm.companyInfo.Country))) need("ExpenseAccountRef");
  }
  return {
    UnitPrice: 0,
    PurchaseCost: 0,
    TrackQtyOnHand: false,
    ...doc,
    Name: name,
    FullyQualifiedName: name,
    Active: doc.Active ?? true,
  };
}
