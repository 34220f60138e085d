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
import { mappingValue, setMappingValue } from "../mappings/catalog";
import { loadLists, suggest, toOptions, unmapped } from "../mappings/service";
import { createStandard, STANDARD_ACCOUNTS, STANDARD_ITEMS } from "../mappings/standard";
import { invalidMappingFields } from "../mappings/validate";
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
    const fields = refs ? invalidMappingFields(mappings, refs) : {};
    if (Object.keys(fields).length > 0)
      throw new TillbridgeError("bad_request", `body: ${Object.keys(fields).slice(0, 5).join(", ")}`, { fields });
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
      Routes.mappingOptions.response.parse(
        toOptions(await loadLists(c.get("services"), c.get("session").tenantId, reload)),
      ),
    );
  })
  .get("/mappings/unmapped", requireSession, async (c) => {
    const s = c.get("services");
    const { tenantId } = c.get("session");
    const [lists, doc, counts] = await Promise.all([
      loadLists(s, tenantId, false),
      getMappings(s.db, tenantId),
      blockedByMapping(s.db, tenantId),
    ]);
    return c.json(Routes.unmapped.response.parse(unmapped(lists, doc.mappings, counts, c.get("lang"))));
  })
  .get("/mappings/suggestions", requireSession, async (c) => {
    const s = c.get("services");
    const { tenantId } = c.get("session");
    const [lists, doc] = await Promise.all([loadLists(s, tenantId, false), getMappings(s.db, tenantId)]);
    return c.json(Routes.suggestions.response.parse({ suggestions: suggest(lists, doc.mappings) }));
  })
  .post("/mappings/create-standard", requireSession, async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const std = await createStandard(s, session.tenantId);
    const doc = await getMappings(s.db, session.tenantId);
    const next = structuredClone(doc.mappings) as unknown as Record<string, unknown>;
    const fill = (key: string, value: unknown) => {
      if (mappingValue(next, key) === undefined) setMappingValue(next, key, value);
    };
    fill("accounts.closureClearing", std.accounts.closureClearing);
    fill("accounts.giftCardLiability", std.accounts.giftCardLiability);
    fill("accounts.storeCreditLiability", std.accounts.storeCreditLiability);
    fill("accounts.giftCardBreakage", std.accounts.giftCardBreakage);
    fill("accounts.storeCreditExpense", std.accounts.storeCreditExpense);
    fill("accounts.shipping", std.accounts.shipping);
    fill("accounts.duties", std.accounts.duties);
    fill("accounts.purchaseDiscount", std.accounts.purchaseDiscount);
    for (const key of Object.keys(STANDARD_ITEMS) as (keyof typeof STANDARD_ITEMS)[])
      if (key !== "sales") fill(`items.${key}`, std.items[key]);
    fill("closureCustomerId", std.customerId);
    // then everything Tillbridge can suggest with confidence (payment types, categories, taxes, …)
    const lists = await loadLists(s, session.tenantId, false);
    for (const sug of suggest(lists, Mappings.parse(next))) fill(sug.mappingKey, sug.value);
    const saved = await saveMappings(
      s.db,
      session.tenantId,
      doc.version,
      Mappings.parse(next),
      actorOf(session),
      s.now(),
    );
    await afterSave(s, session.tenantId);
    return c.json(
      Routes.createStandard.response.parse({ created: std.created, existing: std.existing, mappings: saved }),
    );
  });

export { STANDARD_ACCOUNTS };
