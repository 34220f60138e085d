import { Hono } from "hono";
import type { AppContext } from "../app";
import { appliedMigrations } from "../db/migrations";
import { isOperator } from "./operator";
import { connectionHealth, connectionSummary } from "../reports/connection-health";

/**
 * Liveness and readiness. `ok` (and 200 / 503) is the service's own: D1 and KV answer, and the cron
 * has run lately (a deployment whose cron never ran yet is not stale). `checks.connections` looks
 * at every tenant's POS and QBO connections and says how many need someone; the public answer
 * gives counts only, never which merchants. With the operator's token (Authorization: Bearer
 * <OPS_TOKEN>) it lists each tenant, and `?deep=1` also calls each system once per tenant.
 */
export const CRON_STALE_MS = 15 * 60 * 1000;

type Check = { ok: boolean; detail?: string };
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const health = new Hono<AppContext>().get("/", async (c) => {
  const s = c.get("services");
  const checks: Record<string, Check> = {};
  try {
    // the home database and every shard answer, with the same migrations applied
    const applied = await Promise.all(s.env.shards.map((db) => appliedMigrations(db)));
    const home = applied[0]!;
    const behind = applied.flatMap((a, i) => (a.last === home.last ? [] : [i]));
    checks.d1 = {
      ok: behind.length === 0,
      detail: `${home.count} migrations applied${home.last ? `, the last ${home.last}` : ""}${
        applied.length > 1 ? ` (${applied.length} databases)` : ""
      }${behind.length ? `; behind on shard ${behind.join(", ")}` : ""}`,
    };
  } catch (e) {
    checks.d1 = { ok: false, detail: message(e) };
  }
  let lastCron: string | null = null;
  try {
    lastCron = await s.kv.get("cron:last-run");
    checks.kv = { ok: true };
  } catch (e) {
    checks.kv = { ok: false, detail: message(e) };
  }
  const cronAge = lastCron ? s.now().getTime() - Date.parse(lastCron) : null;
  checks.cron =
    cronAge === null
      ? { ok: true, detail: "no run recorded yet" }
      : { ok: cronAge < CRON_STALE_MS, detail: `last run ${Math.round(cronAge / 1000)} s ago` };
  const ok = Object.values(checks).every((x) => x.ok);

  const operator = await isOperator(c);
  let tenants: Awaited<ReturnType<typeof connectionHealth>> | undefined;
  if (checks.d1.ok) {
    try {
      tenants = await connectionHealth(s, { deep: operator && c.req.query("deep") === "1" });
      const summary = connectionSummary(tenants);
      checks.connections = {
        ok: summary.needingAttention === 0,
        detail: `${summary.active} active tenants, ${summary.needingAttention} needing attention`,
      };
    } catch (e) {
      checks.connections = { ok: false, detail: message(e) };
    }
  }
  c.header("cache-control", "no-store");
  return c.json(
    {
      ok,
      service: "tillbridge",
      time: s.now().toISOString(),
      requestId: s.requestId,
      lastCron,
      checks,
      ...(tenants ? { connections: connectionSummary(tenants) } : {}),
      ...(tenants && operator ? { tenants } : {}),
    },
    ok ? 200 : 503,
  );
});
