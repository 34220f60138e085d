import { z } from "zod";
import { About } from "../../shared/errors";
import { PostedDoc, type ObjectKind, type ObjectRef } from "../../shared/sync";
import type { Outcome } from "../sync/policy";

/** A sync item: one POS object version on its way to QBO. Rows validated when read back. */
export const SyncItemRow = z.object({
  id: z.number().int(),
  tenant_id: z.string(),
  kind: z.string(),
  pos_id: z.string(),
  pos_version: z.string(),
  state: z.enum(["ready", "posting", "posted", "blocked", "failed", "rejected", "not_applicable", "superseded"]),
  reason_code: z.string().nullable(),
  reason_detail: z.string().nullable(),
  /** JSON `About[]`: what the reason is about, for each language to word; NULL on older rows (read with reasonAbout) */
  reason_about: z.string().nullable().default(null),
  blocked_on: z.string().nullable(),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  lease_owner: z.string().nullable(),
  lease_until: z.string().nullable(),
  idem_key: z.string(),
  docs_json: z.string(),
  txn_date: z.string().nullable(),
  amount_minor: z.number().int().nullable(),
  mapping_version: z.number().int().nullable(),
  payload_hash: z.string().nullable(),
  txn_date_override: z.string().nullable().default(null),
  sends: z.number().int().default(0),
  request_gen: z.number().int().default(0),
  created_at: z.string(),
  updated_at: z.string(),
  posted_at: z.string().nullable(),
});
export type SyncItemRow = z.infer<typeof SyncItemRow>;

export const docsOf = (row: Pick<SyncItemRow, "docs_json">): PostedDoc[] =>
  z.array(PostedDoc).parse(JSON.parse(row.docs_json));

const parseRow = (r: unknown) => SyncItemRow.parse(r);

const Abouts = z.array(About).max(1000);

/**
 * What an item's reason is about, validated; undefined when the row holds none (a row written before
 * the column, a reason about no mapping) or something unreadable — its English detail then says it.
 */
