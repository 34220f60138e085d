import { z } from "zod";
import { getClosureRecord, recordPolledClosure } from "../db/closures";
import { openSequenceIds, seenOpenSequences, sequenceSpans } from "../db/register-sequences";
import { toIsoInstant } from "../pos/read";
import { getConnection } from "../db/connections";
import { advanceCursorStatement, getCursor, suspectSequences, updateSuspects } from "../db/cursors";
import { salesAfter } from "../db/pos-objects";
import { getMappings } from "../db/mappings";
import { getTenant, setSyncFrom } from "../db/tenants";
import { releaseLease, takeLease } from "../db/leases";
import { blockedItems, healItems, upsertItem, type SyncItemRow } from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import { classifySale } from "../pos/mappers/sale-state";
import type { ChangedSale, PosPort } from "../pos/port";
import type { Services } from "../services";
import type { ObjectKind } from "../../shared/sync";
import { TillbridgeError } from "../../shared/errors";
import type { QboPort } from "../qbo/port";
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
  await setSyncFrom(s.db, tenantId, syncFrom, s.now());
  return syncFrom;
}

export async function recordItem(s: Services, tenantId: string, kind: ObjectKind, posId: string, posVersion = "1") {
  return upsertItem(
    s.db,
    { tenantId, kind, posId, posVersion, idemKey: idempotencyKey(tenantId, kind, posId, posVersion) },
    s.now(),
  );
}

/** One discovery per tenant at a time (overlapping cron runs, a burst of webhooks); others skip. */
export async function discoverTenant(s: Services, tenantId: string, pos: PosPort): Promise<number> {
  const conn = await getConnection(s.db, tenantId, "pos");
  if (conn?.status !== "connected") return 0;
  if (!(await takeLease(s.db, tenantId, "discover", s.now(), 120))) return 0;
  try {
    return await discoverNow(s, tenantId, pos, conn.connected_at ?? s.now().toISOString());
  } finally {
    await releaseLease(s.db, tenantId, "discover", s.now());
  }
}

/**
 * `connectedAt`: a closure that closed before Tillbridge was connected belongs to the merchant's
 * history (a backfill brings it in), even on the day of connection.
 */
