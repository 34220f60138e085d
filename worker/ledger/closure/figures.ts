import type { RegisterClosure, Sale, SalePayment, TaxAmount } from "../../../shared/domain/pos";
import { allocate, formatMinor, parseDec, roundDec } from "../../../shared/money";
import type { Blockers } from "../blockers";
import { checkSale, saleRef } from "../sale-check";
import type { LedgerContext } from "../types";

/** One payment type of a closure: what the POS expected and counted, and what the sales say. */
export interface PaymentTypeFigures {
  id: string;
  /** "payment type 'Afterpay' (deleted)" */
  thing: string;
  name: string;
  expectedMinor: number;
  /** null while unknown */
  countedMinor: number | null;
  /** Payments of this sequence on regular sales, by sign */
  regularInMinor: number;
  regularOutMinor: number;
  /** Payments of this sequence on on-account and layby sales (they post against their invoices) */
  onAccountMinor: number;
}

/** Σ listMinor of the product lines of one category under one POS tax. */
export interface CategorySales {
  categoryId: string;
  taxId: string | null;
  listMinor: number;
}

/** Σ discountMinor under one POS tax (null: no tax). */
export interface TaxDiscount {
  taxId: string | null;
  minor: number;
}

/** Σ of one adjustment type under one POS tax (null: untaxed), ex tax. */
export interface ChargeSales {
  type: string;
  /** The POS's name of the first such charge ("Card surcharge (Credit card 1.5%)") */
  name: string;
  taxId: string | null;
  amountMinor: number;
}

/** Σ line tax at one rate of one POS tax. */
export interface LineTax {
  taxId: string;
  rateId: string;
  minor: number;
}

/**
 * The POS side of a closure, added up per line of SPEC §1.1 before anything is mapped. Lists keep
 * the order in which the sales first name each category, tax or rate.
 */
export interface ClosureFigures {
  categorySales: CategorySales[];
  /** Gift-card line discounts count under no tax */
  discounts: TaxDiscount[];
  giftCardsSoldMinor: number;
  roundingMinor: number;
  lineTaxes: LineTax[];
  /** Σ of the sales' own tax per POS rate */
  saleTaxByRate: Map<string, number>;
  /** Sales − discounts, each rounded once: what the POS reports as net sales */
  netSalesPosMinor: number;
  /** Surcharges, fees, custom charges and types the POS adds later: per type and POS tax, ex tax */
  charges: ChargeSales[];
  /** Σ tips: owed to staff */
  tipsMinor: number;
  /**
   * What customers paid (before cash rounding) less sales − discounts + gift cards + charges + tips +
   * tax, each rounded once: the sub-cent residues of a tax-inclusive outlet (0 in a tax-exclusive one)
   */
  taxRoundingMinor: number;
  paymentTypes: Map<string, PaymentTypeFigures>;
}

/** Adds up a closure's sales and payments summary; whatever does not add up becomes a blocker. */
export function collectClosure(closure: RegisterClosure, ctx: LedgerContext, blockers: Blockers): ClosureFigures {
  const types = new PaymentTypeTally(ctx, blockers);
  const sums = new SalesTally();
  readPaymentsSummary(closure, types, blockers);
  for (const sale of closure.sales) {
    if (sale.state === "parked" || sale.state === "voided") continue;
    const here = sale.payments.filter((p) => p.sequenceId === closure.id);
    if (sale.kind !== "regular") {
      for (const p of here) types.onAccount(p);
      continue;
    }
    for (const p of here) types.regular(p);
    if (linesCountHere(closure, sale, here, blockers) && checkSale(sale, blockers)) sums.addSale(sale, blockers);
  }
  checkPaymentTotals(types.all, blockers);
  return { ...sums.figures(), paymentTypes: types.all };
}

function readPaymentsSummary(closure: RegisterClosure, types: PaymentTypeTally, blockers: Blockers): void {
  const seen = new Set<string>();
  for (const row of closure.payments) {
    if (seen.has(row.paymentTypeId))
      blockers.add("pos_payload_invalid", `the closure lists payment type '${row.name}' twice`);
    seen.add(row.paymentTypeId);
    const t = types.of(row.paymentTypeId, row.name);
    if (!t) continue;
    t.expectedMinor = row.expectedMinor;
    t.countedMinor = row.countedMinor;
  }
}

