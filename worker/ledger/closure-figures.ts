import type { RegisterClosure, Sale } from "../../shared/domain/pos";
import { formatMinor } from "../../shared/money";
import type { Blockers } from "./blockers";
import { checkSale, saleRef } from "./sale-check";
import type { LedgerContext } from "./types";

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

/** The POS side of a closure, added up per line of SPEC §1.1 before anything is mapped. */
export interface ClosureFigures {
  /** Σ listMinor of product lines per (category, POS tax) */
  categoryLines: Map<string, { categoryId: string; taxId: string | null; listMinor: number }>;
  /** Σ discountMinor per POS tax (gift-card line discounts under no tax) */
  discounts: Map<string, { taxId: string | null; minor: number }>;
  giftCardsSoldMinor: number;
  roundingMinor: number;
  /** Σ line tax per (POS tax, POS rate) */
  lineTaxes: Map<string, { taxId: string; rateId: string; minor: number }>;
  /** Σ of the sales' own tax per POS rate */
  saleTaxByRate: Map<string, number>;
  /** Σ totalExTax − gift cards sold: what the POS reports as net sales */
  netSalesPosMinor: number;
  paymentTypes: Map<string, PaymentTypeFigures>;
}

const SEP = "\u0000";

export function collectClosure(closure: RegisterClosure, ctx: LedgerContext, blockers: Blockers): ClosureFigures {
  const bad = (detail: string) => blockers.add("pos_payload_invalid", detail);
  const known = new Map(ctx.paymentTypes.map((p) => [p.id, p]));
  const f: ClosureFigures = {
    categoryLines: new Map(),
    discounts: new Map(),
    giftCardsSoldMinor: 0,
    roundingMinor: 0,
    lineTaxes: new Map(),
    saleTaxByRate: new Map(),
    netSalesPosMinor: 0,
    paymentTypes: new Map(),
  };

  const typeOf = (id: string, fallbackName: string, where: string): PaymentTypeFigures | undefined => {
    const existing = f.paymentTypes.get(id);
    if (existing) return existing;
    const pt = known.get(id);
    if (!pt) {
      bad(`${where}: unknown payment type '${fallbackName}' (${id})`);
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
    f.paymentTypes.set(id, figures);
    return figures;
  };

  const rowSeen = new Set<string>();
  for (const row of closure.payments) {
    if (rowSeen.has(row.paymentTypeId)) bad(`the closure lists payment type '${row.name}' twice`);
    rowSeen.add(row.paymentTypeId);
    const t = typeOf(row.paymentTypeId, row.name, "the closure's payments summary");
    if (!t) continue;
    t.expectedMinor = row.expectedMinor;
    t.countedMinor = row.countedMinor;
  }

  for (const sale of closure.sales) {
    if (sale.state === "parked" || sale.state === "voided") continue;
    const ref = saleRef(sale);
    const here = sale.payments.filter((p) => p.sequenceId === closure.id);
    if (sale.kind !== "regular") {
      for (const p of here) {
        const t = typeOf(p.paymentTypeId, p.paymentTypeName, ref);
        if (t) t.onAccountMinor += p.amountMinor;
      }
      continue;
    }
    for (const p of here) {
      const t = typeOf(p.paymentTypeId, p.paymentTypeName, ref);
      if (!t) continue;
      if (p.amountMinor >= 0) t.regularInMinor += p.amountMinor;
      else t.regularOutMinor += p.amountMinor;
    }
    if (sale.completedSequenceId !== closure.id) {
      // Its lines belong to another closure, so its payments here would leave the clearing account unbalanced.
      if (here.some((p) => p.amountMinor !== 0))
        bad(`${ref}: paid in this closure but completed in another register sequence`);
      continue;
    }
    if (sale.state !== "closed") bad(`${ref}: completed in this closure but its state is '${sale.state}'`);
    const elsewhere = sale.payments.filter((p) => p.sequenceId !== closure.id && p.amountMinor !== 0);
    if (elsewhere.length > 0) bad(`${ref}: completed in this closure but paid partly in another register sequence`);
    const paid = sale.payments.reduce((s, p) => s + p.amountMinor, 0);
    if (paid !== sale.totalMinor + sale.roundingMinor) {
      bad(
        `${ref}: its payments total ${formatMinor(paid)} but its total with rounding is ${formatMinor(sale.totalMinor + sale.roundingMinor)}`,
      );
    }
    if (!checkSale(sale, blockers)) continue;
    addSaleLines(sale, f, blockers);
  }

  for (const t of f.paymentTypes.values()) {
    const paid = t.regularInMinor + t.regularOutMinor + t.onAccountMinor;
    if (paid !== t.expectedMinor) {
      bad(
        `${t.thing}: the closure's payments summary expects ${formatMinor(t.expectedMinor)} but the payments taken in this closure total ${formatMinor(paid)}`,
      );
    }
  }
  return f;
}

function addSaleLines(sale: Sale, f: ClosureFigures, blockers: Blockers): void {
  f.roundingMinor += sale.roundingMinor;
  let giftCards = 0;
  for (const l of sale.lines) {
    for (const t of l.taxes) {
      if (l.taxId === null) continue;
      const k = `${l.taxId}${SEP}${t.rateId}`;
      const cur = f.lineTaxes.get(k) ?? { taxId: l.taxId, rateId: t.rateId, minor: 0 };
      cur.minor += t.taxMinor;
      f.lineTaxes.set(k, cur);
    }
    if (l.kind === "gift_card") {
      if (l.taxes.some((t) => t.taxMinor !== 0)) {
        blockers.add(
          "unsupported_event",
          `${saleRef(sale)}: gift card ${l.giftCardNumber ?? l.productName} was sold with tax`,
        );
      }
      giftCards += l.listMinor;
      addDiscount(f, null, l.discountMinor);
      continue;
    }
    addDiscount(f, l.taxId, l.discountMinor);
    if (l.kind === "product" && l.categoryId !== null) {
      const k = `${l.categoryId}${SEP}${l.taxId ?? ""}`;
      const cur = f.categoryLines.get(k) ?? { categoryId: l.categoryId, taxId: l.taxId, listMinor: 0 };
      cur.listMinor += l.listMinor;
      f.categoryLines.set(k, cur);
    }
  }
  f.giftCardsSoldMinor += giftCards;
  f.netSalesPosMinor += sale.totalExTaxMinor - giftCards;
  for (const t of sale.taxes) f.saleTaxByRate.set(t.rateId, (f.saleTaxByRate.get(t.rateId) ?? 0) + t.taxMinor);
}

function addDiscount(f: ClosureFigures, taxId: string | null, minor: number): void {
  const k = taxId ?? "";
  const cur = f.discounts.get(k) ?? { taxId, minor: 0 };
  cur.minor += minor;
  f.discounts.set(k, cur);
}
