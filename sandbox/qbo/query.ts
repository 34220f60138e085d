/**
 * Intuit's query language: SELECT * | COUNT(*) | fields FROM Entity [WHERE a op v AND ...]
 * [ORDERBY f [ASC|DESC], ...] [STARTPOSITION n] [MAXRESULTS n]. Operators = < > <= >= IN LIKE; no OR.
 * Keywords, entity and field names are case-insensitive, and so are string comparisons.
 */
import { cmpDec, parseDec } from "../../shared/money";
import { ACTIVE_FILTERED, ENTITY_NAMES } from "./entities";
import { F } from "./faults";
import { TYPES } from "./schema.generated";
import type { Doc } from "./state";

type Value = string | number | boolean;
interface Condition {
  path: string[];
  op: "=" | "<" | ">" | "<=" | ">=" | "in" | "like";
  values: Value[];
}
export interface Query {
  entity: string;
  count: boolean;
  fields: string[][] | null;
  where: Condition[];
  orderBy: { path: string[]; desc: boolean }[];
  startPosition: number;
  maxResults: number;
}

const QUERYABLE = [...ENTITY_NAMES, "CompanyInfo", "Preferences"];

type Token = { kind: "word" | "string" | "number" | "symbol"; text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length) throw F.queryParse(`unterminated string literal in "${text}"`);
        const ch = text[i]!;
        if (ch === "\\" && i + 1 < text.length) {
          s += text[i + 1];
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          s += ch;
          i++;
        }
      }
      out.push({ kind: "string", text: s });
    } else if (/[<>=]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = two === "<=" || two === ">=" ? two : c;
      if (two === "<>" || two === "!=") throw F.queryParse(`operator ${two} is not supported`);
      out.push({ kind: "symbol", text: op });
      i += op.length;
    } else if (/[(),*]/.test(c)) {
      out.push({ kind: "symbol", text: c });
      i++;
    } else if (/[-+\d]/.test(c) && /^[-+]?\d/.test(text.slice(i))) {
      const m = /^[-+]?\d+(\.\d+)?/.exec(text.slice(i))!;
      out.push({ kind: "number", text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))!;
      out.push({ kind: "word", text: m[0] });
      i += m[0].length;
    } else {
      throw F.queryParse(`Encountered "${c}" at column ${i + 1}`);
    }
  }
  return out;
}

/** Resolves a dotted field against the entity's schema, case-insensitively; unknown fields are a 4001. */
function resolvePath(entity: string, dotted: string): string[] {
  let type = entity;
  const out: string[] = [];
  for (const seg of dotted.split(".")) {
    const props = TYPES[type];
    const key = props && Object.keys(props).find((k) => k.toLowerCase() === seg.toLowerCase());
    if (!props || !key) throw F.queryValidation(`property '${dotted}' is not queryable on ${entity}`);
    out.push(key);
    type = props[key]!.replace(/\[\]$/, "");
  }
  return out;
}

export function parseQuery(text: string): Query {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === "word" && peek()!.text.toLowerCase() === w;
  const expectWord = (w: string) => {
    if (!isWord(w)) throw F.queryParse(`expected ${w.toUpperCase()} but found "${peek()?.text ?? "end of query"}"`);
    pos++;
  };
  const expectSymbol = (s: string) => {
    if (peek()?.kind !== "symbol" || peek()!.text !== s)
      throw F.queryParse(`expected "${s}" but found "${peek()?.text ?? "end of query"}"`);
    pos++;
  };
  const intArg = (what: string) => {
    const t = tokens[pos++];
    if (t?.kind !== "number" || !/^\d+$/.test(t.text)) throw F.queryParse(`${what} needs a number`);
    return Number(t.text);
  };

  expectWord("select");
  let count = false;
  let rawFields: string[] | null = null;
  if (peek()?.text === "*") pos++;
  else if (isWord("count")) {
    pos++;
    expectSymbol("(");
    expectSymbol("*");
    expectSymbol(")");
    count = true;
  } else {
    rawFields = [];
    do {
      const t = tokens[pos++];
      if (t?.kind !== "word") throw F.queryParse(`expected a field name but found "${t?.text ?? "end of query"}"`);
      rawFields.push(t.text);
    } while (peek()?.text === "," && ++pos);
  }
  expectWord("from");
  const entityToken = tokens[pos++];
  if (entityToken?.kind !== "word") throw F.queryParse("expected an entity name after FROM");
  const entity = QUERYABLE.find((e) => e.toLowerCase() === entityToken.text.toLowerCase());
  if (!entity) throw F.queryValidation(`Invalid entity name: ${entityToken.text}`);

  const where: Condition[] = [];
  if (isWord("where")) {
    pos++;
    for (;;) {
      const field = tokens[pos++];
      if (field?.kind !== "word")
        throw F.queryParse(`expected a field name in WHERE but found "${field?.text ?? "end of query"}"`);
      const path = resolvePath(entity, field.text);
      const opTok = tokens[pos++];
      const opText = opTok?.text.toLowerCase();
      let op: Condition["op"];
      let values: Value[];
      if (opText === "in") {
        op = "in";
        expectSymbol("(");
        values = [];
        do values.push(literal(tokens[pos++]));
        while (peek()?.text === "," && ++pos);
        expectSymbol(")");
      } else if (opText === "like" || (opTok?.kind === "symbol" && ["=", "<", ">", "<=", ">="].includes(opText!))) {
        op = opText as Condition["op"];
        values = [literal(tokens[pos++])];
      } else throw F.queryParse(`unsupported operator "${opTok?.text ?? "end of query"}"`);
      where.push({ path, op, values });
      if (isWord("and")) {
        pos++;
        continue;
      }
      if (isWord("or")) throw F.queryParse("OR is not supported; the query language has AND only");
      break;
    }
  }
  const orderBy: Query["orderBy"] = [];
  if (isWord("orderby") || isWord("order")) {
    if (isWord("order")) {
      pos++;
      expectWord("by");
    } else pos++;
    do {
      const t = tokens[pos++];
      if (t?.kind !== "word") throw F.queryParse("expected a field after ORDERBY");
      let desc = false;
      if (isWord("asc")) pos++;
      else if (isWord("desc")) {
        desc = true;
        pos++;
      }
      orderBy.push({ path: resolvePath(entity, t.text), desc });
    } while (peek()?.text === "," && ++pos);
  }
  let startPosition = 1;
  let maxResults = 100;
  for (;;) {
    if (isWord("startposition")) {
      pos++;
      startPosition = intArg("STARTPOSITION");
    } else if (isWord("maxresults")) {
      pos++;
      maxResults = intArg("MAXRESULTS");
    } else break;
  }
  if (pos < tokens.length) throw F.queryParse(`Encountered "${tokens[pos]!.text}" at the end of the query`);
  if (maxResults > 1000)
    throw F.queryValidation(`value ${maxResults} for MAXRESULTS is too large. Max allowed value is: 1000`);
  if (maxResults < 1 || startPosition < 1) throw F.queryValidation("STARTPOSITION and MAXRESULTS must be at least 1");
  const fields = rawFields ? rawFields.map((f) => resolvePath(entity, f)) : null;
  return { entity, count, fields, where, orderBy, startPosition, maxResults };
}

