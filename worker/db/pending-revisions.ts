/**
 * Postings the POS changed after they were posted (a sale voided after its closure posted, SPEC
 * §4.4), waiting to be replaced by themselves (sync/revise.ts). Kept beside the cursors as
 * `revise?:<kind>:<pos id>` rows — the change was seen once, by discovery, whose cursor has moved
 * on, so the row is what remembers it until the replacement is done. `cursor` holds why (plain
 * words for the audit trail), `updated_at` when to try next.
 */
const PREFIX = "revise?:";

export interface PendingRevision {
  kind: string;
  posId: string;
  reason: string;
  /** When it is tried next (ISO) */
  dueAt: string;
}

const resourceOf = (kind: string, posId: string) => `${PREFIX}${kind}:${posId}`;

/** Remembers each object to replace, due now; one already waiting keeps its reason and adds this one. */
export async function queueRevisions(
  db: D1Database,
  tenantId: string,
  items: readonly { kind: string; posId: string; reason: string }[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db.batch(
    items.map((r) =>
      db
        .prepare(
          `INSERT INTO cursors (tenant_id, resource, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT (tenant_id, resource) DO UPDATE SET updated_at = excluded.updated_at,
             cursor = CASE WHEN instr(cursors.cursor, excluded.cursor) > 0 THEN cursors.cursor
                           ELSE substr(cursors.cursor || '; ' || excluded.cursor, 1, 500) END`,
        )
        .bind(tenantId, resourceOf(r.kind, r.posId), r.reason.slice(0, 500), now.toISOString()),
    ),
  );
}

/** The revisions due by `now`, oldest first. */
export async function dueRevisions(
  db: D1Database,
  tenantId: string,
  now: Date,
  limit = 20,
): Promise<PendingRevision[]> {
  const { results } = await db
    .prepare(
      `SELECT resource, cursor, updated_at FROM cursors
       WHERE tenant_id = ?1 AND resource LIKE 'revise?:%' AND updated_at <= ?2 ORDER BY updated_at LIMIT ?3`,
    )
    .bind(tenantId, now.toISOString(), limit)
    .all<{ resource: string; cursor: string; updated_at: string }>();
  return results.map((r) => {
    const rest = r.resource.slice(PREFIX.length);
    const at = rest.indexOf(":");
    return { kind: rest.slice(0, at), posId: rest.slice(at + 1), reason: r.cursor, dueAt: r.updated_at };
  });
}

/** Tries it again later (what stopped it may go away: a connection, a lease, QBO's answer). */
export async function postponeRevision(
  db: D1Database,
  tenantId: string,
  r: Pick<PendingRevision, "kind" | "posId">,
  until: Date,
): Promise<void> {
  await db
    .prepare("UPDATE cursors SET updated_at = ?3 WHERE tenant_id = ?1 AND resource = ?2")
    .bind(tenantId, resourceOf(r.kind, r.posId), until.toISOString())
    .run();
}

export async function forgetRevision(
  db: D1Database,
  tenantId: string,
  r: Pick<PendingRevision, "kind" | "posId">,
): Promise<void> {
  await db
    .prepare("DELETE FROM cursors WHERE tenant_id = ?1 AND resource = ?2")
    .bind(tenantId, resourceOf(r.kind, r.posId))
    .run();
}
