import type { QboAccount, QboItem, QboNamed, QboTaxCode } from "../../shared/domain/qbo";
import type { Problem } from "../../shared/errors";
import type { Mappings } from "../../shared/mappings";
import { aboutKey } from "./about";
import type { Blockers } from "./blockers";
import type { LedgerContext } from "./types";

/** Account types each mapped account may have (QBO AccountType names). */
export const ACCOUNT_TYPES = {
  deposit: ["Bank", "Other Current Asset"],
  clearing: ["Other Current Asset", "Bank"],
  liability: ["Other Current Liability"],
  inventoryAsset: ["Other Current Asset"],
  breakage: ["Income", "Other Income"],
  expense: ["Expense", "Other Expense", "Cost of Goods Sold"],
  purchaseCharge: ["Cost of Goods Sold", "Expense", "Other Expense", "Other Current Asset"],
  purchaseDiscount: ["Cost of Goods Sold", "Expense", "Other Expense", "Other Current Asset", "Income", "Other Income"],
  accountsPayable: ["Accounts Payable"],
  cogs: ["Cost of Goods Sold"],
  shrinkage: ["Cost of Goods Sold", "Expense", "Other Expense"],
  loyalty: ["Expense", "Other Expense", "Income", "Other Income", "Other Current Liability"],
} as const satisfies Record<string, readonly string[]>;

/** An account chosen in settings: its mapping key, how a blocker names it, the QBO types it may have. */
export interface AccountSetting {
  key: keyof Mappings["accounts"];
  thing: string;
  types: readonly string[];
}

/** Every account chosen in settings (SPEC §2). */
export const ACCOUNT_SETTINGS = {
  closureClearing: { key: "closureClearing", thing: "the closure clearing account", types: ACCOUNT_TYPES.clearing },
  giftCardLiability: {
    key: "giftCardLiability",
    thing: "the gift card liability account",
    types: ACCOUNT_TYPES.liability,
  },
  giftCardBreakage: {
    key: "giftCardBreakage",
    thing: "the gift card breakage income account",
    types: ACCOUNT_TYPES.breakage,
  },
  storeCreditLiability: {
    key: "storeCreditLiability",
    thing: "the store credit liability account",
    types: ACCOUNT_TYPES.liability,
  },
  storeCreditExpense: {
    key: "storeCreditExpense",
    thing: "the store credit expense account",
    types: ACCOUNT_TYPES.expense,
  },
  tipsPayable: { key: "tipsPayable", thing: "the tips payable account", types: ACCOUNT_TYPES.liability },
  loyalty: { key: "loyalty", thing: "the loyalty redemptions account", types: ACCOUNT_TYPES.loyalty },
  inventoryAsset: { key: "inventoryAsset", thing: "the inventory asset account", types: ACCOUNT_TYPES.inventoryAsset },
  shipping: { key: "shipping", thing: "the shipping account", types: ACCOUNT_TYPES.purchaseCharge },
  duties: { key: "duties", thing: "the customs duties account", types: ACCOUNT_TYPES.purchaseCharge },
  purchaseDiscount: {
    key: "purchaseDiscount",
    thing: "the purchase discount account",
    types: ACCOUNT_TYPES.purchaseDiscount,
  },
  accountsPayable: {
    key: "accountsPayable",
    thing: "the accounts payable account",
    types: ACCOUNT_TYPES.accountsPayable,
  },
  cogs: { key: "cogs", thing: "the cost of goods sold account", types: ACCOUNT_TYPES.cogs },
} as const satisfies { [K in keyof Mappings["accounts"]]-?: AccountSetting & { key: K } };

const SALES_ITEM_TYPES = ["Service", "NonInventory"];

/** A sales item the ledger can post through: it has an income account. */
export type SalesItem = QboItem & { incomeAccountId: string };

const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));

/**
 * The live company's lists by id (and the POS categories' names), each built on first use. One
 * posting shares one: its closure rules each check refs on their own, against the same lookups.
 */
