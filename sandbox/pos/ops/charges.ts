import { mulDec, toMinorExact, type Dec } from "../../../shared/money";
import {
  cents,
  centsToDec,
  dec,
  mergeTaxes,
  splitInclusive,
  spreadCharge,
  sumDecs,
  text,
  totalsOf,
  type ChargeShare,
} from "../pricing";
import { must, PosSandboxError, rngOf, taxRates } from "../store";
import type { AdjustmentRec, AdjustmentType, Cents, LspayRec, SaleLineRec, SalePaymentRec, StoreState } from "../types";

/**
 * Tips, card surcharges, non-cash fees and e-commerce custom charges (pricing.ts rules 12–14), and the
 * Lightspeed Payments transaction behind an integrated card payment (its tenders: SALE, TIP, SURCHARGE,
 * REFUND, REVERSAL).
 */

export const isInclusive = (store: StoreState) => !store.retailer.taxExclusive;

export interface CustomChargeSpec {
  name: string;
  /** What the charge costs: incl. tax in a tax-inclusive store, ex tax in an exclusive one. */
  amount: string | number;
  /** The e-commerce charge type; default a fixed id per name. */
  sourceId?: string | undefined;
  /** Default: the outlet's default tax. */
  taxId?: string | undefined;
}

/** A stable, uuid-shaped id for a custom-charge type, from its name (not from the PRNG: no draws). */
export function chargeTypeId(name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    h1 = Math.imul(h1 ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 + name.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const s = `${hex(h1)}${hex(h2)}${hex(h1 ^ h2)}${hex(Math.imul(h1, 31) >>> 0)}`;
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function amountCents(amount: string | number, what: string): Cents {
  try {
    return toMinorExact(dec(amount));
  } catch {
    throw new PosSandboxError(400, `${what} is not an amount in cents: "${amount}"`);
  }
}

/** Rule 14: one piece per custom charge, taxed at its own tax. */
export function customChargePieces(store: StoreState, outletId: string, specs: readonly CustomChargeSpec[]) {
  const outlet = must(store.outlets[outletId], `outlet ${outletId}`);
  return specs.map((c): AdjustmentRec => {
    const amount = amountCents(c.amount, `custom charge ${c.name}`);
    if (amount <= 0) throw new PosSandboxError(400, "a custom charge is a positive amount");
    const taxId = c.taxId ?? outlet.defaultTaxId;
    const rates = taxRates(store, taxId);
    const split = isInclusive(store)
      ? splitInclusive(centsToDec(amount), rates)
      : {
          ex: centsToDec(amount),
          taxes: rates.map((r) => ({ rateId: r.id, tax: mulDec(centsToDec(amount), dec(r.rate)) })),
        };
    return {
      type: "ECOM_CUSTOM_CHARGE",
      name: c.name,
      total: text(split.ex),
      taxes: split.taxes.map((t) => ({ rateId: t.rateId, exact: text(t.tax) })),
      taxId,
      paymentId: null,
      sourceId: c.sourceId ?? chargeTypeId(c.name),
    };
  });
}

/** Groups a spread charge's line shares into one piece per tax. */
function piecesOf(type: AdjustmentType, name: string, shares: readonly ChargeShare[]): AdjustmentRec[] {
  const taxIds = [...new Set(shares.map((s) => s.taxId))];
  return taxIds.map((taxId) => {
    const mine = shares.filter((s) => s.taxId === taxId);
    return {
      type,
      name,
      total: text(sumDecs(mine.map((s) => s.value))),
      taxes: mergeTaxes(mine.map((s) => s.taxes)),
      taxId,
      paymentId: "",
    };
  });
}

export interface CardChargeSpec {
  tip?: Cents | undefined;
  /** Percent of the amount the card pays before charges ("1.5" = 1.5 %). */
  surchargePercent?: Dec | undefined;
  surchargeRule?: string | undefined;
  feePercent?: Dec | undefined;
}

export interface CardCharges {
  /** Pieces with paymentId "" until the payment exists (see attachCharges). */
  pieces: AdjustmentRec[];
  lineSurcharges: ChargeShare[];
  /** What each added to the payment, tax included. */
  surcharge: Cents;
  fee: Cents;
  tip: Cents;
  rule: string;
}

/** Rules 12–13: the charges one card payment of `base` cents (before its charges) adds to a sale. */
export function cardCharges(
  store: StoreState,
  lines: readonly SaleLineRec[],
  before: readonly AdjustmentRec[],
  base: Cents,
  spec: CardChargeSpec,
): CardCharges {
  const inclusive = isInclusive(store);
  const ratesOf = (taxId: string) => taxRates(store, taxId);
  const due = (adjs: readonly AdjustmentRec[]) => {
    const t = totalsOf(lines, adjs, inclusive);
    return t.price + t.tax;
  };
  const percentOf = (p: Dec) => cents(mulDec(centsToDec(base), mulDec(p, dec("0.01"))));
  const out: CardCharges = { pieces: [], lineSurcharges: [], surcharge: 0, fee: 0, tip: 0, rule: "" };
  let adjs = [...before];
  if (spec.surchargePercent !== undefined) {
    const amount = percentOf(spec.surchargePercent);
    out.rule = spec.surchargeRule ?? `${text(spec.surchargePercent)}%`;
    if (amount > 0) {
      const shares = spreadCharge(amount, lines, inclusive, ratesOf);
      const pieces = piecesOf("SURCHARGE", `Card surcharge (${out.rule})`, shares);
      const was = due(adjs);
      adjs = [...adjs, ...pieces];
      out.surcharge = due(adjs) - was;
      out.pieces.push(...pieces);
      out.lineSurcharges = shares;
    }
  }
  if (spec.feePercent !== undefined) {
    const amount = percentOf(spec.feePercent);
    if (amount > 0) {
      const pieces = piecesOf("NON_CASH_FEE", "Non-cash adjustment", spreadCharge(amount, lines, inclusive, ratesOf));
      const was = due(adjs);
      adjs = [...adjs, ...pieces];
      out.fee = due(adjs) - was;
      out.pieces.push(...pieces);
    }
  }
  if (spec.tip !== undefined && spec.tip !== 0) {
    if (spec.tip < 0) throw new PosSandboxError(400, "a tip is a positive amount");
    out.tip = spec.tip;
    out.pieces.push({
      type: "TIP",
      name: "Tip",
      total: text(centsToDec(spec.tip)),
      taxes: [],
      taxId: null,
      paymentId: "",
    });
  }
  return out;
}

/** Once the paying payment exists: the charges name it, the lines carry their surcharge shares. */
export function attachCharges(lines: SaleLineRec[], charges: CardCharges, payment: SalePaymentRec): void {
  for (const piece of charges.pieces) piece.paymentId = payment.id;
  for (const share of charges.lineSurcharges) {
    const line = lines.find((l) => l.id === share.lineId)!;
    line.surcharges = [
      ...(line.surcharges ?? []),
      { paymentId: payment.id, value: text(share.value), taxes: share.taxes },
    ];
  }
  if (charges.tip > 0) payment.tip = charges.tip;
  if (charges.surcharge > 0) payment.surcharge = { amount: charges.surcharge, rule: charges.rule };
  if (charges.fee > 0) payment.fee = charges.fee;
}

/**
 * The Lightspeed Payments transaction behind an integrated payment (full activity only, so the classic
 * stores' records stay as they were): tenders SALE + TIP + SURCHARGE add up to a payment, REFUND to a
 * refund. Tender amounts are magnitudes.
 */
export function lspayFor(store: StoreState, payment: SalePaymentRec): LspayRec | undefined {
  if (store.config.activity !== "full") return undefined;
  if (store.paymentTypes[payment.paymentTypeId]?.kind !== "integrated") return undefined;
  const rng = rngOf(store);
  const transactionId = rng.uuid();
  const tender = (type: LspayRec["tenders"][number]["type"], amount: Cents) => ({
    id: rng.uuid(),
    type,
    amount,
    createdAt: payment.at,
  });
  const extra = (payment.tip ?? 0) + (payment.surcharge?.amount ?? 0) + (payment.fee ?? 0);
  const tenders =
    payment.amount < 0
      ? [tender("REFUND", -payment.amount)]
      : [
          tender("SALE", payment.amount - extra),
          ...(payment.tip ? [tender("TIP", payment.tip)] : []),
          ...(payment.surcharge || payment.fee
            ? [tender("SURCHARGE", (payment.surcharge?.amount ?? 0) + (payment.fee ?? 0))]
            : []),
        ];
  return {
    transactionId,
    externalTransactionId: `pi_${rng.digits(12)}${rng.digits(12)}`,
    cardLast4: rng.digits(4),
    status: payment.amount < 0 ? "REFUNDED" : "COMPLETED",
    createdAt: payment.at,
    updatedAt: payment.at,
    tenders,
  };
}

/** A voided sale's card payments are reversed at the terminal. */
export function reverseLspay(store: StoreState, payment: SalePaymentRec, at: string): void {
  const tx = payment.lspay;
  if (!tx || tx.status === "REVERSED") return;
  tx.tenders.push({ id: rngOf(store).uuid(), type: "REVERSAL", amount: Math.abs(payment.amount), createdAt: at });
  tx.status = "REVERSED";
  tx.updatedAt = at;
}
