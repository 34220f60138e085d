import { Hono } from "hono";
import { Routes } from "../../shared/api";
import { retryAllStuck, stuckCounts } from "../db/attention";
import { audit } from "../db/audit";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { drainTenant } from "../sync/now";
import { needsAttention } from "../reports/attention";

/** How many of the retried the request itself starts on; the cron takes the rest */
const DRAIN_NOW = 20;

/**
 * "Needs attention": every object that will not post without someone (blocked, failed, rejected),
 * with its reason in plain words, what to do, its links, and retry all. Retry one is /api/sync/retry.
 */
export const attentionRoutes = new Hono<ApiContext>()
  .get("/attention", requireSession, async (c) =>
    c.json(await needsAttention(c.get("services"), c.get("session").tenantId, c.get("lang"))),
  )
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
