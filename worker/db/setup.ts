import { z } from "zod";

/**
 * Where a store stands in the guided setup (issue 17.1), kept in the tenant's settings: a store first
 * connected from the extension is `held` until a person has seen the preview of its first closure and
 * chosen "go live"; nothing of it posts before then. A store connected otherwise (an API client, a
 * store from before the guided setup) was never held.
 */
export const SetupSettings = z.object({
  held: z.boolean().default(false),
  liveAt: z.string().nullable().default(null),
  liveBy: z.string().nullable().default(null),
});
export type SetupSettings = z.infer<typeof SetupSettings>;

const NONE: SetupSettings = { held: false, liveAt: null, liveBy: null };

export async function getSetup(db: D1Database, tenantId: string): Promise<SetupSettings> {
  const row = await db
    .prepare("SELECT json_extract(settings_json, '$.setup') AS setup FROM tenants WHERE id = ?1")
    .bind(tenantId)
    .first<{ setup: string | null }>();
  if (!row?.setup) return NONE;
  const parsed = SetupSettings.safeParse(JSON.parse(row.setup));
  return parsed.success ? parsed.data : NONE;
}

/** Whether postings of this store wait for "go live". */
export const isHeld = (setup: SetupSettings): boolean => setup.held && setup.liveAt === null;

/**
 * A store connected through the extension's guided setup is held until it goes live, unless it has
 * posted something already (a store reconnecting keeps posting as before). True when it is held now.
 */
export async function holdUntilLive(db: D1Database, tenantId: string, now: Date): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE tenants SET settings_json = json_set(settings_json, '$.setup', json(?2)), updated_at = ?3
       WHERE id = ?1 AND json_extract(settings_json, '$.setup') IS NULL
         AND NOT EXISTS (SELECT 1 FROM sync_items WHERE tenant_id = ?1 AND state = 'posted')`,
    )
    .bind(tenantId, JSON.stringify({ held: true, liveAt: null, liveBy: null }), now.toISOString())
    .run();
  return (res.meta.changes ?? 0) === 1;
}

/** Records "go live" once; true when this call did it (a second click changes nothing). */
export async function markLive(db: D1Database, tenantId: string, actor: string, now: Date): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE tenants SET settings_json = json_set(settings_json, '$.setup.liveAt', ?2, '$.setup.liveBy', ?3),
              updated_at = ?2
       WHERE id = ?1 AND json_extract(settings_json, '$.setup.held') = 1
         AND json_extract(settings_json, '$.setup.liveAt') IS NULL`,
    )
    .bind(tenantId, now.toISOString(), actor)
    .run();
  return (res.meta.changes ?? 0) === 1;
}

/** The first closure Tillbridge met since the store was connected: the one the setup previews. */
export async function firstClosureItem(
  db: D1Database,
  tenantId: string,
): Promise<{ posId: string; state: string } | null> {
  return db
    .prepare(
      `SELECT pos_id AS posId, state FROM sync_items
       WHERE tenant_id = ?1 AND kind = 'closure' AND state != 'superseded' ORDER BY id ASC LIMIT 1`,
    )
    .bind(tenantId)
    .first<{ posId: string; state: string }>();
}
