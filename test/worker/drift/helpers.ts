import { env } from "cloudflare:workers";
import { z } from "zod";
import type { MappingsDocument } from "../../../shared/api";
import { PostedDoc } from "../../../shared/sync";
import { SyncItemRow } from "../../../worker/db/sync-items";
import { QboClient } from "../../../worker/qbo/client";
import { forgetAll, type Stack, TENANT } from "../support/stack";

/** Every row of the demo tenant gone, the drift check's and the re-sends' tables included. */
export async function forgetEverything(): Promise<void> {
  await forgetAll();
  await env.DB.batch([env.DB.prepare("DELETE FROM drift_docs"), env.DB.prepare("DELETE FROM revisions")]);
}

/** A bookkeeper at work in QBO: the company's API through the tenant's own connection. */
export const bookkeeper = (stack: Stack) => QboClient.open(stack.services(), TENANT);

/**
 * The POS trades `days` more days; Tillbridge posts them (webhooks, then two cron runs). The cron
 * also runs the drift check; its state is then forgotten so each test starts before any read-back.
 */
export async function trade(stack: Stack, days = 1): Promise<void> {
  stack.pos.advanceDay(TENANT, days);
  await stack.settle();
  stack.advance(days * 24 * 3600 * 1000);
  await stack.cron();
  await stack.cron();
  await env.DB.prepare("DELETE FROM drift_docs").run();
  await env.KV.delete(`drift:last:${TENANT}`);
}

export async function itemsOf(kind: string, state = "posted"): Promise<SyncItemRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind = ?2 AND state = ?3 ORDER BY id",
  )
    .bind(TENANT, kind, state)
    .all();
  return results.map((r) => SyncItemRow.parse(r));
}

export const docsOfItem = (row: SyncItemRow) => z.array(PostedDoc).parse(JSON.parse(row.docs_json));

/** QBO writes in the sandbox's request log since `from` (an index into it). */
export const writesSince = (stack: Stack, from: number) =>
  stack.qbo
    .requestLog(stack.realmId)
    .slice(from)
    .filter((r) => r.write);

export async function auditRows(where = "1 = 1"): Promise<Record<string, string | null>[]> {
  const { results } = await env.DB.prepare(`SELECT * FROM audit_log WHERE tenant_id = ?1 AND ${where} ORDER BY id`)
    .bind(TENANT)
    .all<Record<string, string | null>>();
  return results;
}

/** The cash payment type's mapping taken away: the closures that take cash block on it until it is back. */
export async function unmapCash(stack: Stack): Promise<[string, unknown]> {
  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
  const { [cash.id]: saved, ...paymentTypes } = doc.mappings.paymentTypes;
  await stack.api("/api/mappings", {
    method: "PUT",
    body: { version: doc.version, mappings: { ...doc.mappings, paymentTypes } },
  });
  return [cash.id, saved];
}
