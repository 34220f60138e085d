import type { Sale, SaleLine } from "../../shared/domain/pos";
import { parseDec, toMinor } from "../../shared/money";
import type { Blockers } from "./blockers";
import { exactQtyPrice, type FormLine, type FormTax } from "./form";
import { liability } from "./liabilities";
import type { RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import type { ResolvedTax, TaxResolver } from "./tax";

interface Scope {
  sale: Sale;
  ref: string;
  refs: RefChecker;
  taxes: TaxResolver;
  blockers: Blockers;
}

/**
 * An on-account or layby sale's invoice lines (DESIGN §1.3): one per sale line through its category's
 * item at the undiscounted price, gift cards through the liability service, discounts per POS tax,
 * and the sale's cash rounding; and its POS tax per (POS tax, rate).
 */
export function saleFormLines(
  sale: Sale,
  refs: RefChecker,
  taxes: TaxResolver,
  blockers: Blockers,
): { lines: FormLine[]; taxes: FormTax[] } {
  const scope: Scope = { sale, ref: saleRef(sale), refs, taxes, blockers };
  if (sale.charges?.length || sale.tipsMinor)
    blockers.add("unsupported_event", `${scope.ref}: an on-account or layby sale with surcharges, fees or tips`);
  const lines: FormLine[] = [];
  for (const l of sale.lines) {
    // each line's POS tax first, so the blockers come in the order of the sale's lines
    const tax = l.taxId === null ? null : taxes.resolve(l.taxId, scope.ref);
    const line =
      l.kind === "gift_card" ? giftCardLine(scope, l) : l.kind === "product" ? productLine(scope, l, tax) : undefined;
    if (line) lines.push(line);
  }
  return { lines: [...lines, ...discountLines(scope), ...roundingLines(scope)], taxes: saleTaxes(scope) };
}

/** A product at its undiscounted price through its category's item; Qty × UnitPrice when exact. */
function productLine({ refs }: Scope, l: SaleLine, tax: ResolvedTax | null | undefined): FormLine | undefined {
  if (l.categoryId === null) return undefined; // reported by checkSale
  const item = refs.categoryItem(l.categoryId);
  if (!item || tax === undefined) return undefined;
  const qty = parseDec(l.quantity);
  const unitPrice = parseDec(l.unitListPrice);
  const exact = exactQtyPrice(qty, unitPrice, listOf(l));
  const description = l.sku ? `${l.productName} (${l.sku})` : l.productName;
  return {
    kind: "sales",
    item,
    amountMinor: listOf(l),
    ...(exact ? { qty, unitPrice } : {}),
    description,
    label: description,
    tax,
  };
}

/** A gift card sold or reloaded: the liability up, through the gift-card liability service. */
function giftCardLine({ ref, refs, blockers }: Scope, l: SaleLine): FormLine | undefined {
  if (l.taxes.some((t) => t.taxMinor !== 0))
    blockers.add("unsupported_event", `${ref}: gift card ${l.giftCardNumber ?? l.productName} was sold with tax`);
  const item = liability(refs, blockers, "giftCard").itemNeeded();
  const label = `Gift card ${l.giftCardNumber ?? ""}`.trim();
  if (!item) return undefined;
  return { kind: "gift_card", item, amountMinor: listOf(l), description: label, label, tax: null };
}

/** Discounts given, one line per POS tax (gift-card discounts under no tax), through the discount item. */
function discountLines({ sale, ref, refs, taxes }: Scope): FormLine[] {
  const discounts = new Map<string, { taxId: string | null; minor: number }>();
  for (const l of sale.lines) {
    const taxId = l.kind === "gift_card" ? null : l.taxId;
    const cur = discounts.get(taxId ?? "") ?? { taxId, minor: 0 };
    cur.minor += listOf(l) - netOf(l);
    discounts.set(taxId ?? "", cur);
  }
  const used = [...discounts.values()].filter((d) => d.minor !== 0);
  if (used.length === 0) return [];
  const item = refs.salesItem(refs.ctx.mappings.items.discount, "the discount item", "items.discount");
  const lines: FormLine[] = [];
  for (const d of used) {
    const tax = d.taxId === null ? null : taxes.resolve(d.taxId, ref);
    const label = `Discounts given (${taxes.nameOf(d.taxId)})`;
    if (item && tax !== undefined)
      lines.push({ kind: "discount", item, amountMinor: -d.minor, description: label, label, tax });
  }
  return lines;
}

/**
 * A line's list and net amounts: in a tax-inclusive outlet the POS's recorded amounts each rounded to
 * the cent once (SPEC §4.1), else its cents.
 */
const onceRounded = (exact: string | undefined, minor: number) =>
  exact === undefined ? minor : toMinor(parseDec(exact), "half-up");
const listOf = (l: SaleLine) => onceRounded(l.listExact, l.listMinor);
const netOf = (l: SaleLine) => onceRounded(l.netExact, l.netMinor);

/**
 * The sale's cash rounding and, in a tax-inclusive outlet, the residue between its total and its
 * lines each rounded once (shown, never silent), through the rounding item.
 */
function roundingLines({ sale, refs }: Scope): FormLine[] {
  let nets = 0;
  for (const l of sale.lines) nets += netOf(l);
  const residue = sale.totalExTaxMinor - nets;
  const amountMinor = sale.roundingMinor + residue;
  if (amountMinor === 0) return [];
  const item = refs.salesItem(refs.ctx.mappings.items.rounding, "the rounding item", "items.rounding");
  if (!item) return [];
  return [
    {
      kind: "rounding",
      item,
      amountMinor,
      description: residue === 0 ? "Cash rounding" : "Rounding (cash, and the tax-inclusive lines' residue)",
      label: "Rounding",
      tax: null,
    },
  ];
}

/** The POS tax of the lines whose POS tax is mapped, per (POS tax, rate). */
function saleTaxes({ sale, ref, taxes }: Scope): FormTax[] {
  const byRate = new Map<string, FormTax>();
  for (const l of sale.lines) {
    const tax = l.taxId === null ? null : taxes.resolve(l.taxId, ref);
    if (!tax) continue;
    for (const t of l.taxes) {
      const k = `${l.taxId}\u0000${t.rateId}`;
      const cur = byRate.get(k) ?? { tax, posRateId: t.rateId, amountMinor: 0 };
      cur.amountMinor += t.taxMinor;
      byRate.set(k, cur);
    }
  }
  return [...byRate.values()].filter((t) => t.amountMinor !== 0);
}
