/**
 * What changed in a company and when: every write (through the API, or a merchant's change made with a
 * control route) reports a Change. Deleted records leave a tombstone in the company's state so Change Data
 * Capture can answer them as `{"Id": …, "status": "Deleted"}`; everything else is read from the records'
 * own MetaData.LastUpdatedTime. Webhooks (webhooks.ts) listen to the same changes.
 */
import type { RealmState } from "./state";

/** The operations Intuit's webhooks name (legacy `operation`; CloudEvents `type` in lower case, past tense). */
export type ChangeOperation = "Create" | "Update" | "Delete" | "Void" | "Merge";

export interface Change {
  realmId: string;
  entity: string;
  id: string;
  operation: ChangeOperation;
  /** QBO timestamp of the change (the record's LastUpdatedTime, or the deletion time) */
  at: string;
}

export interface Tombstone {
  entity: string;
  Id: string;
  at: string;
}

export type ChangeListener = (c: Change) => void;

export function tombstone(realm: RealmState, entity: string, id: string, at: string): void {
  (realm.deleted ??= []).push({ entity, Id: id, at });
}

/** Tombstones older than CDC can reach are of no use to anyone: keep 31 days. */
export function pruneTombstones(realm: RealmState, nowMs: number): void {
  if (!realm.deleted) return;
  const horizon = nowMs - 31 * 24 * 3600 * 1000;
  realm.deleted = realm.deleted.filter((t) => Date.parse(t.at) >= horizon);
}
