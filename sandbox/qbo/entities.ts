/**
 * The entities the sandbox serves and what kind each is. QBO's URLs use the lowercase entity name;
 * queries and bodies use the canonical one.
 */

export type EntityKind = "list" | "txn" | "tax";

export interface EntityInfo {
  name: string;
  kind: EntityKind;
  /** Whether POST create/update/delete is allowed through /v3/company/:realm/<entity> */
  writable: boolean;
  /** The field QBO keeps unique within the entity (name lists) */
  nameField?: "Name" | "DisplayName";
}

const LIST: EntityInfo[] = [
  { name: "Account", kind: "list", writable: true, nameField: "Name" },
  { name: "Item", kind: "list", writable: true, nameField: "Name" },
  { name: "Customer", kind: "list", writable: true, nameField: "DisplayName" },
  { name: "Vendor", kind: "list", writable: true, nameField: "DisplayName" },
  { name: "Employee", kind: "list", writable: true, nameField: "DisplayName" },
  { name: "Class", kind: "list", writable: true, nameField: "Name" },
  { name: "Department", kind: "list", writable: true, nameField: "Name" },
  { name: "PaymentMethod", kind: "list", writable: true, nameField: "Name" },
  { name: "Term", kind: "list", writable: true, nameField: "Name" },
  // Read-only through the Accounting API: QBO creates them through the TaxService endpoint.
  { name: "TaxCode", kind: "tax", writable: false, nameField: "Name" },
  { name: "TaxRate", kind: "tax", writable: false, nameField: "Name" },
  { name: "TaxAgency", kind: "tax", writable: false, nameField: "DisplayName" },
];

const TXN: EntityInfo[] = [
  "Invoice",
  "SalesReceipt",
  "Payment",
  "CreditMemo",
  "RefundReceipt",
  "JournalEntry",
  "Bill",
  "VendorCredit",
  "Deposit",
].map((name) => ({ name, kind: "txn" as const, writable: true }));

export const ENTITIES: readonly EntityInfo[] = [...LIST, ...TXN];
export const ENTITY_NAMES = ENTITIES.map((e) => e.name);

/** Entities whose plain queries return active records only (QBO's name lists). */
export const ACTIVE_FILTERED = new Set([
  "Account",
  "Item",
  "Customer",
  "Vendor",
  "Employee",
  "Class",
  "Department",
  "PaymentMethod",
  "Term",
  "TaxCode",
  "TaxRate",
  "TaxAgency",
]);

/** Sales documents: customer-facing, taxed on SalesTaxRateList, never negative in total. */
export const SALES_DOCS = new Set(["Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt"]);
/** Purchase documents taxed on PurchaseTaxRateList. */
export const PURCHASE_DOCS = new Set(["Bill", "VendorCredit"]);
/** Customer, Vendor and Employee share one DisplayName namespace. */
export const PEOPLE = new Set(["Customer", "Vendor", "Employee"]);

const byLower = new Map<string, EntityInfo>(ENTITIES.map((e) => [e.name.toLowerCase(), e]));

export function entityInfo(name: string): EntityInfo | undefined {
  return byLower.get(name.toLowerCase());
}

/** Where a ref key points. EntityRef and LinkedTxn carry their own type. */
export const REF_TARGETS: Record<string, string> = {
  ItemRef: "Item",
  AccountRef: "Account",
  CustomerRef: "Customer",
  VendorRef: "Vendor",
  EmployeeRef: "Employee",
  TaxCodeRef: "TaxCode",
  TxnTaxCodeRef: "TaxCode",
  TaxRateRef: "TaxRate",
  ClassRef: "Class",
  DepartmentRef: "Department",
  PaymentMethodRef: "PaymentMethod",
  SalesTermRef: "Term",
  DepositToAccountRef: "Account",
  APAccountRef: "Account",
  ARAccountRef: "Account",
  IncomeAccountRef: "Account",
  ExpenseAccountRef: "Account",
  AssetAccountRef: "Account",
  DiscountAccountRef: "Account",
  ItemAccountRef: "Account",
  SalesTaxCodeRef: "TaxCode",
  PurchaseTaxCodeRef: "TaxCode",
};
