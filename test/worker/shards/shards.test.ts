import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { MappingsDocument, StatusResponse } from "../../../shared/api";
import type { ObjectStatus } from "../../../shared/sync";
import { announcedClosureStatement } from "../../../worker/db/closures";
import { directoryEntry, realmDirectory } from "../../../worker/db/shards";
import { currentItem } from "../../../worker/db/sync-items";
import { countTenantRows, exportTenant, HOME_TABLES } from "../../../worker/db/tenant-move";
import { ConfigError, loadEnv } from "../../../worker/env";
import { recordItem } from "../../../worker/kinds/record";
import { idempotencyKey } from "../../../worker/ledger";
import { createServices } from "../../../worker/services";
import {
  allTenants,
  dbFor,
  emptiestShard,
  forgetDirectory,
  moveTenantToShard,
  remember,
  servicesFor,
} from "../../../worker/shards";
import { countedOnEveryShard, runScheduled, runTenantMessage } from "../../../worker/sync/cron";
import { createApp } from "../../../worker/app";
import { closedQuietly } from "../support/quiet-close";
import { createStack, type Stack } from "../support/stack";

/**
 * Tenants sharded across D1 databases (docs/SCALE.md, "Past one database"): a store placed on shard
 * 1 connects, posts, answers the extension and takes webhooks with its rows in shard 1 only (the home
 * database keeping its sessions, OAuth states, directory entry and realm); two stores on two shards
 * never meet; a store moved from home to shard 1 keeps its posted history and posts what comes next
 * once.
 */

const ON_SHARD_1 = { SHARD_PLACEMENT: "1" };
const AT_HOME = { SHARD_PLACEMENT: "0" };
const DOC_ENTITIES = ["SalesReceipt", "RefundReceipt", "JournalEntry"] as const;

let a: Stack; // the Canadian demo store, placed on shard 1
let b: Stack; // the US demo store, at home

/** A register opens, sells and closes; its webhooks reach the Worker (which posts at once). */
async function closeRegister(stack: Stack, n: number): Promise<string> {
  const store = stack.pos.store(stack.tenant);
  const registers = Object.values(store.registers);
  const reg = registers[n % registers.length]!;
  const products = Object.values(store.products).filter((p) => p.kind === "product");
  const seq = stack.pos.openRegister(stack.tenant, reg.id);
  stack.pos.addSale(stack.tenant, {
    registerId: reg.id,
    lines: [{ productId: products[n % products.length]!.id, quantity: 2 }],
  });
  stack.pos.closeRegister(stack.tenant, reg.id);
  await stack.settle();
  return seq.id;
}

/**
 * A closure whose webhook was answered (the closure and its sync item recorded, on the tenant's
 * shard) but not posted — as if the Worker had stopped there: the cron is what posts it.
 */
async function closeRegisterForTheCron(stack: Stack, n: number): Promise<string> {
  const { id, announced } = await closedQuietly(stack, () => closeRegister(stack, n));
  const s = await servicesFor(stack.services(), stack.tenant);
  await announcedClosureStatement(s.db, stack.tenant, announced, s.now()).run();
  await recordItem(s, stack.tenant, "closure", id);
  expect((await currentItem(s.db, stack.tenant, "closure", id))?.state).toBe("ready");
  return id;
}

/** The queue consumer's run for the stack's tenant (what the cron hands each tenant). */
async function tenantMinute(stack: Stack, vars: Record<string, unknown>) {
  const report = await runTenantMessage(
    { ...env, ...vars },
    { tenantId: stack.tenant, scheduledTime: stack.now().toISOString() },
    stack.deps,
  );
  await stack.settle();
  return report;
}

async function status(stack: Stack, posId: string): Promise<ObjectStatus> {
  const res = await stack.api<StatusResponse>("/api/status", { body: { objects: [{ kind: "closure", posId }] } });
  expect(res.status).toBe(200);
  return res.body.objects[0]!;
}

