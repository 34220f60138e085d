import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { Routes } from "../../../shared/api";
import { getClosureRecord } from "../../../worker/db/closures";
import { createSession } from "../../../worker/db/sessions";
import { ensureTenant } from "../../../worker/db/tenants";
import { PosClient } from "../../../worker/pos/client";
import { loadClosure, pollRegisters } from "../../../worker/pos/ingest";
import { createPosHarness, forgetTenant, TENANT, type PosHarness } from "./harness";

/**
 * A closure whose webhook was lost: register polling finds it (discovered_via 'poll', counted
 * unknown), the extension posts the counted totals it read from the back office, and the closure
 * then loads with them — tying out to the sandbox's own figures.
 */

async function setUp() {
  const h = createPosHarness({ days: 2 });
  const { session } = await h.connect();
  const store = h.sandbox.store(TENANT);
  const register = Object.values(store.registers)[0]!;
  const product = Object.values(store.products).find((p) => p.kind === "product")!;
  const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
  const card = Object.values(store.paymentTypes).find((p) => p.kind === "card")!;
  const client = PosClient.forTenant(h.services, TENANT);
  await pollRegisters(h.services, TENANT, client); // first look: remembers the registers as they are
  return { h, session, register, product, cash, card, client };
}

/** Opens the register, sells, loses the closure webhook, closes with `counted`. */
async function tradeAndLoseWebhook(
  h: PosHarness,
  registerId: string,
  productId: string,
  cardId: string,
  counted: Record<string, string>,
  client: PosClient,
) {
  const opened = h.sandbox.openRegister(TENANT, registerId, "2026-11-02T13:00:00Z");
  await pollRegisters(h.services, TENANT, client); // sees it open (learns its sequence number)
  h.sandbox.addSale(TENANT, { registerId, at: "2026-11-02T14:00:00Z", lines: [{ productId, quantity: 2 }] });
  h.sandbox.addSale(TENANT, {
    registerId,
    at: "2026-11-02T15:00:00Z",
    lines: [{ productId }],
    payments: [{ paymentTypeId: cardId }],
  });
  await h.settle();
  h.sandbox.dropNextWebhooks(1);
  h.sandbox.closeRegister(TENANT, registerId, counted, "2026-11-02T22:00:00Z");
  await h.settle();
  return opened.id;
}

beforeEach(forgetTenant);

