import { TillbridgeError } from "../shared/errors";
import { type DirectoryEntry, directoryCounts, directoryEntry, placeInDirectory, setDirectoryEntry } from "./db/shards";
import { moveTenant, SourceChanged } from "./db/tenant-move";
import { getTenant, listTenantIds } from "./db/tenants";
import type { AppEnv } from "./env";
import type { CoreServices } from "./services";

/**
 * Which D1 database holds a tenant (docs/SCALE.md, "Past one database"). Shard 0 is the home
 * database (`DB`), shard n the binding `DB_SHARD_<n>`; the home database's directory
 * (`tenant_shards`) says which, and a tenant without an entry lives at home. Everything that serves
 * one tenant goes through `servicesFor`, which binds `db` to the tenant's shard; `homeDb` stays the
 * home database (sessions, OAuth states, the directory, QBO realm → tenant, rate windows).
 */

/** How long an isolate trusts what it read of the directory. A move waits this out (and more). */
export const DIRECTORY_TTL_MS = 10_000;

/** Tenants an isolate remembers at most (a few hundred bytes each). */
export const MAX_CACHED = 10_000;

type Cached = { entry: DirectoryEntry; until: number };
/** Per isolate (on globalThis: one cache whichever copy of this module reads it), per home database. */
const CACHE = Symbol.for("tillbridge.shard-directory");
type Holder = { [CACHE]?: Map<D1Database, Map<string, Cached>> };

function cacheOf(home: D1Database): Map<string, Cached> {
  const all = ((globalThis as Holder)[CACHE] ??= new Map());
  let byTenant = all.get(home);
  if (!byTenant) all.set(home, (byTenant = new Map()));
  return byTenant;
}

/** Drops what this isolate remembers of the directory (one tenant, or all; tests start clean with it). */
export function forgetDirectory(tenantId?: string): void {
  const all = (globalThis as Holder)[CACHE];
  if (!all) return;
  if (tenantId === undefined) all.clear();
  else for (const byTenant of all.values()) byTenant.delete(tenantId);
}

/**
 * Keeps `value` under `key` in a map of at most `cap` entries: a webhook URL may name any store,
 * known or not, so the oldest entry goes first.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, cap = MAX_CACHED): void {
  map.delete(key);
  while (map.size >= cap) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

type DirectoryServices = Pick<CoreServices, "env" | "homeDb">;

/** The tenant's directory entry (home, active, when it has none), from this isolate's cache when fresh. */
export async function shardOf(s: DirectoryServices, tenantId: string): Promise<DirectoryEntry> {
  const cache = cacheOf(s.homeDb);
  const hit = cache.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.entry;
  const entry = (await directoryEntry(s.homeDb, tenantId)) ?? { shard: 0, state: "active" };
  remember(cache, tenantId, { entry, until: Date.now() + DIRECTORY_TTL_MS });
  return entry;
}

function shardDb(env: AppEnv, shard: number, tenantId: string): D1Database {
  const db = env.shards[shard];
  if (!db)
    throw new TillbridgeError(
      "internal",
      `tenant ${tenantId} lives on shard ${shard}, but the binding DB_SHARD_${shard} is not in wrangler.toml`,
    );
  return db;
}

/**
 * The D1 database holding the tenant. A tenant being moved has none for the moment: its work waits
 * (`tenant_moving`, a 503: the POS retries its webhooks, the extension and the cron ask again).
 */
export async function dbFor(s: DirectoryServices, tenantId: string): Promise<D1Database> {
  const entry = await shardOf(s, tenantId);
  if (entry.state === "moving") throw new TillbridgeError("tenant_moving", tenantId, { retryAfterSeconds: 30 });
  return shardDb(s.env, entry.shard, tenantId);
}

/** The services for one tenant: `db` is its shard. Already bound to it: the same services. */
export async function servicesFor<S extends CoreServices>(s: S, tenantId: string): Promise<S> {
  if (s.tenantId === tenantId) return s;
  return { ...s, db: await dbFor(s, tenantId), tenantId };
}

/**
 * Where a store being connected lives: where it already is, or — a new tenant — on the shard
 * with the fewest tenants among those `SHARD_PLACEMENT` opens to new tenants (all bound ones by
 * default; ties go to the lowest number). With only `DB` bound, nothing is written: every tenant is
 * at home as before. Two first connections of the same store at once agree on the directory's entry.
 */
export async function placeTenant<S extends CoreServices>(s: S, tenantId: string): Promise<S> {
  forgetDirectory(tenantId);
  if (s.env.shards.length > 1 && !(await directoryEntry(s.homeDb, tenantId))) {
    if (!(await getTenant(s.homeDb, tenantId))) {
      const shard = await emptiestShard(s);
      await placeInDirectory(s.homeDb, tenantId, shard, s.now());
      forgetDirectory(tenantId);
      s.log.info("tenant placed", { tenant: tenantId, shard });
    }
  }
  return { ...s, db: await dbFor(s, tenantId), tenantId };
}

/** The open shard with the fewest tenants (home: the tenants in its own table). */
export async function emptiestShard(s: Pick<CoreServices, "env" | "homeDb">): Promise<number> {
  const placed = await directoryCounts(s.homeDb);
  const home = await s.homeDb.prepare("SELECT COUNT(*) AS n FROM tenants").first<{ n: number }>();
  const count = (shard: number) => (shard === 0 ? (home?.n ?? 0) : (placed.get(shard) ?? 0));
  let best = s.env.placement[0]!;
  for (const shard of s.env.placement)
    if (count(shard) < count(best) || (count(shard) === count(best) && shard < best)) best = shard;
  return best;
}