/** The QBO documents carrying a closure's key (each part once, or it was posted twice). */
function qboDocsOf(stack: Stack, posId: string): string[] {
  const key = idempotencyKey(stack.tenant, "closure", posId, "1");
  const parts: string[] = [];
  for (const entity of DOC_ENTITIES)
    for (const doc of stack.qbo.entities(stack.realmId, entity) as { PrivateNote?: string }[]) {
      const m = /\| part ([^|]+?)(?: \||$)/.exec(doc.PrivateNote ?? "");
      if (doc.PrivateNote?.includes(`key ${key} `) && m) parts.push(m[1]!);
    }
  return parts.sort();
}

async function expectPostedOnce(stack: Stack, posId: string): Promise<ObjectStatus> {
  const st = await status(stack, posId);
  expect(st.state, `closure ${posId}: ${JSON.stringify(st.reason)}`).toBe("posted");
  const parts = qboDocsOf(stack, posId);
  expect(parts.length).toBeGreaterThan(0);
  expect(new Set(parts).size, "each part once in QBO").toBe(parts.length);
  expect(st.docs.map((d) => d.part).sort()).toEqual(parts);
  return st;
}

/** The tenant's rows in a database, by table, leaving out empty tables. */
async function rowsIn(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await countTenantRows(db, tenantId)).filter(([, n]) => n > 0));
}

