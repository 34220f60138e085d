import { z } from "zod";
import { getClosureRecord } from "../db/closures";
import { getConnection } from "../db/connections";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { getMappings } from "../db/mappings";
import { getTenant } from "../db/tenants";
import { releaseLease, takeLease } from "../db/leases";
import { blockedItems, healItems, upsertItem, type SyncItemRow } from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import { classifySale } from "../pos/mappers/sale-state";
import type { ChangedSale, PosConnector } from "../pos/port";
import type { Services } from "../services";
import type { ObjectKind } from "../../shared/sync";
import { TillbridgeError } from "../../shared/errors";
import type { QboPort } from "./ports";
import { ensurePurchaseOrderItem } from "./items";

/**
 * Discovery for one tenant: asks the POS what changed since the cursors and records one sync item
 * per object version. Webhooks make this immediate (see hooks.ts) but are never the only source:
 * register polling finds closures whose webhook was lost. Objects dated before the tenant's
 * `syncFrom` (the day it connected) are left to a backfill.
 */
const TenantSettings = z.object({ syncFrom: z.string().optional() }).passthrough();
const LIABILITY_SCAN_SECONDS = 15 * 60;
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
  await s.db
    .prepare("UPDATE tenants SET settings_json = json_set(settings_json, '$.syncFrom', ?2), updated_at = ?3 WHERE id = ?1")
    .bind(tenantId, syncFrom, s.now().toISOString())
    .run();
  return syncFrom;
}

export async function recordItem(s: Services, tenantId: string, kind: ObjectKind, posId: string, posVersion = "1") {
  return upsertItem(s.db, { tenantId, kind, posId, posVersion, idemKey: idempotencyKey(tenantId, kind, posId, posVersion) }, s.now());
}

/** One discovery per tenant at a time (overlapping cron runs, a burst of webhooks); others skip. */
export async function discoverTenant(s: Services, tenantId: string, pos: PosConnector): Promise<number> {
  const conn = await getConnection(s.db, tenantId, "pos");
  if (!conn || conn.status !== "connected") return 0;
  if (!(await takeLease(s.db, tenantId, "discover", s.now(), 120))) return 0;
  try {
    return await discoverNow(s, tenantId, pos);
  } finally {
    await releaseLease(s.db, tenantId, "discover", s.now());
  }
}

async function discoverNow(s: Services, tenantId: string, pos: PosConnector): Promise<number> {
  const syncFrom = await syncFromOf(s, tenantId);
  let created = 0;
  const count = (r: { created: boolean }) => {
    if (r.created) created++;
  };

  const changes = await pos.discover();
  for (const closureId of changes.closures) {
    const record = await getClosureRecord(s.db, tenantId, closureId);
    if (record && (record.closedAt ?? "") >= syncFrom) count(await recordItem(s, tenantId, "closure", closureId));
  }

  const seen = await salesStoredSince(s, tenantId);
  for (const changed of seen.sales) {
    if ((changed.kind !== "on_account" && changed.kind !== "layby") || (changed.state !== "pending" && changed.state !== "closed")) continue;
    const sale = await pos.loadSale(changed.id);
    // A sale from before Tillbridge was connected comes in when a payment is taken on it now: the
    // payment must apply to an invoice, and the invoice carries the earlier payments too, so the
    // customer's balance in QBO is the POS's.
    const recent = sale.saleDate.slice(0, 10) >= syncFrom || sale.payments.some((p) => p.paidAt.slice(0, 10) >= syncFrom);
    if (!recent) continue;
    count(await recordItem(s, tenantId, "sale", sale.id));
    for (const p of sale.payments) {
      if (p.amountMinor !== 0) count(await recordItem(s, tenantId, "sale_payment", `${sale.id}:${p.id}`));
    }
  }

  if (seen.upTo) await advanceCursorStatement(s.db, tenantId, DISCOVERED_SALES, seen.upTo, s.now()).run();

  const { mappings } = await getMappings(s.db, tenantId);
  if (mappings.options.autoSendPurchaseOrders) {
    for (const order of changes.purchaseOrders) {
      if (!/RECEIVED/.test(order.status)) continue;
      const made = await ensurePurchaseOrderItem(s, tenantId, pos, order.id).catch(() => null);
      if (made?.created) created++;
    }
  }

  // Gift-card expiries and manual store credit have no version cursor: scan them every few minutes.
  const scanKey = `disc:${tenantId}:liabilities`;
  const last = await s.kv.get(scanKey);
  if (!last || s.now().getTime() - Date.parse(last) > LIABILITY_SCAN_SECONDS * 1000) {
    for (const e of await pos.giftCardExpiries()) {
      if (e.occurredAt.slice(0, 10) >= syncFrom) count(await recordItem(s, tenantId, "gift_card_expiry", e.transactionId));
    }
    for (const e of await pos.storeCreditIssues()) {
      if (e.occurredAt.slice(0, 10) >= syncFrom) count(await recordItem(s, tenantId, "store_credit_issue", e.transactionId));
    }
    await s.kv.put(scanKey, s.now().toISOString());
  }
  return created;
}

