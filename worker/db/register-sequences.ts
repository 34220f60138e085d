/**
 * Register sequences as the stored POS objects show them. The POS lists no past closures
 * (pos-api-notes §1.5), so a sequence nobody announced is known only from its sales' payments,
 * grouped by `register_open_sequence_id`: the backfill rebuilds past closures that way, and
 * discovery finds a closure whose webhook was lost the same way.
 */

const PAYMENT_SEQ =
  "COALESCE(json_extract(p.value, '$._metadata.register_open_sequence_id'), json_extract(p.value, '$.register_open_sequence_id'))";
const PAYMENT_AT = "COALESCE(json_extract(p.value, '$.date'), json_extract(p.value, '$.payment_date'))";
const NOT_VOIDED =
  "COALESCE(json_extract(o.json, '$.state'), '') != 'voided' AND COALESCE(json_extract(o.json, '$.status'), '') != 'VOIDED'";

/** A sequence's payments: the first and last payment's time as the POS wrote it, and where they were taken. */
export interface SequenceSpan {
  seq: string;
  first_at: string;
  last_at: string;
  register_id: string | null;
  outlet_id: string | null;
}

/**
 * The spans of the sequences the stored sales' payments name (voided sales aside): those with
 * payments between `between` (text bounds), or those of `ids`.
 */
