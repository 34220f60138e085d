import type { About, Problem } from "../../shared/errors";
import { entryOf } from "../../shared/mapping-catalog";
import type { LedgerContext } from "./types";

type Names = Pick<LedgerContext, "paymentTypes" | "taxes" | "categories" | "outlets">;

/**
 * A POS object of a family by its id: its name as the merchant reads it, and whether it is deleted.
 * A context without the POS lists (saving mappings checks QBO references only) knows no names.
 */
function posObject(ctx: Partial<Names>, family: string, id: string): { name: string; deleted?: boolean } | undefined {
  switch (family) {
    case "paymentTypes":
      return ctx.paymentTypes?.find((p) => p.id === id);
    case "taxes":
      return ctx.taxes?.find((t) => t.id === id);
    case "categories": {
      const c = ctx.categories?.find((x) => x.id === id);
      return c && { name: c.path || c.name || c.id };
    }
    case "outlets":
      return ctx.outlets?.find((o) => o.id === id);
    case "adjustmentTypes":
      return { name: id }; // the POS names charge types by their type itself
    default:
      return undefined;
  }
}

/**
 * What a blocker on `mappingKey` is about, as data each language words ({thing, name}): the catalog
 * path of a fixed mapping, or a family and the POS object's name. Undefined when the key names
 * nothing in the catalog, or a POS object the lists do not know (its English detail stays the words).
 */
export function aboutKey(ctx: Names, mappingKey: string, problem?: Problem): About | undefined {
  const e = entryOf(mappingKey);
  if (!e) return undefined;
  const withProblem = (a: About): About => (problem ? { ...a, problem } : a);
  if (e.kind !== "family") return e.path === mappingKey ? withProblem({ thing: e.path }) : undefined;
  const o = posObject(ctx, e.path, mappingKey.slice(e.path.length + 1));
  if (!o) return undefined;
  return withProblem(o.deleted ? { thing: e.path, name: o.name, deleted: true } : { thing: e.path, name: o.name });
}
