import { addDec, cmpDec, formatMinor, mulDec } from "../../../shared/money";
import {
  cents,
  centsToDec,
  counted,
  dec,
  lineInclCents,
  loyaltyPerUnit,
  neg,
  percentOff,
  percentOffCents,
  priceInclusiveLine,
  priceLine,
  rateSum,
  totalsOf,
  ZERO,
} from "../pricing";
import { must, newId, nextVersion, PosSandboxError, taxRates, type Ctx } from "../store";
import { isoClassic, parseInstant } from "../time";
import type { AdjustmentRec, Cents, SaleAttribute, SaleLineRec, SaleRec, StoreState } from "../types";
import {
  attachCharges,
  cardCharges,
  customChargePieces,
  isInclusive,
  lspayFor,
  reverseLspay,
  type CardChargeSpec,
  type CustomChargeSpec,
} from "./charges";
import { giftCardByNumber, loadGiftCard, newGiftCardNumber } from "./liabilities";
import { isLoyaltyMember } from "./loyalty";
import { expectedBySequence, openSequenceOf } from "./registers";
import { recordSaleStock, restoreVoidedStock } from "./stock";
import { settle, toCents, type PaymentSpec } from "./settle";

/** Selling: regular, on-account, layby and parked sales; payments on account; voids. */

export interface SaleLineSpec {
  productId: string;
  quantity?: string | number | undefined;
  /**
   * Unit list price — ex tax in a tax-exclusive store, INCL. tax in a tax-inclusive one; defaults to
   * the product's price (required for a gift card: its amount).
   */
  unitPrice?: string | number | undefined;
  /** Unit discount in dollars (incl. tax in a tax-inclusive store), or discountPercent of the unit price. */
  discount?: string | number | undefined;
  discountPercent?: string | number | undefined;
  /** Gift Card product only: the card to load; a new number is issued when left out. */
  giftCardNumber?: string | undefined;
  /** The line was rung up, then removed (`status: VOIDED`): kept on the sale, never counted. */
  voided?: boolean | undefined;
}

export interface SaleSpec {
  registerId: string;
  /** The sale time (ISO instant); defaults to the sandbox clock. */
  at?: string | undefined;
  customerId?: string | null | undefined;
  kind?: "regular" | "onaccount" | "layby" | "parked" | undefined;
  note?: string | undefined;
  userId?: string | undefined;
  lines: SaleLineSpec[];
  /** A sale-level discount: one discount-product line per tax, this percent of that tax's net. */
  saleDiscountPercent?: string | number | undefined;
  /** Regular sales default to one Cash payment of the total; on-account and layby to none (a layby deposit is a payment here). */
  payments?: PaymentSpec[] | undefined;
  /** E-commerce custom charges (ECOM_CUSTOM_CHARGE), e.g. gift wrapping or delivery. */
  customCharges?: CustomChargeSpec[] | undefined;
  /** An e-commerce order: `source.type` ECOMMERCE and this order reference as `source.id`. */
  ecommerceOrderId?: string | undefined;
  /** The API then leaves `_metadata.complete_open_sequence_id` out of the sale, as the real one sometimes does. */
  omitSequenceId?: boolean | undefined;
}

export interface AccountPaymentSpec {
  registerId: string;
  at?: string | undefined;
  payments: PaymentSpec[];
}

/**
 * What the customer still owes on a sale: its total − its payments; on an on-account sale also − what
 * its returns put back on account (the part of each return not refunded in money). A return itself
 * owes nothing.
 */
export function saleBalance(sale: SaleRec, store?: StoreState): Cents {
  if (sale.returnFor !== null && sale.attributes.length > 0) return 0;
  const paid = sale.payments.reduce((s, p) => s + p.amount, 0);
  let credited = 0;
  if (store && sale.attributes.length > 0) {
    for (const id of sale.returnSaleIds) {
      const r = store.sales[id];
      if (!r || r.state === "voided") continue;
      credited += r.payments.reduce((s, p) => s + p.amount, 0) - (r.totalPrice + r.totalTax);
    }
  }
  return sale.totalPrice + sale.totalTax + sale.rounding - paid - credited;
}

