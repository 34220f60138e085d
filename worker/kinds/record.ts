import type { ObjectKind } from "../../shared/sync";
import { type SyncItemRow, upsertItem } from "../db/sync-items";
import { idempotencyKey } from "../ledger";
import type { Services } from "../services";
import type { Click } from "./kind";

/** Records one object version as a sync item (once: its unique key makes discovery idempotent). */
export async function recordItem(
  s: Pick<Services, "db" | "now">,
  tenantId: string,
  kind: ObjectKind,
  posId: string,
  posVersion = "1",
): Promise<{ row: SyncItemRow; created: boolean }> {
  return upsertItem(
    s.db,
    { tenantId, kind, posId, posVersion, idemKey: idempotencyKey(tenantId, kind, posId, posVersion) },
    s.now(),
  );
}

/**
 * The usual click: the object's item if Tillbridge has one; otherwise `check` (that the object
 * exists and posts on its own — an item for something the store does not have would only ever
 * fail), then its item at version 1.
 */
export async function itemOnClick(
  c: Click,
  kind: ObjectKind,
  posId: string,
  check: () => Promise<void>,
): Promise<SyncItemRow> {
  if (c.existing) return c.existing;
  await check();
  return (await recordItem(c.s, c.tenantId, kind, posId)).row;
}
