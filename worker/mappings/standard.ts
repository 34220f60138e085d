import { z } from "zod";
import type { QboRefs } from "../../shared/domain/qbo";
import { requestIdOf } from "../../shared/hash";
import { openQboPort } from "../qbo/port";
import { qboQuery } from "../qbo/query";
import type { Services } from "../services";

/**
 * "Create the standard accounts and items for me": what Tillbridge's postings need, created in QBO
 * only where nothing of that name exists (idempotent: a second run finds everything). Returns what
 * was created and what already existed; the caller maps them.
 */
interface StdAccount {
  name: string;
  type: string;
  subType: string;
}

export const STANDARD_ACCOUNTS = {
  closureClearing: { name: "Tillbridge closure clearing", type: "Other Current Asset", subType: "OtherCurrentAssets" },
  cardClearing: { name: "Card payments clearing", type: "Other Current Asset", subType: "OtherCurrentAssets" },
  giftCardLiability: {
    name: "Gift card liability",
    type: "Other Current Liability",
    subType: "OtherCurrentLiabilities",
  },
  storeCreditLiability: {
    name: "Store credit liability",
    type: "Other Current Liability",
    subType: "OtherCurrentLiabilities",
  },
  giftCardBreakage: { name: "Gift card breakage income", type: "Other Income", subType: "OtherMiscellaneousIncome" },
  storeCreditExpense: { name: "Store credit expense", type: "Expense", subType: "AdvertisingPromotional" },
  overShort: { name: "Cash over and short", type: "Other Expense", subType: "OtherMiscellaneousExpense" },
  rounding: { name: "Cash rounding", type: "Other Expense", subType: "OtherMiscellaneousExpense" },
  shipping: { name: "Freight in", type: "Cost of Goods Sold", subType: "ShippingFreightDeliveryCos" },
  duties: { name: "Customs duties", type: "Cost of Goods Sold", subType: "OtherCostsOfServiceCos" },
  purchaseDiscount: { name: "Purchase discounts", type: "Cost of Goods Sold", subType: "SuppliesMaterialsCogs" },
  discountsGiven: { name: "Discounts given", type: "Income", subType: "DiscountsRefundsGiven" },
  sales: { name: "Sales of Product Income", type: "Income", subType: "SalesOfProductIncome" },
} satisfies Record<string, StdAccount>;

export const STANDARD_ITEMS = {
  sales: { name: "Sales", account: "sales" },
  discount: { name: "Discounts given", account: "discountsGiven" },
  giftCardLiability: { name: "Gift card liability", account: "giftCardLiability" },
  storeCreditLiability: { name: "Store credit liability", account: "storeCreditLiability" },
  tillDiscrepancy: { name: "Till over/short", account: "overShort" },
  rounding: { name: "Cash rounding", account: "rounding" },
} satisfies Record<string, { name: string; account: keyof typeof STANDARD_ACCOUNTS }>;

export const STANDARD_CUSTOMER = "POS Sales";

export interface StandardResult {
  created: { entity: string; id: string; name: string }[];
  existing: { entity: string; id: string; name: string }[];
  accounts: Record<keyof typeof STANDARD_ACCOUNTS, string>;
  items: Record<keyof typeof STANDARD_ITEMS, string>;
  customerId: string;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const Saved = z.object({ Id: z.string() }).passthrough();

export async function createStandard(s: Services, tenantId: string): Promise<StandardResult> {
  const port = await openQboPort(s, tenantId);
  const refs: QboRefs = await port.refs({ reload: true });
  const created: StandardResult["created"] = [];
  const existing: StandardResult["existing"] = [];
  const rid = (what: string) => requestIdOf(`tb1|${tenantId}|standard|${what}`);

  const accounts = {} as StandardResult["accounts"];
  for (const [key, def] of Object.entries(STANDARD_ACCOUNTS) as [keyof typeof STANDARD_ACCOUNTS, StdAccount][]) {
    const found =
      refs.accounts.find((a) => same(a.name, def.name) && a.accountType === def.type) ??
      (key === "sales"
        ? refs.accounts.find((a) => a.active && a.accountSubType === "SalesOfProductIncome")
        : undefined);
    if (found) {
      accounts[key] = found.id;
      existing.push({ entity: "Account", id: found.id, name: found.name });
      continue;
    }
    const saved = Saved.parse(
      await port.client.create(
        "Account",
        { Name: def.name, AccountType: def.type, AccountSubType: def.subType },
        rid(`account|${def.name}`),
      ),
    );
    accounts[key] = saved.Id;
    created.push({ entity: "Account", id: saved.Id, name: def.name });
  }

  // QBO Canada wants an expense account on every item, even one never bought
  const expenseAccount =
    refs.accounts.find((a) => a.active && a.accountType === "Cost of Goods Sold")?.id ??
    refs.accounts.find((a) => a.active && a.accountType === "Expense")?.id;
  const items = {} as StandardResult["items"];
  for (const [key, def] of Object.entries(STANDARD_ITEMS) as [
    keyof typeof STANDARD_ITEMS,
    { name: string; account: keyof typeof STANDARD_ACCOUNTS },
  ][]) {
    const found = refs.items.find((i) => same(i.name, def.name) && i.incomeAccountId);
    if (found) {
      items[key] = found.id;
      existing.push({ entity: "Item", id: found.id, name: found.name });
      continue;
    }
    const body: Record<string, unknown> = {
      Name: def.name,
      Type: "Service",
      IncomeAccountRef: { value: accounts[def.account] },
    };
    if (expenseAccount) body.ExpenseAccountRef = { value: expenseAccount };
    const saved = Saved.parse(await port.client.create("Item", body, rid(`item|${def.name}`)));
    items[key] = saved.Id;
    created.push({ entity: "Item", id: saved.Id, name: def.name });
  }

  const rows = await port.client.query(
    qboQuery`select * from Customer where DisplayName = ${STANDARD_CUSTOMER}`,
    Saved,
  );
  let customerId = rows[0]?.Id;
  if (customerId) existing.push({ entity: "Customer", id: customerId, name: STANDARD_CUSTOMER });
  else {
    customerId = Saved.parse(
      await port.client.create("Customer", { DisplayName: STANDARD_CUSTOMER }, rid("customer")),
    ).Id;
    created.push({ entity: "Customer", id: customerId, name: STANDARD_CUSTOMER });
  }
  if (created.length > 0) await port.refs({ reload: true });
  return { created, existing, accounts, items, customerId };
}
