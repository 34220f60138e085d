/**
 * Sales and purchase tax on QBO's global model (Canada, Australia, New Zealand, the UK…), as
 * `GlobalTaxCalculation` asks:
 *
 * - `TaxExcluded`: each line's `Amount` is net. Per tax rate, over the whole document,
 *   tax = round_half_up(Σ net of the lines whose tax code carries the rate × rate).
 * - `TaxInclusive`: each taxed item line's `Amount` is its net and its `TaxInclusiveAmt` its gross
 *   (required); a discount line, which has no `TaxInclusiveAmt`, gives its gross in `Amount`. Per rate,
 *   tax = round_half_up(Σ gross × rate ÷ (100 + the code's total rate)); the gross stays what the request
 *   gave and the nets (QBO's `Amount`) are what is left of it once the tax (computed or overridden) is
 *   taken out, shared by the lines in proportion to their gross. A line whose `Amount` is not that net to
 *   within a cent (the gross sent as `Amount`, or a net that does not add up with the tax) is refused.
 * - `NotApplicable` ("out of scope of tax"): no tax; a tax code that carries rates is refused.
 *
 * `TxnTaxDetail.TaxLine[]` in the request overrides the computed amount of each rate it names; the
 * response's `OverrideDeltaAmount` says by how much (given − computed). Rates are looked up on the tax
 * code's `SalesTaxRateList` or `PurchaseTaxRateList` for the side of the document.
 */
import { type Dec, addDec, allocate, parseDec, toQboDecimal } from "../../shared/money";
import { amt, cents } from "./amounts";
import { F } from "./faults";
import { type Doc, type RealmState, getDoc } from "./state";
import { type TaxResult, type TaxSide, lineSigned, taxableDetail } from "./tax";

interface Rate {
  id: string;
  percent: Dec;
}

/** An exact non-negative-denominator fraction of cents. */
interface Frac {
  n: bigint;
  d: bigint;
}

const ZERO: Frac = { n: 0n, d: 1n };
const addFrac = (a: Frac, b: Frac): Frac => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });

/** Rounds half away from zero to whole cents. */
function roundFrac(f: Frac): number {
  const neg = f.n < 0n;
  const x = neg ? -f.n : f.n;
  let q = x / f.d;
  if ((x % f.d) * 2n >= f.d) q += 1n;
  return Number(neg ? -q : q);
}

/** cents × percent ÷ 100, or cents × percent ÷ (100 + total) when the cents include the tax. */
function taxFraction(base: number, percent: Dec, inclusiveOf?: Dec): Frac {
  const scale = 10n ** BigInt(percent.s);
  if (!inclusiveOf) return { n: BigInt(base) * percent.m, d: 100n * scale };
  const totalScale = 10n ** BigInt(inclusiveOf.s);
  return { n: BigInt(base) * percent.m * totalScale, d: scale * (100n * totalScale + inclusiveOf.m) };
}

function ratesOf(realm: RealmState, code: Doc, side: TaxSide): Rate[] {
  const list = side === "sales" ? code.SalesTaxRateList : code.PurchaseTaxRateList;
  return ((list?.TaxRateDetail ?? []) as Doc[]).map((d) => {
    const id = String(d.TaxRateRef?.value);
    return { id, percent: parseDec(getDoc(realm, "TaxRate", id)?.RateValue ?? 0) };
  });
}

const listLength = (list: Doc | undefined) => ((list?.TaxRateDetail ?? []) as Doc[]).length;

/** The rates a line's code applies on this side; a code made for the other side only is refused. */
function codeRates(realm: RealmState, codeId: string, side: TaxSide, at: string): Rate[] {
  const code = getDoc(realm, "TaxCode", codeId);
  if (!code) throw F.notFound(`${at} TaxCode Id ${codeId}`, at);
  const rates = ratesOf(realm, code, side);
  const other = listLength(side === "sales" ? code.PurchaseTaxRateList : code.SalesTaxRateList);
  if (rates.length === 0 && other > 0) {
    const what = side === "sales" ? "sales" : "purchase";
    throw F.business(`Tax code "${code.Name}" cannot be used on a ${what} transaction (${at})`, at);
  }
  return rates;
}

