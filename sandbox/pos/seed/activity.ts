import { formatMinor } from "../../../shared/money";
import { isLoyaltyMember, loyaltyBalance } from "../ops/loyalty";
import { cancelLayby } from "../ops/layby";
import { returnSale } from "../ops/returns";
import { addSale, saleBalance, voidSale, type SaleLineSpec, type SaleSpec } from "../ops/sales";
import type { PaymentSpec } from "../ops/settle";
import type { Prng } from "../prng";
import type { Ctx } from "../store";
import { addDays, localDate } from "../time";
import type { SaleLineRec, SaleRec, StoreProfile, StoreState } from "../types";
import { activeTypes, randomLines, typeOfKind } from "./sale-gen";

/**
 * SPEC §4's activity in the generated days (`activity: "full"`): tips, card surcharges and non-cash
 * fees where the country allows them, Loyalty redemptions, voided sales and lines, exchanges,
 * e-commerce orders with custom charges, sales whose `complete_open_sequence_id` the API leaves out,
 * and the rarer events of the plan (late voids, returns on account, cancelled laybys). Everything draws
 * from the store's seeded stream, and nothing here runs for a classic store.
 */

export const isFull = (store: StoreState) => store.config.activity === "full";

interface CardRules {
  /** Chance of a tip on a Lightspeed Payments sale. */
  tip: number;
  /** Payment types always surcharged (their surcharge setting), and the LS Pay share (credit cards). */
  surcharge: { types: string[]; lspayShare: number; businessOnly: boolean; percent: string; rule: string } | null;
  /** A non-cash adjustment on card payments (US cash-discount programmes). */
  fee: { types: string[]; percent: string } | null;
}

/**
 * Australia lets merchants surcharge card payments (up to the cost of acceptance); the UK bans
 * surcharges on consumer cards (only commercial cards may be); Québec forbids them; US stores run
 * non-cash adjustments. Tips come through Lightspeed Payments' terminals.
 */
const RULES: Record<StoreProfile, CardRules> = {
  au: {
    tip: 0.22,
    surcharge: {
      types: ["Credit Card"],
      lspayShare: 0.3,
      businessOnly: false,
      percent: "1.5",
      rule: "Credit card 1.5%",
    },
    fee: null,
  },
  uk: {
    tip: 0.22,
    surcharge: { types: [], lspayShare: 0.5, businessOnly: true, percent: "1.5", rule: "Commercial card 1.5%" },
    fee: null,
  },
  ca: { tip: 0.1, surcharge: null, fee: null },
  us: { tip: 0.12, surcharge: null, fee: { types: ["Credit Card"], percent: "3" } },
};

/** A tip: a round sum or a share of the bill. */
function tipFor(rng: Prng, due: number): string {
  const pick = rng.pick(["2.00", "5.00", "10", "15", "20"]);
  if (pick.includes(".")) return pick;
  return formatMinor(Math.max(100, Math.round((due * Number(pick)) / 100)));
}

/** Card charges, a loyalty redemption, a voided line, a hidden sequence id: a regular sale's extras. */
export function fullSaleExtras(store: StoreState, rng: Prng, spec: SaleSpec, due: number): SaleSpec {
  const out: SaleSpec = { ...spec, lines: [...spec.lines] };
  if (rng.chance(0.04)) {
    const extra = randomLines(store, rng, { max: 1, discounts: false })[0]!;
    out.lines.splice(rng.int(0, out.lines.length), 0, { ...extra, voided: true });
  }
  let payments = [...(spec.payments ?? [])];
  const last = payments[payments.length - 1];
  const lastType = last ? store.paymentTypes[last.paymentTypeId] : undefined;
  const plain = payments.length === 1 && last?.amount === undefined && lastType !== undefined;
  const customerId = spec.customerId ?? null;
  if (plain && isLoyaltyMember(store, customerId) && due >= 1000 && rng.chance(0.45)) {
    const balance = loyaltyBalance(store, customerId!);
    const use = Math.min(balance, due - 500);
    if (use >= 100)
      payments = [{ paymentTypeId: typeOfKind(store, "loyalty", spec.at!).id, amount: formatMinor(use) }, ...payments];
  }
  if (plain && last && lastType)
    payments[payments.length - 1] = cardCharges(store, rng, last, lastType.kind, lastType.name, due, customerId);
  out.payments = payments;
  if (rng.chance(0.025)) out.omitSequenceId = true;
  return out;
}

