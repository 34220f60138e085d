import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { PurchaseOrderReceipt } from "../../../shared/domain/pos";
import { addDec, mulDec, parseDec, toMinor } from "../../../shared/money";
import { getCursor } from "../../../worker/db/cursors";
import { PosClient } from "../../../worker/pos/client";
import { loadSale } from "../../../worker/pos/ingest";
import {
  listGiftCardExpiries,
  listStoreCreditIssues,
  loadPurchaseOrderReceipts,
  syncPurchaseOrders,
} from "../../../worker/pos/orders";
import { createPosConnector } from "../../../worker/pos/port";
import type { PosPort } from "../../../worker/pos/port";
import { createPosHarness, forgetTenant, TENANT } from "./harness";

/** Purchase orders, gift-card expiries, manual store credit and single sales, read from the sandbox. */

beforeEach(forgetTenant);

const cents = (text: string) => toMinor(parseDec(text), "half-up");

describe("purchase orders", () => {
  it("makes one receipt per received delivery, tying to the sandbox's own records", async () => {
    const h = createPosHarness({ days: 30 });
    await h.connect();
    const client = PosClient.forTenant(h.services, TENANT);
    const changed = await syncPurchaseOrders(h.services, TENANT, client);
    const store = h.sandbox.store(TENANT);
    expect(changed.map((c) => c.id).sort()).toEqual(Object.keys(store.purchaseOrders).sort());
    expect(await getCursor(env.DB, TENANT, "purchase_orders")).not.toBeNull();

    const received = Object.values(store.purchaseOrders).filter((p) => p.deliveries.length > 0);
    expect(received.length).toBeGreaterThan(0);
    for (const po of received) {
      const receipts = await loadPurchaseOrderReceipts(h.services, TENANT, po.id, client);
      expect(receipts.map((r) => r.deliveryId)).toEqual(po.deliveries.map((d) => d.id));
      receipts.forEach((r, i) => {
        const d = po.deliveries[i]!;
        expect(PurchaseOrderReceipt.parse(r)).toEqual(r);
        expect(r.supplier.id).toBe(po.supplierId);
        expect(r.orderNumber).toBe(po.orderNumber);
        expect(r.lines.reduce((a, l) => a + l.totalMinor, 0)).toBe(r.linesTotalMinor);
        const exact = d.lines.reduce(
          (a, l) => addDec(a, mulDec(parseDec(l.received), parseDec(l.costPrice))),
          parseDec(0),
        );
        expect(r.linesTotalMinor).toBe(toMinor(exact, "half-up"));
        expect(r.costs).toEqual(d.costs.map((c) => ({ type: c.type, amountMinor: cents(c.amount) })));
        expect(r.discounts).toEqual(d.discounts.map((c) => ({ type: c.type, amountMinor: cents(c.amount) })));
      });
    }
    const open = Object.values(store.purchaseOrders).find((p) => p.deliveries.length === 0);
    if (open) expect(await loadPurchaseOrderReceipts(h.services, TENANT, open.id, client)).toEqual([]);
  });

  it("a partial receipt posts only what that delivery received", async () => {
    const h = createPosHarness({ days: 30 });
    await h.connect();
    const store = h.sandbox.store(TENANT);
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT" && p.lines.length >= 2)!;
    const [first] = po.lines;
    h.sandbox.receivePurchaseOrder(TENANT, po.id, {
      lines: [{ productId: first!.productId, quantity: "1" }],
      costs: [{ type: "SHIPPING", amount: "12.50" }],
      supplierInvoice: "INV-PART-1",
    });
    const receipts = await loadPurchaseOrderReceipts(h.services, TENANT, po.id);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      supplierInvoice: "INV-PART-1",
      costs: [{ type: "SHIPPING", amountMinor: 1250 }],
      discounts: [],
    });
    expect(receipts[0]!.lines.map((l) => [l.productId, l.receivedQuantity])).toEqual([[first!.productId, "1"]]);
  });
});

