/**
 * POST /batch (qbo-api-notes §3.2): up to 30 independent items (create / update / delete / void, a Query
 * or a CDCQuery), each answered with its entity, its QueryResponse / CDCResponse or its own Fault, and its
 * bId echoed; one item failing never stops the others. More than 30 items is fault 1040 for the whole
 * batch. With a `requestid`, the batch's own id may have 36 characters (checked by the gateway) and each
 * bId at most 10 (2050 for the whole batch). Injected faults with `match.inBatch` answer single items.
 */
import { timeOf, type SandboxContext } from "../context";
import { runCdc } from "../cdc";
import { ENTITY_NAMES, entityInfo } from "../entities";
import { F, QboFault } from "../faults";
import { type FaultSpec, takeFault } from "../inject";
import type { OpContext } from "../operations";
import { parseQuery, runQuery } from "../query";
import type { Doc, RealmState } from "../state";
import { entityWrite, queryRecords } from "./dispatch";

export const MAX_BATCH_ITEMS = 30;
export const MAX_BID_WITH_REQUESTID = 10;
const ITEM_KEYS = new Set(["bId", "operation", "optionsData", "Query", "CDCQuery"]);
const OPERATIONS = new Set(["create", "update", "delete", "void"]);

function checkItems(body: Doc, requestId: string | undefined): Doc[] {
  for (const key of Object.keys(body)) if (key !== "BatchItemRequest") throw F.unsupportedProperty(key);
  const items = body.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw F.required("BatchItemRequest");
  if (items.length > MAX_BATCH_ITEMS) throw F.batchTooBig(items.length);
  if (requestId !== undefined) {
    const long = (items as Doc[]).find((i) => typeof i?.bId === "string" && i.bId.length > MAX_BID_WITH_REQUESTID);
    if (long)
      throw new QboFault(
        400,
        "2050",
        "String length is either shorter or longer than supported by specification",
        `bId ${String(long.bId)} is ${String(long.bId).length} characters long; with a requestid the maximum is ${MAX_BID_WITH_REQUESTID}`,
        "bId",
      );
  }
  return items as Doc[];
}

export function runBatch(ctx: SandboxContext, realm: RealmState, body: Doc, op: OpContext, requestId?: string): Doc {
  const items = checkItems(body, requestId);
  const time = timeOf(ctx);
  const responses = items.map((item) => {
    const bId = typeof item?.bId === "string" ? { bId: item.bId as string } : {};
    try {
      const fault = injected(ctx, realm, item);
      if (fault) throw itemFault(fault);
      return { ...bId, ...runItem(realm, item, op) };
    } catch (e) {
      if (!(e instanceof QboFault)) throw e;
      const { Fault } = e.body(time);
      return { ...bId, Fault };
    }
  });
  return { BatchItemResponse: responses, time };
}

/** An injected fault for this item, matched on its entity and operation ("query" / "cdc" for reads). */
function injected(ctx: SandboxContext, realm: RealmState, item: Doc): FaultSpec | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const entityKey = Object.keys(item).find((k) => !ITEM_KEYS.has(k));
  const operation = item.Query !== undefined ? "query" : item.CDCQuery !== undefined ? "cdc" : String(item.operation);
  return takeFault(ctx, {
    realmId: realm.realmId,
    method: "POST",
    path: `/v3/company/${realm.realmId}/batch`,
    entity: entityKey ? (entityInfo(entityKey)?.name ?? entityKey) : operation,
    operation,
    inBatch: true,
  });
}

function itemFault(f: FaultSpec): QboFault {
  if (f.kind !== "fault") return F.system("The item could not be processed (injected)");
  const s = f.fault ?? { status: 400, code: "6000", message: "A business validation error has occurred" };
  return new QboFault(
    s.status,
    s.code,
    s.message,
    s.detail ?? s.message,
    s.element ?? "",
    (s.type ?? "ValidationFault") as never,
  );
}

function runItem(realm: RealmState, item: Doc, op: OpContext): Doc {
  if (typeof item !== "object" || item === null) throw F.unsupportedProperty("BatchItemRequest");
  const entityKeys = Object.keys(item).filter((k) => !ITEM_KEYS.has(k));
  for (const k of entityKeys) if (!ENTITY_NAMES.includes(k)) throw F.unsupportedProperty(k);
  if (typeof item.Query === "string" || item.CDCQuery !== undefined) {
    if (entityKeys.length > 0) throw F.unsupportedProperty(entityKeys[0]!);
    if (typeof item.Query === "string") {
      const q = parseQuery(item.Query);
      return { QueryResponse: runQuery(q, queryRecords(realm, q.entity)) };
    }
    const cdc = (item.CDCQuery ?? {}) as Doc;
    const query = { entities: String(cdc.Entities ?? ""), changedsince: String(cdc.ChangedSince ?? "") };
    return runCdc(realm, query, op.now);
  }
  if (entityKeys.length !== 1) throw F.required("BatchItemRequest entity");
  const operation = String(item.operation ?? "");
  if (!OPERATIONS.has(operation)) throw F.invalidEnum("operation", item.operation);
  const options = String(item.optionsData ?? "").toLowerCase();
  const itemOp: OpContext = {
    ...op,
    allowDuplicateDocNumber: op.allowDuplicateDocNumber || options.includes("allowduplicatedocnum"),
  };
  const { entity, doc } = entityWrite(realm, entityKeys[0]!, operation, item[entityKeys[0]!] as Doc, itemOp);
  return { [entity]: doc };
}
