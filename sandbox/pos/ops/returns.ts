import { addDec, cmpDec, negDec, subDec } from "../../../shared/money";
import {
  centsToDec,
  counted,
  dec,
  lineInclCents,
  mulDivRound,
  priceInclusiveLine,
  priceLine,
  text,
  totalsOf,
  ZERO,
} from "../pricing";
import { must, newId, nextVersion, PosSandboxError, taxRates, type Ctx } from "../store";
import { isoClassic, parseInstant } from "../time";
import type { Cents, SaleLineRec, SaleRec, StoreState } from "../types";
import { isInclusive, lspayFor } from "./charges";
import { isLoyaltyMember } from "./loyalty";
import { openSequenceOf } from "./registers";
import {
  applyLoyalty,
  buildSaleLines,
  cashTypeId,
  nextInvoice,
  saleBalance,
  touchCustomer,
  type SaleLineSpec,
} from "./sales";
import { recordSaleStock } from "./stock";
import { settle, toCents, type PaymentSpec } from "./settle";

/**
 * Returns: a new closed sale with `return.original_sale_id`, negative quantities on the returned lines
 * at the original unit prices and taxes, and refunds paid out as negative payments (a negative Store
 * Credit payment issues store credit). A sale-level discount is returned in proportion to the net
 * returned per tax, cumulatively, so returning everything (in one go or several) reverses it exactly.
 *
 * An EXCHANGE is a return with new lines in the same sale (`newLines`): positive and negative lines,
 * each in its own category; the customer pays the difference or is refunded it.
 *
 * A return of an ON-ACCOUNT sale is an on-account sale itself (`attributes: ["onaccount"]`): by
 * default its refund goes back on account — no payment, the credit reduces what the customer owes on
 * the original sale (at most that much) — or part or all of it is paid out like any refund. Laybys are
 * cancelled instead (ops/layby.ts).
 */

export interface ReturnSpec {
  registerId: string;
  at?: string | undefined;
  /** Lines of the original sale and how many to return; default: everything not yet returned. */
  lines?: { lineId: string; quantity?: string | number | undefined }[] | undefined;
  /**
   * Refunds (negative amounts, or leave the last one's out); default: Cash. For an on-account sale,
   * default none: what refunds with amounts do not pay out is credited back on account.
   */
  refunds?: PaymentSpec[] | undefined;
  /** An on-account sale's return credited entirely back on account (refunds ignored). */
  onAccount?: boolean | undefined;
  /** An exchange: what the customer takes instead, in the same sale. */
  newLines?: SaleLineSpec[] | undefined;
  note?: string | undefined;
}

function priorReturns(store: StoreState, original: SaleRec): SaleRec[] {
  return original.returnSaleIds.map((id) => must(store.sales[id], `sale ${id}`)).filter((s) => s.state !== "voided");
}

/** Quantity of each original line already returned (positive). */
function returnedQuantities(returns: SaleRec[]) {
  const out = new Map<string, ReturnType<typeof dec>>();
  for (const r of returns) {
    for (const l of counted(r.lines))
      if (l.originalLineId)
        out.set(l.originalLineId, addDec(out.get(l.originalLineId) ?? ZERO, negDec(dec(l.quantity))));
  }
  return out;
}

/** A line that takes back `quantity` of `orig` at its own unit prices and taxes (a return, or a cancelled layby). */
export function returnLine(store: StoreState, orig: SaleLineRec, quantity: ReturnType<typeof dec>): SaleLineRec {
  const base = {
    productId: orig.productId,
    kind: orig.kind,
    categoryId: orig.categoryId,
    quantity: negDec(quantity),
    taxId: orig.taxId,
    rates: taxRates(store, orig.taxId),
    isReturn: true,
    giftCardNumber: null,
    originalLineId: orig.id,
  };
  const line = orig.inclusive
    ? priceInclusiveLine(newId(store), {
        ...base,
        unitInclList: dec(orig.inclusive.unitInclList),
        unitInclDiscount: subDec(dec(orig.inclusive.unitInclList), dec(orig.inclusive.unitIncl)),
      })
    : priceLine(newId(store), { ...base, unitList: dec(orig.unitList), unitDiscount: dec(orig.unitDiscount) });
  if (orig.loyaltyUnit) line.loyaltyUnit = orig.loyaltyUnit;
  return line;
}

