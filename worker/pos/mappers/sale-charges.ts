import { addDec, type Dec, isZeroDec, normalize, parseDec, subDec } from "../../../shared/money";
import type { PosAdjustment, PosSale, PosTaxComponent } from "../normalize/sale";
import type { Fail } from "../read";
import type { SaleContext } from "./context";
import { near, slack, sumDec, ZERO } from "./exact";
import type { ReadLine } from "./sale-line";

/**
 * One part of a sale's charges (SPEC §4.2): one adjustment type under one POS tax, ex tax, exact. A
 * card surcharge appears three times in the POS's data (the SURCHARGE adjustment, the lines'
 * `surcharges[]`, the tender's `surcharge.amount` tax included): the adjustment is the money, the
 * lines only say under which POS tax each part of it falls, and the tender's figure is not read.
 */
export interface ReadCharge {
  type: string;
  name: string;
  taxId: string | null;
  amount: Dec;
  /** exact tax per rate id */
  taxes: Map<string, Dec>;
}

export interface ReadAdjustments {
  charges: ReadCharge[];
  /** Σ TIP adjustments, ex tax (tips are never taxed) */
  tips: Dec;
  /** Σ ROUNDING adjustments */
  rounding: Dec;
}

const NOT_CHARGES = new Set(["ROUNDING", "TIP"]);

/** The sale's adjustments: tips, cash rounding, and every other type as charges split per POS tax. */
export function readAdjustments(s: PosSale, lines: readonly ReadLine[], ctx: SaleContext, fail: Fail): ReadAdjustments {
  const out: ReadAdjustments = { charges: [], tips: ZERO, rounding: ZERO };
  const taxOf = rateToTax(lines, ctx);
  for (const [i, a] of s.adjustments.entries()) {
    const type = (a.adjustment_type ?? "").trim().toUpperCase();
    if (!type) throw fail(`adjustments[${i}].adjustment_type`, "missing");
    if (type === "ROUNDING") out.rounding = addDec(out.rounding, a.total);
    else if (type === "TIP") {
      if (a.tax_components.some((c) => !isZeroDec(c.total_tax)))
        throw fail(`adjustments[${i}].tax_components`, "a tip carries tax");
      out.tips = addDec(out.tips, a.total);
    }
    if (NOT_CHARGES.has(type)) continue;
    const parts = (type === "SURCHARGE" ? spreadOverLines(a, s) : undefined) ?? fromComponents(a, taxOf);
    for (const p of parts) {
      if (isZeroDec(p.amount) && [...p.taxes.values()].every(isZeroDec)) continue;
      out.charges.push({ type, name: a.name || type, ...p });
    }
  }
  return out;
}

type Part = Omit<ReadCharge, "type" | "name">;

function addPart(parts: Map<string, Part>, taxId: string | null, amount: Dec, components: PosTaxComponent[]): void {
  const k = taxId ?? "";
  const p = parts.get(k) ?? { taxId, amount: ZERO, taxes: new Map<string, Dec>() };
  p.amount = addDec(p.amount, amount);
  for (const c of components) p.taxes.set(c.rate_id, addDec(p.taxes.get(c.rate_id) ?? ZERO, c.total_tax));
  parts.set(k, p);
}

/**
 * A card surcharge as the POS spread it over the lines, each part under its line's tax, when the
 * spread adds up to the adjustment (which stays the money: the last part takes any sub-cent gap).
 */
function spreadOverLines(a: PosAdjustment, s: PosSale): Part[] | undefined {
  const parts = new Map<string, Part>();
  for (const l of s.line_items) {
    if (l === null) continue;
    for (const x of l.surcharges) addPart(parts, l.tax.id, x.value, x.tax_components);
  }
  if (parts.size === 0) return undefined;
  const total = sumDec([...parts.values()].map((p) => p.amount));
  if (!near(total, a.total, slack(parts.size))) return undefined;
  const list = [...parts.values()];
  const last = list[list.length - 1]!;
  last.amount = addDec(last.amount, subDec(a.total, total));
  return list;
}

