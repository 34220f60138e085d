import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../app";
import { actorOf, requireSession, type ApiContext } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { Routes } from "../../shared/api";
import { getConnection, statusOf } from "../db/connections";
import { completeConnect, disconnect, startConnect } from "../qbo/connection";

/**
 * QuickBooks Online connection routes. `/api/qbo/*` act on the session's tenant only; the OAuth
 * callback (`/auth/qbo/callback`) is reached by the browser coming back from Intuit, carries no
 * session, and is bound to one by its state.
 */

export const qboApi = new Hono<ApiContext>()
  .use("*", requireSession)
  .post("/connect", valid("json", Routes.qboConnect.request), async (c) => {
    const { returnTo } = c.req.valid("json");
    return c.json(Routes.qboConnect.response.parse(await startConnect(c.get("services"), c.get("session"), returnTo)));
  })
  .get("/connection", async (c) =>
    c.json(
      Routes.qboConnection.response.parse(
        statusOf(await getConnection(c.get("services").db, c.get("session").tenantId, "qbo")),
      ),
    ),
  )
  .post("/disconnect", async (c) => {
    const session = c.get("session");
    const result = await disconnect(c.get("services"), session.tenantId, actorOf(session));
    return c.json({ ok: true as const, ...result });
  });

const CallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2048).optional(),
  realmId: z.string().max(64).optional(),
  error: z.string().max(200).optional(),
});

export const qboAuth = new Hono<AppContext>().get("/callback", async (c) => {
  // Read leniently: a malformed callback is still answered by its state's redirect when it has one.
  const parsed = CallbackQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : { state: c.req.query("state")?.slice(0, 200), error: "invalid_request" };
  const location = await completeConnect(c.get("services"), q);
  // The callback URL carried a code: keep it out of caches and Referer headers.
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  return c.redirect(location, 302);
});