/**
 * Every tenant on every shard, each once, where the directory says it lives (a tenant being
 * moved is left out: its work waits for the move).
 */
export async function allTenants(s: Pick<CoreServices, "env" | "homeDb">): Promise<string[]> {
  // one database: every tenant in it lives there (a move needs two)
  if (s.env.shards.length === 1) return listTenantIds(s.homeDb);
  const { results } = await s.homeDb
    .prepare("SELECT tenant_id, shard, state FROM tenant_shards")
    .all<{ tenant_id: string; shard: number; state: string }>();
  const where = new Map(results.map((r) => [r.tenant_id, r]));
  const ids: string[] = [];
  for (const [shard, db] of s.env.shards.entries())
    for (const id of await listTenantIds(db)) {
      const entry = where.get(id);
      if ((entry?.shard ?? 0) === shard && (entry?.state ?? "active") === "active") ids.push(id);
    }
  return ids.sort();
}

export interface MoveOptions {
  /**
   * Waits until no isolate can still act on the tenant's old entry (default: the directory cache's
   * lifetime and a margin). Runs after the tenant is marked `moving`, before its rows are read, and
   * again before each new copy when work still running changed them during the last one.
   */
  settle?: () => Promise<void>;
  /** Copies tried before giving up while the tenant's rows keep changing (default 3) */
  attempts?: number;
  /** Settles waited for the tenant's work in flight to finish before a copy (default 10) */
  quietTries?: number;
}

/**
 * Work of the tenant still in flight on a shard: postings holding a live lease, and live named
 * leases (a discovery, a backfill step, a re-send; not the webhook hints' throttle, which holds no work). A move copies only once there is none, so what a Worker
 * started before the tenant was marked `moving` finishes on the old shard before the copy.
 */
export async function workInFlight(db: D1Database, tenantId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM sync_items WHERE tenant_id = ?1 AND state = 'posting' AND lease_until > ?2)
            + (SELECT COUNT(*) FROM cursors WHERE tenant_id = ?1 AND substr(resource, 1, 6) = 'lease:'
                 AND resource != 'lease:hint' AND cursor > ?2)
              AS n`,
    )
    .bind(tenantId, at)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function moveTenantToShard(
  s: CoreServices,
  tenantId: string,
  to: number,
  opts: MoveOptions = {},
): Promise<{ from: number; to: number; rows: Record<string, number>; sourceKept: boolean }> {
  if (!s.env.shards[to])
    throw new TillbridgeError("bad_request", `shard ${to} is not bound (no DB_SHARD_${to} in wrangler.toml)`);
  const target = shardDb(s.env, to, tenantId);
  const entry = (await directoryEntry(s.homeDb, tenantId)) ?? { shard: 0, state: "active" as const };
  if (entry.state === "moving") throw new TillbridgeError("conflict", `tenant ${tenantId} is already being moved`);
  if (entry.shard === to) throw new TillbridgeError("conflict", `tenant ${tenantId} is already on shard ${to}`);
  const source = shardDb(s.env, entry.shard, tenantId);
  if (!(await getTenant(source, tenantId))) throw new TillbridgeError("not_found", `tenant ${tenantId}`);

  await setDirectoryEntry(s.homeDb, tenantId, { shard: entry.shard, state: "moving" }, s.now());
  forgetDirectory(tenantId);
  const settle = opts.settle ?? (() => new Promise<void>((r) => setTimeout(r, DIRECTORY_TTL_MS + 2_000)));
  try {
    for (let attempt = 1; ; attempt++) {
      await settle();
      // what started before the mark finishes first (its leases expire by themselves if its Worker died)
      for (let tries = 1; (await workInFlight(source, tenantId, s.now())) > 0; tries++) {
        if (tries > (opts.quietTries ?? 10))
          throw new TillbridgeError("conflict", `tenant ${tenantId} is still busy: try the move again in a minute`);
        await settle();
      }
      try {
        const { rows, sourceKept } = await moveTenant(source, target, tenantId, async () => {
          await setDirectoryEntry(s.homeDb, tenantId, { shard: to, state: "active" }, s.now());
          forgetDirectory(tenantId);
        });
        if (sourceKept)
          s.log.error("tenant moved, but its old rows changed after the copy: kept on the old shard", {
            tenant: tenantId,
            from: entry.shard,
            to,
          });
        else s.log.info("tenant moved", { tenant: tenantId, from: entry.shard, to });
        return { from: entry.shard, to, rows, sourceKept };
      } catch (e) {
        // work that started before the tenant was marked is still writing: wait, copy again
        if (!(e instanceof SourceChanged) || attempt >= (opts.attempts ?? 3)) throw e;
        s.log.warn("tenant rows changed during the copy; copying again", { tenant: tenantId, attempt });
      }
    }
  } catch (e) {
    const now = await directoryEntry(s.homeDb, tenantId);
    // not switched yet: the tenant stays where it was (the copy was cleared by moveTenant)
    if (now?.state === "moving") await setDirectoryEntry(s.homeDb, tenantId, entry, s.now());
    forgetDirectory(tenantId);
    throw e;
  }
}
