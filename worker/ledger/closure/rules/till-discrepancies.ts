import { formatMinor } from "../../../../shared/money";
import type { FormLine } from "../../form";
import { depositTypes } from "../payment-types";
import type { ClosureRule } from "../rule";

/**
 * Till discrepancies: counted − expected, one line per payment type whose money was counted
 * (cash above all), through the over/short item.
 */
export const tillDiscrepancies: ClosureRule = ({ types, refs }) => {
  const off = depositTypes(types).filter((t) => t.f.countedMinor !== null && t.f.countedMinor !== t.f.expectedMinor);
  if (off.length === 0) return {};
  const { tillDiscrepancy } = refs.ctx.mappings.items;
  const item = refs.salesItem(tillDiscrepancy, "the till discrepancy item", "items.tillDiscrepancy");
  const salesLines: FormLine[] = [];
  for (const { f } of off) {
    const counted = f.countedMinor!;
    const label = `Till discrepancy – ${f.name} (counted ${formatMinor(counted)}, expected ${formatMinor(f.expectedMinor)})`;
    if (item) {
      const line = { item, amountMinor: counted - f.expectedMinor, description: label, label, tax: null };
      salesLines.push({ kind: "till", paymentTypeId: f.id, ...line });
    }
  }
  // each line carries no tax, even when one till's over cancels another's short
  return { salesLines, needs: { salesDocument: true, nonTaxableCode: true } };
};
