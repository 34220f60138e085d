import { addDec, cmpDec, type Dec, formatDec, mulDec, negDec, subDec } from "../../shared/money";
import { closureFigures } from "./figures";
import type { ConsignmentRec, StockAdjustmentRec, StockMoveRec } from "./inventory-types";
import { AVERAGE_DIGITS, levelKey, tracksInventory } from "./ops/stock";
import { cents, dec, ZERO } from "./pricing";
import { must } from "./store";
import type { Cents, DecText, SaleRec, StoreState } from "./types";

/**
 * The POS's own inventory truth, computed from its raw records (sales and their lines' recorded cost,
 * purchase-order deliveries, consignments, stock adjustments, the stock ledger) — never from the API
 * JSON, never from Tillbridge. Every figure carries its exact value (`exact`, a decimal text) and its
 * cents (`minor`), rounded half-up ONCE where the definition says. The definitions:
 *
 * - A sale line's stock movements (`saleStockMoves`), each valued at the line's recorded `cost` (the
 *   outlet's average when sold; on a return line, or a cancelled layby's cancelling line, the cost of the
 *   line it takes back) × its quantity, exact, as value that LEFT stock (negative when it came back).
 *   Only lines of products with inventory move stock: gift cards, discounts, services and untracked
 *   products carry none. A sale takes stock when it is completed — not while parked (a parked sale, or
 *   one voided while parked, has no complete sequence; the record keeps the sequence even when the API
 *   leaves `complete_open_sequence_id` out). Then each line moves at the sale's `date`, or at its
 *   `addedAt` (a cancelled layby's cancelling lines, added when it was cancelled), except a line voided
 *   as it was rung up (`VOIDED` without `voidedAt`), which never took stock; and each comes back at its
 *   `voidedAt` (a line voided later) or, for a voided sale, at the sale's `voidedAt`. These are exactly
 *   the stock ledger's moves for the sale (the tests check it line by line).
 * - closureCogs(closure): the movements of the closure's SALES as closureFigures defines them (completed
 *   in its sequence, not voided, not on-account or layby; their lines all move at the sale's date), net,
 *   per line category (the category at the time of sale); each category rounded half-up; `minor` = Σ
 *   category minors. That is what those sales took out of stock. `voidedAfterClose` lists the sales
 *   voided after the closure closed (out of it now; its record as at close carried their cost too).
 * - saleCogs(sale): the same for one sale, net of everything that came back — for on-account and layby
 *   sales (and their returns), whose cost goes with their invoice (dated the sale's date) — and
 *   `movements`: its movements summed per instant and why ("sold" or "returned" at the sale's date, then
 *   "line voided", "layby cancelled", "sale voided"): a cancelled layby nets to 0 as sold then cancelled.
 * - supplierReturnFigures(return): each product count × cost (its unit credit price), each line rounded
 *   half-up; `minor` = Σ line minors. It posts only once SENT (`posts`), on `sentAt`.
 * - stocktakeFigures(stocktake): per product (counted − expected) × cost; gains and losses apart, each
 *   rounded half-up; net = gains − losses (exact), `netMinor` = round(net). Posts once STOCKTAKE_COMPLETE.
 * - adjustmentFigures: each adjustment quantity × the average cost when it was recorded (the record's
 *   hidden unitCost; the API answers only the current average), rounded half-up per adjustment; by
 *   reason (and custom reason) `minor` = Σ adjustment minors. `currentAverage` is what
 *   GET /inventory/{product_id} answers now, for comparing.
 * - transferFigures(transfer): sent = Σ count × cost (cost fixed when sent), received = Σ received ×
 *   cost; each rounded half-up once.
 * - inventoryValue(at): per outlet Σ over products of on hand × average cost after every ledger move
 *   with `at` ≤ the instant (on hand = Σ of those moves' quantities; average = the last one's), exact,
 *   rounded half-up once per outlet. Exact at any instant not inside a minute in which the trading
 *   generator ran two events out of time order (its per-event seconds); day boundaries and closure times
 *   are always safe.
 * - inventoryRollForward(from, to], per outlet, each term from the documents dated in the window:
 *   receipts (delivery lines received × cost price, by receivedAt), cogs (the sale line movements above
 *   dated in the window: sold and returned, less what voids and cancellations put back), supplier returns
 *   (by sentAt), adjustments (by createdAt), stocktakes (net, by completedAt), transfers out (by sentAt,
 *   at the source) and in (by receivedAt, at the destination), and revaluation (the ledger's: a move's
 *   change in value beyond quantity × unit cost, from rounding the new average to 5 places or stock in
 *   meeting stock at or below zero; `revaluations()` lists them). Then, exactly:
 *     closing = opening + receipts − cogs − supplierReturns + adjustments + stocktakes + transfersIn
 *               − transfersOut + revaluation
 *   (`difference` = closing − that, always 0 when the ledger agrees with the documents). In cents every
 *   term is rounded once, and `residueMinor` = closing − (the rounded terms) is that rounding, shown:
 *   exactly (opening's rounding − closing's + each term's, signed) × 100, so at most ten half-cents.
 */