/** Where new line ids and gift-card numbers come from: the store's stream, or dummies for a quote. */
interface Minting {
  id(): string;
  cardNumber(): string;
}

function minting(store: StoreState): Minting {
  return { id: () => newId(store), cardNumber: () => newGiftCardNumber(store) };
}

const QUOTE: Minting = { id: () => "quote", cardNumber: () => "quote" };

/** The totals a spec would come to before card charges, without changing anything (the generator plans payments with it). */
export function quoteSale(
  store: StoreState,
  spec: Pick<SaleSpec, "lines" | "saleDiscountPercent" | "customCharges"> & { outletId?: string },
): { price: Cents; tax: Cents; total: Cents } {
  const lines = buildLines(store, { registerId: "", ...spec }, QUOTE);
  const outletId = spec.outletId ?? Object.keys(store.outlets)[0]!;
  const customs = spec.customCharges?.length ? customChargePieces(store, outletId, spec.customCharges) : [];
  const totals = totalsOf(lines, customs, isInclusive(store));
  return { price: totals.price, tax: totals.tax, total: totals.price + totals.tax };
}

function giftCardLine(store: StoreState, l: SaleLineSpec, quantity: ReturnType<typeof dec>, mint: Minting) {
  const unitList = dec(l.unitPrice ?? "0");
  if (
    cmpDec(quantity, dec(1)) !== 0 ||
    cmpDec(unitList, ZERO) <= 0 ||
    l.discount !== undefined ||
    l.discountPercent !== undefined ||
    l.voided
  ) {
    throw new PosSandboxError(400, "a gift-card line is one card with a positive amount and no discount");
  }
  toCents(l.unitPrice ?? "x", "gift card amount");
  const giftCardNumber = l.giftCardNumber ?? mint.cardNumber();
  const card = giftCardByNumber(store, giftCardNumber);
  if (card && card.status !== "ACTIVE" && card.status !== "REDEEMED")
    throw new PosSandboxError(422, `gift card ${giftCardNumber} is ${card.status.toLowerCase()}`);
  return { unitList, giftCardNumber };
}

function buildLines(store: StoreState, spec: SaleSpec, mint: Minting): SaleLineRec[] {
  const inclusive = isInclusive(store);
  const lines: SaleLineRec[] = [];
  for (const l of spec.lines) {
    const product = must(store.products[l.productId], `product ${l.productId}`);
    const quantity = dec(l.quantity ?? 1);
    if (cmpDec(quantity, ZERO) === 0) throw new PosSandboxError(400, "a line needs a quantity");
    if (product.kind === "discount")
      throw new PosSandboxError(400, "give a sale-level discount with saleDiscountPercent");
    let unitList = dec(l.unitPrice ?? (inclusive ? (product.priceInclTax ?? product.price) : product.price));
    let unitDiscount = ZERO;
    let giftCardNumber: string | null = null;
    if (product.kind === "gift_card") {
      ({ unitList, giftCardNumber } = giftCardLine(store, l, quantity, mint));
    } else if (l.discount !== undefined) {
      unitDiscount = dec(l.discount);
    } else if (l.discountPercent !== undefined) {
      unitDiscount = inclusive
        ? percentOffCents(unitList, dec(l.discountPercent))
        : percentOff(unitList, dec(l.discountPercent));
    }
    if (cmpDec(unitDiscount, ZERO) < 0 || cmpDec(unitDiscount, unitList) > 0)
      throw new PosSandboxError(400, "a discount must be between 0 and the price");
    const base = {
      productId: product.id,
      kind: product.kind,
      categoryId: product.kind === "product" ? product.categoryId : null,
      quantity,
      taxId: product.taxId,
      rates: taxRates(store, product.taxId),
      isReturn: cmpDec(quantity, ZERO) < 0,
      giftCardNumber,
    };
    const line = inclusive
      ? priceInclusiveLine(mint.id(), { ...base, unitInclList: unitList, unitInclDiscount: unitDiscount })
      : priceLine(mint.id(), { ...base, unitList, unitDiscount });
    if (l.voided) line.voided = true;
    lines.push(line);
  }
  if (spec.saleDiscountPercent !== undefined)
    lines.push(...saleDiscountLines(store, lines, spec.saleDiscountPercent, mint));
  return lines;
}

