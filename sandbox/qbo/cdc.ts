/**
 * Change Data Capture: `GET /v3/company/<realm>/cdc?entities=A,B&changedSince=<date or dateTime>`
 * (qbo-api-notes §3.7). Answers `{"CDCResponse":[{"QueryResponse":[{<Entity>:[…],startPosition,
 * maxResults}, …]}],"time"}`: one QueryResponse per entity asked, in the order asked, each holding the
 * records whose LastUpdatedTime is at or after changedSince (oldest first, full payloads; voided
 * documents are simply updated ones), then the ones deleted since, as `{"status":"Deleted","domain",
 * "Id","MetaData":{"LastUpdatedTime"}}`. At most 1000 objects in all; a QueryResponse cut short says
 * how many it had in `totalCount`. Look-back is 30 days; entities CDC does not cover are refused.
 */
import { entityInfo } from "./entities";
import { F, QboFault } from "./faults";
import { present } from "./operations";
import { balances } from "./ledger";
import { type Doc, type RealmState, allOf, clone } from "./state";

export const CDC_MAX_OBJECTS = 1000;
export const CDC_LOOKBACK_DAYS = 30;
/** The entities CDC does not cover (Intuit's list; JournalCode and TimeActivity are not in the sandbox). */
const NOT_COVERED = new Set(["TaxCode", "TaxRate", "TaxAgency", "JournalCode", "TimeActivity"]);
const SINGLETONS = new Set(["CompanyInfo", "Preferences"]);

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?$/;

function entityNames(raw: string | undefined): string[] {
  if (!raw || raw.trim() === "") throw F.required("entities");
  return raw.split(",").map((name) => {
    const trimmed = name.trim();
    const singleton = [...SINGLETONS].find((s) => s.toLowerCase() === trimmed.toLowerCase());
    const canonical = singleton ?? entityInfo(trimmed)?.name;
    if (!canonical || NOT_COVERED.has(canonical))
      throw F.unsupportedOperation(`cdc for entity ${canonical ?? trimmed}`);
    return canonical;
  });
}

/** changedSince in ms; a date alone is midnight UTC, a time without offset is UTC. */
function since(raw: string | undefined, nowMs: number): number {
  if (!raw) throw F.required("changedSince");
  let text = raw.trim().replace(" ", "+"); // an unencoded "+" in a query string arrives as a space
  if (text.includes("T") && !/([+-]\d{2}:?\d{2}|Z)$/.test(text)) text += "Z";
  const ms = DATE_OR_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new QboFault(
      400,
      "2010",
      "Request has invalid or unsupported property",
      `Property Name:changedSince ${raw} is not a valid dateTime`,
      "changedSince",
    );
  if (nowMs - ms > CDC_LOOKBACK_DAYS * 24 * 3600 * 1000)
    throw F.unsupportedOperation(`cdc with changedSince date ${raw} which is older than fixed days`);
  return ms;
}

const changedAt = (d: Doc) => Date.parse(String(d.MetaData?.LastUpdatedTime ?? ""));

function changedRecords(realm: RealmState, entity: string, fromMs: number, bal?: Map<string, number>): Doc[] {
  if (entity === "CompanyInfo") return changedAt(realm.companyInfo) >= fromMs ? [clone(realm.companyInfo)] : [];
  if (entity === "Preferences") return changedAt(realm.preferences) >= fromMs ? [clone(realm.preferences)] : [];
  const live = allOf(realm, entity)
    .filter((d) => changedAt(d) >= fromMs)
    .sort((a, b) => changedAt(a) - changedAt(b) || Number(a.Id) - Number(b.Id))
    .map((d) => present(realm, entity, d, bal));
  const gone = (realm.deleted ?? [])
    .filter((t) => t.entity === entity && Date.parse(t.at) >= fromMs)
    .map((t) => ({ status: "Deleted", domain: "QBO", Id: t.Id, MetaData: { LastUpdatedTime: t.at } }));
  return [...live, ...gone];
}

export function runCdc(realm: RealmState, query: Record<string, string>, now: Date): Doc {
  const entities = entityNames(query.entities);
  const fromMs = since(query.changedsince, now.getTime());
  const bal = entities.includes("Account") ? balances(realm) : undefined;
  let room = CDC_MAX_OBJECTS;
  const responses = entities.map((entity) => {
    const all = changedRecords(realm, entity, fromMs, bal);
    const page = all.slice(0, room);
    room -= page.length;
    if (page.length === 0) return all.length > 0 ? { startPosition: 1, maxResults: 0, totalCount: all.length } : {};
    return {
      [entity]: page,
      startPosition: 1,
      maxResults: page.length,
      ...(page.length < all.length ? { totalCount: all.length } : {}),
    };
  });
  return { CDCResponse: [{ QueryResponse: responses }] };
}
