import { cmpDec, mulDec } from "../../../shared/money";
import { cents, centsToDec, dec, neg, percentOff, priceLine, saleTotals, ZERO } from "../pricing";
import { must, newId, nextVersion, PosSandboxError, taxRates, type Ctx } from "../store";
import { isoClassic, parseInstant } from "../time";
import type { Cents, SaleAttribute, SaleLineRec, SaleRec, StoreState } from "../types";
import { giftCardByNumber, loadGiftCard, newGiftCardNumber } from "./liabilities";
import { openSequenceOf } from "./registers";
import { recordSaleStock, restoreVoidedStock } from "./stock";
import { settle, toCents, type PaymentSpec } from "./settle";

/** Selling: regular, on-account, layby and parked sales; payments on account; voids. */

export interface SaleLineSpec {
  productId: string;
  quantity?: string | number | undefined;
  /** Unit list price ex tax; defaults to the product's price (required for a gift card: its amount). */
  unitPrice?: string | number | undefined;
  /** Unit discount in dollars, or discountPercent of the unit price. */
  discount?: string | number | undefined;
  discountPercent?: string | number | undefined;
  /** Gift Card product only: the card to load; a new number is issued when left out. */
  giftCardNumber?: string | undefined;
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
}

export interface AccountPaymentSpec {
  registerId: string;
  at?: string | undefined;
  payments: PaymentSpec[];
}

export function saleBalance(sale: SaleRec): Cents {
  return sale.totalPrice + sale.totalTax + sale.rounding - sale.payments.reduce((s, p) => s + p.amount, 0);
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

/** The totals a spec would come to, without changing anything (the generator plans payments with it). */
export function quoteSale(
  store: StoreState,
  spec: Pick<SaleSpec, "lines" | "saleDiscountPercent">,
): { price: Cents; tax: Cents; total: Cents } {
  const totals = saleTotals(buildLines(store, { registerId: "", ...spec }, QUOTE));
  return { price: totals.price, tax: totals.tax, total: totals.price + totals.tax };
}

function buildLines(store: StoreState, spec: SaleSpec, mint: Minting): SaleLineRec[] {
  const lines: SaleLineRec[] = [];
  for (const l of spec.lines) {
    const product = must(store.products[l.productId], `product ${l.productId}`);
    const quantity = dec(l.quantity ?? 1);
    if (cmpDec(quantity, ZERO) === 0) throw new PosSandboxError(400, "a line needs a quantity");
    if (product.kind === "discount")
      throw new PosSandboxError(400, "give a sale-level discount with saleDiscountPercent");
    const unitList = dec(l.unitPrice ?? product.price);
    let unitDiscount = ZERO;
    let giftCardNumber: string | null = null;
    if (product.kind === "gift_card") {
      if (
        cmpDec(quantity, dec(1)) !== 0 ||
        cmpDec(unitList, ZERO) <= 0 ||
        l.discount !== undefined ||
        l.discountPercent !== undefined
      ) {
        throw new PosSandboxError(400, "a gift-card line is one card with a positive amount and no discount");
      }
      toCents(l.unitPrice ?? "x", "gift card amount");
      giftCardNumber = l.giftCardNumber ?? mint.cardNumber();
      const card = giftCardByNumber(store, giftCardNumber);
      if (card && card.status !== "ACTIVE" && card.status !== "REDEEMED")
        throw new PosSandboxError(422, `gift card ${giftCardNumber} is ${card.status.toLowerCase()}`);
    } else if (l.discount !== undefined) {
      unitDiscount = dec(l.discount);
    } else if (l.discountPercent !== undefined) {
      unitDiscount = percentOff(unitList, dec(l.discountPercent));
    }
    if (cmpDec(unitDiscount, ZERO) < 0 || cmpDec(unitDiscount, unitList) > 0)
      throw new PosSandboxError(400, "a discount must be between 0 and the price");
    lines.push(
      priceLine(mint.id(), {
        productId: product.id,
        kind: product.kind,
        categoryId: product.kind === "product" ? product.categoryId : null,
        quantity,
        unitList,
        unitDiscount,
        taxId: product.taxId,
        rates: taxRates(store, product.taxId),
        isReturn: cmpDec(quantity, ZERO) < 0,
        giftCardNumber,
      }),
    );
  }
  if (spec.saleDiscountPercent !== undefined)
    lines.push(...saleDiscountLines(store, lines, spec.saleDiscountPercent, mint));
  return lines;
}

/** One discount-product line per tax among the product lines, −percent × that tax's net. */
function saleDiscountLines(
  store: StoreState,
  lines: SaleLineRec[],
  percent: string | number,
  mint: Minting,
): SaleLineRec[] {
  const netByTax = new Map<string, Cents>();
  for (const l of lines) if (l.kind === "product") netByTax.set(l.taxId, (netByTax.get(l.taxId) ?? 0) + l.total);
  const out: SaleLineRec[] = [];
  const discountProductId = store.retailer.discountProductId;
  for (const [taxId, net] of netByTax) {
    const amount = cents(mulDec(centsToDec(net), mulDec(dec(percent), dec("0.01"))));
    if (amount === 0) continue;
    out.push(
      priceLine(mint.id(), {
        productId: discountProductId,
        kind: "discount",
        categoryId: null,
        quantity: dec(1),
        unitList: neg(centsToDec(amount)),
        unitDiscount: ZERO,
        taxId,
        rates: taxRates(store, taxId),
        isReturn: false,
        giftCardNumber: null,
      }),
    );
  }
  return out;
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
  const lines = buildLines(store, spec, minting(store));
  const totals = saleTotals(lines);
  const seq = kind === "parked" ? null : openSequenceOf(store, register.id, at);
  const attributes: SaleAttribute[] = kind === "onaccount" ? ["onaccount"] : kind === "layby" ? ["layby"] : [];

  const due = totals.price + totals.tax;
  const specs = spec.payments ?? (kind === "regular" && due !== 0 ? [{ paymentTypeId: cashTypeId(store) }] : []);
  if (kind === "parked" && specs.length > 0) throw new PosSandboxError(400, "a parked sale takes no payments");
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
  };
  sale.state = kind === "parked" ? "parked" : kind === "regular" || saleBalance(sale) === 0 ? "closed" : "pending";
  for (const line of lines) {
    if (line.kind === "gift_card") loadGiftCard(store, line.giftCardNumber!, line.total, at, sale.id, userId);
  }
  settlement.apply(sale.id);
  sale.version = nextVersion(store);
  store.sales[sale.id] = sale;
  recordSaleStock(ctx, sale);
  if (kind === "onaccount" || kind === "layby") touchCustomer(store, customerId, at);
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
    due: saleBalance(sale),
    mode: "partial",
    cashRounding: false,
    at,
    registerId: register.id,
    outletId: register.outletId,
    sequenceId: seq.id,
    customerId: sale.customerId,
    userId: sale.userId,
  });
  settlement.apply(sale.id);
  sale.payments.push(...settlement.payments);
  if (saleBalance(sale) === 0) sale.state = "closed";
  sale.updatedAt = at;
  sale.version = nextVersion(store);
  touchCustomer(store, sale.customerId, at);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}

