import type { Sale, SaleLine } from "../../shared/domain/pos";

/**
 * A cancelled layby (Vend's way: each item added again with a negative quantity, the deposit
 * refunded) is one sale holding the layby as it was made and its cancelling lines, totalling zero.
 * Its invoice is the layby as made; the cancelling lines are the credit that cancels it in full
 * (SPEC §4.4). null for any other sale: one with no cancelling lines, an on-account sale (a return
 * of one is a sale of its own, named by `returnForSaleId`, and is all credit).
 */
export function cancelledParts(sale: Sale): { made: Sale; cancelling: Sale } | null {
  // an on-account sale is returned by a sale of its own; only a layby is cancelled inside itself
  if (sale.kind !== "layby" || sale.returnForSaleId !== null) return null;
  const cancelling = sale.lines.filter((l) => l.isReturn);
  const made = sale.lines.filter((l) => !l.isReturn);
  if (cancelling.length === 0 || made.length === 0) return null;
  // the cancellation happened when its money went back (its refunds), else on the layby's own day
  const refunds = sale.payments
    .filter((p) => p.amountMinor < 0)
    .map((p) => p.paidAt)
    .sort();
  const cancelledAt = refunds.at(-1) ?? sale.saleDate;
  return {
    made: partOf(sale, made, sale.roundingMinor, sale.saleDate),
    cancelling: partOf(sale, cancelling, 0, cancelledAt),
  };
}

/** The sale with only these lines, its totals and tax per rate theirs. */
function partOf(sale: Sale, lines: SaleLine[], roundingMinor: number, saleDate: string): Sale {
  let net = 0;
  const byRate = new Map<string, number>();
  for (const l of lines) {
    net += l.netMinor;
    for (const t of l.taxes) byRate.set(t.rateId, (byRate.get(t.rateId) ?? 0) + t.taxMinor);
  }
  const taxes = [...byRate].map(([rateId, taxMinor]) => ({ rateId, taxMinor }));
  const tax = taxes.reduce((s, t) => s + t.taxMinor, 0);
  return {
    ...sale,
    saleDate,
    lines,
    totalExTaxMinor: net,
    totalTaxMinor: tax,
    totalMinor: net + tax,
    taxes,
    roundingMinor,
  };
}
