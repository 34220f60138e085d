import { TillbridgeError } from "../../shared/errors";
import type { ObjectRef } from "../../shared/sync";
import { audit } from "../db/audit";
import { chooseOpenPeriod, currentItem, healItems, itemById, type SyncItemRow } from "../db/sync-items";
import { kindOf } from "../kinds";
import type { PosPort } from "../pos/port";
import type { Services } from "../services";
import type { TenantRuntime } from "./runtime";

/**
 * The sync item a person's click acts on, created if Tillbridge has not recorded it yet (a purchase
 * order is sent by a click; a closure or on-account sale may not have been discovered yet). Each
 * kind says what a click checks; a kind with no click path refuses.
 */
export async function ensureItem(s: Services, tenantId: string, pos: PosPort, ref: ObjectRef): Promise<SyncItemRow> {
  const existing = await currentItem(s.db, tenantId, ref.kind, ref.posId);
  const kind = kindOf(ref.kind);
  if (!kind.onClick) throw new TillbridgeError("bad_request", `a ${ref.kind} is not sent by a click`);
  return kind.onClick({ s, tenantId, pos, existing }, ref.posId);
}

/** The day after `date` (YYYY-MM-DD): the first open day after a books closing date. */
export function dayAfter(date: string): string {
  return new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A person's answer to a closed period: post the item's documents on the first open day (the day
 * after the books' closing date, read fresh from QBO), the original date kept in PrivateNote. If
 * the books opened meanwhile, the item just becomes ready with its own dates. A posted item stays
 * as it is. Returns the item and the date its documents will carry (null: their own).
 */
export async function postInOpenPeriod(
  s: Services,
  rt: TenantRuntime,
  row: SyncItemRow,
  actor: string,
): Promise<{ row: SyncItemRow; txnDate: string | null }> {
  if (row.state === "posted" || row.state === "not_applicable") return { row, txnDate: null };
  if (row.state !== "blocked" || row.reason_code !== "closed_period") {
    throw new TillbridgeError("conflict", `${row.kind} ${row.pos_id} is not waiting on a closed period`);
  }
  const ctx = await rt.postContext();
  if (ctx instanceof TillbridgeError) throw ctx;
  const { bookCloseDate } = await ctx.qbo.refs({ reload: true });
  const stillClosed = bookCloseDate !== null && (row.txn_date === null || row.txn_date <= bookCloseDate);
  const txnDate = stillClosed ? dayAfter(bookCloseDate) : null;
  if (txnDate) await chooseOpenPeriod(s.db, row.id, txnDate, s.now());
  else await healItems(s.db, row.tenant_id, [row.id], s.now());
  const detail = txnDate
    ? `post in the first open day ${txnDate} (books closed through ${bookCloseDate}; originally ${row.txn_date ?? "?"})`
    : "the books are open again: posting with the original dates";
  await audit(
    s.db,
    {
      tenantId: row.tenant_id,
      actor,
      action: "resolve",
      kind: row.kind,
      posId: row.pos_id,
      posVersion: row.pos_version,
      detail,
    },
    s.now(),
  );
  return { row: (await itemById(s.db, row.tenant_id, row.id)) ?? row, txnDate };
}