/** The discount line's amount to price: ex-tax cents (exclusive) or incl.-tax cents (inclusive). */
const weightOf = (l: SaleLineRec): Cents => (l.inclusive ? lineInclCents(l) : l.total);

/** The sale-level discount to give back, per original discount line, for the net returned so far. */
function discountReturnLines(
  store: StoreState,
  original: SaleRec,
  prior: SaleRec[],
  current: SaleLineRec[],
): SaleLineRec[] {
  const out: SaleLineRec[] = [];
  for (const d of counted(original.lines).filter((l) => l.kind === "discount")) {
    const originalNet = counted(original.lines)
      .filter((l) => l.kind === "product" && l.taxId === d.taxId)
      .reduce((s, l) => s + weightOf(l), 0);
    const returnedNet = [...prior.flatMap((r) => counted(r.lines)), ...current]
      .filter((l) => l.kind === "product" && l.taxId === d.taxId && l.originalLineId)
      .reduce((s, l) => s - weightOf(l), 0);
    const given = prior
      .flatMap((r) => counted(r.lines))
      .filter((l) => l.originalLineId === d.id)
      .reduce((s, l) => s + weightOf(l), 0);
    const target: Cents = -mulDivRound(weightOf(d), returnedNet, originalNet);
    const amount = target - given;
    if (amount === 0) continue;
    const base = {
      productId: d.productId,
      kind: "discount" as const,
      categoryId: null,
      quantity: dec(-1),
      taxId: d.taxId,
      rates: taxRates(store, d.taxId),
      isReturn: true,
      giftCardNumber: null,
      originalLineId: d.id,
    };
    out.push(
      d.inclusive
        ? priceInclusiveLine(newId(store), {
            ...base,
            unitInclList: negDec(centsToDec(amount)),
            unitInclDiscount: ZERO,
          })
        : priceLine(newId(store), { ...base, unitList: negDec(centsToDec(amount)), unitDiscount: ZERO }),
    );
  }
  return out;
}

function returnableOriginal(original: SaleRec, spec: ReturnSpec): "regular" | "onaccount" {
  if (original.returnFor) throw new PosSandboxError(409, "a return is not returned again");
  if (original.attributes.includes("layby"))
    throw new PosSandboxError(409, "a layby is cancelled, not returned (cancel_layby)");
  if (original.attributes.includes("onaccount")) {
    if (original.state !== "pending" && original.state !== "closed")
      throw new PosSandboxError(409, "only a completed or pending on-account sale can be returned");
    if (spec.newLines?.length) throw new PosSandboxError(400, "an on-account sale is returned, not exchanged");
    return "onaccount";
  }
  if (original.state !== "closed" || original.attributes.length > 0)
    throw new PosSandboxError(409, "only a completed regular sale can be returned");
  return "regular";
}

function linesToReturn(store: StoreState, original: SaleRec, spec: ReturnSpec, prior: SaleRec[]): SaleLineRec[] {
  const returned = returnedQuantities(prior);
  const wanted =
    spec.lines ??
    counted(original.lines)
      .filter((l) => l.kind === "product")
      .map((l) => ({ lineId: l.id, quantity: undefined as string | number | undefined }));
  const lines: SaleLineRec[] = [];
  for (const w of wanted) {
    const orig = must(
      original.lines.find((l) => l.id === w.lineId),
      `line ${w.lineId} of sale ${original.id}`,
    );
    if (orig.kind !== "product" || orig.voided)
      throw new PosSandboxError(
        400,
        "only product lines are returned (gift cards, discounts and voided lines are not)",
      );
    const left = addDec(dec(orig.quantity), negDec(returned.get(orig.id) ?? ZERO));
    const quantity = w.quantity === undefined ? left : dec(w.quantity);
    if (cmpDec(quantity, ZERO) < 0 || cmpDec(quantity, left) > 0)
      throw new PosSandboxError(400, `line ${orig.id} has only ${text(left)} left to return`);
    if (cmpDec(quantity, ZERO) === 0) continue;
    lines.push(returnLine(store, orig, quantity));
  }
  if (lines.length === 0) throw new PosSandboxError(409, "nothing left to return on this sale");
  return lines;
}

function regularRefunds(store: StoreState, spec: ReturnSpec, due: Cents) {
  return { refunds: due === 0 ? [] : (spec.refunds ?? [{ paymentTypeId: cashTypeId(store) }]), paidOut: due };
}

