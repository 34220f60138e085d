import { Hono } from "hono";
import { Routes } from "../../shared/api";
import { audit } from "../db/audit";
import { getDigest, saveDigest } from "../db/digest";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import type { Services } from "../services";

/** Whether this Worker can send the digest at all (a send_email binding and a sender address). */
const available = (s: Services) => Boolean(s.sendEmail && s.env.DIGEST_FROM);

/** The daily digest's settings (opt-in, recipient, language) and how its last day went. */
export const digestRoutes = new Hono<ApiContext>()
  .get("/digest", requireSession, async (c) => {
    const s = c.get("services");
    const doc = await getDigest(s.db, c.get("session").tenantId);
    return c.json(Routes.getDigest.response.parse({ ...doc, available: available(s) }));
  })
  .put("/digest", requireSession, valid("json", Routes.saveDigest.request), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const settings = c.req.valid("json");
    await saveDigest(s.db, session.tenantId, settings, s.now());
    await audit(
      s.db,
      {
        tenantId: session.tenantId,
        actor: actorOf(session),
        action: "digest",
        detail: settings.enabled ? `daily digest on (${settings.lang})` : "daily digest off",
      },
      s.now(),
    );
    const doc = await getDigest(s.db, session.tenantId);
    return c.json(Routes.saveDigest.response.parse({ ...doc, available: available(s) }));
  });