/** Whether a regular sale's lines belong to this closure, and its payments with them. */
function linesCountHere(closure: RegisterClosure, sale: Sale, here: SalePayment[], blockers: Blockers): boolean {
  if (sale.completedSequenceId !== closure.id) {
    // Its lines belong to another closure, so its payments here would leave the clearing account unbalanced.
    if (here.some((p) => p.amountMinor !== 0))
      bad(
        blockers,
        sale,
        sale.completedSequenceId === null
          ? "paid in this closure, but the POS does not say which register sequence completed it and its payments span more than one"
          : "paid in this closure but completed in another register sequence",
      );
    return false;
  }
  if (sale.state !== "closed") bad(blockers, sale, `completed in this closure but its state is '${sale.state}'`);
  if (sale.payments.some((p) => p.sequenceId !== closure.id && p.amountMinor !== 0))
    bad(blockers, sale, "completed in this closure but paid partly in another register sequence");
  let paid = 0;
  for (const p of sale.payments) paid += p.amountMinor;
  const due = sale.totalMinor + sale.roundingMinor;
  if (paid !== due)
    bad(blockers, sale, `its payments total ${formatMinor(paid)} but its total with rounding is ${formatMinor(due)}`);
  return true;
}

function bad(blockers: Blockers, sale: Sale, what: string): void {
  blockers.add("pos_payload_invalid", `${saleRef(sale)}: ${what}`);
}

function checkPaymentTotals(types: Map<string, PaymentTypeFigures>, blockers: Blockers): void {
  for (const t of types.values()) {
    const paid = t.regularInMinor + t.regularOutMinor + t.onAccountMinor;
    if (paid !== t.expectedMinor) {
      blockers.add(
        "pos_payload_invalid",
        `${t.thing}: the closure's payments summary expects ${formatMinor(t.expectedMinor)} but the payments taken in this closure total ${formatMinor(paid)}`,
      );
    }
  }
}

/** The closure's payment types in first-seen order; an unknown one is named once, as a mapping it waits on. */
class PaymentTypeTally {
  readonly all = new Map<string, PaymentTypeFigures>();
  private readonly known: Map<string, LedgerContext["paymentTypes"][number]>;

  constructor(
    ctx: LedgerContext,
    private readonly blockers: Blockers,
  ) {
    this.known = new Map(ctx.paymentTypes.map((p) => [p.id, p]));
  }

  of(id: string, fallbackName: string): PaymentTypeFigures | undefined {
    const existing = this.all.get(id);
    if (existing) return existing;
    const pt = this.known.get(id);
    if (!pt) {
      // not in the POS's lists (yet): the runtime reloads them once; still unknown, it waits on its mapping
      this.blockers.add("needs_mapping", `payment type '${fallbackName}'`, `paymentTypes.${id}`, {
        thing: "paymentTypes",
        name: fallbackName,
      });
      return undefined;
    }
    const figures: PaymentTypeFigures = {
      id,
      name: pt.name,
      thing: `payment type '${pt.name}'${pt.deleted ? " (deleted)" : ""}`,
      expectedMinor: 0,
      countedMinor: 0,
      regularInMinor: 0,
      regularOutMinor: 0,
      onAccountMinor: 0,
    };
    this.all.set(id, figures);
    return figures;
  }

  regular(p: SalePayment): void {
    const t = this.ofSale(p);
    if (!t) return;
    if (p.amountMinor >= 0) t.regularInMinor += p.amountMinor;
    else t.regularOutMinor += p.amountMinor;
  }

  onAccount(p: SalePayment): void {
    const t = this.ofSale(p);
    if (t) t.onAccountMinor += p.amountMinor;
  }

  private ofSale(p: SalePayment): PaymentTypeFigures | undefined {
    return this.all.get(p.paymentTypeId) ?? this.of(p.paymentTypeId, p.paymentTypeName);
  }
}

/**
 * The sums of the sales' lines, charges and tips. The POS records ex-tax amounts and tax at up to five
 * decimals in a tax-inclusive outlet: each figure is summed at full precision over the closure and
 * rounded half-up to the cent once (SPEC §4.1); what customers paid less those figures is the tax
 * rounding residue. Thousands of lines fall into a handful of (category, tax) and (tax, rate) pairs,
 * so each pair is found through two-level maps rather than a key string per line.
 */
