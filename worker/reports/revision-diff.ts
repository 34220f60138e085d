import type { DocumentDiff, LineDiff, RevisionDiffResponse } from "../../shared/api";
import type { QboDocumentDraft, QboRefs } from "../../shared/domain/qbo";
import { describeError, type Lang, TillbridgeError } from "../../shared/errors";
import type { ObjectKind, ObjectRef, PostedDoc } from "../../shared/sync";
import { z } from "zod";
import { formatMinor } from "../../shared/money";
import { currentItem, currentItems, docsOf, itemsUnder, postedByTillbridge, type SyncItemRow } from "../db/sync-items";
import { type Blocker, PLACEHOLDER } from "../ledger";
import { openQboPort, type QboPort } from "../qbo/port";
import { findKind, kindOf } from "../kinds";
import type { Services } from "../services";
import { openTenant } from "../sync/runtime";
import { type DocView, isVoided, type QboDoc, readDocs, refName, viewOf } from "./doc-lines";

/**
 * The diff of a re-send (SPEC §3.5): an object's documents as QBO holds them now against what
 * Tillbridge would post for it now, document by document and line by line (lines matched by what
 * they are for, their description), with the blockers that would stop the new posting. Nothing is
 * written anywhere: sync/resend.ts replaces the posting when a person confirms.
 */

export interface Old {
  item: SyncItemRow;
  posted: PostedDoc;
  doc: QboDoc | undefined;
}

export interface Prepared {
  item: SyncItemRow;
  nextVersion: string;
  documents: DocumentDiff[];
  changed: boolean;
  blockers: Blocker[];
  /** The sale's posted payments, replaced with it */
  related: SyncItemRow[];
  /** Payments applied to the sale's invoice in QBO that Tillbridge did not post */
  foreign: string[];
  /**
   * Payments Tillbridge posted applied to the sale's invoice that no related object holds (a credit on
   * account it cannot find again): the re-send would stop half-way
   */
  credits: string[];
  txnDates: string[];
}

export function nextVersionOf(item: SyncItemRow): string {
  if (!/^\d+$/.test(item.pos_version))
    throw new TillbridgeError(
      "bad_request",
      `${item.kind} ${item.pos_id} has version ${item.pos_version}, which Tillbridge cannot revise`,
    );
  return String(Number(item.pos_version) + 1);
}

/** Some kinds' postings are corrected in QBO, never replaced (a purchase order's bills): each says why. */
export function checkKind(kind: ObjectKind): void {
  const why = kindOf(kind).cannotReplace;
  if (why) throw new TillbridgeError("bad_request", why);
}

export async function postedItem(s: Services, tenantId: string, ref: ObjectRef): Promise<SyncItemRow> {
  const item = await currentItem(s.db, tenantId, ref.kind, ref.posId);
  if (!item) throw new TillbridgeError("not_found", `${ref.kind} ${ref.posId} has not been sent yet`);
  if (item.state !== "posted")
    throw new TillbridgeError("conflict", `${ref.kind} ${ref.posId} is ${item.state}, not posted: preview it instead`);
  return item;
}

/**
 * The posted objects applied to this one's documents (an on-account sale's payments, then the
 * credits on account applied to its invoice or from its credit memo): replaced with it.
 */
export async function relatedOf(db: D1Database, tenantId: string, item: SyncItemRow): Promise<SyncItemRow[]> {
  const kind = findKind(item.kind);
  const by = kind?.appliedBy;
  const applied = by ? await itemsUnder(db, tenantId, by.kind, item.pos_id, { postedOnly: true }) : [];
  const credits = await currentItems(db, tenantId, (await kind?.creditsOn?.(db, tenantId, item.pos_id)) ?? []);
  return [...applied, ...credits.filter((c) => c.state === "posted" && c.id !== item.id)];
}

