import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { forgetDirectory } from "../../worker/shards";

/**
 * Runs before every test file of the worker project: each file starts from empty D1 and KV with the
 * migrations applied. The project reuses one workerd per vitest worker for file after file
 * (`isolate: false` in ../vitest.worker.config.ts: a workerd start and a fresh module graph per file
 * cost more than most files' tests), so what the previous file left behind is cleared here first —
 * the same clean start a workerd of its own gave each file. The second database (DB_SHARD_1, a shard)
 * is cleared and migrated the same way.
 */

/** Empties one database (its tables, not the migrations' record). */
async function clear(db: D1Database): Promise<void> {
  const tables = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  if (tables.results.length === 0) return;
  const hasSequence = await db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first();
  await db.batch([
    db.prepare("PRAGMA defer_foreign_keys = true"),
    ...tables.results.map((t) => db.prepare(`DELETE FROM "${t.name}"`)),
    ...(hasSequence ? [db.prepare("DELETE FROM sqlite_sequence")] : []),
  ]);
}
// and what this isolate remembers of the shard directory
await clear(env.DB);
await clear(env.DB_SHARD_1);
forgetDirectory();
for (let cursor: string | undefined, done = false; !done; ) {
  const page = await env.KV.list(cursor === undefined ? {} : { cursor });
  await Promise.all(page.keys.map((k) => env.KV.delete(k.name)));
  done = page.list_complete;
  cursor = page.list_complete ? undefined : page.cursor;
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.DB_SHARD_1, env.TEST_MIGRATIONS);