describe("a lost closure webhook", () => {
  it("is found by register polling, recorded with discovered_via poll and counted unknown", async () => {
    const { h, register, product, cash, card, client } = await setUp();
    const closureId = await tradeAndLoseWebhook(h, register.id, product.id, card.id, { [cash.id]: "5.00" }, client);
    expect(await getClosureRecord(env.DB, TENANT, closureId)).toBeNull();
    expect(h.sandbox.webhookDeliveries().some((d) => d.type === "register_closure.create" && d.dropped)).toBe(true);

    expect(await pollRegisters(h.services, TENANT, client)).toEqual([closureId]);
    const rec = (await getClosureRecord(env.DB, TENANT, closureId))!;
    const figures = h.sandbox.closureFigures(TENANT, closureId);
    expect(rec).toMatchObject({
      discoveredVia: "poll",
      countedSource: null,
      registerId: register.id,
      sequenceNumber: figures.sequenceNumber,
      openedAt: "2026-11-02T13:00:00Z",
      closedAt: "2026-11-02T22:00:00Z",
    });
    expect(rec.payments!.every((p) => p.countedMinor === null)).toBe(true);
    const closure = await loadClosure(h.services, TENANT, closureId, client);
    for (const p of figures.payments)
      expect(closure.payments.find((x) => x.paymentTypeId === p.paymentTypeId)).toMatchObject({
        expectedMinor: p.expectedMinor,
        countedMinor: null,
      });
    expect(closure.sales.map((s) => s.id).sort()).toEqual([...figures.sales.saleIds].sort());
    // polling again finds nothing new
    expect(await pollRegisters(h.services, TENANT, client)).toEqual([]);
  });

  it("is found even when the register reopened before Tillbridge looked (closed no later than the reopening)", async () => {
    const { h, register, product, cash, card, client } = await setUp();
    const closureId = await tradeAndLoseWebhook(h, register.id, product.id, card.id, { [cash.id]: "5.00" }, client);
    h.sandbox.openRegister(TENANT, register.id, "2026-11-03T13:00:00Z");
    expect(await pollRegisters(h.services, TENANT, client)).toEqual([closureId]);
    const rec = (await getClosureRecord(env.DB, TENANT, closureId))!;
    expect(rec).toMatchObject({
      discoveredVia: "poll",
      sequenceNumber: h.sandbox.closureFigures(TENANT, closureId).sequenceNumber,
      openedAt: "2026-11-02T13:00:00Z",
      closedAt: "2026-11-03T13:00:00Z",
      payments: null,
    });
  });

  it("takes the counted totals the extension read from the back office (names matched to payment types), once", async () => {
    const { h, session, register, product, cash, card, client } = await setUp();
    const closureId = await tradeAndLoseWebhook(
      h,
      register.id,
      product.id,
      card.id,
      { [cash.id]: "42.10", [card.id]: "12.00" },
      client,
    );
    await pollRegisters(h.services, TENANT, client);
    const figures = h.sandbox.closureFigures(TENANT, closureId);
    const counted = figures.payments.filter((p) => p.countedMinor !== null && p.countedMinor !== 0);
    expect(counted.length).toBeGreaterThanOrEqual(2);

    const body = {
      registerId: register.id,
      sequenceNumber: figures.sequenceNumber,
      payments: counted.map((p) => ({ name: ` ${p.name.toUpperCase()} `, countedMinor: p.countedMinor! })),
    };
    const res = await h.api(`/api/closures/${closureId}/counted`, session, { body });
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      accepted: boolean;
      countedSource: string;
      payments: { paymentTypeId: string; countedMinor: number | null }[];
    };
    expect(out).toMatchObject({ ok: true, counted: "backoffice", accepted: true, countedSource: "backoffice" });
    expect(Routes.counted.response.safeParse(out).success).toBe(true);
    await h.settle();
    expect(h.hookCalls.filter((c) => c.hook === "onCountedTotals").map((c) => c.args)).toEqual([[TENANT, closureId]]);

    const closure = await loadClosure(h.services, TENANT, closureId, client);
    for (const p of counted)
      expect(closure.payments.find((x) => x.paymentTypeId === p.paymentTypeId)).toMatchObject({
        expectedMinor: p.expectedMinor,
        countedMinor: p.countedMinor,
      });

    // a second reading never overwrites: the stored figures are the answer
    const again = await h.api(`/api/closures/${closureId}/counted`, session, {
      body: { payments: [{ paymentTypeId: cash.id, name: cash.name, countedMinor: 1 }] },
    });
    expect(await again.json()).toMatchObject({ ok: true, counted: "backoffice", accepted: false });
    expect(
      (await getClosureRecord(env.DB, TENANT, closureId))!.payments!.find((p) => p.paymentTypeId === cash.id)!
        .countedMinor,
    ).toBe(4210);
  });

  it("polls the registers once when the back office shows a closure Tillbridge has not found yet", async () => {
    const { h, session, register, product, cash, card, client } = await setUp();
    const closureId = await tradeAndLoseWebhook(h, register.id, product.id, card.id, { [cash.id]: "7.00" }, client);
    expect(await getClosureRecord(env.DB, TENANT, closureId)).toBeNull();
    const res = await h.api(`/api/closures/${closureId}/counted`, session, {
      body: { payments: [{ name: cash.name, countedMinor: 700 }] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, accepted: true });
    expect(await getClosureRecord(env.DB, TENANT, closureId)).toMatchObject({
      discoveredVia: "poll",
      countedSource: "backoffice",
    });
  });

  it("answers what is stored for a closure whose webhook came (webhook figures are never overwritten)", async () => {
    const { h, session, register, product, cash, card, client } = await setUp();
    h.sandbox.openRegister(TENANT, register.id, "2026-11-02T13:00:00Z");
    h.sandbox.addSale(TENANT, {
      registerId: register.id,
      at: "2026-11-02T14:00:00Z",
      lines: [{ productId: product.id }],
      payments: [{ paymentTypeId: card.id }],
    });
    const closed = h.sandbox.closeRegister(TENANT, register.id, { [cash.id]: "0.00" }, "2026-11-02T22:00:00Z");
    await h.settle();
    expect(await pollRegisters(h.services, TENANT, client)).toEqual([]);
    const res = await h.api(`/api/closures/${closed.id}/counted`, session, {
      body: { payments: [{ paymentTypeId: cash.id, name: "Cash", countedMinor: 999 }] },
    });
    expect(await res.json()).toMatchObject({ ok: true, counted: "webhook", accepted: false });
    expect(
      (await getClosureRecord(env.DB, TENANT, closed.id))!.payments!.find((p) => p.paymentTypeId === cash.id)!
        .countedMinor,
    ).toBe(0);
  });

  it("refuses unknown closures (404), other stores' closures (404), unknown names and mismatched registers", async () => {
    const { h, session, register, product, cash, card, client } = await setUp();
    const closureId = await tradeAndLoseWebhook(h, register.id, product.id, card.id, { [cash.id]: "1.00" }, client);
    await pollRegisters(h.services, TENANT, client);
    const payments = [{ name: "Cash", countedMinor: 100 }];
    expect((await h.api(`/api/closures/nope/counted`, session, { body: { payments } })).status).toBe(404);
    await ensureTenant(env.DB, "other-shop", "Other", h.now());
    const foreign = (await createSession(env.DB, "other-shop", "x", h.now())).token;
    expect((await h.api(`/api/closures/${closureId}/counted`, foreign, { body: { payments } })).status).toBe(404);
    const unknown = await h.api(`/api/closures/${closureId}/counted`, session, {
      body: { payments: [{ name: "Bitcoin", countedMinor: 1 }] },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      "payments.0.name": 'no payment type is named "Bitcoin"',
    });
    const wrongRegister = await h.api(`/api/closures/${closureId}/counted`, session, {
      body: { registerId: "another-register", payments },
    });
    expect(wrongRegister.status).toBe(409);
    const invalid = await h.api(`/api/closures/${closureId}/counted`, session, { body: { payments: [] } });
    expect(invalid.status).toBe(400);
    expect((await getClosureRecord(env.DB, TENANT, closureId))!.countedSource).toBeNull();
  });
});
