import {
  addDec,
  type Dec,
  minorToDec,
  mulDec,
  negDec,
  parseDec,
  toMinor,
  toQboAmount,
  toQboDecimal,
} from "../../shared/money";
import type { Blockers } from "./blockers";
import { EffectSheet } from "./effects";
import { clip } from "./keys";
import type { SalesItem } from "./refs";
import { percentText, type RateLink, type ResolvedTax } from "./tax";
import type { Effect } from "./types";

export const MAX_LINES = 750;
const DESCRIPTION_MAX = 4000;
const PER_CENT = parseDec("0.01");

/** Which line of SPEC §1.1's table a form line is (invoice lines of products are "sales" too). */
export type FormLineKind =
  | "sales"
  | "discount"
  | "gift_card"
  | "store_credit"
  | "till"
  | "rounding"
  | "tips"
  | "charge";

/** One line of a sales form (SalesReceipt, RefundReceipt, Invoice, CreditMemo), signed as on a sale. */
export interface FormLine {
  kind: FormLineKind;
  /** The POS payment type a till-discrepancy line is for */
  paymentTypeId?: string;
  item: SalesItem;
  amountMinor: number;
  /** Only when Qty × UnitPrice gives amountMinor exactly (see exactQtyPrice); else Qty 1 */
  qty?: Dec;
  unitPrice?: Dec;
  description: string;
  label: string;
  /** null: a line that carries no tax (non-taxable code / NON) */
  tax: ResolvedTax | null;
}

/** POS tax of the form per (POS tax, POS rate), signed as on a sale. */
export interface FormTax {
  tax: ResolvedTax;
  posRateId: string;
  amountMinor: number;
}

export interface FormSpec {
  entities: { positive: "SalesReceipt" | "Invoice"; negative: "RefundReceipt" | "CreditMemo" };
  /** TxnDate, DocNumber, PrivateNote, CustomerRef, DepositToAccountRef, DepartmentRef, CurrencyRef… */
  header: Record<string, unknown>;
  lines: FormLine[];
  taxes: FormTax[];
  /** TaxCodeRef of non-taxable lines: the mapped code (global) or NON (US) */
  nonTaxableCode: string | undefined;
  classId: string | undefined;
  isUS: boolean;
  /** The account the total lands in: the clearing account or A/R */
  totalAccount: { id: string; name: string };
  /** What the form is, for blocker details ("the closure", "sale #12") */
  what: string;
  /** The name of an account, for the books-effect labels */
  accountName: (id: string) => string;
}

export interface TaxRow {
  label: string;
  /** The POS tax the form books (override) */
  posMinor: number;
  /** QBO's own computation: half-up of Σ net × rate over the document; null when unknown */
  qboMinor: number | null;
}

export interface SalesForm {
  entity: "SalesReceipt" | "Invoice" | "RefundReceipt" | "CreditMemo";
  body: Record<string, unknown>;
  /** Σ lines + tax, signed as on a sale (negative for a refund receipt / credit memo) */
  totalMinor: number;
  taxMinor: number;
  effects: Effect[];
  taxRows: TaxRow[];
  summary: { label: string; amountMinor: number }[];
}

/** Whether Qty × UnitPrice lands on the amount whichever way QBO rounds a half cent. */
export function exactQtyPrice(qty: Dec, unitPrice: Dec, amountMinor: number): boolean {
  const product = mulDec(qty, unitPrice);
  return toMinor(product, "half-up") === amountMinor && toMinor(product, "half-even") === amountMinor;
}

function qboTaxOf(netMinor: number, percent: Dec): number {
  return toMinor(mulDec(mulDec(minorToDec(netMinor), percent), PER_CENT), "half-up");
}

/**
 * Builds a sales form from signed lines: a SalesReceipt / Invoice when its total is ≥ 0, else a
 * RefundReceipt / CreditMemo with every amount negated, so a net-negative form never fails. Tax is
 * the POS's own amount (TaxLines per QBO rate, or TotalTax in the US model).
 */
