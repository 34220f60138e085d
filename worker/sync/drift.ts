import { z } from "zod";
import { ERRORS, TillbridgeError } from "../../shared/errors";
import { formatMinor } from "../../shared/money";
import { audit, auditStatement } from "../db/audit";
import {
  type DriftCandidate,
  driftCandidates,
  driftCheckStatement,
  type DriftStatus,
  paidInQbo,
  setPaidInQbo,
} from "../db/drift-docs";
import { docsOf, itemsUnder, postedByTillbridge } from "../db/sync-items";
import { findKind } from "../kinds";
import type { AppliedBy } from "../kinds/kind";
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
  /** Only this object's documents (a badge's "check now") */
  only?: { kind: string; posId: string };
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
  /** Objects whose document was paid in QBO (an on-account sale's invoice), and how much */
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

/**
 * Ids of what was applied to a document in QBO (payments on an on-account sale's invoice) that
 * Tillbridge did not post: not among the documents of the objects applied to it, nor of any other.
 */
async function foreignApplied(
  db: D1Database,
  tenantId: string,
  c: Candidate,
  by: AppliedBy,
  doc: QboDoc,
): Promise<string[]> {
  const linked = [...new Set((doc.LinkedTxn ?? []).filter((l) => l.TxnType === by.entity).map((l) => l.TxnId))];
  if (linked.length === 0) return [];
  const ours = new Set(
    (await itemsUnder(db, tenantId, by.kind, c.pos_id))
      .flatMap((r) => docsOf(r))
      .filter((d) => d.entity === by.entity)
      .map((d) => d.id),
  );
  const others = linked.filter((id) => !ours.has(id));
  // what Tillbridge posted for other objects (a return's credit applied to the invoice) is not QBO's
  const posted = await postedByTillbridge(db, tenantId, by.entity, others);
  return others.filter((id) => !posted.has(id));
}

/** What a payment applies to one document (`Invoice:<id>`), in cents. */
function appliedTo(payment: QboDoc, entity: string, target: string, qboId: string): number {
  const view = viewOf(entity, payment);
  return view.lines.filter((l) => l.ref === `${target}:${qboId}`).reduce((s, l) => s + l.amountMinor, 0);
}

const lastRunKey = (tenantId: string) => `drift:last:${tenantId}`;
const DEFAULT_EVERY_MS = 15 * 60 * 1000;

interface Run {
  s: Services;
  tenantId: string;
  actor: string;
  maxReads: number;
  report: DriftReport;
  /** Reads documents through the port, counting each query against the run's budget */
  reader: Pick<QboPort, "readDocuments">;
}

/**
 * One run for one tenant. The cron calls it for each tenant every minute with the defaults: at most
 * every 15 minutes it reads up to 20 documents in at most 4 requests, so a year of postings is gone
 * through in a few days at a cost QBO's metering hardly notices.
 */
export async function checkDrift(s: Services, tenantId: string, opts: DriftOptions = {}): Promise<DriftReport> {
  const report: DriftReport = { checked: 0, reads: 0, changed: [], paidInQbo: [] };
  if (await tooSoon(s, tenantId, opts.everyMs ?? DEFAULT_EVERY_MS)) return { ...report, skipped: "too_soon" };
  const list = await driftCandidates(s.db, tenantId, opts.maxDocs ?? 20, opts.only);
  if (list.length === 0) return report;
  const port = await portIfConnected(s, tenantId);
  if (!port) return { ...report, skipped: "qbo_not_connected" };
  const refs = await port.refs();
  const reader: Run["reader"] = {
    readDocuments: (entity, ids) => {
      report.reads += Math.ceil(ids.length / DOCS_PER_QUERY);
      return port.readDocuments(entity, ids);
    },
  };
  const run: Run = { s, tenantId, actor: opts.actor ?? "cron", maxReads: opts.maxReads ?? 4, report, reader };
  const read = await readBack(run, list);
  await recordChecks(run, read, (ref) => refName(ref, refs));
  for (const { c, doc } of read) await notePaidInQbo(run, c, doc);
  return report;
}

/** Runs closer together than `every` do nothing; a run that goes ahead stamps its start. */
async function tooSoon(s: Services, tenantId: string, every: number): Promise<boolean> {
  const last = every > 0 ? await s.kv.get(lastRunKey(tenantId)) : null;
  if (last && s.now().getTime() - Date.parse(last) < every) return true;
  await s.kv.put(lastRunKey(tenantId), s.now().toISOString());
  return false;
}

/** Disconnected or waiting for a reconnect: the postings stay where they are; look again later. */
async function portIfConnected(s: Services, tenantId: string): Promise<QboPort | null> {
  try {
    return await openQboPort(s, tenantId);
  } catch (e) {
    if (e instanceof TillbridgeError && ERRORS[e.code].fixAt === "connections") return null;
    throw e;
  }
}