export interface Amount {
  exact: DecText;
  minor: Cents;
}

const amount = (d: Dec): Amount => ({ exact: formatDec(d), minor: cents(d) });
const sum = (xs: Dec[]) => xs.reduce((a, b) => addDec(a, b), ZERO);
const time = (at: string | Date) => (at instanceof Date ? at.getTime() : Date.parse(at));
const inWindow = (at: string | null, from: number, to: number) => at !== null && time(at) > from && time(at) <= to;

export interface CategoryCogs extends Amount {
  categoryId: string | null;
  name: string;
}

export interface Cogs extends Amount {
  byCategory: CategoryCogs[];
}

/** Why a sale line moved stock: taken when sold (or back when returned), back again when voided or cancelled. */
export type SaleMoveWhy = "sold" | "returned" | "layby cancelled" | "line voided" | "sale voided";

/** One movement of stock by one sale line, as the sale's records date it (see the header). */
export interface SaleLineMove {
  saleId: string;
  lineId: string;
  categoryId: string | null;
  at: string;
  why: SaleMoveWhy;
  /** The cost that left stock: recorded cost × quantity, exact; negative when stock came back. */
  cost: Dec;
}

/**
 * A sale takes stock when it is completed: every sale but a parked one, which has no complete sequence
 * (and keeps none if it is voided while parked). The record keeps the sequence even for the sales
 * whose `complete_open_sequence_id` the API leaves out.
 */
export const tookStock = (sale: SaleRec) => sale.completeSequenceId !== null;

/** Every stock movement of the sale's lines (the header's definition), in no particular order. */
export function saleStockMoves(store: StoreState, sale: SaleRec): SaleLineMove[] {
  if (!tookStock(sale)) return [];
  const moves: SaleLineMove[] = [];
  for (const line of sale.lines) {
    if (!tracksInventory(store.products[line.productId]) || line.cost === undefined) continue;
    // voided as it was rung up: it never took stock
    if (line.voided && !line.voidedAt) continue;
    const cost = mulDec(dec(line.cost), dec(line.quantity));
    const base = { saleId: sale.id, lineId: line.id, categoryId: line.categoryId };
    const why: SaleMoveWhy = line.addedAt ? "layby cancelled" : cmpDec(cost, ZERO) < 0 ? "returned" : "sold";
    moves.push({ ...base, at: line.addedAt ?? sale.date, why, cost });
    if (line.voidedAt) moves.push({ ...base, at: line.voidedAt, why: "line voided", cost: negDec(cost) });
    else if (sale.state === "voided" && sale.voidedAt)
      moves.push({ ...base, at: sale.voidedAt, why: "sale voided", cost: negDec(cost) });
  }
  return moves;
}

function byCategory(store: StoreState, moves: SaleLineMove[]): Cogs {
  const totals = new Map<string, Dec>();
  for (const m of moves) totals.set(m.categoryId ?? "", addDec(totals.get(m.categoryId ?? "") ?? ZERO, m.cost));
  const categories = [...totals].map(([id, d]) => ({
    categoryId: id || null,
    name: id ? (store.categories[id]?.name ?? id) : "(no category)",
    ...amount(d),
  }));
  return {
    exact: formatDec(sum([...totals.values()])),
    minor: categories.reduce((s, c) => s + c.minor, 0),
    byCategory: categories,
  };
}

