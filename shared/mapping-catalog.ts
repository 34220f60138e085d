import { z } from "zod";
import type { ObjectKind } from "./sync";

/**
 * Every mapping Tillbridge keeps (SPEC §2), once: where it lives in the Mappings document, what kind of
 * QBO thing it names and which types of it the postings accept, what it blocks while unmapped, when it
 * is required, how it is suggested and what "create the standard accounts and items" makes for it.
 *
 * Derived from it: the zod Mappings schema (shared/mappings.ts), the Worker's unmapped list,
 * suggestions, standard accounts and validation (worker/mappings/), and the options page's sections
 * (extension/options/mappings/). Its words — `mapping.<path>.label`, `.thing`, `.help` (and a family's
 * `.thingDeleted`) — are in shared/i18n/en.ts and fr.ts. Adding a mapping is one entry here plus its
 * words; the compiler names any word missing.
 */

const Id = z.string().min(1).max(64);
const OptionalId = Id.optional();

// ---- what a per-POS-object family maps each object to -------------------------------------------

/** What a POS payment type is to the books. */
export const PaymentTypeMapping = z.discriminatedUnion("role", [
  /** Money: lands in this deposit / clearing account (Bank or Other Current Asset) */
  z.object({ role: z.literal("deposit"), accountId: Id }),
  /** Gift Card payment type: redemptions reduce the gift-card liability */
  z.object({ role: z.literal("gift_card") }),
  /** Store Credit payment type: redemptions reduce the store-credit liability */
  z.object({ role: z.literal("store_credit") }),
  /** On Account / layby charge: not money; the sale is its own invoice */
  z.object({ role: z.literal("on_account") }),
  /** Loyalty (type 106): value the store gives away; debits the loyalty account, never a bank (SPEC §4.3) */
  z.object({ role: z.literal("loyalty") }),
]);
export type PaymentTypeMapping = z.infer<typeof PaymentTypeMapping>;
export const PAYMENT_ROLES = ["deposit", "gift_card", "store_credit", "on_account", "loyalty"] as const;

/** A POS tax (group) → a QBO tax code (global tax model) or a taxable flag (US). */
export const TaxMapping = z.object({
  /** Global model: the QBO TaxCode id. US: the QBO TaxCode id used as TxnTaxCodeRef when taxable */
  taxCodeId: Id.optional(),
  /** US only: whether lines with this tax are TAX (true) or NON (false) */
  taxable: z.boolean().optional(),
});
export type TaxMapping = z.infer<typeof TaxMapping>;

export const OutletMapping = z.object({ classId: Id.optional(), departmentId: Id.optional() });
export type OutletMapping = z.infer<typeof OutletMapping>;

// ---- which QBO things the postings accept ----------------------------------------------------------

/** QBO account types (AccountType) each use of an account accepts; the ledger's RefChecker checks the same. */
export const ACCOUNT_TYPES = {
  deposit: ["Bank", "Other Current Asset"],
  clearing: ["Other Current Asset", "Bank"],
  liability: ["Other Current Liability"],
  /** Loyalty redemptions: an expense, contra-income, or a liability where loyalty is accrued */
  loyalty: ["Expense", "Other Expense", "Income", "Other Income", "Other Current Liability"],
  inventoryAsset: ["Other Current Asset"],
  breakage: ["Income", "Other Income"],
  expense: ["Expense", "Other Expense", "Cost of Goods Sold"],
  purchaseCharge: ["Cost of Goods Sold", "Expense", "Other Expense", "Other Current Asset"],
  purchaseDiscount: ["Cost of Goods Sold", "Expense", "Other Expense", "Other Current Asset", "Income", "Other Income"],
  accountsPayable: ["Accounts Payable"],
  cogs: ["Cost of Goods Sold"],
  shrinkage: ["Cost of Goods Sold", "Expense", "Other Expense"],
} as const satisfies Record<string, readonly string[]>;