export class CompanyLookup {
  private accountsById?: Map<string, QboAccount>;
  private itemsById?: Map<string, QboItem>;
  private taxCodesById?: Map<string, QboTaxCode>;
  private classesById?: Map<string, QboNamed>;
  private departmentsById?: Map<string, QboNamed>;
  private categoryNames?: Map<string, string>;

  constructor(private readonly ctx: LedgerContext) {}

  get accounts(): Map<string, QboAccount> {
    return (this.accountsById ??= byId(this.ctx.refs.accounts));
  }
  get items(): Map<string, QboItem> {
    return (this.itemsById ??= byId(this.ctx.refs.items));
  }
  get taxCodes(): Map<string, QboTaxCode> {
    return (this.taxCodesById ??= byId(this.ctx.refs.taxCodes));
  }
  get classes(): Map<string, QboNamed> {
    return (this.classesById ??= byId(this.ctx.refs.classes));
  }
  get departments(): Map<string, QboNamed> {
    return (this.departmentsById ??= byId(this.ctx.refs.departments));
  }
  /** A POS category as the merchant reads it: its path, else its name, else its id. */
  categoryName(id: string): string {
    this.categoryNames ??= new Map(this.ctx.categories.map((c) => [c.id, c.path || c.name || c.id]));
    return this.categoryNames.get(id) || id;
  }
}

/**
 * Checks mapped QBO ids against the live company and records a blocker for each problem, naming the
 * POS thing in plain words (`thing`) and the mapping that fixes it (`mappingKey`).
 */
export class RefChecker {
  constructor(
    readonly ctx: LedgerContext,
    private readonly blockers: Blockers,
    /** Shared by the checkers of one posting */
    readonly lookup = new CompanyLookup(ctx),
  ) {}

  get isUS(): boolean {
    return this.ctx.refs.country === "US";
  }

  accountById(id: string): QboAccount | undefined {
    return this.lookup.accounts.get(id);
  }

  private unmapped(thing: string, mappingKey: string): undefined {
    this.blockers.add("needs_mapping", thing, mappingKey, aboutKey(this.ctx, mappingKey));
    return undefined;
  }

  /** `why` in English; `problem`, the same as data each language words. */
  private invalid(thing: string, why: string, mappingKey: string, problem: Problem): undefined {
    this.blockers.add("qbo_invalid_reference", `${thing}: ${why}`, mappingKey, aboutKey(this.ctx, mappingKey, problem));
    return undefined;
  }

  account(id: string | undefined, thing: string, mappingKey: string, types: readonly string[]): QboAccount | undefined {
    if (!id) return this.unmapped(thing, mappingKey);
    const a = this.lookup.accounts.get(id);
    if (!a) return this.invalid(thing, `QBO account ${id} no longer exists`, mappingKey, gone("account", id));
    if (!a.active)
      return this.invalid(thing, `QBO account '${a.name}' is inactive`, mappingKey, inactive("account", a.name));
    if (!types.includes(a.accountType)) {
      return this.invalid(
        thing,
        `QBO account '${a.name}' is of type ${a.accountType}; it must be ${types.join(" or ")}`,
        mappingKey,
        { kind: "wrong_type", entity: "account", qboName: a.name, type: a.accountType, allowed: [...types] },
      );
    }
    return a;
  }

  /** The account chosen for a setting, checked. */
  accountFor(setting: AccountSetting): QboAccount | undefined {
    const { key, thing, types } = setting;
    return this.account(this.ctx.mappings.accounts[key], thing, `accounts.${key}`, types);
  }

