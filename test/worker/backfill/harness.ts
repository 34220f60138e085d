import { env } from "cloudflare:workers";
import type { z } from "zod";
import type { Backfill } from "../../../shared/api";
import { runBackfills } from "../../../worker/sync/backfill/run";
import { forgetAll, type Stack } from "../support/stack";

export type BackfillT = z.infer<typeof Backfill>;

/** Rows of this feature's tables too, then everything the shared harness forgets. */
export async function forgetEverything(): Promise<void> {
  await env.DB.batch([env.DB.prepare("DELETE FROM backfill_items"), env.DB.prepare("DELETE FROM op_counters")]);
  await forgetAll();
}

export async function getBackfill(stack: Stack): Promise<BackfillT | null> {
  const res = await stack.api<{ backfill: BackfillT | null }>("/api/backfill");
  if (res.status !== 200) throw new Error(`GET /api/backfill: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.backfill;
}

/**
 * Runs backfill steps, and the cron for what they leave to it (transient failures retried later),
 * moving the clock a minute each round so rate windows and retry times pass, until it is done.
 */
export async function runUntilDone(stack: Stack, rounds = 12, opts: { posters?: number } = {}): Promise<BackfillT> {
  for (let i = 0; i < rounds; i++) {
    await runBackfills(stack.services(), { budgetMs: 60_000, ...opts });
    const b = await getBackfill(stack);
    if (b?.status === "done") return b;
    stack.advance(61_000);
    await stack.cron(opts);
  }
  throw new Error(`the backfill did not finish: ${JSON.stringify(await getBackfill(stack))}`);
}

export async function countRows(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Every QBO document Tillbridge may post, per entity, with its PrivateNote tag. */
export function qboDocuments(stack: Stack): { entity: string; id: string; txnDate: string; note: string }[] {
  const out: { entity: string; id: string; txnDate: string; note: string }[] = [];
  for (const entity of ["SalesReceipt", "RefundReceipt", "JournalEntry", "Invoice", "CreditMemo", "Payment"]) {
    for (const d of stack.qbo.entities(stack.realmId, entity) as {
      Id: string;
      TxnDate?: string;
      PrivateNote?: string;
    }[]) {
      out.push({ entity, id: d.Id, txnDate: d.TxnDate ?? "", note: d.PrivateNote ?? "" });
    }
  }
  return out;
}