/** QBO item types a line can post through; the item must also have an income account. */
export const SALES_ITEM_TYPES = ["Service", "NonInventory"] as const;

// ---- "create the standard accounts and items for me" ----------------------------------------------

/** An account created where none of that name and type exists. */
export interface StandardAccount {
  name: string;
  type: string;
  subType: string;
  /** Adopt any active account of this subtype instead of creating one (QBO's own sales income account) */
  adoptSubType?: string;
}
/** A Service item created where no item of that name with an income account exists. */
export interface StandardItem {
  name: string;
  incomeAccount: StandardAccount;
}

const acct = (name: string, type: string, subType: string): StandardAccount => ({ name, type, subType });
const LIABILITY = (name: string) => acct(name, "Other Current Liability", "OtherCurrentLiabilities");
const GIFT_CARD_LIABILITY = LIABILITY("Gift card liability");
const STORE_CREDIT_LIABILITY = LIABILITY("Store credit liability");
const TIPS_PAYABLE = LIABILITY("Tips payable");
const MISC_EXPENSE = (name: string) => acct(name, "Other Expense", "OtherMiscellaneousExpense");
const SALES_INCOME: StandardAccount = {
  ...acct("Sales of Product Income", "Income", "SalesOfProductIncome"),
  adoptSubType: "SalesOfProductIncome",
};
export const STANDARD_CUSTOMER = "POS Sales";

// ---- the entries ------------------------------------------------------------------------------------

/** When a mapping must be set: always, never, or only on companies using QBO's global tax model (not US). */
export type Requirement = "always" | "never" | "globalTax";

/** How a fixed account is suggested: by words in its name among accounts of these types, or by subtype. */
export type AccountHint = { words: readonly string[]; accountTypes: readonly string[] } | { subType: string };

interface Common {
  /** The kinds of posting that cannot be made while it is unmapped */
  blocks: readonly ObjectKind[];
  /** Another mapping stands in while it is unset (a shrinkage reason: the default one): not a gap to list */
  standIn?: FixedPath;
}
export interface AccountEntry extends Common {
  kind: "account";
  schema: typeof OptionalId;
  required: Requirement;
  accountTypes: readonly string[];
  suggest?: AccountHint;
  standard?: StandardAccount;
}
export interface ItemEntry extends Common {
  kind: "item";
  schema: typeof OptionalId;
  required: Requirement;
  itemTypes: readonly string[];
  /** The item's income account must be this mapped account (a liability service and its liability) */
  postsTo?: "accounts.giftCardLiability" | "accounts.storeCreditLiability" | "accounts.tipsPayable";
  suggest?: { words: readonly string[] };
  standard?: StandardItem;
}
export interface TaxCodeEntry extends Common {
  kind: "taxCode";
  schema: typeof OptionalId;
  required: Requirement;
  /** exempt: a code that charges nothing; purchase: the code with the most purchase rates */
  suggest: "exempt" | "purchase";
}
export interface CustomerEntry extends Common {
  kind: "customer";
  schema: typeof OptionalId;
  required: Requirement;
  suggest?: { words: readonly string[] };
  standard?: { displayName: string };
}
export interface SwitchEntry extends Common {
  kind: "switch";
  schema: z.ZodDefault<z.ZodBoolean>;
  required: "never";
}

/**
 * A mapping per POS object: every payment type, category, tax or outlet the POS lists has its own
 * value under `<family>.<posId>`.
 */
