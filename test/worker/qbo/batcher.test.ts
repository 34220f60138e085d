import { describe, expect, it } from "vitest";
import type { BatchItem, BatchResult } from "../../../worker/qbo/batch";
import { batchRequestId, createWindow, type BatchSender } from "../../../worker/qbo/batcher";
import type { SavedEntity } from "../../../worker/qbo/client";
import { QboError } from "../../../worker/qbo/faults";
import { batchBudgetError } from "../../../worker/qbo/rate";

/** A sender that records what went out and answers each batch item with an Id (or the fault asked for). */
function fakeSender(opts: { failBId?: string; wholeBatch?: QboError | (() => QboError) } = {}) {
  const sent: { kind: "create" | "batch"; n: number; requestId?: string }[] = [];
  let id = 0;
  const sender: BatchSender = {
    async create(_entity, _body, requestId) {
      sent.push({ kind: "create", n: 1, requestId });
      return { Id: String(++id) } as SavedEntity;
    },
    async batch(items: readonly BatchItem[], requestId?: string): Promise<BatchResult[]> {
      sent.push({ kind: "batch", n: items.length, ...(requestId ? { requestId } : {}) });
      await Promise.resolve();
      return items.map((it) => {
        const bId = it.bId!;
        if (opts.wholeBatch)
          return {
            bId,
            ok: false as const,
            error: typeof opts.wholeBatch === "function" ? opts.wholeBatch() : opts.wholeBatch,
          };
        if (bId === opts.failBId)
          return {
            bId,
            ok: false as const,
            error: new QboError("qbo_validation", "refused", { errors: [], outcomeUnknown: false }),
          };
        return { bId, ok: true as const, entity: { Id: String(++id) } };
      });
    },
  };
  return { sender, sent };
}

const body = (n: number) => ({ DocNumber: `D${n}`, PrivateNote: `Tillbridge marker ${n}` });

describe("the create window", () => {
  it("sends alone when one poster is in it, and as one batch when every poster waits to create", async () => {
    const { sender, sent } = fakeSender();
    const w = createWindow(sender);
    expect((await w.create("SalesReceipt", body(0), "r0")).Id).toBe("1");
    const leaves = [w.join(), w.join(), w.join()];
    const all = Promise.all([0, 1, 2].map((i) => w.create("SalesReceipt", body(i + 1), `r${i + 1}`)));
    const ids = (await all).map((s) => s.Id);
    for (const leave of leaves) leave();
    expect(new Set(ids).size).toBe(3);
    expect(sent).toEqual([
      { kind: "create", n: 1, requestId: "r0" },
      { kind: "batch", n: 3, requestId: batchRequestId(["r1", "r2", "r3"]) },
    ]);
  });

  it("waits for a poster still working, and goes when it leaves without creating", async () => {
    const { sender, sent } = fakeSender();
    const w = createWindow(sender);
    const [a, b, busy] = [w.join(), w.join(), w.join()];
    let done = false;
    const both = Promise.all([w.create("Invoice", body(1), "a"), w.create("Invoice", body(2), "b")]).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    expect(sent).toEqual([]);
    busy();
    await both;
    a();
    b();
    expect(sent).toEqual([{ kind: "batch", n: 2, requestId: batchRequestId(["a", "b"]) }]);
  });

  it("gives each poster its own outcome: one item refused, the others created", async () => {
    const { sender } = fakeSender({ failBId: "2" });
    const w = createWindow(sender);
    const leaves = [w.join(), w.join(), w.join()];
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => w.create("JournalEntry", body(i), `j${i}`)));
    for (const leave of leaves) leave();
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: "qbo_validation" });
  });

  it("a batch that timed out fails every item with an unknown outcome (the engine looks each up)", async () => {
    const timeout = new QboError("qbo_transient", "network error", { errors: [], outcomeUnknown: true });
    const { sender } = fakeSender({ wholeBatch: timeout });
    const w = createWindow(sender);
    const leaves = [w.join(), w.join()];
    const outcomes = await Promise.allSettled([1, 2].map((i) => w.create("SalesReceipt", body(i), `s${i}`)));
    for (const leave of leaves) leave();
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason.outcomeUnknown).toBe(true);
  });

  it("when this minute's batch budget is spent, sends each create alone instead (nothing was sent)", async () => {
    const spent = batchBudgetError(30);
    const { sender, sent } = fakeSender({ wholeBatch: spent });
    const w = createWindow(sender);
    const leaves = [w.join(), w.join()];
    const saved = await Promise.all([1, 2].map((i) => w.create("SalesReceipt", body(i), `b${i}`)));
    for (const leave of leaves) leave();
    expect(saved.map((s) => s.Id)).toEqual(["1", "2"]);
    expect(sent.map((s) => s.kind)).toEqual(["batch", "create", "create"]);
    // any other throttle on a batch (a 429 from QBO) is each item's outcome, not re-sent
    const other = fakeSender({
      wholeBatch: new QboError("qbo_throttled", "429", { errors: [], outcomeUnknown: false }),
    });
    const w2 = createWindow(other.sender);
    const l2 = [w2.join(), w2.join()];
    const outcomes = await Promise.allSettled([1, 2].map((i) => w2.create("SalesReceipt", body(i), `c${i}`)));
    for (const leave of l2) leave();
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(other.sent.map((s) => s.kind)).toEqual(["batch"]);
  });

  it("never puts more than 10 creates in one batch", async () => {
    const { sender, sent } = fakeSender();
    const w = createWindow(sender);
    const leaves = Array.from({ length: 14 }, () => w.join());
    await Promise.all(Array.from({ length: 14 }, (_, i) => w.create("SalesReceipt", body(i), `x${i}`)));
    for (const leave of leaves) leave();
    expect(sent.map((s) => s.n)).toEqual([10, 4]);
  });
});
