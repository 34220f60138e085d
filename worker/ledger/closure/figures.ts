import type { RegisterClosure, Sale, SaleLine, SalePayment } from "../../../shared/domain/pos";
import { formatMinor } from "../../../shared/money";
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
  /** Σ totalExTax − gift cards sold: what the POS reports as net sales */
  netSalesPosMinor: number;
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
      this.blockers.add("needs_mapping", `payment type '${fallbackName}'`, `paymentTypes.${id}`);
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
 * The sums of the sales' lines. Thousands of lines fall into a handful of (category, tax) and
 * (tax, rate) pairs, so each pair is found through two-level maps rather than a key string per line.
 */
class SalesTally {
  private readonly categorySales = new Pairs<CategorySales>();
  private readonly discounts = new Map<string, TaxDiscount>();
  private readonly lineTaxes = new Pairs<LineTax>();
  private readonly saleTaxByRate = new Map<string, number>();
  private giftCardsSoldMinor = 0;
  private roundingMinor = 0;
  private netSalesPosMinor = 0;

  addSale(sale: Sale, blockers: Blockers): void {
    this.roundingMinor += sale.roundingMinor;
    let giftCards = 0;
    for (const l of sale.lines) {
      this.addLineTaxes(l);
      if (l.kind === "gift_card") {
        if (l.taxes.some((t) => t.taxMinor !== 0)) {
          const card = l.giftCardNumber ?? l.productName;
          blockers.add("unsupported_event", `${saleRef(sale)}: gift card ${card} was sold with tax`);
        }
        giftCards += l.listMinor;
        this.addDiscount(null, l.discountMinor);
        continue;
      }
      this.addDiscount(l.taxId, l.discountMinor);
      if (l.kind === "product" && l.categoryId !== null) {
        const { categoryId, taxId } = l;
        const sum =
          this.categorySales.get(categoryId, taxId ?? "") ??
          this.categorySales.add(categoryId, taxId ?? "", { categoryId, taxId, listMinor: 0 });
        sum.listMinor += l.listMinor;
      }
    }
    this.giftCardsSoldMinor += giftCards;
    this.netSalesPosMinor += sale.totalExTaxMinor - giftCards;
    for (const t of sale.taxes) this.saleTaxByRate.set(t.rateId, (this.saleTaxByRate.get(t.rateId) ?? 0) + t.taxMinor);
  }

  figures(): Omit<ClosureFigures, "paymentTypes"> {
    return {
      categorySales: this.categorySales.list,
      discounts: [...this.discounts.values()],
      giftCardsSoldMinor: this.giftCardsSoldMinor,
      roundingMinor: this.roundingMinor,
      lineTaxes: this.lineTaxes.list,
      saleTaxByRate: this.saleTaxByRate,
      netSalesPosMinor: this.netSalesPosMinor,
    };
  }

  private addLineTaxes(l: SaleLine): void {
    const taxId = l.taxId;
    if (taxId === null) return;
    for (const { rateId, taxMinor } of l.taxes) {
      const sum = this.lineTaxes.get(taxId, rateId) ?? this.lineTaxes.add(taxId, rateId, { taxId, rateId, minor: 0 });
      sum.minor += taxMinor;
    }
  }

  private addDiscount(taxId: string | null, minor: number): void {
    const k = taxId ?? "";
    const cur = this.discounts.get(k);
    if (cur) cur.minor += minor;
    else this.discounts.set(k, { taxId, minor });
  }
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
