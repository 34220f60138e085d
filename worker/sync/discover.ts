import { z } from "zod";
import { getClosureRecord } from "../db/closures";
import { getConnection } from "../db/connections";
import { getMappings } from "../db/mappings";
import { getTenant } from "../db/tenants";
import { releaseLease, takeLease } from "../db/leases";
import { upsertItem } from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import type { PosConnector } from "../pos/port";
import type { Services } from "../services";
import type { ObjectKind } from "../../shared/sync";
import { ensurePurchaseOrderItem } from "./items";

/**
 * Discovery for one tenant: asks the POS what changed since the cursors and records one sync item
 * per object version. Webhooks make this immediate (see hooks.ts) but are never the only source:
 * register polling finds closures whose webhook was lost. Objects dated before the tenant's
 * `syncFrom` (the day it connected) are left to a backfill.
 */
const TenantSettings = z.object({ syncFrom: z.string().optional() }).passthrough();
const LIABILITY_SCAN_SECONDS = 15 * 60;

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

  for (const changed of changes.sales) {
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
