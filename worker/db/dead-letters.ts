import { z } from "zod";
import { describeError, ErrorCode } from "../../shared/errors";
import type { PostedDoc } from "../../shared/sync";
import { docsOf, SyncItemRow } from "./sync-items";

/**
 * The dead letters: sync items that will not post without a person. Rejected ones need someone to
 * act on the reason (QBO refused, the POS data is unreadable, retries ran out); blocked ones wait
 * for a fix (a mapping, a reconnection, counted totals, a closed period) and post by themselves
 * once it is made — they are listed too, oldest first, because a fix nobody makes is also stuck.
 */

export const DeadLetterQuery = z.object({
  state: z.enum(["rejected", "blocked", "all"]).default("all"),
  tenant: z.string().min(1).max(100).optional(),
  /** Only items stuck at least this long (hours since their last change) */
  olderThanHours: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeadLetterQuery = z.infer<typeof DeadLetterQuery>;

export interface DeadLetter {
  id: number;
  tenantId: string;
  kind: string;
  posId: string;
  posVersion: string;
  state: "rejected" | "blocked";
  reason: { code: string; message: string; action: string; detail?: string };
  blockedOn: string | null;
  attempts: number;
  firstSeenAt: string;
  lastTryAt: string | null;
  stuckSince: string;
  docs: PostedDoc[];
}

export interface DeadLetterView {
  /** How many of each (tenant, state, reason): a systemic problem shows as one big row */
  summary: { tenantId: string; state: string; code: string | null; count: number; oldest: string }[];
  items: DeadLetter[];
}

const statesOf = (q: DeadLetterQuery) => (q.state === "all" ? ["rejected", "blocked"] : [q.state]);

export async function deadLetters(db: D1Database, q: DeadLetterQuery, now: Date): Promise<DeadLetterView> {
  const before = new Date(now.getTime() - q.olderThanHours * 3_600_000).toISOString();
  const states = JSON.stringify(statesOf(q));
  const [summary, items] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT tenant_id AS tenantId, state, reason_code AS code, COUNT(*) AS count, MIN(updated_at) AS oldest FROM sync_items
         WHERE state IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR tenant_id = ?2) AND updated_at <= ?3
         GROUP BY tenant_id, state, reason_code ORDER BY count DESC, tenant_id`,
      )
      .bind(states, q.tenant ?? null, before),
    db
      .prepare(
        `SELECT * FROM sync_items WHERE state IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR tenant_id = ?2) AND updated_at <= ?3
         ORDER BY updated_at, id LIMIT ?4`,
      )
      .bind(states, q.tenant ?? null, before, q.limit),
  ]);
  return {
    summary: summary!.results as DeadLetterView["summary"],
    items: items!.results.map((raw) => {
      const row = SyncItemRow.parse(raw);
      const code = ErrorCode.safeParse(row.reason_code);
      const words = code.success
        ? describeError(code.data, row.reason_detail ?? undefined, "en")
        : { message: row.reason_detail ?? "unknown reason", action: "" };
      return {
        id: row.id,
        tenantId: row.tenant_id,
        kind: row.kind,
        posId: row.pos_id,
        posVersion: row.pos_version,
        state: row.state as DeadLetter["state"],
        reason: {
          code: row.reason_code ?? "unknown",
          message: words.message,
          action: words.action,
          ...(row.reason_detail ? { detail: row.reason_detail } : {}),
        },
        blockedOn: row.blocked_on,
        attempts: row.attempts,
        firstSeenAt: row.created_at,
        lastTryAt: row.last_attempt_at,
        stuckSince: row.updated_at,
        docs: docsOf(row),
      };
    }),
  };
}
