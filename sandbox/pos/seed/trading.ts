import { formatMinor } from "../../../shared/money";
import { expireGiftCard, giftCardBalance, issueStoreCredit } from "../ops/liabilities";
import { receivePurchaseOrder } from "../ops/purchasing";
import { closeRegister, expectedBySequence, openRegister } from "../ops/registers";
import { returnSale } from "../ops/returns";
import { addSale, payOnAccount, quoteSale, saleBalance, voidSale } from "../ops/sales";
import { rngOf, type Ctx } from "../store";
import { addDays, isoClassic, localDate, localToUtc } from "../time";
import type { Prng } from "../prng";
import type { RegisterRec, SaleRec, StoreState } from "../types";
import { inventoryDay } from "./inventory";
import { activeTypes, planPayments, planRefund, randomLines, typeOfKind } from "./sale-gen";
import { afterLayby, fullSaleExtras, isFull, planFullDay } from "./activity";

/**
 * One generated trading day: cards that expire, every register opened in the morning, a day of sales,
 * returns, account payments and stock receipts in time order across registers, and every register
 * closed in the evening with counted totals (cash sometimes over, sometimes short). The day's special
 * events (net-negative closure, after-midnight close, void, manual store credit) come from the plan.
 */

interface Event {
  minute: number;
  order: number;
  run: (at: string) => void;
}

interface Hours {
  register: RegisterRec;
  open: number;
  close: number;
}