/** Every document of these items as QBO holds it now (undefined: deleted), by entity in a few queries. */
export async function readOld(port: QboPort, items: SyncItemRow[]): Promise<Old[]> {
  const wanted = items.flatMap((item) =>
    docsOf(item)
      .filter((d) => d.entity !== "Customer" && d.entity !== "Vendor")
      .map((posted) => ({ item, posted })),
  );
  const found = new Map<string, QboDoc>();
  for (const entity of new Set(wanted.map((w) => w.posted.entity))) {
    const docs = await readDocs(
      port,
      entity,
      wanted.filter((w) => w.posted.entity === entity).map((w) => w.posted.id),
    );
    for (const [id, doc] of docs) found.set(`${entity}:${id}`, doc);
  }
  return wanted.map((w) => ({ ...w, doc: found.get(`${w.posted.entity}:${w.posted.id}`) }));
}

/** The refs Tillbridge resolves when it posts, taken from the document in QBO (same customer, same invoice). */
function fillPlaceholders(body: Record<string, unknown>, old: QboDoc | undefined): Record<string, unknown> {
  const linked = (type: string) => old?.Line.flatMap((l) => l.LinkedTxn ?? []).find((t) => t.TxnType === type)?.TxnId;
  const values: Record<string, string | undefined> = {
    [PLACEHOLDER.customer]: old?.CustomerRef?.value,
    [PLACEHOLDER.vendor]: old?.VendorRef?.value,
    [PLACEHOLDER.invoice]: linked("Invoice"),
    [PLACEHOLDER.creditMemo]: linked("CreditMemo"),
  };
  const text = JSON.stringify(body).replace(/"(__(?:customer|vendor|invoice|credit_memo)__)"/g, (whole, key: string) =>
    values[key] ? JSON.stringify(values[key]) : whole,
  );
  return z.record(z.string(), z.unknown()).parse(JSON.parse(text));
}

function lineDiff(before: DocView | null, after: DocView | null, refs: QboRefs): LineDiff[] {
  const side = (l: { ref: string; amountMinor: number } | undefined) =>
    l ? { ref: l.ref, refName: refName(l.ref, refs), amountMinor: l.amountMinor } : null;
  const a = new Map((before?.lines ?? []).map((l) => [l.key, l]));
  const b = new Map((after?.lines ?? []).map((l) => [l.key, l]));
  return [...new Set([...a.keys(), ...b.keys()])].map((key) => {
    const x = a.get(key);
    const y = b.get(key);
    const change = !x
      ? "added"
      : !y
        ? "removed"
        : x.ref === y.ref && x.amountMinor === y.amountMinor
          ? "same"
          : "changed";
    return { key, old: side(x), new: side(y), change };
  });
}

/** What became of a posted document in QBO; null when none was posted for the part. */
function docStatus(o: Old | undefined): "deleted" | "voided" | "live" | null {
  if (!o) return null;
  if (!o.doc) return "deleted";
  return isVoided(o.doc) ? "voided" : "live";
}

/** One part's document as QBO holds it against the draft that would replace it, line by line. */
function documentDiff(
  part: string,
  o: Old | undefined,
  draft: QboDocumentDraft | undefined,
  refs: QboRefs,
): DocumentDiff {
  const before = o?.doc ? viewOf(o.posted.entity, o.doc) : null;
  const after = draft ? viewOf(draft.entity, fillPlaceholders(draft.body, o?.doc)) : null;
  const status = docStatus(o);
  const lines = lineDiff(before, after, refs);
  const changed =
    status !== "live" ||
    !draft ||
    o?.posted.entity !== draft.entity ||
    before?.txnDate !== after?.txnDate ||
    lines.some((l) => l.change !== "same");
  const oldSide =
    o && status
      ? {
          entity: o.posted.entity,
          id: o.posted.id,
          ...(o.posted.docNumber ? { docNumber: o.posted.docNumber } : {}),
          txnDate: before?.txnDate ?? null,
          totalMinor: before?.totalMinor ?? 0,
          status,
        }
      : null;
  const newSide =
    draft && after
      ? {
          entity: draft.entity,
          ...(draft.docNumber ? { docNumber: draft.docNumber } : {}),
          txnDate: after.txnDate,
          totalMinor: after.totalMinor,
        }
      : null;
  return { part, old: oldSide, new: newSide, changed, lines };
}

