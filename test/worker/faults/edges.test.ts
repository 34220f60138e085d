import type { MappingsDocument } from "../../../shared/api";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStack, TENANT, type Stack } from "../support/stack";
import { expectPostedOnce, status } from "./support";

/**
 * The fault matrix, part 5: healing at the edges (issue 16). Each path ends posted, or blocked on
 * what a person must do, with no click and no manual reload, within two cron runs of the fix.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => {
  stack.qbo.clearFaults();
  stack.pos.clearFaults();
});

const products = () => Object.values(stack.pos.store(TENANT).products).filter((p) => p.kind === "product");
const closedRegister = () => Object.values(stack.pos.store(TENANT).registers).find((r) => !r.isOpen)!;

describe("fault matrix: healing at the edges", () => {
  it("a payment type added in the POS after connecting: blocked on its mapping, never rejected; posted once mapped", {
    timeout: 60_000,
  }, async () => {
    await stack.cron(); // the reference lists are cached from before the new payment type
    const pt = stack.pos.addPaymentType(TENANT, { name: "Afterpay (new today)", kind: "card" });
    const reg = closedRegister();
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    stack.pos.addSale(TENANT, {
      registerId: reg.id,
      lines: [{ productId: products()[1]!.id, quantity: 1 }],
      payments: [{ paymentTypeId: pt.id }],
    });
    stack.pos.closeRegister(TENANT, reg.id);
    await stack.settle();
    await stack.cron();

    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({ code: "needs_mapping", fixAt: "mappings" });
    expect(blocked.reason?.message).toContain("Afterpay (new today)");

    // the merchant maps it like the other cards: posted by the next run, no click on the closure
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const card = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "card" && p.id !== pt.id)!;
    const saved = await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: {
          ...doc.mappings,
          paymentTypes: { ...doc.mappings.paymentTypes, [pt.id]: doc.mappings.paymentTypes[card.id]! },
        },
      },
    });
    expect(saved.status).toBe(200);
    await stack.settle();
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId);
  });
});
