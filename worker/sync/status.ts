import { describeError, ErrorCode, type Lang } from "../../shared/errors";
import type { ObjectRef, ObjectStatus, SyncState } from "../../shared/sync";
import { docsOf, reasonAbout, type SyncItemRow } from "../db/sync-items";

/** The most things a badge's reason lists as data (its message counts the rest: "and 3 more"). */
const MAX_ABOUT = 20;

/** A sync item as the badge sees it: state, links, the reason in plain words and what to do. */
export function toObjectStatus(row: SyncItemRow, lang: Lang, now: Date): ObjectStatus {
  const state: SyncState = row.state === "superseded" ? "posted" : row.state;
  const code = ErrorCode.safeParse(row.reason_code);
  const reason =
    code.success && (state === "blocked" || state === "failed" || state === "rejected")
      ? (() => {
          const about = reasonAbout(row);
          const words = describeError(code.data, row.reason_detail ?? undefined, lang, about);
          return {
            code: code.data,
            message: words.message,
            action: words.action,
            ...(row.reason_detail ? { detail: row.reason_detail } : {}),
            ...(words.fixAt ? { fixAt: words.fixAt } : {}),
            ...(about ? { about: about.slice(0, MAX_ABOUT) } : {}),
          };
        })()
      : undefined;
  return {
    kind: row.kind as ObjectStatus["kind"],
    posId: row.pos_id,
    posVersion: row.pos_version,
    // a lease that ran out means the holder died: it is due again, not "posting"
    state: state === "posting" && row.lease_until && row.lease_until < now.toISOString() ? "ready" : state,
    docs: docsOf(row),
    ...(reason ? { reason } : {}),
    attempts: row.attempts,
    ...(row.last_attempt_at ? { lastTryAt: row.last_attempt_at } : {}),
    ...(row.next_attempt_at && (state === "failed" || state === "ready") ? { nextTryAt: row.next_attempt_at } : {}),
    ...(row.txn_date_override ? { openDay: row.txn_date_override } : {}),
  };
}

/** Statuses in the order asked; objects Tillbridge has not seen yet are `unknown`. */
export function statusesFor(refs: ObjectRef[], rows: SyncItemRow[], lang: Lang, now: Date): ObjectStatus[] {
  const byKey = new Map(rows.map((r) => [`${r.kind}\u0000${r.pos_id}`, r]));
  return refs.map((ref) => {
    const row = byKey.get(`${ref.kind}\u0000${ref.posId}`);
    return row
      ? toObjectStatus(row, lang, now)
      : { kind: ref.kind, posId: ref.posId, state: "unknown", docs: [], attempts: 0 };
  });
}
