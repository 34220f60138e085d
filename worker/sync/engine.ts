import { TillbridgeError } from "../../shared/errors";
import { requestIdOf } from "../../shared/hash";
import type { Mappings } from "../../shared/mappings";
import type { ObjectKind, PostedDoc } from "../../shared/sync";
import { auditStatement } from "../db/audit";
import {
  claimItemRow,
  docsOf,
  finishOutcomeStatement,
  finishPostedStatement,
  healBlocked,
  itemById,
  markSending,
  recordDoc,
  type PostedFacts,
  type SyncItemRow,
} from "../db/sync-items";
import { clip } from "../ledger/keys";
import { sha256Hex } from "../lib/crypto";
import type { Logger } from "../lib/log";
import { outcomeOf } from "./policy";
import type { PlanOutcome } from "./plan";
import type { CreatedDoc, QboPort } from "../qbo/port";

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

const PRIVATE_NOTE_MAX = 4000;
const dateOf = (doc: { body: Record<string, unknown> }): string | undefined =>
  typeof doc.body.TxnDate === "string" ? doc.body.TxnDate.slice(0, 10) : undefined;

/**
 * The documents as a person chose to post them: any dated before `openDay` (the first open day
 * after the books' closing date) is dated `openDay`, its PrivateNote keeping the original date.
 */
export function inOpenPeriod<D extends { body: Record<string, unknown>; marker?: string }>(
  documents: readonly D[],
  openDay: string | null,
): D[] {
  if (!openDay) return [...documents];
  return documents.map((doc) => {
    const original = dateOf(doc);
    if (!original || original >= openDay) return doc;
    const note = typeof doc.body.PrivateNote === "string" ? doc.body.PrivateNote : (doc.marker ?? "");
    const PrivateNote = clip(
      `${note} | dated ${openDay}, the first open day: originally ${original}, in a closed period`,
      PRIVATE_NOTE_MAX,
    );
    return { ...doc, body: { ...doc.body, TxnDate: openDay, PrivateNote } };
  });
}

/** The requestid of a document in this generation (generation 0 is DESIGN §2's id, unchanged). */
export const requestIdIn = (requestId: string, generation: number) =>
  generation === 0 ? requestId : requestIdOf(`${requestId}|g${generation}`);

/** QBO answered, and the answer was no: nothing was recorded, so a later send may use a new requestid. */
function definiteRefusal(e: unknown): boolean {
  if (!(e instanceof TillbridgeError) || e.extra.unknownOutcome) return false;
  return (e as TillbridgeError & { outcomeUnknown?: boolean }).outcomeUnknown !== true;
}

export async function postItem(
  deps: EngineDeps,
  ctx: PostContext | TillbridgeError,
  row: SyncItemRow,
): Promise<SyncItemRow> {
  return (await attemptItem(deps, ctx, row)).row;
}

/** postItem, also saying whether this call made the attempt (false: another holder had it, or it was not due). */
export async function attemptItem(
  deps: EngineDeps,
  ctx: PostContext | TillbridgeError,
  row: SyncItemRow,
): Promise<{ row: SyncItemRow; attempted: boolean }> {
  const held = await claimItemRow(deps.db, row.id, deps.owner, deps.now());
  if (!held) return { row: (await itemById(deps.db, row.tenant_id, row.id)) ?? row, attempted: false };
  return { row: await attempt(deps, ctx, held), attempted: true };
}

