import { z } from "zod";
import { ERRORS, TillbridgeError } from "../../shared/errors";
import { formatMinor } from "../../shared/money";
import { auditStatement } from "../db/audit";
import {
  type DriftCandidate,
  driftCandidates,
  driftCheckStatement,
  type DriftStatus,
  paidInQbo,
  setPaidInQbo,
} from "../db/drift-docs";
import { docsOf, itemsUnder } from "../db/sync-items";
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

type Candidate = DriftCandidate;

const StoredMaterial = z.object({
  txnDate: z.string().nullable(),
  byRef: z.array(z.tuple([z.string(), z.number().int()])),
});
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
  const ours = new Set(
    (await itemsUnder(db, tenantId, "sale_payment", saleId))
      .flatMap((r) => docsOf(r))
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
  const list = await driftCandidates(s.db, tenantId, opts.maxDocs ?? 20);
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
      driftCheckStatement(s.db, tenantId, c, {
        status: j.status,
        detail: j.detail || null,
        baselineJson: j.baseline ? JSON.stringify(j.baseline) : null,
        syncToken: doc?.SyncToken ?? null,
        checkedAt: at,
        flaggedAt: flippedAt,
      }),
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
    const before = await paidInQbo(s.db, tenantId, "Invoice", c.qbo_id);
    const keep = (minor: number | null) => setPaidInQbo(s.db, tenantId, "Invoice", c.qbo_id, minor);
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
