/**
 * Sales tax shared by both models, and the US model: lines are TAX/NON, the document's TxnTaxCodeRef
 * picks the rates, and a TxnTaxDetail.TotalTax in the request overrides the computed total (prorated
 * across the code's rates). The global model (CA, AU, NZ, UK) is in global-tax.ts.
 */
import { type Dec, allocate, minorToDec, mulDec, parseDec, toMinor, toQboDecimal } from "../../shared/money";
import { amt, cents } from "./amounts";
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
