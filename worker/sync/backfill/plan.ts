import type { TillbridgeError } from "../../../shared/errors";
import { auditStatement } from "../../db/audit";
import { currentItem, currentItems, healBlocked, itemById, markMaybeSent, type SyncItemRow } from "../../db/sync-items";
import { idempotencyKey, keyTag } from "../../ledger";
import { openQboPort } from "../../qbo/port";
import type { Services } from "../../services";
import { findKind } from "../../kinds";
import { recordItem } from "../../kinds/record";
import { postItem, type PostContext } from "../engine";
import type { TenantRuntime } from "../runtime";
import { historyInRange, type RangeObject } from "./history";
import { type BackfillItemRow, type BackfillRow, linkItem, type PlannedObject, savePlan } from "../../db/backfills";
import { tagsInQbo } from "./markers";

/**
 * The two halves of a backfill's work. Planning lists the range's objects, follows the ones
 * Tillbridge already has a sync item for, and asks QBO once which of the others it already holds.
 * Releasing records one object's sync item and posts it through the engine, like a discovery
 * followed by a cron attempt, after settling what the object's kind settles itself by the
 * merchant's choice (a closure's counted totals assumed equal to the expected ones).
 */

/**
 * An object Tillbridge already has is only followed, except one blocked on what this backfill
 * settles itself (a closure waiting for counted totals when the merchant chose counted = expected):
 * that one is released again.
 */
function followsExisting(row: SyncItemRow, bf: BackfillRow): boolean {
  const settles = findKind(row.kind)?.backfill?.settle?.blockedOn(bf);
  return !(settles && row.state === "blocked" && row.blocked_on === settles);
}

const refKey = (kind: string, posId: string) => `${kind}\u0000${posId}`;

export async function planBackfill(
  s: Services,
  rt: TenantRuntime,
  bf: BackfillRow,
): Promise<{ objects: number; followed: number; foundInQbo: number; notes: string[] }> {
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
    const follow = row !== undefined && followsExisting(row, bf);
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
  const detail = `backfill #${bf.id} ${bf.from_date}..${bf.to_date}: ${planned.length} objects, ${followed} already known to Tillbridge, ${foundInQbo} found in QuickBooks Online${history.notes.map((n) => `, ${n}`).join("")}`;
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
    notes: history.notes,
  });
  return { objects: planned.length, followed, foundInQbo, notes: history.notes };
}

/** The key the ledger writes into PrivateNote (a sale payment is keyed by its payment id alone). */
function ledgerKey(tenantId: string, o: RangeObject): string {
  const keyId = findKind(o.kind)?.backfill?.keyId;
  return idempotencyKey(tenantId, o.kind, keyId ? keyId(o.posId) : o.posId, "1");
}

/** Invoices are dated by their sale, payments by their payment: the scan covers every TxnDate. */
function scanWindow(objects: readonly RangeObject[], to: string): [string, string] {
  const days = objects.map((o) => o.businessDate).sort();
  const last = days[days.length - 1]!;
  return [days[0]!, last > to ? last : to];
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
  const settle = findKind(item.kind)?.backfill?.settle;
  const settles = settle?.blockedOn(bf) ?? null;
  const settled = settles ? await settle!.run({ s, tenantId: rt.tenantId, pos: rt.pos, bf }, item.pos_id) : false;
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
  if (settled && settles && row.state === "blocked" && row.blocked_on === settles)
    await healBlocked(db, rt.tenantId, settles, now(), item.pos_id);
  await linkItem(db, bf.id, item.kind, item.pos_id, row.id);
  row = (await itemById(db, rt.tenantId, row.id)) ?? row;
  if (due(row, now())) row = await postItem(rt.engineDeps, ctx, row);
  return row;
}
