import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { World } from "./world";

/**
 * "Nothing else lost": a picture of everything Tillbridge keeps — every D1 table, row by row, per
 * tenant, the KV cache, and the documents each QBO company holds — taken before and after a hostile
 * request, and compared. Session expiry sliding on use is the one change any authenticated request
 * may make, so those two columns are left out; so are the rate limiter's own counters.
 */

const TABLES: Record<string, string> = {
  tenants: "id",
  connections: "tenant_id, provider",
  sessions: "token_hash",
  oauth_states: "state_hash",
  session_handoffs: "code_hash",
  mappings: "tenant_id",
  mapping_changes: "id",
  cursors: "tenant_id, resource",
  pos_objects: "tenant_id, kind, id",
  closures: "tenant_id, id",
  sync_items: "id",
  audit_log: "id",
  webhook_events: "tenant_id, event_hash",
  backfills: "id",
  backfill_items: "backfill_id, kind, pos_id",
  drift_docs: "tenant_id, entity, qbo_id",
  revisions: "tenant_id, kind, pos_id, from_item_id",
  qbo_rate: "realm_id, window_start",
  op_counters: "scope, name, hour",
};

const VOLATILE: Record<string, string[]> = { sessions: ["last_seen_at", "expires_at"] };

type Row = Record<string, unknown>;
export interface Picture {
  /** table → tenant (or "-") → rows */
  d1: Record<string, Record<string, Row[]>>;
  kv: Record<string, string | null>;
  /** realm → entity → documents */
  qbo: Record<string, Record<string, unknown[]>>;
}

const tenantOf = (table: string, row: Row): string => {
  if (table === "tenants") return String(row.id);
  // a QBO company's request budget and counters: its realm stands for its tenant
  if (table === "qbo_rate") return `realm:${String(row.realm_id)}`;
  if (table === "op_counters") return `realm:${String(row.scope)}`;
  if (typeof row.tenant_id === "string") return row.tenant_id;
  return "-";
};

export const QBO_ENTITIES = [
  "SalesReceipt",
  "RefundReceipt",
  "JournalEntry",
  "Invoice",
  "Payment",
  "CreditMemo",
  "Bill",
  "Customer",
  "Vendor",
  "Item",
  "Account",
];

export async function picture(world: Pick<World, "qbo">): Promise<Picture> {
  const d1: Picture["d1"] = {};
  const statements = Object.entries(TABLES).map(([t, order]) =>
    env.DB.prepare(`SELECT * FROM ${t}${t === "op_counters" ? " WHERE name != 'rate_limit'" : ""} ORDER BY ${order}`),
  );
  const results = await env.DB.batch<Row>(statements);
  Object.keys(TABLES).forEach((table, i) => {
    const byTenant: Record<string, Row[]> = {};
    for (const raw of results[i]!.results) {
      const row = { ...raw };
      for (const col of VOLATILE[table] ?? []) delete row[col];
      (byTenant[tenantOf(table, row)] ??= []).push(row);
    }
    d1[table] = byTenant;
  });
  const kv: Picture["kv"] = {};
  for (const k of (await env.KV.list()).keys) kv[k.name] = await env.KV.get(k.name);
  const qbo: Picture["qbo"] = {};
  for (const realm of Object.values(world.qbo.realms)) {
    qbo[realm] = Object.fromEntries(QBO_ENTITIES.map((e) => [e, world.qbo.entities(realm, e)]));
  }
  return { d1, kv, qbo };
}

/** What differs between two pictures, as "table/tenant" and "qbo/realm/entity" names (empty: nothing). */
export function differences(
  before: Picture,
  after: Picture,
  ignore: (where: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  for (const table of Object.keys(TABLES)) {
    const tenants = new Set([...Object.keys(before.d1[table] ?? {}), ...Object.keys(after.d1[table] ?? {})]);
    for (const t of tenants) {
      const where = `${table}/${t}`;
      if (!ignore(where) && !same(before.d1[table]?.[t], after.d1[table]?.[t])) out.push(where);
    }
  }
  const keys = new Set([...Object.keys(before.kv), ...Object.keys(after.kv)]);
  for (const k of keys) if (!ignore(`kv/${k}`) && before.kv[k] !== after.kv[k]) out.push(`kv/${k}`);
  for (const realm of Object.keys(before.qbo)) {
    for (const entity of QBO_ENTITIES) {
      const where = `qbo/${realm}/${entity}`;
      if (!ignore(where) && !same(before.qbo[realm]?.[entity], after.qbo[realm]?.[entity])) out.push(where);
    }
  }
  return out;
}

/** Everything unchanged (or only what `ignore` names). */
export function expectUnchanged(before: Picture, after: Picture, ignore?: (where: string) => boolean): void {
  expect(differences(before, after, ignore), "data changed by a request that must change nothing").toEqual([]);
}

/** Only tenant `id`'s rows and company may differ: every other tenant's data, jobs and books are as they were. */
export function othersOnly(world: World, id: string): (where: string) => boolean {
  const realm = world.a.id === id ? world.a.realmId : world.b.realmId;
  return (where) =>
    where.endsWith(`/${id}`) ||
    where.endsWith(`/realm:${realm}`) ||
    where.startsWith(`qbo/${realm}/`) ||
    where.startsWith("kv/cron:") ||
    (where.startsWith("kv/") && where.slice(3).split(/[:/|]/).includes(id));
}

/**
 * A cron run reads every tenant's POS and QBO: that tenant's cursors, cached POS objects, KV caches
 * and QBO request budget move without anything it owns changing (its items, closures, mappings,
 * connections, audit trail and books stay as they were).
 */
export function readingOf(world: World, id: string): (where: string) => boolean {
  const realm = world.a.id === id ? world.a.realmId : world.b.realmId;
  const own = new Set([`cursors/${id}`, `pos_objects/${id}`, `qbo_rate/realm:${realm}`]);
  return (where) => own.has(where) || (where.startsWith("kv/") && where.slice(3).split(/[:/|]/).includes(id));
}
