import { requestIdOf } from "../../shared/hash";
import { errorFromFault, faultOfJson, QboError, type CallContext } from "./faults";

/**
 * QBO batch (qbo-api-notes §3.2): items run independently, in no promised order, with partial
 * results. Tillbridge sends at most 10 items per batch request (Intuit's batch guide; larger
 * batches time out and a timed-out batch is the worst kind of ambiguous outcome). Pure: planning
 * and reading are tested in plain Node; client.ts sends.
 */

export const BATCH_MAX_ITEMS = 10;
/** With a requestid, Intuit allows bIds of at most 10 characters and a batch requestid of 36. */
export const BATCH_ID_MAX = 10;
export const BATCH_REQUEST_ID_MAX = 36;

export type BatchOperation = "create" | "update" | "delete";

export type BatchItem =
  | { bId?: string; operation: BatchOperation; entity: string; body: Record<string, unknown> }
  | { bId?: string; query: string };

export type PlannedItem = BatchItem & { bId: string };

export interface BatchChunk {
  items: PlannedItem[];
  /** The chunk's own requestid, derived from the caller's and the chunk's bIds (stable on retry). */
  requestId?: string;
  write: boolean;
}

export type BatchResult<T = Record<string, unknown>> =
  | { bId: string; ok: true; entity?: T; queryResponse?: Record<string, unknown> }
  | { bId: string; ok: false; error: QboError };

/** Splits items into batch requests of ≤ 10, giving each item a bId and each request a requestid. */
export function planBatches(items: readonly BatchItem[], requestId?: string): BatchChunk[] {
  const seen = new Set<string>();
  const planned = items.map((item, i): PlannedItem => {
    const bId = item.bId ?? String(i + 1);
    if (bId.length === 0 || bId.length > BATCH_ID_MAX)
      throw new Error(`batch bId must be 1..${BATCH_ID_MAX} characters: ${JSON.stringify(bId)}`);
    if (seen.has(bId)) throw new Error(`duplicate batch bId ${bId}`);
    seen.add(bId);
    if ("entity" in item && !/^[A-Z][A-Za-z]+$/.test(item.entity)) throw new Error(`not a QBO entity: ${item.entity}`);
    return { ...item, bId };
  });
  if (requestId !== undefined && (requestId.length === 0 || requestId.length > 50))
    throw new Error("requestid must be 1..50 characters");
  const chunks: BatchChunk[] = [];
  for (let i = 0; i < planned.length; i += BATCH_MAX_ITEMS) {
    const slice = planned.slice(i, i + BATCH_MAX_ITEMS);
    const single =
      planned.length <= BATCH_MAX_ITEMS && requestId !== undefined && requestId.length <= BATCH_REQUEST_ID_MAX;
    chunks.push({
      items: slice,
      write: slice.some((it) => "operation" in it),
      ...(requestId === undefined
        ? {}
        : { requestId: single ? requestId : requestIdOf(`${requestId}|${slice.map((it) => it.bId).join(",")}`) }),
    });
  }
  return chunks;
}

/** The JSON body of one batch request. */
export function batchRequestBody(chunk: BatchChunk): { BatchItemRequest: Record<string, unknown>[] } {
  return {
    BatchItemRequest: chunk.items.map((it) =>
      "query" in it ? { bId: it.bId, Query: it.query } : { bId: it.bId, operation: it.operation, [it.entity]: it.body },
    ),
  };
}

/**
 * Per-item results in the chunk's order. An item missing from the answer, or answered with neither
 * an entity nor a Fault, has an unknown outcome (its write may have happened).
 */
export function readBatchResponse(
  chunk: BatchChunk,
  json: Record<string, unknown>,
  facts: { status: number; intuitTid?: string },
  now: Date,
): BatchResult[] {
  const responses = Array.isArray(json.BatchItemResponse) ? (json.BatchItemResponse as unknown[]) : [];
  const byId = new Map<string, Record<string, unknown>>();
  for (const r of responses) {
    if (r && typeof r === "object" && typeof (r as { bId?: unknown }).bId === "string")
      byId.set((r as { bId: string }).bId, r as Record<string, unknown>);
  }
  return chunk.items.map((item): BatchResult => {
    const write = "operation" in item;
    const ctx: CallContext = {
      write,
      now,
      ...(write && typeof item.body.DocNumber === "string" ? { docNumber: item.body.DocNumber } : {}),
    };
    const r = byId.get(item.bId);
    const missing = (why: string): BatchResult => ({
      bId: item.bId,
      ok: false,
      error: new QboError("qbo_transient", why, {
        httpStatus: facts.status,
        ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}),
        errors: [],
        outcomeUnknown: write,
      }),
    });
    if (!r) return missing(`batch answer has no item ${item.bId}`);
    const fault = faultOfJson(r);
    if (fault && fault.errors.length > 0)
      return {
        bId: item.bId,
        ok: false,
        error: errorFromFault(
          fault,
          { status: facts.status, ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}) },
          ctx,
        ),
      };
    if ("query" in item) {
      const q = r.QueryResponse;
      return q && typeof q === "object"
        ? { bId: item.bId, ok: true, queryResponse: q as Record<string, unknown> }
        : missing(`batch item ${item.bId} without QueryResponse`);
    }
    const entity = r[item.entity];
    return entity && typeof entity === "object"
      ? { bId: item.bId, ok: true, entity: entity as Record<string, unknown> }
      : missing(`batch item ${item.bId} without ${item.entity}`);
  });
}

/** Every item of a chunk failed together (the whole request failed): the same error for each. */
export function chunkFailed(chunk: BatchChunk, error: QboError): BatchResult[] {
  return chunk.items.map((it) => {
    const write = "operation" in it;
    const perItem =
      error.info.outcomeUnknown && !write
        ? new QboError(error.code, error.detail, { ...error.info, outcomeUnknown: false }, error.extra)
        : error;
    return { bId: it.bId, ok: false as const, error: perItem };
  });
}
