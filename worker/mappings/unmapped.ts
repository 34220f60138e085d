import type { UnmappedResponse } from "../../shared/api";
import { type About, aboutText, type Lang } from "../../shared/errors";
import { words } from "../../shared/i18n";
import {
  appliesTo,
  type CatalogEntry,
  entryOf,
  FAMILY_ENTRIES,
  FIXED_ENTRIES,
  type FamilyEntry,
  type FamilyName,
} from "../../shared/mapping-catalog";
import { type Mappings, mappingValue } from "../../shared/mappings";
import { objectsToMap } from "./pos-objects";
import type { Lists } from "./service";

type Missing = UnmappedResponse["missing"][number];

/**
 * What is unmapped, from the catalog: each POS object a family needs mapped and each fixed mapping
 * the company uses, with what it blocks and how many sync items wait on it now, worded in `lang`.
 */
export function unmapped(
  l: Lists,
  mappings: Mappings,
  blockedCounts: Map<string, number>,
  lang: Lang,
  /** Categories nothing posts through (only gift cards or the discount product in them): not gaps */
  nothingPostsThrough: ReadonlySet<string> = new Set(),
): UnmappedResponse {
  const globalTax = l.refs.country !== "US";
  const missing: Missing[] = [];
  const add = (mappingKey: string, about: About, required: boolean, e: CatalogEntry | undefined) => {
    // an optional fixed mapping says so; a family's object needs none (a deleted one says "(deleted)")
    const optional = e?.kind !== "family" && !required;
    const label = optional ? words(lang)("about.optional", { thing: aboutText(about, lang) }) : aboutText(about, lang);
    const blocks = e ? [...e.blocks] : [];
    missing.push({ mappingKey, label, required, blocks, blockedCount: blockedCounts.get(mappingKey) ?? 0 });
  };

  for (const e of FAMILY_ENTRIES) {
    if (e.required === "never") continue; // mapping them is a choice (outlets), not a gap
    for (const o of objectsToMap(l.pos, e)) {
      if (isMapped(e, mappings[e.path][o.id], globalTax)) continue;
      if (e.path === "categories" && nothingPostsThrough.has(o.id) && !blockedCounts.get(`categories.${o.id}`))
        continue;
      const about: About = o.deleted ? { thing: e.path, name: o.name, deleted: true } : { thing: e.path, name: o.name };
      add(`${e.path}.${o.id}`, about, e.required === "always" || !o.deleted, e);
    }
  }
  for (const e of FIXED_ENTRIES)
    if (appliesTo(e, globalTax) && !e.standIn && mappingValue(mappings, e.path) === undefined)
      add(e.path, { thing: e.path }, e.required !== "never", e);

  for (const [key, about] of unlisted(blockedCounts, mappings, missing)) add(key, about, true, undefined);
  return { missing };
}

/** What items wait on that the lists do not name (e.g. a deleted category still on old sales). */
function unlisted(counts: Map<string, number>, mappings: Mappings, listed: readonly Missing[]): [string, About][] {
  const out: [string, About][] = [];
  for (const [key, n] of counts) {
    if (n === 0 || key === "*" || listed.some((x) => x.mappingKey === key)) continue;
    if (mappingValue(mappings, key) !== undefined) continue;
    const e = entryOf(key);
    out.push([key, e?.kind === "family" ? { thing: e.path, name: key.slice(e.path.length + 1) } : { thing: key }]);
  }
  return out;
}

function isMapped(e: { path: FamilyName } & FamilyEntry, value: unknown, globalTax: boolean): boolean {
  return e.isMapped ? e.isMapped(value as never, globalTax) : value !== undefined;
}
