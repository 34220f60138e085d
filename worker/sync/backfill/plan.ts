import { TillbridgeError } from "../../../shared/errors";
import { auditStatement } from "../../db/audit";
import { getClosureRecord, storeAssumedCounted } from "../../db/closures";
import { currentItem, currentItems, healBlocked, itemById, markMaybeSent, type SyncItemRow } from "../../db/sync-items";
import { idempotencyKey, keyTag } from "../../ledger";
import { openQboPort } from "../../qbo/port";
import type { Services } from "../../services";
import { recordItem } from "../discover";
import { postItem, type PostContext } from "../engine";
import type { TenantRuntime } from "../runtime";
import { historyInRange, type RangeObject } from "./history";
import { type BackfillItemRow, type BackfillRow, linkItem, type PlannedObject, savePlan } from "../../db/backfills";
import { tagsInQbo } from "./markers";

/**
 * The two halves of a backfill's work. Planning lists the range's objects, follows the ones
 * Tillbridge already has a sync item for, and asks QBO once which of the others it already holds.
 * Releasing records one object's sync item and posts it through the engine, like a discovery
 * followed by a cron attempt, after filling assumed counted totals when the merchant chose so.
 */

/** An object Tillbridge already has is only followed, except a closure waiting for counted totals
 * when the merchant chose counted = expected: that one is released again. */
const followsExisting = (row: SyncItemRow, policy: BackfillRow["counted_policy"]) =>
  !(policy === "expected" && row.state === "blocked" && row.blocked_on === "counted");

const refKey = (kind: string, posId: string) => `${kind}\u0000${posId}`;

export async function planBackfill(
  s: Services,
  rt: TenantRuntime,
  bf: BackfillRow,
): Promise<{ objects: number; followed: number; foundInQbo: number; rebuiltClosures: number }> {
  // The same discovery the cron runs (it skips when one is already running): the history is stored.
  await rt.discover();
  const history = await historyInRange(s, rt.tenantId, rt.pos, bf.from_date, bf.to_date);
  const existing = new Map<string, SyncItemRow>();
  for (let i = 0; i < history.objects.length; i += 400) {
    const refs = history.objects.slice(i, i + 400).map((o) => ({ kind: o.kind, posId: o.posId }));
    for (const row of await currentItems(s.db, rt.tenantId, refs)) existing.set(refKey(row.kind, row.pos_id), row);
  }
  const fresh = history.objects.filter((o) => !existing.has(refKey(o.kind, o.posId)));
  const tags = fresh.length
    ? await tagsInQbo(await openQboPort(s, rt.tenantId), ...scanWindow(history.objects, bf.to_date))
    : new Set<string>();

  let followed = 0;
  let foundInQbo = 0;
  const planned: PlannedObject[] = history.objects.map((o: RangeObject) => {
    const row = existing.get(refKey(o.kind, o.posId));
    const follow = row !== undefined && followsExisting(row, bf.counted_policy);
    if (follow) followed++;
    const maybePosted = !row && tags.has(keyTag(ledgerKey(rt.tenantId, o)));
    if (maybePosted) foundInQbo++;
    return {
      kind: o.kind,
      posId: o.posId,
      businessDate: o.businessDate,
      syncItemId: follow ? row.id : null,
      maybePosted,
    };
  });
  await savePlan(s.db, bf.id, planned, s.now());
  const detail = `backfill #${bf.id} ${bf.from_date}..${bf.to_date}: ${planned.length} objects, ${followed} already known to Tillbridge, ${foundInQbo} found in QuickBooks Online, ${history.rebuiltClosures} closures rebuilt from sales${history.ungroupedPayments ? `, ${history.ungroupedPayments} payments without a register sequence left out` : ""}`;
  await auditStatement(
    s.db,
    { tenantId: rt.tenantId, actor: "backfill", action: "backfill_planned", detail },
    s.now(),
  ).run();
  s.log.info("backfill planned", {
    backfill: bf.id,
    objects: planned.length,
    followed,
    foundInQbo,
    rebuiltClosures: history.rebuiltClosures,
    ungroupedPayments: history.ungroupedPayments,
  });
  return { objects: planned.length, followed, foundInQbo, rebuiltClosures: history.rebuiltClosures };
}