export function reasonAbout(row: Pick<SyncItemRow, "reason_about">): About[] | undefined {
  if (!row.reason_about) return undefined;
  try {
    const parsed = Abouts.safeParse(JSON.parse(row.reason_about));
    return parsed.success && parsed.data.length > 0 ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface NewItem {
  tenantId: string;
  kind: ObjectKind;
  posId: string;
  posVersion: string;
  idemKey: string;
  state?: "ready" | "blocked";
  blockedOn?: string;
  reasonCode?: string;
  reasonDetail?: string;
}

/** Records an object version once (the unique key makes discovery idempotent); returns the row. */
export async function upsertItem(
  db: D1Database,
  item: NewItem,
  now: Date,
): Promise<{ row: SyncItemRow; created: boolean }> {
  const at = now.toISOString();
  const res = await db
    .prepare(
      `INSERT INTO sync_items (tenant_id, kind, pos_id, pos_version, state, blocked_on, reason_code, reason_detail, idem_key, next_attempt_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10)
       ON CONFLICT (tenant_id, kind, pos_id, pos_version) DO NOTHING`,
    )
    .bind(
      item.tenantId,
      item.kind,
      item.posId,
      item.posVersion,
      item.state ?? "ready",
      item.blockedOn ?? null,
      item.reasonCode ?? null,
      item.reasonDetail ?? null,
      item.idemKey,
      at,
    )
    .run();
  const row = await db
    .prepare("SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND pos_version = ?4")
    .bind(item.tenantId, item.kind, item.posId, item.posVersion)
    .first();
  return { row: parseRow(row), created: (res.meta.changes ?? 0) > 0 };
}

/** The current (latest, not superseded) item of an object. */
export async function currentItem(
  db: D1Database,
  tenantId: string,
  kind: ObjectKind,
  posId: string,
): Promise<SyncItemRow | null> {
  const row = await db
    .prepare(
      "SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 AND state != 'superseded' ORDER BY id DESC LIMIT 1",
    )
    .bind(tenantId, kind, posId)
    .first();
  return row ? parseRow(row) : null;
}

export async function itemById(db: D1Database, tenantId: string, id: number): Promise<SyncItemRow | null> {
  const row = await db.prepare("SELECT * FROM sync_items WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id).first();
  return row ? parseRow(row) : null;
}

/**
 * Takes the item for one attempt: only one holder at a time (two clicks, two cron runs, a click
 * during a cron run all race here; one wins). A lease that expired (a Worker that died) is taken
 * over. Returns the item as it is now held — fresh, whatever the caller read before — or null.
 */
export async function claimItemRow(
  db: D1Database,
  id: number,
  owner: string,
  now: Date,
  leaseSeconds = 120,
): Promise<SyncItemRow | null> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const row = await db
    .prepare(
      `UPDATE sync_items SET state = 'posting', lease_owner = ?2, lease_until = ?3, attempts = attempts + 1, last_attempt_at = ?4, updated_at = ?4
       WHERE id = ?1 AND (
         (state IN ('ready', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= ?4))
         OR (state = 'posting' AND lease_until < ?4))
       RETURNING *`,
    )
    .bind(id, owner, until, at)
    .first();
  return row ? parseRow(row) : null;
}

export async function claimItem(
  db: D1Database,
  id: number,
  owner: string,
  now: Date,
  leaseSeconds = 120,
): Promise<boolean> {
  return (await claimItemRow(db, id, owner, now, leaseSeconds)) !== null;
}

/** Due items of a tenant, oldest first: the cron's work list. */
export async function dueItems(db: D1Database, tenantId: string, now: Date, limit: number): Promise<SyncItemRow[]> {
  const at = now.toISOString();
  const { results } = await db
    .prepare(
      `SELECT * FROM sync_items WHERE tenant_id = ?1 AND (
         (state IN ('ready', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= ?2))
         OR (state = 'posting' AND lease_until < ?2))
       ORDER BY COALESCE(next_attempt_at, created_at), id LIMIT ?3`,
    )
    .bind(tenantId, at, limit)
    .all();
  return results.map(parseRow);
}

/** Tenants that have due work, for fair round-robin scheduling. */
export async function tenantsWithDueItems(db: D1Database, now: Date): Promise<{ tenantId: string; due: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT tenant_id AS tenantId, COUNT(*) AS due FROM sync_items
       WHERE (state IN ('ready', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)) OR (state = 'posting' AND lease_until < ?1)
       GROUP BY tenant_id ORDER BY tenant_id`,
    )
    .bind(now.toISOString())
    .all<{ tenantId: string; due: number }>();
  return results;
}

/** Records one posted document while holding the lease, so a crash after it never posts it twice. */
export async function recordDoc(db: D1Database, id: number, owner: string, doc: PostedDoc, now: Date): Promise<void> {
  const res = await db
    .prepare(
      `UPDATE sync_items SET docs_json = json_insert(docs_json, '$[#]', json(?3)), updated_at = ?4
       WHERE id = ?1 AND lease_owner = ?2 AND state = 'posting'`,
    )
    .bind(id, owner, JSON.stringify(doc), now.toISOString())
    .run();
  if ((res.meta.changes ?? 0) !== 1) throw new Error(`lost the lease on sync item ${id}`);
}

/**
 * Written right before a create leaves for QBO, while holding the lease: from now on a document
 * may exist that D1 does not know about, so every later attempt looks it up before creating.
 */
export async function markSending(db: D1Database, id: number, owner: string, now: Date): Promise<void> {
  const res = await db
    .prepare(
      "UPDATE sync_items SET sends = sends + 1, updated_at = ?3 WHERE id = ?1 AND lease_owner = ?2 AND state = 'posting'",
    )
    .bind(id, owner, now.toISOString())
    .run();
  if ((res.meta.changes ?? 0) !== 1) throw new Error(`lost the lease on sync item ${id}`);
}

export interface PostedFacts {
  txnDate?: string | undefined;
  amountMinor?: number | undefined;
  mappingVersion?: number | undefined;
  payloadHash?: string | undefined;
}

export function finishPostedStatement(
  db: D1Database,
  id: number,
  owner: string,
  facts: PostedFacts,
  now: Date,
  state: "posted" | "not_applicable" = "posted",
): D1PreparedStatement {
  const at = now.toISOString();
  return db
    .prepare(
      `UPDATE sync_items SET state = ?3, reason_code = NULL, reason_detail = NULL, reason_about = NULL, blocked_on = NULL, lease_owner = NULL, lease_until = NULL,
         next_attempt_at = NULL, posted_at = ?4, updated_at = ?4, txn_date = COALESCE(?5, txn_date), amount_minor = COALESCE(?6, amount_minor),
         mapping_version = COALESCE(?7, mapping_version), payload_hash = COALESCE(?8, payload_hash)
       WHERE id = ?1 AND lease_owner = ?2`,
    )
    .bind(
      id,
      owner,
      state,
      at,
      facts.txnDate ?? null,
      facts.amountMinor ?? null,
      facts.mappingVersion ?? null,
      facts.payloadHash ?? null,
    );
}

/**
 * `rotateRequestId`: QBO definitely refused a write (it recorded nothing), so the next send needs a
 * new requestid, and that send no longer counts among those that may have reached QBO: the retry
 * creates without first looking for a document (no read QBO meters).
 */
export function finishOutcomeStatement(
  db: D1Database,
  id: number,
  owner: string,
  outcome: Outcome,
  now: Date,
  facts: PostedFacts = {},
  rotateRequestId = false,
): D1PreparedStatement {
  const at = now.toISOString();
  const next = outcome.state === "failed" ? outcome.nextAttemptAt.toISOString() : null;
  const blockedOn = outcome.state === "blocked" ? outcome.blockedOn : null;
  return db
    .prepare(
      `UPDATE sync_items SET state = ?3, reason_code = ?4, reason_detail = ?5, blocked_on = ?6, next_attempt_at = ?7,
         lease_owner = NULL, lease_until = NULL, updated_at = ?8, txn_date = COALESCE(?9, txn_date), amount_minor = COALESCE(?10, amount_minor),
         mapping_version = COALESCE(?11, mapping_version), payload_hash = COALESCE(?12, payload_hash), request_gen = request_gen + ?13,
         sends = MAX(sends - ?13, 0), reason_about = ?14
       WHERE id = ?1 AND lease_owner = ?2`,
    )
    .bind(
      id,
      owner,
      outcome.state,
      outcome.code,
      outcome.detail.slice(0, 4000),
      blockedOn,
      next,
      at,
      facts.txnDate ?? null,
      facts.amountMinor ?? null,
      facts.mappingVersion ?? null,
      facts.payloadHash ?? null,
      rotateRequestId ? 1 : 0,
      outcome.about?.length ? JSON.stringify(outcome.about) : null,
    );
}

/**
 * Self-healing: the fix named by `blockedOn` happened (a mapping saved, a connection restored,
 * counted totals arrived), so every item waiting on it becomes ready again — no click needed.
 * `blockedOn` matches exactly or, ending in ':', as a prefix. Compared as text, never as a LIKE
 * pattern: D1 refuses LIKE patterns over 50 bytes ("waiting:account_credit:cancel:<uuid>" is 67), and
 * an id's '_' or '%' would match other keys.
 */
export async function healBlocked(
  db: D1Database,
  tenantId: string,
  blockedOn: string,
  now: Date,
  posId?: string,
): Promise<number> {
  const prefix = blockedOn.endsWith(":") ? 1 : 0;
  const res = await db
    .prepare(
      `UPDATE sync_items SET state = 'ready', next_attempt_at = ?3, attempts = 0, updated_at = ?3
       WHERE tenant_id = ?1 AND state = 'blocked' AND (?4 IS NULL OR pos_id = ?4)
         AND (CASE WHEN ?5 = 1 THEN substr(blocked_on, 1, length(?2)) = ?2 ELSE blocked_on = ?2 END)`,
    )
    .bind(tenantId, blockedOn, now.toISOString(), posId ?? null, prefix)
    .run();
  return res.meta.changes ?? 0;
}

/** A person asks to retry now: blocked, failed and rejected items become ready. */
export async function retryNow(db: D1Database, id: number, now: Date): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE sync_items SET state = 'ready', next_attempt_at = ?2, attempts = CASE WHEN state = 'rejected' THEN 0 ELSE attempts END, updated_at = ?2
       WHERE id = ?1 AND state IN ('blocked', 'failed', 'rejected')`,
    )
    .bind(id, now.toISOString())
    .run();
  return (res.meta.changes ?? 0) === 1;
}

/** These blocked items of a tenant become ready (their cause went away, e.g. the books reopened). */
export async function healItems(db: D1Database, tenantId: string, ids: readonly number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await db
    .prepare(
      `UPDATE sync_items SET state = 'ready', next_attempt_at = ?3, attempts = 0, updated_at = ?3
       WHERE tenant_id = ?1 AND state = 'blocked' AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(tenantId, JSON.stringify(ids), now.toISOString())
    .run();
  return res.meta.changes ?? 0;
}

/**
 * Blocked items whose reason is one of `codes` (and, with `before`, that were blocked before it):
 * the cron re-checks their cause (a connection that is back, a closing date that moved).
 */
/**
 * Items blocked waiting for another item's documents when that item is posted already: a wake-up
 * lost between two postings in flight (the cron's re-check makes them due).
 */
export async function waitingOnPosted(db: D1Database, tenantId: string): Promise<SyncItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT b.* FROM sync_items b WHERE b.tenant_id = ?1 AND b.state = 'blocked' AND b.reason_code = 'waiting_for'
         AND EXISTS (SELECT 1 FROM sync_items o WHERE o.tenant_id = b.tenant_id AND o.state = 'posted'
                     AND b.blocked_on = 'waiting:' || o.kind || ':' || o.pos_id)
       ORDER BY b.id LIMIT 500`,
    )
    .bind(tenantId)
    .all<SyncItemRow>();
  return results;
}

export async function blockedItems(
  db: D1Database,
  tenantId: string,
  codes: readonly string[],
  before?: Date,
): Promise<SyncItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM sync_items WHERE tenant_id = ?1 AND state = 'blocked' AND reason_code IN (SELECT value FROM json_each(?2))
         AND (?3 IS NULL OR updated_at < ?3)
       ORDER BY id LIMIT 500`,
    )
    .bind(tenantId, JSON.stringify(codes), before?.toISOString() ?? null)
    .all();
  return results.map(parseRow);
}

/**
 * A person chose to post into the first open day: documents dated before `txnDate` will be dated
 * it. The requestid changes with the documents (QBO would otherwise replay its refusal).
 */
export async function chooseOpenPeriod(db: D1Database, id: number, txnDate: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const res = await db
    .prepare(
      `UPDATE sync_items SET txn_date_override = ?2, request_gen = request_gen + 1, state = 'ready', next_attempt_at = ?3, attempts = 0,
         updated_at = ?3
       WHERE id = ?1 AND state IN ('blocked', 'failed', 'rejected', 'ready')`,
    )
    .bind(id, txnDate, at)
    .run();
  return (res.meta.changes ?? 0) === 1;
}

/**
 * The current items of many objects in ONE query (the status endpoint). The asked refs are
 * materialised first and each looked up by its index, so the time follows the page, not the
 * tenant's history.
 */
export async function currentItems(db: D1Database, tenantId: string, refs: ObjectRef[]): Promise<SyncItemRow[]> {
  if (refs.length === 0) return [];
  const { results } = await db
    .prepare(
      `WITH wanted AS MATERIALIZED (SELECT DISTINCT json_extract(value, '$.kind') AS kind, json_extract(value, '$.posId') AS pos_id FROM json_each(?2))
       SELECT s.* FROM wanted AS w CROSS JOIN sync_items AS s ON s.tenant_id = ?1 AND s.kind = w.kind AND s.pos_id = w.pos_id
       WHERE s.state != 'superseded'
         AND s.id = (SELECT MAX(t.id) FROM sync_items AS t WHERE t.tenant_id = s.tenant_id AND t.kind = s.kind AND t.pos_id = s.pos_id AND t.state != 'superseded')`,
    )
    .bind(tenantId, JSON.stringify(refs.map((r) => ({ kind: r.kind, posId: r.posId }))))
    .all();
  return results.map(parseRow);
}

export async function stateCounts(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  const { results } = await db
    .prepare(
      "SELECT state, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state != 'superseded' GROUP BY state",
    )
    .bind(tenantId)
    .all<{ state: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.state, r.n]));
}

/** How many items wait on each mapping key (blocked on `mapping:<key>`). */
export async function blockedByMapping(db: D1Database, tenantId: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      "SELECT substr(blocked_on, 9) AS k, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state = 'blocked' AND blocked_on LIKE 'mapping:%' GROUP BY blocked_on",
    )
    .bind(tenantId)
    .all<{ k: string; n: number }>();
  return new Map(results.map((r) => [r.k, r.n]));
}

/**
 * Items of `kind` whose POS id is `<parentId>:<…>` — objects that apply to another one's document,
 * like the payments of an on-account sale — in any state, or only posted ones, oldest first.
 */
export async function itemsUnder(
  db: D1Database,
  tenantId: string,
  kind: string,
  parentId: string,
  opts: { postedOnly?: boolean } = {},
): Promise<SyncItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = ?2 AND (?4 = 0 OR state = 'posted')
         AND substr(pos_id, 1, length(?3) + 1) = ?3 || ':' ORDER BY id`,
    )
    .bind(tenantId, kind, parentId, opts.postedOnly ? 1 : 0)
    .all();
  return results.map(parseRow);
}

