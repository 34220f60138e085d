import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultKind } from "../../../sandbox/qbo/index";
import { createStack, type Stack } from "../support/stack";
import { auditActions, expectPostedOnce, later, qboDocsOf, readyClosures, status } from "./support";

/**
 * The fault matrix, part 5: postings in flight together, their creates sent as one QBO batch. Three
 * closures are due at once, the cron posts them side by side, and the batch carrying their sales
 * documents meets the fault. Each case: 0 duplicates and 0 lost — every closure ends with exactly
 * one document per part — and an ambiguous batch is resolved by looking each document up by its
 * DocNumber and marker before anything is sent again.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => stack.qbo.clearFaults());

const logFrom = () => stack.qbo.requestLog(stack.realmId).length;
const batchesSince = (from: number) =>
  stack.qbo
    .requestLog(stack.realmId)
    .slice(from)
    .filter((r) => r.operation === "batch");
const postsOf = async (posId: string) =>
  (await auditActions("closure", posId)).filter((a) => a === "post" || a === "adopt");

/** The sales documents' DocNumbers were asked of QBO (the look-up before any re-send). */
function lookedUp(from: number, ids: string[]): void {
  const queries = stack.qbo
    .requestLog(stack.realmId)
    .slice(from)
    .filter((r) => r.operation === "query")
    .map((r) => r.query ?? "");
  for (const id of ids) {
    const sales = qboDocsOf(stack, "closure", id).find((d) => d.part === "sales")!;
    expect(sales.doc.DocNumber, `closure ${id} sales DocNumber`).toBeTruthy();
    expect(
      queries.some((q) => q.includes(sales.doc.DocNumber!)),
      `closure ${id}: its sales document looked up by DocNumber`,
    ).toBe(true);
  }
}

const AMBIGUOUS: [string, FaultKind, "not recorded" | "recorded"][] = [
  ["a batch timing out before QBO commits", "timeoutBeforeCommit", "not recorded"],
  ["a batch timing out after QBO commits", "commitThenTimeout", "recorded"],
  ["a batch answered with HTTP 503", "http503", "not recorded"],
];

describe("fault matrix: creates sent as one batch", () => {
  it.each(AMBIGUOUS)(
    "%s: every item failed with an unknown outcome, looked up, then exactly one document per part",
    { timeout: 90_000 },
    async (_label, kind, committed) => {
      const ids = await readyClosures(stack, 3);
      stack.qbo.injectFault({ realm: stack.realmId, match: { operation: "batch" }, kind });
      const from = logFrom();
      await stack.cron();

      const batches = batchesSince(from);
      expect(batches.length, "the sales documents went as one batch").toBeGreaterThan(0);
      expect(batches[0]!.status).not.toBe(200);
      for (const id of ids) {
        const failed = await status(stack, "closure", id);
        expect(failed.state).toBe("failed");
        expect(failed.reason?.code).toBe("qbo_transient");
        expect(failed.reason?.message).toMatch(/did not answer properly/);
        const sales = qboDocsOf(stack, "closure", id).filter((d) => d.part === "sales");
        expect(sales).toHaveLength(committed === "recorded" ? 1 : 0);
      }

      const retry = logFrom();
      await later(stack);
      for (const id of ids) {
        await expectPostedOnce(stack, "closure", id);
        const actions = await postsOf(id);
        expect(actions.filter((a) => a === "adopt")).toHaveLength(committed === "recorded" ? 1 : 0);
      }
      lookedUp(retry, ids);
    },
  );

  it("one item refused inside a batch: the others post, the refused one shows QBO's reason", {
    timeout: 90_000,
  }, async () => {
    const ids = await readyClosures(stack, 3);
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "SalesReceipt", operation: "create", inBatch: true },
      kind: "fault",
      fault: {
        status: 400,
        code: "6000",
        message: "A business validation error has occurred while processing your request",
        detail: "Business Validation Error: a test refusal of one batch item",
      },
    });
    const from = logFrom();
    await stack.cron();
    expect(batchesSince(from).filter((b) => b.status === 200).length).toBeGreaterThan(0);

    const states = await Promise.all(ids.map((id) => status(stack, "closure", id)));
    const refused = states.filter((s) => s.state !== "posted");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.state).toBe("rejected");
    expect(refused[0]!.reason?.code).toBe("qbo_validation");
    expect(refused[0]!.reason?.message).toMatch(/a test refusal of one batch item/);
    for (const [i, id] of ids.entries()) {
      if (states[i]!.state === "posted") await expectPostedOnce(stack, "closure", id);
      else expect(qboDocsOf(stack, "closure", id).filter((d) => d.part === "sales")).toEqual([]);
    }
  });

  it("a 429 on a batch: every item waits, nothing is looked up, then exactly one document per part", {
    timeout: 90_000,
  }, async () => {
    const ids = await readyClosures(stack, 3);
    stack.qbo.injectFault({ realm: stack.realmId, match: { operation: "batch" }, kind: "throttle" });
    const from = logFrom();
    const report = await stack.cron();
    expect(batchesSince(from)[0]!.status).toBe(429);
    for (const id of ids) {
      const st = await status(stack, "closure", id);
      expect(st.state).toBe("failed");
      expect(st.reason?.code).toBe("qbo_throttled");
      expect(Date.parse(st.nextTryAt!)).toBeGreaterThan(stack.now().getTime());
    }
    // backed off: the run stopped posting for this company after the 429
    expect(report.attempted).toBe(3);

    const retry = logFrom();
    await later(stack);
    for (const id of ids) {
      await expectPostedOnce(stack, "closure", id);
      expect((await postsOf(id)).filter((a) => a === "adopt")).toEqual([]);
    }
    const lookups = stack.qbo
      .requestLog(stack.realmId)
      .slice(retry)
      .filter((r) => r.operation === "query" && r.entity === "SalesReceipt" && !/where Id in/i.test(r.query ?? ""));
    expect(lookups).toEqual([]);
  });
});
