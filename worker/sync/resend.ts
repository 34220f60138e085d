import type { ReplaceResponse } from "../../shared/api";
import { type Lang, TillbridgeError } from "../../shared/errors";
import { requestIdOf } from "../../shared/hash";
import type { ObjectKind, ObjectRef } from "../../shared/sync";
import { audit, auditStatement } from "../db/audit";
import { releaseLease, takeLease } from "../db/leases";
import {
  type RevisionRow,
  revisionOf,
  revisionStatusStatement,
  startRevision,
  Voided,
  voidedStatement,
} from "../db/revisions";
import {
  currentItem,
  healBlocked,
  itemById,
  replacementStatement,
  type SyncItemRow,
  supersedePostedStatement,
} from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import { openQboPort, type QboPort } from "../qbo/port";
import { canVoid, isVoided } from "../reports/doc-lines";
import {
  checkKind,
  diffInWords,
  nextVersionOf,
  postedItem,
  prepare,
  readOld,
  relatedOf,
} from "../reports/revision-diff";
import type { Services } from "../services";
import { waitingFor } from "../kinds/kind";
import { postNow } from "./now";
import { blockersError } from "./runtime";
import { toObjectStatus } from "./status";

/**
 * Re-send a changed object (SPEC §3.5). When an object already posted would now post differently
 * (a mapping changed, a document deleted in QBO, the POS's figures changed) and a person confirms
 * the diff (reports/revision-diff.ts), the old documents are voided (deleted where QBO cannot void
 * them) and the new revision posts as a new sync item version, the old one superseded. A revisions
 * row and a per-object lease make it happen once however often it is clicked, and let a replacement
 * that stopped half-way resume where it stopped. An on-account sale's payments are voided and
 * re-posted with it, since they apply to its invoice.
 */

const LEASE_SECONDS = 120;

/** Voids (or deletes) every document of the old items still standing in QBO; safe to run again. */
async function voidAll(
  s: Services,
  tenantId: string,
  rev: RevisionRow,
  items: SyncItemRow[],
  port: QboPort,
  actor: string,
) {
  const done = Voided.parse(JSON.parse(rev.voided_json));
  const key = (kind: string, posId: string, entity: string, id: string) => `${kind}|${posId}|${entity}|${id}`;
  const seen = new Set(done.map((d) => key(d.kind, d.posId, d.entity, d.id)));
  // what applies to the object first (payments, credits on account): QBO refuses to void an invoice that still
  // has payments applied, or a credit memo a payment applies
  const applied = (o: { item: SyncItemRow }) => Number(o.item.id !== rev.from_item_id);
  const old = (await readOld(port, items)).sort((a, b) => applied(b) - applied(a));
  for (const o of old) {
    const { item, posted, doc } = o;
    if (seen.has(key(item.kind, item.pos_id, posted.entity, posted.id))) continue;
    let how: "void" | "delete" | "gone" = "gone";
    if (doc && !isVoided(doc)) {
      const version = { Id: posted.id, SyncToken: doc.SyncToken ?? "0" };
      const requestId = requestIdOf(`${item.idem_key}|replace|${posted.part}`);
      // a voided payment stays linked to its invoice, and an invoice with payments linked cannot be
      // voided: the payments applied to what is replaced are deleted, everything voidable else is voided
      const unlink = applied(o) === 1 && posted.entity === "Payment";
      how = canVoid(posted.entity) && !unlink ? "void" : "delete";
      if (how === "void") await port.voidDocument(posted.entity, version, requestId);
      else await port.deleteDocument(posted.entity, version, requestId);
    } else if (doc) how = "void";
    const entry = { kind: item.kind, posId: item.pos_id, part: posted.part, entity: posted.entity, id: posted.id, how };
    done.push(entry);
    await s.db.batch([
      voidedStatement(s.db, tenantId, rev, done, s.now()),
      auditStatement(
        s.db,
        {
          tenantId,
          actor,
          action: how === "gone" ? "replace_gone" : how,
          kind: item.kind,
          posId: item.pos_id,
          posVersion: item.pos_version,
          qboEntity: posted.entity,
          qboId: posted.id,
          detail: `${posted.part}: replaced by version ${rev.to_version}`,
        },
        s.now(),
      ),
    ]);
  }
  return done;
}

