import type { QboAccount, QboItem, QboNamed, QboRefs, QboTaxCode } from "../../shared/domain/qbo";
import { type About, type Lang, type Problem, problemText, type QboThing } from "../../shared/errors";
import {
  FAMILY_ENTRIES,
  type FamilyEntry,
  type FamilyName,
  FIXED_ENTRIES,
  type FixedEntry,
  type FixedPath,
} from "../../shared/mapping-catalog";
import { type Mappings, mappingValue } from "../../shared/mappings";

/**
 * What saving mappings checks beyond their shape: every QBO id they name exists in the live company,
 * is active and is of a type the postings accept (the catalog's types, which the ledger's RefChecker
 * also checks — test/unit/mappings/validate.test.ts holds the two to the same verdicts), so a mapping
 * accepted here never blocks a posting for its type. Each problem is keyed by the request field that
 * holds it ("mappings.paymentTypes.<id>.accountId") and says what it is about as data (About), for
 * each language to word.
 */
export interface MappingProblem {
  field: string;
  about: About;
}

/** The POS's names of the objects a family maps, to name them in reasons (else their ids). */
export type PosNames = Partial<Record<FamilyName, ReadonlyMap<string, { name: string; deleted?: boolean }>>>;

/** Looks mapped ids up in the company's reference lists. */
class Company {
  private readonly accounts: Map<string, QboAccount>;
  readonly items: Map<string, QboItem>;
  private readonly taxCodes: Map<string, QboTaxCode>;
  private readonly classes: Map<string, QboNamed>;
  private readonly departments: Map<string, QboNamed>;

  constructor(refs: QboRefs) {
    const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
    this.accounts = byId(refs.accounts);
    this.items = byId(refs.items);
    this.taxCodes = byId(refs.taxCodes);
    this.classes = byId(refs.classes);
    this.departments = byId(refs.departments);
  }

  account(id: string, types: readonly string[]): Problem | undefined {
    const a = this.accounts.get(id);
    if (!a) return { kind: "gone", entity: "account", id };
    if (!a.active) return { kind: "inactive", entity: "account", qboName: a.name };
    if (!types.includes(a.accountType))
      return { kind: "wrong_type", entity: "account", qboName: a.name, type: a.accountType, allowed: [...types] };
    return undefined;
  }

  /** An item a line can post through: of these types, with an income account. */
  salesItem(id: string, types: readonly string[]): Problem | undefined {
    const i = this.items.get(id);
    if (!i) return { kind: "gone", entity: "item", id };
    if (!i.active) return { kind: "inactive", entity: "item", qboName: i.name };
    if (!types.includes(i.type))
      return { kind: "wrong_type", entity: "item", qboName: i.name, type: i.type, allowed: [...types] };
    if (!i.incomeAccountId) return { kind: "no_income_account", qboName: i.name };
    return undefined;
  }

  taxCode(id: string): Problem | undefined {
    return this.named(this.taxCodes, id, "taxCode");
  }

  classOrLocation(id: string, entity: "class" | "location"): Problem | undefined {
    return this.named(entity === "class" ? this.classes : this.departments, id, entity);
  }

  accountName(id: string): string {
    return this.accounts.get(id)?.name ?? id;
  }

  private named(list: Map<string, QboNamed>, id: string, entity: QboThing): Problem | undefined {
    const x = list.get(id);
    if (!x) return { kind: "gone", entity, id };
    return x.active ? undefined : { kind: "inactive", entity, qboName: x.name };
  }
}

type Found = [suffix: string, problem: Problem | undefined];

