/**
 * Routes one authenticated Accounting API request to its operation: entity reads and writes, query,
 * batch, CompanyInfo and Preferences. Answers `{ status, body }` with QBO's JSON shapes.
 */
import { timeOf, type SandboxContext } from "../context";
import { F, QboFault } from "../faults";
import { create, present, read, remove, update, voidTxn, writableEntity, type OpContext } from "../operations";
import { parseQuery, runQuery } from "../query";
import { checkSchema } from "../schema-check";
import { type Doc, type RealmState, allOf, clone } from "../state";
import { balances } from "../ledger";
import { entityInfo } from "../entities";
import { runCdc } from "../cdc";
import { touchPreferences } from "../merchant";
import { runBatch } from "./batch";

export interface Facts {
  realmId: string;
  method: string;
  path: string;
  /** Path segments after /v3/company/:realmId/ */
  segments: string[];
  query: Record<string, string>;
  bodyText: string;
  entity?: string | undefined;
  operation: string;
  write: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** What a request is, before it runs: for faults, throttling, replay and the request log. */
export function describe(
  method: string,
  path: string,
  segments: string[],
  query: Record<string, string>,
  bodyText: string,
): Omit<Facts, "realmId"> {
  const [first = ""] = segments;
  const lower = first.toLowerCase();
  const base = { method, path, segments, query, bodyText };
  if (lower === "query")
    return { ...base, entity: /\bfrom\s+(\w+)/i.exec(query.query ?? bodyText)?.[1], operation: "query", write: false };
  if (lower === "batch") return { ...base, entity: "batch", operation: "batch", write: true };
  if (lower === "cdc") return { ...base, entity: "cdc", operation: "cdc", write: false };
  if (lower === "companyinfo") return { ...base, entity: "CompanyInfo", operation: "read", write: false };
  if (lower === "preferences")
    return {
      ...base,
      entity: "Preferences",
      operation: method === "POST" ? "update" : "read",
      write: method === "POST",
    };
  const entity = entityInfo(first)?.name ?? first;
  if (method === "GET") return { ...base, entity, operation: "read", write: false };
  return { ...base, entity, operation: writeOperation(query, bodyText), write: true };
}

function writeOperation(query: Record<string, string>, bodyText: string): string {
  const op = (query.operation ?? "").toLowerCase();
  const include = (query.include ?? "").toLowerCase();
  if (op === "delete") return "delete";
  if (op === "void" || (op === "update" && include.split(",").includes("void"))) return "void";
  if (op === "update") return "update";
  return /"Id"\s*:/.test(bodyText) ? "update" : "create";
}

function parseJson(text: string): Doc {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Doc;
  } catch {
    throw F.unsupportedProperty(
      "body",
      "Property Name:Error parsing object: the request body is not a JSON object specified is unsupported or invalid",
    );
  }
}

export function entityWrite(
  realm: RealmState,
  entityName: string,
  operation: string,
  body: Doc,
  op: OpContext,
): { entity: string; doc: Doc } {
  const entity = writableEntity(entityName).name;
  switch (operation) {
    case "delete":
      return { entity, doc: remove(realm, entity, body, op) };
    case "void":
      return { entity, doc: voidTxn(realm, entity, body, op) };
    case "update":
      return { entity, doc: update(realm, entity, body, op) };
    default:
      return { entity, doc: create(realm, entity, body, op) };
  }
}

export function queryRecords(realm: RealmState, entity: string): Doc[] {
  if (entity === "CompanyInfo") return [clone(realm.companyInfo)];
  if (entity === "Preferences") return [clone(realm.preferences)];
  const bal = entity === "Account" ? balances(realm) : undefined;
  return allOf(realm, entity).map((d) => present(realm, entity, d, bal));
}

export function dispatch(ctx: SandboxContext, realm: RealmState, f: Facts): Answer {
  const time = timeOf(ctx);
  const op: OpContext = {
    now: ctx.now(),
    allowDuplicateDocNumber: (f.query.include ?? "").toLowerCase().split(",").includes("allowduplicatedocnum"),
    changed: ctx.onChange,
  };
  const [first = "", second] = f.segments;
  const lower = first.toLowerCase();
  if (lower === "query" && (f.method === "GET" || f.method === "POST")) {
    const text = f.method === "GET" ? f.query.query : f.bodyText;
    if (!text) throw F.queryParse("the query is empty");
    const q = parseQuery(text);
    return { status: 200, body: { QueryResponse: runQuery(q, queryRecords(realm, q.entity)), time } };
  }
  if (lower === "batch" && f.method === "POST")
    return { status: 200, body: runBatch(ctx, realm, parseJson(f.bodyText), op, f.query.requestid) };
  if (lower === "cdc" && f.method === "GET" && f.segments.length === 1)
    return { status: 200, body: { ...runCdc(realm, f.query, op.now), time } };
  if (lower === "companyinfo" && f.method === "GET" && second) {
    if (second !== realm.realmId) throw F.notFound(`CompanyInfo Id ${second}`, "Id");
    return { status: 200, body: { CompanyInfo: clone(realm.companyInfo), time } };
  }
  if (lower === "preferences" && f.segments.length === 1) {
    if (f.method === "GET") return { status: 200, body: { Preferences: clone(realm.preferences), time } };
    if (f.method === "POST")
      return { status: 200, body: { Preferences: updatePreferences(realm, parseJson(f.bodyText), op), time } };
  }
  if (f.method === "GET" && f.segments.length === 2 && second) {
    const { entity, doc } = read(realm, first, second);
    return { status: 200, body: { [entity]: doc, time } };
  }
  if (f.method === "POST" && f.segments.length === 1) {
    const { entity, doc } = entityWrite(realm, first, f.operation, parseJson(f.bodyText), op);
    return { status: 200, body: { [entity]: doc, time } };
  }
  throw F.unsupportedOperation(`Could not find resource for relative : ${f.path}`);
}

/** Preferences take sparse updates: given sections' given fields change, nothing else. */
function updatePreferences(realm: RealmState, body: Doc, op: OpContext): Doc {
  checkSchema(body, "Preferences");
  if (body.SyncToken === undefined) throw F.required("SyncToken");
  if (String(body.SyncToken) !== String(realm.preferences.SyncToken)) throw F.stale("Preferences");
  const next = clone(realm.preferences);
  for (const [section, value] of Object.entries(body)) {
    if (["Id", "SyncToken", "MetaData", "domain", "sparse", "status"].includes(section)) continue;
    next[section] =
      value && typeof value === "object" && !Array.isArray(value)
        ? { ...(next[section] ?? {}), ...(value as Doc) }
        : value;
  }
  if (
    next.CurrencyPrefs?.MultiCurrencyEnabled === false &&
    realm.preferences.CurrencyPrefs?.MultiCurrencyEnabled === true
  ) {
    throw new QboFault(
      400,
      "6000",
      "A business validation error has occurred while processing your request",
      "Business Validation Error: Multicurrency cannot be turned off once on",
    );
  }
  return touchPreferences(realm, next, op);
}
