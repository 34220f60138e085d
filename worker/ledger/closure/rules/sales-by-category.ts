import type { FormLine } from "../../form";
import type { SalesItem } from "../../refs";
import type { ResolvedTax, TaxResolver } from "../../tax";
import { type ClosureRule, compareText } from "../rule";

interface ItemSales {
  item: SalesItem;
  tax: ResolvedTax | null;
  amountMinor: number;
  categories: string[];
}

/**
 * Sales – category: what the closure sold, at the undiscounted price, through each category's
 * mapped item; one line per (item × POS tax), naming the categories that share the item.
 */
export const salesByCategory: ClosureRule = ({ figures, refs, taxes }) => {
  const byItem = new Map<string, ItemSales>();
  let sold = false;
  let untaxed = false;
  for (const c of figures.categorySales) {
    if (c.listMinor === 0) continue;
    sold = true;
    if (c.taxId === null) untaxed = true;
    const item = refs.categoryItem(c.categoryId);
    const tax = c.taxId === null ? null : taxes.resolve(c.taxId, "the closure");
    if (!item || tax === undefined) continue;
    const k = `${item.id}\u0000${c.taxId ?? ""}`;
    const line = byItem.get(k) ?? { item, tax, amountMinor: 0, categories: [] };
    line.amountMinor += c.listMinor;
    const name = refs.categoryName(c.categoryId);
    if (!line.categories.includes(name)) line.categories.push(name);
    byItem.set(k, line);
  }
  return {
    salesLines: salesLines([...byItem.values()], taxes),
    // a line per category even when they cancel out (an even exchange): nothing nets across categories
    needs: { salesDocument: sold, nonTaxableCode: untaxed },
  };
};

/** The lines by item name, then tax name, each labelled with its categories. */
function salesLines(lines: ItemSales[], taxes: TaxResolver): FormLine[] {
  const taxName = (l: ItemSales) => taxes.nameOf(l.tax?.posTaxId ?? null);
  return lines
    .sort((a, b) => compareText(a.item.name, b.item.name) || compareText(taxName(a), taxName(b)))
    .map((l) => {
      const label = `Sales – ${l.categories.sort(compareText).join(", ")} (${taxName(l)})`;
      return { kind: "sales", item: l.item, amountMinor: l.amountMinor, description: label, label, tax: l.tax };
    });
}
