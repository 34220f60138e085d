import { env } from "cloudflare:workers";
import { afterEach, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * SPEC §4.2 through the QBO sandbox: a charge type the POS adds later ("we reserve the right to add
 * others") is not refused; the closure waits on a mapping for it, then posts by itself once mapped.
 */
it("a closure with a charge type the POS added later waits for its mapping, then posts", {
  timeout: 180_000,
}, async () => {
  const stack = await createStack({ store: "au", activity: "full", days: 2 });
  const store = stack.pos.store(stack.tenant);
  const reg = Object.values(store.registers).find((r) => !r.isOpen)!;
  const product = Object.values(store.products).filter((p) => p.kind === "product")[3]!;
  const closureId = stack.pos.openRegister(stack.tenant, reg.id).id;
  const sold = stack.pos.addSale(stack.tenant, {
    registerId: reg.id,
    lines: [{ productId: product.id, quantity: 1 }],
    customCharges: [{ name: "Service charge", amount: "5.50" }],
  });
  // the POS reports the charge under a type Tillbridge has never seen
  for (const a of store.sales[sold.id]!.adjustments ?? []) (a as { type: string }).type = "SERVICE_CHARGE";
  stack.pos.closeRegister(stack.tenant, reg.id);
  await stack.settle();
  await stack.cron();

  const item = () =>
    env.DB.prepare("SELECT state, reason_code, reason_detail FROM sync_items WHERE kind = 'closure' AND pos_id = ?1")
      .bind(closureId)
      .first<{ state: string; reason_code: string | null; reason_detail: string | null }>();
  expect(await item()).toEqual({
    state: "blocked",
    reason_code: "needs_mapping",
    reason_detail: "the POS charge type 'SERVICE_CHARGE'",
  });

  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const adjustmentTypes = { SERVICE_CHARGE: doc.mappings.items.surcharge! };
  const saved = await stack.api("/api/mappings", {
    method: "PUT",
    body: { version: doc.version, mappings: { ...doc.mappings, adjustmentTypes } },
  });
  expect(saved.status).toBe(200);
  await stack.settle();
  await stack.cron();
  expect((await item())!.state).toBe("posted");

  const figures = stack.pos.closureFigures(stack.tenant, closureId);
  const charged = figures.sales.charges.reduce((s, c) => s + c.amountMinor, 0);
  const receipts = stack.qbo.entities(stack.realmId, "SalesReceipt") as {
    Line: { Description?: string; Amount: number }[];
  }[];
  const lines = receipts.flatMap((r) => r.Line).filter((l) => l.Description?.startsWith("Charges – SERVICE_CHARGE"));
  expect(lines.reduce((s, l) => s + Math.round(l.Amount * 100), 0)).toBe(charged);
  expect(charged).toBe(500); // 5.50 including 10 % GST
});
