import { Hono } from "hono";
import { Routes, RevisionQuery } from "../../shared/api";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { revisionDiff } from "../reports/revision-diff";
import { replacePosting } from "../sync/resend";

/** Re-send a changed object: the diff of its posting against what it would post now, and the replacement. */
export const revisionRoutes = new Hono<ApiContext>()
  .get("/revisions/diff", requireSession, valid("query", RevisionQuery), async (c) => {
    const diff = await revisionDiff(c.get("services"), c.get("session").tenantId, c.req.valid("query"), c.get("lang"));
    return c.json(Routes.revisionDiff.response.parse(diff));
  })
  .post("/revisions/replace", requireSession, valid("json", Routes.revisionReplace.request), async (c) => {
    const session = c.get("session");
    const done = await replacePosting(
      c.get("services"),
      session.tenantId,
      c.req.valid("json"),
      actorOf(session),
      c.get("lang"),
    );
    return c.json(Routes.revisionReplace.response.parse(done));
  });
