import type { ClosureRecord, ClosureRecordPayment } from "../pos/mappers/closure";

/**
 * Register closures as announced by the POS (webhook `register_closure.create`) or discovered by
 * register polling, with their counted totals. Counted figures come from two places only — the
 * webhook and the back office's closure summary page (read by the extension) — and the webhook's
 * are never overwritten: a later webhook for the same closure changes nothing, and back-office
 * figures are accepted only while the counted totals are unknown.
 */

interface Row {
  id: string;
  register_id: string;
  outlet_id: string | null;
  sequence_number: number | null;
  opened_at: string | null;
  closed_at: string | null;
  payments_json: string | null;
  counted_source: "webhook" | "backoffice" | "assumed" | null;
  discovered_via: "webhook" | "poll" | "backfill";
  created_at: string;
}

const toRecord = (r: Row): ClosureRecord => ({
  id: r.id,
  registerId: r.register_id,
  outletId: r.outlet_id,
  sequenceNumber: r.sequence_number,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  payments: r.payments_json ? (JSON.parse(r.payments_json) as ClosureRecordPayment[]) : null,
  countedSource: r.counted_source,
  discoveredVia: r.discovered_via,
});

export interface AnnouncedClosure {
  id: string;
  registerId: string;
  outletId: string | null;
  sequenceNumber: number | null;
  openedAt: string;
  closedAt: string;
  payments: ClosureRecordPayment[];
}

/**
 * Records a closure from its webhook. A closure first found by polling takes the webhook's figures
 * (they replace back-office ones: the POS's own word); one already announced with counted figures
 * keeps its first figures, and a webhook without counted figures never replaces counted ones.
 * Returns whether anything changed.
 */
export async function recordAnnouncedClosure(
  db: D1Database,
  tenantId: string,
  c: AnnouncedClosure,
  now: Date,
): Promise<boolean> {
  const res = await announcedClosureStatement(db, tenantId, c, now).run();
  return res.meta.changes === 1;
}

export function announcedClosureStatement(
  db: D1Database,
  tenantId: string,
  c: AnnouncedClosure,
  now: Date,
): D1PreparedStatement {
  // A webhook without counted figures leaves them unknown, for the back office page to fill.
  const countedKnown = c.payments.length > 0 && c.payments.every((p) => p.countedMinor !== null);
  return db
    .prepare(
      `INSERT INTO closures (tenant_id, id, register_id, outlet_id, sequence_number, opened_at, closed_at, payments_json, counted_source, discovered_via, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, 'webhook', ?9, ?9)
       ON CONFLICT (tenant_id, id) DO UPDATE SET register_id = excluded.register_id, outlet_id = COALESCE(excluded.outlet_id, closures.outlet_id),
         sequence_number = COALESCE(excluded.sequence_number, closures.sequence_number), opened_at = excluded.opened_at,
         closed_at = excluded.closed_at, payments_json = excluded.payments_json,
         counted_source = COALESCE(excluded.counted_source, closures.counted_source), updated_at = excluded.updated_at
       WHERE closures.counted_source IS NOT 'webhook' AND (excluded.counted_source IS NOT NULL OR closures.counted_source IS NULL)`,
    )
    .bind(
      tenantId,
      c.id,
      c.registerId,
      c.outletId,
      c.sequenceNumber,
      c.openedAt,
      c.closedAt,
      JSON.stringify(c.payments),
      now.toISOString(),
      countedKnown ? "webhook" : null,
    );
}

/**
 * Records a closure found by register polling, counted totals unknown (`expected` figures when the
 * POS's payments summary still described it). False if it was already known.
 */
