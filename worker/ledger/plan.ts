import type { QboDocumentDraft } from "../../shared/domain/qbo";
import { requestIdFor } from "./keys";
import type { PostingPlan, VarianceRow } from "./types";

/** Which object version a posting is, under which key, on which date. */
export type PlanBase = Pick<PostingPlan, "kind" | "posId" | "posVersion" | "key" | "txnDate">;

/** A posting plan; what is not given is empty (an object with nothing to post). */
export function postingPlan(base: PlanBase, parts: Partial<Omit<PostingPlan, keyof PlanBase>> = {}): PostingPlan {
  return { ...base, documents: [], variance: [], effects: [], needs: {}, summary: [], ...parts };
}

/** One document of a posting: its QBO requestid follows from the posting's key and the document's part. */
export function draft(
  key: string,
  part: string,
  entity: QboDocumentDraft["entity"],
  body: Record<string, unknown>,
): QboDocumentDraft {
  return { part, entity, docNumber: String(body.DocNumber), requestId: requestIdFor(key, part), body };
}

/** A row of the preview's line-up: the POS's figure against what the documents post. */
export function varianceRow(line: string, label: string, posMinor: number, postedMinor: number): VarianceRow {
  return { line, label, posMinor, postedMinor, diffMinor: postedMinor - posMinor };
}
