/**
 * Sales tax as QBO computes it. Global model (Canada): per tax code used on the document, per rate of
 * that code, tax = round_half_up(Σ net of the code's lines × rate) — per rate over the document, not per
 * line — unless the request's TxnTaxDetail.TaxLine[] names an amount for the rate (QBO Canada honours a
 * user's override). US model: lines are TAX/NON, the document's TxnTaxCodeRef picks the rates, and a
 * TxnTaxDetail.TotalTax in the request overrides the computed total.
 */
import { type Dec, addDec, allocate, minorToDec, mulDec, parseDec, toMinor, toQboDecimal } from "../../shared/money";
import { amt, cents } from "./amounts";
import { F } from "./faults";
import { type Doc, type RealmState, getDoc } from "./state";

export type TaxSide = "sales" | "purchase";

export interface TaxResult {
  /** QBO's TxnTaxDetail.TaxLine[] */
  taxLines: Doc[];
  totalTax: number;
  /** Net (ex-tax) cents per line index, where it differs from the line's Amount (tax-inclusive documents) */
  netOverride: Map<number, number>;
}

/** The detail object of a line that carries a tax code on this side of the books. */
export function taxableDetail(line: Doc, side: TaxSide): Doc | undefined {
  const detail = line.DetailType === "DescriptionOnly" ? undefined : line[line.DetailType as string];
  if (!detail || typeof detail !== "object") return undefined;
  if (side === "sales" && (line.DetailType === "SalesItemLineDetail" || line.DetailType === "DiscountLineDetail"))
    return detail;
  if (
    side === "purchase" &&
    (line.DetailType === "AccountBasedExpenseLineDetail" || line.DetailType === "ItemBasedExpenseLineDetail")
  )
    return detail;
  return undefined;
}

/** Signed cents a line contributes to the document (discount lines subtract). */
export function lineSigned(line: Doc, index: number): number {
  const c = cents(line.Amount ?? 0, `Line[${index}].Amount`);
  return line.DetailType === "DiscountLineDetail" ? -c : c;
}

function ratesOf(realm: RealmState, codeId: string, side: TaxSide): { id: string; percent: Dec }[] {
  const code = getDoc(realm, "TaxCode", codeId);
  if (!code) return [];
  const list = side === "sales" ? code.SalesTaxRateList : code.PurchaseTaxRateList;
  const details: Doc[] = list?.TaxRateDetail ?? [];
  return details.map((d) => {
    const id = String(d.TaxRateRef?.value);
    const rate = getDoc(realm, "TaxRate", id);
    return { id, percent: parseDec(rate?.RateValue ?? 0) };
  });
}

