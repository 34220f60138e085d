import type { Sale } from "../../../shared/domain/pos";
import { type Dec, mulDec } from "../../../shared/money";
import { ZERO } from "../mappers/exact";
import { saleState } from "../mappers/sale-state";
import type { SaleFields, SaleLineFields, SalePaymentFields } from "../schemas";
import { missing, Unreadable } from "./boundary";

/**
 * A sale of either POS API generation (2.0's flat fields, 2026-07's nested ones) in one shape: the
 * 2026-07 names, every field the mappers need present or refused here. Refusals name the field as
 * Tillbridge has always reported it (`total_price`, `line_items[2].price`…), whichever spelling was
 * sent. Plain code over the type-checked payload: a closure's thousands of lines get no extra zod.
 */
export interface PosSale {
  id: string;
  _metadata: { version: string; complete_open_sequence_id: string | null };
  source: { outlet_id: string; register_id: string | null };
  date: string;
  state: Sale["state"];
  /** lower case: onaccount, layby, delivery, pickup, service (2.0's status says them too) */
  attributes: string[];
  customer_id: string | null;
  invoice_number: string | null;
  note: string | null;
  deleted_at: string | null;
  /** When the sale last changed (a voided sale: when it was voided) */
  updated_at: string | null;
  return: { original_sale_id: string | null };
  totals: { price: Dec; tax: Dec; price_incl_tax: Dec | null };
  /** The POS's own tax per rate (or per tax group) */
  taxes: { id: string; tax: Dec }[];
  /** Per type (compounded by the POS), ex tax, with their tax per rate */
  adjustments: PosAdjustment[];
  /** The ECOM_CUSTOM_CHARGE adjustment itemised, each with its own tax */
  ecom_custom_charges: { name: string; total: Dec; tax_components: PosTaxComponent[] }[];
  /** In payload order; null where the POS voided the line, so errors still name the payload's index */
  line_items: (PosSaleLine | null)[];
  /** In payload order; null where the POS deleted the payment */
  payments: (PosSalePayment | null)[];
}

export interface PosTaxComponent {
  rate_id: string;
  total_tax: Dec;
}

export interface PosAdjustment {
  adjustment_type: string | null;
  name: string;
  total: Dec;
  tax_components: PosTaxComponent[];
}

export interface PosSaleLine {
  id: string;
  /** null only on a gift-card line sold by its number */
  product: { id: string } | null;
  gift_card_number: string | null;
  quantity: Dec;
  /** unit price ex tax after the unit discount; the unit discount; the line's total ex tax */
  pricing: { price: Dec; discount: Dec; total: Dec; cost_total: Dec | null };
  /** the tax (group) and the line's tax total */
  tax: { id: string | null; total: Dec | null };
  _metadata: { tax_components: PosTaxComponent[] };
  return: { is_return: boolean };
  /** The line's share of the card surcharge, ex tax, with its tax */
  surcharges: { value: Dec; tax_components: PosTaxComponent[] }[];
}

export interface PosSalePayment {
  id: string;
  amount: Dec;
  date: string;
  /** config_id: the store's payment type (2.0's retailer_payment_type_id) */
  type: { config_id: string };
  source: { register_id: string | null };
  _metadata: { register_open_sequence_id: string | null };
}

/**
 * Refusals come in the order Tillbridge has always checked them: version, outlet, date, state,
 * lines, totals, taxes, payments.
 */
export function normalizeSale(s: SaleFields): PosSale {
  const _metadata = saleMetadata(s);
  const source = saleSource(s);
  const date = s.date ?? s.sale_date ?? missing("sale_date");
  const { state, attributes } = saleStateOf(s);
  return {
    id: s.id,
    _metadata,
    source,
    date,
    state,
    attributes,
    customer_id: s.customer_id ?? null,
    invoice_number: s.invoice_number ?? null,
    note: s.note || null,
    deleted_at: s.deleted_at || null,
    updated_at: s.updated_at ?? null,
    return: { original_sale_id: s.return?.original_sale_id ?? s.return_for ?? null },
    line_items: s.line_items ? s.line_items.map(saleLine) : [],
    totals: saleTotals(s),
    taxes: saleTaxes(s.taxes ?? []),
    adjustments: saleAdjustments(s.adjustments ?? []),
    ecom_custom_charges: (s.ecom_custom_charges ?? []).map((c) => ({
      name: c.name ?? "",
      total: c.total ?? ZERO,
      tax_components: c.tax_components ?? [],
    })),
    payments: s.payments ? s.payments.map(salePayment) : [],
  };
}

