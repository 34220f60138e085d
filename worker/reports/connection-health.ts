import { TillbridgeError } from "../../shared/errors";
import { dbFor, servicesFor } from "../shards";
import { type TenantConnectionRow, tenantConnections } from "../db/connections";
import { PosClient } from "../pos/client";
import { QboClient } from "../qbo/client";
import type { CoreServices } from "../services";

/**
 * The state of every tenant's two connections, as stored (what the last refresh or call found),
 * with what needs someone: a connection to reconnect, QBO missing while the POS is connected, a
 * QBO refresh token close to its end. `deep` also calls each system once (QBO CompanyInfo, the
 * POS retailer) — it spends API calls, so only the operator asks for it.
 */

export type ConnState = "connected" | "needs_reconnect" | "disconnected" | "not_connected";

export interface ConnHealth {
  status: ConnState;
  reason?: string;
  refreshExpiresAt?: string;
  live?: { ok: boolean; detail?: string };
}

export interface TenantHealth {
  tenantId: string;
  /** False once the merchant disconnected the POS (uninstalled): nothing is expected of it */
  active: boolean;
  pos: ConnHealth;
  qbo: ConnHealth;
  attention: string[];
}

/** Intuit's refresh tokens roll over 100 days of use; an idle company's can run out. */
export const REFRESH_WARNING_DAYS = 14;

const words = (e: unknown) =>
  e instanceof TillbridgeError
    ? `${e.code}${e.detail ? `: ${e.detail}` : ""}`
    : e instanceof Error
      ? e.message
      : String(e);

async function probe(run: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await run();
    return { ok: true };
  } catch (e) {
    return { ok: false, detail: words(e).slice(0, 300) };
  }
}

export async function connectionHealth(
  s: CoreServices,
  opts: { deep?: boolean; tenantId?: string } = {},
): Promise<TenantHealth[]> {
  // one tenant: on its shard; all of them: every shard's
  const rows = opts.tenantId
    ? await tenantConnections(await dbFor(s, opts.tenantId), opts.tenantId)
    : (await Promise.all(s.env.shards.map((db) => tenantConnections(db)))).flat();
  const tenants = byTenant(rows);
  const warnBefore = new Date(s.now().getTime() + REFRESH_WARNING_DAYS * 86_400_000).toISOString();
  for (const t of tenants) {
    t.active = t.pos.status === "connected" || t.pos.status === "needs_reconnect";
    if (!t.active) continue;
    t.attention.push(...storedAttention(t, warnBefore));
    if (opts.deep) await probeLive(await servicesFor(s, t.tenantId), t);
  }
  return tenants;
}

/** Each tenant with its two connections as stored (a provider never connected: not_connected). */
function byTenant(rows: TenantConnectionRow[]): TenantHealth[] {
  const tenants = new Map<string, TenantHealth>();
  for (const r of rows) {
    const t = tenants.get(r.id) ?? {
      tenantId: r.id,
      active: false,
      pos: { status: "not_connected" },
      qbo: { status: "not_connected" },
      attention: [],
    };
    tenants.set(r.id, t);
    if (!r.provider || !r.status) continue;
    t[r.provider] = {
      status: r.status,
      ...(r.status_reason ? { reason: r.status_reason } : {}),
      ...(r.refresh_expires_at ? { refreshExpiresAt: r.refresh_expires_at } : {}),
    };
  }
  return [...tenants.values()];
}

/** What needs someone, from the stored state alone. */
function storedAttention(t: TenantHealth, warnBefore: string): string[] {
  const out: string[] = [];
  if (t.pos.status === "needs_reconnect")
    out.push(`Retail POS needs to be reconnected${t.pos.reason ? ` (${t.pos.reason})` : ""}`);
  if (t.qbo.status === "needs_reconnect")
    out.push(`QuickBooks Online needs to be reconnected${t.qbo.reason ? ` (${t.qbo.reason})` : ""}`);
  else if (t.qbo.status !== "connected") out.push("QuickBooks Online is not connected");
  else if (t.qbo.refreshExpiresAt && t.qbo.refreshExpiresAt < warnBefore)
    out.push(`the QuickBooks Online refresh token ends ${t.qbo.refreshExpiresAt}`);
  return out;
}

/** One call to each connected system (the operator asked: it spends API calls). */
async function probeLive(s: CoreServices, t: TenantHealth): Promise<void> {
  if (t.pos.status === "connected")
    t.pos.live = await probe(() => PosClient.forTenant(s, t.tenantId).getOne("/retailer"));
  if (t.qbo.status === "connected")
    t.qbo.live = await probe(async () => (await QboClient.open(s, t.tenantId)).companyInfo());
  if (t.pos.live && !t.pos.live.ok) t.attention.push(`the Retail POS call failed: ${t.pos.live.detail}`);
  if (t.qbo.live && !t.qbo.live.ok) t.attention.push(`the QuickBooks Online call failed: ${t.qbo.live.detail}`);
}

/** What the public /health may say: counts, never which merchants. */
export function connectionSummary(tenants: readonly TenantHealth[]) {
  const count = (which: "pos" | "qbo") => {
    const out: Record<ConnState, number> = { connected: 0, needs_reconnect: 0, disconnected: 0, not_connected: 0 };
    for (const t of tenants) if (t.active) out[t[which].status]++;
    return out;
  };
  return {
    tenants: tenants.length,
    active: tenants.filter((t) => t.active).length,
    needingAttention: tenants.filter((t) => t.attention.length > 0).length,
    pos: count("pos"),
    qbo: count("qbo"),
  };
}