class SalesTally {
  private readonly categorySales = new Pairs<ExactSum & { categoryId: string; taxId: string | null }>();
  private readonly discounts = new Map<string, ExactSum & { taxId: string | null }>();
  private readonly lineTaxes = new Pairs<ExactSum & { taxId: string; rateId: string }>();
  private readonly charges = new Pairs<ExactSum & { type: string; name: string; taxId: string | null }>();
  private readonly saleTaxByRate = new Map<string, ExactSum>();
  private readonly giftCards = new ExactSum();
  private tipsMinor = 0;
  private roundingMinor = 0;
  private paidMinor = 0;

  addSale(sale: Sale, blockers: Blockers): void {
    this.roundingMinor += sale.roundingMinor;
    this.paidMinor += sale.totalMinor;
    this.tipsMinor += sale.tipsMinor ?? 0;
    for (const l of sale.lines) this.addLine(sale, l, blockers);
    for (const c of sale.charges ?? []) this.addCharge(c);
    for (const t of sale.taxes) {
      const sum = this.saleTaxByRate.get(t.rateId) ?? new ExactSum();
      sum.add(exactOf(t.exact, t.taxMinor));
      this.saleTaxByRate.set(t.rateId, sum);
    }
  }

  /** A line's tax, its discount, and its list amount: to its category, or to gift-card liability. */
  private addLine(sale: Sale, l: Sale["lines"][number], blockers: Blockers): void {
    this.addLineTaxes(l.taxId, l.taxes);
    const list = exactOf(l.listExact, l.listMinor);
    const net = exactOf(l.netExact, l.netMinor);
    if (l.kind === "gift_card") {
      if (l.taxes.some((t) => t.taxMinor !== 0)) {
        const card = l.giftCardNumber ?? l.productName;
        blockers.add("unsupported_event", `${saleRef(sale)}: gift card ${card} was sold with tax`);
      }
      this.giftCards.add(list);
      this.addDiscount(null, list - net);
      return;
    }
    this.addDiscount(l.taxId, list - net);
    if (l.kind === "product" && l.categoryId !== null) {
      const { categoryId, taxId } = l;
      const sum =
        this.categorySales.get(categoryId, taxId ?? "") ??
        this.categorySales.add(categoryId, taxId ?? "", Object.assign(new ExactSum(), { categoryId, taxId }));
      sum.add(list);
    }
  }

  /** A charge's tax, and its amount to its (type, tax) pair. */
  private addCharge(c: NonNullable<Sale["charges"]>[number]): void {
    this.addLineTaxes(c.taxId, c.taxes);
    const sum =
      this.charges.get(c.type, c.taxId ?? "") ??
      this.charges.add(
        c.type,
        c.taxId ?? "",
        Object.assign(new ExactSum(), { type: c.type, name: c.name, taxId: c.taxId }),
      );
    sum.add(exactOf(c.amountExact, c.amountMinor));
  }

  figures(): Omit<ClosureFigures, "paymentTypes"> {
    // each category, each discount total, each rate's tax, each charge: rounded once
    const categorySales = splitOnce(this.categorySales.list, (c) => c.categoryId).map((c) => ({
      categoryId: c.categoryId,
      taxId: c.taxId,
      listMinor: c.minor,
    }));
    const discounts = splitOnce([...this.discounts.values()], () => "").map((d) => ({
      taxId: d.taxId,
      minor: d.minor,
    }));
    const saleTaxByRate = new Map([...this.saleTaxByRate].map(([rate, sum]) => [rate, sum.minor()] as const));
    const lineTaxes = splitByRate(this.lineTaxes.list, saleTaxByRate);
    const charges = this.charges.list.map((c) => ({
      type: c.type,
      name: c.name,
      taxId: c.taxId,
      amountMinor: c.minor(),
    }));
    const giftCardsSoldMinor = this.giftCards.minor();
    const sales = categorySales.reduce((s, c) => s + c.listMinor, 0);
    const netSalesPosMinor = sales - discounts.reduce((s, d) => s + d.minor, 0);
    const chargesMinor = charges.reduce((s, c) => s + c.amountMinor, 0);
    const taxMinor = [...saleTaxByRate.values()].reduce((s, t) => s + t, 0);
    const booked = netSalesPosMinor + giftCardsSoldMinor + chargesMinor + this.tipsMinor + taxMinor;
    return {
      categorySales,
      discounts,
      giftCardsSoldMinor,
      roundingMinor: this.roundingMinor,
      taxRoundingMinor: this.paidMinor - booked,
      lineTaxes,
      saleTaxByRate,
      netSalesPosMinor,
      charges,
      tipsMinor: this.tipsMinor,
    };
  }

