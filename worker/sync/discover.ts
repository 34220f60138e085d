import { z } from "zod";
import { TillbridgeError } from "../../shared/errors";
import { getConnection } from "../db/connections";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { releaseLease, takeLease } from "../db/leases";
import { getMappings } from "../db/mappings";
import { queueRevisions } from "../db/pending-revisions";
import { salesAfter } from "../db/pos-objects";
import { blockedItems, healItems, type SyncItemRow, waitingOnPosted } from "../db/sync-items";
import { getTenant, setSyncFrom } from "../db/tenants";
import { ALL_KINDS } from "../kinds";
import type { Discovery } from "../kinds/kind";
import { recordItem } from "../kinds/record";
import { classifySale } from "../pos/mappers/sale-state";
import type { ChangedSale, PosPort } from "../pos/port";
import type { QboPort } from "../qbo/port";
import type { Services } from "../services";
import { reviseChanged } from "./revise";

/**
 * Discovery for one tenant: asks the POS what changed since the cursors and records one sync item
 * per object version. Webhooks make this immediate (see hooks.ts) but are never the only source:
 * register polling finds closures whose webhook was lost. Objects dated before the tenant's
 * `syncFrom` (the day it connected) are left to a backfill.
 */
const TenantSettings = z.object({ syncFrom: z.string().optional() }).passthrough();
/** Discovery's own cursor over the sales stored in D1 (not the POS's sales cursor: see below). */
const DISCOVERED_SALES = "discovered:sales";
const SALES_PER_DISCOVERY = 2000;
/** How often the books' closing date is read again from QBO while items wait on it. */
const PERIOD_RECHECK_SECONDS = 15 * 60;
/** How long items blocked on a lapsed subscription or a refused access wait before trying again. */
const ACCESS_PROBE_SECONDS = 60 * 60;

export async function syncFromOf(s: Services, tenantId: string): Promise<string> {
  const tenant = await getTenant(s.db, tenantId);
  const settings = TenantSettings.parse(JSON.parse(tenant?.settings_json ?? "{}"));
  if (settings.syncFrom) return settings.syncFrom;
  const conn = await getConnection(s.db, tenantId, "pos");
  const syncFrom = (conn?.connected_at ?? s.now().toISOString()).slice(0, 10);
  await setSyncFrom(s.db, tenantId, syncFrom, s.now());
  return syncFrom;
}

/** One discovery per tenant at a time (overlapping cron runs, a burst of webhooks); others skip. */
export async function discoverTenant(s: Services, tenantId: string, pos: PosPort): Promise<number> {
  const conn = await getConnection(s.db, tenantId, "pos");
  if (conn?.status !== "connected") return 0;
  if (!(await takeLease(s.db, tenantId, "discover", s.now(), 120))) return 0;
  try {
    const created = await discoverNow(s, tenantId, pos, conn.connected_at ?? s.now().toISOString());
    // what the POS changed after it was posted replaces its posting (SPEC §4.4)
    await reviseChanged(s, tenantId).catch((e) =>
      s.log.error("replacing changed postings failed", { error: e instanceof Error ? e.message : String(e) }),
    );
    return created;
  } finally {
    await releaseLease(s.db, tenantId, "discover", s.now());
  }
}

/**
 * Every kind finds its own objects (registry order: a closure before the sales that may reveal it,
 * a sale before its payments) from one shared view of what changed; the discovery's own cursors
 * move once they all have looked.
 */
async function discoverNow(s: Services, tenantId: string, pos: PosPort, connectedAt: string): Promise<number> {
  const run = discoveryRun(s, tenantId, pos, connectedAt, await syncFromOf(s, tenantId));
  let created = 0;
  for (const kind of ALL_KINDS) if (kind.discover) created += await kind.discover(run.discovery);
  const changed = [];
  for (const kind of ALL_KINDS)
    if (kind.changedSince)
      for (const c of await kind.changedSince(run.discovery)) changed.push({ kind: kind.kind, ...c });
  // remembered before the cursors move: the change is seen only once
  await queueRevisions(s.db, tenantId, changed, s.now());
  await run.commit();
  return created;
}

