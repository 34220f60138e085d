import { Hono } from "hono";
import type { AppContext } from "../app";

/** Liveness and readiness: D1 and KV answer, and when the cron last ran. */
export const health = new Hono<AppContext>().get("/", async (c) => {
  const { db, kv, now } = c.get("services");
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  try {
    const row = await db.prepare("SELECT COUNT(*) AS n FROM d1_migrations").first<{ n: number }>();
    checks.d1 = { ok: true, detail: `${row?.n ?? 0} migrations applied` };
  } catch (e) {
    checks.d1 = { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
  let lastCron: string | null = null;
  try {
    lastCron = await kv.get("cron:last-run");
    checks.kv = { ok: true };
  } catch (e) {
    checks.kv = { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
  const ok = Object.values(checks).every((x) => x.ok);
  return c.json({ ok, service: "tillbridge", time: now().toISOString(), lastCron, checks }, ok ? 200 : 503);
});
