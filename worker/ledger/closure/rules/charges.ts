import type { FormLine } from "../../form";
import { varianceRow } from "../../plan";
import type { RefChecker, SalesItem } from "../../refs";
import type { ChargeSales } from "../figures";
import { type ClosureRule, compareText, postedSales } from "../rule";

/** The item each adjustment type the POS documents posts through; any other type has its own mapping. */
const KNOWN: Record<string, { key: "surcharge" | "customCharge"; thing: string }> = {
  SURCHARGE: { key: "surcharge", thing: "the surcharge and fee item" },
  NON_CASH_FEE: { key: "surcharge", thing: "the surcharge and fee item" },
  ECOM_CUSTOM_CHARGE: { key: "customCharge", thing: "the custom charge item" },
};

function chargeItem(refs: RefChecker, type: string): SalesItem | undefined {
  const known = KNOWN[type];
  if (known) return refs.salesItem(refs.ctx.mappings.items[known.key], known.thing, `items.${known.key}`);
  // a type the POS added later waits for its own mapping, then posts by itself (never refused)
  return refs.salesItem(
    refs.ctx.mappings.adjustmentTypes[type],
    `the POS charge type '${type}'`,
    `adjustmentTypes.${type}`,
  );
}

/**
 * Surcharges, non-cash fees and custom charges (SPEC §4.2): income through the item mapped for their
 * type, taxed exactly as the POS taxed them, one line per type and POS tax. Their tax is booked with
 * the rest of the closure's tax, per rate.
 */
export const charges: ClosureRule = ({ figures, refs, taxes }) => {
  const charged = figures.charges.filter((c) => c.amountMinor !== 0);
  const lineUp = () => [];
  if (charged.length === 0) return { lineUp };
  const salesLines: FormLine[] = [];
  const sorted = [...charged].sort(
    (a, b) => compareText(a.type, b.type) || compareText(taxes.nameOf(a.taxId), taxes.nameOf(b.taxId)),
  );
  for (const c of sorted) {
    const item = chargeItem(refs, c.type);
    const tax = c.taxId === null ? null : taxes.resolve(c.taxId, "the closure");
    const label = `${labelOf(c)} (${taxes.nameOf(c.taxId)})`;
    if (item && tax !== undefined)
      salesLines.push({ kind: "charge", item, amountMinor: c.amountMinor, description: label, label, tax });
  }
  const total = charged.reduce((s, c) => s + c.amountMinor, 0);
  return {
    salesLines,
    needs: { salesDocument: true, nonTaxableCode: charged.some((c) => c.taxId === null) },
    lineUp: (posted) => [
      varianceRow("charges", "Surcharges, fees and custom charges (ex tax)", total, postedSales(posted, "charge")),
    ],
  };
};

const WORDS: Record<string, string> = {
  SURCHARGE: "Surcharges",
  NON_CASH_FEE: "Non-cash fees",
  ECOM_CUSTOM_CHARGE: "Custom charges",
};

function labelOf(c: ChargeSales): string {
  return WORDS[c.type] ?? `Charges – ${c.type}`;
}