function literal(t: Token | undefined): Value {
  if (!t) throw F.queryParse("expected a value but found the end of the query");
  if (t.kind === "string") return t.text;
  if (t.kind === "number") return Number(t.text);
  if (t.kind === "word" && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === "true";
  throw F.queryParse(`expected a value but found "${t.text}"`);
}

function fieldValue(doc: Doc, path: string[]): unknown {
  let v: unknown = doc;
  for (const seg of path) v = v && typeof v === "object" ? (v as Doc)[seg] : undefined;
  // A ref compares by its id.
  if (v && typeof v === "object" && "value" in (v as Doc)) v = (v as Doc).value;
  return v;
}

function compare(a: unknown, b: Value): number | null {
  if (a === undefined || a === null) return null;
  const numeric = /^[+-]?\d+(\.\d+)?$/;
  if ((typeof a === "number" || numeric.test(String(a))) && (typeof b === "number" || numeric.test(String(b)))) {
    return cmpDec(parseDec(String(a)), parseDec(String(b)));
  }
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function matches(doc: Doc, c: Condition): boolean {
  const v = fieldValue(doc, c.path);
  switch (c.op) {
    case "in":
      return c.values.some((x) => compare(v, x) === 0);
    case "like": {
      if (v === undefined || v === null) return false;
      const pattern = String(c.values[0])
        .split("%")
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
      return new RegExp(`^${pattern}$`, "is").test(String(v));
    }
    default: {
      const r = compare(v, c.values[0]!);
      if (r === null) return false;
      return c.op === "=" ? r === 0 : c.op === "<" ? r < 0 : c.op === ">" ? r > 0 : c.op === "<=" ? r <= 0 : r >= 0;
    }
  }
}

/** Runs a parsed query over the records of its entity; answers QBO's QueryResponse object. */
export function runQuery(q: Query, records: Doc[]): Doc {
  const activeFilter = ACTIVE_FILTERED.has(q.entity) && !q.where.some((c) => c.path[0] === "Active");
  let rows = records.filter((d) => (!activeFilter || d.Active !== false) && q.where.every((c) => matches(d, c)));
  if (q.count) return { totalCount: rows.length };
  const order = q.orderBy.length > 0 ? q.orderBy : [{ path: ["Id"], desc: false }];
  rows = [...rows].sort((a, b) => {
    for (const o of order) {
      const r = compare(fieldValue(a, o.path), (fieldValue(b, o.path) ?? "") as Value) ?? -1;
      if (r !== 0) return o.desc ? -r : r;
    }
    return 0;
  });
  const page = rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults);
  if (page.length === 0) return {};
  const shaped = q.fields
    ? page.map((d) => {
        const out: Doc = {};
        for (const f of q.fields!) if (d[f[0]!] !== undefined) out[f[0]!] = d[f[0]!];
        return out;
      })
    : page;
  return { [q.entity]: shaped, startPosition: q.startPosition, maxResults: page.length };
}
