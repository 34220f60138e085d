import { createMiddleware } from "hono/factory";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { verifySession, type Session } from "../db/sessions";

export type ApiContext = AppContext & { Variables: AppContext["Variables"] & { session: Session } };

/**
 * Every /api route needs the extension's session (Authorization: Bearer tbs_…) and acts on that
 * session's tenant only: handlers read the tenant from `c.get("session").tenantId`, never from input.
 */
export const requireSession = createMiddleware<ApiContext>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new TillbridgeError("unauthorized", "missing session");
  const { db, now, log } = c.get("services");
  const session = await verifySession(db, match[1]!, now());
  if (!session) throw new TillbridgeError("unauthorized", "session unknown, expired or revoked");
  c.set("session", session);
  c.set("services", { ...c.get("services"), log: log.child({ tenant: session.tenantId }) });
  await next();
});

/** The actor recorded in the audit trail for a request. */
export const actorOf = (session: Session) => `user:${session.userLabel || session.tenantId}`;
