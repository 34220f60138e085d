import { env } from "cloudflare:workers";
import type { RequestLogEntry } from "../../../sandbox/qbo/index";

/**
 * Bookkeeping reads for the scenarios, on the raw (unmetered) D1 so they never count as the Worker's.
 */
export async function documentsPosted(tenantId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ?1 AND action IN ('post', 'adopt')",
  )
    .bind(tenantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function itemStates(tenantId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT state, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 GROUP BY state",
  )
    .bind(tenantId)
    .all<{ state: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.state, r.n]));
}

/** Items not posted, by state and reason, for the report. */
export async function notPosted(
  tenantId: string,
): Promise<{ kind: string; state: string; reason: string | null; n: number }[]> {
  const { results } = await env.DB.prepare(
    `SELECT kind, state, reason_code AS reason, COUNT(*) AS n FROM sync_items
     WHERE tenant_id = ?1 AND state NOT IN ('posted', 'not_applicable', 'superseded') GROUP BY kind, state, reason_code`,
  )
    .bind(tenantId)
    .all<{ kind: string; state: string; reason: string | null; n: number }>();
  return results;
}

export interface RequestCounts {
  writes: number;
  reads: number;
  /** Of the reads, the drift check's read-backs of posted documents (one query per entity and up to 30 documents) */
  driftReads: number;
  throttled429: number;
  /** "write Customer", "query Customer", ... */
  byKind: Record<string, number>;
}

/** The drift check reads posted documents back by id (worker/reports/doc-lines.ts readDocs); posting's lookups ask by name, number or marker. */
const READ_BACK = /\bwhere\s+Id\s+in\b/i;

export function countRequests(entries: RequestLogEntry[]): RequestCounts {
  const out: RequestCounts = { writes: 0, reads: 0, driftReads: 0, throttled429: 0, byKind: {} };
  for (const e of entries) {
    const readBack = !e.write && READ_BACK.test(e.query ?? "");
    if (e.write) out.writes++;
    else out.reads++;
    if (readBack) out.driftReads++;
    if (e.status === 429) out.throttled429++;
    const key = `${e.write ? "write" : e.operation} ${e.entity ?? "?"}${readBack ? " (drift check)" : ""}`;
    out.byKind[key] = (out.byKind[key] ?? 0) + 1;
  }
  return out;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
