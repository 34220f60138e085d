import { cmpDec, type Dec, isZeroDec, mulDec, parseDec, formatDec } from "../../shared/money";
import type { PosTax } from "../../shared/domain/pos";
import type { QboTaxCode } from "../../shared/domain/qbo";
import { aboutKey } from "./about";
import { Blockers } from "./blockers";
import { type CompanyLookup, RefChecker } from "./refs";
import type { Blocker, LedgerContext } from "./types";

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

/** A POS tax through its mapping, or the blockers that stop it. */
interface Resolution {
  tax: ResolvedTax | undefined;
  problems: Blocker[];
}

/**
 * The POS taxes of one posting, each resolved once: the rates' decimals are parsed and matched a
 * single time however many closure rules ask, and each asker still hears the blockers.
 */
export class TaxResolutions {
  private readonly done = new Map<string, Map<string, Resolution>>();
  readonly posTaxes: Map<string, PosTax>;

  constructor(
    private readonly ctx: LedgerContext,
    private readonly lookup: CompanyLookup,
  ) {
    this.posTaxes = new Map(ctx.taxes.map((t) => [t.id, t]));
  }

  of(taxId: string, where: string): Resolution {
    let here = this.done.get(where);
    if (!here) this.done.set(where, (here = new Map()));
    let r = here.get(taxId);
    if (!r) {
      const found = new Blockers();
      const refs = new RefChecker(this.ctx, found, this.lookup);
      const posTax = this.posTaxes.get(taxId);
      let tax: ResolvedTax | undefined;
      // a tax the POS's lists do not hold (yet): named by its id, which is all there is
      if (!posTax) found.add("needs_mapping", `tax ${taxId}`, `taxes.${taxId}`, { thing: "taxes", name: taxId });
      else tax = refs.isUS ? resolveUS(posTax, refs, found) : resolveGlobal(posTax, refs, found);
      r = { tax, problems: found.all() };
      here.set(taxId, r);
    }
    return r;
  }
}

/** Resolves POS taxes to QBO tax codes (global model) or TAX/NON (US model); each problem is a blocker. */
export class TaxResolver {
  private readonly heard = new Map<string, ResolvedTax | undefined>();
  private nonTaxable: string | undefined | null = null;

  constructor(
    private readonly refs: RefChecker,
    private readonly blockers: Blockers,
    private readonly resolutions = new TaxResolutions(refs.ctx, refs.lookup),
  ) {}

  /** The name of a POS tax for labels. */
  nameOf(taxId: string | null): string {
    if (taxId === null) return "no tax";
    return this.resolutions.posTaxes.get(taxId)?.name ?? taxId;
  }

  /** The POS tax of a line; undefined when it cannot be used (a blocker says why). */
  resolve(taxId: string, where: string): ResolvedTax | undefined {
    if (this.heard.has(taxId)) return this.heard.get(taxId);
    const { tax, problems } = this.resolutions.of(taxId, where);
    for (const b of problems) this.blockers.add(b.code, b.detail, b.mappingKey, b.about);
    this.heard.set(taxId, tax);
    return tax;
  }

  /** The TaxCodeRef of lines that carry no tax: the mapped non-taxable code (global) or NON (US). */
  nonTaxableCode(): string | undefined {
    if (this.refs.isUS) return "NON";
    if (this.nonTaxable !== null) return this.nonTaxable;
    const thing = "the non-taxable tax code";
    const key = "nonTaxableTaxCodeId";
    const code = this.refs.taxCode(this.refs.ctx.mappings.nonTaxableTaxCodeId, thing, key);
    if (code?.salesRates.some((r) => !isZeroDec(parseDec(r.ratePercent)))) {
      this.blockers.add(
        "qbo_invalid_reference",
        `${thing}: QBO tax code '${code.name}' charges tax`,
        key,
        aboutKey(this.refs.ctx, key, { kind: "charges_tax", qboName: code.name }),
      );
      this.nonTaxable = undefined;
    } else this.nonTaxable = code?.id;
    return this.nonTaxable;
  }
}

function thingOf(t: PosTax): string {
  return `POS tax '${t.name}'${t.deleted ? " (deleted)" : ""}`;
}

function posRates(t: PosTax, blockers: Blockers): { id: string; name: string; percent: Dec }[] | undefined {
  try {
    return t.rates.map((r) => ({ id: r.id, name: r.name, percent: mulDec(parseDec(r.rate), HUNDRED) }));
  } catch {
    blockers.add("pos_payload_invalid", `${thingOf(t)}: a rate is not a decimal number`);
    return undefined;
  }
}

function resolveGlobal(t: PosTax, refs: RefChecker, blockers: Blockers): ResolvedTax | undefined {
  const thing = thingOf(t);
  const key = `taxes.${t.id}`;
  const code = refs.taxCode(refs.ctx.mappings.taxes[t.id]?.taxCodeId, thing, key);
  const rates = posRates(t, blockers);
  if (!code || !rates) return undefined;
  const links = linkRates(rates, code);
  if (links) return { posTaxId: t.id, name: t.name, lineCode: code.id, taxable: true, rates: links };
  const list = (xs: { name: string; percent: Dec }[]) =>
    xs.map((x) => `${x.name} ${percentText(x.percent)}`).join(", ") || "none";
  const qboRates = code.salesRates.map((r) => ({ name: r.name, percent: parseDec(r.ratePercent) }));
  blockers.add(
    "qbo_invalid_reference",
    `${thing}: its rates (${list(rates)}) do not match the rates of QBO tax code '${code.name}' (${list(qboRates)})`,
    key,
  );
  return undefined;
}

/**
 * Matches by percentage (POS "0.09975" is QBO "9.975"); every non-zero rate on either side needs its
 * match. Undefined when they do not match.
 */
function linkRates(
  posRates: { id: string; name: string; percent: Dec }[],
  code: QboTaxCode,
): Map<string, RateLink> | undefined {
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
  return mismatch ? undefined : rates;
}

function resolveUS(t: PosTax, refs: RefChecker, blockers: Blockers): ResolvedTax | undefined {
  const thing = thingOf(t);
  const key = `taxes.${t.id}`;
  const m = refs.ctx.mappings.taxes[t.id];
  const rates = posRates(t, blockers);
  if (!m || m.taxable === undefined) {
    blockers.add("needs_mapping", thing, key, aboutKey(refs.ctx, key));
    return undefined;
  }
  if (!rates) return undefined;
  const links = new Map(
    rates.map((p) => [
      p.id,
      { posRateId: p.id, posRateName: p.name, percent: p.percent, qboRateId: null, qboRateName: p.name },
    ]),
  );
  if (!m.taxable) return { posTaxId: t.id, name: t.name, lineCode: "NON", taxable: false, rates: links };
  const code = refs.taxCode(m.taxCodeId, thing, key);
  if (!code) return undefined;
  return { posTaxId: t.id, name: t.name, lineCode: "TAX", taxable: true, usCode: code, rates: links };
}
