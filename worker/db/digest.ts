import { DigestLast, DigestSettings } from "../../shared/api";

/**
 * The daily digest's settings and its last day, kept in the tenant's settings (tenants.settings_json,
 * `$.digest` and `$.digestLast`): they move with the tenant, and the day is claimed by one
 * conditional UPDATE, so two cron runs in the same minute (or the same day) send it once.
 */

const OFF: DigestSettings = { enabled: false, recipient: null, lang: "en" };

export async function getDigest(
  db: D1Database,
  tenantId: string,
): Promise<{ settings: DigestSettings; last: DigestLast | null }> {
  const row = await db
    .prepare(
      "SELECT json_extract(settings_json, '$.digest') AS settings, json_extract(settings_json, '$.digestLast') AS last FROM tenants WHERE id = ?1",
    )
    .bind(tenantId)
    .first<{ settings: string | null; last: string | null }>();
  const settings = DigestSettings.safeParse(row?.settings ? JSON.parse(row.settings) : null);
  const last = DigestLast.safeParse(row?.last ? JSON.parse(row.last) : null);
  return { settings: settings.success ? settings.data : OFF, last: last.success ? last.data : null };
}

export async function saveDigest(db: D1Database, tenantId: string, settings: DigestSettings, now: Date): Promise<void> {
  await db
    .prepare(
      "UPDATE tenants SET settings_json = json_set(settings_json, '$.digest', json(?2)), updated_at = ?3 WHERE id = ?1",
    )
    .bind(tenantId, JSON.stringify(DigestSettings.parse(settings)), now.toISOString())
    .run();
}

/** Tenants that asked for the digest, with the last local day it was looked at (the caller knows their day). */
export async function optedIn(
  db: D1Database,
): Promise<{ tenantId: string; settings: DigestSettings; lastDay: string | null }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, json_extract(settings_json, '$.digest') AS settings, json_extract(settings_json, '$.digestLast.day') AS last_day
       FROM tenants WHERE json_extract(settings_json, '$.digest.enabled') = 1 ORDER BY id`,
    )
    .all<{ id: string; settings: string; last_day: string | null }>();
  return results.flatMap((r) => {
    const settings = DigestSettings.safeParse(JSON.parse(r.settings));
    return settings.success ? [{ tenantId: r.id, settings: settings.data, lastDay: r.last_day }] : [];
  });
}

/**
 * Takes the tenant's local `day` for this run: true for exactly one caller per day. What it records
 * (a send in progress) is replaced by `recordDigest` with the outcome.
 */
export async function claimDay(db: D1Database, tenantId: string, day: string, now: Date): Promise<boolean> {
  const claim: DigestLast = {
    day,
    at: now.toISOString(),
    status: "failed",
    count: 0,
    error: "interrupted while sending",
  };
  const res = await db
    .prepare(
      `UPDATE tenants SET settings_json = json_set(settings_json, '$.digestLast', json(?2))
       WHERE id = ?1 AND COALESCE(json_extract(settings_json, '$.digestLast.day'), '') != ?3`,
    )
    .bind(tenantId, JSON.stringify(claim), day)
    .run();
  return (res.meta.changes ?? 0) === 1;
}

export async function recordDigest(db: D1Database, tenantId: string, last: DigestLast): Promise<void> {
  await db
    .prepare("UPDATE tenants SET settings_json = json_set(settings_json, '$.digestLast', json(?2)) WHERE id = ?1")
    .bind(tenantId, JSON.stringify(DigestLast.parse(last)))
    .run();
}