function saleMetadata(s: SaleFields): PosSale["_metadata"] {
  return {
    version: s._metadata?.version ?? s.version ?? missing("version"),
    complete_open_sequence_id: s._metadata?.complete_open_sequence_id ?? null,
  };
}

function saleSource(s: SaleFields): PosSale["source"] {
  return {
    outlet_id: s.outlet_id ?? s.source?.outlet_id ?? missing("outlet_id"),
    register_id: s.register_id ?? s.source?.register_id ?? null,
  };
}

function saleStateOf(s: SaleFields): Pick<PosSale, "state" | "attributes"> {
  const read = saleState(s.state, s.attributes, s.status);
  if ("error" in read) throw new Unreadable([read.error.field], read.error.what);
  return read;
}

function saleTotals(s: SaleFields): PosSale["totals"] {
  return {
    price: s.totals?.price ?? s.total_price ?? missing("total_price"),
    tax: s.totals?.tax ?? s.total_tax ?? missing("total_tax"),
    price_incl_tax: s.totals?.price_incl_tax ?? null,
  };
}

/** 2026-07 says `tax`, 2.0 `amount`. */
function saleTaxes(taxes: NonNullable<SaleFields["taxes"]>): PosSale["taxes"] {
  return taxes.map((t, i) => ({ id: t.id, tax: t.amount ?? t.tax ?? missing("taxes", i, "amount") }));
}

/** 2026-07 says `adjustment_type` and `total`; 2.0 `type` and `amount` (or `value`). */
function saleAdjustments(adjustments: NonNullable<SaleFields["adjustments"]>): PosSale["adjustments"] {
  return adjustments.map((a) => ({
    adjustment_type: a.adjustment_type ?? a.type ?? null,
    name: a.name ?? "",
    total: a.total ?? a.value ?? a.amount ?? ZERO,
    tax_components: a.tax_components ?? [],
  }));
}

function saleLine(l: SaleLineFields, i: number): PosSaleLine | null {
  if (l.status?.toUpperCase() === "VOIDED") return null;
  const productId = l.product_id ?? l.product?.id ?? null;
  const giftCardNumber = l.gift_card_number?.trim() || null;
  if (productId === null && giftCardNumber === null) missing("line_items", i, "product_id");
  return {
    id: l.id,
    product: productId === null ? null : { id: productId },
    gift_card_number: giftCardNumber,
    quantity: l.quantity,
    pricing: linePricing(l, i),
    tax: lineTax(l),
    _metadata: { tax_components: l._metadata?.tax_components ?? l.tax_components ?? [] },
    return: { is_return: l.is_return ?? l.return?.is_return ?? l.quantity.m < 0n },
    surcharges: (l.surcharges ?? []).map((x) => ({ value: x.value ?? ZERO, tax_components: x.tax_components ?? [] })),
  };
}

function linePricing(l: SaleLineFields, i: number): PosSaleLine["pricing"] {
  const price = l.pricing?.price ?? l.price ?? l.unit_price ?? missing("line_items", i, "price");
  return {
    price,
    discount: l.pricing?.discount ?? l.discount ?? l.unit_discount ?? ZERO,
    total: l.pricing?.total ?? l.price_total ?? l.total_price ?? mulDec(price, l.quantity),
    cost_total: l.pricing?.cost_total ?? l.cost_total ?? l.total_cost ?? null,
  };
}

/** 2026-07's `tax` is an object; 2.0's is the deprecated unit tax (a number), with the id and total beside it. */
function lineTax(l: SaleLineFields): PosSaleLine["tax"] {
  const taxObject = l.tax != null && typeof l.tax === "object" && !("m" in l.tax) ? l.tax : null;
  return { id: l.tax_id ?? taxObject?.id ?? null, total: taxObject?.total ?? l.tax_total ?? l.total_tax ?? null };
}

function salePayment(p: SalePaymentFields, i: number): PosSalePayment | null {
  if (p.deleted_at) return null;
  return {
    id: p.id,
    amount: p.amount,
    type: {
      config_id: p.retailer_payment_type_id ?? p.type?.config_id ?? missing("payments", i, "retailer_payment_type_id"),
    },
    date: p.date ?? p.payment_date ?? missing("payments", i, "payment_date"),
    source: { register_id: p.register_id ?? p.source?.register_id ?? null },
    _metadata: {
      register_open_sequence_id: p._metadata?.register_open_sequence_id ?? p.register_open_sequence_id ?? null,
    },
  };
}