/** What the closure's sales took out of stock, net, per category (see the header). */
export function closureCogs(store: StoreState, closureId: string) {
  const figures = closureFigures(store, closureId);
  const moves = figures.sales.saleIds.flatMap((id) => saleStockMoves(store, store.sales[id]!));
  const late = Object.values(store.sales).filter(
    (s) =>
      s.completeSequenceId === closureId &&
      s.state === "voided" &&
      s.attributes.length === 0 &&
      figures.closedAt !== null &&
      s.voidedAt !== null &&
      s.voidedAt > figures.closedAt,
  );
  return {
    closureId,
    ...byCategory(store, moves),
    /** Sales of the closure voided after it closed: at close the closure carried their cost too. */
    voidedAfterClose: late.map((s) => ({
      saleId: s.id,
      voidedAt: s.voidedAt!,
      ...amount(
        sum(
          saleStockMoves(store, s)
            .filter((m) => m.why !== "sale voided")
            .map((m) => m.cost),
        ),
      ),
    })),
  };
}

/** A sale's cost, net of what came back, per category; and when each part moved (see the header). */
export function saleCogs(store: StoreState, saleId: string) {
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  const moves = saleStockMoves(store, sale);
  const when = new Map<string, { at: string; why: SaleMoveWhy; cost: Dec }>();
  for (const m of moves) {
    const key = `${m.at}|${m.why}`;
    const got = when.get(key);
    when.set(key, { at: m.at, why: m.why, cost: addDec(got?.cost ?? ZERO, m.cost) });
  }
  const movements = [...when.values()]
    .sort((a, b) => time(a.at) - time(b.at))
    .map((m) => ({ at: m.at, why: m.why, ...amount(m.cost) }));
  return { saleId, date: sale.date, ...byCategory(store, moves), movements };
}

const consignmentOf = (store: StoreState, id: string, type: ConsignmentRec["type"]) => {
  const c = must(store.inventory.consignments[id], `consignment ${id}`);
  if (c.type !== type) throw new Error(`consignment ${id} is a ${c.type}, not a ${type}`);
  return c;
};

export function supplierReturnFigures(store: StoreState, id: string) {
  const c = consignmentOf(store, id, "RETURN");
  const lines = c.products.map((p) => ({
    productId: p.productId,
    quantity: p.count!,
    unitCost: p.cost!,
    ...amount(mulDec(dec(p.count!), dec(p.cost!))),
  }));
  return {
    id,
    supplierId: c.supplierId!,
    outletId: c.outletId,
    status: c.status,
    posts: c.status === "SENT",
    sentAt: c.sentAt,
    lines,
    exact: formatDec(sum(lines.map((l) => dec(l.exact)))),
    minor: lines.reduce((s, l) => s + l.minor, 0),
  };
}

export function stocktakeFigures(store: StoreState, id: string) {
  const c = consignmentOf(store, id, "STOCKTAKE");
  const lines = c.products
    .filter((p) => p.count !== null)
    .map((p) => {
      const diff = subDec(dec(p.received ?? "0"), dec(p.count!));
      return {
        productId: p.productId,
        expected: p.count!,
        counted: p.received ?? "0",
        unitCost: p.cost!,
        diff,
        value: mulDec(diff, dec(p.cost!)),
      };
    });
  const gain = sum(lines.filter((l) => cmpDec(l.diff, ZERO) > 0).map((l) => l.value));
  const loss = negDec(sum(lines.filter((l) => cmpDec(l.diff, ZERO) < 0).map((l) => l.value)));
  const net = subDec(gain, loss);
  return {
    id,
    outletId: c.outletId,
    status: c.status,
    posts: c.status === "STOCKTAKE_COMPLETE",
    completedAt: c.completedAt,
    gainCount: formatDec(sum(lines.filter((l) => cmpDec(l.diff, ZERO) > 0).map((l) => l.diff))),
    lossCount: formatDec(negDec(sum(lines.filter((l) => cmpDec(l.diff, ZERO) < 0).map((l) => l.diff)))),
    gain: amount(gain),
    loss: amount(loss),
    net: amount(net),
    lines: lines.map((l) => ({
      productId: l.productId,
      expected: l.expected,
      counted: l.counted,
      unitCost: l.unitCost,
      diff: formatDec(l.diff),
      ...amount(l.value),
    })),
  };
}

export function transferFigures(store: StoreState, id: string) {
  const c = consignmentOf(store, id, "OUTLET");
  const costed = c.products.filter((p) => p.cost !== null);
  return {
    id,
    sourceOutletId: c.sourceOutletId!,
    outletId: c.outletId,
    status: c.status,
    sentAt: c.sentAt,
    receivedAt: c.receivedAt,
    sent: amount(sum(costed.map((p) => mulDec(dec(p.count!), dec(p.cost!))))),
    received: amount(sum(costed.map((p) => mulDec(dec(p.received ?? "0"), dec(p.cost!))))),
  };
}

