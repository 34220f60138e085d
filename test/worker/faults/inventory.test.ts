import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { loadRefs } from "../../../worker/qbo/refs";
import { createStack, TENANT, type Stack } from "../support/stack";
import { auditActions, closeARegister, expectPostedOnce, later, qboDocsOf, status } from "./support";

/**
 * The fault matrix, inventory documents (SPEC §4.5): a VendorCredit, a closure's cost-of-goods-sold
 * journal and a stocktake's shrinkage journal each meet QBO committing the create and then timing
 * out. Each fails with a next try, and once the retry comes QBO holds exactly one document per part
 * (0 duplicates, 0 lost): the committed ones adopted, not sent again.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ inventory: true, days: 20 });
  const refs = await loadRefs(stack.services(), stack.tenant);
  const cogs = refs.accounts.find((a) => a.accountType === "Cost of Goods Sold" && a.name === "Cost of Goods Sold")!;
  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const saved = await stack.api("/api/mappings", {
    method: "PUT",
    body: {
      version: doc.version,
      mappings: {
        ...doc.mappings,
        accounts: { ...doc.mappings.accounts, cogs: cogs.id },
        shrinkage: { default: cogs.id },
      },
    },
  });
  expect(saved.status).toBe(200);
}, 120_000);
afterEach(() => stack.qbo.clearFaults());

const consignment = (type: string, status: string) =>
  Object.values(stack.pos.store(TENANT).inventory.consignments).find((c) => c.type === type && c.status === status)!;

describe("fault matrix: the inventory documents", () => {
  it("a supplier return's VendorCredit committed then timed out: adopted, one credit", {
    timeout: 60_000,
  }, async () => {
    const sent = consignment("RETURN", "SENT");
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "VendorCredit", operation: "create" },
      kind: "commitThenTimeout",
    });
    await stack.api("/api/sync/send", { body: { kind: "supplier_return", posId: sent.id } });
    await stack.settle();
    expect((await status(stack, "supplier_return", sent.id)).state).toBe("failed");
    expect(qboDocsOf(stack, "supplier_return", sent.id)).toHaveLength(1);
    await later(stack);
    await expectPostedOnce(stack, "supplier_return", sent.id);
    expect((await auditActions("supplier_return", sent.id)).filter((a) => a === "adopt")).toHaveLength(1);
  });

  it("a closure's journals (payments, then cost of goods sold) each committed then timed out: one of each", {
    timeout: 90_000,
  }, async () => {
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "JournalEntry", operation: "create" },
      kind: "commitThenTimeout",
      count: 2,
    });
    const closureId = await closeARegister(stack);
    expect((await status(stack, "closure", closureId)).state).toBe("failed");
    await later(stack);
    await later(stack);
    const st = await expectPostedOnce(stack, "closure", closureId);
    expect(st.docs.map((d) => d.part).sort()).toEqual(["cogs", "payments", "sales"]);
    expect((await auditActions("closure", closureId)).filter((a) => a === "adopt")).toHaveLength(2);
  });

  it("a stocktake's journal committed then timed out: adopted, one journal", { timeout: 60_000 }, async () => {
    const done = consignment("STOCKTAKE", "STOCKTAKE_COMPLETE");
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "JournalEntry", operation: "create" },
      kind: "commitThenTimeout",
    });
    await stack.api("/api/sync/send", { body: { kind: "stocktake", posId: done.id } });
    await stack.settle();
    expect((await status(stack, "stocktake", done.id)).state).toBe("failed");
    await later(stack);
    await expectPostedOnce(stack, "stocktake", done.id);
    expect((await auditActions("stocktake", done.id)).filter((a) => a === "adopt")).toHaveLength(1);
  });
});
