import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument } from "../../../shared/api";
import { addDec, mulDec, parseDec, toMinor } from "../../../shared/money";
import { loadRefs } from "../../../worker/qbo/refs";
import { deltas, expectedBooks, trialBalanceMap } from "../support/books";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * The sandbox's days start on 2026-10-01: 44 of them before the connection, so that the three unseen
 * days (November 14–16) hold a month's stocktake (the 15th), a supplier return and a transfer received.
 */
const DAYS = 44;
const AT = "2026-11-14T06:00:00Z";

/**
 * The books tie-out with all of inventory on (SPEC §4.5): three unseen trading days of a store whose
 * days carry supplier returns, stocktakes, stock adjustments and transfers, with a COGS and a default
 * shrinkage account mapped. The supplier returns sent, stocktakes completed and transfers received in
 * those days are sent as a click would, or post by themselves with the purchase orders' option (and
 * then so do the bills of the deliveries received those days, and nothing received before); the
 * adjustments post by themselves. Then every account's
 * change in QBO's trial balance equals the POS's own figures to the cent: the closures' and account
 * sales' as before; cost of goods sold; each return at its cost out of Inventory Asset with its input
 * tax reversed and A/P down; each stocktake's net and each adjustment (at the average the POS answered
 * when read) between Inventory Asset and shrinkage; nothing for transfers within one class.
 */