/** a / b rounded half away from zero, in integers. */
function divHalfUp(a: bigint, b: bigint): number {
  const neg = a < 0n !== b < 0n;
  const [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  let q = x / y;
  if ((x % y) * 2n >= y) q += 1n;
  return Number(neg ? -q : q);
}

/** round_half_up(net × percent / 100) in cents. */
export function taxOn(netMinor: number, percent: Dec): number {
  const product = mulDec(minorToDec(netMinor), percent); // in currency units × percent
  return toMinor({ m: product.m, s: product.s + 2 }, "half-up");
}

function taxLine(rateId: string, percent: Dec, net: number, tax: number): Doc {
  return {
    Amount: amt(tax),
    DetailType: "TaxLineDetail",
    TaxLineDetail: {
      TaxRateRef: { value: rateId },
      PercentBased: true,
      TaxPercent: toQboDecimal(percent),
      NetAmountTaxable: amt(net),
    },
  };
}

/** Explicit per-rate amounts from the request's TxnTaxDetail.TaxLine[]. */
function overrides(doc: Doc): Map<string, number> {
  const out = new Map<string, number>();
  const lines: Doc[] = doc.TxnTaxDetail?.TaxLine ?? [];
  lines.forEach((l, i) => {
    const rateId = l?.TaxLineDetail?.TaxRateRef?.value;
    if (rateId === undefined || l.Amount === undefined || l.Amount === null) return;
    out.set(String(rateId), (out.get(String(rateId)) ?? 0) + cents(l.Amount, `TxnTaxDetail.TaxLine[${i}].Amount`));
  });
  return out;
}

export function computeGlobalTax(realm: RealmState, doc: Doc, side: TaxSide): TaxResult {
  const inclusive = doc.GlobalTaxCalculation === "TaxInclusive";
  const lines: Doc[] = doc.Line ?? [];
  const byCode = new Map<string, { sum: number; lines: number[] }>();
  lines.forEach((line, i) => {
    const detail = taxableDetail(line, side);
    const codeId = detail?.TaxCodeRef?.value;
    if (codeId === undefined) return;
    const group = byCode.get(String(codeId)) ?? { sum: 0, lines: [] };
    group.sum += lineSigned(line, i);
    group.lines.push(i);
    byCode.set(String(codeId), group);
  });

  const explicit = overrides(doc);
  if (explicit.size > 0 && inclusive)
    throw F.business("A tax amount override is only supported with GlobalTaxCalculation TaxExcluded", "TxnTaxDetail");
  const usedRates = new Set<string>();
  const perRate = new Map<string, { percent: Dec; net: number; tax: number }>();
  const taxLines: Doc[] = [];
  const netOverride = new Map<number, number>();

  for (const [codeId, group] of byCode) {
    const rates = ratesOf(realm, codeId, side);
    let net = group.sum;
    if (inclusive) {
      // Gross → net: net = gross / (1 + Σ rates), then each rate's tax on that net; the net absorbs
      // the rounding so that net + taxes is exactly the gross the request gave.
      const total = rates.reduce((acc, r) => addDec(acc, r.percent), parseDec(0));
      const scale = 10n ** BigInt(total.s);
      const exactNet = divHalfUp(BigInt(group.sum) * 100n * scale, 100n * scale + total.m);
      const taxes = rates.map((r) => taxOn(exactNet, r.percent));
      net = group.sum - taxes.reduce((a, b) => a + b, 0);
      const weights = group.lines.map((i) => lineSigned(lines[i]!, i));
      allocate(net, weights).forEach((n, k) => {
        netOverride.set(group.lines[k]!, n);
      });
      rates.forEach((r, k) => {
        taxLines.push(taxLine(r.id, r.percent, net, taxes[k]!));
        usedRates.add(r.id);
      });
      continue;
    }
    for (const r of rates) {
      usedRates.add(r.id);
      const prev = perRate.get(r.id);
      const tax = taxOn(net, r.percent);
      if (explicit.has(r.id)) perRate.set(r.id, { percent: r.percent, net: (prev?.net ?? 0) + net, tax: 0 });
      else taxLines.push(taxLine(r.id, r.percent, net, tax));
    }
  }
  for (const [rateId, amount] of explicit) {
    if (!usedRates.has(rateId))
      throw F.business(
        `Tax rate ${rateId} in TxnTaxDetail does not belong to a tax code used on this transaction`,
        "TxnTaxDetail.TaxLine",
      );
    const r = perRate.get(rateId)!;
    taxLines.push(taxLine(rateId, r.percent, r.net, amount));
  }
  const totalTax = taxLines.reduce((a, l) => a + cents(l.Amount, "TaxLine.Amount"), 0);
  return { taxLines, totalTax, netOverride };
}

export function computeUsTax(realm: RealmState, doc: Doc): TaxResult {
  const lines: Doc[] = doc.Line ?? [];
  let taxable = 0;
  lines.forEach((line, i) => {
    const detail = taxableDetail(line, "sales");
    if (detail?.TaxCodeRef?.value === "TAX") taxable += lineSigned(line, i);
  });
  const codeId = doc.TxnTaxDetail?.TxnTaxCodeRef?.value ?? realm.preferences.TaxPrefs?.TaxGroupCodeRef?.value;
  const given = doc.TxnTaxDetail?.TotalTax;
  if (codeId === undefined) {
    const total = given === undefined || given === null ? 0 : cents(given, "TxnTaxDetail.TotalTax");
    return { taxLines: [], totalTax: total, netOverride: new Map() };
  }
  const rates = ratesOf(realm, String(codeId), "sales");
  const computed = rates.map((r) => taxOn(taxable, r.percent));
  let amounts = computed;
  if (given !== undefined && given !== null) {
    // AST-style override: the explicit total is honoured and prorated across the code's rates.
    const total = cents(given, "TxnTaxDetail.TotalTax");
    const weights = computed.some((c) => c !== 0) ? computed : rates.map((r) => Number(r.percent.m));
    amounts = rates.length > 0 ? allocate(total, weights) : [];
  }
  const taxLines = rates.map((r, k) => taxLine(r.id, r.percent, taxable, amounts[k]!));
  return { taxLines, totalTax: amounts.reduce((a, b) => a + b, 0), netOverride: new Map() };
}