export async function sequenceSpans(
  db: D1Database,
  tenantId: string,
  filter: { between: [string, string] } | { ids: readonly string[] },
): Promise<SequenceSpan[]> {
  const byIds = "ids" in filter;
  if (byIds && filter.ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT seq, MIN(at) AS first_at, MAX(at) AS last_at, MAX(register) AS register_id, MAX(outlet) AS outlet_id FROM (
         SELECT ${PAYMENT_SEQ} AS seq, ${PAYMENT_AT} AS at,
           COALESCE(json_extract(p.value, '$.source.register_id'), json_extract(p.value, '$.register_id'), json_extract(o.json, '$.source.register_id'), json_extract(o.json, '$.register_id')) AS register,
           COALESCE(json_extract(p.value, '$.source.outlet_id'), json_extract(p.value, '$.outlet_id'), json_extract(o.json, '$.source.outlet_id'), json_extract(o.json, '$.outlet_id')) AS outlet
         FROM pos_objects AS o, json_each(o.json, '$.payments') AS p
         WHERE o.tenant_id = ?1 AND o.kind = 'sale' AND ${NOT_VOIDED}${byIds ? " AND EXISTS (SELECT 1 FROM json_each(?2) AS w WHERE instr(o.sequence_ids, ',' || w.value || ',') > 0)" : ""})
       WHERE seq IS NOT NULL AND at IS NOT NULL${byIds ? " AND seq IN (SELECT value FROM json_each(?2))" : ""}
       GROUP BY seq${byIds ? "" : " HAVING MAX(at) >= ?2 AND MIN(at) <= ?3"}`,
    )
    .bind(tenantId, ...(byIds ? [JSON.stringify(filter.ids)] : filter.between))
    .all<SequenceSpan>();
  return results;
}

/** The sequences registers have open now (as last polled). */
export async function openSequenceIds(db: D1Database, tenantId: string): Promise<Set<string>> {
  const open = new Set<string>();
  for (const r of (
    await db
      .prepare("SELECT json FROM pos_objects WHERE tenant_id = ?1 AND kind = 'register'")
      .bind(tenantId)
      .all<{ json: string }>()
  ).results) {
    const reg = JSON.parse(r.json) as { is_open?: unknown; register_open_sequence_id?: unknown };
    if (reg.is_open !== false && typeof reg.register_open_sequence_id === "string")
      open.add(reg.register_open_sequence_id);
  }
  return open;
}

/** What polling saw of sequences while they were open (all of them, or those of `ids`). */
export async function seenOpenSequences(
  db: D1Database,
  tenantId: string,
  ids?: readonly string[],
): Promise<Map<string, { sequenceNumber: number | null; openedAt: string | null }>> {
  const seen = new Map<string, { sequenceNumber: number | null; openedAt: string | null }>();
  const stmt = ids
    ? db
        .prepare(
          "SELECT id, json FROM pos_objects WHERE tenant_id = ?1 AND kind = 'open_sequence' AND id IN (SELECT value FROM json_each(?2))",
        )
        .bind(tenantId, JSON.stringify(ids))
    : db.prepare("SELECT id, json FROM pos_objects WHERE tenant_id = ?1 AND kind = 'open_sequence'").bind(tenantId);
  for (const r of (await stmt.all<{ id: string; json: string }>()).results) {
    const info = JSON.parse(r.json) as { sequenceNumber?: number | null; openedAt?: string | null };
    seen.set(r.id, { sequenceNumber: info.sequenceNumber ?? null, openedAt: info.openedAt ?? null });
  }
  return seen;
}

/** Payments between the text bounds `lo`..`hi` that name no register sequence (older API shapes): they cannot be grouped. */
export async function ungroupedPayments(db: D1Database, tenantId: string, lo: string, hi: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM pos_objects AS o, json_each(o.json, '$.payments') AS p
       WHERE o.tenant_id = ?1 AND o.kind = 'sale' AND ${NOT_VOIDED} AND ${PAYMENT_SEQ} IS NULL AND ${PAYMENT_AT} BETWEEN ?2 AND ?3`,
    )
    .bind(tenantId, lo, hi)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A stored sale that may be on account or layby, with its payments as [id, amount as text, when]. */
export interface AccountSaleRow {
  id: string;
  state: string | null;
  attributes: string | null;
  status: string | null;
  sale_date: string | null;
  outlet_id: string | null;
  /** JSON: [[id, amount, at, deleted_at], …] */
  payments: string;
  /** The sale it returns (either API generation's spelling), when it is a return */
  return_for: string | null;
  /** Lines not voided that take something back (a return's, a cancelled layby's cancelling lines) */
  returning_lines: number;
  /** Lines not voided that sell something */
  selling_lines: number;
}

// a line as pos/normalize/sale.ts reads it: voided ones are no part of the sale; a return line says so, or takes back a quantity
const LINE_KEPT = "upper(COALESCE(json_extract(l.value, '$.status'), '')) != 'VOIDED'";
const LINE_RETURNS =
  "COALESCE(json_extract(l.value, '$.is_return'), json_extract(l.value, '$.return.is_return'), CAST(json_extract(l.value, '$.quantity') AS REAL) < 0)";

/**
 * Every stored sale whose attributes or status say on account or layby (either API generation),
 * with what a backfill needs to list its payments and its credits on account without loading it.
 */
export async function accountSales(db: D1Database, tenantId: string): Promise<AccountSaleRow[]> {
  const { results } = await db
    .prepare(
      `SELECT o.id, json_extract(o.json, '$.state') AS state, json_extract(o.json, '$.attributes') AS attributes, json_extract(o.json, '$.status') AS status,
         COALESCE(json_extract(o.json, '$.date'), json_extract(o.json, '$.sale_date')) AS sale_date,
         COALESCE(json_extract(o.json, '$.source.outlet_id'), json_extract(o.json, '$.outlet_id')) AS outlet_id,
         (SELECT json_group_array(json_array(json_extract(p.value, '$.id'), CAST(json_extract(p.value, '$.amount') AS TEXT), ${PAYMENT_AT}, NULLIF(json_extract(p.value, '$.deleted_at'), '')))
            FROM json_each(o.json, '$.payments') AS p) AS payments,
         COALESCE(json_extract(o.json, '$.return.original_sale_id'), json_extract(o.json, '$.return_for')) AS return_for,
         (SELECT COUNT(*) FROM json_each(o.json, '$.line_items') AS l WHERE ${LINE_KEPT} AND ${LINE_RETURNS}) AS returning_lines,
         (SELECT COUNT(*) FROM json_each(o.json, '$.line_items') AS l WHERE ${LINE_KEPT} AND NOT ${LINE_RETURNS}) AS selling_lines
       FROM pos_objects AS o
       WHERE o.tenant_id = ?1 AND o.kind = 'sale' AND (instr(COALESCE(json_extract(o.json, '$.attributes'), ''), 'onaccount') > 0
         OR instr(COALESCE(json_extract(o.json, '$.attributes'), ''), 'layby') > 0
         OR upper(COALESCE(json_extract(o.json, '$.status'), '')) LIKE 'ONACCOUNT%' OR upper(COALESCE(json_extract(o.json, '$.status'), '')) LIKE 'LAYBY%')`,
    )
    .bind(tenantId)
    .all<AccountSaleRow>();
  return results;
}