/** What the kinds read, each source read at most once per run; `commit` moves the cursors it used. */
function discoveryRun(s: Services, tenantId: string, pos: PosPort, connectedAt: string, syncFrom: string) {
  const once = <T>(read: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= read());
  };
  let sales: ReturnType<typeof salesStoredSince> | undefined;
  const storedSales = () => (sales ??= salesStoredSince(s, tenantId));
  const scans = new Map<string, Promise<boolean>>();
  const scanKey = (name: string) => `disc:${tenantId}:${name}`;
  const discovery: Discovery = {
    s,
    tenantId,
    pos,
    syncFrom,
    connectedAt,
    changes: once(() => pos.discover()),
    storedSales,
    mappings: once(async () => (await getMappings(s.db, tenantId)).mappings),
    scanDue(name, seconds) {
      if (!scans.has(name))
        scans.set(
          name,
          s.kv.get(scanKey(name)).then((last) => !last || s.now().getTime() - Date.parse(last) > seconds * 1000),
        );
      return scans.get(name)!;
    },
    record: async (kind, posId, posVersion) => (await recordItem(s, tenantId, kind, posId, posVersion)).created,
  };
  async function commit() {
    const seen = sales ? await sales : null;
    if (seen?.upTo) await advanceCursorStatement(s.db, tenantId, DISCOVERED_SALES, seen.upTo, s.now()).run();
    for (const [name, due] of scans) if (await due) await s.kv.put(scanKey(name), s.now().toISOString());
  }
  return { discovery, commit };
}

/**
 * Blocked items whose cause may have gone away with no event Tillbridge sees: a connection that
 * is connected again (the reconnect heals them too; this catches an attempt that failed while the
 * reconnect happened), a subscription renewed in QBO (probed hourly), a books closing date moved
 * earlier. They become ready, to be posted in this run. Returns how many.
 */
export async function recheckBlocked(
  s: Services,
  tenantId: string,
  qbo: () => Promise<QboPort | TillbridgeError>,
): Promise<number> {
  const now = s.now();
  const [posConn, qboConn] = await Promise.all([
    getConnection(s.db, tenantId, "pos"),
    getConnection(s.db, tenantId, "qbo"),
  ]);
  const ids: number[] = [];
  const add = (rows: SyncItemRow[]) => ids.push(...rows.map((r) => r.id));
  if (posConn?.status === "connected")
    add(await blockedItems(s.db, tenantId, ["pos_not_connected", "pos_needs_reconnect"]));
  if (qboConn?.status === "connected") {
    add(await blockedItems(s.db, tenantId, ["qbo_not_connected", "qbo_needs_reconnect"]));
    add(
      await blockedItems(
        s.db,
        tenantId,
        ["qbo_subscription_lapsed", "qbo_forbidden"],
        new Date(now.getTime() - ACCESS_PROBE_SECONDS * 1000),
      ),
    );
  }
  add(await waitingOnPosted(s.db, tenantId));
  const closed = await blockedItems(s.db, tenantId, ["closed_period"]);
  const refused = await blockedItems(s.db, tenantId, ["qbo_invalid_reference"]);
  if (closed.length + refused.length > 0) {
    const port = await qbo();
    if (!(port instanceof TillbridgeError)) {
      // what they wait on is fixed in QBO (an account reactivated, the closing date moved): one CDC read sees it
      const { lastChangeAt } = await refreshQboRefs(s, tenantId, port);
      // refused over a reference, and QBO changed one since (QBO's times are to the second)
      const since = (r: SyncItemRow) => Math.floor(Date.parse(r.updated_at) / 1000) * 1000;
      if (lastChangeAt) add(refused.filter((r) => Date.parse(lastChangeAt) >= since(r)));
      if (closed.length > 0) ids.push(...(await reopenedPeriods(s, tenantId, port, closed)));
    }
  }
  return healItems(s.db, tenantId, ids, now);
}