export async function replacePosting(
  s: Services,
  tenantId: string,
  req: ObjectRef & { fromVersion?: string | undefined },
  actor: string,
  lang: Lang,
  /** Why, when no person asked (the POS changed the object): said in the audit trail */
  why?: string,
): Promise<ReplaceResponse> {
  checkKind(req.kind);
  const lease = `revise:${req.kind}:${req.posId}`;
  if (!(await takeLease(s.db, tenantId, lease, s.now(), LEASE_SECONDS)))
    throw new TillbridgeError("conflict", `${req.kind} ${req.posId} is being replaced already`);
  try {
    const under = await revisionUnderWay(s, tenantId, req);
    const rev = under ?? (await startReplacement(s, tenantId, req, actor, why));
    return await run(s, tenantId, rev, actor, lang);
  } finally {
    await releaseLease(s.db, tenantId, lease, s.now());
  }
}

/**
 * A revision already under way for this object: the one a second click for the version already
 * replaced asks about (it answers what the first one did), or one left pending. Undefined when none.
 */
async function revisionUnderWay(
  s: Services,
  tenantId: string,
  req: ObjectRef & { fromVersion?: string | undefined },
): Promise<RevisionRow | undefined> {
  const current = await currentItem(s.db, tenantId, req.kind, req.posId);
  if (!current) throw new TillbridgeError("not_found", `${req.kind} ${req.posId} has not been sent yet`);
  if (req.fromVersion && current.pos_version !== req.fromVersion) {
    const rev = await revisionOf(s.db, tenantId, req, { fromVersion: req.fromVersion });
    if (!rev || rev.to_version !== current.pos_version)
      throw new TillbridgeError(
        "conflict",
        `${req.kind} ${req.posId} is at version ${current.pos_version}, not ${req.fromVersion}: look at the diff again`,
      );
    return rev;
  }
  return (await revisionOf(s.db, tenantId, req, { pending: true })) ?? undefined;
}

/** Checks the object can be replaced now, records the revision and its diff in the audit trail. */
async function startReplacement(
  s: Services,
  tenantId: string,
  req: ObjectRef,
  actor: string,
  why: string | undefined,
): Promise<RevisionRow> {
  const item = await postedItem(s, tenantId, req);
  const port = await openQboPort(s, tenantId);
  const p = await prepare(s, tenantId, item, port);
  await checkReplaceable(p, port);
  await startRevision(
    s.db,
    tenantId,
    { ref: req, fromItemId: item.id, fromVersion: item.pos_version, toVersion: p.nextVersion, actor },
    s.now(),
  );
  // the diff as confirmed (or, when the POS changed the object, as found) goes into the audit trail
  await audit(
    s.db,
    {
      tenantId,
      actor,
      action: "replace_diff",
      kind: req.kind,
      posId: req.posId,
      posVersion: p.nextVersion,
      detail: `${why ? `${why}: ` : ""}${diffInWords(p.documents)}`.slice(0, 1000),
    },
    s.now(),
  );
  const rev = await revisionOf(s.db, tenantId, req, { fromVersion: item.pos_version });
  return rev!;
}

/** Throws when a re-send would not post, change nothing, stop half-way, or void in a closed period. */
async function checkReplaceable(p: Awaited<ReturnType<typeof prepare>>, port: QboPort): Promise<void> {
  if (p.blockers.length > 0) throw blockersError(p.blockers);
  if (!p.changed)
    throw new TillbridgeError("conflict", "nothing changed: QuickBooks Online holds what Tillbridge would post now");
  // QBO keeps an invoice a credit is applied to, and the credit memo it applies: the re-send would stop
  // half-way, so it does not start; the words say how to do it by hand
  if (p.credits.length > 0) {
    throw new TillbridgeError(
      "credit_applied",
      `payment ${p.credits.join(", ")} applying a return on account's or a cancelled layby's credit`,
    );
  }
  if (p.foreign.length > 0) {
    throw new TillbridgeError(
      "conflict",
      `payments recorded in QuickBooks Online (${p.foreign.join(", ")}) are applied to this sale's invoice: remove them there first`,
    );
  }
  const { bookCloseDate } = await port.refs();
  // QBO refuses to void in a closed period, and the new version would be blocked there: stop before anything moves
  if (bookCloseDate && p.txnDates.some((d) => d <= bookCloseDate))
    throw new TillbridgeError("closed_period", bookCloseDate);
}

