import { Hono } from "hono";
import { Routes, type PreviewResponse } from "../../shared/api";
import { describeError, TillbridgeError } from "../../shared/errors";
import { ObjectKind, SyncState } from "../../shared/sync";
import { z } from "zod";
import { currentItem, currentItems, docsOf, recentObjects, retryNow } from "../db/sync-items";
import { actorOf, type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { ensureItem, postInOpenPeriod } from "../sync/items";
import { postNow } from "../sync/now";
import { openTenant } from "../sync/runtime";
import { inOpenPeriod } from "../sync/engine";
import { statusesFor, toObjectStatus } from "../sync/status";
import { statusNotes } from "../sync/notes";
import { audit } from "../db/audit";
import { getClosureRecord } from "../db/closures";
import type { Blocker } from "../ledger";
import { loadRefs } from "../qbo/refs";
import { nameOf, posNames, storeContext } from "./pos-names";
import { debitsAndCredits } from "../reports/debits-credits";

const PreviewQuery = z.object({ kind: ObjectKind, posId: z.string().min(1).max(200) });
const RecentQuery = z.object({ kind: ObjectKind });

/** Status of many objects in one request, send / retry on a click, the preview of a posting and the recent objects to preview. */
export const syncRoutes = new Hono<ApiContext>()
  .post("/status", requireSession, valid("json", Routes.status.request), async (c) => {
    const { db, now } = c.get("services");
    const { tenantId } = c.get("session");
    const { objects } = c.req.valid("json");
    const rows = await currentItems(db, tenantId, objects);
    const statuses = statusesFor(objects, rows, c.get("lang"), now());
    await statusNotes(c.get("services"), tenantId, statuses, c.get("lang"));
    return c.json(Routes.status.response.parse({ objects: statuses }));
  })
  .post("/sync/send", requireSession, valid("json", Routes.send.request), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const rt = await openTenant(s, session.tenantId, actorOf(session));
    const row = await ensureItem(s, session.tenantId, rt.pos, c.req.valid("json"));
    await audit(
      s.db,
      {
        tenantId: session.tenantId,
        actor: actorOf(session),
        action: "send",
        kind: row.kind,
        posId: row.pos_id,
        posVersion: row.pos_version,
      },
      s.now(),
    );
    if (row.state === "blocked" || row.state === "failed" || row.state === "rejected")
      await retryNow(s.db, row.id, s.now());
    if (row.state !== "posted" && row.state !== "not_applicable" && row.state !== "posting") {
      s.waitUntil(postNow(s, session.tenantId, row, actorOf(session)).then(() => undefined));
    }
    const now = (await currentItem(s.db, session.tenantId, row.kind as ObjectKind, row.pos_id)) ?? row;
    return c.json(Routes.send.response.parse({ object: toObjectStatus(now, c.get("lang"), s.now()) }));
  })
  .post("/sync/retry", requireSession, valid("json", Routes.retry.request), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const ref = c.req.valid("json");
    const row = await currentItem(s.db, session.tenantId, ref.kind, ref.posId);
    if (!row) throw new TillbridgeError("not_found", `${ref.kind} ${ref.posId} has not been sent yet`);
    await audit(
      s.db,
      {
        tenantId: session.tenantId,
        actor: actorOf(session),
        action: "retry",
        kind: row.kind,
        posId: row.pos_id,
        posVersion: row.pos_version,
      },
      s.now(),
    );
    if (await retryNow(s.db, row.id, s.now())) {
      s.waitUntil(postNow(s, session.tenantId, row, actorOf(session)).then(() => undefined));
    }
    const now = (await currentItem(s.db, session.tenantId, ref.kind, ref.posId)) ?? row;
    return c.json(Routes.retry.response.parse({ object: toObjectStatus(now, c.get("lang"), s.now()) }));
  })
  .post("/sync/resolve", requireSession, valid("json", Routes.resolve.request), async (c) => {
    const s = c.get("services");
    const session = c.get("session");
    const ref = c.req.valid("json");
    const row = await currentItem(s.db, session.tenantId, ref.kind, ref.posId);
    if (!row) throw new TillbridgeError("not_found", `${ref.kind} ${ref.posId} has not been sent yet`);
    const rt = await openTenant(s, session.tenantId, actorOf(session));
    const chosen = await postInOpenPeriod(s, rt, row, actorOf(session));
    if (chosen.row.state === "ready")
      s.waitUntil(postNow(s, session.tenantId, chosen.row, actorOf(session)).then(() => undefined));
    return c.json(
      Routes.resolve.response.parse({
        object: toObjectStatus(chosen.row, c.get("lang"), s.now()),
        txnDate: chosen.txnDate,
      }),
    );
  })
  .get("/preview", requireSession, valid("query", PreviewQuery), async (c) => {
    const s = c.get("services");
    const lang = c.get("lang");
    const { tenantId } = c.get("session");
    const { kind, posId } = c.req.valid("query");
    const row = await currentItem(s.db, tenantId, kind, posId);
    const rt = await openTenant(s, tenantId, "preview");
    // a closure shown on the page that Tillbridge has not read yet: look at the POS once, now
    if (!row && kind === "closure" && !(await getClosureRecord(s.db, tenantId, posId))) await rt.discover();
    const built = await rt.build(kind, posId, row?.pos_version ?? "1", { resolve: false });
    const openDay = row?.txn_date_override ?? null;
    // debits and credits need the company's lists; a QBO that cannot be read shows the documents only
    const refs = built.ok ? await loadRefs(s, tenantId).catch(() => null) : null;
    // a blocker that says what it is about is worded in `lang` whole; else from its English detail
    const words = ({ code, detail, mappingKey, about }: Blocker) => {
      const d = describeError(code, detail, lang, about ? [about] : undefined);
      return { code, message: d.message, action: d.action, ...(mappingKey ? { mappingKey } : {}) };
    };
    const body: PreviewResponse = {
      kind,
      posId,
      state: row ? toObjectStatus(row, lang, s.now()).state : "unknown",
      // as they will be sent: re-dated into the first open day if a person chose so
      documents: built.ok
        ? built.plans.flatMap((p) =>
            inOpenPeriod(p.documents, openDay).map((d) => ({
              part: d.part,
              entity: d.entity,
              ...(d.docNumber ? { docNumber: d.docNumber } : {}),
              body: d.body,
              ...(refs ? { journal: debitsAndCredits(d.entity, d.body, refs, lang) } : {}),
            })),
          )
        : [],
      summary: built.ok ? built.plans.flatMap((p) => p.summary) : [],
      variance: built.ok ? built.plans.flatMap((p) => p.variance) : [],
      blockers: built.ok ? [] : built.blockers.map(words),
      posted: row ? docsOf(row) : [],
      ...(built.ok && built.plans[0]
        ? { txnDate: openDay && openDay > built.plans[0].txnDate ? openDay : built.plans[0].txnDate }
        : {}),
    };
    return c.json(Routes.preview.response.parse(body));
  })
  .get("/preview/recent", requireSession, valid("query", RecentQuery), async (c) => {
    const s = c.get("services");
    const { tenantId } = c.get("session");
    const { kind } = c.req.valid("query");
    const rows = await recentObjects(s.db, tenantId, kind);
    const names = await posNames(
      s,
      tenantId,
      rows.map((r) => ({ kind, posId: r.posId })),
      await storeContext(s, tenantId),
    );
    const objects = rows.map((r) => {
      const state = SyncState.safeParse(r.state);
      return {
        kind,
        posId: r.posId,
        name: nameOf(names, kind, r.posId),
        state: state.success ? state.data : "unknown",
        txnDate: r.txnDate,
      };
    });
    return c.json(Routes.recentObjects.response.parse({ objects }));
  });
