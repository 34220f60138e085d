import { requestIdOf } from "../../shared/hash";
import type { BatchItem, BatchResult } from "./batch";
import { BATCH_MAX_ITEMS } from "./batch";
import type { SavedEntity } from "./client";
import { QboError } from "./faults";
import { isBatchBudgetSpent } from "./rate";

/**
 * Creates of documents, sent together through QBO's batch endpoint when several postings of one
 * company are in flight at once (qbo-api-notes §3.2: one batch request carries up to 10 items and
 * counts as one request towards the 500/min, which raises the documents-per-minute ceiling).
 *
 * Who posts "joins" the window for as long as it may still create something; a create waits until
 * every poster that joined is either waiting to create too or waiting on QBO, then the waiting
 * creates leave as one batch (a single create when only one is waiting, as before batching). The
 * window knows nothing of exactly-once: each document's caller (the engine) has marked it as being
 * sent before calling, gets its own result or its own error back — a batch that times out or fails
 * with a 5xx fails every item with an unknown outcome, so the engine looks each up before sending
 * it again; a 429 fails every item as throttled, nothing recorded.
 */
export interface CreateWindow {
  /** A poster joins; the returned function leaves (call it once, in a finally). */
  join(): () => void;
  create(entity: string, body: Record<string, unknown>, requestId: string): Promise<SavedEntity>;
}

export interface BatchSender {
  create(entity: string, body: Record<string, unknown>, requestId: string): Promise<SavedEntity>;
  batch(items: readonly BatchItem[], requestId?: string): Promise<BatchResult[]>;
}

interface Waiting {
  entity: string;
  body: Record<string, unknown>;
  requestId: string;
  resolve: (saved: SavedEntity) => void;
  reject: (e: unknown) => void;
}

/** A flush that never came (a poster that forgot to leave) still goes out after this long. */
const SAFETY_MS = 10_000;

/** The batch requestid of a set of creates: stable for the same documents in the same generation. */
export const batchRequestId = (requestIds: readonly string[]) => requestIdOf(`tb-batch|${requestIds.join(",")}`);

export function createWindow(sender: BatchSender, opts: { maxItems?: number } = {}): CreateWindow {
  const maxItems = Math.min(opts.maxItems ?? BATCH_MAX_ITEMS, BATCH_MAX_ITEMS);
  let joined = 0;
  /** Creates sent and not answered yet (their posters cannot create anything else meanwhile) */
  let sending = 0;
  const waiting: Waiting[] = [];
  let safety: ReturnType<typeof setTimeout> | undefined;

  const send = async (group: Waiting[]): Promise<void> => {
    sending += group.length;
    try {
      if (group.length === 1) {
        const [w] = group as [Waiting];
        w.resolve(await sender.create(w.entity, w.body, w.requestId));
        return;
      }
      const results = await sender.batch(
        group.map((w, i) => ({ bId: String(i + 1), operation: "create", entity: w.entity, body: w.body })),
        batchRequestId(group.map((w) => w.requestId)),
      );
      // The batch budget of the last 60 s was spent before anything was sent: one create each
      // instead, all at once — they take their turns in the request pace, and their round trips to
      // QBO overlap instead of adding up (one after the other, six creates took six round trips).
      if (results.every((r) => !r.ok && isBatchBudgetSpent(r.error))) {
        await Promise.all(group.map((w) => sender.create(w.entity, w.body, w.requestId).then(w.resolve, w.reject)));
        return;
      }
      group.forEach((w, i) => {
        const r = results[i];
        if (r?.ok && r.entity) w.resolve(r.entity as SavedEntity);
        else
          w.reject(
            r && !r.ok
              ? r.error
              : new QboError("qbo_transient", "batch answer without this item", { errors: [], outcomeUnknown: true }),
          );
      });
    } catch (e) {
      for (const w of group) w.reject(e);
    } finally {
      sending -= group.length;
    }
  };

  const flush = (force = false): void => {
    if (safety !== undefined) clearTimeout(safety);
    safety = undefined;
    while (waiting.length > 0 && (force || waiting.length >= maxItems || waiting.length + sending >= joined)) {
      const group = waiting.splice(0, maxItems);
      void send(group).catch((e) => {
        for (const w of group) w.reject(e);
      });
      force = false;
    }
    if (waiting.length > 0) safety = setTimeout(() => flush(true), SAFETY_MS);
  };

  return {
    join() {
      joined++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        joined--;
        flush();
      };
    },
    create(entity, body, requestId) {
      if (joined <= 1 && waiting.length === 0) {
        sending++;
        return sender.create(entity, body, requestId).finally(() => {
          sending--;
        });
      }
      return new Promise<SavedEntity>((resolve, reject) => {
        waiting.push({ entity, body, requestId, resolve, reject });
        flush();
      });
    },
  };
}
