import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import type { StatusResponse } from "../../shared/api";
import type { ObjectRef } from "../../shared/sync";
import { currentItems } from "../../worker/db/sync-items";
import { idempotencyKey } from "../../worker/ledger";
import { median } from "./support/books";
import { since, snapshot, sqlCounts, sqlMs } from "./support/meter";
import { params } from "./support/params";
import { createBenchStack, emit, type BenchStack } from "./support/stack";

/**
 * `POST /api/status` for 500 objects, as the content script asks it for a 500-row page: D1
 * statements per request (the states must come from one query; the session check and the badges'
 * notes are others, reported by table) and the time the Worker takes,
 * median over repeated requests. Two pages: register closures (most posted, some failed or
 * blocked) and a sales history of posted on-account sales (whose badges also look for payments
 * recorded in QBO).
 */
const P = params();
const TENANT = "status";

let stack: BenchStack | undefined;
afterAll(() => stack?.dispose());

async function seedItems(kind: "closure" | "sale", n: number): Promise<ObjectRef[]> {
  const refs: ObjectRef[] = [];
  const at = stack!.clock.now().toISOString();
  const rows = Array.from({ length: n }, (_, i) => {
    const posId = crypto.randomUUID();
    refs.push({ kind, posId });
    const docs = JSON.stringify([
      {
        part: "sales",
        entity: kind === "closure" ? "SalesReceipt" : "Invoice",
        id: String(1000 + i),
        docNumber: `Z${i}-R1-7KQ2M9XA`,
        url: `https://app.qbo.intuit.com/app/salesreceipt?txnId=${1000 + i}`,
      },
    ]);
    const state = kind === "sale" || i % 50 > 1 ? "posted" : i % 50 === 0 ? "failed" : "blocked";
    return env.DB.prepare(
      `INSERT INTO sync_items (tenant_id, kind, pos_id, pos_version, state, reason_code, reason_detail, attempts, idem_key, docs_json, created_at, updated_at, posted_at, next_attempt_at)
       VALUES (?1, ?2, ?3, '1', ?4, ?5, ?6, 1, ?7, ?8, ?9, ?9, ?9, ?9)`,
    ).bind(
      TENANT,
      kind,
      posId,
      state,
      state === "failed" ? "qbo_transient" : state === "blocked" ? "needs_mapping" : null,
      state === "blocked" ? "payment type 'Afterpay'" : null,
      idempotencyKey(TENANT, kind, posId, "1"),
      state === "posted" ? docs : "[]",
      at,
    );
  });
  for (let i = 0; i < rows.length; i += 100) await env.DB.batch(rows.slice(i, i + 100));
  return refs;
}

async function measure(objects: ObjectRef[], repeats = P.statusRepeats) {
  const ms: number[] = [];
  const statements: number[] = [];
  const kvOps: number[] = [];
  const d1Ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < repeats + 3; i++) {
    sqlCounts.clear();
    sqlMs.clear();
    const before = snapshot(stack!.meter);
    const t = performance.now();
    const res = await stack!.api<StatusResponse>(stack!.tenants[0]!, "/api/status", { body: { objects } });
    const took = performance.now() - t;
    if (res.status !== 200 || res.body.objects.length !== objects.length)
      throw new Error(`status answered ${res.status}`);
    if (i < 3) continue; // warm-up: first compilation of the route and the zod schemas
    const m = since(before, stack!.meter);
    ms.push(took);
    statements.push(m.d1Statements);
    kvOps.push(m.kvOps);
    d1Ms.push(m.d1Ms);
    cpuMs.push(took - m.waitMs);
  }
  // the statements of the last request, by verb and tables: the states are the `SELECT sync_items` one
  return {
    objects: objects.length,
    repeats,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    d1MedianMs: median(d1Ms),
    cpuEstimateMedianMs: median(cpuMs),
    d1Statements: median(statements),
    kvOps: median(kvOps),
    sql: [...sqlCounts].map(([k, n]) => ({ statement: k, n, ms: Math.round(sqlMs.get(k) ?? 0) })),
  };
}

/**
 * A candidate rewrite of worker/db/sync-items.ts `currentItems` for the lead (not in the code): the
 * asked refs are materialised first, so SQLite looks each one up in sync_items_object instead of
 * reading every item of the tenant against every ref. Measured on the same rows, same answer.
 */
const CANDIDATE_CURRENT_ITEMS = `WITH wanted AS MATERIALIZED (SELECT DISTINCT json_extract(value, '$.kind') AS kind, json_extract(value, '$.posId') AS pos_id FROM json_each(?2))
  SELECT s.* FROM wanted AS w CROSS JOIN sync_items AS s ON s.tenant_id = ?1 AND s.kind = w.kind AND s.pos_id = w.pos_id
  WHERE s.state != 'superseded'
    AND s.id = (SELECT MAX(t.id) FROM sync_items AS t WHERE t.tenant_id = s.tenant_id AND t.kind = s.kind AND t.pos_id = s.pos_id AND t.state != 'superseded')`;

async function candidate(objects: ObjectRef[]) {
  const arg = JSON.stringify(objects.map((o) => ({ kind: o.kind, posId: o.posId })));
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < P.statusRepeats; i++) {
    const t = performance.now();
    rows = (await env.DB.prepare(CANDIDATE_CURRENT_ITEMS).bind(TENANT, arg).all()).results.length;
    ms.push(performance.now() - t);
  }
  const current = (await currentItems(env.DB, TENANT, objects)).length;
  return { medianMs: median(ms), sameRows: rows === current, rows };
}

/** More posted items of the tenant (its history), none of them asked about. */
async function addHistory(n: number): Promise<void> {
  const at = stack!.clock.now().toISOString();
  for (let done = 0; done < n; done += 100) {
    const batch = Array.from({ length: Math.min(100, n - done) }, () => {
      const posId = crypto.randomUUID();
      return env.DB.prepare(
        `INSERT INTO sync_items (tenant_id, kind, pos_id, pos_version, state, idem_key, docs_json, created_at, updated_at, posted_at)
         VALUES (?1, 'closure', ?2, '1', 'posted', ?3, '[]', ?4, ?4, ?4)`,
      ).bind(TENANT, posId, idempotencyKey(TENANT, "closure", posId, "1"), at);
    });
    await env.DB.batch(batch);
  }
}

it(`the states of ${P.statusObjects} objects in one request`, async () => {
  stack = await createBenchStack({
    at: "2026-10-01T06:00:00Z",
    stores: [{ prefix: TENANT, seed: 7, days: 0, startDate: "2026-10-01" }],
    qbo: false,
  });
  const closures = await seedItems("closure", P.statusObjects);
  const sales = await seedItems("sale", P.statusObjects);
  const small = { tenantItems: 2 * P.statusObjects, closures: await measure(closures), sales: await measure(sales) };
  await addHistory(P.statusHistory);
  // fewer repeats with the long history: its point is how the time grows
  const large = {
    tenantItems: 2 * P.statusObjects + P.statusHistory,
    closures: await measure(closures, Math.min(P.statusRepeats, 5)),
    candidateQuery: await candidate(closures),
  };
  emit("status", { repeats: P.statusRepeats, small, large });
  const closurePage = small.closures;
  expect(closurePage.d1Statements).toBeGreaterThan(0);
});
