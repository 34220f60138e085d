import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MappingsDocument, PreviewResponse, ResolveResponse } from "../../../shared/api";
import type { z } from "zod";
import { postNow } from "../../../worker/sync/now";
import { createStack, TENANT, type Stack } from "../support/stack";
import {
  auditActions,
  closeARegister,
  docs,
  expectPostedOnce,
  item,
  later,
  qboDocsOf,
  readyClosures,
  status,
} from "./support";

/**
 * The fault matrix, part 5: QBO refuses for a reason a person owns. A closed period (caught before
 * sending when Tillbridge knows the closing date, refused by QBO with 6210 when it does not yet),
 * and a mapping that disappears — inactive in QBO halfway through a posting, or removed from
 * Tillbridge's settings. Each waits visibly, then ends with each document exactly once.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => {
  stack.qbo.clearFaults();
  stack.qbo.setPreferences(stack.realmId, { BookCloseDate: null });
});

type QboState = {
  realms: Record<string, { entities: Record<string, Record<string, { Active?: boolean; SyncToken: string }>> }>;
};
function setActive(entity: string, id: string, active: boolean) {
  const state = JSON.parse(stack.qbo.exportState()) as QboState;
  const record = state.realms[stack.realmId]!.entities[entity]![id]!;
  record.Active = active;
  record.SyncToken = String(Number(record.SyncToken) + 1);
  stack.qbo.importState(JSON.stringify(state));
}
const mappings = async () => (await stack.api<MappingsDocument>("/api/mappings")).body;
const saveMappings = async (doc: MappingsDocument) => {
  const res = await stack.api<MappingsDocument>("/api/mappings", {
    method: "PUT",
    body: { version: doc.version, mappings: doc.mappings },
  });
  expect(res.status).toBe(200);
  await stack.settle();
};
const txnDateOf = async (posId: string) =>
  (await stack.api<PreviewResponse>(`/api/preview?kind=closure&posId=${posId}`)).body.txnDate!;
const salesWrites = () =>
  stack.qbo.requestLog(stack.realmId).filter((l) => l.write && l.entity?.toLowerCase() === "salesreceipt").length;
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe("fault matrix: QBO refuses for a reason a person owns", () => {
  it("closed period QBO knows and Tillbridge did not (6210): blocked with a choice; 'post in the first open day' posts it once, re-dated", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const date = await txnDateOf(closureId!);
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: date }); // the cached reference data still says open
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");

    const blocked = await status(stack, "closure", closureId!);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({
      code: "closed_period",
      message: `The books are closed on ${date} in QuickBooks Online.`,
      fixAt: "closures",
    });
    expect(blocked.reason?.action).toBe(
      "Move the closing date in QuickBooks Online, or choose to post into the first open day.",
    );
    expect(qboDocsOf(stack, "closure", closureId!)).toEqual([]);
    await later(stack, 5); // nothing changes by itself while the books stay closed
    expect((await status(stack, "closure", closureId!)).state).toBe("blocked");

    const chosen = await stack.api<z.infer<typeof ResolveResponse>>("/api/sync/resolve", {
      body: { kind: "closure", posId: closureId, action: "post_in_open_period" },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.txnDate).toBe(dayAfter(date));
    await stack.settle();
    expect(await txnDateOf(closureId!)).toBe(dayAfter(date)); // the preview shows the documents as they were sent

    await expectPostedOnce(stack, "closure", closureId!);
    expect((await status(stack, "closure", closureId!)).openDay).toBe(dayAfter(date)); // the green badge says so
    for (const { doc } of qboDocsOf(stack, "closure", closureId!)) {
      expect(doc.TxnDate).toBe(dayAfter(date));
      expect(doc.PrivateNote).toContain(
        `dated ${dayAfter(date)}, the first open day: originally ${date}, in a closed period`,
      );
    }
    expect(await auditActions("closure", closureId!)).toContain("resolve");
  });

  it("closed period Tillbridge knows: blocked before anything is sent, and healed when the closing date moves earlier", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const date = await txnDateOf(closureId!);
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: date });
    await stack.api("/api/mappings/options?reload=1"); // the options page's "Reload QuickBooks options"
    const writes = salesWrites();
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");

    expect((await status(stack, "closure", closureId!)).reason?.code).toBe("closed_period");
    expect(salesWrites()).toBe(writes);

    // the bookkeeper moves the closing date back; no event reaches Tillbridge, the cron re-reads it
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: "2026-09-30" });
    await later(stack, 20);
    await expectPostedOnce(stack, "closure", closureId!);
    for (const { doc } of qboDocsOf(stack, "closure", closureId!)) expect(doc.TxnDate).toBe(date);
  });

  it("mapping removed mid-run (an account made inactive in QBO): the first document stays, the second waits, then heals with the fix", {
    timeout: 60_000,
  }, async () => {
    const doc = await mappings();
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const cashMapping = doc.mappings.paymentTypes[cash.id];
    if (cashMapping?.role !== "deposit") throw new Error("cash is mapped to a deposit account by the standard setup");
    setActive("Account", cashMapping.accountId, false);
    const closureId = await closeARegister(stack);

    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason?.code).toBe("qbo_invalid_reference");
    expect(blocked.reason?.message).toMatch(
      /^Something mapped is inactive or deleted in QuickBooks Online: .*inactive/,
    );
    expect(blocked.reason?.fixAt).toBe("mappings");
    expect(blocked.docs.map((d) => d.part)).toEqual(["sales"]);
    expect(qboDocsOf(stack, "closure", closureId).map((d) => d.part)).toEqual(["sales"]);

    // the merchant reactivates it in QBO and saves the settings: no click on the closure
    setActive("Account", cashMapping.accountId, true);
    await saveMappings(await mappings());
    await expectPostedOnce(stack, "closure", closureId);
    expect((await auditActions("closure", closureId)).filter((a) => a === "post")).toHaveLength(2);
  });

  it("mapping removed from the settings: blocked naming it, and posted by itself once it is mapped again", {
    timeout: 60_000,
  }, async () => {
    const doc = await mappings();
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const { [cash.id]: cashMapping, ...others } = doc.mappings.paymentTypes;
    await saveMappings({ ...doc, mappings: { ...doc.mappings, paymentTypes: others } });
    const closureId = await closeARegister(stack);

    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason?.code).toBe("needs_mapping");
    expect(blocked.reason?.message).toMatch(/payment type 'Cash'.* is not mapped\.$/);
    expect(blocked.reason?.action).toBe("Map it in Tillbridge settings; this will then be sent by itself.");
    expect(qboDocsOf(stack, "closure", closureId)).toEqual([]);

    const now = await mappings();
    await saveMappings({
      ...now,
      mappings: { ...now.mappings, paymentTypes: { ...now.mappings.paymentTypes, [cash.id]: cashMapping! } },
    });
    await expectPostedOnce(stack, "closure", closureId);
    expect(docs(stack, "JournalEntry").length).toBeGreaterThan(0);
  });
});
