import type { TillbridgeError } from "../../shared/errors";
import type { QboDocumentDraft } from "../../shared/domain/qbo";

/** What building an item's documents gives the engine. */
export type PlanOutcome =
  | { ok: true; plan: { txnDate: string; documents: QboDocumentDraft[] }; amountMinor?: number }
  | { ok: false; error: TillbridgeError };
