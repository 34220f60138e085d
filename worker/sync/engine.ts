import { TillbridgeError } from "../../shared/errors";
import { requestIdOf } from "../../shared/hash";
import type { Mappings } from "../../shared/mappings";
import type { ObjectKind, PostedDoc } from "../../shared/sync";
import { auditStatement } from "../db/audit";
import {
  claimItemRow,
  currentItem,
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
import { findKind } from "../kinds";
import type { PlanOutcome, PlannedDocument } from "./plan";
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

/** What one attempt learned on the way, kept for its outcome whatever happens next. */
interface Progress {
  facts: PostedFacts;
  /** QBO definitely refused a create: the next send needs a new requestid */
  refused: boolean;
  /** QBO itself said the period is closed */
  closedByQbo: boolean;
}

async function attempt(deps: EngineDeps, ctx: PostContext | TillbridgeError, held: SyncItemRow): Promise<SyncItemRow> {
  const progress: Progress = { facts: {}, refused: false, closedByQbo: false };
  try {
    if (ctx instanceof TillbridgeError) throw ctx;
    await post(deps, ctx, held, progress);
  } catch (e) {
    await recordFailure(deps, ctx, held, e, progress);
  }
  return (await itemById(deps.db, held.tenant_id, held.id))!;
}

const auditRef = (held: SyncItemRow) => ({
  tenantId: held.tenant_id,
  kind: held.kind,
  posId: held.pos_id,
  posVersion: held.pos_version,
});

/** Builds the item's documents, checks the books' closing date, sends what is not sent yet, settles it. */
async function post(deps: EngineDeps, ctx: PostContext, held: SyncItemRow, progress: Progress): Promise<void> {
  const { db, now, owner, actor } = deps;
  const outcome = await ctx.plan(held);
  if (!outcome.ok) throw outcome.error;
  const { plan } = outcome;
  progress.facts = { txnDate: plan.txnDate, amountMinor: outcome.amountMinor, mappingVersion: ctx.mappingVersion };
  progress.facts.payloadHash = await sha256Hex(JSON.stringify(plan.documents));
  if (plan.documents.length === 0) {
    await db.batch([
      finishPostedStatement(db, held.id, owner, progress.facts, now(), "not_applicable"),
      auditStatement(
        db,
        { ...auditRef(held), actor, action: "nothing_to_post", payloadHash: progress.facts.payloadHash },
        now(),
      ),
    ]);
    return;
  }
  const posted: PostedDoc[] = docsOf(held);
  const documents = inOpenPeriod(plan.documents, held.txn_date_override);
  const unsent = documents.filter((d) => !posted.some((p) => p.part === d.part));
  const { bookCloseDate } = await ctx.qbo.refs();
  if (bookCloseDate && unsent.some((d) => (dateOf(d) ?? plan.txnDate) <= bookCloseDate))
    throw new TillbridgeError("closed_period", bookCloseDate);
  for (const doc of unsent) {
    const original = plan.documents.find((d) => d.part === doc.part)!;
    posted.push(await send(deps, ctx, held, original === doc ? [doc] : [original, doc], progress));
  }
  await finishPostedStatement(db, held.id, owner, progress.facts, now()).run();
  await findKind(held.kind)?.afterPosted?.({ db, now: now() }, held);
  deps.log.info("posted", { kind: held.kind, posId: held.pos_id, docs: posted.map((d) => `${d.entity}:${d.id}`) });
}

/**
 * Sends one document (the last of `drafts`; the first is its original date when a person moved it
 * into an open period), unless an earlier attempt got as far as sending and QBO holds it already:
 * then it is adopted. Its QBO id is recorded the moment it exists.
 */
async function send(
  deps: EngineDeps,
  ctx: PostContext,
  held: SyncItemRow,
  drafts: PlannedDocument[],
  progress: Progress,
): Promise<PostedDoc> {
  const { db, now, owner, actor } = deps;
  const doc = drafts[drafts.length - 1]!;
  let created: CreatedDoc | null = null;
  // An earlier attempt got as far as sending: QBO may hold a document D1 never heard of.
  for (const draft of held.sends > 0 ? drafts : []) {
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
      progress.refused = definiteRefusal(e);
      progress.closedByQbo = e instanceof TillbridgeError && e.code === "closed_period";
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
  const payloadHash = await sha256Hex(JSON.stringify(doc.body));
  await auditStatement(
    db,
    {
      ...auditRef(held),
      actor,
      action: adopted ? "adopt" : "post",
      qboEntity: doc.entity,
      qboId: created.id,
      payloadHash,
      detail: doc.part,
    },
    now(),
  ).run();
  return entry;
}

/** Classifies what went wrong and records the item's next state (blocked, failed, rejected) with its audit line. */
async function recordFailure(
  deps: EngineDeps,
  ctx: PostContext | TillbridgeError,
  held: SyncItemRow,
  e: unknown,
  progress: Progress,
): Promise<void> {
  const { db, now, log, owner, actor } = deps;
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
  if (progress.closedByQbo && !(ctx instanceof TillbridgeError))
    await ctx.qbo.refs({ reload: true }).catch(() => undefined);
  const outcome = outcomeOf(error, held.attempts, now(), deps.random(), error.extra.mappingKey);
  const action = outcome.state === "blocked" ? "block" : outcome.state === "failed" ? "fail" : "reject";
  await db.batch([
    finishOutcomeStatement(db, held.id, owner, outcome, now(), progress.facts, progress.refused),
    auditStatement(
      db,
      { ...auditRef(held), actor, action, detail: `${error.code}: ${error.detail ?? ""}`.slice(0, 1000) },
      now(),
    ),
  ]);
  log.warn("posting did not complete", { kind: held.kind, posId: held.pos_id, code: error.code, state: outcome.state });
  if (outcome.state === "blocked") await wakeIfAlreadyDone(deps, held, outcome.blockedOn);
}

/**
 * An item that waits for another one's documents is woken when that one posts; but with several
 * postings in flight, the other may have posted between this item's look and its record of the
 * wait, its wake-up finding nothing to wake. Looked at once more after the record: due at once.
 */
async function wakeIfAlreadyDone(deps: EngineDeps, held: SyncItemRow, blockedOn: string): Promise<void> {
  const m = /^waiting:([a-z_]+):(.+)$/.exec(blockedOn);
  const kind = m ? findKind(m[1]!)?.kind : undefined;
  if (!m || !kind) return;
  const other = await currentItem(deps.db, held.tenant_id, kind, m[2]!);
  if (other?.state === "posted") await healBlocked(deps.db, held.tenant_id, blockedOn, deps.now(), held.pos_id);
}

export type { ObjectKind };