export async function recordPolledClosure(
  db: D1Database,
  tenantId: string,
  c: {
    id: string;
    registerId: string;
    outletId: string | null;
    sequenceNumber: number | null;
    openedAt: string | null;
    closedAt: string | null;
  },
  now: Date,
  expected: ClosureRecordPayment[] | null = null,
): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO closures (tenant_id, id, register_id, outlet_id, sequence_number, opened_at, closed_at, payments_json, counted_source, discovered_via, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, NULL, 'poll', ?8, ?8)
       ON CONFLICT (tenant_id, id) DO NOTHING`,
    )
    .bind(
      tenantId,
      c.id,
      c.registerId,
      c.outletId,
      c.sequenceNumber,
      c.openedAt,
      c.closedAt,
      now.toISOString(),
      expected ? JSON.stringify(expected.map((p) => ({ ...p, countedMinor: null }))) : null,
    )
    .run();
  return res.meta.changes === 1;
}

/**
 * Counted totals read from the back office, accepted only while the closure's counted totals are
 * unknown. Expected figures are not on that page: they stay null (computed from the sequence's
 * payments). Returns whether they were stored.
 */
export async function recordBackofficeCounted(
  db: D1Database,
  tenantId: string,
  id: string,
  payments: ClosureRecordPayment[],
  sequenceNumber: number | null,
  now: Date,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE closures SET payments_json = ?3, counted_source = 'backoffice', sequence_number = COALESCE(sequence_number, ?4), updated_at = ?5
       WHERE tenant_id = ?1 AND id = ?2 AND counted_source IS NULL`,
    )
    .bind(tenantId, id, JSON.stringify(payments), sequenceNumber, now.toISOString())
    .run();
  return res.meta.changes === 1;
}

export async function getClosureRecord(db: D1Database, tenantId: string, id: string): Promise<ClosureRecord | null> {
  const row = await db
    .prepare("SELECT * FROM closures WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<Row>();
  return row ? toRecord(row) : null;
}

export async function listClosures(
  db: D1Database,
  tenantId: string,
  opts: { registerId?: string; limit?: number } = {},
): Promise<ClosureRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM closures WHERE tenant_id = ?1 AND (?2 IS NULL OR register_id = ?2)
       ORDER BY COALESCE(closed_at, created_at) DESC LIMIT ?3`,
    )
    .bind(tenantId, opts.registerId ?? null, opts.limit ?? 1000)
    .all<Row>();
  return results.map(toRecord);
}

/** When each known closure of a tenant opened, and where (the backfill dates them by it). */
export interface ClosureOpening {
  id: string;
  register_id: string;
  outlet_id: string | null;
  opened_at: string | null;
  sequence_number: number | null;
}

export async function closureOpenings(db: D1Database, tenantId: string): Promise<ClosureOpening[]> {
  const { results } = await db
    .prepare("SELECT id, register_id, outlet_id, opened_at, sequence_number FROM closures WHERE tenant_id = ?1")
    .bind(tenantId)
    .all<ClosureOpening>();
  return results;
}

/**
 * A past closure no webhook or poll announced, rebuilt by the backfill from its sales' payments
 * (counted totals unknown). Nothing happens if it is known already.
 */
export function rebuiltClosureStatement(
  db: D1Database,
  tenantId: string,
  c: {
    id: string;
    registerId: string;
    outletId: string | null;
    sequenceNumber: number | null;
    openedAt: string;
    closedAt: string;
  },
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO closures (tenant_id, id, register_id, outlet_id, sequence_number, opened_at, closed_at, payments_json, counted_source, discovered_via, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, 'backfill', ?8, ?8) ON CONFLICT (tenant_id, id) DO NOTHING`,
    )
    .bind(tenantId, c.id, c.registerId, c.outletId, c.sequenceNumber, c.openedAt, c.closedAt, now.toISOString());
}

/**
 * Counted = expected, by the merchant's choice for a backfill, for a closure whose counted totals
 * were never given (`counted_source = 'assumed'`). False when they are known meanwhile.
 */
export async function storeAssumedCounted(
  db: D1Database,
  tenantId: string,
  id: string,
  payments: ClosureRecordPayment[],
  now: Date,
): Promise<boolean> {
  const res = await db
    .prepare(
      "UPDATE closures SET payments_json = ?3, counted_source = 'assumed', updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2 AND counted_source IS NULL",
    )
    .bind(tenantId, id, JSON.stringify(payments), now.toISOString())
    .run();
  return (res.meta.changes ?? 0) === 1;
}
