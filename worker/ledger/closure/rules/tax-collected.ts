import type { FormTax } from "../../form";
import { varianceRow } from "../../plan";
import type { LedgerContext, VarianceRow } from "../../types";
import type { ClosureFigures } from "../figures";
import type { ClosureRule, PostedClosure } from "../rule";

/**
 * Tax: the tax the POS collected, per POS tax and rate, booked as the POS computed it through the
 * mapped QBO tax code (global companies) or as US sales tax.
 */
export const taxCollected: ClosureRule = ({ figures, refs, taxes }) => {
  const charged = figures.lineTaxes.filter((t) => t.minor !== 0);
  const booked: FormTax[] = [];
  for (const t of charged) {
    const tax = taxes.resolve(t.taxId, "the closure");
    if (tax) booked.push({ tax, posRateId: t.rateId, amountMinor: t.minor });
  }
  return {
    taxes: booked,
    needs: { salesDocument: charged.length > 0 },
    lineUp: (posted) => taxLineUp(figures, refs.ctx, posted),
  };
};

/**
 * Per POS rate, the sales' own tax against what the document books; then, where QBO's own
 * computation would differ, the override (informational: QBO books the POS's figure).
 */
function taxLineUp(f: ClosureFigures, ctx: LedgerContext, posted: PostedClosure): VarianceRow[] {
  const rows: VarianceRow[] = [];
  const booked = new Map<string, number>();
  for (const t of posted.taxes) booked.set(t.posRateId, (booked.get(t.posRateId) ?? 0) + t.amountMinor);
  const rateNames = new Map(ctx.taxes.flatMap((t) => t.rates.map((r) => [r.id, r.name] as const)));
  for (const id of new Set([...f.saleTaxByRate.keys(), ...booked.keys()])) {
    const pos = f.saleTaxByRate.get(id) ?? 0;
    const out = booked.get(id) ?? 0;
    if (pos !== 0 || out !== 0) rows.push(varianceRow("tax", `Tax – POS rate ${rateNames.get(id) ?? id}`, pos, out));
  }
  for (const t of posted.taxRows) {
    if (t.qboMinor !== null)
      rows.push(varianceRow("tax_override", `tax rounding (override) – ${t.label}`, t.posMinor, t.qboMinor));
  }
  return rows;
}
