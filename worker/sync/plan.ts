import type { TillbridgeError } from "../../shared/errors";
import type { QboDocumentDraft } from "../../shared/domain/qbo";

/** A document to send, with the text its PrivateNote carries so it can be found again. */
export type PlannedDocument = QboDocumentDraft & { marker: string };

/** What building an item's documents gives the engine. */
export type PlanOutcome =
  | { ok: true; plan: { txnDate: string; documents: PlannedDocument[] }; amountMinor?: number }
  | { ok: false; error: TillbridgeError };
