import type { SaleCharge, SaleLine, TaxAmount } from "../../../shared/domain/pos";
import { addDec, type Dec, formatDec, isZeroDec, type Minor, mulDec } from "../../../shared/money";
import type { PosSale, PosSaleLine } from "../normalize/sale";
import type { Fail } from "../read";
import type { SaleContext } from "./context";
import { allocateExact, cents, near, slack, sumDec, ZERO } from "./exact";
import type { ReadCharge } from "./sale-charges";
import type { SaleRates } from "./sale-tax";

/** A sale line read against the store's reference data, amounts still exact (before the split into cents). */
export interface ReadLine {
  id: string;
  kind: SaleLine["kind"];
  productId: string | null;
  productName: string;
  sku: string | null;
  categoryId: string | null;
  quantity: Dec;
  unitList: Dec;
  unitDiscount: Dec;
  list: Dec;
  net: Dec;
  taxId: string | null;
  /** exact tax per rate id */
  taxes: Map<string, Dec>;
  isReturn: boolean;
  giftCardNumber: string | null;
  /** the POS's cost of the line (cost_total), exact; null when it did not say */
  costTotal: Dec | null;
}

/** The sale's lines, voided ones left out (they are not part of the sale). */
export function readLines(items: PosSale["line_items"], ctx: SaleContext, fail: Fail): ReadLine[] {
  const out: ReadLine[] = [];
  for (const [i, l] of items.entries()) if (l !== null) out.push(readLine(l, `line_items[${i}]`, ctx, fail));
  return out;
}

/**
 * A line of the retailer's discount product is a sale-level discount; a card number or the Gift
 * Card product sells a card; anything else is a product.
 */
function lineKind(l: PosSaleLine, ctx: SaleContext): SaleLine["kind"] {
  const productId = l.product?.id ?? null;
  if (productId !== null && productId === ctx.discountProductId) return "sale_discount";
  if (l.gift_card_number !== null || (productId !== null && ctx.giftCardProductIds.has(productId))) return "gift_card";
  return "product";
}

function readLine(l: PosSaleLine, at: string, ctx: SaleContext, fail: Fail): ReadLine {
  const kind = lineKind(l, ctx);
  const product = l.product === null ? undefined : ctx.product(l.product.id);
  if (!product && kind === "product") throw fail(`${at}.product_id`, `unknown product ${l.product?.id}`);
  const { price, discount, total } = l.pricing;
  if (!near(total, mulDec(price, l.quantity), slack(1))) {
    throw fail(
      `${at}.price_total`,
      `${formatDec(total)} is not price ${formatDec(price)} × quantity ${formatDec(l.quantity)}`,
    );
  }
  const unitList = addDec(price, discount);
  return {
    id: l.id,
    kind,
    productId: l.product?.id ?? null,
    productName: product?.name ?? (kind === "sale_discount" ? "Discount" : "Gift Card"),
    sku: product?.sku ?? null,
    categoryId: kind === "product" ? (product?.categoryId ?? null) : null,
    quantity: l.quantity,
    unitList,
    unitDiscount: discount,
    list: mulDec(unitList, l.quantity),
    net: total,
    taxId: l.tax.id,
    taxes: lineTaxes(l, at, ctx, fail),
    isReturn: l.return.is_return,
    giftCardNumber: l.gift_card_number,
    costTotal: l.pricing.cost_total,
  };
}

/**
 * The line's exact tax per rate: its tax components, which must add up to its tax total; a line of
 * a single-rate tax needs no breakdown, a line of a tax group does.
 */
function lineTaxes(l: PosSaleLine, at: string, ctx: SaleContext, fail: Fail): Map<string, Dec> {
  const taxes = new Map<string, Dec>();
  const components = l._metadata.tax_components;
  const total = l.tax.total;
  for (const c of components) taxes.set(c.rate_id, addDec(taxes.get(c.rate_id) ?? ZERO, c.total_tax));
  if (components.length && total !== null && !near(sumDec(taxes.values()), total, slack(components.length))) {
    throw fail(
      `${at}.tax_components`,
      `they sum to ${formatDec(sumDec(taxes.values()))}, not the line's tax ${formatDec(total)}`,
    );
  }
  if (!components.length && total !== null && !isZeroDec(total)) {
    const rates = l.tax.id === null ? undefined : ctx.tax(l.tax.id)?.rates;
    if (rates?.length !== 1) throw fail(`${at}.tax_components`, "missing: the line has tax but no amount per tax rate");
    taxes.set(rates[0]!.id, total);
  }
  return taxes;
}

