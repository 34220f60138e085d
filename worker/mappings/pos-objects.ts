import type { FamilyEntry, FamilyName } from "../../shared/mapping-catalog";
import type { Lists } from "./service";
import type { PosNames } from "./validate";

/** One POS object a family maps, as the unmapped list and reasons name it. */
export interface PosObject {
  id: string;
  name: string;
  deleted: boolean;
  /** A category with no sub-categories (the only ones sales carry) */
  leaf: boolean;
}

type PosLists = Lists["pos"];

const OBJECTS: { [F in FamilyName]: (pos: PosLists) => PosObject[] } = {
  categories: (pos) => pos.categories.map((c) => ({ id: c.id, name: c.path || c.name, deleted: false, leaf: c.leaf })),
  paymentTypes: (pos) => pos.paymentTypes.map((p) => ({ id: p.id, name: p.name, deleted: p.deleted, leaf: true })),
  taxes: (pos) => pos.taxes.map((t) => ({ id: t.id, name: t.name, deleted: t.deleted, leaf: true })),
  outlets: (pos) => pos.outlets.map((o) => ({ id: o.id, name: o.name, deleted: false, leaf: true })),
  // the POS lists no adjustment types: one shows up when a closure waits on it (the unmapped list)
  adjustmentTypes: () => [],
};

/** The POS objects of a family that need a mapping (the catalog's `lists`). */
export function objectsToMap(pos: PosLists, e: { path: FamilyName } & FamilyEntry): PosObject[] {
  const all = OBJECTS[e.path](pos);
  if (e.lists === "leaves") return all.filter((o) => o.leaf);
  if (e.lists === "active") return all.filter((o) => !o.deleted);
  return all;
}

/** Every family's POS names by id, to name objects in reasons. */
export function posNames(pos: PosLists): PosNames {
  const names: PosNames = {};
  for (const family of Object.keys(OBJECTS) as FamilyName[])
    names[family] = new Map(OBJECTS[family](pos).map((o) => [o.id, { name: o.name, deleted: o.deleted }]));
  return names;
}