/**
 * An adjustment's parts by the POS taxes its tax components belong to. Under a taxing tax, the part
 * is its tax over the tax's rate; an untaxed or 0 % part takes the rest.
 */
function fromComponents(a: PosAdjustment, taxOf: (rateId: string) => TaxInfo | undefined): Part[] {
  const list = groupByTax(a, taxOf);
  if (list.length === 0) return [{ taxId: null, amount: a.total, taxes: new Map() }];
  if (list.length === 1) {
    const parts = new Map<string, Part>();
    addPart(parts, list[0]!.info?.id ?? null, a.total, list[0]!.components);
    return [...parts.values()];
  }
  return splitByTax(a, list);
}

/** An adjustment's tax components grouped by the POS tax each rate belongs to (or by rate when none). */
type TaxGroup = { info: TaxInfo | undefined; components: PosTaxComponent[] };

function groupByTax(a: PosAdjustment, taxOf: (rateId: string) => TaxInfo | undefined): TaxGroup[] {
  const groups = new Map<string, TaxGroup>();
  for (const c of a.tax_components) {
    const info = taxOf(c.rate_id);
    const k = info?.id ?? `rate:${c.rate_id}`;
    const g = groups.get(k) ?? { info, components: [] };
    g.components.push(c);
    groups.set(k, g);
  }
  return [...groups.values()];
}

/**
 * Several taxes: each taxing one's part is its tax over its rate; the first untaxed or 0 % group takes
 * the rest (or, when there is none, the first part does).
 */
function splitByTax(a: PosAdjustment, list: TaxGroup[]): Part[] {
  const parts = new Map<string, Part>();
  let rest = a.total;
  let restTo: TaxGroup | undefined;
  for (const g of list) {
    const tax = sumDec(g.components.map((c) => c.total_tax));
    const rate = g.info?.rate ?? ZERO;
    if (isZeroDec(rate) || isZeroDec(tax)) {
      restTo ??= g;
      if (restTo !== g) addPart(parts, g.info?.id ?? null, ZERO, g.components);
      continue;
    }
    const amount = exTaxOf(tax, rate);
    rest = subDec(rest, amount);
    addPart(parts, g.info?.id ?? null, amount, g.components);
  }
  if (restTo) addPart(parts, restTo.info?.id ?? null, rest, restTo.components);
  else {
    const first = [...parts.values()][0]!;
    first.amount = addDec(first.amount, rest);
  }
  return [...parts.values()];
}

interface TaxInfo {
  id: string;
  /** Σ of its rates */
  rate: Dec;
}

/**
 * A rate's POS tax: the first tax of the sale's lines that has it (a rate such as GST may belong to
 * several tax groups; the sale's own lines say which one it trades under), else any tax of the store.
 */
function rateToTax(lines: readonly ReadLine[], ctx: SaleContext): (rateId: string) => TaxInfo | undefined {
  const info = (id: string): TaxInfo | undefined => {
    const t = ctx.tax(id);
    if (!t) return undefined;
    return { id, rate: t.rates.reduce((s, r) => addDec(s, parseDec(r.rate)), ZERO) };
  };
  const seen = new Map<string, TaxInfo>();
  for (const l of lines) {
    if (l.taxId === null) continue;
    const t = ctx.tax(l.taxId);
    const i = info(l.taxId);
    if (!t || !i) continue;
    for (const r of t.rates) if (!seen.has(r.id)) seen.set(r.id, i);
  }
  return (rateId) => {
    const fromLines = seen.get(rateId);
    if (fromLines) return fromLines;
    const any = ctx.taxOfRate?.(rateId);
    return any ? info(any) : undefined;
  };
}

/** tax ÷ rate to five decimals, half away from zero: the ex-tax amount a tax was charged on. */
function exTaxOf(tax: Dec, rate: Dec): Dec {
  const DIGITS = 5;
  const num = tax.m * 10n ** BigInt(DIGITS + rate.s + 1);
  const den = rate.m * 10n ** BigInt(tax.s);
  let q = num / den; // one extra digit, truncated toward zero
  q = (q + (q < 0n ? -5n : 5n)) / 10n;
  return normalize({ m: q, s: DIGITS });
}
