import { Hono } from "hono";
import { BackfillRequest, Routes } from "../../shared/api";
import { latestBackfill } from "../db/backfills";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import type { Services } from "../services";
import { backfillView, pauseBackfill, resumeBackfill, runBackfillStep, startBackfill } from "../sync/backfill/run";

/**
 * Backfill by date range for the session's tenant: start, progress, pause, resume. Start and
 * resume answer at once and run a first step in the background; the cron carries on every minute.
 */

/** A first step right away, inside the request's waitUntil (about 30 s are allowed after the answer). */
const kick = (s: Services, tenantId: string) =>
  s.waitUntil(
    runBackfillStep(s, tenantId, { budgetMs: 25_000 }).catch((e) =>
      s.log.error("backfill step failed", { error: e instanceof Error ? e.message : String(e) }),
    ),
  );

export const backfillRoutes = new Hono<ApiContext>()
  .post("/backfill", requireSession, valid("json", BackfillRequest), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const row = await startBackfill(s, session.tenantId, c.req.valid("json"), actorOf(session));
    kick(s, session.tenantId);
    return c.json(Routes.backfillStart.response.parse({ backfill: await backfillView(s.db, row, s.now()) }));
  })
  .get("/backfill", requireSession, async (c) => {
    const s = c.get("services");
    const row = await latestBackfill(s.db, c.get("session").tenantId);
    return c.json(Routes.backfillGet.response.parse({ backfill: row ? await backfillView(s.db, row, s.now()) : null }));
  })
  .post("/backfill/pause", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const row = await pauseBackfill(s, session.tenantId, actorOf(session));
    return c.json(Routes.backfillPause.response.parse({ backfill: await backfillView(s.db, row, s.now()) }));
  })
  .post("/backfill/resume", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const row = await resumeBackfill(s, session.tenantId, actorOf(session));
    if (row.status === "running") kick(s, session.tenantId);
    return c.json(Routes.backfillResume.response.parse({ backfill: await backfillView(s.db, row, s.now()) }));
  });
