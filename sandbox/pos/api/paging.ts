import { PosSandboxError } from "../store";

/**
 * Version-cursor paging as the 2.0/date-versioned collections do it: `after` (default 0) and `before`
 * bound the versions, results are in ascending version order, `version.min/max` describe the page and
 * are null when it is empty. The next page is `after=version.max`; stop on an empty page.
 * Where the spec gives no page size (most collections) the sandbox's default is 1000 and its cap 10000.
 */

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 10000;

export interface PageQuery {
  after?: string;
  before?: string;
  page_size?: string;
  deleted?: string;
}

function intParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new PosSandboxError(400, `${name} must be a non-negative integer`);
  return Number(value);
}

export function pageSize(value: string | undefined, def = DEFAULT_PAGE_SIZE, max = MAX_PAGE_SIZE): number {
  const n = intParam("page_size", value);
  if (n === undefined || n === 0) return def;
  return Math.min(n, max);
}

export function versionPage<T>(
  items: readonly T[],
  versionOf: (item: T) => number,
  query: PageQuery,
  limits: { def?: number; max?: number } = {},
): { data: T[]; version: { min: number | null; max: number | null } } {
  const after = intParam("after", query.after) ?? 0;
  const before = intParam("before", query.before);
  const size = pageSize(query.page_size, limits.def, limits.max);
  const data = items
    .filter((i) => versionOf(i) > after && (before === undefined || versionOf(i) < before))
    .sort((a, b) => versionOf(a) - versionOf(b))
    .slice(0, size);
  return {
    data,
    version:
      data.length === 0
        ? { min: null, max: null }
        : { min: versionOf(data[0]!), max: versionOf(data[data.length - 1]!) },
  };
}

export function wantsDeleted(query: { deleted?: string }): boolean {
  return query.deleted === "true" || query.deleted === "1";
}