  /** A Service or NonInventory item with an income account. */
  salesItem(id: string | undefined, thing: string, mappingKey: string): SalesItem | undefined {
    if (!id) return this.unmapped(thing, mappingKey);
    const item = this.lookup.items.get(id);
    if (!item) return this.invalid(thing, `QBO product/service ${id} no longer exists`, mappingKey, gone("item", id));
    if (!item.active)
      return this.invalid(
        thing,
        `QBO product/service '${item.name}' is inactive`,
        mappingKey,
        inactive("item", item.name),
      );
    if (!SALES_ITEM_TYPES.includes(item.type)) {
      return this.invalid(
        thing,
        `QBO product/service '${item.name}' is of type ${item.type}; it must be Service or NonInventory`,
        mappingKey,
        { kind: "wrong_type", entity: "item", qboName: item.name, type: item.type, allowed: [...SALES_ITEM_TYPES] },
      );
    }
    if (!item.incomeAccountId)
      return this.invalid(thing, `QBO product/service '${item.name}' has no income account`, mappingKey, {
        kind: "no_income_account",
        qboName: item.name,
      });
    return item as SalesItem;
  }

  /** A POS category as the merchant reads it: its path, else its name, else its id. */
  categoryName(id: string): string {
    return this.lookup.categoryName(id);
  }

  /** The item a POS category's sales post through. */
  categoryItem(id: string): SalesItem | undefined {
    return this.salesItem(this.ctx.mappings.categories[id], `category '${this.categoryName(id)}'`, `categories.${id}`);
  }

  taxCode(id: string | undefined, thing: string, mappingKey: string): QboTaxCode | undefined {
    if (!id) return this.unmapped(thing, mappingKey);
    const code = this.lookup.taxCodes.get(id);
    if (!code) return this.invalid(thing, `QBO tax code ${id} no longer exists`, mappingKey, gone("taxCode", id));
    if (!code.active)
      return this.invalid(thing, `QBO tax code '${code.name}' is inactive`, mappingKey, inactive("taxCode", code.name));
    return code;
  }

  /** Class and location of an outlet, when the company tracks them (mapping them is optional). */
  outletRefs(outletId: string, outletName: string): { classId?: string; departmentId?: string } {
    const m = this.ctx.mappings.outlets[outletId];
    const out: { classId?: string; departmentId?: string } = {};
    if (!m) return out;
    const thing = `outlet '${outletName}'`;
    const key = `outlets.${outletId}`;
    if (this.ctx.refs.classTracking && m.classId) {
      const c = this.lookup.classes.get(m.classId);
      if (!c) this.invalid(thing, `QBO class ${m.classId} no longer exists`, key, gone("class", m.classId));
      else if (!c.active) this.invalid(thing, `QBO class '${c.name}' is inactive`, key, inactive("class", c.name));
      else out.classId = c.id;
    }
    if (this.ctx.refs.departmentTracking && m.departmentId) {
      const d = this.lookup.departments.get(m.departmentId);
      if (!d)
        this.invalid(thing, `QBO location ${m.departmentId} no longer exists`, key, gone("location", m.departmentId));
      else if (!d.active)
        this.invalid(thing, `QBO location '${d.name}' is inactive`, key, inactive("location", d.name));
      else out.departmentId = d.id;
    }
    return out;
  }

  /**
   * The A/R or A/P account a document posts to when none is named: for the books-effect preview only.
   * QBO uses the company's default; a company with one such account has no choice to make.
   */
  defaultAccountOfType(type: "Accounts Receivable" | "Accounts Payable"): { id: string; name: string } {
    const found = this.ctx.refs.accounts.filter((a) => a.active && a.accountType === type);
    if (found.length === 1) return { id: found[0]!.id, name: found[0]!.name };
    return type === "Accounts Receivable"
      ? { id: "accounts-receivable", name: "Accounts Receivable (default)" }
      : { id: "accounts-payable", name: "Accounts Payable (default)" };
  }
}

const gone = (entity: "account" | "item" | "taxCode" | "class" | "location", id: string): Problem => ({
  kind: "gone",
  entity,
  id,
});
const inactive = (entity: "account" | "item" | "taxCode" | "class" | "location", qboName: string): Problem => ({
  kind: "inactive",
  entity,
  qboName,
});
