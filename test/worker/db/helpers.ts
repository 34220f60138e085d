import { env } from "cloudflare:workers";
import { ensureTenant } from "../../../worker/db/tenants";

/** The D1 database the tests share (migrations applied); each test works in a tenant of its own. */
export const db = env.DB;
export const t0 = new Date("2026-11-28T12:00:00Z");
export const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

let n = 0;
/** A fresh tenant, so tests never see each other's rows. */
export async function freshTenant(prefix = "db"): Promise<string> {
  const id = `${prefix}${++n}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTenant(db, id, id, t0);
  return id;
}