/** The tenant's rows in the home database's own tables (sessions, directory, …), by table. */
async function homeRows(tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of HOME_TABLES) {
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE tenant_id = ?1`)
      .bind(tenantId)
      .first<{ n: number }>();
    if (row?.n) out[t] = row.n;
  }
  return out;
}

let aWebhookClosure: string;
let aCronClosure: string;
let bClosure: string;

beforeAll(async () => {
  a = await createStack({ days: 2, env: ON_SHARD_1 });
  b = await createStack({ days: 2, store: "us", env: AT_HOME });
  aWebhookClosure = await closeRegister(a, 0);
  aCronClosure = await closeRegisterForTheCron(a, 1);
  bClosure = await closeRegister(b, 0);
}, 240_000);

describe("a tenant placed on shard 1", () => {
  it("is placed by the directory, and its connections, session and realm work from there", async () => {
    expect(await directoryEntry(env.DB, a.tenant)).toEqual({ shard: 1, state: "active" });
    expect(await dbFor({ env: loadEnv(env), homeDb: env.DB }, a.tenant)).toBe(env.DB_SHARD_1);
    const me = await a.api<{ tenantId: string; pos: { status: string }; qbo: { status: string } }>("/api/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenantId: a.tenant, pos: { status: "connected" }, qbo: { status: "connected" } });
    // QBO's webhooks name the realm: the home database knows whose it is
    expect((await realmDirectory(env.DB)).get(a.realmId)).toBe(a.tenant);
  });

  it("posts a closure announced by its POS webhook, and one the cron finds ready, each once", async () => {
    await expectPostedOnce(a, aWebhookClosure);
    expect((await status(a, aCronClosure)).state).toBe("ready");
    const report = await tenantMinute(a, ON_SHARD_1);
    expect(report.posted).toBeGreaterThanOrEqual(1);
    await expectPostedOnce(a, aCronClosure);
    // another minute posts nothing again
    await tenantMinute(a, ON_SHARD_1);
    await expectPostedOnce(a, aCronClosure);
    await expectPostedOnce(a, aWebhookClosure);
  });

  it("Intuit's webhook names its realm: the home database finds the tenant, the work runs on its shard", {
    timeout: 60_000,
  }, async () => {
    a.qbo.setWebhook({
      url: "http://127.0.0.1:8787/webhooks/qbo",
      verifierToken: env.QBO_WEBHOOK_VERIFIER,
      deliver: (url, init) => a.request(new URL(url).pathname, init),
      retryDelaysMs: [],
    });
    const doc = (await a.api<MappingsDocument>("/api/mappings")).body;
    const cash = Object.values(a.pos.store(a.tenant).paymentTypes).find((p) => p.kind === "cash")!;
    const cashMapping = doc.mappings.paymentTypes[cash.id];
    if (cashMapping?.role !== "deposit") throw new Error("cash is mapped to a deposit account by the standard setup");
    a.qbo.setActive(a.realmId, "Account", cashMapping.accountId, false);
    await a.qbo.flushWebhooks();
    await a.settle();
    const blocked = await closeRegister(a, 2);
    expect((await status(a, blocked)).reason?.code).toBe("qbo_invalid_reference");
    a.qbo.setActive(a.realmId, "Account", cashMapping.accountId, true);
    await a.qbo.flushWebhooks();
    await a.settle();
    await expectPostedOnce(a, blocked); // no cron run, no click
    expect(a.qbo.webhookDeliveries().every((d) => d.status === 200)).toBe(true);
  });

  it("keeps its rows in shard 1: none at home beyond its session, OAuth states, directory entry and realm", async () => {
    const there = await rowsIn(env.DB_SHARD_1, a.tenant);
    for (const t of ["tenants", "connections", "mappings", "closures", "sync_items", "audit_log", "webhook_events"])
      expect(there[t], `${t} in shard 1`).toBeGreaterThan(0);
    expect(await rowsIn(env.DB, a.tenant)).toEqual({});
    const home = await homeRows(a.tenant);
    expect(Object.keys(home).sort()).toEqual([
      "oauth_states",
      "qbo_realms",
      "session_handoffs",
      "sessions",
      "tenant_shards",
    ]);
    expect(home.tenant_shards).toBe(1);
    // the home tables hold nothing of it in shard 1
    for (const t of HOME_TABLES) {
      const row = await env.DB_SHARD_1.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>();
      expect(row?.n, `${t} in shard 1`).toBe(0);
    }
  });
});

describe("two tenants on two shards", () => {
  it("the cron lists both, each where it lives", async () => {
    const s = createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "t" });
    expect(await allTenants(s)).toEqual([a.tenant, b.tenant].sort());
    // with only DB bound, the home database's tenants (no directory read)
    const { DB_SHARD_1: _gone, ...homeOnly } = { ...env, ...AT_HOME } as Record<string, unknown>;
    expect(await allTenants(createServices(homeOnly, b.deps, { requestId: "t" }))).toEqual([b.tenant]);
    expect(await directoryEntry(env.DB, b.tenant)).toEqual({ shard: 0, state: "active" });
  });

  it("an inline cron run counts the D1 statements it spends on every shard", async () => {
    const counted = countedOnEveryShard(createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "t" }));
    await counted.services.db.prepare("SELECT 1").first(); // home
    const onA = await servicesFor(counted.services, a.tenant); // a lives on shard 1
    const before = counted.statements();
    await onA.db.prepare("SELECT COUNT(*) FROM sync_items WHERE tenant_id = ?1").bind(a.tenant).first();
    await onA.db.batch([onA.db.prepare("SELECT 1"), onA.db.prepare("SELECT 2")]);
    expect(before).toBeGreaterThanOrEqual(1);
    expect(counted.statements() - before).toBe(3);
  });

  it("never see each other's rows or objects", async () => {
    await expectPostedOnce(b, bClosure);
    expect(await rowsIn(env.DB_SHARD_1, b.tenant)).toEqual({});
    expect((await rowsIn(env.DB, b.tenant)).sync_items).toBeGreaterThan(0);
    // each session answers for its own store only: the other's closure is unknown to it
    expect((await status(b, aWebhookClosure)).state).not.toBe("posted");
    expect((await status(a, bClosure)).state).not.toBe("posted");
    const meB = await b.api<{ tenantId: string }>("/api/me");
    expect(meB.body.tenantId).toBe(b.tenant);
    const auditA = await a.api<{ entries: { detail?: string }[] }>("/api/audit");
    expect(auditA.status).toBe(200);
    expect(JSON.stringify(auditA.body)).not.toContain(b.tenant);
  });

  it("a POS webhook naming a store is checked against that store's own shard", async () => {
    // B's webhook path with A's name is refused: A's secret is not B's
    const res = await b.request(`/webhooks/pos/${a.tenant}/not-the-secret`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
  });
});

describe("moving a tenant from home to shard 1", () => {
  it("keeps its posted closure green and posts the next closure once", async () => {
    const before = await expectPostedOnce(b, bClosure);
    const rowsBefore = await rowsIn(env.DB, b.tenant);
    const s = createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "move" });
    const moved = await moveTenantToShard(s, b.tenant, 1, { settle: async () => {} });
    expect(moved).toMatchObject({ from: 0, to: 1 });
    expect(await directoryEntry(env.DB, b.tenant)).toEqual({ shard: 1, state: "active" });
    expect(await rowsIn(env.DB, b.tenant)).toEqual({});
    expect(await rowsIn(env.DB_SHARD_1, b.tenant)).toEqual(rowsBefore);
    // the session (home) still opens it; its history is where it was, green, with the same documents
    const after = await expectPostedOnce(b, bClosure);
    expect(after.docs).toEqual(before.docs);
    // a new closure (found ready by the cron) posts once; the old one is not posted again
    const next = await closeRegisterForTheCron(b, 1);
    const report = await tenantMinute(b, AT_HOME);
    expect(report.posted).toBeGreaterThanOrEqual(1);
    await expectPostedOnce(b, next);
    expect((await expectPostedOnce(b, bClosure)).docs).toEqual(before.docs);
    // A, already on shard 1, is untouched by B's arrival
    await expectPostedOnce(a, aCronClosure);
  });

  it("a tenant being moved waits: its webhooks get a 503 the POS retries, its cron minute is skipped", async () => {
    const s = createServices({ ...env, ...AT_HOME }, a.deps, { requestId: "move" });
    let during: Record<string, number | undefined> = {};
    // A moves back home; while it is `moving`, what reaches it waits
    await moveTenantToShard(s, a.tenant, 0, {
      settle: async () => {
        const hook = await a.request(`/webhooks/pos/${a.tenant}/whatever`, { method: "POST", body: "{}" });
        const api = await a.api("/api/me");
        const cron = await runScheduled(
          { ...env, ...ON_SHARD_1 },
          { scheduledTime: a.now(), tenants: [a.tenant] },
          a.deps,
        );
        const message = await tenantMinute(a, ON_SHARD_1);
        during = { webhook: hook.status, api: api.status, skipped: cron.skipped, queued: message.skipped };
      },
    });
    expect(during).toEqual({ webhook: 503, api: 503, skipped: 1, queued: 1 });
    expect((await tenantMinute(a, ON_SHARD_1)).skipped).toBeUndefined(); // served again
    expect(await directoryEntry(env.DB, a.tenant)).toEqual({ shard: 0, state: "active" });
    await expectPostedOnce(a, aCronClosure);
    expect(await rowsIn(env.DB_SHARD_1, a.tenant)).toEqual({});
  });

  it("refuses a move to where the tenant is, and leaves it as it was after a failed copy", async () => {
    const s = createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "move" });
    await expect(moveTenantToShard(s, b.tenant, 1, { settle: async () => {} })).rejects.toThrow(/already on shard 1/);
    // a copy that fails (the target already holds the tenant) puts the directory back
    const copy = await exportTenant(env.DB_SHARD_1, b.tenant);
    await env.DB.prepare("INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?1, 'stale', ?2, ?2)")
      .bind(b.tenant, copy.tables.tenants![0]!.created_at as string)
      .run();
    await expect(moveTenantToShard(s, b.tenant, 0, { settle: async () => {} })).rejects.toThrow(
      /already in the target/,
    );
    expect(await directoryEntry(env.DB, b.tenant)).toEqual({ shard: 1, state: "active" });
    forgetDirectory();
    await expectPostedOnce(b, bClosure);
    await env.DB.prepare("DELETE FROM tenants WHERE id = ?1").bind(b.tenant).run();
  });
});

describe("placement and configuration", () => {
  it("places a new tenant on the open shard with the fewest tenants", async () => {
    const counts = async (vars: Record<string, unknown>) =>
      emptiestShard(createServices({ ...env, ...vars }, {}, { requestId: "p" }));
    // now: home holds A (moved back), shard 1 holds B
    expect(await counts({ SHARD_PLACEMENT: "0,1" })).toBe(0); // a tie: the lowest number
    expect(await counts({ SHARD_PLACEMENT: "1" })).toBe(1);
    await env.DB.prepare("INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('extra', '', ?1, ?1)")
      .bind(new Date(0).toISOString())
      .run();
    expect(await counts({ SHARD_PLACEMENT: "0,1" })).toBe(1);
    expect(await counts({ SHARD_PLACEMENT: undefined })).toBe(1); // by default every bound shard is open
    expect(await counts({ SHARD_PLACEMENT: "0" })).toBe(0); // a shard left out gets no new tenant
  });

  it("remembers a bounded number of directory entries, the oldest going first", () => {
    const cache = new Map<string, number>();
    remember(cache, "a", 1, 2);
    remember(cache, "b", 2, 2);
    remember(cache, "a", 3, 2); // refreshed: now the newest
    remember(cache, "c", 4, 2);
    expect([...cache]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
  });

  it("validates the shard bindings and the placement", () => {
    const problem = (vars: Record<string, unknown>) => {
      try {
        loadEnv({ ...env, ...vars });
        return "";
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    const shards = loadEnv({ ...env }).shards;
    expect(shards.length).toBe(2);
    expect(shards[0]).toBe(env.DB);
    expect(shards[1]).toBe(env.DB_SHARD_1);
    expect(problem({ DB_SHARD_3: env.DB_SHARD_1 })).toMatch(/DB_SHARD_2 is missing/);
    expect(problem({ DB_SHARD_2: "not a database" })).toMatch(/DB_SHARD_2 is not a D1 database/);
    expect(problem({ SHARD_PLACEMENT: "0,2" })).toMatch(/names shard 2, but DB_SHARD_2 is not bound/);
    expect(problem({ SHARD_PLACEMENT: "one" })).toMatch(/SHARD_PLACEMENT lists shard numbers/);
    const { DB_SHARD_1: _gone, ...homeOnly } = { ...env } as Record<string, unknown>;
    expect(loadEnv({ ...homeOnly, SHARD_PLACEMENT: undefined })).toMatchObject({ placement: [0] });
  });
});

describe("the operator's move", () => {
  const TOKEN = "ops-token-for-the-shard-tests-0123456789";
  const ops = (path: string, init: RequestInit = {}) =>
    createApp({ ...b.deps, sleep: async () => {} }).fetch(
      new Request(new URL(path, "http://127.0.0.1:8787"), {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      }),
      { ...env, ...AT_HOME, OPS_TOKEN: TOKEN },
    );

  it("moves a tenant by its route, says where it is, and records it in the tenant's audit log", async () => {
    const before = await expectPostedOnce(b, bClosure);
    expect(await (await ops(`/ops/tenants/${b.tenant}/shard`)).json()).toEqual({
      tenantId: b.tenant,
      shard: 1,
      state: "active",
    });
    const res = await ops(`/ops/tenants/${b.tenant}/move`, { method: "POST", body: JSON.stringify({ shard: 0 }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, tenantId: b.tenant, from: 1, to: 0 });
    expect(await (await ops(`/ops/tenants/${b.tenant}/shard`)).json()).toMatchObject({ shard: 0, state: "active" });
    expect(await rowsIn(env.DB_SHARD_1, b.tenant)).toEqual({});
    expect((await expectPostedOnce(b, bClosure)).docs).toEqual(before.docs);
    const audit = await b.api<{ entries: { action: string }[] }>("/api/audit?action=move");
    expect(audit.body.entries.map((e) => e.action)).toEqual(["move"]);
    // a shard that is not bound is refused, and nothing moves
    const nowhere = await ops(`/ops/tenants/${b.tenant}/move`, { method: "POST", body: JSON.stringify({ shard: 7 }) });
    expect(nowhere.status).toBe(400);
    expect(await (await ops(`/ops/tenants/${b.tenant}/shard`)).json()).toMatchObject({ shard: 0, state: "active" });
  });
});

describe("work still writing while a tenant is copied", () => {
  /** Shard 1, but each import (its first batch) lets the tenant's old database take a write first. */
  function busyTarget(writes: { left: number }): D1Database {
    let importing = false;
    return new Proxy(env.DB_SHARD_1, {
      get(target, prop, receiver) {
        if (prop === "prepare")
          return (sql: string) => {
            if (sql.startsWith("SELECT 1 AS n FROM tenants")) importing = true; // importTenant begins
            return target.prepare(sql);
          };
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            if (importing && writes.left > 0) {
              writes.left--;
              await env.DB.prepare(
                "INSERT INTO audit_log (tenant_id, at, actor, action, detail) VALUES (?1, ?2, 'cron', 'post', 'written during the copy')",
              )
                .bind(b.tenant, new Date().toISOString())
                .run();
            }
            importing = false;
            return target.batch(statements);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }
  const services = (writes: { left: number }) => {
    const s = createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "move" });
    return { ...s, env: { ...s.env, shards: [env.DB, busyTarget(writes)] } };
  };
  const duringCopy = async (db: D1Database) =>
    (
      await db
        .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ?1 AND detail = 'written during the copy'")
        .bind(b.tenant)
        .first<{ n: number }>()
    )?.n;

  it("copies again once the writes stop, and gives up (the tenant where it was) when they do not", async () => {
    const settles: number[] = [];
    // writes during every copy: after 2 attempts the move gives up; nothing of it is left in shard 1
    const always = { left: 2 };
    await expect(
      moveTenantToShard(services(always), b.tenant, 1, { attempts: 2, settle: async () => void settles.push(1) }),
    ).rejects.toThrow(/changed while they were copied/);
    expect(settles.length).toBe(2);
    expect(await directoryEntry(env.DB, b.tenant)).toEqual({ shard: 0, state: "active" });
    expect(await rowsIn(env.DB_SHARD_1, b.tenant)).toEqual({});
    expect(await duringCopy(env.DB)).toBe(2);
    // a write during the first copy only: the second copy carries it
    const once = { left: 1 };
    const moved = await moveTenantToShard(services(once), b.tenant, 1, { settle: async () => {} });
    expect(moved).toMatchObject({ from: 0, to: 1, sourceKept: false });
    expect(await duringCopy(env.DB_SHARD_1)).toBe(3);
    expect(await rowsIn(env.DB, b.tenant)).toEqual({});
    await expectPostedOnce(b, bClosure);
  });

  it("waits for a posting or a discovery in flight before it copies, and gives up while they last", async () => {
    const s = createServices({ ...env, ...AT_HOME }, b.deps, { requestId: "move" });
    const now = b.now();
    const busyUntil = new Date(now.getTime() + 60_000).toISOString();
    // a discovery started before the mark: its lease is live on B's shard (shard 1)
    await env.DB_SHARD_1.prepare(
      "INSERT INTO cursors (tenant_id, resource, cursor, updated_at) VALUES (?1, 'lease:discover', ?2, ?3) ON CONFLICT (tenant_id, resource) DO UPDATE SET cursor = excluded.cursor",
    )
      .bind(b.tenant, busyUntil, now.toISOString())
      .run();
    let settles = 0;
    await expect(
      moveTenantToShard(s, b.tenant, 0, { quietTries: 3, settle: async () => void settles++ }),
    ).rejects.toThrow(/still busy/);
    expect(settles).toBe(4); // the cache's, then three while it was busy
    expect(await directoryEntry(env.DB, b.tenant)).toEqual({ shard: 1, state: "active" });
    forgetDirectory();
    // the discovery ends (its lease released) during the waits: the move goes on
    const moved = await moveTenantToShard(s, b.tenant, 0, {
      settle: async () => {
        await env.DB_SHARD_1.prepare("UPDATE cursors SET cursor = ?3 WHERE tenant_id = ?1 AND resource = ?2")
          .bind(b.tenant, "lease:discover", new Date(0).toISOString())
          .run();
      },
    });
    expect(moved).toMatchObject({ from: 1, to: 0, sourceKept: false });
    await expectPostedOnce(b, bClosure);
  });
});
