import type { Sale } from "../../shared/domain/pos";
import { formatMinor } from "../../shared/money";
import type { Blockers } from "./blockers";

export function saleRef(sale: Sale): string {
  return `sale #${sale.invoiceNumber ?? sale.id}`;
}

function lineRef(sale: Sale, i: number): string {
  const l = sale.lines[i]!;
  return `${saleRef(sale)} line ${i + 1} ('${l.productName}')`;
}

function addTo(map: Map<string, number>, key: string, minor: number): void {
  map.set(key, (map.get(key) ?? 0) + minor);
}

/**
 * Checks that a sale adds up the way the POS connector promises (DESIGN §1): lines to totals, line
 * taxes to the sale's taxes per rate, and that every product line has a category. Records a
 * pos_payload_invalid blocker per problem; true when the sale is consistent.
 */
export function checkSale(sale: Sale, blockers: Blockers): boolean {
  const before = blockers.all().length;
  const bad = (detail: string) => blockers.add("pos_payload_invalid", detail);
  const ref = saleRef(sale);
  let net = 0;
  const lineTax = new Map<string, number>();
  sale.lines.forEach((l, i) => {
    if (l.listMinor - l.discountMinor !== l.netMinor) bad(`${lineRef(sale, i)}: list − discount is not the net amount`);
    if (l.kind === "product" && l.categoryId === null) bad(`${lineRef(sale, i)}: the product has no category`);
    if (l.kind === "sale_discount" && l.listMinor !== 0)
      bad(`${lineRef(sale, i)}: a sale discount line with a list amount`);
    if (l.taxId === null && l.taxes.some((t) => t.taxMinor !== 0))
      bad(`${lineRef(sale, i)}: tax charged on a line with no POS tax`);
    net += l.netMinor;
    for (const t of l.taxes) addTo(lineTax, t.rateId, t.taxMinor);
  });
  if (net !== sale.totalExTaxMinor)
    bad(
      `${ref}: its lines total ${formatMinor(net)} before tax but the sale says ${formatMinor(sale.totalExTaxMinor)}`,
    );
  const saleTax = new Map<string, number>();
  for (const t of sale.taxes) addTo(saleTax, t.rateId, t.taxMinor);
  const rateIds = new Set([...lineTax.keys(), ...saleTax.keys()]);
  for (const id of rateIds) {
    if ((lineTax.get(id) ?? 0) !== (saleTax.get(id) ?? 0))
      bad(`${ref}: tax at rate ${id} on its lines differs from the sale's tax at that rate`);
  }
  const taxTotal = [...saleTax.values()].reduce((a, b) => a + b, 0);
  if (taxTotal !== sale.totalTaxMinor)
    bad(
      `${ref}: its taxes per rate total ${formatMinor(taxTotal)} but the sale says ${formatMinor(sale.totalTaxMinor)}`,
    );
  if (sale.totalExTaxMinor + sale.totalTaxMinor !== sale.totalMinor)
    bad(`${ref}: total before tax + tax is not the sale total`);
  return blockers.all().length === before;
}
