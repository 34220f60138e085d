import { beforeAll, describe, expect, it } from "vitest";
import type { ResolveResponse } from "../../../shared/api";
import type { z } from "zod";
import type { PlannedDocument } from "../../../worker/sync/plan";
import { inOpenPeriod, requestIdIn } from "../../../worker/sync/engine";
import { dayAfter } from "../../../worker/sync/items";
import { createStack, type Stack } from "../support/stack";
import { closeARegister, readyClosures, status } from "../faults/support";

/**
 * The closed-period choice in detail: how documents are re-dated (the original date kept in the
 * PrivateNote), why the requestid changes with them, and what the resolve action answers for an
 * item that is not waiting on a closed period. (The whole path, 6210 to posted, is in ../faults/.)
 */
const doc = (
  part: string,
  date: string,
  note = `Tillbridge TAG | key k | part ${part} | closure c`,
): PlannedDocument => ({
  part,
  entity: "SalesReceipt",
  docNumber: `Z1-${part}`,
  requestId: `req-${part}`,
  marker: `Tillbridge TAG | key k | part ${part}`,
  body: { TxnDate: date, DocNumber: `Z1-${part}`, PrivateNote: note, Line: [] },
});

describe("posting in the first open day", () => {
  it("re-dates only documents dated before the open day, keeping the original date in the PrivateNote", () => {
    const [early, onTime] = inOpenPeriod([doc("sales", "2026-10-30"), doc("payments", "2026-11-02")], "2026-11-01");
    expect(early!.body.TxnDate).toBe("2026-11-01");
    expect(early!.body.PrivateNote).toBe(
      "Tillbridge TAG | key k | part sales | closure c | dated 2026-11-01, the first open day: originally 2026-10-30, in a closed period",
    );
    expect(String(early!.body.PrivateNote)).toContain(early!.marker); // still found by its marker after an ambiguous outcome
    expect(early!.docNumber).toBe("Z1-sales");
    expect(onTime!.body).toEqual(doc("payments", "2026-11-02").body);
    expect(inOpenPeriod([doc("sales", "2026-10-30")], null)[0]!.body.TxnDate).toBe("2026-10-30");
  });

  it("keeps a PrivateNote within QBO's 4000 characters", () => {
    const [long] = inOpenPeriod([doc("sales", "2026-10-30", `Tillbridge TAG | ${"x".repeat(3990)}`)], "2026-11-01");
    expect(String(long!.body.PrivateNote)).toHaveLength(4000);
    expect(String(long!.body.PrivateNote).startsWith("Tillbridge TAG | ")).toBe(true);
  });

  it("sends a changed document with a new requestid (QBO replays a requestid's first answer, refusals included)", () => {
    expect(requestIdIn("abc", 0)).toBe("abc");
    const one = requestIdIn("abc", 1);
    expect(one).toMatch(/^[0-9a-z]{32}$/);
    expect(requestIdIn("abc", 1)).toBe(one);
    expect(requestIdIn("abc", 2)).not.toBe(one);
    expect(dayAfter("2026-10-31")).toBe("2026-11-01");
    expect(dayAfter("2026-12-31")).toBe("2027-01-01");
    expect(dayAfter("2028-02-28")).toBe("2028-02-29");
  });
});

describe("POST /api/sync/resolve", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack({ days: 2 });
  }, 120_000);
  type Resolved = z.infer<typeof ResolveResponse>;
  const resolve = (posId: string) =>
    stack.api<Resolved | { error: { code: string } }>("/api/sync/resolve", {
      body: { kind: "closure", posId, action: "post_in_open_period" },
    });

  it("answers 404 for an object Tillbridge has not seen, 409 for one not waiting on a closed period, and posted for a posted one", {
    timeout: 60_000,
  }, async () => {
    expect((await resolve("no-such-closure")).status).toBe(404);
    const [ready] = await readyClosures(stack, 1);
    const notClosed = await resolve(ready!);
    expect(notClosed.status).toBe(409);
    expect((notClosed.body as { error: { code: string } }).error.code).toBe("conflict");
    const posted = await closeARegister(stack);
    const answer = await resolve(posted);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ object: { state: "posted" }, txnDate: null });
    const bad = await stack.api("/api/sync/resolve", { body: { kind: "closure", posId: posted, action: "ignore_it" } });
    expect(bad.status).toBe(400);
  });

  it("when the books opened meanwhile, the item simply posts with its own date", { timeout: 60_000 }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: "2026-12-31" });
    await stack.api("/api/mappings/options?reload=1");
    await stack.api("/api/sync/send", { body: { kind: "closure", posId: closureId } });
    await stack.settle();
    expect((await status(stack, "closure", closureId!)).reason?.code).toBe("closed_period");

    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: null });
    const answer = await resolve(closureId!);
    expect(answer.status).toBe(200);
    expect((answer.body as Resolved).txnDate).toBeNull();
    await stack.settle();
    expect((await status(stack, "closure", closureId!)).state).toBe("posted");
  });
});
