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
 * pos_payload_invalid blocker per problem; true when the sale is consistent. A closure checks
 * thousands of sales, so the loops are plain and the words are built only for a problem.
 */
export function checkSale(sale: Sale, blockers: Blockers): boolean {
  const before = blockers.count;
  const lineTax = new Map<string, number>();
  let net = 0;
  for (let i = 0; i < sale.lines.length; i++) {
    const l = sale.lines[i]!;
    checkLine(sale, i, blockers);
    net += l.netMinor;
    for (const t of l.taxes) addTo(lineTax, t.rateId, t.taxMinor);
  }
  // charges and tips are part of the sale's total before tax; the charges' tax is part of its tax
  for (const c of sale.charges ?? []) {
    net += c.amountMinor;
    if (c.taxId === null && c.taxes.some((t) => t.taxMinor !== 0))
      bad(blockers, saleRef(sale), `tax charged on its ${c.type} charge with no POS tax`);
    for (const t of c.taxes) addTo(lineTax, t.rateId, t.taxMinor);
  }
  net += sale.tipsMinor ?? 0;
  checkTotals(sale, net, lineTax, blockers);
  return blockers.count === before;
}

/** The checks of one line on its own: its amounts, its category, its tax. */
function checkLine(sale: Sale, i: number, blockers: Blockers): void {
  const l = sale.lines[i]!;
  if (l.listMinor - l.discountMinor !== l.netMinor)
    bad(blockers, lineRef(sale, i), "list − discount is not the net amount");
  if (l.kind === "product" && l.categoryId === null) bad(blockers, lineRef(sale, i), "the product has no category");
  if (l.kind === "sale_discount" && l.listMinor !== 0)
    bad(blockers, lineRef(sale, i), "a sale discount line with a list amount");
  if (l.taxId === null && l.taxes.some((t) => t.taxMinor !== 0))
    bad(blockers, lineRef(sale, i), "tax charged on a line with no POS tax");
}

function bad(blockers: Blockers, where: string, what: string): void {
  blockers.add("pos_payload_invalid", `${where}: ${what}`);
}

function checkTotals(sale: Sale, net: number, lineTax: Map<string, number>, blockers: Blockers): void {
  const ref = saleRef(sale);
  if (net !== sale.totalExTaxMinor)
    bad(
      blockers,
      ref,
      `its ${sale.charges?.length || sale.tipsMinor ? "lines, charges and tips" : "lines"} total ${formatMinor(net)} before tax but the sale says ${formatMinor(sale.totalExTaxMinor)}`,
    );
  const saleTax = new Map<string, number>();
  let taxTotal = 0;
  for (const t of sale.taxes) {
    addTo(saleTax, t.rateId, t.taxMinor);
    taxTotal += t.taxMinor;
  }
  for (const [id, minor] of lineTax)
    if (minor !== (saleTax.get(id) ?? 0))
      bad(blockers, ref, `tax at rate ${id} on its lines differs from the sale's tax at that rate`);
  for (const [id, minor] of saleTax)
    if (!lineTax.has(id) && minor !== 0)
      bad(blockers, ref, `tax at rate ${id} on its lines differs from the sale's tax at that rate`);
  if (taxTotal !== sale.totalTaxMinor)
    bad(
      blockers,
      ref,
      `its taxes per rate total ${formatMinor(taxTotal)} but the sale says ${formatMinor(sale.totalTaxMinor)}`,
    );
  if (sale.totalExTaxMinor + sale.totalTaxMinor !== sale.totalMinor)
    bad(blockers, ref, "total before tax + tax is not the sale total");
}