function cardCharges(
  store: StoreState,
  rng: Prng,
  payment: PaymentSpec,
  kind: string,
  name: string,
  due: number,
  customerId: string | null,
): PaymentSpec {
  const rules = RULES[store.config.profile];
  const out: PaymentSpec = { ...payment };
  const business = customerId !== null && store.customers[customerId]?.companyName !== null;
  if (kind === "integrated" && rng.chance(rules.tip)) out.tip = tipFor(rng, due);
  const s = rules.surcharge;
  if (s && (!s.businessOnly || business)) {
    if (s.types.includes(name) || (kind === "integrated" && rng.chance(s.lspayShare))) {
      out.surchargePercent = s.percent;
      out.surchargeRule = s.rule;
    }
  }
  if (rules.fee && (rules.fee.types.includes(name) || kind === "integrated") && rng.chance(0.5))
    out.nonCashFeePercent = rules.fee.percent;
  return out;
}

interface OpenRegister {
  id: string;
  open: number;
  close: number;
}

type Add = (minute: number, run: (at: string) => void) => void;

/** The day's extra events: a voided sale, an exchange, an e-commerce order, the plan's rare events. */
export function planFullDay(
  ctx: Ctx,
  rng: Prng,
  o: { date: string; day: number; registers: OpenRegister[]; add: Add },
): void {
  const { store } = ctx;
  const during = (r: OpenRegister, from = 20) => rng.int(r.open + from, Math.min(r.close, 24 * 60) - 20);
  if (rng.chance(0.6)) {
    const r = rng.pick(o.registers);
    o.add(during(r), (at) => voidedSale(ctx, rng, r.id, at));
  }
  if (o.day % 3 === 1) {
    const r = rng.pick(o.registers);
    o.add(during(r, 60), (at) => exchange(ctx, rng, r.id, at));
  }
  if (rng.chance(0.45)) {
    const r = o.registers[0]!;
    o.add(during(r), (at) => ecommerceOrder(ctx, rng, r.id, at));
  }
  if (store.trading.plan.full?.lateVoidDays.includes(o.day)) {
    o.add(during(o.registers[0]!), (at) => lateVoid(ctx, rng, at));
  }
  for (const e of (store.trading.events ?? []).filter((x) => x.date === o.date)) {
    const r = rng.pick(o.registers);
    o.add(during(r, 30), (at) => {
      if (e.kind === "cancelLayby") cancelPlannedLayby(ctx, e.saleId!, e.refund ?? "register", r.id, at);
      else if (e.kind === "accountReturn" && !returnOnAccount(ctx, r.id, at)) {
        // nothing qualified today: try again tomorrow
        store.trading.events!.push({ ...e, date: addDays(o.date, 1) });
      }
    });
  }
  store.trading.events = (store.trading.events ?? []).filter((x) => x.date !== o.date);
}

/** A layby made on a planned day is cancelled later instead of being paid off. */
export function afterLayby(store: StoreState, sale: SaleRec, day: number): void {
  const plan = store.trading.plan.full?.cancelledLaybys.find((c) => c.dayIndex === day);
  if (!plan || sale.state !== "pending") return;
  store.trading.scheduled = store.trading.scheduled.filter((s) => s.saleId !== sale.id);
  const date = addDays(localDate(sale.date, store.retailer.timezone), plan.after);
  (store.trading.events ??= []).push({ date, kind: "cancelLayby", saleId: sale.id, refund: plan.refund });
}

function cancelPlannedLayby(
  ctx: Ctx,
  saleId: string,
  refund: "register" | "store_credit",
  registerId: string,
  at: string,
) {
  const sale = ctx.store.sales[saleId];
  if (sale?.state !== "pending") return;
  const first = sale.payments[0];
  cancelLayby(ctx, saleId, {
    registerId,
    at,
    keepAsStoreCredit: refund === "store_credit",
    refunds: first ? [{ paymentTypeId: first.paymentTypeId }] : undefined,
  });
}

function voidedSale(ctx: Ctx, rng: Prng, registerId: string, at: string): void {
  const { store } = ctx;
  const type = rng.pick(activeTypes(store, ["cash", "card", "integrated"], at));
  const sale = addSale(ctx, {
    registerId,
    at,
    userId: rng.pick(store.users.slice(1)).id,
    lines: randomLines(store, rng, { max: 3 }),
    payments: [{ paymentTypeId: type.id }],
  });
  voidSale(ctx, sale.id, new Date(Date.parse(at) + rng.int(2, 20) * 60_000));
}

/** A regular sale with products only, earlier than `at`, never returned, its sequence closed. */
function exchangeable(store: StoreState, at: string): SaleRec[] {
  return Object.values(store.sales).filter(
    (s) =>
      s.state === "closed" &&
      s.attributes.length === 0 &&
      s.returnFor === null &&
      s.returnSaleIds.length === 0 &&
      s.date < at &&
      s.lines.some((l) => l.kind === "product" && !l.voided) &&
      !s.lines.some((l) => l.kind === "gift_card" || l.kind === "discount"),
  );
}