/**
 * A new version of an object replacing a posted one (a re-send): ready now, with the open day a
 * person chose for the old one. Nothing happens if that version exists already.
 */
export function replacementStatement(
  db: D1Database,
  old: SyncItemRow,
  version: string,
  idemKey: string,
  now: Date,
): D1PreparedStatement {
  const at = now.toISOString();
  return db
    .prepare(
      `INSERT INTO sync_items (tenant_id, kind, pos_id, pos_version, state, idem_key, txn_date_override, next_attempt_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, 'ready', ?5, ?6, ?7, ?7, ?7) ON CONFLICT (tenant_id, kind, pos_id, pos_version) DO NOTHING`,
    )
    .bind(old.tenant_id, old.kind, old.pos_id, version, idemKey, old.txn_date_override, at);
}

/** A posted item replaced by a newer version of its object (a re-send). */
export function supersedePostedStatement(db: D1Database, id: number, now: Date): D1PreparedStatement {
  return db
    .prepare("UPDATE sync_items SET state = 'superseded', updated_at = ?2 WHERE id = ?1 AND state = 'posted'")
    .bind(id, now.toISOString());
}

/**
 * A new version of an object takes over the documents its previous version already posted (a
 * purchase order's bills for earlier deliveries), and the previous one is superseded — unless an
 * attempt holds it right now.
 */
