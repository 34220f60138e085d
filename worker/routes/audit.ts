import { Hono } from "hono";
import { AuditQuery, Routes } from "../../shared/api";
import { type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { auditEntries } from "../db/audit";

const COLUMNS = [
  "at",
  "actor",
  "action",
  "kind",
  "pos_id",
  "pos_version",
  "qbo_entity",
  "qbo_id",
  "payload_hash",
  "detail",
] as const;

type AuditFilter = ReturnType<typeof AuditQuery.parse>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date-only `to` includes its day (a person picking "to 31 October" means all of it); instants stay exclusive. */
function bounds(q: AuditFilter): AuditFilter {
  if (!q.to || !DATE_ONLY.test(q.to)) return q;
  const next = new Date(Date.parse(`${q.to}T00:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
  return { ...q, to: next };
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(v: string | null): string {
  if (v === null) return "";
  // = + - @ start a formula (also after leading blanks, which some spreadsheets skip); tab and CR too (OWASP)
  const safe = /^[\s]*[=+\-@]|^[\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The audit trail: who sent or retried what, when, with the payload hash and the QBO ids. */
export const auditRoutes = new Hono<ApiContext>()
  .get("/audit", requireSession, valid("query", AuditQuery), async (c) => {
    const rows = await auditEntries(c.get("services").db, c.get("session").tenantId, bounds(c.req.valid("query")));
    const entries = rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      kind: r.kind,
      posId: r.pos_id,
      posVersion: r.pos_version,
      qboEntity: r.qbo_entity,
      qboId: r.qbo_id,
      payloadHash: r.payload_hash,
      detail: r.detail,
    }));
    return c.json(Routes.audit.response.parse({ entries }));
  })
  .get("/audit.csv", requireSession, valid("query", AuditQuery), async (c) => {
    const rows = await auditEntries(
      c.get("services").db,
      c.get("session").tenantId,
      bounds({ ...c.req.valid("query"), limit: 100_000 }),
    );
    const lines = [COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((k) => cell(r[k])).join(","))];
    c.header("content-type", "text/csv; charset=utf-8");
    c.header("content-disposition", `attachment; filename="tillbridge-audit-${c.get("session").tenantId}.csv"`);
    return c.body(`${lines.join("\r\n")}\r\n`);
  });