/** New lines for an existing sale (an exchange's), priced like a sale's. */
export function buildSaleLines(store: StoreState, lines: SaleLineSpec[]): SaleLineRec[] {
  return buildLines(store, { registerId: "", lines }, minting(store));
}

/** One discount-product line per tax among the product lines, −percent × that tax's net (incl. tax when inclusive). */
function saleDiscountLines(
  store: StoreState,
  lines: SaleLineRec[],
  percent: string | number,
  mint: Minting,
): SaleLineRec[] {
  const inclusive = isInclusive(store);
  const netByTax = new Map<string, Cents>();
  for (const l of counted(lines))
    if (l.kind === "product") netByTax.set(l.taxId, (netByTax.get(l.taxId) ?? 0) + lineInclCents(l));
  const out: SaleLineRec[] = [];
  const discountProductId = store.retailer.discountProductId;
  for (const [taxId, net] of netByTax) {
    const amount = cents(mulDec(centsToDec(net), mulDec(dec(percent), dec("0.01"))));
    if (amount === 0) continue;
    const base = {
      productId: discountProductId,
      kind: "discount" as const,
      categoryId: null,
      quantity: dec(1),
      taxId,
      rates: taxRates(store, taxId),
      isReturn: false,
      giftCardNumber: null,
    };
    out.push(
      inclusive
        ? priceInclusiveLine(mint.id(), { ...base, unitInclList: neg(centsToDec(amount)), unitInclDiscount: ZERO })
        : priceLine(mint.id(), { ...base, unitList: neg(centsToDec(amount)), unitDiscount: ZERO }),
    );
  }
  return out;
}

/** Loyalty members earn on product lines: round_half_up(unit price incl. tax × ratio) per unit. */
export function applyLoyalty(store: StoreState, lines: SaleLineRec[], customerId: string | null): void {
  if (!isLoyaltyMember(store, customerId)) return;
  const ratio = dec(store.retailer.loyaltyRatio!);
  for (const line of lines) {
    if (line.kind !== "product" || line.voided) continue;
    const unitIncl = line.inclusive
      ? dec(line.inclusive.unitIncl)
      : mulDec(dec(line.unitPrice), addDec(dec(1), rateSum(taxRates(store, line.taxId))));
    const unit = loyaltyPerUnit(unitIncl, ratio);
    if (cmpDec(unit, ZERO) > 0) line.loyaltyUnit = formatMinor(cents(unit));
  }
}

export function nextInvoice(
  store: StoreState,
  registerId: string,
): { invoiceNumber: string; receiptNumber: string; shortCode: string } {
  const register = must(store.registers[registerId], `register ${registerId}`);
  register.invoiceSequence += 1;
  register.version = nextVersion(store);
  store.counters.shortCode += 1;
  return {
    invoiceNumber: `${register.invoicePrefix}${register.invoiceSequence}${register.invoiceSuffix}`,
    receiptNumber: String(register.invoiceSequence),
    shortCode: (store.counters.shortCode * 7919 + 1000003).toString(36).slice(-6),
  };
}

export function touchCustomer(store: StoreState, customerId: string | null, at: string): void {
  if (!customerId) return;
  const c = must(store.customers[customerId], `customer ${customerId}`);
  c.updatedAt = at;
  c.version = nextVersion(store);
}

const CHARGEABLE = new Set(["card", "integrated", "other"]);