export function buildSalesForm(spec: FormSpec, blockers: Blockers): SalesForm | undefined {
  const nonZero = spec.lines.filter((l) => l.amountMinor !== 0);
  const lines = nonZero.length > 0 ? nonZero : spec.lines;
  if (lines.length > MAX_LINES) {
    blockers.add(
      "unsupported_event",
      `${spec.what} needs ${lines.length} lines; QuickBooks Online accepts at most ${MAX_LINES}`,
    );
    return undefined;
  }
  const taxMinor = spec.taxes.reduce((s, t) => s + t.amountMinor, 0);
  const totalMinor = lines.reduce((s, l) => s + l.amountMinor, 0) + taxMinor;
  const sign = totalMinor < 0 ? -1 : 1;
  const entity = sign < 0 ? spec.entities.negative : spec.entities.positive;
  const effects = new EffectSheet();
  effects.add(spec.totalAccount.id, spec.totalAccount.name, totalMinor);

  const tax = spec.isUS ? usTax(spec, lines, blockers) : globalTax(spec, lines, blockers);
  if (!tax) return undefined;
  for (const e of tax.effects) effects.add(e.accountId, e.label, e.debitMinor);

  const jsonLines = lines.map((l) => {
    const code = l.tax ? l.tax.lineCode : spec.nonTaxableCode;
    const exact = l.qty && l.unitPrice;
    const detail: Record<string, unknown> = {
      ItemRef: { value: l.item.id, name: l.item.name },
      Qty: exact ? toQboDecimal(sign < 0 ? negDec(l.qty!) : l.qty!) : 1,
      UnitPrice: exact ? toQboDecimal(l.unitPrice!) : toQboAmount(sign * l.amountMinor),
    };
    if (code) detail.TaxCodeRef = { value: code };
    if (spec.classId) detail.ClassRef = { value: spec.classId };
    effects.add(l.item.incomeAccountId, spec.accountName(l.item.incomeAccountId), -l.amountMinor);
    return {
      DetailType: "SalesItemLineDetail",
      Amount: toQboAmount(sign * l.amountMinor),
      Description: clip(l.description, DESCRIPTION_MAX),
      SalesItemLineDetail: detail,
    };
  });

  const body: Record<string, unknown> = { ...spec.header, Line: jsonLines };
  if (!spec.isUS) body.GlobalTaxCalculation = "TaxExcluded";
  if (tax.detail) body.TxnTaxDetail = tax.detail(sign);

  const summary = [
    ...lines.map((l) => ({ label: l.label, amountMinor: l.amountMinor })),
    ...tax.rows.map((r) => ({ label: `Tax – ${r.label}`, amountMinor: r.posMinor })),
    { label: sign < 0 ? `${entity} total (refunded)` : `${entity} total`, amountMinor: totalMinor },
  ];
  return { entity, body, totalMinor, taxMinor, effects: effects.list(), taxRows: tax.rows, summary };
}

interface TaxPart {
  detail?: ((sign: number) => Record<string, unknown>) | undefined;
  rows: TaxRow[];
  effects: Effect[];
}

/** One QBO tax rate of a global-model form: the POS tax booked at it, and the net it taxes. */
interface RateSum {
  name: string;
  percent: Dec;
  amountMinor: number;
  netMinor: number;
}

function globalTax(spec: FormSpec, lines: FormLine[], blockers: Blockers): TaxPart | undefined {
  if (!spec.nonTaxableCode && lines.some((l) => !l.tax)) {
    blockers.add("needs_mapping", "the non-taxable tax code", "nonTaxableTaxCodeId", {
      thing: "nonTaxableTaxCodeId",
    });
    return undefined;
  }
  const used = [...byQboRate(spec, lines, blockers).entries()].filter(
    ([, r]) => r.amountMinor !== 0 || r.netMinor !== 0,
  );
  const total = used.reduce((s, [, r]) => s + r.amountMinor, 0);
  return {
    rows: used.map(([, r]) => ({
      label: `${r.name} ${percentText(r.percent)}`,
      posMinor: r.amountMinor,
      qboMinor: qboTaxOf(r.netMinor, r.percent),
    })),
    effects: used.map(([id, r]) => ({
      accountId: `tax:${id}`,
      label: `Tax – ${r.name} ${percentText(r.percent)}`,
      debitMinor: -r.amountMinor,
    })),
    detail: used.length === 0 ? undefined : (sign) => taxLines(used, total, sign),
  };
}

