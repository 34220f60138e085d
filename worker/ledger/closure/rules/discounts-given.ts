import type { FormLine } from "../../form";
import { varianceRow } from "../../plan";
import { type ClosureRule, compareText, type PostedClosure, postedSales } from "../rule";

/**
 * Discounts given: every line and sale-level discount, one line per POS tax, through the discount
 * item. Sales − discounts ties out to the net sales the POS reports.
 */
export const discountsGiven: ClosureRule = ({ figures, refs, taxes }) => {
  const lineUp = (posted: PostedClosure) => [
    varianceRow(
      "net_sales",
      "Net sales (sales − discounts)",
      figures.netSalesPosMinor,
      postedSales(posted, "sales", "discount"),
    ),
  ];
  const given = figures.discounts
    .filter((d) => d.minor !== 0)
    .sort((a, b) => compareText(taxes.nameOf(a.taxId), taxes.nameOf(b.taxId)));
  if (given.length === 0) return { lineUp };
  const item = refs.salesItem(refs.ctx.mappings.items.discount, "the discount item", "items.discount");
  const salesLines: FormLine[] = [];
  for (const d of given) {
    const tax = d.taxId === null ? null : taxes.resolve(d.taxId, "the closure");
    const label = `Discounts given (${taxes.nameOf(d.taxId)})`;
    if (item && tax !== undefined)
      salesLines.push({ kind: "discount", item, amountMinor: -d.minor, description: label, label, tax });
  }
  const untaxed = given.some((d) => d.taxId === null);
  return { salesLines, needs: { salesDocument: true, nonTaxableCode: untaxed }, lineUp };
};
