import { Hono } from "hono";
import { z } from "zod";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { audit } from "../db/audit";
import { itemById, retryNow, tenantOfItem } from "../db/sync-items";
import type { Deps } from "../services";
import { allTenants, DIRECTORY_TTL_MS, dbFor, moveTenantToShard, servicesFor, shardOf } from "../shards";
import { valid } from "../lib/validate";
import { requireOperator } from "./operator";
import { recentBackfills } from "../db/backfills";
import { qboRealms } from "../db/connections";
import { addPostingCounters, httpCounters, type PostingCounters, postingCounters } from "../db/counters";
import { DeadLetterQuery, deadLetters } from "../db/dead-letters";
import { connectionHealth } from "../reports/connection-health";
import { backfillView } from "../sync/backfill/run";
import { postNow } from "../sync/now";

/**
 * The operator's routes, behind the OPS_TOKEN secret (routes/operator.ts): counters, the dead
 * letters (items that need a person) with a retry, backfills in progress, and per-tenant health.
 */

const Instant = z.iso.datetime({ offset: true });
const CountersQuery = z.object({
  since: Instant.optional(),
  until: Instant.optional(),
  tenant: z.string().min(1).max(100).optional(),
});
const DAY_MS = 86_400_000;

const ZERO: PostingCounters = {
  posted: 0,
  nothingToPost: 0,
  documentsCreated: 0,
  documentsAdopted: 0,
  failed: 0,
  blocked: 0,
  rejected: 0,
  retries: 0,
  current: {},
};

const MoveRequest = z.object({ shard: z.number().int().min(0) });

/**
 * Moving a tenant to another shard (docs/SCALE.md, migration path step 4): its work pauses while
 * every isolate's directory cache expires, its rows are copied and counted, the directory switches,
 * the old rows go. Answered when done (some seconds, and the copy's time).
 */
export function shardOpsRoutes(deps: Pick<Deps, "sleep"> = {}) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return new Hono<AppContext>()
    .use("*", requireOperator)
    .post("/tenants/:tenant/move", valid("json", MoveRequest), async (c) => {
      const s = c.get("services");
      const tenantId = c.req.param("tenant");
      const { shard } = c.req.valid("json");
      const moved = await moveTenantToShard(s, tenantId, shard, { settle: () => sleep(DIRECTORY_TTL_MS + 2_000) });
      await audit(
        await dbFor(s, tenantId),
        { tenantId, actor: "operator", action: "move", detail: `moved from shard ${moved.from} to shard ${moved.to}` },
        s.now(),
      );
      return c.json({ ok: true, tenantId, ...moved });
    })
    .get("/tenants/:tenant/shard", async (c) => {
      const s = c.get("services");
      const tenantId = c.req.param("tenant");
      return c.json({ tenantId, ...(await shardOf(s, tenantId)) });
    });
}

