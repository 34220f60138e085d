import type { PosHooks } from "../pos/hooks";
import { takeLease } from "../db/leases";
import { currentItem, dueItems, healBlocked, type SyncItemRow } from "../db/sync-items";
import type { Services } from "../services";
import { closedBeforeConnection } from "../kinds/closure";
import { recordItem } from "../kinds/record";
import { TillbridgeError } from "../../shared/errors";
import { refreshQboRefs, WAITING_ON_QBO_REFS } from "./discover";
import { postItem } from "./engine";
import { openTenant } from "./runtime";

/** A burst of webhooks (a sale updated several times) makes one discovery, not one each. */
const HINT_SECONDS = 20;

/** Posts one item right away (a click, a webhook), in the caller's request or its waitUntil. */
export async function postNow(s: Services, tenantId: string, row: SyncItemRow, actor: string): Promise<SyncItemRow> {
  const rt = await openTenant(s, tenantId, actor);
  const ctx = await rt.postContext();
  // a retry of an item QBO refused over its reference data re-reads what changed there first
  if (row.reason_code && WAITING_ON_QBO_REFS.includes(row.reason_code) && !(ctx instanceof TillbridgeError))
    await refreshQboRefs(s, tenantId, ctx.qbo);
  return postItem(rt.engineDeps, ctx, row);
}

/** Posts a tenant's due items now, a few at most (after a fix healed them, or a webhook hint). */
export async function drainTenant(s: Services, tenantId: string, actor: string, limit = 10): Promise<number> {
  const rows = await dueItems(s.db, tenantId, s.now(), limit);
  if (rows.length === 0) return 0;
  const rt = await openTenant(s, tenantId, actor);
  const ctx = await rt.postContext();
  for (const row of rows) await postItem(rt.engineDeps, ctx, row);
  return rows.length;
}

/** The POS side's hooks, wired to the engine: webhooks make discovery and posting immediate. */
export const engineHooks: PosHooks = {
  async onClosureAnnounced(tenantId, closureId, s) {
    if (await closedBeforeConnection(s.db, tenantId, closureId)) {
      // history, as polling has it: a backfill posts it (its record, announced figures included, is kept)
      s.log.info("closure closed before the connection left to a backfill", { closure: closureId });
      return;
    }
    const { row } = await recordItem(s, tenantId, "closure", closureId);
    await healBlocked(s.db, tenantId, "counted", s.now(), closureId);
    const fresh = (await currentItem(s.db, tenantId, "closure", closureId)) ?? row;
    await postNow(s, tenantId, fresh, "webhook");
  },
  async onPosChange(tenantId, _type, _id, s) {
    // a hint: look now, unless a discovery ran in the last few seconds (a burst of sale updates)
    if (!(await takeLease(s.db, tenantId, "hint", s.now(), HINT_SECONDS))) return;
    const rt = await openTenant(s, tenantId, "webhook");
    await rt.discover();
    await drainTenant(s, tenantId, "webhook");
  },
  async onCountedTotals(tenantId, closureId, s) {
    await recordItem(s, tenantId, "closure", closureId);
    await healBlocked(s.db, tenantId, "counted", s.now(), closureId);
    const row = await currentItem(s.db, tenantId, "closure", closureId);
    if (row) await postNow(s, tenantId, row, "backoffice");
  },
};