export async function carryOver(db: D1Database, previous: SyncItemRow, next: SyncItemRow, now: Date): Promise<void> {
  await db.batch([
    db.prepare("UPDATE sync_items SET docs_json = ?2 WHERE id = ?1").bind(next.id, JSON.stringify(docsOf(previous))),
    db
      .prepare("UPDATE sync_items SET state = 'superseded', updated_at = ?2 WHERE id = ?1 AND state != 'posting'")
      .bind(previous.id, now.toISOString()),
  ]);
}

/**
 * Marks a new item as maybe sent already (`sends = 1`): the engine then looks each of its documents
 * up in QBO before creating it (a backfill found its marker there).
 */
export async function markMaybeSent(db: D1Database, id: number, now: Date): Promise<void> {
  await db
    .prepare("UPDATE sync_items SET sends = 1, updated_at = ?2 WHERE id = ?1 AND sends = 0")
    .bind(id, now.toISOString())
    .run();
}

/** The tenant an item belongs to (the operator's routes know items by id alone). */
export async function tenantOfItem(db: D1Database, id: number): Promise<string | null> {
  const row = await db
    .prepare("SELECT tenant_id FROM sync_items WHERE id = ?1")
    .bind(id)
    .first<{ tenant_id: string }>();
  return row?.tenant_id ?? null;
}

