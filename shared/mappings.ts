import { z } from "zod";
import { CATALOG } from "./mapping-catalog";

export {
  OutletMapping,
  PaymentTypeMapping,
  TaxMapping,
} from "./mapping-catalog";

/**
 * A tenant's mappings from POS things to QBO things (SPEC §2), as the catalog (shared/mapping-catalog.ts)
 * lays them out. Stored per tenant in D1 with every change kept; each posting records the mapping
 * version it used. Ids are QBO ids (strings).
 */
const shape = {} as { [K in keyof typeof CATALOG]: (typeof CATALOG)[K]["schema"] };
for (const key of Object.keys(CATALOG) as (keyof typeof CATALOG)[])
  (shape as Record<string, z.ZodType>)[key] = CATALOG[key].schema;

export const Mappings = z.object(shape);
export type Mappings = z.infer<typeof Mappings>;

export const emptyMappings = (): Mappings => Mappings.parse({});

/** Reads a mapping key ("items.discount", "paymentTypes.<posId>") of a mappings document. */
export function mappingValue(mappings: Mappings, key: string): unknown {
  let cur: unknown = mappings;
  for (const part of splitKey(key)) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * A copy of the document with one mapping key set (undefined removes it), or null when the result
 * would not be a valid mappings document.
 */
export function withMapping(mappings: Mappings, key: string, value: unknown): Mappings | null {
  const [head, tail] = splitKey(key);
  if (!head) return null;
  const next = structuredClone(mappings) as Record<string, unknown>;
  if (tail === undefined) {
    if (value === undefined) delete next[head];
    else next[head] = value;
  } else {
    const inner = { ...((next[head] as Record<string, unknown> | undefined) ?? {}) };
    if (value === undefined) delete inner[tail];
    else inner[tail] = value;
    next[head] = inner;
  }
  const parsed = Mappings.safeParse(next);
  return parsed.success ? parsed.data : null;
}

/** "paymentTypes.a.b" → ["paymentTypes", "a.b"]: POS ids may hold dots, the document is two levels deep. */
function splitKey(key: string): [string, string] | [string] {
  const dot = key.indexOf(".");
  return dot < 0 ? [key] : [key.slice(0, dot), key.slice(dot + 1)];
}
