import { Mappings, type Mappings as MappingsT } from "../../shared/mappings";

/**
 * Mapping keys as the Worker names them ("paymentTypes.<posId>", "items.discount", "closureCustomerId")
 * read and written on a draft. A write that would make the mappings invalid is refused (null).
 */
export function getAt(m: MappingsT, key: string): unknown {
  const [head, ...rest] = key.split(".");
  const tail = rest.join(".");
  const top = (m as Record<string, unknown>)[head ?? ""];
  if (!tail) return top;
  return top && typeof top === "object" ? (top as Record<string, unknown>)[tail] : undefined;
}

export function setAt(m: MappingsT, key: string, value: unknown): MappingsT | null {
  const [head, ...rest] = key.split(".");
  const tail = rest.join(".");
  if (!head) return null;
  const next = structuredClone(m) as Record<string, unknown>;
  if (!tail) {
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

/** The element id of a mapping's field, so the unmapped list and badges can point at it. */
export const fieldId = (key: string) => `map-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