/**
 * An on-account sale's return: refunds with amounts are paid out and the rest is credited back on
 * account (at most what the customer still owes on the sale); a last refund without an amount pays
 * out everything; `onAccount` credits it all.
 */
function accountRefunds(store: StoreState, original: SaleRec, spec: ReturnSpec, due: Cents) {
  const refunds = spec.onAccount ? [] : (spec.refunds ?? []);
  const takesRest = refunds.length > 0 && refunds[refunds.length - 1]!.amount === undefined;
  const paidOut = takesRest ? due : refunds.reduce((s, p) => s + toCents(p.amount ?? 0, "refund amount"), 0);
  const credit = paidOut - due;
  if (credit < 0) throw new PosSandboxError(400, "the refunds exceed what is returned");
  if (credit > saleBalance(original, store))
    throw new PosSandboxError(409, "the credit exceeds what the customer owes on the sale: refund the rest");
  return { refunds, paidOut };
}

export function returnSale(ctx: Ctx, saleId: string, spec: ReturnSpec): SaleRec {
  const { store } = ctx;
  const original = must(store.sales[saleId], `sale ${saleId}`);
  const kind = returnableOriginal(original, spec);
  const register = must(store.registers[spec.registerId], `register ${spec.registerId}`);
  const at = isoClassic(spec.at ? parseInstant(spec.at) : ctx.now());
  const seq = openSequenceOf(store, register.id, at);
  if (at < original.date) throw new PosSandboxError(400, "a return cannot precede its sale");
  const prior = priorReturns(store, original);
  const lines = linesToReturn(store, original, spec, prior);
  lines.push(...discountReturnLines(store, original, prior, lines));
  if (spec.newLines?.length) {
    const fresh = buildSaleLines(store, spec.newLines);
    if (fresh.some((l) => l.kind === "gift_card"))
      throw new PosSandboxError(400, "an exchange takes products, not gift cards");
    applyLoyalty(store, fresh, original.customerId);
    lines.push(...fresh);
  }

  const totals = totalsOf(lines, [], isInclusive(store));
  const due = totals.price + totals.tax;
  const { refunds, paidOut } =
    kind === "onaccount" ? accountRefunds(store, original, spec, due) : regularRefunds(store, spec, due);
  const settlement = settle(store, refunds, {
    due: paidOut,
    mode: "exact",
    cashRounding: kind === "regular" && store.config.cashRounding,
    at,
    registerId: register.id,
    outletId: register.outletId,
    sequenceId: seq.id,
    customerId: original.customerId,
    userId: original.userId,
  });
  for (const p of settlement.payments) {
    const tx = lspayFor(store, p);
    if (tx) p.lspay = tx;
  }
  const exchange = (spec.newLines?.length ?? 0) > 0;
  const sale: SaleRec = {
    id: newId(store),
    outletId: register.outletId,
    registerId: register.id,
    userId: original.userId,
    customerId: original.customerId,
    ...nextInvoice(store, register.id),
    state: "closed",
    attributes: kind === "onaccount" ? ["onaccount"] : [],
    createdAt: at,
    date: at,
    updatedAt: at,
    completeSequenceId: seq.id,
    note: spec.note ?? `${exchange ? "Exchange" : "Return"} of ${original.invoiceNumber}`,
    lines,
    payments: settlement.payments,
    rounding: settlement.rounding,
    taxes: totals.taxes,
    totalPrice: totals.price,
    totalTax: totals.tax,
    returnFor: original.id,
    returnSaleIds: [],
    voidedAt: null,
    version: 0,
    ...(totals.exact ? { exact: totals.exact } : {}),
  };
  settlement.apply(sale.id);
  sale.version = nextVersion(store);
  store.sales[sale.id] = sale;
  recordSaleStock(ctx, sale);
  original.returnSaleIds.push(sale.id);
  if (kind === "onaccount" && original.state === "pending" && saleBalance(original, store) === 0)
    original.state = "closed";
  original.updatedAt = at;
  original.version = nextVersion(store);
  if (kind === "onaccount" || isLoyaltyMember(store, original.customerId))
    touchCustomer(store, original.customerId, at);
  ctx.hooks.saleChanged(store, sale.id);
  ctx.hooks.saleChanged(store, original.id);
  return sale;
}