/** The key the ledger writes into PrivateNote: a sale payment is keyed by its payment id alone. */
function ledgerKey(tenantId: string, o: RangeObject): string {
  const posId = o.kind === "sale_payment" ? o.posId.slice(o.posId.indexOf(":") + 1) : o.posId;
  return idempotencyKey(tenantId, o.kind, posId, "1");
}

/** Invoices are dated by their sale, payments by their payment: the scan covers every TxnDate. */
function scanWindow(objects: readonly RangeObject[], to: string): [string, string] {
  const days = objects.map((o) => o.businessDate).sort();
  const last = days[days.length - 1]!;
  return [days[0]!, last > to ? last : to];
}

/**
 * Counted = expected for a closure whose counted totals were never given, as the merchant chose
 * for this backfill: the expected figures are the connector's own (the payments summary or the
 * sequence's payments), so the posting has no till discrepancy. `counted_source = 'assumed'` and
 * the audit trail say so. False when counted totals are known (or the closure cannot be read: its
 * posting meets the same error and records it).
 */
async function assumeCounted(s: Services, rt: TenantRuntime, bf: BackfillRow, closureId: string): Promise<boolean> {
  const record = await getClosureRecord(s.db, rt.tenantId, closureId);
  if (!record || record.countedSource !== null) return false;
  let payments: Awaited<ReturnType<typeof rt.pos.loadClosure>>["payments"];
  try {
    payments = (await rt.pos.loadClosure(closureId)).payments;
  } catch (e) {
    s.log.warn("backfill could not read a closure", {
      closure: closureId,
      code: e instanceof TillbridgeError ? e.code : "internal",
    });
    return false;
  }
  const assumed = payments.map((p) => ({
    paymentTypeId: p.paymentTypeId,
    name: p.name,
    expectedMinor: p.expectedMinor,
    countedMinor: p.expectedMinor,
  }));
  if (!(await storeAssumedCounted(s.db, rt.tenantId, closureId, assumed, s.now()))) return false;
  const detail = `backfill #${bf.id}: counted totals never given; posted with counted = expected (no till discrepancy) for ${assumed.length} payment types`;
  await auditStatement(
    s.db,
    { tenantId: rt.tenantId, actor: "backfill", action: "counted_assumed", kind: "closure", posId: closureId, detail },
    s.now(),
  ).run();
  return true;
}

const due = (row: SyncItemRow, now: Date) =>
  (row.state === "ready" || row.state === "failed") &&
  (row.next_attempt_at === null || row.next_attempt_at <= now.toISOString());

/** Records, links and posts one object of the backfill; returns its sync item afterwards. */
export async function releaseObject(
  s: Services,
  rt: TenantRuntime,
  ctx: PostContext | TillbridgeError,
  bf: BackfillRow,
  item: BackfillItemRow,
): Promise<SyncItemRow> {
  const { db, now } = s;
  const filled =
    item.kind === "closure" && bf.counted_policy === "expected" ? await assumeCounted(s, rt, bf, item.pos_id) : false;
  let row = await currentItem(db, rt.tenantId, item.kind, item.pos_id);
  if (!row) {
    const made = await recordItem(s, rt.tenantId, item.kind, item.pos_id);
    row = made.row;
    if (made.created && item.maybe_posted) {
      // `sends > 0` tells the engine a document may already be in QBO, so it looks each one up
      // before creating it (migration 0002): this object's marker was found there.
      await markMaybeSent(db, row.id, now());
    }
  }
  if (filled && row.state === "blocked" && row.blocked_on === "counted")
    await healBlocked(db, rt.tenantId, "counted", now(), item.pos_id);
  await linkItem(db, bf.id, item.kind, item.pos_id, row.id);
  row = (await itemById(db, rt.tenantId, row.id)) ?? row;
  if (due(row, now())) row = await postItem(rt.engineDeps, ctx, row);
  return row;
}
