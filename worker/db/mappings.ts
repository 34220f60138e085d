import { TillbridgeError } from "../../shared/errors";
import { emptyMappings, Mappings } from "../../shared/mappings";
import type { MappingsDocument } from "../../shared/api";
import { auditStatement } from "./audit";

/** A tenant's mappings (version 0 = nothing saved yet). Stored JSON is validated when read. */
export async function getMappings(db: D1Database, tenantId: string): Promise<MappingsDocument> {
  const row = await db
    .prepare("SELECT version, json, updated_at, updated_by FROM mappings WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<{ version: number; json: string; updated_at: string; updated_by: string }>();
  if (!row) return { version: 0, mappings: emptyMappings() };
  return {
    version: row.version,
    mappings: Mappings.parse(JSON.parse(row.json)),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/**
 * Saves a new version if `expectedVersion` is still current (two people editing at once: the
 * second gets a conflict instead of silently overwriting). Every change is kept with before/after.
 */
export async function saveMappings(
  db: D1Database,
  tenantId: string,
  expectedVersion: number,
  next: Mappings,
  actor: string,
  now: Date,
): Promise<MappingsDocument> {
  const current = await getMappings(db, tenantId);
  if (current.version !== expectedVersion) {
    throw new TillbridgeError("conflict", `mappings are at version ${current.version}, not ${expectedVersion}`);
  }
  const version = expectedVersion + 1;
  const at = now.toISOString();
  const after = JSON.stringify(Mappings.parse(next));
  const write =
    expectedVersion === 0
      ? db.prepare(
          "INSERT INTO mappings (tenant_id, version, json, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant_id) DO NOTHING",
        )
      : db.prepare(
          "UPDATE mappings SET version = ?2, json = ?3, updated_at = ?4, updated_by = ?5 WHERE tenant_id = ?1 AND version = ?2 - 1",
        );
  const [res] = await db.batch([
    write.bind(tenantId, version, after, at, actor),
    db
      .prepare(
        "INSERT INTO mapping_changes (tenant_id, version, before_json, after_json, actor, at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE changes() = 1",
      )
      .bind(tenantId, version, JSON.stringify(current.mappings), after, actor, at),
  ]);
  if ((res?.meta.changes ?? 0) !== 1)
    throw new TillbridgeError("conflict", "mappings changed while saving; reload and try again");
  await auditStatement(db, { tenantId, actor, action: "mapping", detail: `version ${version}` }, now).run();
  return { version, mappings: Mappings.parse(JSON.parse(after)), updatedAt: at, updatedBy: actor };
}

export async function mappingChanges(db: D1Database, tenantId: string, limit = 50) {
  const { results } = await db
    .prepare(
      "SELECT version, before_json, after_json, actor, at FROM mapping_changes WHERE tenant_id = ?1 ORDER BY version DESC LIMIT ?2",
    )
    .bind(tenantId, limit)
    .all<{ version: number; before_json: string; after_json: string; actor: string; at: string }>();
  return results;
}
