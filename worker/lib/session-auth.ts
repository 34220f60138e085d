import { createMiddleware } from "hono/factory";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { verifySession, type Session } from "../db/sessions";
import { servicesFor } from "../shards";

export type ApiContext = AppContext & { Variables: AppContext["Variables"] & { session: Session } };

/**
 * Every /api route needs the extension's session (Authorization: Bearer tbs_…) and acts on that
 * session's tenant only: handlers read the tenant from `c.get("session").tenantId`, never from input.
 * From here on the request's services read and write that tenant's shard (`db`); `homeDb` is home.
 */
export const requireSession = createMiddleware<ApiContext>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new TillbridgeError("unauthorized", "missing session");
  const { homeDb, now, log } = c.get("services");
  // sessions live in the home database; the tenant's rows in its shard, which the services now use
  const session = await verifySession(homeDb, match[1]!, now());
  if (!session) throw new TillbridgeError("unauthorized", "session unknown, expired or revoked");
  c.set("session", session);
  const services = await servicesFor(c.get("services"), session.tenantId);
  c.set("services", { ...services, log: log.child({ tenant: session.tenantId }) });
  await next();
});

/** The actor recorded in the audit trail for a request. */
export const actorOf = (session: Session) => `user:${session.userLabel || session.tenantId}`;
