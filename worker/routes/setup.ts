import { Hono } from "hono";
import { Routes, type SetupResponse } from "../../shared/api";
import { SyncState } from "../../shared/sync";
import { audit } from "../db/audit";
import { firstClosureItem, getSetup, markLive } from "../db/setup";
import { healBlocked } from "../db/sync-items";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import type { Services } from "../services";
import { drainTenant } from "../sync/now";
import { nameOf, posNames, storeContext } from "./pos-names";

/** Where the store stands in its guided setup, with the closure its preview step shows. */
async function setupOf(s: Services, tenantId: string, released = 0): Promise<SetupResponse> {
  const [setup, first, store] = await Promise.all([
    getSetup(s.db, tenantId),
    firstClosureItem(s.db, tenantId),
    storeContext(s, tenantId),
  ]);
  let firstClosure: SetupResponse["firstClosure"] = null;
  if (first) {
    const ref = { kind: "closure" as const, posId: first.posId };
    const names = await posNames(s, tenantId, [ref], store);
    const state = SyncState.safeParse(first.state);
    firstClosure = {
      posId: first.posId,
      name: nameOf(names, "closure", first.posId),
      state: state.success ? state.data : "unknown",
    };
  }
  return {
    held: setup.held,
    liveAt: setup.liveAt,
    liveBy: setup.liveBy,
    firstClosure,
    released,
    timeZone: store.timeZone,
  };
}

/**
 * The guided setup (issue 17.1): GET says where the store stands; "go live" releases what waited for
 * it (every object blocked on `setup` retries at once) and is recorded in the audit log. Going live
 * twice, or for a store that was never held, changes nothing.
 */
export const setupRoutes = new Hono<ApiContext>()
  .get("/setup", requireSession, async (c) => {
    const s = c.get("services");
    return c.json(Routes.setup.response.parse(await setupOf(s, c.get("session").tenantId)));
  })
  .post("/setup/go-live", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const { tenantId } = session;
    let released = 0;
    if (await markLive(s.db, tenantId, actorOf(session), s.now())) {
      released = await healBlocked(s.db, tenantId, "setup", s.now());
      await audit(
        s.db,
        {
          tenantId,
          actor: actorOf(session),
          action: "go_live",
          detail: `went live: ${released} object(s) waiting for it released to post`,
        },
        s.now(),
      );
      if (released > 0) s.waitUntil(drainTenant(s, tenantId, actorOf(session), 25).then(() => undefined));
    }
    return c.json(Routes.goLive.response.parse(await setupOf(s, tenantId, released)));
  });
