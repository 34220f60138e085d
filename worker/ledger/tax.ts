import { cmpDec, type Dec, isZeroDec, mulDec, parseDec, formatDec } from "../../shared/money";
import type { PosTax } from "../../shared/domain/pos";
import type { QboTaxCode } from "../../shared/domain/qbo";
import type { Blockers } from "./blockers";
import type { RefChecker } from "./refs";

/** One POS tax rate and the QBO tax rate that books it. */
export interface RateLink {
  posRateId: string;
  posRateName: string;
  /** Percent, e.g. 9.975 */
  percent: Dec;
  /** Global model: the QBO TaxRate id; null for a 0% POS rate with no QBO counterpart, and in the US model */
  qboRateId: string | null;
  qboRateName: string;
}

/** A POS tax (group) resolved through its mapping. */
export interface ResolvedTax {
  posTaxId: string;
  name: string;
  /** The line TaxCodeRef: the QBO tax code id (global), or "TAX" / "NON" (US) */
  lineCode: string;
  taxable: boolean;
  /** US model, taxable: the QBO tax code used as TxnTaxCodeRef */
  usCode?: QboTaxCode;
  rates: Map<string, RateLink>;
}

const HUNDRED = parseDec(100);

export function percentText(p: Dec): string {
  return `${formatDec(p)}%`;
}

/** Resolves POS taxes to QBO tax codes (global model) or TAX/NON (US model), once each. */
export class TaxResolver {
  private readonly cache = new Map<string, ResolvedTax | undefined>();
  private readonly posTaxes: Map<string, PosTax>;
  private nonTaxable: string | undefined | null = null;

  constructor(
    private readonly refs: RefChecker,
    private readonly blockers: Blockers,
  ) {
    this.posTaxes = new Map(refs.ctx.taxes.map((t) => [t.id, t]));
  }

  /** The name of a POS tax for labels. */
  nameOf(taxId: string | null): string {
    if (taxId === null) return "no tax";
    return this.posTaxes.get(taxId)?.name ?? taxId;
  }

  /** The POS tax of a line; undefined when it cannot be used (a blocker says why). */
  resolve(taxId: string, where: string): ResolvedTax | undefined {
    if (this.cache.has(taxId)) return this.cache.get(taxId);
    const posTax = this.posTaxes.get(taxId);
    let out: ResolvedTax | undefined;
    if (!posTax) this.blockers.add("pos_payload_invalid", `${where}: unknown POS tax ${taxId}`);
    else out = this.refs.isUS ? this.resolveUS(posTax) : this.resolveGlobal(posTax);
    this.cache.set(taxId, out);
    return out;
  }

  /** The TaxCodeRef of lines that carry no tax: the mapped non-taxable code (global) or NON (US). */
  nonTaxableCode(): string | undefined {
    if (this.refs.isUS) return "NON";
    if (this.nonTaxable !== null) return this.nonTaxable;
    const thing = "the non-taxable tax code";
    const key = "nonTaxableTaxCodeId";
    const code = this.refs.taxCode(this.refs.ctx.mappings.nonTaxableTaxCodeId, thing, key);
    if (code?.salesRates.some((r) => !isZeroDec(parseDec(r.ratePercent)))) {
      this.blockers.add("qbo_invalid_reference", `${thing}: QBO tax code '${code.name}' charges tax`, key);
      this.nonTaxable = undefined;
    } else this.nonTaxable = code?.id;
    return this.nonTaxable;
  }

  private thingOf(t: PosTax): string {
    return `POS tax '${t.name}'${t.deleted ? " (deleted)" : ""}`;
  }

  private posRates(t: PosTax): { id: string; name: string; percent: Dec }[] | undefined {
    try {
      return t.rates.map((r) => ({ id: r.id, name: r.name, percent: mulDec(parseDec(r.rate), HUNDRED) }));
    } catch {
      this.blockers.add("pos_payload_invalid", `${this.thingOf(t)}: a rate is not a decimal number`);
      return undefined;
    }
  }

  private resolveGlobal(t: PosTax): ResolvedTax | undefined {
    const thing = this.thingOf(t);
    const key = `taxes.${t.id}`;
    const code = this.refs.taxCode(this.refs.ctx.mappings.taxes[t.id]?.taxCodeId, thing, key);
    const posRates = this.posRates(t);
    if (!code || !posRates) return undefined;
    // Match by percentage: POS "0.09975" is QBO "9.975". Every non-zero rate on either side needs its match.
    const qboRates = code.salesRates.map((r) => ({ ...r, percent: parseDec(r.ratePercent), used: false }));
    const rates = new Map<string, RateLink>();
    let mismatch = false;
    for (const p of posRates) {
      const q = qboRates.find((r) => !r.used && cmpDec(r.percent, p.percent) === 0);
      if (q) q.used = true;
      else if (!isZeroDec(p.percent)) mismatch = true;
      rates.set(p.id, {
        posRateId: p.id,
        posRateName: p.name,
        percent: p.percent,
        qboRateId: q?.rateId ?? null,
        qboRateName: q?.name ?? p.name,
      });
    }
    if (qboRates.some((r) => !r.used && !isZeroDec(r.percent))) mismatch = true;
    if (mismatch) {
      const list = (xs: { name: string; percent: Dec }[]) =>
        xs.map((x) => `${x.name} ${percentText(x.percent)}`).join(", ") || "none";
      this.blockers.add(
        "qbo_invalid_reference",
        `${thing}: its rates (${list(posRates)}) do not match the rates of QBO tax code '${code.name}' (${list(qboRates)})`,
        key,
      );
      return undefined;
    }
    return { posTaxId: t.id, name: t.name, lineCode: code.id, taxable: true, rates };
  }

  private resolveUS(t: PosTax): ResolvedTax | undefined {
    const thing = this.thingOf(t);
    const key = `taxes.${t.id}`;
    const m = this.refs.ctx.mappings.taxes[t.id];
    const posRates = this.posRates(t);
    if (!m || m.taxable === undefined) {
      this.blockers.add("needs_mapping", thing, key);
      return undefined;
    }
    if (!posRates) return undefined;
    const rates = new Map(
      posRates.map((p) => [
        p.id,
        { posRateId: p.id, posRateName: p.name, percent: p.percent, qboRateId: null, qboRateName: p.name },
      ]),
    );
    if (!m.taxable) return { posTaxId: t.id, name: t.name, lineCode: "NON", taxable: false, rates };
    const code = this.refs.taxCode(m.taxCodeId, thing, key);
    if (!code) return undefined;
    return { posTaxId: t.id, name: t.name, lineCode: "TAX", taxable: true, usCode: code, rates };
  }
}
