import { TillbridgeError } from "../../shared/errors";
import type { Mappings } from "../../shared/mappings";
import type { ObjectKind, PostedDoc } from "../../shared/sync";
import { auditStatement } from "../db/audit";
import { claimItem, docsOf, finishOutcomeStatement, finishPostedStatement, itemById, recordDoc, type SyncItemRow } from "../db/sync-items";
import { sha256Hex } from "../lib/crypto";
import type { Logger } from "../lib/log";
import { outcomeOf } from "./policy";
import type { PlanOutcome } from "./plan";
import type { QboPort } from "./ports";

/**
 * Posts one sync item, exactly once: claim it (one holder at a time), build its documents, check
 * the books' closing date, send each document not yet recorded — looking it up first whenever an
 * earlier attempt may have created it — and record every QBO id the moment it exists.
 */
export interface EngineDeps {
  db: D1Database;
  now: () => Date;
  log: Logger;
  random: () => number;
  /** Who holds the lease: unique per run/request */
  owner: string;
  /** Who acted, for the audit trail: user:<label> | cron | webhook */
  actor: string;
}

export interface PostContext {
  qbo: QboPort;
  /** Builds the posting plan of an item (loads the POS object, runs the ledger, resolves refs). */
  plan(row: SyncItemRow): Promise<PlanOutcome>;
  mappingVersion: number;
  mappings: Mappings;
}

export async function postItem(deps: EngineDeps, ctx: PostContext | TillbridgeError, row: SyncItemRow): Promise<SyncItemRow> {
  const { db, now, log, owner, actor } = deps;
  if (!(await claimItem(db, row.id, owner, now()))) return (await itemById(db, row.tenant_id, row.id)) ?? row;
  const everTried = row.last_attempt_at !== null;
  const attempts = row.attempts + 1;
  const ref = { tenantId: row.tenant_id, kind: row.kind, posId: row.pos_id, posVersion: row.pos_version };
  let facts: { txnDate?: string; amountMinor?: number; mappingVersion?: number; payloadHash?: string } = {};
  try {
    if (ctx instanceof TillbridgeError) throw ctx;
    const outcome = await ctx.plan(row);
    if (!outcome.ok) throw outcome.error;
    const { plan } = outcome;
    facts = { txnDate: plan.txnDate, amountMinor: outcome.amountMinor, mappingVersion: ctx.mappingVersion };
    facts.payloadHash = await sha256Hex(JSON.stringify(plan.documents));
    if (plan.documents.length === 0) {
      await db.batch([
        finishPostedStatement(db, row.id, owner, facts, now(), "not_applicable"),
        auditStatement(db, { ...ref, actor, action: "nothing_to_post", payloadHash: facts.payloadHash }, now()),
      ]);
      return (await itemById(db, row.tenant_id, row.id))!;
    }
    const refs = await ctx.qbo.refs();
    if (refs.bookCloseDate && plan.txnDate <= refs.bookCloseDate) {
      throw new TillbridgeError("closed_period", refs.bookCloseDate);
    }
    const posted: PostedDoc[] = docsOf(row);
    for (const doc of plan.documents) {
      if (posted.some((d) => d.part === doc.part)) continue;
      let created = everTried ? await ctx.qbo.findExisting(doc.entity, { ...(doc.docNumber ? { docNumber: doc.docNumber } : {}), body: doc.body, marker: doc.marker }) : null;
      const adopted = created !== null;
      created ??= await ctx.qbo.create(doc.entity, doc.body, doc.requestId);
      const entry: PostedDoc = {
        part: doc.part,
        entity: doc.entity,
        id: created.id,
        ...(created.docNumber ?? doc.docNumber ? { docNumber: created.docNumber ?? doc.docNumber } : {}),
        url: ctx.qbo.docUrl(doc.entity, created.id),
      };
      await recordDoc(db, row.id, owner, entry, now());
      posted.push(entry);
      await auditStatement(
        db,
        { ...ref, actor, action: adopted ? "adopt" : "post", qboEntity: doc.entity, qboId: created.id, payloadHash: await sha256Hex(JSON.stringify(doc.body)), detail: doc.part },
        now(),
      ).run();
    }
    await finishPostedStatement(db, row.id, owner, facts, now()).run();
    log.info("posted", { kind: row.kind, posId: row.pos_id, docs: posted.map((d) => `${d.entity}:${d.id}`) });
  } catch (e) {
    const error = e instanceof TillbridgeError ? e : new TillbridgeError("internal", e instanceof Error ? e.message : String(e), { cause: e });
    if (error.code === "internal") log.error("posting failed unexpectedly", { kind: row.kind, posId: row.pos_id, error: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) });
    const outcome = outcomeOf(error, attempts, now(), deps.random(), error.extra.mappingKey);
    await db.batch([
      finishOutcomeStatement(db, row.id, owner, outcome, now(), facts),
      auditStatement(db, { ...ref, actor, action: outcome.state === "blocked" ? "block" : outcome.state === "failed" ? "fail" : "reject", detail: `${error.code}: ${error.detail ?? ""}`.slice(0, 1000) }, now()),
    ]);
    log.warn("posting did not complete", { kind: row.kind, posId: row.pos_id, code: error.code, state: outcome.state });
  }
  return (await itemById(db, row.tenant_id, row.id))!;
}

export type { ObjectKind };