async function attempt(deps: EngineDeps, ctx: PostContext | TillbridgeError, held: SyncItemRow): Promise<SyncItemRow> {
  const { db, now, log, owner, actor } = deps;
  const ref = { tenantId: held.tenant_id, kind: held.kind, posId: held.pos_id, posVersion: held.pos_version };
  let facts: PostedFacts = {};
  let refused = false;
  let closedByQbo = false;
  try {
    if (ctx instanceof TillbridgeError) throw ctx;
    const outcome = await ctx.plan(held);
    if (!outcome.ok) throw outcome.error;
    const { plan } = outcome;
    facts = { txnDate: plan.txnDate, amountMinor: outcome.amountMinor, mappingVersion: ctx.mappingVersion };
    facts.payloadHash = await sha256Hex(JSON.stringify(plan.documents));
    if (plan.documents.length === 0) {
      await db.batch([
        finishPostedStatement(db, held.id, owner, facts, now(), "not_applicable"),
        auditStatement(db, { ...ref, actor, action: "nothing_to_post", payloadHash: facts.payloadHash }, now()),
      ]);
      return (await itemById(db, held.tenant_id, held.id))!;
    }
    const posted: PostedDoc[] = docsOf(held);
    const documents = inOpenPeriod(plan.documents, held.txn_date_override);
    const unsent = documents.filter((d) => !posted.some((p) => p.part === d.part));
    const { bookCloseDate } = await ctx.qbo.refs();
    if (bookCloseDate && unsent.some((d) => (dateOf(d) ?? plan.txnDate) <= bookCloseDate))
      throw new TillbridgeError("closed_period", bookCloseDate);

    // An earlier attempt got as far as sending: QBO may hold a document D1 never heard of.
    const mayExist = held.sends > 0;
    for (const doc of unsent) {
      const original = plan.documents.find((d) => d.part === doc.part)!;
      const drafts = original === doc ? [doc] : [original, doc];
      let created: CreatedDoc | null = null;
      for (const draft of mayExist ? drafts : []) {
        created ??= await ctx.qbo.findExisting(draft.entity, {
          ...(draft.docNumber ? { docNumber: draft.docNumber } : {}),
          body: draft.body,
          marker: draft.marker,
        });
      }
      const adopted = created !== null;
      if (!created) {
        await markSending(db, held.id, owner, now());
        try {
          created = await ctx.qbo.create(doc.entity, doc.body, requestIdIn(doc.requestId, held.request_gen));
        } catch (e) {
          refused = definiteRefusal(e);
          closedByQbo = e instanceof TillbridgeError && e.code === "closed_period";
          throw e;
        }
      }
      const docNumber = created.docNumber ?? doc.docNumber;
      const entry: PostedDoc = {
        part: doc.part,
        entity: doc.entity,
        id: created.id,
        ...(docNumber ? { docNumber } : {}),
        url: ctx.qbo.docUrl(doc.entity, created.id),
      };
      await recordDoc(db, held.id, owner, entry, now());
      posted.push(entry);
      await auditStatement(
        db,
        {
          ...ref,
          actor,
          action: adopted ? "adopt" : "post",
          qboEntity: doc.entity,
          qboId: created.id,
          payloadHash: await sha256Hex(JSON.stringify(doc.body)),
          detail: doc.part,
        },
        now(),
      ).run();
    }
    await finishPostedStatement(db, held.id, owner, facts, now()).run();
    // Payments taken on an on-account sale wait for its invoice: now they can go.
    if (held.kind === "sale") await healBlocked(db, held.tenant_id, `waiting:sale:${held.pos_id}`, now());
    log.info("posted", { kind: held.kind, posId: held.pos_id, docs: posted.map((d) => `${d.entity}:${d.id}`) });
  } catch (e) {
    const error =
      e instanceof TillbridgeError
        ? e
        : new TillbridgeError("internal", e instanceof Error ? e.message : String(e), { cause: e });
    if (error.code === "internal")
      log.error("posting failed unexpectedly", {
        kind: held.kind,
        posId: held.pos_id,
        error: e instanceof Error ? { message: e.message, stack: e.stack } : String(e),
      });
    // QBO knew of a closing date the cached reference data did not: learn it, so the period
    // re-check compares against the truth rather than healing this item into the same refusal.
    if (closedByQbo && !(ctx instanceof TillbridgeError)) await ctx.qbo.refs({ reload: true }).catch(() => undefined);
    const outcome = outcomeOf(error, held.attempts, now(), deps.random(), error.extra.mappingKey);
    await db.batch([
      finishOutcomeStatement(db, held.id, owner, outcome, now(), facts, refused),
      auditStatement(
        db,
        {
          ...ref,
          actor,
          action: outcome.state === "blocked" ? "block" : outcome.state === "failed" ? "fail" : "reject",
          detail: `${error.code}: ${error.detail ?? ""}`.slice(0, 1000),
        },
        now(),
      ),
    ]);
    log.warn("posting did not complete", {
      kind: held.kind,
      posId: held.pos_id,
      code: error.code,
      state: outcome.state,
    });
  }
  return (await itemById(db, held.tenant_id, held.id))!;
}

export type { ObjectKind };