/** The documents of items of these kinds posted with a date in [from, to] (one row per item). */
export async function postedInPeriod(
  db: D1Database,
  tenantId: string,
  kinds: readonly string[],
  from: string,
  to: string,
): Promise<{ kind: string; docs_json: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT kind, docs_json FROM sync_items WHERE tenant_id = ?1 AND state = 'posted' AND kind IN (SELECT value FROM json_each(?4))
         AND txn_date >= ?2 AND txn_date <= ?3`,
    )
    .bind(tenantId, from, to, JSON.stringify(kinds))
    .all<{ kind: string; docs_json: string }>();
  return results;
}

/** How many items of these kinds dated in [from, to] (or not dated yet) are still on their way. */
export async function waitingInPeriod(
  db: D1Database,
  tenantId: string,
  kinds: readonly string[],
  from: string,
  to: string,
): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state NOT IN ('posted', 'superseded', 'not_applicable')
         AND kind IN (SELECT value FROM json_each(?4)) AND (txn_date IS NULL OR (txn_date >= ?2 AND txn_date <= ?3))`,
    )
    .bind(tenantId, from, to, JSON.stringify(kinds))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Which of these QBO documents Tillbridge posted itself, for any object (a credit applied to an
 * invoice by a return on account is a Payment too, yet not one recorded in QBO).
 */