/** Items whose last refusal named QBO reference data: the cache is brought up to date before they are tried again. */
export const WAITING_ON_QBO_REFS: readonly string[] = ["closed_period", "qbo_invalid_reference"];

/**
 * The cached QBO reference data brought up to date by Change Data Capture, at most once per run of
 * a tenant (the cron's recheck and a clicked retry share it). How many records changed; 0 when QBO
 * could not be asked (the retry then meets the same refusal, recorded as usual).
 */
export async function refreshQboRefs(
  s: Services,
  tenantId: string,
  port: QboPort,
): Promise<{ changed: number; lastChangeAt: string | null }> {
  try {
    return await port.refreshRefs();
  } catch (e) {
    s.log.warn("qbo reference refresh failed", {
      tenant: tenantId,
      code: e instanceof TillbridgeError ? e.code : "internal",
    });
    return { changed: 0, lastChangeAt: null };
  }
}

/** The earliest date an item's documents are posted on: its own, or the open day a person chose. */
const postedOn = (r: SyncItemRow) =>
  r.txn_date_override && r.txn_date_override > (r.txn_date ?? "") ? r.txn_date_override : (r.txn_date ?? "");

/**
 * Items blocked by a closed period whose date is open now. The cached closing date is compared
 * first (the options page's reload refreshes it); QBO is asked again at most every 15 minutes.
 */
async function reopenedPeriods(s: Services, tenantId: string, qbo: QboPort, waiting: SyncItemRow[]): Promise<number[]> {
  const open = (closeDate: string | null) =>
    waiting.filter((r) => closeDate === null || postedOn(r) > closeDate).map((r) => r.id);
  const cached = open((await qbo.refs()).bookCloseDate);
  if (cached.length > 0) return cached;
  const key = `period-check:${tenantId}`;
  const last = await s.kv.get(key);
  if (last && s.now().getTime() - Date.parse(last) < PERIOD_RECHECK_SECONDS * 1000) return [];
  await s.kv.put(key, s.now().toISOString(), { expirationTtl: PERIOD_RECHECK_SECONDS * 4 });
  return open((await qbo.refs({ reload: true })).bookCloseDate);
}

/**
 * The sales stored since discovery last looked, whoever stored them. The POS sales cursor is moved
 * on by discovery and also by a closure being loaded (it catches the sales up first), so "what this
 * discovery's sync returned" would lose an on-account sale stored by a closure's posting: it would
 * never become an invoice. Discovery keeps its own cursor over pos_objects instead.
 */
async function salesStoredSince(
  s: Services,
  tenantId: string,
): Promise<{ sales: ChangedSale[]; upTo: string | null; sequenceIds: Set<string> }> {
  const from = (await getCursor(s.db, tenantId, DISCOVERED_SALES)) ?? "0";
  const results = await salesAfter(s.db, tenantId, from, SALES_PER_DISCOVERY);
  const sequenceIds = new Set(results.flatMap((r) => r.sequence_ids.split(",").filter((x) => x && !x.startsWith("@"))));
  const sales = results.map((r): ChangedSale => {
    const sequenceIds = r.sequence_ids.split(",").filter((x) => x && !x.startsWith("@"));
    const attributes = typeof r.attributes === "string" ? (JSON.parse(r.attributes) as unknown) : null;
    const c = classifySale(
      typeof r.state === "string" ? r.state : null,
      Array.isArray(attributes) ? attributes.filter((a): a is string => typeof a === "string") : null,
      typeof r.status === "string" ? r.status : null,
    );
    return "error" in c
      ? { id: r.id, version: r.version, kind: null, state: null, sequenceIds }
      : { id: r.id, version: r.version, kind: c.kind, state: c.state, sequenceIds };
  });
  return { sales, upTo: results.at(-1)?.version ?? null, sequenceIds };
}
