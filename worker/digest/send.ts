import { servicesFor } from "../shards";
import type { DigestLast, DigestSettings } from "../../shared/api";
import { claimDay, optedIn, recordDigest } from "../db/digest";
import { getTenant } from "../db/tenants";
import { localDateTime } from "../ledger/dates";
import { needsAttention } from "../reports/attention";
import { storeContext } from "../routes/pos-names";
import type { Services } from "../services";
import { composeDigest, MAX_LISTED } from "./compose";

/**
 * The daily digest: once a day per tenant that asked for it, the first cron run at or after 07:00 in
 * the store's time zone looks at what needs attention and, when something does, emails it to the
 * merchant. The day is claimed in D1 before anything is sent, so a second run (the same minute, or
 * later that day) sends nothing. A failure to send is logged and recorded as the day's outcome (the
 * options page shows it); it never fails the cron run.
 */
export const DIGEST_HOUR = 7;

/** Time zones run up to UTC+14: no store's local day is later than this one. */
const latestLocalDay = (now: Date) => new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);

export type DigestOutcome = DigestLast["status"] | "not_due";

/** The store's local day and hour now; UTC for a zone the runtime does not know. */
export function localNow(now: Date, timeZone: string): { day: string; hour: number } {
  const local = localDateTime(now.toISOString(), timeZone) ?? localDateTime(now.toISOString(), "UTC");
  return { day: local?.slice(0, 10) ?? now.toISOString().slice(0, 10), hour: Number(local?.slice(11, 13) ?? 0) };
}

/** The options page's list, where every object of the email is with its retry. */
export const attentionLink = (s: Services) => `${s.env.EXTENSION_ORIGINS[0]}/options.html#attention`;

/** One cron run's digests: every opted-in tenant whose day has come. Returns each tenant's outcome. */
export async function sendDigests(s: Services): Promise<Record<string, DigestOutcome>> {
  const outcomes: Record<string, DigestOutcome> = {};
  const latest = latestLocalDay(s.now());
  // each shard holds its tenants' settings; a tenant is read and written on its own shard
  for (const db of s.env.shards) {
    for (const t of await optedIn(db)) {
      if (t.lastDay === latest) continue; // done today, whatever the store's zone: no read at all
      try {
        const ts = await servicesFor(s, t.tenantId);
        if (ts.db !== db) continue; // a copy left behind by a move: the tenant's own shard decides
        outcomes[t.tenantId] = await digestFor(ts, t.tenantId, t.settings, t.lastDay);
      } catch (e) {
        s.log.error("digest failed", { tenant: t.tenantId, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return outcomes;
}

async function digestFor(
  s: Services,
  tenantId: string,
  settings: DigestSettings,
  lastDay: string | null,
): Promise<DigestOutcome> {
  const now = s.now();
  const store = await storeContext(s, tenantId);
  const { day, hour } = localNow(now, store.timeZone);
  if (hour < DIGEST_HOUR || lastDay === day) return "not_due";
  if (!(await claimDay(s.db, tenantId, day, now))) return "not_due"; // another run took the day
  const record = async (status: DigestLast["status"], count: number, error: string | null = null) => {
    await recordDigest(s.db, tenantId, { day, at: s.now().toISOString(), status, count, error });
    return status;
  };

  const list = await needsAttention(s, tenantId, settings.lang, MAX_LISTED);
  if (list.total === 0) return record("nothing", 0);
  const from = s.env.DIGEST_FROM;
  if (!s.sendEmail || !from || !settings.recipient) {
    s.log.error("digest not sent: email sending is not configured", { tenant: tenantId });
    return record(
      "failed",
      list.total,
      "email sending is not configured (send_email binding DIGEST_EMAIL, DIGEST_FROM)",
    );
  }
  const tenant = await getTenant(s.db, tenantId);
  const mail = composeDigest(list, {
    lang: settings.lang,
    storeName: tenant?.name || tenantId,
    link: attentionLink(s),
  });
  try {
    await s.sendEmail({ from, to: settings.recipient, ...mail });
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
    s.log.error("digest not sent", { tenant: tenantId, error });
    return record("failed", list.total, error);
  }
  s.log.info("digest sent", { tenant: tenantId, count: list.total });
  return record("sent", list.total);
}
