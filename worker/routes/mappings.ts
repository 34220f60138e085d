import { Hono } from "hono";
import { z } from "zod";
import { Routes } from "../../shared/api";
import type { QboRefs } from "../../shared/domain/qbo";
import { TillbridgeError } from "../../shared/errors";
import { Mappings } from "../../shared/mappings";
import { getMappings, mappingChanges, saveMappings } from "../db/mappings";
import { blockedByMapping, healBlocked } from "../db/sync-items";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { refusal } from "../mappings/refusal";
import { loadLists, mappingOptions } from "../mappings/service";
import { createStandard, withStandard } from "../mappings/standard";
import { suggest } from "../mappings/suggest";
import { unmapped } from "../mappings/unmapped";
import { mappingProblems } from "../mappings/validate";
import { createPosConnector } from "../pos/port";
import { loadRefs } from "../qbo/refs";
import type { Services } from "../services";
import { drainTenant } from "../sync/now";

const OptionsQuery = z.object({ reload: z.enum(["0", "1", "true", "false"]).optional() });

/** Saving mappings heals every item blocked on a mapping: they retry by themselves, no click. */
async function afterSave(s: Services, tenantId: string): Promise<void> {
  const healed = await healBlocked(s.db, tenantId, "mapping:", s.now());
  if (healed > 0) s.waitUntil(drainTenant(s, tenantId, "system", 25).then(() => undefined));
}

/** The company's reference data to check ids against; none while QBO cannot be read (nothing to check against). */
async function refsIfReadable(s: Services, tenantId: string): Promise<QboRefs | null> {
  try {
    return await loadRefs(s, tenantId);
  } catch (e) {
    if (e instanceof TillbridgeError) return null;
    throw e;
  }
}

export const mappingRoutes = new Hono<ApiContext>()
  .get("/mappings", requireSession, async (c) => {
    return c.json(
      Routes.getMappings.response.parse(await getMappings(c.get("services").db, c.get("session").tenantId)),
    );
  })
  .put("/mappings", requireSession, valid("json", Routes.saveMappings.request), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const { version, mappings } = c.req.valid("json");
    const refs = await refsIfReadable(s, session.tenantId);
    if (refs && mappingProblems(mappings, refs).length > 0)
      throw await refusal(s, session.tenantId, mappings, refs, c.get("lang"));
    const saved = await saveMappings(s.db, session.tenantId, version, mappings, actorOf(session), s.now());
    await afterSave(s, session.tenantId);
    return c.json(Routes.saveMappings.response.parse(saved));
  })
  .get("/mappings/changes", requireSession, async (c) => {
    const rows = await mappingChanges(c.get("services").db, c.get("session").tenantId, 200);
    const changes = rows.map((r) => ({
      version: r.version,
      actor: r.actor,
      at: r.at,
      before: Mappings.parse(JSON.parse(r.before_json)),
      after: Mappings.parse(JSON.parse(r.after_json)),
    }));
    return c.json(Routes.mappingChanges.response.parse({ changes }));
  })
  .get("/mappings/options", requireSession, valid("query", OptionsQuery), async (c) => {
    const reload = ["1", "true"].includes(c.req.valid("query").reload ?? "");
    return c.json(
      Routes.mappingOptions.response.parse(await mappingOptions(c.get("services"), c.get("session").tenantId, reload)),
    );
  })
  .get("/mappings/unmapped", requireSession, async (c) => {
    const s = c.get("services");
    const { tenantId } = c.get("session");
    const [lists, doc, counts, idle] = await Promise.all([
      loadLists(s, tenantId, false),
      getMappings(s.db, tenantId),
      blockedByMapping(s.db, tenantId),
      createPosConnector(s, tenantId)
        .categoriesNothingPostsThrough()
        .catch((e) => {
          // without the catalogue every category is listed, as before
          s.log.warn("catalogue not read for the unmapped list", {
            code: e instanceof TillbridgeError ? e.code : "internal",
          });
          return new Set<string>();
        }),
    ]);
    return c.json(Routes.unmapped.response.parse(unmapped(lists, doc.mappings, counts, c.get("lang"), idle)));
  })
  .get("/mappings/suggestions", requireSession, async (c) => {
    const s = c.get("services");
    const { tenantId } = c.get("session");
    const [lists, doc] = await Promise.all([loadLists(s, tenantId, false), getMappings(s.db, tenantId)]);
    return c.json(Routes.suggestions.response.parse({ suggestions: suggest(lists, doc.mappings, c.get("lang")) }));
  })
  .post("/mappings/create-standard", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const std = await createStandard(s, session.tenantId);
    const doc = await getMappings(s.db, session.tenantId);
    const next = withStandard(doc.mappings, std, await loadLists(s, session.tenantId, false));
    const saved = await saveMappings(s.db, session.tenantId, doc.version, next, actorOf(session), s.now());
    await afterSave(s, session.tenantId);
    return c.json(
      Routes.createStandard.response.parse({ created: std.created, existing: std.existing, mappings: saved }),
    );
  });