function adjustmentFigure(store: StoreState, a: StockAdjustmentRec) {
  return {
    id: a.id,
    reason: a.reason,
    customReasonId: a.customReasonId,
    outletId: a.outletId,
    productId: a.productId,
    createdAt: a.createdAt,
    quantity: a.quantity,
    unitCost: a.unitCost,
    currentAverage: store.inventory.levels[levelKey(a.productId, a.outletId)]?.averageCost ?? a.unitCost,
    ...amount(mulDec(dec(a.quantity), dec(a.unitCost))),
  };
}

/** Every stock adjustment in (from, to] (all when no window), and their totals by reason. */
export function adjustmentFigures(store: StoreState, from?: string | Date, to?: string | Date) {
  const lo = from === undefined ? Number.NEGATIVE_INFINITY : time(from);
  const hi = to === undefined ? Number.POSITIVE_INFINITY : time(to);
  const adjustments = Object.values(store.inventory.adjustments)
    .filter((a) => inWindow(a.createdAt, lo, hi))
    .sort((a, b) => time(a.createdAt) - time(b.createdAt) || a.version - b.version)
    .map((a) => adjustmentFigure(store, a));
  const byReason = new Map<string, typeof adjustments>();
  for (const a of adjustments) {
    const key = a.customReasonId ? `CUSTOM:${a.customReasonId}` : a.reason;
    byReason.set(key, [...(byReason.get(key) ?? []), a]);
  }
  return {
    adjustments,
    byReason: [...byReason.values()].map((list) => ({
      reason: list[0]!.reason,
      customReasonId: list[0]!.customReasonId,
      count: list.length,
      exact: formatDec(sum(list.map((a) => dec(a.exact)))),
      minor: list.reduce((s, a) => s + a.minor, 0),
    })),
  };
}

/** A ledger move's change in value beyond quantity × unit cost. */
export function moveResidue(m: StockMoveRec): Dec {
  const after = dec(m.onHandAfter);
  const before = subDec(after, dec(m.quantity));
  return subDec(
    subDec(mulDec(after, dec(m.averageAfter)), mulDec(before, dec(m.averageBefore))),
    mulDec(dec(m.quantity), dec(m.unitCost)),
  );
}

/**
 * Every move in (from, to] whose value change is not exactly quantity × unit cost, with why: `rounding`
 * (the new average rounded to 5 places: |residue| ≤ on hand after × 0.000005) or `stock at or below zero`.
 */
export function revaluations(store: StoreState, from: string | Date, to: string | Date) {
  const lo = time(from);
  const hi = time(to);
  const bound = dec(`0.${"0".repeat(AVERAGE_DIGITS)}5`);
  return store.inventory.moves
    .filter((m) => inWindow(m.at, lo, hi))
    .map((m) => ({ move: m, residue: moveResidue(m) }))
    .filter((r) => cmpDec(r.residue, ZERO) !== 0)
    .map(({ move, residue }) => {
      const before = subDec(dec(move.onHandAfter), dec(move.quantity));
      const limit = mulDec(dec(move.onHandAfter), bound);
      const abs = cmpDec(residue, ZERO) < 0 ? negDec(residue) : residue;
      const why =
        cmpDec(before, ZERO) <= 0 || cmpDec(dec(move.onHandAfter), ZERO) <= 0
          ? ("stock at or below zero" as const)
          : cmpDec(abs, limit) <= 0
            ? ("rounding" as const)
            : ("unexplained" as const);
      return { ...move, residue: formatDec(residue), why };
    });
}

/** Per outlet: on hand × average after every move up to the instant (see the header). */
export function inventoryValue(store: StoreState, at: string | Date) {
  const t = time(at);
  const levels = new Map<string, { outletId: string; onHand: Dec; average: Dec }>();
  for (const m of store.inventory.moves) {
    if (time(m.at) > t) continue;
    const key = levelKey(m.productId, m.outletId);
    const l = levels.get(key) ?? { outletId: m.outletId, onHand: ZERO, average: ZERO };
    levels.set(key, { outletId: m.outletId, onHand: addDec(l.onHand, dec(m.quantity)), average: dec(m.averageAfter) });
  }
  const outlets = Object.values(store.outlets).map((o) => {
    const value = sum([...levels.values()].filter((l) => l.outletId === o.id).map((l) => mulDec(l.onHand, l.average)));
    return { outletId: o.id, name: o.name, ...amount(value) };
  });
  return { at: new Date(t).toISOString(), outlets, ...amount(sum(outlets.map((o) => dec(o.exact)))) };
}

