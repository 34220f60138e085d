import { Hono } from "hono";
import { type AttentionItem, Routes } from "../../shared/api";
import { describeError, ErrorCode } from "../../shared/errors";
import type { ObjectKind } from "../../shared/sync";
import { retryAllStuck, stuckCounts, stuckItems } from "../db/attention";
import { audit } from "../db/audit";
import { docsOf, reasonAbout } from "../db/sync-items";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { drainTenant } from "../sync/now";
import { backOfficeUrl, nameOf, posNames, storeContext } from "./pos-names";

/** The most listed at once: past that, the oldest come first and the counts say how many more. */
const MAX_ITEMS = 500;
/** The most things one reason lists as data (its message counts the rest: "and 3 more") */
const MAX_ABOUT = 20;
/** How many of the retried the request itself starts on; the cron takes the rest */
const DRAIN_NOW = 20;

/**
 * "Needs attention": every object that will not post without someone (blocked, failed, rejected),
 * with its reason in plain words, what to do, its links, and retry all. Retry one is /api/sync/retry.
 */
export const attentionRoutes = new Hono<ApiContext>()
  .get("/attention", requireSession, async (c) => {
    const s = c.get("services");
    const lang = c.get("lang");
    const { tenantId } = c.get("session");
    const [rows, counts, store] = await Promise.all([
      stuckItems(s.db, tenantId, MAX_ITEMS),
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
    return c.json(Routes.attention.response.parse({ counts, total, timeZone: store.timeZone, items }));
  })
  .get("/attention/count", requireSession, async (c) => {
    const counts = await stuckCounts(c.get("services").db, c.get("session").tenantId);
    return c.json(
      Routes.attentionCount.response.parse({ counts, total: counts.blocked + counts.failed + counts.rejected }),
    );
  })
  .post("/attention/retry-all", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const actor = actorOf(session);
    const retried = await retryAllStuck(s.db, session.tenantId, s.now());
    if (retried > 0) {
      await audit(
        s.db,
        { tenantId: session.tenantId, actor, action: "retry", detail: `retry all: ${retried} items` },
        s.now(),
      );
      s.waitUntil(
        drainTenant(s, session.tenantId, actor, DRAIN_NOW).catch((e) =>
          s.log.error("retry all failed", { error: e instanceof Error ? e.message : String(e) }),
        ),
      );
    }
    return c.json(Routes.retryAll.response.parse({ retried }));
  });