/** Carries a revision on from wherever it stopped: void, swap the items, post the new version. */
async function run(
  s: Services,
  tenantId: string,
  rev: RevisionRow,
  actor: string,
  lang: Lang,
): Promise<ReplaceResponse> {
  const from = await itemById(s.db, tenantId, rev.from_item_id);
  if (!from)
    throw new TillbridgeError("internal", `revision of ${rev.kind} ${rev.pos_id} lost its item ${rev.from_item_id}`);
  const voided =
    rev.status === "voiding"
      ? await voidAndSwap(s, tenantId, rev, from, actor)
      : Voided.parse(JSON.parse(rev.voided_json));
  let main = await currentItem(s.db, tenantId, rev.kind as ObjectKind, rev.pos_id);
  if (!main || main.pos_version !== rev.to_version)
    throw new TillbridgeError("conflict", `${rev.kind} ${rev.pos_id} moved on to version ${main?.pos_version ?? "?"}`);
  if (main.state === "ready" || main.state === "failed") main = await postNow(s, tenantId, main, actor);
  const followers = await postFollowers(s, tenantId, rev, main, voided, actor);
  if (rev.status !== "done" && settled(main)) await finish(s, tenantId, rev, main, voided, actor);
  return {
    object: toObjectStatus(main, lang, s.now()),
    fromVersion: rev.from_version,
    toVersion: rev.to_version,
    voided: voided.map((v) => ({ ...v, kind: v.kind as ObjectKind })),
    related: followers.map((f) => toObjectStatus(f, lang, s.now())),
  };
}

/**
 * Takes the old documents out of QBO, then in one batch records the new version of the object and
 * of every object applied to it (ready to post), supersedes the old ones, and moves on to posting.
 */
async function voidAndSwap(
  s: Services,
  tenantId: string,
  rev: RevisionRow,
  from: SyncItemRow,
  actor: string,
): Promise<Voided> {
  const related = await relatedOf(s.db, tenantId, from);
  const voided = await voidAll(s, tenantId, rev, [from, ...related], await openQboPort(s, tenantId), actor);
  const stmts = [from, ...related].flatMap((old) => {
    const to = old.id === from.id ? rev.to_version : nextVersionOf(old);
    const idemKey = idempotencyKey(old.tenant_id, old.kind as ObjectKind, old.pos_id, to);
    return [replacementStatement(s.db, old, to, idemKey, s.now()), supersedePostedStatement(s.db, old.id, s.now())];
  });
  await s.db.batch([...stmts, revisionStatusStatement(s.db, tenantId, rev, "posting", s.now())]);
  return voided;
}

/**
 * The new version is in QBO, or has nothing to post (the POS voided the object: a voided return's credit
 * memo is taken out, and so is its credit, which then posts nothing either).
 */
const settled = (main: SyncItemRow) => main.state === "posted" || main.state === "not_applicable";

/**
 * The objects applied to the replaced one (an on-account sale's payments, then the credits on
 * account) post again once it is posted, in the order they were taken out.
 */
async function postFollowers(
  s: Services,
  tenantId: string,
  rev: RevisionRow,
  main: SyncItemRow,
  voided: Voided,
  actor: string,
): Promise<SyncItemRow[]> {
  const followers: SyncItemRow[] = [];
  const others = voided.filter((v) => v.kind !== rev.kind || v.posId !== rev.pos_id);
  const refs = new Map(
    others.map((v) => [`${v.kind}\u0000${v.posId}`, { kind: v.kind as ObjectKind, posId: v.posId }]),
  );
  for (const { kind, posId: pid } of refs.values()) {
    let f = await currentItem(s.db, tenantId, kind, pid);
    if (!f) continue;
    if (settled(main)) await healBlocked(s.db, tenantId, waitingFor(rev.kind as ObjectKind, rev.pos_id), s.now(), pid);
    if (settled(main) && (f.state === "ready" || f.state === "failed" || f.state === "blocked"))
      f = await postNow(s, tenantId, (await itemById(s.db, tenantId, f.id)) ?? f, actor);
    followers.push(f);
  }
  return followers;
}

/** The revision is done: audited once, with every document it took out of QBO. */
async function finish(
  s: Services,
  tenantId: string,
  rev: RevisionRow,
  main: SyncItemRow,
  voided: Voided,
  actor: string,
): Promise<void> {
  const past = { void: "voided", delete: "deleted", gone: "already gone:" } as const;
  const what = voided.map((v) => `${past[v.how]} ${v.entity} ${v.id}`).join(", ");
  await s.db.batch([
    revisionStatusStatement(s.db, tenantId, rev, "done", s.now()),
    auditStatement(
      s.db,
      {
        tenantId,
        actor,
        action: "replace",
        kind: rev.kind,
        posId: rev.pos_id,
        posVersion: rev.to_version,
        ...(main.payload_hash ? { payloadHash: main.payload_hash } : {}),
        detail: `version ${rev.from_version} replaced by ${rev.to_version}: ${what}`.slice(0, 1000),
      },
      s.now(),
    ),
  ]);
}