/** The card charges the last payment spec asks for (validated), or null. */
function chargesAsked(store: StoreState, specs: readonly PaymentSpec[], kind: string): CardChargeSpec | null {
  const asks = (p: PaymentSpec) =>
    p.tip !== undefined || p.surchargePercent !== undefined || p.nonCashFeePercent !== undefined;
  const i = specs.findIndex(asks);
  if (i < 0) return null;
  if (i !== specs.length - 1) throw new PosSandboxError(400, "only the last payment may carry a tip, surcharge or fee");
  if (kind !== "regular") throw new PosSandboxError(400, "tips, surcharges and fees go on regular sales");
  const last = specs[i]!;
  const pt = must(store.paymentTypes[last.paymentTypeId], `payment type ${last.paymentTypeId}`);
  if (!CHARGEABLE.has(pt.kind))
    throw new PosSandboxError(400, `a ${pt.name} payment carries no tip, surcharge or fee (card payments do)`);
  return {
    tip: last.tip === undefined ? undefined : toCents(last.tip, "tip"),
    surchargePercent: last.surchargePercent === undefined ? undefined : dec(last.surchargePercent),
    surchargeRule: last.surchargeRule,
    feePercent: last.nonCashFeePercent === undefined ? undefined : dec(last.nonCashFeePercent),
  };
}

/**
 * Rules 12–13 on the last payment: its charges computed on what it pays before them, the sale's totals
 * with them, and the payment's amount (when given) raised by them.
 */
function chargeLastPayment(
  store: StoreState,
  lines: SaleLineRec[],
  customs: AdjustmentRec[],
  specs: PaymentSpec[],
  asked: CardChargeSpec | null,
  due: Cents,
) {
  if (!asked) return { charges: null, adjustments: customs, totals: null, specs };
  const last = specs[specs.length - 1]!;
  const amountOf = (p: PaymentSpec) => (p.amount === undefined ? 0 : toCents(p.amount, "payment amount"));
  const earlier = specs.slice(0, -1).reduce((s, p) => s + amountOf(p), 0);
  const base = last.amount === undefined ? due - earlier : amountOf(last);
  if (base <= 0) throw new PosSandboxError(400, "a charged payment pays a positive amount");
  const charges = cardCharges(store, lines, customs, base, asked);
  const adjustments = [...customs, ...charges.pieces];
  const raised = base + charges.surcharge + charges.fee + charges.tip;
  return {
    charges,
    adjustments,
    totals: totalsOf(lines, adjustments, isInclusive(store)),
    specs: last.amount === undefined ? specs : [...specs.slice(0, -1), { ...last, amount: formatMinor(raised) }],
  };
}