describe("books with every inventory document", () => {
  it.each([
    ["Quebec store (GST/QST)", "ca", "a click"],
    ["Australian store (GST, tax-inclusive)", "au", "a click"],
    ["Quebec store (GST/QST)", "ca", "themselves"],
    ["Australian store (GST, tax-inclusive)", "au", "themselves"],
  ] as const)(
    "every account ties out to the POS: %s (%s), sent by %s",
    {
      timeout: 420_000,
    },
    async (_label, store, mode) => {
      const stack = await createStack({ at: AT, days: DAYS, seed: 42, store, activity: "full", inventory: true });
      const refs = await loadRefs(stack.services(), stack.tenant);
      const cogs = refs.accounts.find(
        (a) => a.accountType === "Cost of Goods Sold" && /^cost of (goods sold|sales)$/i.test(a.name),
      )!;
      const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
      // shrinkage to an account of its own, none of the others mapped (shipping on bills is one)
      const taken = new Set<string>(Object.values(doc.mappings.accounts).filter((v): v is string => !!v));
      const shrink = refs.accounts.find(
        (a) => ["Cost of Goods Sold", "Expense"].includes(a.accountType) && a.id !== cogs.id && !taken.has(a.id),
      )!;
      const saved = await stack.api<MappingsDocument>("/api/mappings", {
        method: "PUT",
        body: {
          version: doc.version,
          mappings: {
            ...doc.mappings,
            accounts: { ...doc.mappings.accounts, cogs: cogs.id },
            // every reason to the default (the standard setup's suggestions may have named them)
            shrinkage: { default: shrink.id },
            // purchase orders, supplier returns, stocktakes and transfers posted by themselves
            options: { ...doc.mappings.options, autoSendPurchaseOrders: mode === "themselves" },
          },
        },
      });
      expect(saved.status).toBe(200);
      const mappings = saved.body.mappings;
      const before = trialBalanceMap(stack);
      const start = stack.now().toISOString();

      // what the three unseen days did: the consignments they moved on, the adjustments they recorded
      const inventoryState = () => stack.pos.store(stack.tenant).inventory;
      const statusBefore = new Map(Object.values(inventoryState().consignments).map((c) => [c.id, c.status]));
      const adjustedBefore = new Set(Object.keys(inventoryState().adjustments));
      const purchaseOrders = () => Object.values(stack.pos.store(stack.tenant).purchaseOrders);
      const deliveredBefore = new Set(purchaseOrders().flatMap((po) => po.deliveries.map((d) => d.id)));
      stack.pos.advanceDay(stack.tenant, 3);
      await stack.settle();
      stack.advance(3 * 24 * 3600 * 1000);

      const became = (type: string, status: string) =>
        Object.values(inventoryState().consignments).filter(
          (c) => c.type === type && c.status === status && statusBefore.get(c.id) !== status,
        );
      const returns = became("RETURN", "SENT");
      const stocktakes = became("STOCKTAKE", "STOCKTAKE_COMPLETE");
      const transfers = became("OUTLET", "RECEIVED");
      // by themselves, or sent to QBO as a click would
      const clicks: [string, string][] =
        mode === "themselves"
          ? []
          : [
              ...returns.map((c) => ["supplier_return", c.id] as [string, string]),
              ...stocktakes.map((c) => ["stocktake", c.id] as [string, string]),
              ...transfers.map((c) => ["stock_transfer", c.id] as [string, string]),
            ];
      for (const [kind, posId] of clicks) {
        const sent = await stack.api("/api/sync/send", { body: { kind, posId } });
        expect(sent.status, `${kind} ${posId}`).toBe(200);
      }
      await stack.settle();
      await stack.cron();
      await stack.cron(); // payments wait for their invoice in the first run

      const states = await stack
        .services()
        .db.prepare(
          "SELECT kind, pos_id, state, reason_detail FROM sync_items WHERE state NOT IN ('posted', 'not_applicable')",
        )
        .all();
      expect(states.results).toEqual([]);

      const expected = expectedBooks(stack, mappings, refs, start.slice(0, 10), start);
      const byAccount = new Map(expected.byAccount);
      const add = (id: string, minor: number) => byAccount.set(id, (byAccount.get(id) ?? 0) + minor);
      const inventory = mappings.accounts.inventoryAsset!;

      // cost of goods sold: each closure's and each account sale's
      let costMinor = 0;
      for (const id of expected.closures) costMinor += stack.pos.inventory.closureCogs(stack.tenant, id).minor;
      for (const id of expected.accountSales) costMinor += stack.pos.inventory.saleCogs(stack.tenant, id).minor;
      add(cogs.id, costMinor);
      add(inventory, -costMinor);

      // supplier returns: Inventory Asset down at cost, the input tax reversed, A/P down by both
      const named = (name: string) => refs.accounts.find((a) => a.name === name)!.id;
      const purchaseRates: [string, string][] =
        store === "ca"
          ? [
              [named("GST/HST Payable"), "0.05"],
              [named("QST Payable"), "0.09975"],
            ]
          : [[named("GST Payable"), "0.1"]];
      const ap =
        mappings.accounts.accountsPayable ?? refs.accounts.find((a) => a.accountType === "Accounts Payable")!.id;
      let returnedMinor = 0;
      let returnTaxMinor = 0;
      for (const c of returns) {
        const f = stack.pos.inventory.supplierReturnFigures(stack.tenant, c.id);
        returnedMinor += f.minor;
        add(inventory, -f.minor);
        add(ap, f.minor);
        for (const [account, rate] of purchaseRates) {
          const tax = toMinor(mulDec(parseDec(f.minor), parseDec(rate)), "half-up", 0);
          returnTaxMinor += tax;
          add(account, -tax);
          add(ap, tax);
        }
      }

      // by themselves, each delivery received becomes a bill: Inventory Asset up by the received cost (Σ received ×
      // cost price, rounded once), its costs to their account, the input tax claimed, A/P up by all of it
      const deliveries =
        mode === "themselves"
          ? purchaseOrders().flatMap((po) => po.deliveries.filter((d) => !deliveredBefore.has(d.id)))
          : [];
      let billedMinor = 0;
      let billTaxMinor = 0;
      for (const d of deliveries) {
        const exact = d.lines.reduce(
          (a, l) => addDec(a, mulDec(parseDec(l.received), parseDec(l.costPrice))),
          parseDec(0),
        );
        const received = toMinor(exact, "half-up");
        add(inventory, received);
        let net = received;
        for (const c of d.costs) {
          const minor = toMinor(parseDec(c.amount), "half-up");
          expect(c.type).toBe("SHIPPING");
          add(mappings.accounts.shipping!, minor);
          net += minor;
        }
        billedMinor += net;
        add(ap, -net);
        for (const [account, rate] of purchaseRates) {
          const tax = toMinor(mulDec(parseDec(net), parseDec(rate)), "half-up", 0);
          billTaxMinor += tax;
          add(account, tax);
          add(ap, -tax);
        }
      }

      // stocktakes: the net at cost between Inventory Asset and shrinkage
      let stocktakeMinor = 0;
      for (const c of stocktakes) stocktakeMinor += stack.pos.inventory.stocktakeFigures(stack.tenant, c.id).net.minor;
      add(inventory, stocktakeMinor);
      add(shrink.id, -stocktakeMinor);

      // adjustments of the three days: each at the average GET /inventory answered when read (SPEC §4.5)
      const adjustments = stack.pos.inventory
        .adjustmentFigures(stack.tenant)
        .adjustments.filter((a) => !adjustedBefore.has(a.id));
      const adjustedMinor = adjustments.reduce(
        (s, a) => s + toMinor(mulDec(parseDec(a.quantity), parseDec(a.currentAverage)), "half-up"),
        0,
      );
      const adjustedAtRecord = adjustments.reduce((s, a) => s + a.minor, 0);
      add(inventory, adjustedMinor);
      add(shrink.id, -adjustedMinor);

      // transfers within one class and one Inventory Asset account: nothing, but what was lost in transit
      let transferredMinor = 0;
      let lostMinor = 0;
      for (const c of transfers) {
        const f = stack.pos.inventory.transferFigures(stack.tenant, c.id);
        transferredMinor += f.received.minor;
        lostMinor += f.sent.minor - f.received.minor;
      }
      add(inventory, -lostMinor);
      add(shrink.id, lostMinor);
      console.log(
        JSON.stringify({
          store,
          mode,
          bills: deliveries.length,
          billedMinor,
          billTaxMinor,
          closures: expected.closures.length,
          accountSales: expected.accountSales.length,
          costMinor,
          returns: returns.length,
          returnedMinor,
          returnTaxMinor,
          stocktakes: stocktakes.length,
          stocktakeMinor,
          adjustments: adjustments.length,
          adjustedMinor,
          adjustedAtRecord,
          transfers: transfers.length,
          transferredMinor,
          lostMinor,
        }),
      );

      // the unseen days carried every kind of document this test is about
      expect(costMinor).toBeGreaterThan(0);
      expect(returns.length, "a supplier return sent").toBeGreaterThan(0);
      expect(stocktakes.length, "a stocktake completed").toBeGreaterThan(0);
      expect(adjustments.length, "stock adjustments recorded").toBeGreaterThan(0);
      if (Object.keys(stack.pos.store(stack.tenant).outlets).length > 1)
        expect(transfers.length, "a transfer received").toBeGreaterThan(0);

      const name = (id: string) => refs.accounts.find((a) => a.id === id)?.name ?? id;
      const show = (m: Map<string, number>) =>
        Object.fromEntries(
          [...m]
            .filter(([, v]) => v !== 0)
            .map(([k, v]) => [name(k), v])
            .sort(),
        );
      expect(show(deltas(before, trialBalanceMap(stack)))).toEqual(show(byAccount));
    },
  );
});
