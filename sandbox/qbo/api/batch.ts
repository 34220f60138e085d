/**
 * POST /batch: up to 30 independent items (create / update / delete / void, or a Query), each answered
 * with its entity, its QueryResponse or its own Fault, and its bId echoed. One item failing never
 * stops the others.
 */
import { timeOf, type SandboxContext } from "../context";
import { ENTITY_NAMES } from "../entities";
import { F, QboFault } from "../faults";
import type { OpContext } from "../operations";
import { parseQuery, runQuery } from "../query";
import type { Doc, RealmState } from "../state";
import { entityWrite, queryRecords } from "./dispatch";

const MAX_ITEMS = 30;
const ITEM_KEYS = new Set(["bId", "operation", "optionsData", "Query"]);
const OPERATIONS = new Set(["create", "update", "delete", "void"]);

export function runBatch(ctx: SandboxContext, realm: RealmState, body: Doc, op: OpContext): Doc {
  for (const key of Object.keys(body)) if (key !== "BatchItemRequest") throw F.unsupportedProperty(key);
  const items = body.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw F.required("BatchItemRequest");
  if (items.length > MAX_ITEMS) throw F.batchTooBig(items.length);
  const time = timeOf(ctx);
  const responses = (items as Doc[]).map((item) => {
    const bId = typeof item?.bId === "string" ? item.bId : undefined;
    try {
      return { ...(bId !== undefined ? { bId } : {}), ...runItem(realm, item, op) };
    } catch (e) {
      if (!(e instanceof QboFault)) throw e;
      const { Fault } = e.body(time);
      return { ...(bId !== undefined ? { bId } : {}), Fault };
    }
  });
  return { BatchItemResponse: responses, time };
}

function runItem(realm: RealmState, item: Doc, op: OpContext): Doc {
  if (typeof item !== "object" || item === null) throw F.unsupportedProperty("BatchItemRequest");
  const entityKeys = Object.keys(item).filter((k) => !ITEM_KEYS.has(k));
  for (const k of entityKeys) if (!ENTITY_NAMES.includes(k)) throw F.unsupportedProperty(k);
  if (typeof item.Query === "string") {
    if (entityKeys.length > 0) throw F.unsupportedProperty(entityKeys[0]!);
    const q = parseQuery(item.Query);
    return { QueryResponse: runQuery(q, queryRecords(realm, q.entity)) };
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