export function addSale(ctx: Ctx, spec: SaleSpec): SaleRec {
  const { store } = ctx;
  const kind = spec.kind ?? "regular";
  const at = isoClassic(spec.at ? parseInstant(spec.at) : ctx.now());
  const register = must(store.registers[spec.registerId], `register ${spec.registerId}`);
  const customerId = spec.customerId ?? null;
  if (customerId) must(store.customers[customerId], `customer ${customerId}`);
  if ((kind === "onaccount" || kind === "layby") && !customerId)
    throw new PosSandboxError(400, `a ${kind} sale needs a customer`);
  if (spec.lines.length === 0) throw new PosSandboxError(400, "a sale needs at least one line");
  const userId = spec.userId ?? store.users[0]!.id;
  const inclusive = isInclusive(store);
  const lines = buildLines(store, spec, minting(store));
  applyLoyalty(store, lines, customerId);
  const customs = spec.customCharges?.length ? customChargePieces(store, register.outletId, spec.customCharges) : [];
  let totals = totalsOf(lines, customs, inclusive);
  const seq = kind === "parked" ? null : openSequenceOf(store, register.id, at);
  const attributes: SaleAttribute[] = kind === "onaccount" ? ["onaccount"] : kind === "layby" ? ["layby"] : [];

  let due = totals.price + totals.tax;
  let specs = spec.payments ?? (kind === "regular" && due !== 0 ? [{ paymentTypeId: cashTypeId(store) }] : []);
  if (kind === "parked" && specs.length > 0) throw new PosSandboxError(400, "a parked sale takes no payments");
  const charged = chargeLastPayment(store, lines, customs, specs, chargesAsked(store, specs, kind), due);
  const { charges, adjustments } = charged;
  if (charges) {
    ({ totals, specs } = charged);
    due = totals.price + totals.tax;
  }
  const settlement = seq
    ? settle(store, specs, {
        due,
        mode: kind === "regular" ? "exact" : "partial",
        cashRounding: store.config.cashRounding,
        at,
        registerId: register.id,
        outletId: register.outletId,
        sequenceId: seq.id,
        customerId,
        userId,
      })
    : { payments: [], rounding: 0, apply() {} };
  if (charges) attachCharges(lines, charges, settlement.payments[settlement.payments.length - 1]!);
  for (const p of settlement.payments) {
    const tx = lspayFor(store, p);
    if (tx) p.lspay = tx;
  }

  const sale: SaleRec = {
    id: newId(store),
    outletId: register.outletId,
    registerId: register.id,
    userId,
    customerId,
    ...(kind === "parked" ? { invoiceNumber: "", receiptNumber: "", shortCode: "" } : nextInvoice(store, register.id)),
    state: "closed",
    attributes,
    createdAt: at,
    date: at,
    updatedAt: at,
    completeSequenceId: seq?.id ?? null,
    note: spec.note ?? "",
    lines,
    payments: settlement.payments,
    rounding: settlement.rounding,
    taxes: totals.taxes,
    totalPrice: totals.price,
    totalTax: totals.tax,
    returnFor: null,
    returnSaleIds: [],
    voidedAt: null,
    version: 0,
    ...(adjustments.length > 0 ? { adjustments } : {}),
    ...(totals.exact ? { exact: totals.exact } : {}),
    ...(spec.ecommerceOrderId ? { ecommerce: { orderId: spec.ecommerceOrderId } } : {}),
    ...(spec.omitSequenceId ? { omitSequenceId: true as const } : {}),
  };
  sale.state = kind === "parked" ? "parked" : kind === "regular" || saleBalance(sale) === 0 ? "closed" : "pending";
  for (const line of counted(lines)) {
    if (line.kind === "gift_card") loadGiftCard(store, line.giftCardNumber!, line.total, at, sale.id, userId);
  }
  settlement.apply(sale.id);
  sale.version = nextVersion(store);
  store.sales[sale.id] = sale;
  recordSaleStock(ctx, sale);
  if (kind === "onaccount" || kind === "layby") touchCustomer(store, customerId, at);
  else if (kind === "regular" && isLoyaltyMember(store, customerId)) touchCustomer(store, customerId, at);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}

export function cashTypeId(store: StoreState): string {
  return must(
    Object.values(store.paymentTypes).find((p) => p.kind === "cash" && p.deletedAt === null),
    "Cash payment type",
  ).id;
}

/** A payment on an on-account or layby sale, taken in the register's current sequence. */
export function payOnAccount(ctx: Ctx, saleId: string, spec: AccountPaymentSpec): SaleRec {
  const { store } = ctx;
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  if (sale.state !== "pending" || sale.attributes.length === 0)
    throw new PosSandboxError(409, "only a pending on-account or layby sale takes account payments");
  const register = must(store.registers[spec.registerId], `register ${spec.registerId}`);
  const at = isoClassic(spec.at ? parseInstant(spec.at) : ctx.now());
  const seq = openSequenceOf(store, register.id, at);
  const settlement = settle(store, spec.payments, {
    due: saleBalance(sale, store),
    mode: "partial",
    cashRounding: false,
    at,
    registerId: register.id,
    outletId: register.outletId,
    sequenceId: seq.id,
    customerId: sale.customerId,
    userId: sale.userId,
  });
  for (const p of settlement.payments) {
    const tx = lspayFor(store, p);
    if (tx) p.lspay = tx;
  }
  settlement.apply(sale.id);
  sale.payments.push(...settlement.payments);
  if (saleBalance(sale, store) === 0) sale.state = "closed";
  sale.updatedAt = at;
  sale.version = nextVersion(store);
  touchCustomer(store, sale.customerId, at);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}

