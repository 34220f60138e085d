import { Hono } from "hono";
import { AuditQuery, Routes } from "../../shared/api";
import { type ApiContext, requireSession } from "../lib/session-auth";
import { valid } from "../lib/validate";
import { auditEntries } from "../db/audit";
import { describeError, ErrorCode } from "../../shared/errors";
import { nameOf, posNames, storeContext } from "./pos-names";

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

/** A block, failure or refusal is recorded as "<code>: <detail>": its reason in plain words. */
function reasonOf(action: string, detail: string | null, lang: "en" | "fr") {
  if (!detail || (action !== "block" && action !== "fail" && action !== "reject")) return null;
  const at = detail.indexOf(": ");
  const code = ErrorCode.safeParse(at < 0 ? detail : detail.slice(0, at));
  if (!code.success) return null;
  const words = describeError(code.data, at < 0 ? undefined : detail.slice(at + 2) || undefined, lang);
  return { code: code.data, message: words.message, action: words.action };
}

/** The audit trail: who sent or retried what, when, with the payload hash and the QBO ids. */
export const auditRoutes = new Hono<ApiContext>()
  .get("/audit", requireSession, valid("query", AuditQuery), async (c) => {
    const s = c.get("services");
    const lang = c.get("lang");
    const { tenantId } = c.get("session");
    const [rows, store] = await Promise.all([
      auditEntries(s.db, tenantId, bounds(c.req.valid("query"))),
      storeContext(s, tenantId),
    ]);
    const refs = rows.flatMap((r) => (r.kind && r.pos_id ? [{ kind: r.kind, posId: r.pos_id }] : []));
    const names = await posNames(s, tenantId, refs, store);
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
      posName: r.kind && r.pos_id ? nameOf(names, r.kind, r.pos_id) : null,
      reason: reasonOf(r.action, r.detail, lang),
    }));
    return c.json(Routes.audit.response.parse({ entries, timeZone: store.timeZone }));
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