describe("gift cards, store credit, single sales", () => {
  it("lists EXPIRING gift-card transactions and manual store-credit issues (not those from returns)", async () => {
    const h = createPosHarness({ days: 30 });
    await h.connect();
    const store = h.sandbox.store(TENANT);
    const card = Object.values(store.giftCards).find((g) => g.status === "ACTIVE")!;
    h.sandbox.expireGiftCard(TENANT, card.number, "2026-11-02T05:00:00Z");
    const customer = Object.values(store.customers)[0]!;
    h.sandbox.issueStoreCredit(TENANT, customer.id, "15.00", "goodwill", "2026-11-02T15:00:00Z");

    const expiries = await listGiftCardExpiries(h.services, TENANT);
    const mine = expiries.find((e) => e.giftCardNumber === card.number)!;
    expect(mine).toMatchObject({
      giftCardId: card.id,
      occurredAt: "2026-11-02T05:00:00Z",
      timeZone: store.retailer.timezone,
    });
    expect(mine.amountMinor).toBeGreaterThan(0);

    const issues = await listStoreCreditIssues(h.services, TENANT);
    const expected = Object.values(store.storeCredits).flatMap((r) =>
      r.transactions.filter((t) => t.type === "ISSUE" && t.saleId === null).map((t) => t.id),
    );
    expect(issues.map((i) => i.transactionId).sort()).toEqual(expected.sort());
    expect(issues.find((i) => i.notes === "goodwill")).toMatchObject({
      amountMinor: 1500,
      customer: { id: customer.id },
    });
    const fromReturns = Object.values(store.storeCredits).flatMap((r) =>
      r.transactions.filter((t) => t.type === "ISSUE" && t.saleId !== null),
    );
    expect(fromReturns.length).toBeGreaterThan(0);
  });

  it("loads one on-account sale fresh, with its customer", async () => {
    const h = createPosHarness({ days: 30 });
    await h.connect();
    const raw = Object.values(h.sandbox.store(TENANT).sales).find(
      (s) => s.attributes.includes("onaccount") && s.customerId,
    )!;
    const sale = await loadSale(h.services, TENANT, raw.id);
    expect(sale).toMatchObject({
      id: raw.id,
      kind: "on_account",
      totalMinor: raw.totalPrice + raw.totalTax,
      customer: { id: raw.customerId },
    });
  });
});

describe("the connector as the sync engine's PosPort", () => {
  it("discovers changes since the cursors, then loads what the engine asks for", async () => {
    const h = createPosHarness({ days: 3 });
    await h.connect();
    const connector = createPosConnector(h.services, TENANT);
    const port: PosPort = connector;
    const store = h.sandbox.store(TENANT);

    const first = await connector.discover();
    expect(first.sales).toHaveLength(Object.keys(store.sales).length);
    const account = first.sales.filter((x) => x.kind === "on_account" || x.kind === "layby");
    expect(account.length).toBeGreaterThan(0);
    expect(first.purchaseOrders.length).toBe(Object.keys(store.purchaseOrders).length);
    expect(first.closures).toEqual([]);
    const again = await connector.discover();
    expect(again).toEqual({ closures: [], sales: [], purchaseOrders: [] });

    const card = Object.values(store.giftCards).find((g) => g.status === "ACTIVE")!;
    h.sandbox.expireGiftCard(TENANT, card.number, "2026-11-02T05:00:00Z");
    const txn = store.giftCards[card.id]!.transactions.find((t) => t.type === "EXPIRING")!;
    expect(await port.loadGiftCardExpiry(txn.id)).toMatchObject({ transactionId: txn.id, giftCardNumber: card.number });
    await expect(port.loadStoreCreditIssue("no-such-transaction")).rejects.toMatchObject({ code: "pos_not_found" });
    const lists = await port.referenceLists();
    expect(lists.paymentTypes.length).toBe(Object.keys(store.paymentTypes).length);
    const sale = await port.loadSale(account[0]!.id);
    expect(sale.kind).toBe(account[0]!.kind);
  });
});