type Terms = Record<
  | "receipts"
  | "cogs"
  | "supplierReturns"
  | "adjustments"
  | "stocktakes"
  | "transfersIn"
  | "transfersOut"
  | "revaluation",
  Dec
>;

function windowTerms(store: StoreState, outletId: string, lo: number, hi: number): Terms {
  const here = (id: string | null) => id === outletId;
  const consignments = Object.values(store.inventory.consignments);
  const productsValue = (c: ConsignmentRec, qty: "count" | "received") =>
    sum(c.products.map((p) => mulDec(dec(p[qty] ?? "0"), dec(p.cost ?? "0"))));
  return {
    receipts: sum(
      Object.values(store.purchaseOrders)
        .filter((po) => here(po.outletId))
        .flatMap((po) => po.deliveries.filter((d) => inWindow(d.receivedAt, lo, hi)))
        .flatMap((d) => d.lines.map((l) => mulDec(dec(l.received), dec(l.costPrice)))),
    ),
    cogs: sum(
      Object.values(store.sales)
        .filter((s) => here(s.outletId))
        .flatMap((s) => saleStockMoves(store, s))
        .filter((m) => inWindow(m.at, lo, hi))
        .map((m) => m.cost),
    ),
    supplierReturns: sum(
      consignments
        .filter((c) => c.type === "RETURN" && here(c.outletId) && inWindow(c.sentAt, lo, hi))
        .map((c) => productsValue(c, "count")),
    ),
    adjustments: sum(
      Object.values(store.inventory.adjustments)
        .filter((a) => here(a.outletId) && inWindow(a.createdAt, lo, hi))
        .map((a) => mulDec(dec(a.quantity), dec(a.unitCost))),
    ),
    stocktakes: sum(
      consignments
        .filter((c) => c.type === "STOCKTAKE" && here(c.outletId) && inWindow(c.completedAt, lo, hi))
        .map((c) => subDec(productsValue(c, "received"), productsValue(c, "count"))),
    ),
    transfersIn: sum(
      consignments
        .filter((c) => c.type === "OUTLET" && here(c.outletId) && inWindow(c.receivedAt, lo, hi))
        .map((c) => productsValue(c, "received")),
    ),
    transfersOut: sum(
      consignments
        .filter((c) => c.type === "OUTLET" && here(c.sourceOutletId) && inWindow(c.sentAt, lo, hi))
        .map((c) => productsValue(c, "count")),
    ),
    revaluation: sum(store.inventory.moves.filter((m) => here(m.outletId) && inWindow(m.at, lo, hi)).map(moveResidue)),
  };
}

const SIGNS: [keyof Terms, 1 | -1][] = [
  ["receipts", 1],
  ["cogs", -1],
  ["supplierReturns", -1],
  ["adjustments", 1],
  ["stocktakes", 1],
  ["transfersIn", 1],
  ["transfersOut", -1],
  ["revaluation", 1],
];

/** The roll-forward over (from, to] per outlet (see the header for every term). */
export function inventoryRollForward(store: StoreState, from: string | Date, to: string | Date) {
  const lo = time(from);
  const hi = time(to);
  const opening = inventoryValue(store, from);
  const closing = inventoryValue(store, to);
  const outlets = Object.values(store.outlets).map((o) => {
    const terms = windowTerms(store, o.id, lo, hi);
    const open = dec(opening.outlets.find((x) => x.outletId === o.id)!.exact);
    const close = dec(closing.outlets.find((x) => x.outletId === o.id)!.exact);
    const computed = SIGNS.reduce((acc, [k, s]) => addDec(acc, s > 0 ? terms[k] : negDec(terms[k])), open);
    const rounded = SIGNS.reduce((acc, [k, s]) => acc + s * cents(terms[k]), cents(open));
    return {
      outletId: o.id,
      name: o.name,
      opening: amount(open),
      ...(Object.fromEntries(SIGNS.map(([k]) => [k, amount(terms[k])])) as Record<keyof Terms, Amount>),
      closing: amount(close),
      difference: formatDec(subDec(close, computed)),
      residueMinor: cents(close) - rounded,
    };
  });
  return { from: new Date(lo).toISOString(), to: new Date(hi).toISOString(), outlets };
}
