import type { QboRefs } from "../../shared/domain/qbo";
import type { Mappings } from "../../shared/mappings";
import { Blockers } from "../ledger/blockers";
import { liability } from "../ledger/liabilities";
import { ACCOUNT_TYPES, RefChecker } from "../ledger/refs";
import type { LedgerContext } from "../ledger/types";

/**
 * What saving mappings checks beyond their shape: every QBO id they name exists in the live company,
 * is active and is of a kind the postings can use — the very checks the ledger makes before posting
 * (RefChecker), so a mapping accepted here never blocks a posting for its type. Each problem is keyed
 * by the request field that holds it ("mappings.paymentTypes.<id>.accountId").
 */
type AccountRule = keyof typeof ACCOUNT_TYPES;

const ACCOUNT_KEYS: [keyof Mappings["accounts"], AccountRule][] = [
  ["closureClearing", "clearing"],
  ["giftCardLiability", "liability"],
  ["storeCreditLiability", "liability"],
  ["giftCardBreakage", "breakage"],
  ["storeCreditExpense", "expense"],
  ["inventoryAsset", "inventoryAsset"],
  ["shipping", "purchaseCharge"],
  ["duties", "purchaseCharge"],
  ["purchaseDiscount", "purchaseDiscount"],
  ["accountsPayable", "accountsPayable"],
];

/** The request field a ledger mapping key lives in. */
function fieldOf(mappingKey: string): string {
  if (/^paymentTypes\./.test(mappingKey)) return `mappings.${mappingKey}.accountId`;
  if (/^taxes\./.test(mappingKey)) return `mappings.${mappingKey}.taxCodeId`;
  return `mappings.${mappingKey}`;
}

export function invalidMappingFields(mappings: Mappings, refs: QboRefs): Record<string, string> {
  const blockers = new Blockers();
  const ctx: LedgerContext = {
    tenantId: "",
    mappings,
    mappingVersion: 0,
    refs,
    paymentTypes: [],
    taxes: [],
    categories: [],
    outlets: [],
  };
  const check = new RefChecker(ctx, blockers);
  const fields: Record<string, string> = {};

  for (const [id, m] of Object.entries(mappings.paymentTypes)) {
    if (m.role === "deposit")
      check.account(m.accountId, "the deposit account", `paymentTypes.${id}`, ACCOUNT_TYPES.deposit);
  }
  for (const [id, itemId] of Object.entries(mappings.categories))
    check.salesItem(itemId, "the category's product/service", `categories.${id}`);
  for (const [id, t] of Object.entries(mappings.taxes))
    if (t.taxCodeId) check.taxCode(t.taxCodeId, "the tax code", `taxes.${id}`);
  for (const [key, id] of Object.entries(mappings.items))
    if (id) check.salesItem(id, "the product/service", `items.${key}`);
  for (const [key, rule] of ACCOUNT_KEYS) {
    const id = mappings.accounts[key];
    if (id) check.account(id, "the account", `accounts.${key}`, ACCOUNT_TYPES[rule]);
  }
  for (const which of ["giftCard", "storeCredit"] as const) {
    const key = `${which}Liability` as const;
    if (mappings.items[key] && mappings.accounts[key]) liability(check, blockers, which).itemNeeded();
  }
  if (mappings.nonTaxableTaxCodeId) check.taxCode(mappings.nonTaxableTaxCodeId, "the tax code", "nonTaxableTaxCodeId");
  if (mappings.purchaseTaxCodeId) check.taxCode(mappings.purchaseTaxCodeId, "the tax code", "purchaseTaxCodeId");
  for (const b of blockers.all()) if (b.mappingKey) fields[fieldOf(b.mappingKey)] ??= b.detail.replace(/^[^:]*: /, "");

  // classes and locations: checked here, as the ledger only reads them when the company tracks them
  for (const [id, o] of Object.entries(mappings.outlets)) {
    for (const [field, list, what] of [
      ["classId", refs.classes, "class"],
      ["departmentId", refs.departments, "location"],
    ] as const) {
      const ref = o[field];
      if (!ref) continue;
      const found = list.find((x) => x.id === ref);
      if (!found) fields[`mappings.outlets.${id}.${field}`] = `QBO ${what} ${ref} does not exist`;
      else if (!found.active) fields[`mappings.outlets.${id}.${field}`] = `QBO ${what} '${found.name}' is inactive`;
    }
  }
  return fields;
}