/** One item back, one item of another category taken instead; the difference paid or refunded. */
function exchange(ctx: Ctx, rng: Prng, registerId: string, at: string): void {
  const { store } = ctx;
  const candidates = exchangeable(store, at);
  if (candidates.length === 0) return;
  const original = rng.pick(candidates);
  const back = rng.pick(original.lines.filter((l) => l.kind === "product" && !l.voided));
  const others = Object.values(store.products).filter((p) => p.kind === "product" && p.categoryId !== back.categoryId);
  const instead: SaleLineSpec = { productId: rng.pick(others).id };
  const type = rng.pick(activeTypes(store, ["cash", "card", "integrated"], at));
  returnSale(ctx, original.id, {
    registerId,
    at,
    lines: [{ lineId: back.id, quantity: "1" }],
    newLines: [instead],
    refunds: [{ paymentTypeId: type.id }],
  });
}

const CHARGES: Record<StoreProfile, [string, string][]> = {
  au: [
    ["Gift wrapping", "5.00"],
    ["Express delivery", "12.95"],
  ],
  uk: [
    ["Gift wrapping", "4.50"],
    ["Next-day delivery", "6.95"],
  ],
  ca: [
    ["Emballage cadeau", "5.00"],
    ["Livraison express", "12.00"],
  ],
  us: [
    ["Gift wrapping", "5.00"],
    ["Express shipping", "12.00"],
  ],
};

/** A web order taken through Lightspeed Payments online, with a custom charge or two. */
function ecommerceOrder(ctx: Ctx, rng: Prng, registerId: string, at: string): void {
  const { store } = ctx;
  const charges = CHARGES[store.config.profile];
  const picked = rng.chance(0.3) ? charges : [rng.pick(charges)];
  const customer = rng.pick(Object.values(store.customers));
  addSale(ctx, {
    registerId,
    at,
    customerId: customer.id,
    lines: randomLines(store, rng, { max: 3, discounts: false }),
    customCharges: picked.map(([name, amount]) => ({ name, amount })),
    ecommerceOrderId: `W${String(rng.int(100000, 999999))}`,
    payments: [{ paymentTypeId: typeOfKind(store, "integrated", at).id }],
    note: "Web order",
  });
}

/** A card sale of an earlier, closed register sequence is voided today (the customer changed their mind). */
function lateVoid(ctx: Ctx, rng: Prng, at: string): void {
  const { store } = ctx;
  const card = new Set(["card", "integrated"]);
  const candidates = Object.values(store.sales).filter(
    (s) =>
      s.state === "closed" &&
      s.attributes.length === 0 &&
      s.customerId === null &&
      s.returnFor === null &&
      s.returnSaleIds.length === 0 &&
      s.date < at &&
      s.completeSequenceId !== null &&
      store.sequences[s.completeSequenceId]?.closedAt !== null &&
      s.payments.length > 0 &&
      s.payments.every((p) => card.has(store.paymentTypes[p.paymentTypeId]?.kind ?? "")) &&
      !s.lines.some((l) => l.kind === "gift_card"),
  );
  if (candidates.length === 0) return;
  const recent = candidates.sort((a, b) => (a.date > b.date ? -1 : a.date < b.date ? 1 : a.id < b.id ? -1 : 1));
  voidSale(ctx, rng.pick(recent.slice(0, 20)).id, new Date(at));
}

/** One unit of a line of a pending on-account sale comes back; the credit goes back on account. */
function returnOnAccount(ctx: Ctx, registerId: string, at: string): boolean {
  const { store } = ctx;
  // a generous bound on one unit incl. tax (floats only pick here; returnSale checks to the cent)
  const unitBound = (l: SaleLineRec) => Math.ceil(Number(l.unitPrice) * 125) + 100;
  for (const sale of Object.values(store.sales)) {
    if (!sale.attributes.includes("onaccount") || sale.state !== "pending" || sale.returnFor !== null) continue;
    if (sale.returnSaleIds.length > 0 || sale.date >= at) continue;
    const balance = saleBalance(sale, store);
    const line = sale.lines.find((l) => l.kind === "product" && !l.voided && unitBound(l) < balance);
    if (!line) continue;
    returnSale(ctx, sale.id, { registerId, at, lines: [{ lineId: line.id, quantity: "1" }], onAccount: true });
    return true;
  }
  return false;
}
