import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { currentItem } from "../../../worker/db/sync-items";
import {
  countTenantRows,
  exportTenant,
  HOME_TABLES,
  importTenant,
  moveTenant,
  type TenantExport,
} from "../../../worker/db/tenant-move";
import { runBackfillStep } from "../../../worker/sync/backfill/run";
import { checkDrift } from "../../../worker/sync/drift";
import { closeARegister } from "../faults/support";
import { createStack, TENANT, type Stack } from "../support/stack";

/**
 * docs/SCALE.md's migration path: a tenant's data leaves one D1 database for another — every row
 * of it (its own tables, its backfills' items, its QBO company's request windows), nothing of
 * another tenant's, with the rows that point at each other still pointing at each other.
 */
const OTHER = "other-shop";
let stack: Stack;
let before: TenantExport;

/** The same export as another tenant (another POS store, another QBO company). */
function asOther(data: TenantExport): TenantExport {
  const rename = (rows: Record<string, unknown>[], table: string) =>
    rows.map((r) => {
      const out = { ...r };
      if ("tenant_id" in out) out.tenant_id = OTHER;
      if (table === "tenants") out.id = OTHER;
      if (table === "connections" && out.provider === "qbo") out.external_id = "9999000011112222";
      if (table === "sync_items") out.idem_key = `${String(out.idem_key)}-other`;
      if (table === "sessions") out.token_hash = `${String(out.token_hash)}-other`;
      if (table === "oauth_states" || table === "session_handoffs")
        for (const k of Object.keys(out))
          if (/hash|state|code/.test(k) && typeof out[k] === "string") out[k] = `${out[k]}-o`;
      return out;
    });
  const tables = Object.fromEntries(
    Object.entries(data.tables)
      .filter(([t]) => t !== "qbo_rate" && t !== "op_counters")
      .map(([t, rows]) => [t, rename(rows, t)]),
  );
  return { ...data, tenantId: OTHER, realmIds: [], tables };
}

beforeAll(async () => {
  await applyD1Migrations(env.DB_SHARD_1, env.TEST_MIGRATIONS);
  stack = await createStack({ days: 2 });
  // a tenant with some history: closures posted, a backfill under way, documents read back
  await closeARegister(stack);
  await closeARegister(stack);
  const started = await stack.api("/api/backfill", {
    body: { from: stack.now().toISOString().slice(0, 10), to: stack.now().toISOString().slice(0, 10) },
  });
  expect(started.status).toBe(200);
  await stack.settle();
  await runBackfillStep(stack.services(), TENANT, { maxItems: 1 });
  stack.advance(20 * 60_000);
  await checkDrift(stack.services(), TENANT);
  before = await exportTenant(env.DB, TENANT);
  await importTenant(env.DB, asOther(before));
}, 180_000);

describe("moving a tenant to another D1 database", () => {
  it("takes every row of the tenant, and nothing of another tenant's", { timeout: 120_000 }, async () => {
    const counts = (data: TenantExport) =>
      Object.fromEntries(Object.entries(data.tables).map(([t, r]) => [t, r.length]));
    const expected = counts(before);
    for (const t of [
      "tenants",
      "connections",
      "sync_items",
      "audit_log",
      "pos_objects",
      "closures",
      "backfills",
      "backfill_items",
      "drift_docs",
      "mappings",
      "qbo_rate",
    ])
      expect(expected[t], `${t} has rows to move`).toBeGreaterThan(0);
    // every table that names a tenant is part of the move (a table added later must be added there too),
    // or one of the home database's, which stay where they are
    const { results: tenantTables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%tenant_id%'",
    ).all<{ name: string }>();
    expect(tenantTables.length).toBeGreaterThan(10);
    for (const { name } of tenantTables) expect([...Object.keys(before.tables), ...HOME_TABLES], name).toContain(name);
    for (const t of HOME_TABLES) expect(Object.keys(before.tables)).not.toContain(t);
    const otherBefore = await countTenantRows(env.DB, OTHER);

    const { rows } = await moveTenant(env.DB, env.DB_SHARD_1, TENANT);
    expect(rows).toEqual(expected);

    // the target holds exactly the tenant's rows; the source none of them; the other tenant is untouched
    expect(await countTenantRows(env.DB_SHARD_1, TENANT)).toEqual(expected);
    expect(Object.values(await countTenantRows(env.DB, TENANT)).every((n) => n === 0)).toBe(true);
    expect(await countTenantRows(env.DB, OTHER)).toEqual(otherBefore);
    expect(Object.values(await countTenantRows(env.DB_SHARD_1, OTHER)).every((n) => n === 0)).toBe(true);
    const strangers = await env.DB_SHARD_1.prepare("SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id != ?1")
      .bind(TENANT)
      .first<{ n: number }>();
    expect(strangers?.n).toBe(0);

    // same content, ids aside; pointers between rows still meet
    const after = await exportTenant(env.DB_SHARD_1, TENANT);
    const withoutIds = (rows: Record<string, unknown>[]) =>
      rows.map(({ id: _id, item_id: _i, from_item_id: _f, backfill_id: _b, sync_item_id: _s, ...rest }) => rest);
    for (const t of Object.keys(before.tables))
      expect(withoutIds(after.tables[t]!), t).toEqual(withoutIds(before.tables[t]!));
    const itemIds = new Set(after.tables.sync_items!.map((r) => r.id));
    for (const d of after.tables.drift_docs!) expect(itemIds.has(d.item_id)).toBe(true);
    const backfillIds = new Set(after.tables.backfills!.map((r) => r.id));
    for (const b of after.tables.backfill_items!) {
      expect(backfillIds.has(b.backfill_id)).toBe(true);
      if (b.sync_item_id !== null) expect(itemIds.has(b.sync_item_id)).toBe(true);
    }
    // the engine reads it there as it did here
    const closure = before.tables.sync_items!.find((r) => r.kind === "closure" && r.state === "posted")!;
    const moved = await currentItem(env.DB_SHARD_1, TENANT, "closure", String(closure.pos_id));
    expect(moved?.state).toBe("posted");
    expect(moved?.docs_json).toBe(closure.docs_json);
  });

  it("refuses to overwrite a tenant the target already holds, and leaves both databases as they were", async () => {
    const inShard = await countTenantRows(env.DB_SHARD_1, TENANT);
    await importTenant(env.DB, before);
    await expect(moveTenant(env.DB, env.DB_SHARD_1, TENANT)).rejects.toThrow(/already in the target/);
    expect(await countTenantRows(env.DB_SHARD_1, TENANT)).toEqual(inShard);
    expect(Object.values(await countTenantRows(env.DB, TENANT)).some((n) => n > 0)).toBe(true);
  });
});
