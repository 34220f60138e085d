import { z } from "zod";
import type { QboRefs } from "../../shared/domain/qbo";
import { requestIdOf } from "../../shared/hash";
import {
  MAPPING_ENTRIES,
  type StandardAccount,
  type StandardItem,
  type CatalogEntry,
  FIXED_ENTRIES,
} from "../../shared/mapping-catalog";
import { type Mappings, mappingValue, withMapping } from "../../shared/mappings";
import { openQboPort } from "../qbo/port";
import { qboQuery } from "../qbo/query";
import type { Services } from "../services";
import type { Lists } from "./service";
import { suggest } from "./suggest";

/**
 * "Create the standard accounts and items for me": what the catalog's entries name as their standard
 * account, item or customer, created in QBO only where nothing of that name exists (idempotent: a
 * second run finds everything). Returns what was created and what already existed, and the id each
 * fixed mapping gets; `withStandard` maps them.
 */
export interface StandardResult {
  created: { entity: string; id: string; name: string }[];
  existing: { entity: string; id: string; name: string }[];
  /** Mapping path → the id made or found for its standard thing */
  mapped: Record<string, string>;
}

/** The tenant's QBO port with its client (setup work: queries and creates outside postings). */
type QboTenantPort = Awaited<ReturnType<typeof openQboPort>>;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const Saved = z.object({ Id: z.string() }).passthrough();

/** The standard account of an entry, or of its standard item (its income account). */
function accountsOf(e: CatalogEntry): StandardAccount[] {
  const std = "standard" in e ? e.standard : undefined;
  if (!std || "displayName" in std) return [];
  return "incomeAccount" in std ? [std.incomeAccount] : [std];
}
const itemOf = (e: CatalogEntry): StandardItem | undefined =>
  "standard" in e && e.standard && "incomeAccount" in e.standard ? e.standard : undefined;

/** Each distinct standard account (by name), then each standard item, in catalog order. */
function standardThings(): { accounts: StandardAccount[]; items: StandardItem[] } {
  const accounts = new Map<string, StandardAccount>();
  for (const a of MAPPING_ENTRIES.flatMap(accountsOf)) if (!accounts.has(a.name)) accounts.set(a.name, a);
  const items = MAPPING_ENTRIES.map(itemOf).filter((i): i is StandardItem => i !== undefined);
  return { accounts: [...accounts.values()], items };
}

class Maker {
  readonly created: StandardResult["created"] = [];
  readonly existing: StandardResult["existing"] = [];

  constructor(
    private readonly port: QboTenantPort,
    private readonly tenantId: string,
  ) {}

  found(entity: string, id: string, name: string): string {
    this.existing.push({ entity, id, name });
    return id;
  }

  async create(entity: "Account" | "Item" | "Customer", name: string, body: Record<string, unknown>): Promise<string> {
    const what = entity === "Customer" ? "customer" : `${entity.toLowerCase()}|${name}`;
    const rid = requestIdOf(`tb1|${this.tenantId}|standard|${what}`);
    const id = Saved.parse(await this.port.client.create(entity, body, rid)).Id;
    this.created.push({ entity, id, name });
    return id;
  }
}

async function ensureAccount(make: Maker, refs: QboRefs, def: StandardAccount): Promise<string> {
  const found =
    refs.accounts.find((a) => same(a.name, def.name) && a.accountType === def.type) ??
    (def.adoptSubType ? refs.accounts.find((a) => a.active && a.accountSubType === def.adoptSubType) : undefined);
  if (found) return make.found("Account", found.id, found.name);
  return make.create("Account", def.name, { Name: def.name, AccountType: def.type, AccountSubType: def.subType });
}

async function ensureItem(make: Maker, refs: QboRefs, def: StandardItem, incomeAccountId: string): Promise<string> {
  const found = refs.items.find((i) => same(i.name, def.name) && i.incomeAccountId);
  if (found) return make.found("Item", found.id, found.name);
  const body: Record<string, unknown> = {
    Name: def.name,
    Type: "Service",
    IncomeAccountRef: { value: incomeAccountId },
  };
  // QBO Canada wants an expense account on every item, even one never bought
  const expense =
    refs.accounts.find((a) => a.active && a.accountType === "Cost of Goods Sold") ??
    refs.accounts.find((a) => a.active && a.accountType === "Expense");
  if (expense) body.ExpenseAccountRef = { value: expense.id };
  return make.create("Item", def.name, body);
}

async function ensureCustomer(make: Maker, port: QboTenantPort, displayName: string): Promise<string> {
  const rows = await port.client.query(qboQuery`select * from Customer where DisplayName = ${displayName}`, Saved);
  const id = rows[0]?.Id;
  return id
    ? make.found("Customer", id, displayName)
    : make.create("Customer", displayName, { DisplayName: displayName });
}

export async function createStandard(s: Services, tenantId: string): Promise<StandardResult> {
  const port = await openQboPort(s, tenantId);
  const refs: QboRefs = await port.refs({ reload: true });
  const make = new Maker(port, tenantId);
  const { accounts, items } = standardThings();
  const accountIds = new Map<string, string>();
  for (const def of accounts) accountIds.set(def.name, await ensureAccount(make, refs, def));
  const itemIds = new Map<string, string>();
  for (const def of items)
    itemIds.set(def.name, await ensureItem(make, refs, def, accountIds.get(def.incomeAccount.name)!));

  const mapped: Record<string, string> = {};
  for (const e of FIXED_ENTRIES) {
    const std = "standard" in e ? e.standard : undefined;
    if (!std) continue;
    if ("displayName" in std) mapped[e.path] = await ensureCustomer(make, port, std.displayName);
    else mapped[e.path] = ("incomeAccount" in std ? itemIds.get(std.name) : accountIds.get(std.name))!;
  }
  if (make.created.length > 0) await port.refs({ reload: true });
  return { created: make.created, existing: make.existing, mapped };
}

/** The mappings with every unset key given its standard thing, then everything suggested with confidence. */
export function withStandard(mappings: Mappings, std: StandardResult, lists: Lists): Mappings {
  let next = mappings;
  const fill = (key: string, value: unknown) => {
    if (mappingValue(next, key) === undefined) next = withMapping(next, key, value) ?? next;
  };
  for (const [key, id] of Object.entries(std.mapped)) fill(key, id);
  for (const sug of suggest(lists, next)) fill(sug.mappingKey, sug.value);
  return next;
}