/** Each family's checks of one object's value: [the field under `<family>.<id>`, its problem]. */
const FAMILY_CHECKS: { [P in FamilyEntry["picks"]]: (value: never, e: FamilyEntry, qbo: Company) => Found[] } = {
  item: (itemId: string, e, qbo) => [["", qbo.salesItem(itemId, e.itemTypes ?? [])]],
  paymentRole: (m: Mappings["paymentTypes"][string], e, qbo) =>
    m.role === "deposit" ? [[".accountId", qbo.account(m.accountId, e.accountTypes ?? [])]] : [],
  taxCode: (t: Mappings["taxes"][string], _e, qbo) => (t.taxCodeId ? [[".taxCodeId", qbo.taxCode(t.taxCodeId)]] : []),
  // checked here whether or not the company tracks them: the ledger only reads them when it does
  classAndLocation: (o: Mappings["outlets"][string], _e, qbo) => [
    [".classId", o.classId ? qbo.classOrLocation(o.classId, "class") : undefined],
    [".departmentId", o.departmentId ? qbo.classOrLocation(o.departmentId, "location") : undefined],
  ],
};

function familyProblems(mappings: Mappings, qbo: Company, names: PosNames): MappingProblem[] {
  const out: MappingProblem[] = [];
  for (const e of FAMILY_ENTRIES) {
    for (const [id, value] of Object.entries(mappings[e.path])) {
      const pos = names[e.path]?.get(id);
      for (const [suffix, problem] of FAMILY_CHECKS[e.picks](value as never, e, qbo)) {
        if (!problem) continue;
        const about: About = { thing: e.path, name: pos?.name ?? id, problem };
        if (pos?.deleted) about.deleted = true;
        out.push({ field: `mappings.${e.path}.${id}${suffix}`, about });
      }
    }
  }
  return out;
}

function fixedProblem(e: FixedEntry, id: string, qbo: Company): Problem | undefined {
  switch (e.kind) {
    case "account":
      return qbo.account(id, e.accountTypes);
    case "item":
      return qbo.salesItem(id, e.itemTypes);
    case "taxCode":
      return qbo.taxCode(id);
    default:
      return undefined; // customers are not in the reference lists; switches name nothing
  }
}

/** A liability service must post to the liability account itself, or what a closure raises is not what redemptions lower. */
function postsElsewhere(mappings: Mappings, e: FixedEntry, itemId: string, qbo: Company): Problem | undefined {
  if (e.kind !== "item" || !e.postsTo) return undefined;
  const accountId = mappingValue(mappings, e.postsTo);
  const target = FIXED_ENTRIES.find((x) => x.path === e.postsTo);
  if (typeof accountId !== "string" || !target || fixedProblem(target, accountId, qbo)) return undefined;
  const item = qbo.items.get(itemId);
  if (!item?.incomeAccountId || item.incomeAccountId === accountId) return undefined;
  return {
    kind: "posts_elsewhere",
    qboName: item.name,
    postsTo: qbo.accountName(item.incomeAccountId),
    account: e.postsTo,
    accountName: qbo.accountName(accountId),
  };
}

function fixedProblems(mappings: Mappings, qbo: Company): MappingProblem[] {
  const out: MappingProblem[] = [];
  for (const e of FIXED_ENTRIES) {
    const id = mappingValue(mappings, e.path);
    if (typeof id !== "string") continue;
    const problem = fixedProblem(e, id, qbo) ?? postsElsewhere(mappings, e, id, qbo);
    if (problem) out.push({ field: `mappings.${e.path satisfies FixedPath}`, about: { thing: e.path, problem } });
  }
  return out;
}

/** Every problem with the QBO things the mappings name, one per request field, in catalog order. */
export function mappingProblems(mappings: Mappings, refs: QboRefs, names: PosNames = {}): MappingProblem[] {
  const qbo = new Company(refs);
  return [...familyProblems(mappings, qbo, names), ...fixedProblems(mappings, qbo)];
}

/** The request fields at fault, each with its problem in one language (the API error's `fields`). */
export function problemFields(problems: readonly MappingProblem[], lang: Lang): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const p of problems) if (p.about.problem) fields[p.field] ??= problemText(p.about.problem, lang);
  return fields;
}