export function tradeDay(ctx: Ctx): void {
  const { store } = ctx;
  const rng = rngOf(store);
  const date = store.trading.nextDate;
  const day = store.trading.dayIndex;
  const tz = store.retailer.timezone;
  const plan = store.trading.plan;
  const when = (minute: number) => isoClassic(new Date(localToUtc(date, minute, tz).getTime() + rng.int(0, 59) * 1000));

  for (const card of Object.values(store.giftCards)) {
    if (
      card.status === "ACTIVE" &&
      card.expiresAt &&
      localDate(card.expiresAt, tz) === date &&
      giftCardBalance(card) > 0
    ) {
      expireGiftCard(ctx, card.number, new Date(card.expiresAt));
    }
  }

  const outlets = Object.keys(store.outlets);
  const hours: Hours[] = Object.values(store.registers).map((register) => {
    const main = register.outletId === outlets[0];
    const open = (main ? 9 * 60 : 10 * 60) + rng.int(0, 15);
    let close = (main ? 21 * 60 : 18 * 60) + rng.int(0, 25);
    if (plan.afterMidnight?.dayIndex === day && plan.afterMidnight.registerId === register.id) close = 24 * 60 + 35;
    return { register, open, close };
  });
  for (const h of hours) openRegister(ctx, h.register.id, new Date(localToUtc(date, h.open, tz)));

  const events: Event[] = [];
  const add = (minute: number, run: Event["run"]) => events.push({ minute, order: events.length, run });
  const users = store.users.slice(1);

  for (const h of hours) {
    const r = h.register.id;
    const last = Math.min(h.close, 24 * 60) - 10;
    const netNegative = plan.netNegative?.dayIndex === day && plan.netNegative.registerId === r;
    const sales = netNegative ? 2 : h.register.outletId === outlets[0] ? rng.int(14, 22) : rng.int(8, 14);
    for (let i = 0; i < sales; i++) {
      const minute = netNegative ? h.open + 10 + i * 20 : rng.int(h.open + 5, last);
      const forceDeleted = day === plan.deletedTypeDay && h === hours[0] && i === 0;
      add(minute, (at) => regularSale(ctx, rng, r, at, rng.pick(users).id, forceDeleted, netNegative));
    }
    if (h.close > 24 * 60) add(24 * 60 + 10, (at) => regularSale(ctx, rng, r, at, rng.pick(users).id, false, false));
    if (netNegative) {
      for (let i = 0; i < 8; i++) add(h.open + 90 + i * 25, (at) => bigReturn(ctx, rng, r, at));
    } else {
      const returns = rng.chance(0.6) ? rng.int(1, 2) : 0;
      for (let i = 0; i < returns; i++) add(rng.int(h.open + 30, last), (at) => randomReturn(ctx, rng, r, at));
    }
  }

  const pickHours = () => rng.pick(hours);
  if (day % 3 === 1) {
    const h = pickHours();
    add(rng.int(h.open + 20, h.open + 240), (at) => accountSale(ctx, rng, h.register.id, at, "onaccount"));
  }
  if (day % 6 === 4) {
    const h = pickHours();
    add(rng.int(h.open + 20, h.open + 240), (at) => {
      const layby = accountSale(ctx, rng, h.register.id, at, "layby");
      if (isFull(store)) afterLayby(store, layby, day);
    });
  }
  if (day % 7 === 3) {
    const h = pickHours();
    add(rng.int(h.open + 20, h.open + 200), (at) => {
      const parked = addSale(ctx, {
        registerId: h.register.id,
        at,
        kind: "parked",
        lines: randomLines(store, rng, { max: 2 }),
      });
      if (rng.chance(0.5)) voidSale(ctx, parked.id, new Date(Date.parse(at) + 30 * 60_000));
    });
  }
  if (day === plan.voidDay) {
    const h = hours[0]!;
    add(h.open + 60, (at) => {
      const card = typeOfKind(store, "card", at);
      const sale = addSale(ctx, {
        registerId: h.register.id,
        at,
        lines: randomLines(store, rng, { max: 2 }),
        payments: [{ paymentTypeId: card.id }],
      });
      voidSale(ctx, sale.id, new Date(Date.parse(at) + 5 * 60_000));
    });
  }
  if (plan.manualCreditDays.includes(day)) {
    add(14 * 60, (at) => {
      const people = Object.values(store.customers).filter((c) => c.companyName === null);
      issueStoreCredit(
        store,
        rng.pick(people).id,
        rng.pick([1500, 2500]),
        at,
        null,
        store.config.profile === "ca" || store.config.profile === "us" ? "Geste commercial" : "Goodwill gesture",
        store.users[0]!.id,
      );
    });
  }
  for (const due of store.trading.scheduled.filter((s) => s.date === date)) {
    const h = pickHours();
    add(rng.int(h.open + 15, Math.min(h.close, 24 * 60) - 15), (at) => {
      const sale = store.sales[due.saleId];
      if (sale?.state !== "pending") return;
      const balance = saleBalance(sale, store);
      const amount = due.amount === null ? balance : Math.min(due.amount, balance);
      const type = activeTypes(store, [due.paymentKind], at)[0] ?? typeOfKind(store, "card", at);
      payOnAccount(ctx, sale.id, {
        registerId: h.register.id,
        at,
        payments: [{ paymentTypeId: type.id, amount: formatMinor(amount) }],
      });
    });
  }
  store.trading.scheduled = store.trading.scheduled.filter((s) => s.date !== date);
  for (const receipt of store.trading.receipts.filter((x) => x.date === date)) {
    add(11 * 60, (at) =>
      receivePurchaseOrder(ctx, receipt.purchaseOrderId, {
        at,
        lines: receipt.lines?.map(([productId, quantity]) => ({ productId, quantity })),
        costs: receipt.costs,
        discounts: receipt.discounts,
        supplierInvoice: receipt.supplierInvoice,
      }),
    );
  }
  store.trading.receipts = store.trading.receipts.filter((x) => x.date !== date);
  if (store.inventory.enabled) for (const e of inventoryDay(ctx, date, day, hours)) add(e.minute, e.run);

  if (isFull(store)) {
    const registers = hours.map((h) => ({ id: h.register.id, open: h.open, close: h.close }));
    planFullDay(ctx, rng, { date, day, registers, add });
  }
  events.sort((a, b) => a.minute - b.minute || a.order - b.order);
  for (const e of events) e.run(when(e.minute));

  for (const h of [...hours].sort((a, b) => a.close - b.close)) {
    const seqId = h.register.openSequenceId!;
    const cash = typeOfKind(store, "cash", date);
    const expectedCash = expectedBySequence(store, seqId).get(cash.id) ?? 0;
    const step = store.config.cashRounding ? 5 : 1;
    const off =
      rng.weighted([
        [0, 70],
        [1, 15],
        [-1, 15],
      ] as const) *
      rng.int(1, 100) *
      step;
    closeRegister(
      ctx,
      h.register.id,
      { [cash.id]: formatMinor(expectedCash + off) },
      new Date(localToUtc(date, h.close, tz)),
    );
  }

  store.trading.nextDate = addDays(date, 1);
  store.trading.dayIndex = day + 1;
}