async function discoverNow(s: Services, tenantId: string, pos: PosPort, connectedAt: string): Promise<number> {
  const syncFrom = await syncFromOf(s, tenantId);
  const closedSinceConnect = (closedAt: string | null) => Date.parse(closedAt ?? "") >= Date.parse(connectedAt);
  let created = 0;
  const count = (r: { created: boolean }) => {
    if (r.created) created++;
  };

  const changes = await pos.discover();
  for (const closureId of changes.closures) {
    const record = await getClosureRecord(s.db, tenantId, closureId);
    if (record && closedSinceConnect(record.closedAt)) count(await recordItem(s, tenantId, "closure", closureId));
  }

  const seen = await salesStoredSince(s, tenantId);
  for (const closureId of await closuresOnlySalesKnow(s, tenantId, seen.sequenceIds, connectedAt)) {
    const record = await getClosureRecord(s.db, tenantId, closureId);
    if (record && closedSinceConnect(record.closedAt)) count(await recordItem(s, tenantId, "closure", closureId));
  }
  for (const changed of seen.sales) {
    if (
      (changed.kind !== "on_account" && changed.kind !== "layby") ||
      (changed.state !== "pending" && changed.state !== "closed")
    )
      continue;
    let sale: Awaited<ReturnType<typeof pos.loadSale>>;
    try {
      sale = await pos.loadSale(changed.id);
    } catch (e) {
      // One sale the POS garbles must not stop discovery of every sale after it: it gets its item,
      // whose posting says what cannot be read. One gone meanwhile has nothing to post.
      if (!(e instanceof TillbridgeError) || (e.code !== "pos_payload_invalid" && e.code !== "pos_not_found")) throw e;
      s.log.warn("pos sale unreadable at discovery", { sale: changed.id, fault: e.code });
      if (e.code === "pos_payload_invalid") count(await recordItem(s, tenantId, "sale", changed.id));
      continue;
    }
    // A sale from before Tillbridge was connected comes in when a payment is taken on it now: the
    // payment must apply to an invoice, and the invoice carries the earlier payments too, so the
    // customer's balance in QBO is the POS's.
    const recent =
      sale.saleDate.slice(0, 10) >= syncFrom || sale.payments.some((p) => p.paidAt.slice(0, 10) >= syncFrom);
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
      if (e.occurredAt.slice(0, 10) >= syncFrom)
        count(await recordItem(s, tenantId, "gift_card_expiry", e.transactionId));
    }
    for (const e of await pos.storeCreditIssues()) {
      if (e.occurredAt.slice(0, 10) >= syncFrom)
        count(await recordItem(s, tenantId, "store_credit_issue", e.transactionId));
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
  const closed = await blockedItems(s.db, tenantId, ["closed_period"]);
  if (closed.length > 0) {
    const port = await qbo();
    if (!(port instanceof TillbridgeError)) ids.push(...(await reopenedPeriods(s, tenantId, port, closed)));
  }
  return healItems(s.db, tenantId, ids, now);
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
/**
 * Closures nobody announced: a register that opened and closed between two polls while its webhook
 * was lost leaves no trace but the sequence ids on its sales' payments. A sequence seen there that
 * is neither a known closure nor a register's open sequence is remembered (a `seq?:` row beside the
 * cursors, since the sales cursor moves on); once its last payment is a quarter of an hour old and
 * still nothing announced it, it has closed: it is recorded like a polled closure (dated by its
 * payments, counted totals unknown until the back office gives them).
 */
const SALES_ONLY_GRACE_MS = 15 * 60_000;
/** A suspect sequence nothing resolves (no register on its payments) is dropped, with a warning, after this */
const SUSPECT_TTL_MS = 7 * 86_400_000;

async function closuresOnlySalesKnow(
  s: Services,
  tenantId: string,
  sequenceIds: Set<string>,
  connectedAt: string,
): Promise<string[]> {
  const now = s.now();
  const suspects = await suspectSequences(s.db, tenantId);
  const remembered = new Set(suspects.keys());
  for (const seq of sequenceIds) if (!suspects.has(seq)) suspects.set(seq, now.toISOString());
  if (suspects.size === 0) return [];

  const open = await openSequenceIds(s.db, tenantId);
  const candidates: string[] = [];
  const settled: string[] = [];
  for (const seq of suspects.keys()) {
    if (open.has(seq) || (await getClosureRecord(s.db, tenantId, seq))) settled.push(seq);
    else candidates.push(seq);
  }
  const spans = new Map((await sequenceSpans(s.db, tenantId, { ids: candidates })).map((g) => [g.seq, g]));
  const seenOpen = await seenOpenSequences(s.db, tenantId, candidates);
  const found: string[] = [];
  const waiting: string[] = [];
  for (const seq of candidates) {
    const span = spans.get(seq);
    const first = span ? toIsoInstant(span.first_at) : null;
    const last = span ? toIsoInstant(span.last_at) : null;
    // sales from before the connection are history: a backfill brings their closure in, with its own record
    if (last && Date.parse(last) < Date.parse(connectedAt)) {
      settled.push(seq);
      continue;
    }
    if (!span?.register_id || !first || !last) {
      if (now.getTime() - Date.parse(suspects.get(seq)!) > SUSPECT_TTL_MS) {
        s.log.warn("register sequence seen on sales never resolved to a closure", { sequence: seq });
        settled.push(seq);
      } else waiting.push(seq);
      continue;
    }
    // the closure's own webhook usually follows its sales' by seconds: give it time to arrive
    if (now.getTime() - Date.parse(last) < SALES_ONLY_GRACE_MS) {
      waiting.push(seq);
      continue;
    }
    const seen = seenOpen.get(seq);
    const created = await recordPolledClosure(
      s.db,
      tenantId,
      {
        id: seq,
        registerId: span.register_id,
        outletId: span.outlet_id,
        sequenceNumber: seen?.sequenceNumber ?? null,
        openedAt: toIsoInstant(seen?.openedAt ?? "") ?? first,
        closedAt: last,
      },
      now,
    );
    if (created) {
      s.log.info("closure found from its sales (no webhook, not seen by polling)", { closure: seq });
      found.push(seq);
    }
    settled.push(seq);
  }
  await updateSuspects(s.db, tenantId, {
    forget: settled.filter((seq) => remembered.has(seq)),
    remember: waiting
      .filter((seq) => !remembered.has(seq))
      .map((seq) => [seq, suspects.get(seq) ?? now.toISOString()] as const),
  });
  return found;
}

async function salesStoredSince(
  s: Services,
  tenantId: string,
): Promise<{ sales: ChangedSale[]; upTo: string | null; sequenceIds: Set<string> }> {
  const from = (await getCursor(s.db, tenantId, DISCOVERED_SALES)) ?? "0";
  const results = await salesAfter(s.db, tenantId, from, SALES_PER_DISCOVERY);
  const sequenceIds = new Set(results.flatMap((r) => r.sequence_ids.split(",").filter((x) => x && !x.startsWith("@"))));
  const sales = results.map((r): ChangedSale => {
    const attributes = typeof r.attributes === "string" ? (JSON.parse(r.attributes) as unknown) : null;
    const c = classifySale(
      typeof r.state === "string" ? r.state : null,
      Array.isArray(attributes) ? attributes.filter((a): a is string => typeof a === "string") : null,
      typeof r.status === "string" ? r.status : null,
    );
    return "error" in c
      ? { id: r.id, version: r.version, kind: null, state: null }
      : { id: r.id, version: r.version, kind: c.kind, state: c.state };
  });
  return { sales, upTo: results.at(-1)?.version ?? null, sequenceIds };
}
