import { formatMinor } from "../../../../shared/money";
import { varianceRow } from "../../plan";
import { type ClosureRule, type PostedClosure, postedSales } from "../rule";

/**
 * Rounding: the sales' cash rounding (e.g. Canada's 5 cents) and, in a tax-inclusive outlet, the
 * residue between what customers paid and sales − discounts + charges + tips + tax, each summed at
 * full precision and rounded once (SPEC §4.1); through the rounding item, shown, never silent.
 */
export const rounding: ClosureRule = ({ figures, refs }) => {
  const cash = figures.roundingMinor;
  const residue = figures.taxRoundingMinor;
  const amountMinor = cash + residue;
  const lineUp = (posted: PostedClosure) => [
    varianceRow("rounding", "Cash rounding", cash, postedSales(posted, "rounding") - residue),
    ...(residue !== 0
      ? [varianceRow("rounding", "Tax-inclusive rounding residue", residue, postedSales(posted, "rounding") - cash)]
      : []),
  ];
  if (amountMinor === 0 && residue === 0) return { lineUp };
  const description =
    residue === 0
      ? "Cash rounding"
      : `Rounding: cash ${formatMinor(cash)}, tax-inclusive residue ${formatMinor(residue)} (what customers paid less sales, charges, tips and tax each rounded once)`;
  const item = refs.salesItem(refs.ctx.mappings.items.rounding, "the rounding item", "items.rounding");
  const line = { kind: "rounding", amountMinor, description, label: "Rounding", tax: null } as const;
  return {
    salesLines: item ? [{ ...line, item }] : [],
    needs: { salesDocument: true, nonTaxableCode: true },
    lineUp,
  };
};