interface Group {
  rates: Rate[];
  total: Dec;
  /** Σ line bases: nets (TaxExcluded) or grosses (TaxInclusive), in cents */
  base: number;
  lines: { index: number; base: number }[];
}

/** The taxable lines grouped by tax code, each with its base (net or gross) in signed cents. */
function groupLines(realm: RealmState, lines: Doc[], side: TaxSide, inclusive: boolean): Map<string, Group> {
  const groups = new Map<string, Group>();
  lines.forEach((line, i) => {
    const detail = taxableDetail(line, side);
    const codeId = detail?.TaxCodeRef?.value;
    if (codeId === undefined) return;
    const at = `Line[${i}].${line.DetailType as string}.TaxCodeRef`;
    const group = groups.get(String(codeId)) ?? newGroup(codeRates(realm, String(codeId), side, at));
    const base = inclusive ? grossOf(line, detail!, i) : lineSigned(line, i);
    group.base += base;
    group.lines.push({ index: i, base });
    groups.set(String(codeId), group);
  });
  return groups;
}

function newGroup(rates: Rate[]): Group {
  return { rates, total: rates.reduce((a, r) => addDec(a, r.percent), parseDec(0)), base: 0, lines: [] };
}

/** A line's gross on a tax-inclusive document. */
function grossOf(line: Doc, detail: Doc, i: number): number {
  if (line.DetailType === "DiscountLineDetail") return lineSigned(line, i);
  const at = `Line[${i}].${line.DetailType as string}.TaxInclusiveAmt`;
  if (detail.TaxInclusiveAmt === undefined || detail.TaxInclusiveAmt === null) {
    throw F.business(
      `TaxInclusiveAmt is required on every taxed line when GlobalTaxCalculation is TaxInclusive (Line[${i}])`,
      at,
    );
  }
  return cents(detail.TaxInclusiveAmt, at);
}

/** An item line's Amount must be the net QBO keeps for it, to within a cent. */
function checkNet(line: Doc, i: number, gross: number, net: number): void {
  if (line.DetailType === "DiscountLineDetail") return;
  const given = lineSigned(line, i);
  if (Math.abs(given - net) <= 1) return;
  throw F.business(
    `Line[${i}].Amount ${amt(given)} is not the net of TaxInclusiveAmt ${amt(gross)} less its tax (${amt(net)}): on a TaxInclusive transaction Amount excludes tax`,
    `Line[${i}].Amount`,
  );
}

/** Explicit per-rate amounts from the request's TxnTaxDetail.TaxLine[], in cents. */
function overrides(doc: Doc): Map<string, number> {
  const out = new Map<string, number>();
  ((doc.TxnTaxDetail?.TaxLine ?? []) as Doc[]).forEach((l, i) => {
    const rateId = l?.TaxLineDetail?.TaxRateRef?.value;
    if (rateId === undefined || l.Amount === undefined || l.Amount === null) return;
    out.set(String(rateId), (out.get(String(rateId)) ?? 0) + cents(l.Amount, `TxnTaxDetail.TaxLine[${i}].Amount`));
  });
  return out;
}

interface RateTotal {
  percent: Dec;
  exact: Frac;
  /** group code → the group's exact share of this rate */
  shares: Map<string, Frac>;
  computed: number;
  amount: number;
  overridden: boolean;
}

function rateTotals(groups: Map<string, Group>, inclusive: boolean, given: Map<string, number>) {
  const totals = new Map<string, RateTotal>();
  for (const [codeId, g] of groups) {
    for (const r of g.rates) {
      const share = taxFraction(g.base, r.percent, inclusive ? g.total : undefined);
      const t = totals.get(r.id) ?? {
        percent: r.percent,
        exact: ZERO,
        shares: new Map(),
        computed: 0,
        amount: 0,
        overridden: false,
      };
      t.exact = addFrac(t.exact, share);
      t.shares.set(codeId, addFrac(t.shares.get(codeId) ?? ZERO, share));
      totals.set(r.id, t);
    }
  }
  for (const [rateId, t] of totals) {
    t.computed = roundFrac(t.exact);
    t.overridden = given.has(rateId);
    t.amount = given.get(rateId) ?? t.computed;
  }
  for (const rateId of given.keys()) {
    if (!totals.has(rateId))
      throw F.business(
        `Tax rate ${rateId} in TxnTaxDetail does not belong to a tax code used on this transaction`,
        "TxnTaxDetail.TaxLine",
      );
  }
  return totals;
}

