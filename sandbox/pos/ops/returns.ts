import { addDec, cmpDec, negDec } from "../../../shared/money";
import { centsToDec, dec, mulDivRound, priceLine, saleTotals, text, ZERO } from "../pricing";
import { must, newId, nextVersion, PosSandboxError, taxRates, type Ctx } from "../store";
import { isoClassic, parseInstant } from "../time";
import type { Cents, SaleLineRec, SaleRec, StoreState } from "../types";
import { openSequenceOf } from "./registers";
import { cashTypeId, nextInvoice } from "./sales";
import { recordSaleStock } from "./stock";
import { settle, type PaymentSpec } from "./settle";

/**
 * Returns: a new closed sale with `return.original_sale_id`, negative quantities on the returned lines
 * at the original unit prices and taxes, and refunds paid out as negative payments (a negative Store
 * Credit payment issues store credit). A sale-level discount is returned in proportion to the net
 * returned per tax, cumulatively, so returning everything (in one go or several) reverses it exactly.
 */

export interface ReturnSpec {
  registerId: string;
  at?: string | undefined;
  /** Lines of the original sale and how many to return; default: everything not yet returned. */
  lines?: { lineId: string; quantity?: string | number | undefined }[] | undefined;
  /** Refunds (negative amounts, or leave the last one's out); default: Cash. */
  refunds?: PaymentSpec[] | undefined;
  note?: string | undefined;
}

function priorReturns(store: StoreState, original: SaleRec): SaleRec[] {
  return original.returnSaleIds.map((id) => must(store.sales[id], `sale ${id}`)).filter((s) => s.state !== "voided");
}

/** Quantity of each original line already returned (positive). */
function returnedQuantities(returns: SaleRec[]) {
  const out = new Map<string, ReturnType<typeof dec>>();
  for (const r of returns) {
    for (const l of r.lines)
      if (l.originalLineId)
        out.set(l.originalLineId, addDec(out.get(l.originalLineId) ?? ZERO, negDec(dec(l.quantity))));
  }
  return out;
}

function returnLine(store: StoreState, orig: SaleLineRec, quantity: ReturnType<typeof dec>): SaleLineRec {
  return priceLine(newId(store), {
    productId: orig.productId,
    kind: orig.kind,
    categoryId: orig.categoryId,
    quantity: negDec(quantity),
    unitList: dec(orig.unitList),
    unitDiscount: dec(orig.unitDiscount),
    taxId: orig.taxId,
    rates: taxRates(store, orig.taxId),
    isReturn: true,
    giftCardNumber: null,
    originalLineId: orig.id,
  });
}

/** The sale-level discount to give back, per original discount line, for the net returned so far. */
function discountReturnLines(
  store: StoreState,
  original: SaleRec,
  prior: SaleRec[],
  current: SaleLineRec[],
): SaleLineRec[] {
  const out: SaleLineRec[] = [];
  for (const d of original.lines.filter((l) => l.kind === "discount")) {
    const originalNet = original.lines
      .filter((l) => l.kind === "product" && l.taxId === d.taxId)
      .reduce((s, l) => s + l.total, 0);
    const returnedNet = [...prior.flatMap((r) => r.lines), ...current]
      .filter((l) => l.kind === "product" && l.taxId === d.taxId && l.originalLineId)
      .reduce((s, l) => s - l.total, 0);
    const given = prior
      .flatMap((r) => r.lines)
      .filter((l) => l.originalLineId === d.id)
      .reduce((s, l) => s + l.total, 0);
    const target: Cents = -mulDivRound(d.total, returnedNet, originalNet);
    const amount = target - given;
    if (amount === 0) continue;
    out.push(
      priceLine(newId(store), {
        productId: d.productId,
        kind: "discount",
        categoryId: null,
        quantity: dec(-1),
        unitList: negDec(centsToDec(amount)),
        unitDiscount: ZERO,
        taxId: d.taxId,
        rates: taxRates(store, d.taxId),
        isReturn: true,
        giftCardNumber: null,
        originalLineId: d.id,
      }),
    );
  }
  return out;
}

export function returnSale(ctx: Ctx, saleId: string, spec: ReturnSpec): SaleRec {
  const { store } = ctx;
  const original = must(store.sales[saleId], `sale ${saleId}`);
  if (original.state !== "closed" || original.returnFor || original.attributes.length > 0) {
    throw new PosSandboxError(409, "only a completed regular sale can be returned");
  }
  const register = must(store.registers[spec.registerId], `register ${spec.registerId}`);
  const at = isoClassic(spec.at ? parseInstant(spec.at) : ctx.now());
  const seq = openSequenceOf(store, register.id, at);
  if (at < original.date) throw new PosSandboxError(400, "a return cannot precede its sale");
  const prior = priorReturns(store, original);
  const returned = returnedQuantities(prior);

  const wanted =
    spec.lines ??
    original.lines
      .filter((l) => l.kind === "product")
      .map((l) => ({ lineId: l.id, quantity: undefined as string | number | undefined }));
  const lines: SaleLineRec[] = [];
  for (const w of wanted) {
    const orig = must(
      original.lines.find((l) => l.id === w.lineId),
      `line ${w.lineId} of sale ${saleId}`,
    );
    if (orig.kind !== "product")
      throw new PosSandboxError(400, "only product lines are returned (gift cards and discounts are not)");
    const left = addDec(dec(orig.quantity), negDec(returned.get(orig.id) ?? ZERO));
    const quantity = w.quantity === undefined ? left : dec(w.quantity);
    if (cmpDec(quantity, ZERO) < 0 || cmpDec(quantity, left) > 0)
      throw new PosSandboxError(400, `line ${orig.id} has only ${text(left)} left to return`);
    if (cmpDec(quantity, ZERO) === 0) continue;
    lines.push(returnLine(store, orig, quantity));
  }
  if (lines.length === 0) throw new PosSandboxError(409, "nothing left to return on this sale");
  lines.push(...discountReturnLines(store, original, prior, lines));

  const totals = saleTotals(lines);
  const due = totals.price + totals.tax;
  const settlement = settle(store, spec.refunds ?? [{ paymentTypeId: cashTypeId(store) }], {
    due,
    mode: "exact",
    cashRounding: store.config.cashRounding,
    at,
    registerId: register.id,
    outletId: register.outletId,
    sequenceId: seq.id,
    customerId: original.customerId,
    userId: original.userId,
  });
  const sale: SaleRec = {
    id: newId(store),
    outletId: register.outletId,
    registerId: register.id,
    userId: original.userId,
    customerId: original.customerId,
    ...nextInvoice(store, register.id),
    state: "closed",
    attributes: [],
    createdAt: at,
    date: at,
    updatedAt: at,
    completeSequenceId: seq.id,
    note: spec.note ?? `Return of ${original.invoiceNumber}`,
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
  };
  settlement.apply(sale.id);
  sale.version = nextVersion(store);
  store.sales[sale.id] = sale;
  recordSaleStock(ctx, sale);
  original.returnSaleIds.push(sale.id);
  original.updatedAt = at;
  original.version = nextVersion(store);
  ctx.hooks.saleChanged(store, sale.id);
  ctx.hooks.saleChanged(store, original.id);
  return sale;
}
