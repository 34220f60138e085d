import type { DriftResponse, MappingsDocument, PreviewResponse, UnmappedResponse } from "../../../shared/api";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStack, TENANT, type Stack } from "../support/stack";
import { getConnection } from "../../../worker/db/connections";
import { postNow } from "../../../worker/sync/now";
import { closeARegister, expectPostedOnce, item, qboDocsOf, readyClosures, status } from "./support";

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
  stack.qbo.setClosingDate(stack.realmId, null);
});

/** QBO reads (metered) this realm has answered so far */
const qboReads = () => stack.qbo.requestLog(stack.realmId).filter((l) => !l.write).length;
const txnDateOf = async (posId: string) =>
  (await stack.api<PreviewResponse>(`/api/preview?kind=closure&posId=${posId}`)).body.txnDate!;

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

  it("an account made inactive in QBO, then reactivated there: blocked, then posted by the cron with no click and no reload", {
    timeout: 60_000,
  }, async () => {
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const cashMapping = doc.mappings.paymentTypes[cash.id];
    if (cashMapping?.role !== "deposit") throw new Error("cash is mapped to a deposit account by the standard setup");
    stack.qbo.setActive(stack.realmId, "Account", cashMapping.accountId, false);
    const closureId = await closeARegister(stack);
    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason?.code).toBe("qbo_invalid_reference");

    await stack.cron(); // nothing changed in QBO: it stays blocked, and nothing more is sent
    expect((await status(stack, "closure", closureId)).state).toBe("blocked");

    stack.qbo.setActive(stack.realmId, "Account", cashMapping.accountId, true);
    const reads = qboReads();
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId);
    // one Change Data Capture read brought the cache up to date (a reload would be nine)
    expect(
      stack.qbo
        .requestLog(stack.realmId)
        .slice(-50)
        .filter((l) => !l.write && /\/cdc/.test(l.path ?? "")).length,
    ).toBeGreaterThan(0);
    expect(qboReads() - reads).toBeLessThan(9);
  });

  it("books closed in QBO and cached as closed, then reopened there: posted by the next cron run, not 15 minutes later", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const date = await txnDateOf(closureId!);
    stack.qbo.setClosingDate(stack.realmId, date);
    await stack.api("/api/mappings/options?reload=1"); // the cache knows the books are closed
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test");
    const st = await status(stack, "closure", closureId!);
    expect(st.reason?.code, JSON.stringify(st)).toBe("closed_period");

    stack.qbo.setClosingDate(stack.realmId, null);
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId!);
    for (const { doc } of qboDocsOf(stack, "closure", closureId!)) expect(doc.TxnDate).toBe(date);
  });

  it("a retry clicked after the closing date moved in QBO re-reads it and sends (the cache said closed)", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const date = await txnDateOf(closureId!);
    stack.qbo.setClosingDate(stack.realmId, date);
    await postNow(stack.services(), TENANT, (await item(stack, "closure", closureId!))!, "test"); // QBO refuses (6210)
    expect((await status(stack, "closure", closureId!)).reason?.code).toBe("closed_period");

    stack.qbo.setClosingDate(stack.realmId, null);
    const retried = await stack.api("/api/sync/retry", { body: { kind: "closure", posId: closureId } });
    expect(retried.status).toBe(200);
    await stack.settle();
    await expectPostedOnce(stack, "closure", closureId!);
  });

  it("a sale the POS sends without complete_open_sequence_id, paid wholly in the closure: counted there, posted", {
    timeout: 60_000,
  }, async () => {
    const reg = closedRegister();
    const closureId = stack.pos.openRegister(TENANT, reg.id).id;
    const sale = stack.pos.addSale(TENANT, {
      registerId: reg.id,
      lines: [{ productId: products()[2]!.id, quantity: 2 }],
      omitSequenceId: true,
    });
    stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: products()[3]!.id, quantity: 1 }] });
    stack.pos.closeRegister(TENANT, reg.id);
    await stack.settle();
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId);
    expect(stack.pos.store(TENANT).sales[sale.id]!.omitSequenceId).toBe(true); // the POS left it out
  });

  it("a closure webhook for a closure that closed before the connection: history, left to a backfill like polling leaves it", {
    timeout: 60_000,
  }, async () => {
    const reg = closedRegister();
    const connectedAt = Date.parse((await getConnection(env.DB, TENANT, "pos"))!.connected_at!);
    const ago = (minutes: number) => new Date(connectedAt - minutes * 60_000);
    const closureId = stack.pos.openRegister(TENANT, reg.id, ago(120)).id;
    stack.pos.addSale(TENANT, {
      registerId: reg.id,
      lines: [{ productId: products()[4]!.id, quantity: 1 }],
      at: ago(90).toISOString(),
    });
    stack.pos.closeRegister(TENANT, reg.id, undefined, ago(60)); // its webhook arrives now
    await stack.settle();
    await stack.cron();
    expect(await item(stack, "closure", closureId)).toBeNull();
    expect(qboDocsOf(stack, "closure", closureId)).toEqual([]);
    // the announced figures are kept for the backfill
    expect(
      await env.DB.prepare("SELECT discovered_via FROM closures WHERE tenant_id = ?1 AND id = ?2")
        .bind(TENANT, closureId)
        .first(),
    ).toEqual({ discovered_via: "webhook" });
  });

  it("the unmapped list leaves out categories nothing posts through (only gift cards or the discount in them)", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const giftCards = stack.pos.addCategory(TENANT, { name: "Gift Cards" });
    const discounts = stack.pos.addCategory(TENANT, { name: "Discounts" });
    const candles = stack.pos.addCategory(TENANT, { name: "Candles" });
    for (const p of Object.values(store.products)) {
      if (p.kind === "gift_card") p.categoryId = giftCards.id;
      if (p.kind === "discount") p.categoryId = discounts.id;
    }
    stack.pos.addProduct(TENANT, { name: "Beeswax candle", price: "12.00", categoryId: candles.id });
    await stack.api("/api/mappings/options?reload=1"); // the new categories are in the POS's lists

    const res = await stack.api<UnmappedResponse>("/api/mappings/unmapped");
    expect(res.status).toBe(200);
    const keys = res.body.missing.map((m) => m.mappingKey);
    expect(keys).toContain(`categories.${candles.id}`);
    expect(keys).not.toContain(`categories.${giftCards.id}`);
    expect(keys).not.toContain(`categories.${discounts.id}`);
  });

  it("preview of a closure Tillbridge has not read yet: looks at the POS first; still open, it says so (not 'deleted')", {
    timeout: 60_000,
  }, async () => {
    const store = stack.pos.store(TENANT);
    const reg = closedRegister();
    const hooks = Object.values(store.webhooks);
    for (const h of hooks) h.active = false; // every webhook lost
    try {
      const closureId = stack.pos.openRegister(TENANT, reg.id).id;
      const open = await stack.api<{ error: { code: string; message: string } }>(
        `/api/preview?kind=closure&posId=${closureId}`,
        { lang: "fr" },
      );
      expect(open.status).toBe(404);
      expect(open.body.error.code).toBe("pos_not_read_yet");
      expect(open.body.error.message).toBe(
        `Tillbridge n'a pas encore lu cet objet du Retail POS (closure ${closureId}).`,
      );

      stack.pos.addSale(TENANT, { registerId: reg.id, lines: [{ productId: products()[6]!.id, quantity: 1 }] });
      stack.pos.closeRegister(TENANT, reg.id);
      // shown on the page right after it closed: the preview reads it from the POS, no cron run needed
      const closed = await stack.api<PreviewResponse>(`/api/preview?kind=closure&posId=${closureId}`);
      expect(closed.status).toBe(200);
      expect(closed.body.blockers.map((b) => b.code)).toEqual(["needs_counted_totals"]);
    } finally {
      for (const h of hooks) h.active = true;
    }
  });

  it("'check now' on a badge reads that object's documents at once: a receipt deleted in QBO turns its badge", {
    timeout: 60_000,
  }, async () => {
    const closureId = await closeARegister(stack);
    await expectPostedOnce(stack, "closure", closureId);
    const receipt = qboDocsOf(stack, "closure", closureId).find((d) => d.part === "sales")!;
    stack.qbo.changeDocument(stack.realmId, receipt.entity, receipt.doc.Id, "delete");
    const reads = qboReads();

    const checked = await stack.api<DriftResponse>("/api/reports/drift/check", {
      body: { scope: "object", kind: "closure", posId: closureId },
    });
    expect(checked.status).toBe(200);
    expect(checked.body.documents.filter((d) => d.posId === closureId)).toEqual([
      expect.objectContaining({ kind: "closure", posId: closureId, part: "sales", status: "deleted" }),
    ]);
    expect(qboReads() - reads).toBeLessThanOrEqual(2); // one query per entity of that object's documents
    const st = await status(stack, "closure", closureId);
    expect(st.notes?.join(" ")).toMatch(/deleted/i);

    const bad = await stack.api("/api/reports/drift/check", { body: { scope: "object", kind: "closure" } });
    expect(bad.status).toBe(400);
  });

  it("Intuit's webhook (verifier-signed) for an account reactivated in QBO posts what waited on it, before any cron run", {
    timeout: 60_000,
  }, async () => {
    stack.qbo.setWebhook({
      url: "http://127.0.0.1:8787/webhooks/qbo",
      verifierToken: env.QBO_WEBHOOK_VERIFIER!,
      deliver: (url, init) => stack.request(new URL(url).pathname, init),
      retryDelaysMs: [],
    });
    try {
      const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
      const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
      const cashMapping = doc.mappings.paymentTypes[cash.id];
      if (cashMapping?.role !== "deposit") throw new Error("cash is mapped to a deposit account by the standard setup");
      stack.qbo.setActive(stack.realmId, "Account", cashMapping.accountId, false);
      await stack.qbo.flushWebhooks();
      await stack.settle();
      const closureId = await closeARegister(stack);
      expect((await status(stack, "closure", closureId)).reason?.code).toBe("qbo_invalid_reference");

      stack.qbo.setActive(stack.realmId, "Account", cashMapping.accountId, true);
      await stack.qbo.flushWebhooks();
      await stack.settle();
      await expectPostedOnce(stack, "closure", closureId); // no cron run, no click
      expect(stack.qbo.webhookDeliveries().every((d) => d.status === 200)).toBe(true);

      // a notification not signed with the verifier token is refused, and changes nothing
      const forged = await stack.request("/webhooks/qbo", {
        method: "POST",
        headers: { "content-type": "application/json", "intuit-signature": "bm90IGl0" },
        body: JSON.stringify({ eventNotifications: [] }),
      });
      expect(forged.status).toBe(401);
    } finally {
      stack.qbo.setWebhook(undefined);
    }
  });
});
