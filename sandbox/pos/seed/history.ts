import { formatDec } from "../../../shared/money";
import { issueStoreCredit, loadGiftCard, newGiftCardNumber } from "../ops/liabilities";
import { createPurchaseOrder } from "../ops/purchasing";
import { dec } from "../pricing";
import { rngOf } from "../store";
import { addDays, isoZ, localToUtc } from "../time";
import type { ProductRec, ScheduledReceipt, StoreState } from "../types";

/**
 * What a store already had before its first generated trading day: gift cards bought last year (two
 * of which expire during the trading window), a customer's store credit, and supplier purchase orders
 * sent and waiting, with the days they will be received on. Also picks the special days.
 */

export function seedHistory(store: StoreState): void {
  const rng = rngOf(store);
  const { startDate } = store.trading;
  const tz = store.retailer.timezone;
  const at = (dayOffset: number, minutes: number) => isoZ(localToUtc(addDays(startDate, dayOffset), minutes, tz));
  const admin = store.users[0]!.id;

  // Gift cards sold before the window. The two with an expiry expire on days 8 and 20 (local midnight);
  // the generator never redeems cards that carry an expiry, so they still hold a balance then.
  const cards: [number, number | null][] = [
    [5000, 8],
    [10000, 20],
    [2500, null],
    [7500, null],
  ];
  for (const [amount, expiryDay] of cards) {
    loadGiftCard(
      store,
      newGiftCardNumber(store),
      amount,
      at(-300 + rng.int(0, 60), 15 * 60),
      null,
      admin,
      expiryDay === null ? null : at(expiryDay, 0),
    );
  }

  // A customer holding store credit from a goodwill gesture before the window.
  const customers = Object.values(store.customers).filter((c) => c.companyName === null);
  issueStoreCredit(store, customers[4 % customers.length]!.id, 4000, at(-10, 14 * 60), null, "Goodwill credit", admin);

  seedPurchaseOrders(store, at);

  // The plan does not depend on how many days get generated: seeding N days and then advancing one
  // gives exactly the store seeded with N + 1 days. Events past the window happen when trading gets there.
  const registers = Object.values(store.registers);
  store.trading.plan = {
    netNegative:
      store.config.profile === "ca"
        ? { dayIndex: rng.int(9, 14), registerId: registers[registers.length - 1]!.id }
        : null,
    afterMidnight: { dayIndex: rng.int(3, 7), registerId: registers[0]!.id },
    manualCreditDays: [4, 17],
    voidDay: 2,
    deletedTypeDay: 1,
  };
  if (store.config.activity === "full") seedFullHistory(store);
}

/**
 * Full activity: loyalty members' balances earned before the window, and the days of the rarer SPEC §4
 * events (late voids, returns on account, cancelled laybys — laybys are made on days 4, 10, 16, …).
 */
function seedFullHistory(store: StoreState): void {
  const rng = rngOf(store);
  for (const c of Object.values(store.customers)) {
    if (!c.loyalty) continue;
    const opening = rng.pick([0, 450, 800, 1250, 2000, 3500]);
    if (opening > 0) c.loyaltyOpening = opening;
  }
  store.trading.plan.full = {
    lateVoidDays: [6, 19],
    accountReturnDays: [12, 24],
    cancelledLaybys: [
      { dayIndex: 4, after: 5, refund: "register" },
      { dayIndex: 10, after: 6, refund: "store_credit" },
    ],
  };
  store.trading.events = store.trading.plan.full.accountReturnDays.map((d) => ({
    date: addDays(store.trading.startDate, d),
    kind: "accountReturn" as const,
    saleId: null,
  }));
}

type At = (dayOffset: number, minutes: number) => string;

function productsOfSupplier(store: StoreState, supplierId: string): ProductRec[] {
  return Object.values(store.products).filter((p) => p.kind === "product" && p.supplierId === supplierId);
}

function seedPurchaseOrders(store: StoreState, at: At): void {
  const rng = rngOf(store);
  const global = store.config.profile === "au" || store.config.profile === "uk";
  const suppliers = Object.values(store.suppliers);
  const outlets = Object.values(store.outlets);
  const receipts: ScheduledReceipt[] = [];
  const order = (supplierIndex: number, outletIndex: number, nLines: number, createdDay: number) => {
    const supplier = suppliers[supplierIndex % suppliers.length]!;
    const products = rng.shuffle(productsOfSupplier(store, supplier.id)).slice(0, nLines);
    return createPurchaseOrder(store, {
      supplierId: supplier.id,
      outletId: outlets[outletIndex % outlets.length]!.id,
      at: at(createdDay, 11 * 60),
      dueAt: at(createdDay + 14, 12 * 60),
      notes: global ? `Restock ${supplier.name}` : `Réassort ${supplier.name}`,
      lines: products.map((p) => ({
        productId: p.id,
        quantity: String(rng.int(4, 24)),
        costPrice: formatDec(dec(p.supplyPrice), 2),
      })),
    });
  };
  const receiveOn = (dayIndex: number, po: { id: string }, rest: Partial<ScheduledReceipt> = {}) => {
    receipts.push({
      date: addDays(store.trading.startDate, dayIndex),
      purchaseOrderId: po.id,
      lines: null,
      costs: [],
      discounts: [],
      supplierInvoice: null,
      ...rest,
    });
  };

  const full = order(0, 0, 5, -12);
  receiveOn(3, full, { supplierInvoice: "INV-20931" });

  const partial = order(1, outlets.length - 1, 4, -9);
  const firstHalf = partial.lines.map((l): [string, string] => [
    l.productId,
    String(Math.ceil(Number(l.quantity) / 2)),
  ]);
  receiveOn(5, partial, { lines: firstHalf, supplierInvoice: "FL-7781" });
  receiveOn(12, partial, { supplierInvoice: "FL-7792" });

  const charged = order(2, 0, 4, -6);
  receiveOn(8, charged, {
    supplierInvoice: "MB-2026-118",
    costs: [
      { type: "SHIPPING", amount: "45.00" },
      { type: "DUTIES", amount: "12.35" },
    ],
    discounts: [{ type: "DISCOUNT", amount: "20.00" }],
  });

  const later = order(3, outlets.length - 1, 3, -3);
  receiveOn(15, later, { supplierInvoice: null });

  order(0, 0, 3, -1); // sent, not received within the window
  store.trading.receipts = receipts;
}