/**
 * Voids a sale. Like the POS, only while nothing it did has been closed off: a parked sale, or a sale
 * whose payments are all in sequences still open. A sale in a closed closure is returned instead.
 * Sales that moved a gift card or store credit are returned instead too (the sandbox does not reverse
 * liability transactions). A voided sale's payments no longer count in the expected totals.
 */
export function voidSale(ctx: Ctx, saleId: string, at?: Date): SaleRec {
  const { store } = ctx;
  const sale = must(store.sales[saleId], `sale ${saleId}`);
  if (sale.state === "voided") throw new PosSandboxError(409, "the sale is already voided");
  if (sale.returnSaleIds.length > 0) throw new PosSandboxError(409, "a sale with returns cannot be voided");
  const sequences = new Set(sale.payments.map((p) => p.sequenceId));
  if (sale.completeSequenceId && sale.state === "closed") sequences.add(sale.completeSequenceId);
  for (const id of sequences) {
    if (store.sequences[id]?.closedAt)
      throw new PosSandboxError(409, "the sale's register closure is closed: return it instead");
  }
  const touchesLiability =
    sale.lines.some((l) => l.kind === "gift_card") ||
    sale.payments.some((p) => {
      const kind = store.paymentTypes[p.paymentTypeId]?.kind;
      return kind === "gift_card" || kind === "store_credit";
    });
  if (touchesLiability) throw new PosSandboxError(409, "the sale moved a gift card or store credit: return it instead");
  const when = isoClassic(at ?? ctx.now());
  const tookStock = sale.state !== "parked";
  sale.state = "voided";
  sale.voidedAt = when;
  sale.updatedAt = when;
  sale.version = nextVersion(store);
  if (tookStock) restoreVoidedStock(ctx, sale, when);
  if (sale.attributes.length > 0) touchCustomer(store, sale.customerId, when);
  ctx.hooks.saleChanged(store, sale.id);
  return sale;
}