/** An exact amount, when it is not the cents shown for it: the ledger adds these up per closure. */
export function exactTextOf(exact: Dec, minor: Minor): string | undefined {
  return exact.s <= 2 && cents(exact) === minor ? undefined : formatDec(exact);
}

/**
 * The lines and charges in cents: each one's net and per-rate tax split from the sale's own totals
 * in proportion to the exact amounts, so they sum to them exactly. The list price is the line's own
 * undiscounted total rounded to the cent (as the POS shows it); a line without a discount lists at
 * its net, so a cent moved by the split never shows up as a phantom discount. The exact amounts
 * ride along where they are not whole cents.
 */
export function toSaleParts(
  lines: readonly ReadLine[],
  charges: readonly ReadCharge[],
  exTaxMinor: Minor,
  rates: SaleRates,
  taxInclusive: boolean,
): { lines: SaleLine[]; charges: SaleCharge[] } {
  const exactText: ExactText = taxInclusive ? exactTextOf : () => undefined;
  const parts: Part[] = [
    ...lines.map((l) => ({ amount: l.net, taxes: l.taxes })),
    ...charges.map((c) => ({ amount: c.amount, taxes: c.taxes })),
  ];
  const netMinor = parts.length
    ? allocateExact(
        exTaxMinor,
        parts.map((p) => p.amount),
      )
    : [];
  const partTax = splitTaxes(parts, rates, exactText);
  const outLines = lines.map((l, i) => saleLineOf(l, netMinor[i]!, partTax[i]!, exactText));
  const outCharges = charges.map((c, j): SaleCharge => {
    const i = lines.length + j;
    const amountExact = exactText(c.amount, netMinor[i]!);
    return {
      type: c.type,
      name: c.name,
      taxId: c.taxId,
      amountMinor: netMinor[i]!,
      ...(amountExact === undefined ? {} : { amountExact }),
      taxes: partTax[i]!,
    };
  });
  return { lines: outLines, charges: outCharges };
}

type ExactText = (exact: Dec, minor: Minor) => string | undefined;
type Part = { amount: Dec; taxes: Map<string, Dec> };

/** Each rate's tax in cents split over the parts that carry it, in proportion to their exact tax. */
function splitTaxes(parts: readonly Part[], rates: SaleRates, exactText: ExactText): TaxAmount[][] {
  const partTax = parts.map(() => [] as TaxAmount[]);
  for (const [rate, rateMinor] of rates.minor) {
    const exact = parts.map((p) => p.taxes.get(rate) ?? ZERO);
    allocateExact(rateMinor, exact).forEach((taxMinor, i) => {
      if (!parts[i]!.taxes.has(rate)) return;
      const e = exactText(exact[i]!, taxMinor);
      partTax[i]!.push(e === undefined ? { rateId: rate, taxMinor } : { rateId: rate, taxMinor, exact: e });
    });
  }
  return partTax;
}

/** A line in cents: its net from the split, its list price as the POS shows it (its net when undiscounted). */
function saleLineOf(l: ReadLine, net: Minor, taxes: TaxAmount[], exactText: ExactText): SaleLine {
  const list = l.kind === "sale_discount" ? 0 : isZeroDec(l.unitDiscount) ? net : cents(l.list);
  const listExact = l.kind === "sale_discount" ? undefined : exactText(l.list, list);
  const netExact = exactText(l.net, net);
  return {
    id: l.id,
    kind: l.kind,
    productId: l.productId,
    productName: l.productName,
    sku: l.sku,
    categoryId: l.categoryId,
    quantity: formatDec(l.quantity),
    unitListPrice: formatDec(l.unitList),
    listMinor: list,
    discountMinor: list - net,
    netMinor: net,
    taxId: l.taxId,
    taxes,
    isReturn: l.isReturn,
    giftCardNumber: l.giftCardNumber,
    ...(l.costTotal === null ? {} : { costTotal: formatDec(l.costTotal) }),
    ...(listExact === undefined ? {} : { listExact }),
    ...(netExact === undefined ? {} : { netExact }),
  };
}