/** Each group's share of each rate's (rounded or given) amount, in cents, exact in total. */
function taxPerGroup(groups: Map<string, Group>, totals: Map<string, RateTotal>): Map<string, number> {
  const out = new Map<string, number>([...groups.keys()].map((k) => [k, 0]));
  for (const t of totals.values()) {
    const codes = [...t.shares.keys()];
    // Weights: the exact shares on a common denominator (the groups' bases if those are all zero).
    const d = codes.reduce((acc, c) => acc * t.shares.get(c)!.d, 1n);
    let weights = codes.map((c) => (t.shares.get(c)!.n * d) / t.shares.get(c)!.d);
    if (weights.every((w) => w === 0n)) weights = codes.map((c) => BigInt(groups.get(c)!.base));
    allocate(t.amount, weights).forEach((part, k) => {
      out.set(codes[k]!, out.get(codes[k]!)! + part);
    });
  }
  return out;
}

function taxLines(
  totals: Map<string, RateTotal>,
  groups: Map<string, Group>,
  nets: Map<string, number>,
  inclusive: boolean,
): Doc[] {
  return [...totals].map(([rateId, t]) => {
    let net = 0;
    let gross = 0;
    for (const code of t.shares.keys()) {
      net += nets.get(code)!;
      gross += groups.get(code)!.base;
    }
    return {
      Amount: amt(t.amount),
      DetailType: "TaxLineDetail",
      TaxLineDetail: {
        TaxRateRef: { value: rateId },
        PercentBased: true,
        TaxPercent: toQboDecimal(t.percent),
        NetAmountTaxable: amt(net),
        ...(inclusive ? { TaxInclusiveAmount: amt(gross) } : {}),
        ...(t.overridden ? { OverrideDeltaAmount: amt(t.amount - t.computed) } : {}),
      },
    };
  });
}

/** Tax on a NotApplicable ("out of scope") document: none, and nothing that would carry any. */
function outOfScope(realm: RealmState, doc: Doc, side: TaxSide): TaxResult {
  ((doc.Line ?? []) as Doc[]).forEach((line, i) => {
    const codeId = taxableDetail(line, side)?.TaxCodeRef?.value;
    if (codeId === undefined) return;
    const at = `Line[${i}].${line.DetailType as string}.TaxCodeRef`;
    if (codeRates(realm, String(codeId), side, at).length > 0)
      throw F.business(`Line[${i}] has a tax code but the transaction is out of scope of tax (NotApplicable)`, at);
  });
  if (((doc.TxnTaxDetail?.TaxLine ?? []) as Doc[]).length > 0)
    throw F.business("A transaction out of scope of tax (NotApplicable) cannot carry tax lines", "TxnTaxDetail");
  return { taxLines: [], totalTax: 0, netOverride: new Map() };
}

export function computeGlobalTax(realm: RealmState, doc: Doc, side: TaxSide): TaxResult {
  if (doc.GlobalTaxCalculation === "NotApplicable") return outOfScope(realm, doc, side);
  const inclusive = doc.GlobalTaxCalculation === "TaxInclusive";
  const lines: Doc[] = doc.Line ?? [];
  const groups = groupLines(realm, lines, side, inclusive);
  const totals = rateTotals(groups, inclusive, overrides(doc));
  const netOverride = new Map<number, number>();
  const nets = new Map<string, number>();
  if (inclusive) {
    const taxes = taxPerGroup(groups, totals);
    for (const [code, g] of groups) {
      const net = g.base - taxes.get(code)!;
      nets.set(code, net);
      allocate(
        net,
        g.lines.map((l) => l.base),
      ).forEach((n, k) => {
        const { index, base } = g.lines[k]!;
        checkNet(lines[index]!, index, base, n);
        netOverride.set(index, n);
      });
    }
  } else for (const [code, g] of groups) nets.set(code, g.base);
  const totalTax = [...totals.values()].reduce((a, t) => a + t.amount, 0);
  return { taxLines: taxLines(totals, groups, nets, inclusive), totalTax, netOverride };
}