/** The candidates as QBO holds them now (undefined: deleted), entity by entity within the read budget. */
async function readBack(run: Run, list: Candidate[]): Promise<{ c: Candidate; doc: QboDoc | undefined }[]> {
  const byEntity = new Map<string, Candidate[]>();
  for (const c of list) byEntity.set(c.entity, [...(byEntity.get(c.entity) ?? []), c]);
  const read: { c: Candidate; doc: QboDoc | undefined }[] = [];
  for (const [entity, group] of byEntity) {
    // whole groups only: a group cut short by the budget waits, oldest first, for the next run
    if (run.report.reads + Math.ceil(group.length / DOCS_PER_QUERY) > run.maxReads) continue;
    const found = await readDocs(
      run.reader,
      entity,
      group.map((c) => c.qbo_id),
    );
    for (const c of group) read.push({ c, doc: found.get(c.qbo_id) });
  }
  return read;
}

/** Stores what each document was found to be, and audits every change of state (flagged, or back as posted). */
async function recordChecks(
  run: Run,
  read: { c: Candidate; doc: QboDoc | undefined }[],
  name: (ref: string) => string,
): Promise<void> {
  const { s, tenantId, report } = run;
  const at = s.now().toISOString();
  const stmts: D1PreparedStatement[] = [];
  for (const { c, doc } of read) {
    const j = judge(c, doc, name);
    report.checked++;
    const was = c.status ?? "ok";
    stmts.push(
      driftCheckStatement(s.db, tenantId, c, {
        status: j.status,
        detail: j.detail || null,
        baselineJson: j.baseline ? JSON.stringify(j.baseline) : null,
        syncToken: doc?.SyncToken ?? null,
        checkedAt: at,
        flaggedAt: j.status !== was ? at : null,
      }),
    );
    if (j.status === was && (j.status === "ok" || j.detail === (c.detail ?? ""))) continue;
    report.changed.push({
      kind: c.kind,
      posId: c.pos_id,
      entity: c.entity,
      qboId: c.qbo_id,
      status: j.status,
      detail: j.detail,
    });
    stmts.push(changeAudit(run, c, j));
  }
  if (stmts.length > 0) await s.db.batch(stmts);
}

function changeAudit(run: Run, c: Candidate, j: { status: DriftStatus; detail: string }): D1PreparedStatement {
  const detail =
    j.status === "ok" ? "back as posted" : `${j.status} in QuickBooks Online${j.detail ? `: ${j.detail}` : ""}`;
  return auditStatement(
    run.s.db,
    {
      tenantId: run.tenantId,
      actor: run.actor,
      kind: c.kind,
      posId: c.pos_id,
      posVersion: c.pos_version,
      qboEntity: c.entity,
      qboId: c.qbo_id,
      action: j.status === "ok" ? "drift_cleared" : "drift",
      detail: detail.slice(0, 1000),
    },
    run.s.now(),
  );
}

/**
 * A document others apply to (an on-account sale's invoice) may have been paid in QBO rather than in
 * the POS: what was applied there is kept for the object's badge ("paid in QBO") and audited once.
 */
async function notePaidInQbo(run: Run, c: Candidate, doc: QboDoc | undefined): Promise<void> {
  const { s, tenantId, report } = run;
  const by = findKind(c.kind)?.appliedBy;
  if (!by || c.entity !== by.to) return;
  const foreign = doc && !isVoided(doc) ? await foreignApplied(s.db, tenantId, c, by, doc) : [];
  if (foreign.length > 0 && report.reads >= run.maxReads) return;
  const applied = foreign.length > 0 ? await readDocs(run.reader, by.entity, foreign) : new Map<string, QboDoc>();
  const amount = [...applied.values()]
    .filter((p) => !isVoided(p))
    .reduce((sum, p) => sum + appliedTo(p, by.entity, by.to, c.qbo_id), 0);
  const before = await paidInQbo(s.db, tenantId, c.entity, c.qbo_id);
  if (amount <= 0) {
    if (before !== null) await setPaidInQbo(s.db, tenantId, c.entity, c.qbo_id, null);
    return;
  }
  report.paidInQbo.push({ saleId: c.pos_id, amountMinor: amount });
  if (before === amount) return;
  await setPaidInQbo(s.db, tenantId, c.entity, c.qbo_id, amount);
  await audit(
    s.db,
    {
      tenantId,
      actor: run.actor,
      action: "paid_in_qbo",
      kind: c.kind,
      posId: c.pos_id,
      qboEntity: by.entity,
      qboId: [...applied.keys()].join(", "),
      detail: `${formatMinor(amount)} recorded in QuickBooks Online on ${by.to.toLowerCase()} ${c.qbo_id}`,
    },
    s.now(),
  );
}
