import { TillbridgeError } from "../../shared/errors";
import type { ObjectKind } from "../../shared/sync";
import { audit } from "../db/audit";
import { dueRevisions, forgetRevision, type PendingRevision, postponeRevision } from "../db/pending-revisions";
import { currentItem } from "../db/sync-items";
import type { Services } from "../services";
import { replacePosting } from "./resend";

/**
 * Postings the POS changed after they were sent replace themselves (SPEC §4.4): a sale voided after
 * its closure posted changes that closure, whose posting is replaced (§3.5, sync/resend.ts) — its
 * old documents voided, the new version posted, the diff in the audit trail — with no one clicking.
 * Discovery queues them (each kind's `changedSince`); this runs after it, under its lease.
 */

/** How long a replacement that could not be done now waits before it is tried again. */
const RETRY_SECONDS = 15 * 60;
/** A posting in flight is looked at again soon: it may have been built before the change. */
const IN_FLIGHT_SECONDS = 120;

export async function reviseChanged(s: Services, tenantId: string): Promise<number> {
  let replaced = 0;
  for (const r of await dueRevisions(s.db, tenantId, s.now())) if (await reviseOne(s, tenantId, r)) replaced++;
  return replaced;
}

async function reviseOne(s: Services, tenantId: string, r: PendingRevision): Promise<boolean> {
  const later = (seconds: number) => postponeRevision(s.db, tenantId, r, new Date(s.now().getTime() + seconds * 1000));
  const item = await currentItem(s.db, tenantId, r.kind as ObjectKind, r.posId);
  if (item?.state === "posting") {
    await later(IN_FLIGHT_SECONDS);
    return false;
  }
  // not sent yet (waiting, blocked, failed): when it posts, it posts what the POS says then
  if (item?.state !== "posted") {
    await forgetRevision(s.db, tenantId, r);
    return false;
  }
  try {
    await replacePosting(s, tenantId, { kind: item.kind as ObjectKind, posId: r.posId }, "cron", "en", r.reason);
  } catch (e) {
    if (e instanceof TillbridgeError && e.code === "conflict" && /^nothing changed/.test(e.detail ?? "")) {
      await forgetRevision(s.db, tenantId, r);
      return false;
    }
    const code = e instanceof TillbridgeError ? e.code : "internal";
    const detail = e instanceof TillbridgeError ? (e.detail ?? "") : e instanceof Error ? e.message : String(e);
    s.log.warn("a changed posting could not be replaced yet", { kind: r.kind, posId: r.posId, code });
    await audit(
      s.db,
      {
        tenantId,
        actor: "cron",
        action: "replace_waiting",
        kind: r.kind,
        posId: r.posId,
        detail: `${r.reason}: ${code} ${detail}`.slice(0, 1000),
      },
      s.now(),
    );
    await later(RETRY_SECONDS);
    return false;
  }
  await forgetRevision(s.db, tenantId, r);
  return true;
}
