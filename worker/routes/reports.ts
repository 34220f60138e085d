import { Hono } from "hono";
import { DriftCheckRequest, LiabilitiesQuery, ReconciliationQuery, Routes, type DriftResponse } from "../../shared/api";
import { TillbridgeError } from "../../shared/errors";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { flaggedDocs } from "../db/drift-docs";
import { inventoryReport } from "../reports/inventory";
import { liabilityReport } from "../reports/liabilities";
import { checkDrift } from "../sync/drift";
import type { Services } from "../services";
import { nameOf, posNames, storeContext } from "./pos-names";
import { reconciliation } from "./reconciliation";

const MAX_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

/** Documents of current postings the drift check found changed in QBO, most recently flagged first. */
async function flagged(s: Services, tenantId: string): Promise<DriftResponse> {
  const [rows, store] = await Promise.all([flaggedDocs(s.db, tenantId), storeContext(s, tenantId)]);
  const names = await posNames(
    s,
    tenantId,
    rows.map((r) => ({ kind: r.kind, posId: r.pos_id })),
    store,
  );
  const documents = rows.map((r) => ({
    kind: r.kind,
    posId: r.pos_id,
    part: r.part,
    entity: r.entity,
    id: r.qbo_id,
    docNumber: r.doc_number,
    status: r.status,
    detail: r.detail,
    flaggedAt: r.flagged_at,
    checkedAt: r.checked_at,
    posName: nameOf(names, r.kind, r.pos_id),
  }));
  return Routes.drift.response.parse({ documents, timeZone: store.timeZone });
}

/** A report covers at most a year: a longer range is refused with the field to correct. */
function withinAYear(from: string, to: string): void {
  if (Date.parse(to) - Date.parse(from) > (MAX_DAYS - 1) * DAY_MS) {
    throw new TillbridgeError("bad_request", `at most ${MAX_DAYS} days at a time`, {
      fields: { to: `at most ${MAX_DAYS} days after from` },
    });
  }
}

/** Reports that read QBO back: the liability and inventory roll-forwards, reconciliation and drift. */
export const reportRoutes = new Hono<ApiContext>()
  .get("/reports/liabilities", requireSession, valid("query", LiabilitiesQuery), async (c) => {
    const { from, to } = c.req.valid("query");
    withinAYear(from, to);
    return c.json(
      Routes.liabilities.response.parse(await liabilityReport(c.get("services"), c.get("session").tenantId, from, to)),
    );
  })
  .get("/reports/inventory", requireSession, valid("query", LiabilitiesQuery), async (c) => {
    const { from, to } = c.req.valid("query");
    withinAYear(from, to);
    return c.json(
      Routes.inventory.response.parse(await inventoryReport(c.get("services"), c.get("session").tenantId, from, to)),
    );
  })
  .get("/reports/reconciliation", requireSession, valid("query", ReconciliationQuery), async (c) => {
    const { from, to } = c.req.valid("query");
    withinAYear(from, to);
    return c.json(
      Routes.reconciliation.response.parse(
        await reconciliation(c.get("services"), c.get("session").tenantId, from, to),
      ),
    );
  })
  .get("/reports/drift", requireSession, async (c) =>
    c.json(await flagged(c.get("services"), c.get("session").tenantId)),
  )
  .post("/reports/drift/check", requireSession, valid("json", DriftCheckRequest), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    // {scope: "next"}: the next documents (the options page); {scope: "object", kind, posId}: that one's, now
    const body = c.req.valid("json");
    await checkDrift(s, session.tenantId, {
      actor: actorOf(session),
      everyMs: 0,
      ...(body.scope === "object" ? { only: { kind: body.kind, posId: body.posId }, maxReads: 8 } : {}),
    });
    return c.json(await flagged(s, session.tenantId));
  });
