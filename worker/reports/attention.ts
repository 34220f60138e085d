import { type AttentionItem, type AttentionResponse, Routes } from "../../shared/api";
import { describeError, ErrorCode, type Lang } from "../../shared/errors";
import type { ObjectKind } from "../../shared/sync";
import { stuckCounts, stuckItems } from "../db/attention";
import { docsOf, reasonAbout } from "../db/sync-items";
import { backOfficeUrl, nameOf, posNames, storeContext } from "../routes/pos-names";
import type { Services } from "../services";

/** The most listed at once: past that, the oldest come first and the counts say how many more. */
export const MAX_ITEMS = 500;
/** The most things one reason lists as data (its message counts the rest: "and 3 more") */
const MAX_ABOUT = 20;

/**
 * What needs attention, in `lang`: every object that will not post without someone (blocked,
 * failed, rejected), oldest first, by its POS name, with its reason, what to do and its links.
 * The options page's list (GET /api/attention) and the daily digest both read it.
 */
export async function needsAttention(
  s: Services,
  tenantId: string,
  lang: Lang,
  limit = MAX_ITEMS,
): Promise<AttentionResponse> {
  const [rows, counts, store] = await Promise.all([
    stuckItems(s.db, tenantId, limit),
    stuckCounts(s.db, tenantId),
    storeContext(s, tenantId),
  ]);
  const names = await posNames(
    s,
    tenantId,
    rows.map((r) => ({ kind: r.kind, posId: r.pos_id })),
    store,
  );
  const items = rows.map((row): AttentionItem => {
    const code = ErrorCode.safeParse(row.reason_code);
    const reasonCode = code.success ? code.data : "internal";
    const about = reasonAbout(row);
    const words = describeError(reasonCode, row.reason_detail ?? undefined, lang, about);
    const kind = row.kind as ObjectKind;
    return {
      kind,
      posId: row.pos_id,
      posName: nameOf(names, kind, row.pos_id),
      state: row.state as AttentionItem["state"],
      reason: {
        code: reasonCode,
        message: words.message,
        action: words.action,
        detail: row.reason_detail,
        fixAt: words.fixAt ?? null,
        blockedOn: row.blocked_on,
        ...(about ? { about: about.slice(0, MAX_ABOUT) } : {}),
      },
      attempts: row.attempts,
      since: row.updated_at,
      lastTryAt: row.last_attempt_at,
      nextTryAt: row.state === "failed" ? row.next_attempt_at : null,
      txnDate: row.txn_date,
      amountMinor: row.amount_minor,
      backOfficeUrl: backOfficeUrl(s.env, tenantId, kind, row.pos_id),
      docs: docsOf(row),
    };
  });
  const total = counts.blocked + counts.failed + counts.rejected;
  return Routes.attention.response.parse({ counts, total, timeZone: store.timeZone, items });
}