/**
 * Blocked items whose cause may have gone away with no event Tillbridge sees: a connection that
 * is connected again (the reconnect heals them too; this catches an attempt that failed while the
 * reconnect happened), a subscription renewed in QBO (probed hourly), a books closing date moved
 * earlier. They become ready, to be posted in this run. Returns how many.
 */
export async function recheckBlocked(s: Services, tenantId: string, qbo: () => Promise<QboPort | TillbridgeError>): Promise<number> {
  const now = s.now();
  const [posConn, qboConn] = await Promise.all([getConnection(s.db, tenantId, "pos"), getConnection(s.db, tenantId, "qbo")]);
  const ids: number[] = [];
  const add = (rows: SyncItemRow[]) => ids.push(...rows.map((r) => r.id));
  if (posConn?.status === "connected") add(await blockedItems(s.db, tenantId, ["pos_not_connected", "pos_needs_reconnect"]));
  if (qboConn?.status === "connected") {
    add(await blockedItems(s.db, tenantId, ["qbo_not_connected", "qbo_needs_reconnect"]));
    add(await blockedItems(s.db, tenantId, ["qbo_subscription_lapsed", "qbo_forbidden"], new Date(now.getTime() - ACCESS_PROBE_SECONDS * 1000)));
  }
  const closed = await blockedItems(s.db, tenantId, ["closed_period"]);
  if (closed.length > 0) {
    const port = await qbo();
    if (!(port instanceof TillbridgeError)) ids.push(...(await reopenedPeriods(s, tenantId, port, closed)));
  }
  return healItems(s.db, tenantId, ids, now);
}

/** The earliest date an item's documents are posted on: its own, or the open day a person chose. */
const postedOn = (r: SyncItemRow) => (r.txn_date_override && r.txn_date_override > (r.txn_date ?? "") ? r.txn_date_override : (r.txn_date ?? ""));

/**
 * Items blocked by a closed period whose date is open now. The cached closing date is compared
 * first (the options page's reload refreshes it); QBO is asked again at most every 15 minutes.
 */
async function reopenedPeriods(s: Services, tenantId: string, qbo: QboPort, waiting: SyncItemRow[]): Promise<number[]> {
  const open = (closeDate: string | null) => waiting.filter((r) => closeDate === null || postedOn(r) > closeDate).map((r) => r.id);
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
async function salesStoredSince(s: Services, tenantId: string): Promise<{ sales: ChangedSale[]; upTo: string | null }> {
  const from = (await getCursor(s.db, tenantId, DISCOVERED_SALES)) ?? "0";
  const { results } = await s.db
    .prepare(
      `SELECT id, version, json_extract(json, '$.state') AS state, json_extract(json, '$.attributes') AS attributes, json_extract(json, '$.status') AS status
       FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale' AND CAST(version AS INTEGER) > CAST(?2 AS INTEGER)
       ORDER BY CAST(version AS INTEGER) LIMIT ?3`,
    )
    .bind(tenantId, from, SALES_PER_DISCOVERY)
    .all<{ id: string; version: string; state: unknown; attributes: unknown; status: unknown }>();
  const sales = results.map((r): ChangedSale => {
    const attributes = typeof r.attributes === "string" ? (JSON.parse(r.attributes) as unknown) : null;
    const c = classifySale(
      typeof r.state === "string" ? r.state : null,
      Array.isArray(attributes) ? attributes.filter((a): a is string => typeof a === "string") : null,
      typeof r.status === "string" ? r.status : null,
    );
    return "error" in c ? { id: r.id, version: r.version, kind: null, state: null } : { id: r.id, version: r.version, kind: c.kind, state: c.state };
  });
  return { sales, upTo: results.at(-1)?.version ?? null };
}