export const opsRoutes = new Hono<AppContext>()
  .use("*", requireOperator)
  .get("/counters", valid("query", CountersQuery), async (c) => {
    const s = c.get("services");
    const q = c.req.valid("query");
    const until = q.until ? new Date(q.until).toISOString() : s.now().toISOString();
    const since = q.since ? new Date(q.since).toISOString() : new Date(Date.parse(until) - DAY_MS).toISOString();
    if (since >= until)
      throw new TillbridgeError("bad_request", "since must be before until", { fields: { since: "after until" } });
    const ids = q.tenant ? [q.tenant] : await allTenants(s);
    const tenants = [];
    let totals = ZERO;
    for (const tenantId of ids) {
      const counters = await postingCounters(await dbFor(s, tenantId), tenantId, since, until);
      tenants.push({ tenantId, ...counters });
      totals = addPostingCounters(totals, counters);
    }
    // realm → tenant, so a QBO counter names the merchant it concerns
    const tenantOfRealm = new Map((await Promise.all(s.env.shards.map((db) => qboRealms(db)))).flatMap((m) => [...m]));
    const qbo: Record<string, { tenantId: string | null; qbo_429: number; qbo_5xx: number; qbo_no_answer: number }> =
      {};
    const qboTotals = { qbo_429: 0, qbo_5xx: 0, qbo_no_answer: 0 };
    // a QBO company's counters live in its tenant's shard
    const http = (await Promise.all(s.env.shards.map((db) => httpCounters(db, since, until)))).flat();
    for (const r of http) {
      const tenantId = tenantOfRealm.get(r.scope) ?? null;
      if (q.tenant && tenantId !== q.tenant) continue;
      const row = (qbo[r.scope] ??= { tenantId, qbo_429: 0, qbo_5xx: 0, qbo_no_answer: 0 });
      if (r.name === "qbo_429" || r.name === "qbo_5xx" || r.name === "qbo_no_answer") {
        row[r.name] += r.count;
        qboTotals[r.name] += r.count;
      }
    }
    const lastCron = await s.kv.get("cron:last-report", "json");
    return c.json({
      since,
      until,
      totals,
      tenants,
      qbo: { totals: qboTotals, byRealm: Object.entries(qbo).map(([realmId, v]) => ({ realmId, ...v })) },
      lastCron,
    });
  })
  .get("/dead-letter", valid("query", DeadLetterQuery), async (c) => {
    const s = c.get("services");
    const q = c.req.valid("query");
    // one tenant: its shard; else every shard's, merged (item ids are each shard's own: with the tenant)
    const views = q.tenant
      ? [await deadLetters(await dbFor(s, q.tenant), q, s.now())]
      : await Promise.all(s.env.shards.map((db) => deadLetters(db, q, s.now())));
    return c.json({
      summary: views
        .flatMap((v) => v.summary)
        .sort((a, b) => b.count - a.count || a.tenantId.localeCompare(b.tenantId)),
      items: views
        .flatMap((v) => v.items)
        .sort((a, b) => a.stuckSince.localeCompare(b.stuckSince) || a.id - b.id)
        .slice(0, q.limit),
    });
  })
  .post("/dead-letter/:id/retry", async (c) => {
    const home = c.get("services");
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new TillbridgeError("bad_request", "item id", { fields: { id: "not an item id" } });
    // item ids are each shard's own: `?tenant=` names the shard (the dead letters list gives it);
    // without it, the item must be found on exactly one shard
    const named = c.req.query("tenant");
    let s = home;
    if (named) s = await servicesFor(home, named);
    else {
      const holders = (
        await Promise.all(home.env.shards.map(async (db) => ({ db, tenantId: await tenantOfItem(db, id) })))
      ).filter((h) => h.tenantId !== null);
      if (holders.length > 1)
        throw new TillbridgeError("conflict", `sync item ${id} is in several databases: name its tenant (?tenant=)`);
      if (holders[0]) s = await servicesFor(home, holders[0].tenantId!);
    }
    const tenantId = await tenantOfItem(s.db, id);
    if (named && tenantId !== named) throw new TillbridgeError("not_found", `sync item ${id}`);
    const row = tenantId ? await itemById(s.db, tenantId, id) : null;
    if (!row) throw new TillbridgeError("not_found", `sync item ${id}`);
    if (!(await retryNow(s.db, id, s.now())))
      throw new TillbridgeError("conflict", `sync item ${id} is ${row.state}, not waiting for a retry`);
    await audit(
      s.db,
      {
        tenantId: row.tenant_id,
        actor: "operator",
        action: "retry",
        kind: row.kind,
        posId: row.pos_id,
        posVersion: row.pos_version,
        detail: `operator retry of a ${row.state} item (${row.reason_code ?? "no reason"})`,
      },
      s.now(),
    );
    s.waitUntil(
      postNow(s, row.tenant_id, row, "operator").catch((e) =>
        s.log.error("operator retry failed", { error: e instanceof Error ? e.message : String(e) }),
      ),
    );
    return c.json({
      ok: true,
      item: { id, tenantId: row.tenant_id, kind: row.kind, posId: row.pos_id, state: "ready" },
    });
  })
  .get("/backfills", async (c) => {
    const s = c.get("services");
    const backfills = [];
    for (const db of s.env.shards)
      for (const row of await recentBackfills(db, new Date(s.now().getTime() - 7 * DAY_MS))) {
        backfills.push({
          tenantId: row.tenant_id,
          phase: row.phase,
          countedPolicy: row.counted_policy,
          note: row.note,
          ...(await backfillView(db, row, s.now())),
        });
      }
    return c.json({ backfills });
  })
  .get("/health/:tenant", async (c) => {
    const s = c.get("services");
    const [tenant] = await connectionHealth(s, { tenantId: c.req.param("tenant"), deep: c.req.query("deep") === "1" });
    if (!tenant) throw new TillbridgeError("not_found", `tenant ${c.req.param("tenant")}`);
    return c.json({ tenant });
  });
