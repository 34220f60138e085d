/**
 * POS payloads Tillbridge keeps to build postings (table `pos_objects`): the raw JSON of each sale,
 * register, purchase order… as last read, newest version wins. Sales carry `sequence_ids`
 * (",seq1,seq2,") — the register open sequences (closures) their payments and completion touch — so a
 * closure's sales are one query. A sale without any sequence id (older API shapes) is filed under
 * ",@<registerId>," and the closure mapper places it by time.
 */

export type PosObjectKind =
  | "sale"
  | "register"
  | "purchase_order"
  | "consignment"
  | "stock_adjustment"
  | "product"
  | "customer"
  | "open_sequence";

export interface StoredObject {
  id: string;
  version: string;
  sequenceIds: string[];
  json: unknown;
  updatedAt: string;
}

interface Row {
  id: string;
  version: string;
  sequence_ids: string;
  json: string;
  updated_at: string;
}

const toStored = (r: Row): StoredObject => ({
  id: r.id,
  version: r.version,
  sequenceIds: r.sequence_ids.split(",").filter(Boolean),
  json: JSON.parse(r.json) as unknown,
  updatedAt: r.updated_at,
});

export const sequenceKey = (ids: Iterable<string>): string => {
  const list = [...new Set(ids)].filter(Boolean);
  return list.length ? `,${list.join(",")},` : "";
};

/** Stores an object unless a newer version is already stored (versions compare as 64-bit integers). */
export function upsertObjectStatement(
  db: D1Database,
  tenantId: string,
  kind: PosObjectKind,
  o: { id: string; version: string; sequenceIds?: Iterable<string>; json: unknown },
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO pos_objects (tenant_id, kind, id, version, sequence_ids, json, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (tenant_id, kind, id) DO UPDATE SET version = excluded.version, sequence_ids = excluded.sequence_ids,
         json = excluded.json, updated_at = excluded.updated_at
       WHERE CAST(excluded.version AS INTEGER) >= CAST(pos_objects.version AS INTEGER)`,
    )
    .bind(tenantId, kind, o.id, o.version, sequenceKey(o.sequenceIds ?? []), JSON.stringify(o.json), now.toISOString());
}

export async function getObject(
  db: D1Database,
  tenantId: string,
  kind: PosObjectKind,
  id: string,
): Promise<StoredObject | null> {
  const row = await db
    .prepare(
      "SELECT id, version, sequence_ids, json, updated_at FROM pos_objects WHERE tenant_id = ?1 AND kind = ?2 AND id = ?3",
    )
    .bind(tenantId, kind, id)
    .first<Row>();
  return row ? toStored(row) : null;
}

/** Objects of a kind by id (absent ids are left out). */
export async function getObjects(
  db: D1Database,
  tenantId: string,
  kind: PosObjectKind,
  ids: readonly string[],
): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const marks = chunk.map((_, k) => `?${k + 3}`).join(",");
    const { results } = await db
      .prepare(
        `SELECT id, version, sequence_ids, json, updated_at FROM pos_objects WHERE tenant_id = ?1 AND kind = ?2 AND id IN (${marks})`,
      )
      .bind(tenantId, kind, ...chunk)
      .all<Row>();
    out.push(...results.map(toStored));
  }
  return out;
}

export async function allObjects(db: D1Database, tenantId: string, kind: PosObjectKind): Promise<StoredObject[]> {
  const { results } = await db
    .prepare(
      "SELECT id, version, sequence_ids, json, updated_at FROM pos_objects WHERE tenant_id = ?1 AND kind = ?2 ORDER BY id",
    )
    .bind(tenantId, kind)
    .all<Row>();
  return results.map(toStored);
}

/** The stored sales that return this one (either API generation's spelling), voided ones too. */
export async function returnsOf(db: D1Database, tenantId: string, saleId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale'
         AND COALESCE(json_extract(json, '$.return.original_sale_id'), json_extract(json, '$.return_for')) = ?2 ORDER BY id`,
    )
    .bind(tenantId, saleId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The objects filed under any of these sequence keys (a closure id, or "@<registerId>"). */
export async function objectsOfSequences(
  db: D1Database,
  tenantId: string,
  kind: PosObjectKind,
  keys: readonly string[],
): Promise<StoredObject[]> {
  if (!keys.length) return [];
  const likes = keys.map((_, k) => `instr(sequence_ids, ?${k + 3}) > 0`).join(" OR ");
  const { results } = await db
    .prepare(
      `SELECT id, version, sequence_ids, json, updated_at FROM pos_objects WHERE tenant_id = ?1 AND kind = ?2 AND (${likes}) ORDER BY id`,
    )
    .bind(tenantId, kind, ...keys.map((k) => `,${k},`))
    .all<Row>();
  return results.map(toStored);
}

/** A stored sale as discovery reads it: its version, sequences and the fields that classify it. */
export interface SaleChangeRow {
  id: string;
  version: string;
  sequence_ids: string;
  state: unknown;
  attributes: unknown;
  status: unknown;
}

/** Stored sales with a version above `fromVersion`, in version order, `limit` at most. */
export async function salesAfter(
  db: D1Database,
  tenantId: string,
  fromVersion: string,
  limit: number,
): Promise<SaleChangeRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, version, sequence_ids, json_extract(json, '$.state') AS state, json_extract(json, '$.attributes') AS attributes, json_extract(json, '$.status') AS status
       FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale' AND CAST(version AS INTEGER) > CAST(?2 AS INTEGER)
       ORDER BY CAST(version AS INTEGER) LIMIT ?3`,
    )
    .bind(tenantId, fromVersion, limit)
    .all<SaleChangeRow>();
  return results;
}

/**
 * Categories whose stored products are all the gift-card product(s) or the discount product: no
 * sale line posts through them (gift cards sold are a liability, the discount line nets out).
 */
export async function categoriesOnlyForNonPosting(
  db: D1Database,
  tenantId: string,
  discountProductId: string | null,
): Promise<Set<string>> {
  const { results } = await db
    .prepare(
      `SELECT json_extract(json, '$.categoryId') AS category FROM pos_objects
       WHERE tenant_id = ?1 AND kind = 'product' AND json_extract(json, '$.categoryId') IS NOT NULL
       GROUP BY category
       HAVING SUM(CASE WHEN json_extract(json, '$.giftCard') = 1 OR id = ?2 THEN 0 ELSE 1 END) = 0`,
    )
    .bind(tenantId, discountProductId)
    .all<{ category: string }>();
  return new Set(results.map((r) => r.category));
}