export async function postedByTillbridge(
  db: D1Database,
  tenantId: string,
  entity: string,
  qboIds: readonly string[],
): Promise<Set<string>> {
  if (qboIds.length === 0) return new Set();
  const marks = qboIds.map((_, i) => `?${i + 3}`).join(", ");
  const { results } = await db
    .prepare(
      `SELECT DISTINCT json_extract(j.value, '$.id') AS id FROM sync_items, json_each(sync_items.docs_json) AS j
       WHERE sync_items.tenant_id = ?1 AND json_extract(j.value, '$.entity') = ?2 AND json_extract(j.value, '$.id') IN (${marks})`,
    )
    .bind(tenantId, entity, ...qboIds)
    .all<{ id: string }>();
  return new Set(results.map((r) => String(r.id)));
}

/** The objects of a kind Tillbridge met most recently (one row per object, its current version). */
export async function recentObjects(
  db: D1Database,
  tenantId: string,
  kind: string,
  limit = 30,
): Promise<{ posId: string; state: string; txnDate: string | null }[]> {
  const { results } = await db
    .prepare(
      `SELECT pos_id AS posId, state, txn_date AS txnDate FROM sync_items
       WHERE tenant_id = ?1 AND kind = ?2 AND state != 'superseded'
       GROUP BY pos_id HAVING id = MAX(id) ORDER BY MAX(id) DESC LIMIT ?3`,
    )
    .bind(tenantId, kind, limit)
    .all<{ posId: string; state: string; txnDate: string | null }>();
  return results;
}