/** The POS tax and the taxable net per QBO tax rate, in the order the form first names each rate. */
function byQboRate(spec: FormSpec, lines: FormLine[], blockers: Blockers): Map<string, RateSum> {
  const byRate = new Map<string, RateSum>();
  const at = (qboRateId: string, link: RateLink) => {
    let row = byRate.get(qboRateId);
    if (!row) {
      row = { name: link.qboRateName, percent: link.percent, amountMinor: 0, netMinor: 0 };
      byRate.set(qboRateId, row);
    }
    return row;
  };
  for (const t of spec.taxes) {
    const link = t.tax.rates.get(t.posRateId);
    if (!link) {
      blockers.add(
        "pos_payload_invalid",
        `${spec.what}: tax rate ${t.posRateId} is not a rate of POS tax '${t.tax.name}'`,
      );
    } else if (link.qboRateId === null) {
      if (t.amountMinor !== 0)
        blockers.add("pos_payload_invalid", `${spec.what}: tax charged at the 0% rate '${link.posRateName}'`);
    } else at(link.qboRateId, link).amountMinor += t.amountMinor;
  }
  for (const l of lines) {
    for (const link of l.tax?.rates.values() ?? []) {
      if (link.qboRateId !== null) at(link.qboRateId, link).netMinor += l.amountMinor;
    }
  }
  return byRate;
}

/** TxnTaxDetail of a global-model form: the POS's tax per QBO rate, signed as the document. */
function taxLines(used: [string, RateSum][], total: number, sign: number): Record<string, unknown> {
  return {
    TotalTax: toQboAmount(sign * total),
    TaxLine: used.map(([id, r]) => ({
      DetailType: "TaxLineDetail",
      Amount: toQboAmount(sign * r.amountMinor),
      TaxLineDetail: {
        TaxRateRef: { value: id },
        PercentBased: true,
        TaxPercent: toQboDecimal(r.percent),
        NetAmountTaxable: toQboAmount(sign * r.netMinor),
      },
    })),
  };
}

function usTax(spec: FormSpec, lines: FormLine[], blockers: Blockers): TaxPart | undefined {
  const codes = new Map<string, { name: string; netMinor: number; percent: Dec | null }>();
  for (const l of lines) {
    const code = l.tax?.taxable ? l.tax.usCode : undefined;
    if (!code) continue;
    const row = codes.get(code.id) ?? { name: code.name, netMinor: 0, percent: sumPercent(code.salesRates) };
    row.netMinor += l.amountMinor;
    codes.set(code.id, row);
  }
  for (const t of spec.taxes) {
    if (t.amountMinor !== 0 && !t.tax.taxable) {
      blockers.add(
        "needs_mapping",
        `POS tax '${t.tax.name}' (it charges tax, so map it as taxable)`,
        `taxes.${t.tax.posTaxId}`,
      );
    }
  }
  if (codes.size > 1) {
    const names = [...codes.values()].map((c) => `'${c.name}'`).join(", ");
    blockers.add(
      "unsupported_event",
      `${spec.what} mixes several US sales tax codes (${names}); QuickBooks Online allows one per document`,
    );
    return undefined;
  }
  const total = spec.taxes.reduce((s, t) => s + t.amountMinor, 0);
  const entry = [...codes.entries()][0];
  if (!entry) {
    if (total !== 0) blockers.add("pos_payload_invalid", `${spec.what}: tax charged but no line is taxable`);
    return { rows: [], effects: [] };
  }
  const [codeId, c] = entry;
  return {
    rows: [{ label: c.name, posMinor: total, qboMinor: c.percent ? qboTaxOf(c.netMinor, c.percent) : null }],
    effects: [{ accountId: `taxcode:${codeId}`, label: `Sales tax – ${c.name}`, debitMinor: -total }],
    detail: (sign) => ({ TxnTaxCodeRef: { value: codeId }, TotalTax: toQboAmount(sign * total) }),
  };
}

function sumPercent(rates: readonly { ratePercent: string }[]): Dec | null {
  if (rates.length === 0) return null;
  return rates.map((r) => parseDec(r.ratePercent)).reduce((a, b) => addDec(a, b));
}