export async function prepare(s: Services, tenantId: string, item: SyncItemRow, port: QboPort): Promise<Prepared> {
  checkKind(item.kind as ObjectKind);
  const nextVersion = nextVersionOf(item);
  const rt = await openTenant(s, tenantId, "preview");
  const [built, refs, related] = await Promise.all([
    rt.build(item.kind as ObjectKind, item.pos_id, nextVersion, { resolve: false }),
    port.refs(),
    relatedOf(s.db, tenantId, item),
  ]);
  const old = await readOld(port, [item]);
  const drafts = built.ok ? built.plans.flatMap((p) => p.documents) : [];
  const parts = [...new Set([...old.map((o) => o.posted.part), ...drafts.map((d) => d.part)])];
  const documents = parts.map((part) =>
    documentDiff(
      part,
      old.find((x) => x.posted.part === part),
      drafts.find((d) => d.part === part),
      refs,
    ),
  );
  const applied = foreignApplied(item, old, related);
  const by = findKind(item.kind)?.appliedBy;
  const ours = by ? await postedByTillbridge(s.db, tenantId, by.entity, applied) : new Set<string>();
  const foreign = applied.filter((id) => !ours.has(id));
  const credits = applied.filter((id) => ours.has(id));
  return {
    item,
    nextVersion,
    documents,
    changed: built.ok && documents.some((d) => d.changed),
    blockers: built.ok ? [] : built.blockers,
    related,
    foreign,
    credits,
    txnDates: [
      ...old.map((o) => o.doc?.TxnDate),
      ...drafts.map((d) => (typeof d.body.TxnDate === "string" ? d.body.TxnDate : undefined)),
    ].filter((d): d is string => Boolean(d)),
  };
}

/**
 * What was applied in QBO to the document others apply to (payments on the sale's invoice) and is
 * not among the related objects' documents: a re-send would leave it hanging, so it stops.
 */
function foreignApplied(item: SyncItemRow, old: Old[], related: SyncItemRow[]): string[] {
  const by = findKind(item.kind)?.appliedBy;
  if (!by) return [];
  const target = old.find((o) => o.posted.entity === by.to && o.doc && !isVoided(o.doc));
  const ours = new Set(
    related
      .flatMap((r) => docsOf(r))
      .filter((d) => d.entity === by.entity)
      .map((d) => d.id),
  );
  const linked = (target?.doc?.LinkedTxn ?? []).filter((l) => l.TxnType === by.entity && !ours.has(l.TxnId));
  return [...new Set(linked.map((l) => l.TxnId))];
}

/**
 * A diff in a few plain words for the audit trail: each changed document's total, then each line
 * that changed ("Sales – Books (GST): 120.00 → 100.00"), at most 1000 characters.
 */
export function diffInWords(documents: readonly DocumentDiff[]): string {
  const money = (side: { amountMinor: number } | { totalMinor: number } | null | undefined) =>
    side ? formatMinor("amountMinor" in side ? side.amountMinor : side.totalMinor) : "–";
  const parts: string[] = [];
  for (const d of documents) {
    if (!d.changed) continue;
    const lines = d.lines.filter((l) => l.change !== "same").map((l) => `${l.key}: ${money(l.old)} → ${money(l.new)}`);
    const head = `${d.part} ${d.old ? `${d.old.entity} ${d.old.id}` : "(none)"} ${money(d.old)} → ${d.new ? d.new.entity : "(none)"} ${money(d.new)}`;
    parts.push(lines.length > 0 ? `${head} [${lines.join("; ")}]` : head);
  }
  const text = parts.join(" | ");
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}

export async function revisionDiff(
  s: Services,
  tenantId: string,
  ref: ObjectRef,
  lang: Lang,
): Promise<RevisionDiffResponse> {
  checkKind(ref.kind);
  const item = await postedItem(s, tenantId, ref);
  const p = await prepare(s, tenantId, item, await openQboPort(s, tenantId));
  return {
    kind: ref.kind,
    posId: ref.posId,
    posVersion: item.pos_version,
    nextVersion: p.nextVersion,
    changed: p.changed,
    documents: p.documents,
    blockers: p.blockers.map((b) => {
      const words = describeError(b.code, b.detail, lang, b.about ? [b.about] : undefined);
      return {
        code: b.code,
        message: words.message,
        action: words.action,
        ...(b.mappingKey ? { mappingKey: b.mappingKey } : {}),
      };
    }),
    related: p.related.map((r) => ({ kind: r.kind as ObjectKind, posId: r.pos_id })),
  };
}
