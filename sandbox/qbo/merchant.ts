/**
 * Changes a merchant makes in QBO's own screens, which Tillbridge only learns about through webhooks, CDC
 * or its next request: making an account, item or tax code inactive or active again, editing, voiding or
 * deleting a posted document, setting or clearing the books' closing date. Each goes through the same
 * rules as the API (a person in QBO cannot post an unbalanced document either), gets a new SyncToken and
 * change time, and reports its Change like an API write.
 */
import { entityInfo } from "./entities";
import { F } from "./faults";
import { type OpContext, remove, storeChange, timestamp, update, voidTxn } from "./operations";
import { type Doc, type RealmState, clone, getDoc } from "./state";

export type MerchantAction = "deactivate" | "reactivate" | "edit" | "void" | "delete";

function current(realm: RealmState, entityName: string, id: string): { entity: string; doc: Doc } {
  const info = entityInfo(entityName);
  if (!info) throw new Error(`the QBO sandbox has no entity ${entityName}`);
  const doc = getDoc(realm, info.name, id);
  if (!doc) throw new Error(`no ${info.name} ${id} in company ${realm.realmId}`);
  return { entity: info.name, doc };
}

/** Makes a name-list record (account, item, customer, tax code…) inactive or active again. */
export function setActive(realm: RealmState, entityName: string, id: string, active: boolean, op: OpContext): Doc {
  const { entity, doc } = current(realm, entityName, id);
  if (entityInfo(entity)!.kind === "txn") throw new Error(`${entity} is a transaction: void or delete it instead`);
  if ((doc.Active !== false) === active) return clone(doc);
  const next = clone(doc);
  next.Active = active;
  return storeChange(realm, entity, next, active ? "Update" : "Delete", op);
}

/** Applies a merchant's action to a record; answers the record as QBO keeps it afterwards. */
export function merchantChange(
  realm: RealmState,
  entityName: string,
  id: string,
  action: MerchantAction,
  patch: Doc | undefined,
  op: OpContext,
): Doc {
  const { entity, doc } = current(realm, entityName, id);
  switch (action) {
    case "deactivate":
    case "reactivate":
      return setActive(realm, entity, id, action === "reactivate", op);
    case "edit":
      if (!patch) throw F.required("patch");
      return update(realm, entity, { ...clone(patch), Id: id, SyncToken: doc.SyncToken, sparse: true }, op);
    case "void":
      return voidTxn(realm, entity, { Id: id, SyncToken: doc.SyncToken }, op);
    case "delete":
      return remove(realm, entity, { Id: id, SyncToken: doc.SyncToken }, op);
  }
}

/** The books' closing date (Preferences.AccountingInfoPrefs.BookCloseDate), set or cleared. */
export function setClosingDate(realm: RealmState, date: string | null, op: OpContext): Doc {
  const prefs = clone(realm.preferences);
  const section: Doc = (prefs.AccountingInfoPrefs ??= {});
  if (date === null) delete section.BookCloseDate;
  else section.BookCloseDate = date;
  return touchPreferences(realm, prefs, op);
}

/** Stores changed Preferences with a new SyncToken and change time, and reports the update. */
export function touchPreferences(realm: RealmState, prefs: Doc, op: OpContext): Doc {
  const at = timestamp(op.now);
  prefs.SyncToken = String(Number(realm.preferences.SyncToken) + 1);
  prefs.MetaData = { ...(prefs.MetaData ?? {}), LastUpdatedTime: at };
  realm.preferences = prefs;
  op.changed?.({ realmId: realm.realmId, entity: "Preferences", id: String(prefs.Id ?? "1"), operation: "Update", at });
  return clone(prefs);
}
