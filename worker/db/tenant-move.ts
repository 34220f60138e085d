/**
 * One tenant's rows, out of one D1 database and into another (docs/SCALE.md: the road past one
 * database). `exportTenant` reads every row that belongs to the tenant — its own tables by
 * tenant_id, its backfills' items, and the request windows and counters of its QBO company — and
 * nothing else. `importTenant` writes them into another database, giving the rows that other
 * tables point at (sync items, backfills) fresh ids there and rewriting the pointers; audit lines
 * and mapping changes keep their order. `deleteTenant` removes them from the source once the
 * tenant is served from its new home.
 */

export const TENANT_EXPORT_FORMAT = "tillbridge-tenant/1";

type Row = Record<string, unknown>;

export interface TenantExport {
  format: typeof TENANT_EXPORT_FORMAT;
  tenantId: string;
  /** The QBO companies whose request windows and counters moved with it */
  realmIds: string[];
  tables: Record<string, Row[]>;
}

/**
 * Tables that name a tenant but stay in the home database whatever shard holds the tenant: they are
 * read before the tenant (or its shard) is known. A move leaves them where they are.
 */
export const HOME_TABLES: ReadonlySet<string> = new Set([
  "sessions",
  "oauth_states",
  "session_handoffs",
  "tenant_shards",
  "qbo_realms",
]);

/** Tables keyed by tenant: the column that names it. Order: parents before the rows that point at them. */
const BY_TENANT: [table: string, column: string][] = [
  ["tenants", "id"],
  ["connections", "tenant_id"],
  ["mappings", "tenant_id"],
  ["mapping_changes", "tenant_id"],
  ["cursors", "tenant_id"],
  ["pos_objects", "tenant_id"],
  ["closures", "tenant_id"],
  ["sync_items", "tenant_id"],
  ["audit_log", "tenant_id"],
  ["webhook_events", "tenant_id"],
  ["backfills", "tenant_id"],
  ["drift_docs", "tenant_id"],
  ["revisions", "tenant_id"],
];
/** Tables keyed by the tenant's QBO company (realm id). */
const BY_REALM: [table: string, column: string][] = [
  ["qbo_rate", "realm_id"],
  ["op_counters", "scope"],
];
/** Rows whose id the database gives: new ids in the target, in the old order. */
const FRESH_ID = new Set(["mapping_changes", "audit_log", "sync_items", "backfills"]);

/** Statements per D1 batch while importing or deleting. */
const CHUNK = 50;

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (name: string) => {
  if (!IDENT.test(name)) throw new Error(`not a column name: ${name}`);
  return name;
};

async function realmsOf(db: D1Database, tenantId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT DISTINCT external_id FROM connections WHERE tenant_id = ?1 AND provider = 'qbo' AND external_id IS NOT NULL",
    )
    .bind(tenantId)
    .all<{ external_id: string }>();
  return results.map((r) => r.external_id);
}

