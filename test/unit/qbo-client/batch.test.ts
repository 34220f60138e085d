import { describe, expect, it } from "vitest";
import {
  BATCH_MAX_ITEMS,
  batchRequestBody,
  chunkFailed,
  planBatches,
  readBatchResponse,
  type BatchItem,
  type BatchResult,
} from "../../../worker/qbo/batch";
import { QboError } from "../../../worker/qbo/faults";

const NOW = new Date("2026-03-05T16:00:00Z");

function errorOf(r: BatchResult | undefined): QboError {
  if (!r || r.ok) throw new Error(`expected a failed item, got ${JSON.stringify(r)}`);
  return r.error;
}
const receipt = (n: number): BatchItem => ({
  operation: "create",
  entity: "SalesReceipt",
  body: { DocNumber: `Z${n}-R1-AAAA`, Line: [] },
});

describe("batch planning", () => {
  it("splits 25 writes into requests of at most 10, in order, with bIds", () => {
    const chunks = planBatches(
      Array.from({ length: 25 }, (_, i) => receipt(i + 1)),
      "tb1-closure-42",
    );
    expect(chunks.map((c) => c.items.length)).toEqual([10, 10, 5]);
    expect(chunks.flatMap((c) => c.items.map((it) => it.bId))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i + 1)),
    );
    expect(chunks.every((c) => c.items.length <= BATCH_MAX_ITEMS && c.write)).toBe(true);
  });

  it("gives each request its own stable requestid of ≤ 36 characters", () => {
    const items = Array.from({ length: 12 }, (_, i) => receipt(i));
    const a = planBatches(items, "tb1-closure-42").map((c) => c.requestId);
    const b = planBatches(items, "tb1-closure-42").map((c) => c.requestId);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(2);
    expect(a.every((id) => id !== undefined && id.length <= 36)).toBe(true);
  });

  it("keeps the caller's requestid for a single request that fits the batch limit", () => {
    expect(planBatches([receipt(1)], "short-id")[0]?.requestId).toBe("short-id");
    const long = "x".repeat(40);
    expect(planBatches([receipt(1)], long)[0]?.requestId).toHaveLength(32);
  });

  it("refuses bIds over 10 characters and duplicates", () => {
    expect(() => planBatches([{ ...receipt(1), bId: "12345678901" }])).toThrow(/1\.\.10/);
    expect(() =>
      planBatches([
        { ...receipt(1), bId: "a" },
        { ...receipt(2), bId: "a" },
      ]),
    ).toThrow(/duplicate/);
    expect(() => planBatches([{ operation: "create", entity: "salesreceipt", body: {} }])).toThrow(/not a QBO entity/);
  });

  it("writes Intuit's BatchItemRequest shape", () => {
    const [chunk] = planBatches(
      [
        receipt(1),
        { bId: "q", query: "select * from Item" },
        { operation: "delete", entity: "Bill", body: { Id: "9", SyncToken: "2" } },
      ],
      "rid",
    );
    expect(batchRequestBody(chunk!)).toEqual({
      BatchItemRequest: [
        { bId: "1", operation: "create", SalesReceipt: { DocNumber: "Z1-R1-AAAA", Line: [] } },
        { bId: "q", Query: "select * from Item" },
        { bId: "3", operation: "delete", Bill: { Id: "9", SyncToken: "2" } },
      ],
    });
  });

  it("marks a query-only batch as a read", () => {
    expect(planBatches([{ query: "select * from Item" }])[0]?.write).toBe(false);
  });
});

describe("batch answers", () => {
  const [chunk] = planBatches(
    [
      receipt(1),
      receipt(2),
      { bId: "q", query: "select * from Item" },
      receipt(4),
      { bId: "q2", query: "select * from Class" },
    ],
    "rid",
  );

  const answer = {
    BatchItemResponse: [
      {
        bId: "2",
        Fault: {
          Error: [
            {
              Message: "Duplicate Document Number Error",
              Detail: "DocNumber=Z2-R1-AAAA is assigned to TxnId=7",
              code: "6140",
            },
          ],
          type: "ValidationFault",
        },
      },
      { bId: "1", SalesReceipt: { Id: "150", SyncToken: "0", DocNumber: "Z1-R1-AAAA" } },
      { bId: "q", QueryResponse: { Item: [{ Id: "1" }], startPosition: 1, maxResults: 1 } },
      { bId: "q2", time: "t" },
    ],
    time: "2026-03-05T09:17:31.892-07:00",
  };

  it("returns one result per item in the caller's order, each classified", () => {
    const results = readBatchResponse(chunk!, answer, { status: 200, intuitTid: "tid-1" }, NOW);
    expect(results.map((r) => [r.bId, r.ok])).toEqual([
      ["1", true],
      ["2", false],
      ["q", true],
      ["4", false],
      ["q2", false],
    ]);
    const [ok, dup, query, missing, emptyQuery] = results;
    expect(ok?.ok && ok.entity).toEqual({ Id: "150", SyncToken: "0", DocNumber: "Z1-R1-AAAA" });
    expect(errorOf(dup).code).toBe("qbo_duplicate_doc_number");
    expect(errorOf(dup).detail).toBe("Z2-R1-AAAA");
    expect(errorOf(dup).info.intuitTid).toBe("tid-1");
    expect(query?.ok && query.queryResponse).toEqual({ Item: [{ Id: "1" }], startPosition: 1, maxResults: 1 });
    // A write with no answer may have happened; a query with no answer did nothing.
    expect(errorOf(missing).code).toBe("qbo_transient");
    expect(errorOf(missing).outcomeUnknown).toBe(true);
    expect(errorOf(emptyQuery).outcomeUnknown).toBe(false);
  });

  it("fails every item of a request that failed as a whole, unknown only for writes", () => {
    const timeout = new QboError("qbo_transient", "no answer within 30 s", { errors: [], outcomeUnknown: true });
    const results = chunkFailed(chunk!, timeout);
    expect(results).toHaveLength(5);
    expect(results.every((r) => !r.ok && r.error.code === "qbo_transient")).toBe(true);
    expect(results.map((r) => !r.ok && r.error.outcomeUnknown)).toEqual([true, true, false, true, false]);
  });
});