function regularSale(
  ctx: Ctx,
  rng: Prng,
  registerId: string,
  at: string,
  userId: string,
  forceDeleted: boolean,
  small: boolean,
): void {
  const { store } = ctx;
  const lines = randomLines(store, rng, small ? { max: 1, discounts: false } : {});
  const customers = Object.values(store.customers);
  const customerId = rng.chance(0.3) ? rng.pick(customers).id : null;
  if (!small && rng.chance(0.04)) {
    const reload = Object.values(store.giftCards).filter(
      (g) => g.saleId !== null && (g.status === "ACTIVE" || g.status === "REDEEMED"),
    );
    const giftCardNumber = reload.length > 0 && rng.chance(0.3) ? rng.pick(reload).number : undefined;
    lines.push({
      productId: store.retailer.giftCardProductId,
      unitPrice: rng.pick(["25.00", "50.00", "75.00", "100.00"]),
      ...(giftCardNumber ? { giftCardNumber } : {}),
    });
  }
  const saleDiscountPercent = !small && rng.chance(0.07) ? rng.pick(["5", "10", "15"]) : undefined;
  const due = quoteSale(store, { lines, saleDiscountPercent }).total;
  const force = forceDeleted ? activeTypes(store, ["other"], at)[0] : undefined;
  const payments = planPayments(store, rng, due, { customerId, at, force });
  const spec = { registerId, at, userId, customerId, lines, saleDiscountPercent, payments };
  addSale(ctx, isFull(store) ? fullSaleExtras(store, rng, spec, due) : spec);
}

function accountSale(ctx: Ctx, rng: Prng, registerId: string, at: string, kind: "onaccount" | "layby"): SaleRec {
  const { store } = ctx;
  const eligible = Object.values(store.customers).filter((c) => kind === "layby" || c.onAccountLimit !== null);
  const customer = rng.pick(eligible);
  const lines = randomLines(store, rng, { min: 2, max: 4, discounts: false });
  const due = quoteSale(store, { lines }).total;
  const deposit = kind === "layby" ? Math.max(1000, Math.floor((due * 0.25) / 100) * 100) : 0;
  const payments =
    deposit > 0 && deposit < due
      ? [{ paymentTypeId: rng.pick(activeTypes(store, ["cash", "card"], at)).id, amount: formatMinor(deposit) }]
      : [];
  const sale = addSale(ctx, { registerId, at, customerId: customer.id, kind, lines, payments });
  const today = localDate(at, store.retailer.timezone);
  const kindOfPayment = () => rng.pick(["card", "integrated"] as const);
  if (kind === "onaccount" && rng.chance(0.5)) {
    const first = Math.floor((due * 0.4) / 100) * 100;
    store.trading.scheduled.push({
      date: addDays(today, rng.int(1, 4)),
      saleId: sale.id,
      amount: first,
      paymentKind: kindOfPayment(),
    });
    store.trading.scheduled.push({
      date: addDays(today, rng.int(5, 11)),
      saleId: sale.id,
      amount: null,
      paymentKind: kindOfPayment(),
    });
  } else {
    store.trading.scheduled.push({
      date: addDays(today, rng.int(2, 9)),
      saleId: sale.id,
      amount: null,
      paymentKind: kindOfPayment(),
    });
  }
  return sale;
}

/** A completed regular sale from before `at`, returned at most once in the demo data. */
function returnable(store: StoreState, at: string): SaleRec[] {
  return Object.values(store.sales).filter(
    (s) =>
      s.state === "closed" &&
      s.attributes.length === 0 &&
      s.returnFor === null &&
      s.returnSaleIds.length === 0 &&
      s.date < at &&
      s.lines.some((l) => l.kind === "product") &&
      !s.lines.some((l) => l.kind === "gift_card"),
  );
}

function randomReturn(ctx: Ctx, rng: Prng, registerId: string, at: string): void {
  const { store } = ctx;
  const candidates = returnable(store, at);
  if (candidates.length === 0) return;
  const original = rng.pick(candidates);
  const productLines = original.lines.filter((l) => l.kind === "product" && !l.voided);
  const lines = rng.chance(0.6) ? undefined : [{ lineId: rng.pick(productLines).id, quantity: "1" }];
  returnSale(ctx, original.id, { registerId, at, lines, refunds: planRefund(store, rng, original, at) });
}

/** Net-negative day: return the biggest earlier sales, refunded in cash or to card, until refunds dominate. */
function bigReturn(ctx: Ctx, rng: Prng, registerId: string, at: string): void {
  const { store } = ctx;
  const seqId = store.registers[registerId]!.openSequenceId!;
  const net = [...expectedBySequence(store, seqId).values()].reduce((s, v) => s + v, 0);
  if (net < -5000) return;
  const biggest = returnable(store, at).sort(
    (a, b) => b.totalPrice + b.totalTax - (a.totalPrice + a.totalTax) || (a.id < b.id ? -1 : 1),
  )[0];
  if (!biggest) return;
  returnSale(ctx, biggest.id, { registerId, at, refunds: planRefund(store, rng, biggest, at, false) });
}