/** Every row of the tenant, by table. */
export async function exportTenant(db: D1Database, tenantId: string): Promise<TenantExport> {
  const tables: Record<string, Row[]> = {};
  const realmIds = await realmsOf(db, tenantId);
  const reads: [string, D1PreparedStatement][] = [
    ...BY_TENANT.map(([t, c]): [string, D1PreparedStatement] => [
      t,
      db.prepare(`SELECT * FROM ${t} WHERE ${c} = ?1${FRESH_ID.has(t) ? " ORDER BY id" : ""}`).bind(tenantId),
    ]),
    [
      "backfill_items",
      db
        .prepare(
          "SELECT * FROM backfill_items WHERE backfill_id IN (SELECT id FROM backfills WHERE tenant_id = ?1) ORDER BY backfill_id, seq",
        )
        .bind(tenantId),
    ],
    ...BY_REALM.map(([t, c]): [string, D1PreparedStatement] => [
      t,
      db.prepare(`SELECT * FROM ${t} WHERE ${c} IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(realmIds)),
    ]),
  ];
  const results = await db.batch<Row>(reads.map(([, s]) => s));
  reads.forEach(([t], i) => {
    tables[t] = results[i]!.results;
  });
  return { format: TENANT_EXPORT_FORMAT, tenantId, realmIds, tables };
}

function insert(db: D1Database, table: string, row: Row, verb = "INSERT"): D1PreparedStatement {
  const cols = Object.keys(row).map(ident);
  return db
    .prepare(`${verb} INTO ${ident(table)} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`)
    .bind(...cols.map((c) => row[c] ?? null));
}

async function runChunked(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += CHUNK) await db.batch(statements.slice(i, i + CHUNK));
}

/** New ids, one after the target's largest, in the old ids' order. */
async function freshIds(db: D1Database, table: "sync_items" | "backfills", rows: Row[]): Promise<Map<number, number>> {
  const top = await db.prepare(`SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`).first<{ n: number }>();
  const map = new Map<number, number>();
  for (const [i, r] of rows.entries()) map.set(Number(r.id), (top?.n ?? 0) + 1 + i);
  return map;
}

/** A sync item's id in the target database (ids are the target's own; references follow them). */
const itemIdIn = (items: Map<number, number>, v: unknown) =>
  v === null || v === undefined ? v : (items.get(Number(v)) ?? v);

/** A row as the target database holds it: its own ids, and its references to items following them. */
function withTargetIds(
  table: string,
  row: Row,
  { items, backfills }: { items: Map<number, number>; backfills: Map<number, number> },
): Row {
  let out: Row = { ...row };
  if (table === "sync_items") out.id = items.get(Number(row.id));
  else if (table === "backfills") out.id = backfills.get(Number(row.id));
  else if (FRESH_ID.has(table)) {
    const { id: _old, ...rest } = out;
    out = rest;
  }
  if (table === "drift_docs") out.item_id = itemIdIn(items, row.item_id);
  if (table === "revisions") out.from_item_id = itemIdIn(items, row.from_item_id);
  return out;
}

/**
 * Writes an export into `db`. Refuses a tenant the database already holds. A failure part-way
 * leaves rows of this tenant only (deleteTenant clears them before trying again).
 */
export async function importTenant(db: D1Database, data: TenantExport): Promise<void> {
  if (data.format !== TENANT_EXPORT_FORMAT) throw new Error(`not a tenant export: ${String(data.format)}`);
  const held = await db.prepare("SELECT 1 AS n FROM tenants WHERE id = ?1").bind(data.tenantId).first();
  if (held) throw new Error(`tenant ${data.tenantId} is already in the target database`);
  const items = await freshIds(db, "sync_items", data.tables.sync_items ?? []);
  const backfills = await freshIds(db, "backfills", data.tables.backfills ?? []);
  const ids = { items, backfills };
  const statements: D1PreparedStatement[] = [];
  for (const [table] of BY_TENANT)
    for (const row of data.tables[table] ?? []) statements.push(insert(db, table, withTargetIds(table, row, ids)));
  for (const row of data.tables.backfill_items ?? [])
    statements.push(
      insert(db, "backfill_items", {
        ...row,
        backfill_id: backfills.get(Number(row.backfill_id)) ?? row.backfill_id,
        sync_item_id: itemIdIn(items, row.sync_item_id),
      }),
    );
  // request windows and counters of the company: the larger count wins where the target has some
  for (const [table] of BY_REALM)
    for (const row of data.tables[table] ?? []) statements.push(insert(db, table, row, "INSERT OR REPLACE"));
  await runChunked(db, statements);
}

/** How many rows of the tenant the database holds, by table (the same selection as the export). */
export async function countTenantRows(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  const data = await exportTenant(db, tenantId);
  return Object.fromEntries(Object.entries(data.tables).map(([t, rows]) => [t, rows.length]));
}

/** Removes every row of the tenant (and of its QBO companies' windows and counters) from `db`. */
export async function deleteTenant(db: D1Database, tenantId: string, realmIds?: string[]): Promise<void> {
  const realms = realmIds ?? (await realmsOf(db, tenantId));
  const statements = [
    db
      .prepare("DELETE FROM backfill_items WHERE backfill_id IN (SELECT id FROM backfills WHERE tenant_id = ?1)")
      .bind(tenantId),
    ...[...BY_TENANT].reverse().map(([t, c]) => db.prepare(`DELETE FROM ${t} WHERE ${c} = ?1`).bind(tenantId)),
    ...BY_REALM.map(([t, c]) =>
      db.prepare(`DELETE FROM ${t} WHERE ${c} IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(realms)),
    ),
  ];
  await db.batch(statements);
}

/** The tenant's rows changed in the source while they were copied: the copy is stale (cleared). */
export class SourceChanged extends Error {
  override name = "SourceChanged";
}

const sameRows = (a: TenantExport, b: TenantExport) => JSON.stringify(a.tables) === JSON.stringify(b.tables);

/**
 * Moves a tenant from `from` to `to`: export, import, check that every table holds the same number
 * of the tenant's rows in both and that nothing of the tenant's changed in `from` meanwhile
 * (SourceChanged: the copy is cleared; try again once its work has stopped), then (after
 * `switchOver`, which points the tenant at its new database) delete it from `from`. A failed import
 * is cleared from `to` and `from` is untouched. Rows that changed in `from` after the check, before
 * the switch took effect, are not deleted (`sourceKept`): a person compares them.
 */
export async function moveTenant(
  from: D1Database,
  to: D1Database,
  tenantId: string,
  switchOver: () => Promise<void> = async () => {},
): Promise<{ rows: Record<string, number>; sourceKept: boolean }> {
  const data = await exportTenant(from, tenantId);
  if ((data.tables.tenants ?? []).length !== 1) throw new Error(`no tenant ${tenantId} in the source database`);
  try {
    await importTenant(to, data);
    const there = await countTenantRows(to, tenantId);
    for (const [t, rows] of Object.entries(data.tables))
      if ((there[t] ?? 0) < rows.length) throw new Error(`${t}: ${there[t] ?? 0} of ${rows.length} rows arrived`);
    if (!sameRows(await exportTenant(from, tenantId), data))
      throw new SourceChanged(`tenant ${tenantId}'s rows changed while they were copied`);
  } catch (e) {
    // a tenant already in the target is someone's: left alone; a partial or stale import is cleared
    if (!(e instanceof Error && /already in the target/.test(e.message)))
      await deleteTenant(to, tenantId, data.realmIds);
    throw e;
  }
  await switchOver();
  const rows = Object.fromEntries(Object.entries(data.tables).map(([t, r]) => [t, r.length]));
  if (!sameRows(await exportTenant(from, tenantId), data)) return { rows, sourceKept: true };
  await deleteTenant(from, tenantId, data.realmIds);
  return { rows, sourceKept: false };
}
