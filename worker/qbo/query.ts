/**
 * QBO's query language (qbo-api-notes §3.1): one entity, AND-only WHERE, values in single quotes
 * with `'` escaped by a backslash, paging by STARTPOSITION (1-based) and MAXRESULTS (≤ 1000).
 * Values are only ever written through `qboQuery`, so a name like "Adam's Candy Shop" can neither
 * break nor widen a lookup.
 */

export const MAX_RESULTS = 1000;

/** A bare identifier (entity or field name) written into a query as is, once checked. */
export class QueryName {
  constructor(readonly name: string) {
    if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(name))
      throw new Error(`not a QBO entity or field name: ${JSON.stringify(name)}`);
  }
}

/** A quoted string literal. Backslashes are escaped too, so a trailing "\" cannot eat the quote. */
export function qboString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export type QueryValue = string | number | boolean | QueryName | readonly (string | number)[];

function literal(value: QueryValue): string {
  if (value instanceof QueryName) return value.name;
  if (typeof value === "string") return qboString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number in a QBO query: ${value}`);
    return String(value);
  }
  if (value.length === 0) throw new Error("an empty IN list matches nothing; do not send it");
  return `(${value.map((v) => (typeof v === "number" ? literal(v) : qboString(v))).join(", ")})`;
}

/**
 * Tagged template: qboQuery`select * from Customer where DisplayName = ${name}` quotes `name`;
 * arrays become IN lists; `new QueryName("Bill")` writes an identifier.
 */
export function qboQuery(strings: TemplateStringsArray, ...values: QueryValue[]): string {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += literal(v) + (strings[i + 1] ?? "");
  });
  return out.trim().replace(/\s+/g, " ");
}

/** The entity a query reads, which is also the key of its rows in QueryResponse. */
export function entityOfQuery(sql: string): string {
  const m = /\bfrom\s+([A-Za-z][A-Za-z0-9]*)/i.exec(sql.replace(/'(?:\\.|[^'\\])*'/g, "''"));
  if (!m?.[1]) throw new Error(`no FROM entity in QBO query: ${sql}`);
  return m[1];
}

/** One page of a query. The caller's SQL must not page itself. */
export function pageOf(sql: string, startPosition: number, maxResults = MAX_RESULTS): string {
  const unquoted = sql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  if (/\b(startposition|maxresults)\b/i.test(unquoted))
    throw new Error("pass the query without STARTPOSITION/MAXRESULTS; the client pages it");
  if (!Number.isInteger(startPosition) || startPosition < 1)
    throw new Error(`STARTPOSITION is 1-based: ${startPosition}`);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)
    throw new Error(`MAXRESULTS must be 1..${MAX_RESULTS}`);
  return `${sql} STARTPOSITION ${startPosition} MAXRESULTS ${maxResults}`;
}

/**
 * Names QBO accepts for Customer/Vendor DisplayName: no colon, tab or newline (§2.8), trimmed,
 * single-spaced. Lookups and creates must use the same cleaned text.
 */
export function cleanDisplayName(name: string): string {
  return name
    .replace(/[:\t\r\n]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}
