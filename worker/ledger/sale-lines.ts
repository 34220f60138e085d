import type { Sale } from "../../shared/domain/pos";
import { parseDec } from "../../shared/money";
import type { Blockers } from "./blockers";
import { exactQtyPrice, type FormLine, type FormTax } from "./form";
import { liability } from "./liabilities";
import type { RefChecker } from "./refs";
import { saleRef } from "./sale-check";
import type { TaxResolver } from "./tax";

/**
 * An on-account or layby sale's invoice lines (DESIGN §1.3): one per sale line through its category's
 * item at the undiscounted price, gift cards through the liability service, discounts per POS tax,
 * and the sale's cash rounding.
 */
export function saleFormLines(
  sale: Sale,
  refs: RefChecker,
  taxes: TaxResolver,
  blockers: Blockers,
): { lines: FormLine[]; taxes: FormTax[] } {
  const { mappings } = refs.ctx;
  const ref = saleRef(sale);
  const categories = new Map(refs.ctx.categories.map((c) => [c.id, c]));
  const lines: FormLine[] = [];
  const discounts = new Map<string, { taxId: string | null; minor: number }>();
  const addDiscount = (taxId: string | null, minor: number) => {
    const cur = discounts.get(taxId ?? "") ?? { taxId, minor: 0 };
    cur.minor += minor;
    discounts.set(taxId ?? "", cur);
  };
  const formTaxes = new Map<string, FormTax>();

  for (const l of sale.lines) {
    const tax = l.taxId === null ? null : taxes.resolve(l.taxId, ref);
    if (tax) {
      for (const t of l.taxes) {
        const k = `${l.taxId}\u0000${t.rateId}`;
        const cur = formTaxes.get(k) ?? { tax, posRateId: t.rateId, amountMinor: 0 };
        cur.amountMinor += t.taxMinor;
        formTaxes.set(k, cur);
      }
    }
    if (l.kind === "sale_discount") {
      addDiscount(l.taxId, l.discountMinor);
      continue;
    }
    if (l.kind === "gift_card") {
      if (l.taxes.some((t) => t.taxMinor !== 0))
        blockers.add("unsupported_event", `${ref}: gift card ${l.giftCardNumber ?? l.productName} was sold with tax`);
      addDiscount(null, l.discountMinor);
      const item = liability(refs, blockers, "giftCard").itemNeeded();
      const label = `Gift card ${l.giftCardNumber ?? ""}`.trim();
      if (item) lines.push({ kind: "gift_card", item, amountMinor: l.listMinor, description: label, label, tax: null });
      continue;
    }
    addDiscount(l.taxId, l.discountMinor);
    if (l.categoryId === null) continue; // reported by checkSale
    const cat = categories.get(l.categoryId);
    const catName = cat?.path || cat?.name || l.categoryId;
    const item = refs.salesItem(
      mappings.categories[l.categoryId],
      `category '${catName}'`,
      `categories.${l.categoryId}`,
    );
    if (!item || tax === undefined) continue;
    const qty = parseDec(l.quantity);
    const unitPrice = parseDec(l.unitListPrice);
    const exact = exactQtyPrice(qty, unitPrice, l.listMinor);
    const description = l.sku ? `${l.productName} (${l.sku})` : l.productName;
    lines.push({
      kind: "sales",
      item,
      amountMinor: l.listMinor,
      ...(exact ? { qty, unitPrice } : {}),
      description,
      label: description,
      tax,
    });
  }

  const used = [...discounts.values()].filter((d) => d.minor !== 0);
  if (used.length > 0) {
    const item = refs.salesItem(mappings.items.discount, "the discount item", "items.discount");
    for (const d of used) {
      const tax = d.taxId === null ? null : taxes.resolve(d.taxId, ref);
      const label = `Discounts given (${taxes.nameOf(d.taxId)})`;
      if (item && tax !== undefined)
        lines.push({ kind: "discount", item, amountMinor: -d.minor, description: label, label, tax });
    }
  }
  if (sale.roundingMinor !== 0) {
    const item = refs.salesItem(mappings.items.rounding, "the rounding item", "items.rounding");
    if (item)
      lines.push({
        kind: "rounding",
        item,
        amountMinor: sale.roundingMinor,
        description: "Cash rounding",
        label: "Rounding",
        tax: null,
      });
  }
  return { lines, taxes: [...formTaxes.values()].filter((t) => t.amountMinor !== 0) };
}