export interface FamilyEntry<S extends z.ZodType = z.ZodType> extends Common {
  kind: "family";
  schema: z.ZodDefault<z.ZodRecord<z.ZodString, S>>;
  /** What each object is mapped to */
  picks: "item" | "paymentRole" | "taxCode" | "classAndLocation";
  /** always: each listed object; unlessDeleted: each one not deleted in the POS; never: mapping is a choice */
  required: "always" | "unlessDeleted" | "never";
  /** Which of the POS's objects need a mapping: all, leaf categories only, or those not deleted */
  lists: "all" | "leaves" | "active";
  accountTypes?: readonly string[];
  itemTypes?: readonly string[];
  /** Created by "create the standard accounts and items"; suggestions then map objects to it */
  standard?: StandardAccount | StandardItem;
  /** Whether an object's value counts as mapped (default: it has one) */
  isMapped?: (value: z.infer<S> | undefined, globalTax: boolean) => boolean;
}
export type FixedEntry = AccountEntry | ItemEntry | TaxCodeEntry | CustomerEntry | SwitchEntry;

const account = (e: Omit<AccountEntry, "kind" | "schema">): AccountEntry => ({
  kind: "account",
  schema: OptionalId,
  ...e,
});
const item = (e: Omit<ItemEntry, "kind" | "schema" | "itemTypes">): ItemEntry => ({
  kind: "item",
  schema: OptionalId,
  itemTypes: SALES_ITEM_TYPES,
  ...e,
});
const taxCode = (e: Omit<TaxCodeEntry, "kind" | "schema">): TaxCodeEntry => ({
  kind: "taxCode",
  schema: OptionalId,
  ...e,
});
const customer = (e: Omit<CustomerEntry, "kind" | "schema">): CustomerEntry => ({
  kind: "customer",
  schema: OptionalId,
  ...e,
});
const setting = (fallback: boolean): SwitchEntry => ({
  kind: "switch",
  schema: z.boolean().default(fallback),
  required: "never",
  blocks: [],
});
/** A shrinkage account: optional; the default one stands in for a reason left unmapped. */
const shrink = (standIn?: "shrinkage.default"): AccountEntry => ({
  ...(standIn ? { standIn } : {}),
  kind: "account",
  schema: OptionalId,
  accountTypes: ACCOUNT_TYPES.shrinkage,
  required: "never",
  // the default stands in for every reason: only it holds stocktakes and adjustments back
  blocks: standIn ? [] : ["stocktake", "stock_adjustment"],
  suggest: {
    words: ["shrinkage", "inventory shrink", "stock loss", "démarque", "pertes de stock"],
    accountTypes: ["Cost of Goods Sold", "Expense"],
  },
  // the standard setup maps the default one, so a store's first stock adjustment does not wait
  ...(standIn ? {} : { standard: acct("Inventory shrinkage", "Cost of Goods Sold", "SuppliesMaterialsCogs") }),
});
function family<S extends z.ZodType>(value: S, e: Omit<FamilyEntry<S>, "kind" | "schema">): FamilyEntry<S> {
  return { kind: "family", schema: z.record(z.string(), value).default({}), ...e };
}
/** Fixed keys stored together under one object of the document ("items.discount"). */
function group<const E extends Record<string, FixedEntry>>(entries: E) {
  const shape = {} as { [K in keyof E]: E[K]["schema"] };
  for (const [key, e] of Object.entries(entries)) (shape as Record<string, z.ZodType>)[key] = e.schema;
  // prefault: a missing group parses as {} through its own schema (so switches get their defaults)
  return { kind: "group" as const, entries, schema: z.object(shape).prefault({} as never) };
}