  private addLineTaxes(taxId: string | null, taxes: readonly TaxAmount[]): void {
    if (taxId === null) return;
    for (const t of taxes) {
      const sum =
        this.lineTaxes.get(taxId, t.rateId) ??
        this.lineTaxes.add(taxId, t.rateId, Object.assign(new ExactSum(), { taxId, rateId: t.rateId }));
      sum.add(exactOf(t.exact, t.taxMinor));
    }
  }

  private addDiscount(taxId: string | null, amount: bigint): void {
    const k = taxId ?? "";
    let cur = this.discounts.get(k);
    if (!cur) this.discounts.set(k, (cur = Object.assign(new ExactSum(), { taxId })));
    cur.add(amount);
  }
}

/** Exact sums at SCALE decimals (the POS keeps at most five). */
const SCALE = 10;
const CENT = 10n ** BigInt(SCALE - 2);

/** An amount at SCALE decimals: the recorded exact figure when there is one, else the cents. */
function exactOf(exact: string | undefined, minor: number): bigint {
  if (exact === undefined) return BigInt(minor) * CENT;
  const d = parseDec(exact);
  const r = d.s > SCALE ? roundDec(d, SCALE, "half-up") : d;
  return r.m * 10n ** BigInt(SCALE - r.s);
}

/** Half away from zero, to the cent. */
function centsOf(m: bigint): number {
  const half = CENT / 2n;
  const q = m < 0n ? -((-m + half) / CENT) : (m + half) / CENT;
  return Number(q);
}

class ExactSum {
  m = 0n;
  add(v: bigint): void {
    this.m += v;
  }
  minor(): number {
    return centsOf(this.m);
  }
}

/**
 * Sums that share one rounding: each group (a category, all discounts) is rounded to the cent once,
 * then split back over its parts (one per POS tax) in proportion to their exact amounts.
 */
function splitOnce<T extends ExactSum>(parts: T[], groupOf: (p: T) => string): (T & { minor: number })[] {
  const groups = new Map<string, T[]>();
  for (const p of parts) {
    const g = groups.get(groupOf(p)) ?? [];
    g.push(p);
    groups.set(groupOf(p), g);
  }
  const minor = new Map<T, number>();
  for (const g of groups.values()) {
    const total = centsOf(g.reduce((s, p) => s + p.m, 0n));
    const split = allocate(
      total,
      g.map((p) => p.m),
    );
    for (const [i, p] of g.entries()) minor.set(p, split[i]!);
  }
  return parts.map((p) => Object.assign(p, { minor: minor.get(p)! }));
}

/** Each rate's tax as the sales recorded it, rounded once, split over the POS taxes that carry the rate. */
function splitByRate(parts: (ExactSum & { taxId: string; rateId: string })[], byRate: Map<string, number>): LineTax[] {
  const rates = new Map<string, (ExactSum & { taxId: string; rateId: string })[]>();
  for (const p of parts) rates.set(p.rateId, [...(rates.get(p.rateId) ?? []), p]);
  const out: LineTax[] = [];
  for (const p of parts) {
    const same = rates.get(p.rateId)!;
    const total = byRate.get(p.rateId) ?? centsOf(same.reduce((s, q) => s + q.m, 0n));
    const split = allocate(
      total,
      same.map((q) => q.m),
    );
    out.push({ taxId: p.taxId, rateId: p.rateId, minor: split[same.indexOf(p)]! });
  }
  return out;
}

/** Running sums keyed by a pair of ids, listed in first-seen order. */
class Pairs<T> {
  readonly list: T[] = [];
  private readonly index = new Map<string, Map<string, T>>();

  get(a: string, b: string): T | undefined {
    return this.index.get(a)?.get(b);
  }

  add(a: string, b: string, sum: T): T {
    let inner = this.index.get(a);
    if (!inner) this.index.set(a, (inner = new Map()));
    inner.set(b, sum);
    this.list.push(sum);
    return sum;
  }
}
