import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AttentionResponse, MappingsDocument } from "../../../shared/api";
import { blockersError } from "../../../worker/sync/runtime";
import { createStack, TENANT, type Stack } from "../support/stack";
import { expectPostedOnce, status } from "../faults/support";

/**
 * Issue 13 item 5: a blocked item keeps what its reason is about as data (sync_items.reason_about),
 * so the badge and "needs attention" word it in whole sentences of the asked language; the English
 * words stay in `detail` only.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => {
  stack.qbo.clearFaults();
  stack.pos.clearFaults();
});

const row = (posId: string) =>
  env.DB.prepare(
    "SELECT id, state, reason_code, reason_detail, reason_about FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure' AND pos_id = ?2 AND state != 'superseded' ORDER BY id DESC",
  )
    .bind(TENANT, posId)
    .first<{ id: number; state: string; reason_code: string; reason_detail: string; reason_about: string | null }>();

describe("a blocked closure's reason in the merchant's language", () => {
  it("an unmapped payment type: French status and attention name « Afterpay » in a French sentence; cleared once posted", {
    timeout: 90_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const pt = stack.pos.addPaymentType(TENANT, { name: "Afterpay", kind: "card" });
    const reg = Object.values(store.registers).find((r) => !r.isOpen)!;
    const product = Object.values(store.products).filter((p) => p.kind === "product")[1]!;
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    stack.pos.addSale(TENANT, {
      registerId: reg.id,
      lines: [{ productId: product.id, quantity: 1 }],
      payments: [{ paymentTypeId: pt.id }],
    });
    stack.pos.closeRegister(TENANT, reg.id);
    await stack.settle();
    await stack.cron();

    const about = [{ thing: "paymentTypes", name: "Afterpay" }];
    const stored = await row(closureId);
    expect(stored).toMatchObject({
      state: "blocked",
      reason_code: "needs_mapping",
      reason_detail: "payment type 'Afterpay'",
    });
    expect(JSON.parse(stored!.reason_about!)).toEqual(about);

    const fr = await status(stack, "closure", closureId, "fr");
    expect(fr.state).toBe("blocked");
    expect(fr.reason).toMatchObject({
      code: "needs_mapping",
      message: "Aucune correspondance n'est choisie pour le mode de paiement « Afterpay ».",
      detail: "payment type 'Afterpay'", // the English words, for "Details" only
      fixAt: "mappings",
      about,
    });
    expect(`${fr.reason!.message} ${fr.reason!.action}`).not.toMatch(/payment type/);
    const en = await status(stack, "closure", closureId, "en");
    expect(en.reason?.message).toBe("payment type 'Afterpay' is not mapped.");

    const attention = await stack.api<AttentionResponse>("/api/attention", { lang: "fr" });
    expect(attention.status).toBe(200);
    const listed = attention.body.items.find((i) => i.kind === "closure" && i.posId === closureId);
    expect(listed?.reason).toMatchObject({
      code: "needs_mapping",
      message: "Aucune correspondance n'est choisie pour le mode de paiement « Afterpay ».",
      about,
    });

    // a row written before the column (or holding something unreadable) is worded from its English detail
    await env.DB.prepare("UPDATE sync_items SET reason_about = ?2 WHERE id = ?1").bind(stored!.id, "{not json").run();
    const old = await status(stack, "closure", closureId, "fr");
    expect(old.reason?.message).toBe("Aucune correspondance n'est choisie pour payment type 'Afterpay'.");
    expect(old.reason).not.toHaveProperty("about");
    await env.DB.prepare("UPDATE sync_items SET reason_about = NULL WHERE id = ?1").bind(stored!.id).run();
    expect((await status(stack, "closure", closureId, "fr")).reason).not.toHaveProperty("about");

    // mapped like the other cards: posted by the next run, and the reason is gone with its data
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const card = Object.values(store.paymentTypes).find((p) => p.kind === "card" && p.id !== pt.id)!;
    const paymentTypes = { ...doc.mappings.paymentTypes, [pt.id]: doc.mappings.paymentTypes[card.id]! };
    const saved = await stack.api("/api/mappings", {
      method: "PUT",
      body: { version: doc.version, mappings: { ...doc.mappings, paymentTypes } },
    });
    expect(saved.status).toBe(200);
    await stack.settle();
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId);
    expect(await row(closureId)).toMatchObject({ state: "posted", reason_code: null, reason_about: null });
  });
});

describe("blockersError", () => {
  const mapping = { code: "needs_mapping" as const, detail: "the rounding item", mappingKey: "items.rounding" };
  it("carries every blocker's about when each has one", () => {
    const e = blockersError([
      { ...mapping, about: { thing: "items.rounding" } },
      {
        code: "needs_mapping",
        detail: "the discount item",
        mappingKey: "items.discount",
        about: { thing: "items.discount" },
      },
    ]);
    expect(e.extra).toEqual({
      mappingKey: "items.rounding",
      about: [{ thing: "items.rounding" }, { thing: "items.discount" }],
    });
    expect(e.detail).toBe("the rounding item (and 1 more: the discount item)");
  });
  it("carries none when one blocker has only English words, so no sentence drops it", () => {
    const e = blockersError([
      { ...mapping, about: { thing: "items.rounding" } },
      { code: "pos_payload_invalid", detail: "sale 1: a negative amount" },
    ]);
    expect(e.extra).toEqual({ mappingKey: "items.rounding" });
  });
});