/**
 * Voids a sale: a parked one, or a completed one — also after its register closed, as the POS allows
 * from the sales history (a CLOSED sale "may only move to VOIDED"). The POS's closure record is not
 * altered by a later void (reference/pos-api-notes.md §1.5): the closure keeps the expected totals it
 * had at close (`expectedAtClose`), while the sale's payments leave the live expected totals. A sale
 * with returns, or that moved a gift card or store credit, is returned instead (the sandbox does not
 * reverse liability transactions); loyalty needs nothing (balances are computed, a void gives it back).
 */
export function voidSale(ctx: Ctx, saleId: string, at?: Date): SaleRec {
  const { store } = ctx;
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  if (sale.state === "voided") throw new PosSandboxError(409, "the sale is already voided");
  if (sale.returnSaleIds.length > 0) throw new PosSandboxError(409, "a sale with returns cannot be voided");
  const touchesLiability =
    sale.lines.some((l) => l.kind === "gift_card" && !l.voided) ||
    sale.payments.some((p) => {
      const kind = store.paymentTypes[p.paymentTypeId]?.kind;
      return kind === "gift_card" || kind === "store_credit";
    });
  if (touchesLiability) throw new PosSandboxError(409, "the sale moved a gift card or store credit: return it instead");
  const when = isoClassic(at ?? ctx.now());
  const tookStock = sale.state !== "parked";
  if (when < sale.date) throw new PosSandboxError(400, "a sale cannot be voided before it was made");
  const sequences = new Set(sale.payments.map((p) => p.sequenceId));
  if (sale.completeSequenceId && sale.state === "closed") sequences.add(sale.completeSequenceId);
  for (const id of sequences) {
    const seq = store.sequences[id];
    if (seq?.closedAt && !seq.expectedAtClose) seq.expectedAtClose = Object.fromEntries(expectedBySequence(store, id));
  }
  for (const p of sale.payments) reverseLspay(store, p, when);
  sale.state = "voided";
  sale.voidedAt = when;
  sale.updatedAt = when;
  sale.version = nextVersion(store);
  if (tookStock) restoreVoidedStock(ctx, sale, when);
  if (sale.attributes.length > 0 || isLoyaltyMember(store, sale.customerId))
    touchCustomer(store, sale.customerId, when);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}

/**
 * Voids one line of a pending on-account or layby sale (a confirmed line the customer no longer takes):
 * the line stays on the sale with `status: VOIDED` and the totals drop it. Refused when the payments
 * already exceed the new total (refund first) or the line is a gift card.
 */
export function voidLine(ctx: Ctx, saleId: string, lineId: string, at?: Date): SaleRec {
  const { store } = ctx;
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  if (sale.state !== "pending" || sale.attributes.length === 0 || sale.returnSaleIds.length > 0)
    throw new PosSandboxError(409, "only a line of a pending on-account or layby sale (without returns) is voided");
  const line = must(
    sale.lines.find((l) => l.id === lineId),
    `line ${lineId}`,
  );
  if (line.voided) throw new PosSandboxError(409, "the line is already voided");
  if (line.kind !== "product") throw new PosSandboxError(400, "only a product line is voided");
  line.voided = true;
  const totals = totalsOf(sale.lines, sale.adjustments ?? [], isInclusive(store));
  const paid = sale.payments.reduce((s, p) => s + p.amount, 0);
  if (totals.price + totals.tax < paid) {
    delete line.voided;
    throw new PosSandboxError(409, "the payments would exceed the sale's new total: refund first");
  }
  setTotals(sale, totals);
  const when = isoClassic(at ?? ctx.now());
  delete line.voided;
  restoreVoidedStock(ctx, sale, when, [line]);
  line.voided = true;
  line.voidedAt = when;
  if (saleBalance(sale, store) === 0) sale.state = "closed";
  sale.updatedAt = when;
  sale.version = nextVersion(store);
  touchCustomer(store, sale.customerId, when);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}

export function setTotals(sale: SaleRec, totals: ReturnType<typeof totalsOf>): void {
  sale.taxes = totals.taxes;
  sale.totalPrice = totals.price;
  sale.totalTax = totals.tax;
  if (totals.exact) sale.exact = totals.exact;
}
