import { varianceRow } from "../../plan";
import { type ClosureRule, type PostedClosure, postedSales } from "../rule";

/** Rounding: the sales' cash rounding (e.g. Canada's 5 cents), through the rounding item; shown, never silent. */
export const rounding: ClosureRule = ({ figures, refs }) => {
  const amountMinor = figures.roundingMinor;
  const lineUp = (posted: PostedClosure) => [
    varianceRow("rounding", "Cash rounding", amountMinor, postedSales(posted, "rounding")),
  ];
  if (amountMinor === 0) return { lineUp };
  const item = refs.salesItem(refs.ctx.mappings.items.rounding, "the rounding item", "items.rounding");
  const line = { kind: "rounding", amountMinor, description: "Cash rounding", label: "Rounding", tax: null } as const;
  return {
    salesLines: item ? [{ ...line, item }] : [],
    needs: { salesDocument: true, nonTaxableCode: true },
    lineUp,
  };
};
