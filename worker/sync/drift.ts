import { z } from "zod";
import { ERRORS, TillbridgeError } from "../../shared/errors";
import { formatMinor } from "../../shared/money";
import { PostedDoc } from "../../shared/sync";
import { auditStatement } from "../db/audit";
import { DOCS_PER_QUERY, openQboPort, type QboPort } from "../qbo/port";
import {
  describeChange,
  isVoided,
  type Material,
  materialOf,
  type QboDoc,
  readDocs,
  refName,
  sameMaterial,
  viewOf,
} from "../reports/doc-lines";
import type { Services } from "../services";

/**
 * The drift check (SPEC §3.6): reads the documents Tillbridge posted back from QBO, a few at a time
 * (those checked longest ago first, never-checked ones before all), and flags any that were edited,
 * voided or deleted in QBO since. The first read of a document sets its baseline: QBO's SyncToken
 * "0" means nobody has touched it since it was created, so it is exactly what was posted; a
 * document already changed at its first read is flagged as such. On-account invoices also reveal
 * payments recorded in QBO rather than in the POS: they become the sale badge's "paid in QBO" note.
 */
export interface DriftOptions {
  /** Documents looked at in one run */
  maxDocs?: number;
  /** QBO requests in one run (each reads up to 30 documents of one entity) */
  maxReads?: number;
  /** Runs closer together than this do nothing (QBO reads are metered); 0 checks now */
  everyMs?: number;
  actor?: string;
}

export interface DriftFinding {
  kind: string;
  posId: string;
  entity: string;
  qboId: string;
  status: DriftStatus;
  detail: string;
}

export interface DriftReport {
  /** Why nothing was read: too soon after the last run, or QBO cannot be read now */
  skipped?: "too_soon" | "qbo_not_connected";
  checked: number;
  reads: number;
  /** Documents whose state changed in this run (newly flagged, or back to ok) */
  changed: DriftFinding[];
  paidInQbo: { saleId: string; amountMinor: number }[];
}

export type DriftStatus = "ok" | "edited" | "deleted" | "voided";

const Candidate = z.object({
  item_id: z.number().int(),
  kind: z.string(),
  pos_id: z.string(),
  pos_version: z.string(),
  part: z.string(),
  entity: z.string(),
  qbo_id: z.string(),
  doc_number: z.string().nullable(),
  baseline_json: z.string().nullable(),
  status: z.enum(["ok", "edited", "deleted", "voided"]).nullable(),
  detail: z.string().nullable(),
});
type Candidate = z.infer<typeof Candidate>;

const StoredMaterial = z.object({
  txnDate: z.string().nullable(),
  byRef: z.array(z.tuple([z.string(), z.number().int()])),
});
const PARTIES = ["Customer", "Vendor"];