export const CATALOG = {
  categories: family(Id, {
    picks: "item",
    itemTypes: SALES_ITEM_TYPES,
    required: "always",
    lists: "leaves",
    blocks: ["closure", "sale"],
    standard: { name: "Sales", incomeAccount: SALES_INCOME },
  }),
  paymentTypes: family(PaymentTypeMapping, {
    picks: "paymentRole",
    accountTypes: ACCOUNT_TYPES.deposit,
    required: "unlessDeleted",
    lists: "all",
    blocks: ["closure", "sale_payment"],
    standard: acct("Card payments clearing", "Other Current Asset", "OtherCurrentAssets"),
  }),
  taxes: family(TaxMapping, {
    picks: "taxCode",
    required: "always",
    lists: "active",
    blocks: ["closure", "sale"],
    // US companies say taxable or not; global ones name the tax code
    isMapped: (v, globalTax) => (globalTax ? Boolean(v?.taxCodeId) : v?.taxable !== undefined),
  }),
  outlets: family(OutletMapping, {
    picks: "classAndLocation",
    required: "never",
    lists: "all",
    blocks: [],
  }),
  /**
   * Adjustment types the POS adds later (it "reserves the right to add others"): each waits for the
   * item it posts through; the known ones have their own items below.
   */
  adjustmentTypes: family(Id, {
    picks: "item",
    itemTypes: SALES_ITEM_TYPES,
    required: "never",
    lists: "all",
    blocks: ["closure"],
  }),
  items: group({
    discount: item({
      required: "always",
      blocks: ["closure", "sale"],
      suggest: { words: ["discount", "rabais", "remise"] },
      standard: { name: "Discounts given", incomeAccount: acct("Discounts given", "Income", "DiscountsRefundsGiven") },
    }),
    giftCardLiability: item({
      required: "always",
      blocks: ["closure"],
      postsTo: "accounts.giftCardLiability",
      suggest: { words: ["gift card", "carte-cadeau"] },
      standard: { name: "Gift card liability", incomeAccount: GIFT_CARD_LIABILITY },
    }),
    storeCreditLiability: item({
      required: "always",
      blocks: ["closure"],
      postsTo: "accounts.storeCreditLiability",
      suggest: { words: ["store credit", "credit en magasin"] },
      standard: { name: "Store credit liability", incomeAccount: STORE_CREDIT_LIABILITY },
    }),
    tillDiscrepancy: item({
      required: "always",
      blocks: ["closure"],
      suggest: { words: ["over/short", "over and short", "discrepanc", "ecart"] },
      standard: { name: "Till over/short", incomeAccount: MISC_EXPENSE("Cash over and short") },
    }),
    tips: item({
      required: "always",
      blocks: ["closure"],
      postsTo: "accounts.tipsPayable",
      suggest: { words: ["tip", "gratuit", "pourboire"] },
      standard: { name: "Tips", incomeAccount: TIPS_PAYABLE },
    }),
    surcharge: item({
      required: "always",
      blocks: ["closure"],
      suggest: { words: ["surcharge", "fee", "frais"] },
      standard: {
        name: "Surcharges and fees",
        incomeAccount: acct("Surcharges and fees", "Income", "ServiceFeeIncome"),
      },
    }),
    customCharge: item({
      required: "always",
      blocks: ["closure"],
      suggest: { words: ["custom charge", "delivery", "shipping", "wrapping", "livraison"] },
      standard: {
        name: "Custom charges",
        incomeAccount: acct("Custom charges income", "Income", "OtherPrimaryIncome"),
      },
    }),
    rounding: item({
      required: "always",
      blocks: ["closure", "sale"],
      suggest: { words: ["rounding", "arrondi"] },
      standard: { name: "Cash rounding", incomeAccount: MISC_EXPENSE("Cash rounding") },
    }),
  }),
  accounts: group({
    closureClearing: account({
      accountTypes: ACCOUNT_TYPES.clearing,
      required: "always",
      blocks: ["closure"],
      suggest: {
        words: ["closure clearing", "pos clearing", "attente des fermetures"],
        accountTypes: ["Other Current Asset"],
      },
      standard: acct("Tillbridge closure clearing", "Other Current Asset", "OtherCurrentAssets"),
    }),
    giftCardLiability: account({
      accountTypes: ACCOUNT_TYPES.liability,
      required: "always",
      blocks: ["closure", "gift_card_expiry", "sale_payment"],
      suggest: { words: ["gift card", "carte-cadeau", "cartes-cadeaux"], accountTypes: ["Other Current Liability"] },
      standard: GIFT_CARD_LIABILITY,
    }),
    giftCardBreakage: account({
      accountTypes: ACCOUNT_TYPES.breakage,
      required: "always",
      blocks: ["gift_card_expiry"],
      suggest: { words: ["breakage", "gift card"], accountTypes: ["Income", "Other Income"] },
      standard: acct("Gift card breakage income", "Other Income", "OtherMiscellaneousIncome"),
    }),
    storeCreditLiability: account({
      accountTypes: ACCOUNT_TYPES.liability,
      required: "always",
      blocks: ["closure", "store_credit_issue", "sale_payment"],
      suggest: { words: ["store credit", "credit en magasin"], accountTypes: ["Other Current Liability"] },
      standard: STORE_CREDIT_LIABILITY,
    }),
    tipsPayable: account({
      accountTypes: ACCOUNT_TYPES.liability,
      required: "always",
      blocks: ["closure"],
      suggest: { words: ["tips payable", "tips", "pourboires"], accountTypes: ["Other Current Liability"] },
      standard: TIPS_PAYABLE,
    }),
    loyalty: account({
      accountTypes: ACCOUNT_TYPES.loyalty,
      required: "always",
      blocks: ["closure"],
      suggest: { words: ["loyalty", "fidélité", "fidelite", "rewards"], accountTypes: ["Expense", "Other Expense"] },
      standard: acct("Loyalty redemptions", "Expense", "AdvertisingPromotional"),
    }),
    storeCreditExpense: account({
      accountTypes: ACCOUNT_TYPES.expense,
      required: "always",
      blocks: ["store_credit_issue"],
      suggest: { words: ["store credit"], accountTypes: ["Expense", "Other Expense"] },
      standard: acct("Store credit expense", "Expense", "AdvertisingPromotional"),
    }),
    inventoryAsset: account({
      accountTypes: ACCOUNT_TYPES.inventoryAsset,
      required: "always",
      blocks: ["purchase_order", "supplier_return", "stocktake", "stock_adjustment", "stock_transfer"],
      suggest: { subType: "Inventory" },
    }),
    shipping: account({
      accountTypes: ACCOUNT_TYPES.purchaseCharge,
      required: "always",
      blocks: ["purchase_order"],
      suggest: {
        words: ["freight", "shipping", "transport", "livraison"],
        accountTypes: ["Cost of Goods Sold", "Expense"],
      },
      standard: acct("Freight in", "Cost of Goods Sold", "ShippingFreightDeliveryCos"),
    }),
    purchaseDiscount: account({
      accountTypes: ACCOUNT_TYPES.purchaseDiscount,
      required: "always",
      blocks: ["purchase_order"],
      suggest: {
        words: ["purchase discount", "escompte"],
        accountTypes: ["Cost of Goods Sold", "Expense", "Other Income", "Income"],
      },
      standard: acct("Purchase discounts", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    }),
    duties: account({
      accountTypes: ACCOUNT_TYPES.purchaseCharge,
      required: "always",
      blocks: ["purchase_order"],
      suggest: { words: ["duties", "duty", "douane"], accountTypes: ["Cost of Goods Sold", "Expense"] },
      standard: acct("Customs duties", "Cost of Goods Sold", "OtherCostsOfServiceCos"),
    }),
    // optional: bills go to the company's default A/P account when none is named
    accountsPayable: account({ accountTypes: ACCOUNT_TYPES.accountsPayable, required: "never", blocks: [] }),
    // optional: cost of goods sold posts (options.postCogs) once it is mapped (SPEC §4.5). Never
    // suggested: mapping it starts a journal per closure, the merchant's choice to make
    cogs: account({ accountTypes: ACCOUNT_TYPES.cogs, required: "never", blocks: [] }),
  }),
  /**
   * Where stock lost or found goes (SPEC §4.5): stocktakes and stock adjustments move Inventory Asset
   * against the account of their reason, else the default one.
   */
  shrinkage: group({
    default: shrink(),
    stocktake: shrink("shrinkage.default"),
    damage: shrink("shrinkage.default"),
    expiry: shrink("shrinkage.default"),
    internalUse: shrink("shrinkage.default"),
    theft: shrink("shrinkage.default"),
    donation: shrink("shrinkage.default"),
    stockFound: shrink("shrinkage.default"),
    sampleForSale: shrink("shrinkage.default"),
    custom: shrink("shrinkage.default"),
  }),
  /** Tax code for lines that carry no POS tax (gift cards, liabilities, over/short, rounding) */
  nonTaxableTaxCodeId: taxCode({ required: "globalTax", blocks: ["closure", "sale"], suggest: "exempt" }),
  /** Tax code on purchase-order bill lines (e.g. GST/QST where input tax credits are claimed, else Exempt) */
  purchaseTaxCodeId: taxCode({
    required: "globalTax",
    blocks: ["purchase_order", "supplier_return"],
    suggest: "purchase",
  }),
  closureCustomerId: customer({
    required: "always",
    blocks: ["closure"],
    suggest: { words: ["pos sales", "retail pos", "ventes pos", "ventes au comptoir"] },
    standard: { displayName: STANDARD_CUSTOMER },
  }),
  options: group({
    /** Send received purchase orders without a click */
    autoSendPurchaseOrders: setting(false),
    /** Cost of goods sold with each closure and on-account/layby sale: on, and it posts once accounts.cogs is mapped */
    postCogs: setting(true),
    /** Each category's cost of goods sold to its mapped product/service's expense account (a COGS one), else accounts.cogs */
    cogsPerCategory: setting(false),
  }),
};

type Catalog = typeof CATALOG;
type Node = Catalog[keyof Catalog];

/** Every mapping's path in the Mappings document: "categories", "items.discount", "options.autoSendPurchaseOrders". */
export type MappingPath = {
  [K in keyof Catalog & string]: Catalog[K] extends { kind: "group"; entries: infer E }
    ? `${K}.${keyof E & string}`
    : K;
}[keyof Catalog & string];
/** The per-POS-object families: "categories", "paymentTypes", "taxes", "outlets". */
export type FamilyName = { [K in keyof Catalog]: Catalog[K] extends { kind: "family" } ? K : never }[keyof Catalog];
export type FixedPath = Exclude<MappingPath, FamilyName>;

export type CatalogEntry = ({ path: FamilyName } & FamilyEntry) | ({ path: FixedPath } & FixedEntry);

function flatten(): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const [key, node] of Object.entries(CATALOG) as [keyof Catalog, Node][]) {
    if (node.kind === "group")
      for (const [name, e] of Object.entries(node.entries) as [string, FixedEntry][])
        out.push({ path: `${key}.${name}` as FixedPath, ...e });
    else out.push({ path: key, ...node } as CatalogEntry);
  }
  return out;
}

/** Every entry in document order. */
export const MAPPING_ENTRIES: readonly CatalogEntry[] = flatten();
export const FAMILY_ENTRIES = MAPPING_ENTRIES.filter((e) => e.kind === "family") as ({
  path: FamilyName;
} & FamilyEntry)[];
export const FIXED_ENTRIES = MAPPING_ENTRIES.filter((e) => e.kind !== "family") as ({ path: FixedPath } & FixedEntry)[];

/** The entry a mapping key belongs to: "paymentTypes.<posId>" → the paymentTypes family. */
export function entryOf(mappingKey: string): CatalogEntry | undefined {
  return (
    MAPPING_ENTRIES.find((e) => e.path === mappingKey) ??
    FAMILY_ENTRIES.find((e) => mappingKey.startsWith(`${e.path}.`))
  );
}

/** Whether a fixed mapping applies to a company (the global-tax ones do not on US companies). */
export const appliesTo = (e: { required: string }, globalTax: boolean) => e.required !== "globalTax" || globalTax;