async function candidates(db: D1Database, tenantId: string, limit: number): Promise<Candidate[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id AS item_id, s.kind, s.pos_id, s.pos_version, json_extract(j.value, '$.part') AS part, json_extract(j.value, '$.entity') AS entity,
              json_extract(j.value, '$.id') AS qbo_id, json_extract(j.value, '$.docNumber') AS doc_number, d.baseline_json, d.status, d.detail
       FROM sync_items AS s JOIN json_each(s.docs_json) AS j
       LEFT JOIN drift_docs AS d ON d.tenant_id = s.tenant_id AND d.entity = json_extract(j.value, '$.entity') AND d.qbo_id = json_extract(j.value, '$.id')
       WHERE s.tenant_id = ?1 AND s.state = 'posted' AND json_extract(j.value, '$.entity') NOT IN ('${PARTIES.join("', '")}')
         AND (d.status IS NULL OR d.status != 'deleted')
       ORDER BY d.checked_at IS NOT NULL, d.checked_at, s.id, j.key
       LIMIT ?2`,
    )
    .bind(tenantId, limit)
    .all();
  return results.map((r) => Candidate.parse(r));
}

function judge(
  c: Candidate,
  doc: QboDoc | undefined,
  name: (ref: string) => string,
): { status: DriftStatus; detail: string; baseline: Material | null } {
  const kept = c.baseline_json ? StoredMaterial.parse(JSON.parse(c.baseline_json)) : null;
  if (!doc) return { status: "deleted", detail: "", baseline: kept };
  if (isVoided(doc)) return { status: "voided", detail: "", baseline: kept };
  const now = materialOf(viewOf(c.entity, doc));
  if (!kept) {
    // SyncToken "0": untouched since Tillbridge created it, so this IS what was posted
    if (doc.SyncToken === "0" || doc.SyncToken === undefined) return { status: "ok", detail: "", baseline: now };
    return {
      status: "edited",
      detail: `changed ${doc.SyncToken} time(s) before Tillbridge first read it back`,
      baseline: null,
    };
  }
  if (sameMaterial(kept, now)) return { status: "ok", detail: "", baseline: kept };
  return { status: "edited", detail: describeChange(kept, now, name), baseline: kept };
}

/** Ids of the payments applied to a sale's invoice in QBO that Tillbridge did not post. */
async function foreignPayments(db: D1Database, tenantId: string, saleId: string, invoice: QboDoc): Promise<string[]> {
  const linked = [...new Set((invoice.LinkedTxn ?? []).filter((l) => l.TxnType === "Payment").map((l) => l.TxnId))];
  if (linked.length === 0) return [];
  const { results } = await db
    .prepare(
      "SELECT docs_json FROM sync_items WHERE tenant_id = ?1 AND kind = 'sale_payment' AND substr(pos_id, 1, length(?2) + 1) = ?2 || ':'",
    )
    .bind(tenantId, saleId)
    .all<{ docs_json: string }>();
  const ours = new Set(
    results
      .flatMap((r) => z.array(PostedDoc).parse(JSON.parse(r.docs_json)))
      .filter((d) => d.entity === "Payment")
      .map((d) => d.id),
  );
  return linked.filter((id) => !ours.has(id));
}

function appliedTo(payment: QboDoc, invoiceId: string): number {
  const view = viewOf("Payment", payment);
  return view.lines.filter((l) => l.ref === `Invoice:${invoiceId}`).reduce((s, l) => s + l.amountMinor, 0);
}

const lastRunKey = (tenantId: string) => `drift:last:${tenantId}`;
const DEFAULT_EVERY_MS = 15 * 60 * 1000;

/**
 * One run for one tenant. The cron calls it for each tenant every minute with the defaults: at most
 * every 15 minutes it reads up to 20 documents in at most 4 requests, so a year of postings is gone
 * through in a few days at a cost QBO's metering hardly notices.
 */
export async function checkDrift(s: Services, tenantId: string, opts: DriftOptions = {}): Promise<DriftReport> {
  const maxReads = opts.maxReads ?? 4;
  const actor = opts.actor ?? "cron";
  const report: DriftReport = { checked: 0, reads: 0, changed: [], paidInQbo: [] };
  const every = opts.everyMs ?? DEFAULT_EVERY_MS;
  const last = every > 0 ? await s.kv.get(lastRunKey(tenantId)) : null;
  if (last && s.now().getTime() - Date.parse(last) < every) return { ...report, skipped: "too_soon" };
  await s.kv.put(lastRunKey(tenantId), s.now().toISOString());
  const list = await candidates(s.db, tenantId, opts.maxDocs ?? 20);
  if (list.length === 0) return report;
  let port: QboPort;
  try {
    port = await openQboPort(s, tenantId);
  } catch (e) {
    // disconnected or waiting for a reconnect: the postings stay where they are; look again later
    if (e instanceof TillbridgeError && ERRORS[e.code].fixAt === "connections")
      return { ...report, skipped: "qbo_not_connected" };
    throw e;
  }
  const refs = await port.refs();
  const name = (ref: string) => refName(ref, refs);
  // every query counts against the run's budget of reads
  const reader: Pick<QboPort, "readDocuments"> = {
    readDocuments: (entity, ids) => {
      report.reads += Math.ceil(ids.length / DOCS_PER_QUERY);
      return port.readDocuments(entity, ids);
    },
  };

  const byEntity = new Map<string, Candidate[]>();
  for (const c of list) byEntity.set(c.entity, [...(byEntity.get(c.entity) ?? []), c]);
  const read: { c: Candidate; doc: QboDoc | undefined }[] = [];
  for (const [entity, group] of byEntity) {
    // whole groups only: a group cut short by the budget waits, oldest first, for the next run
    if (report.reads + Math.ceil(group.length / DOCS_PER_QUERY) > maxReads) continue;
    const found = await readDocs(
      reader,
      entity,
      group.map((c) => c.qbo_id),
    );
    for (const c of group) read.push({ c, doc: found.get(c.qbo_id) });
  }

  const at = s.now().toISOString();
  const stmts: D1PreparedStatement[] = [];
  for (const { c, doc } of read) {
    const j = judge(c, doc, name);
    report.checked++;
    const was = c.status ?? "ok";
    const flippedAt = j.status !== was ? at : null;
    stmts.push(
      s.db
        .prepare(
          `INSERT INTO drift_docs (tenant_id, entity, qbo_id, item_id, kind, pos_id, part, doc_number, baseline_json, sync_token, status, detail, checked_at, flagged_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
           ON CONFLICT (tenant_id, entity, qbo_id) DO UPDATE SET item_id = excluded.item_id, baseline_json = COALESCE(drift_docs.baseline_json, excluded.baseline_json),
             sync_token = excluded.sync_token, status = excluded.status, detail = excluded.detail, checked_at = excluded.checked_at,
             flagged_at = COALESCE(excluded.flagged_at, drift_docs.flagged_at)`,
        )
        .bind(
          tenantId,
          c.entity,
          c.qbo_id,
          c.item_id,
          c.kind,
          c.pos_id,
          c.part,
          c.doc_number,
          j.baseline ? JSON.stringify(j.baseline) : null,
          doc?.SyncToken ?? null,
          j.status,
          j.detail || null,
          at,
          flippedAt,
        ),
    );
    if (j.status !== was || (j.status !== "ok" && j.detail !== (c.detail ?? ""))) {
      report.changed.push({
        kind: c.kind,
        posId: c.pos_id,
        entity: c.entity,
        qboId: c.qbo_id,
        status: j.status,
        detail: j.detail,
      });
      const entry = {
        tenantId,
        actor,
        kind: c.kind,
        posId: c.pos_id,
        posVersion: c.pos_version,
        qboEntity: c.entity,
        qboId: c.qbo_id,
      };
      stmts.push(
        auditStatement(
          s.db,
          {
            ...entry,
            action: j.status === "ok" ? "drift_cleared" : "drift",
            detail:
              j.status === "ok"
                ? "back as posted"
                : `${j.status} in QuickBooks Online${j.detail ? `: ${j.detail}` : ""}`.slice(0, 1000),
          },
          s.now(),
        ),
      );
    }
  }
  if (stmts.length > 0) await s.db.batch(stmts);

  for (const { c, doc } of read) {
    if (c.kind !== "sale" || c.entity !== "Invoice") continue;
    const foreign = doc && !isVoided(doc) ? await foreignPayments(s.db, tenantId, c.pos_id, doc) : [];
    if (foreign.length > 0 && report.reads >= maxReads) continue;
    const payments = foreign.length > 0 ? await readDocs(reader, "Payment", foreign) : new Map<string, QboDoc>();
    const amount = [...payments.values()]
      .filter((p) => !isVoided(p))
      .reduce((sum, p) => sum + appliedTo(p, c.qbo_id), 0);
    const row = await s.db
      .prepare("SELECT paid_in_qbo_minor FROM drift_docs WHERE tenant_id = ?1 AND entity = 'Invoice' AND qbo_id = ?2")
      .bind(tenantId, c.qbo_id)
      .first<{ paid_in_qbo_minor: number | null }>();
    const before = row?.paid_in_qbo_minor ?? null;
    const keep = (minor: number | null) =>
      s.db
        .prepare(
          "UPDATE drift_docs SET paid_in_qbo_minor = ?3 WHERE tenant_id = ?1 AND entity = 'Invoice' AND qbo_id = ?2",
        )
        .bind(tenantId, c.qbo_id, minor)
        .run();
    if (amount > 0) {
      report.paidInQbo.push({ saleId: c.pos_id, amountMinor: amount });
      if (before !== amount) {
        await keep(amount);
        const ids = [...payments.keys()].join(", ");
        await auditStatement(
          s.db,
          {
            tenantId,
            actor,
            action: "paid_in_qbo",
            kind: "sale",
            posId: c.pos_id,
            qboEntity: "Payment",
            qboId: ids,
            detail: `${formatMinor(amount)} recorded in QuickBooks Online on invoice ${c.qbo_id}`,
          },
          s.now(),
        ).run();
      }
    } else if (before !== null) await keep(null);
  }
  return report;
}
