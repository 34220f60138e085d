import { z } from "zod";
import { canonical } from "./normalize/boundary";
import { normalizeCustomer, normalizeProduct, normalizeTax } from "./normalize/reference";
import { normalizeSale } from "./normalize/sale";
import { PosDecimal, PosId, PosInstant, PosName } from "./read";

/**
 * zod schemas of the Retail POS payloads Tillbridge reads (API 2026-07, and the 2.0 field names a
 * store or simulator may still send: see reference/pos-api-notes.md). Strict in type — money is a
 * number or a decimal string, never anything else — and liberal in spelling: where the generations
 * differ, both spellings are accepted and the schema's transform (worker/pos/normalize/) puts them
 * in one shape with the 2026-07 names, deciding there what is missing. Mappers read only that
 * shape. Unknown keys are dropped. Pure (no Workers APIs).
 */

const opt = <T extends z.ZodType>(t: T) => t.nullish();
const Text = z.string();
const Flag = z.boolean();
/** Versions are int64: numbers from most payloads, strings from some; kept as text. */
export const PosVersion = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "not a version number")])
  .transform(String);

// ---- envelopes ------------------------------------------------------------------------------------

/** A version-cursor page: objects are parsed one by one so one bad object fails alone. */
export const VersionedPage = z.object({
  data: z
    .array(z.unknown())
    .nullish()
    .transform((d) => d ?? []),
  version: opt(z.object({ min: opt(z.union([z.number(), z.string()])), max: opt(z.union([z.number(), z.string()])) })),
});
export type VersionedPage = z.infer<typeof VersionedPage>;

/** GET /product_categories: its own `after` cursor and page_info. */
export const CategoriesPage = z.object({
  data: z.union([z.object({ categories: z.array(z.unknown()).nullish() }), z.array(z.unknown())]).nullish(),
  page_info: opt(z.object({ has_next: opt(Flag), last_seen: opt(Text) })),
});

/** GET /gift_cards: newest first, paged with `before=<id>`. */
export const GiftCardsPage = z.object({
  data: z
    .array(z.unknown())
    .nullish()
    .transform((d) => d ?? []),
});

/** A single object wrapped in `data`. */
export const DataEnvelope = z.object({ data: z.unknown() });

// ---- OAuth ----------------------------------------------------------------------------------------

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: opt(Text),
  refresh_token: opt(z.string().min(1)),
  /** absolute epoch seconds */
  expires: opt(z.number()),
  /** seconds from now */
  expires_in: opt(z.number()),
  domain_prefix: opt(Text),
  scope: opt(Text),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

// ---- store set-up ---------------------------------------------------------------------------------

export const RawRetailer = z.object({
  id: opt(PosId),
  name: PosName,
  domain_prefix: opt(Text),
  timezone: opt(Text),
  country: opt(Text),
  currency: opt(z.union([z.object({ code: opt(Text), symbol: opt(Text) }), Text])),
  tax_exclusive: opt(Flag),
  discount_product_id: opt(PosId),
  store_credit: opt(Flag),
  gift_cards: opt(z.object({ enabled: opt(Flag) })),
});
export type RawRetailer = z.infer<typeof RawRetailer>;

export const RawOutlet = z.object({
  id: PosId,
  name: PosName,
  time_zone: opt(Text),
  currency: opt(Text),
  deleted_at: opt(Text),
  version: opt(PosVersion),
});
export type RawOutlet = z.infer<typeof RawOutlet>;

export const RawRegister = z.object({
  id: PosId,
  name: PosName,
  outlet_id: PosId,
  is_open: opt(Flag),
  register_open_time: opt(PosInstant),
  register_close_time: opt(PosInstant),
  register_open_sequence_id: opt(PosId),
  deleted_at: opt(Text),
  version: opt(PosVersion),
});
export type RawRegister = z.infer<typeof RawRegister>;

/** GET /registers/{id}/payments_summary: the open sequence's expected totals. */
export const RawPaymentsSummary = z.object({
  register_closure_id: opt(PosId),
  register_closure_sequence_number: opt(z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])),
  register_open_time: opt(PosInstant),
  payments: z.array(z.object({ payment_type_id: PosId, payment_type_name: opt(PosName), total: PosDecimal })),
});
export type RawPaymentsSummary = z.infer<typeof RawPaymentsSummary>;

export const RawPaymentType = z.object({
  id: PosId,
  name: PosName,
  type_id: opt(z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])),
  deleted_at: opt(Text),
  disabled: opt(Flag),
  internal: opt(Flag),
  version: opt(PosVersion),
});
export type RawPaymentType = z.infer<typeof RawPaymentType>;

export const RawCategory = z.object({
  id: PosId,
  name: PosName,
  parent_category_id: opt(PosId),
  root_category_id: opt(PosId),
  leaf_category: opt(Flag),
  category_path: opt(z.array(z.object({ id: PosId, name: PosName }))),
  deleted_at: opt(Text),
});
export type RawCategory = z.infer<typeof RawCategory>;

const ProductFields = z.object({
  id: PosId,
  name: PosName,
  handle: opt(Text),
  sku: opt(z.union([Text, z.number()]).transform(String)),
  variant_name: opt(PosName),
  /** 2026-07: the product's category */
  product_category: opt(z.object({ id: opt(PosId) })),
  /** 2.0: the product type (= category) */
  product_type_id: opt(PosId),
  type: opt(z.object({ id: opt(PosId) })),
  deleted_at: opt(Text),
  active: opt(Flag),
  version: opt(PosVersion),
});
export type ProductFields = z.output<typeof ProductFields>;
/** A product with its category read from either generation (normalize/reference.ts). */
export const RawProduct = ProductFields.transform(canonical(normalizeProduct));
export type RawProduct = z.output<typeof RawProduct>;

const TaxFields = z.object({
  id: PosId,
  name: PosName,
  display_name: opt(PosName),
  rates: opt(z.array(z.object({ id: PosId, name: PosName, display_name: opt(PosName), rate: PosDecimal }))),
  /** 2.0 single-rate taxes carry the rate on the tax itself */
  rate: opt(PosDecimal),
  deleted_at: opt(Text),
  version: opt(PosVersion),
});
export type TaxFields = z.output<typeof TaxFields>;
/** A tax with its rates, a 2.0 single-rate tax being its own rate (normalize/reference.ts). */
export const RawTax = TaxFields.transform(canonical(normalizeTax));
export type RawTax = z.output<typeof RawTax>;

const CustomerFields = z.object({
  id: PosId,
  first_name: opt(PosName),
  last_name: opt(PosName),
  company_name: opt(PosName),
  name: opt(PosName),
  email: opt(Text),
  customer_code: opt(Text),
  deleted_at: opt(Text),
  version: opt(PosVersion),
});
export type CustomerFields = z.output<typeof CustomerFields>;
/** A customer with first and last names, split from the deprecated `name` when that is all there is. */
export const RawCustomer = CustomerFields.transform(canonical(normalizeCustomer));
export type RawCustomer = z.output<typeof RawCustomer>;

export const RawSupplier = z.object({
  id: PosId,
  name: PosName,
  description: opt(Text),
  contact: opt(
    z.object({ company_name: opt(PosName), first_name: opt(PosName), last_name: opt(PosName), email: opt(Text) }),
  ),
  deleted_at: opt(Text),
  version: opt(PosVersion),
});
export type RawSupplier = z.infer<typeof RawSupplier>;

// ---- sales ----------------------------------------------------------------------------------------

const TaxComponent = z.object({ rate_id: PosId, total_tax: PosDecimal });

/** A sale line as either generation spells it (see RawSale for the one shape it is read into). */
const SaleLineFields = z.object({
  id: PosId,
  product_id: opt(PosId),
  product: opt(z.object({ id: opt(PosId) })),
  quantity: PosDecimal,
  /** 2.0: unit price ex tax (after the line discount), unit discount, line totals */
  price: opt(PosDecimal),
  unit_price: opt(PosDecimal),
  discount: opt(PosDecimal),
  unit_discount: opt(PosDecimal),
  price_total: opt(PosDecimal),
  total_price: opt(PosDecimal),
  tax_total: opt(PosDecimal),
  total_tax: opt(PosDecimal),
  tax_id: opt(PosId),
  tax_components: opt(z.array(TaxComponent)),
  is_return: opt(Flag),
  /** 2.0: the line's cost (pos-api-notes §8) */
  cost_total: opt(PosDecimal),
  total_cost: opt(PosDecimal),
  /** 2026-07 */
  pricing: opt(
    z.object({
      price: opt(PosDecimal),
      discount: opt(PosDecimal),
      total: opt(PosDecimal),
      discount_total: opt(PosDecimal),
      /** the POS's cost of the line: unit average cost when sold, and × quantity */
      cost: opt(PosDecimal),
      cost_total: opt(PosDecimal),
    }),
  ),
  /** 2026-07: an object; 2.0: the (deprecated) unit tax as a number */
  tax: opt(
    z.union([z.object({ id: opt(PosId), amount: opt(PosDecimal), total: opt(PosDecimal) }), PosDecimal], {
      error: "expected a tax object or a number",
    }),
  ),
  _metadata: opt(z.object({ tax_components: opt(z.array(TaxComponent)), sequence: opt(z.number()) })),
  return: opt(z.object({ is_return: opt(Flag) })),
  gift_card_number: opt(z.union([Text, z.number()]).transform(String)),
  status: opt(Text),
  note: opt(Text),
  /** 2026-07: the line's share of the sale's card surcharge, ex tax (the SURCHARGE adjustment, spread) */
  surcharges: opt(z.array(z.object({ value: opt(PosDecimal), tax_components: opt(z.array(TaxComponent)) }))),
});
export type SaleLineFields = z.output<typeof SaleLineFields>;

const SalePaymentFields = z.object({
  id: PosId,
  amount: PosDecimal,
  /** 2.0: the retailer's payment type; `payment_type_id` is the legacy global type, not used */
  retailer_payment_type_id: opt(PosId),
  payment_type_id: opt(PosId),
  name: opt(PosName),
  payment_date: opt(PosInstant),
  register_id: opt(PosId),
  outlet_id: opt(PosId),
  register_open_sequence_id: opt(PosId),
  /** 2026-07 */
  type: opt(z.object({ config_id: opt(PosId), id: opt(PosId), name: opt(PosName) })),
  date: opt(PosInstant),
  source: opt(z.object({ register_id: opt(PosId), outlet_id: opt(PosId) })),
  _metadata: opt(z.object({ register_open_sequence_id: opt(PosId) })),
  deleted_at: opt(Text),
});
export type SalePaymentFields = z.output<typeof SalePaymentFields>;

const SaleFields = z.object({
  id: PosId,
  version: opt(PosVersion),
  outlet_id: opt(PosId),
  register_id: opt(PosId),
  customer_id: opt(PosId),
  invoice_number: opt(z.union([Text, z.number()]).transform(String)),
  sale_date: opt(PosInstant),
  /** legacy status (ONACCOUNT, LAYBY_CLOSED…), deprecated in favour of state + attributes */
  status: opt(Text),
  state: opt(Text),
  attributes: opt(z.array(Text)),
  return_for: opt(PosId),
  total_price: opt(PosDecimal),
  total_tax: opt(PosDecimal),
  taxes: opt(
    z.array(
      z.object({ id: PosId, amount: opt(PosDecimal), tax: opt(PosDecimal), name: opt(PosName), rate: opt(PosDecimal) }),
    ),
  ),
  line_items: opt(z.array(SaleLineFields)),
  payments: opt(z.array(SalePaymentFields)),
  adjustments: opt(
    z.array(
      z.object({
        adjustment_type: opt(Text),
        type: opt(Text),
        name: opt(Text),
        total: opt(PosDecimal),
        value: opt(PosDecimal),
        amount: opt(PosDecimal),
        tax_components: opt(z.array(TaxComponent)),
      }),
    ),
  ),
  /** 2026-07: each e-commerce custom charge, itemised (the ECOM_CUSTOM_CHARGE adjustment's money) */
  ecom_custom_charges: opt(
    z.array(z.object({ name: opt(Text), total: opt(PosDecimal), tax_components: opt(z.array(TaxComponent)) })),
  ),
  note: opt(Text),
  deleted_at: opt(Text),
  updated_at: opt(PosInstant),
  /** 2026-07 */
  date: opt(PosInstant),
  source: opt(z.object({ outlet_id: opt(PosId), register_id: opt(PosId) })),
  return: opt(z.object({ original_sale_id: opt(PosId), is_return: opt(Flag) })),
  totals: opt(z.object({ price: opt(PosDecimal), tax: opt(PosDecimal), price_incl_tax: opt(PosDecimal) })),
  _metadata: opt(z.object({ version: opt(PosVersion), complete_open_sequence_id: opt(PosId) })),
});
export type SaleFields = z.output<typeof SaleFields>;

/** A sale of either generation, read into the one 2026-07 shape the mappers read (normalize/sale.ts). */
export const RawSale = SaleFields.transform(canonical(normalizeSale));
export type RawSale = z.output<typeof RawSale>;

// ---- register closures (webhook) ------------------------------------------------------------------

/**
 * THE closure-webhook assumption (reference/pos-api-notes.md, "Working conventions"): the payload of
 * `register_closure.create` is {id, register_id, outlet_id, sequence_number, register_open_time,
 * register_close_time, payments: [{retailer_payment_type_id, name, expected, counted}]}, money as
 * decimal strings; `register_closure_id` / `register_closure_sequence_number` are synonyms. The
 * payments_summary spellings (`payment_type_id`, `payment_type_name`) are accepted too. Correct it
 * here, in one place, when a live store says otherwise.
 */
export const RawClosureWebhook = z.object({
  id: opt(PosId),
  register_closure_id: opt(PosId),
  register_id: PosId,
  outlet_id: opt(PosId),
  sequence_number: opt(z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])),
  register_closure_sequence_number: opt(z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])),
  register_open_time: PosInstant,
  register_close_time: PosInstant,
  payments: z.array(
    z.object({
      retailer_payment_type_id: opt(PosId),
      payment_type_id: opt(PosId),
      name: opt(PosName),
      payment_type_name: opt(PosName),
      expected: PosDecimal,
      counted: opt(PosDecimal),
    }),
  ),
});
export type RawClosureWebhook = z.infer<typeof RawClosureWebhook>;

// ---- purchase orders (2026-07) and consignments (2.0 fallback) -----------------------------------

const Charge = z.object({ id: opt(PosId), purchase_order_delivery_id: opt(PosId), type: Text, amount: PosDecimal });

export const RawPurchaseOrder = z.object({
  id: PosId,
  version: PosVersion,
  order_number: opt(Text),
  notes: opt(Text),
  delivery_outlet_id: opt(PosId),
  supplier_id: opt(PosId),
  supplier_invoice: opt(Text),
  status: opt(Text),
  costs: opt(z.array(Charge)),
  discounts: opt(z.array(Charge)),
  cost_price_total: opt(PosDecimal),
  created_at: opt(PosInstant),
  updated_at: opt(PosInstant),
});
export type RawPurchaseOrder = z.infer<typeof RawPurchaseOrder>;

export const RawPurchaseOrderDelivery = z.object({
  id: PosId,
  version: opt(PosVersion),
  purchase_order_id: opt(PosId),
  outlet_id: opt(PosId),
  status: opt(Text),
  received_at: opt(PosInstant),
  invoice_date: opt(PosInstant),
  supplier_invoice: opt(Text),
  cost_price_total: opt(PosDecimal),
  costs: opt(z.array(Charge)),
  discounts: opt(z.array(Charge)),
});
export type RawPurchaseOrderDelivery = z.infer<typeof RawPurchaseOrderDelivery>;

export const RawDeliveryLineItem = z.object({
  id: PosId,
  purchase_order_line_item_id: opt(PosId),
  product_id: PosId,
  expected_quantity: opt(PosDecimal),
  received_quantity: PosDecimal,
  cost_price: opt(PosDecimal),
});
export type RawDeliveryLineItem = z.infer<typeof RawDeliveryLineItem>;

export const RawPurchaseOrderLineItem = z.object({
  id: PosId,
  product_id: PosId,
  quantity: opt(PosDecimal),
  cost_price: opt(PosDecimal),
});
export type RawPurchaseOrderLineItem = z.infer<typeof RawPurchaseOrderLineItem>;

export const RawConsignment = z.object({
  id: PosId,
  type: Text,
  status: Text,
  outlet_id: PosId,
  supplier_id: opt(PosId),
  name: opt(Text),
  reference: opt(Text),
  supplier_invoice: opt(Text),
  received_at: opt(PosInstant),
  deleted_at: opt(Text),
  version: opt(PosVersion),
  source_outlet_id: opt(PosId),
  updated_at: opt(PosInstant),
});
export type RawConsignment = z.infer<typeof RawConsignment>;

export const RawConsignmentProduct = z.object({
  product_id: PosId,
  product_sku: opt(Text),
  count: opt(PosDecimal),
  received: opt(PosDecimal),
  cost: opt(PosDecimal),
  deleted_at: opt(Text),
});
export type RawConsignmentProduct = z.infer<typeof RawConsignmentProduct>;

export const RawStockAdjustment = z.object({
  id: PosId,
  outlet_id: PosId,
  product_id: PosId,
  quantity: PosDecimal,
  reason: Text,
  custom_inventory_adjustment_reason_id: opt(PosId),
  created_at: PosInstant,
  version: opt(PosVersion),
});
export type RawStockAdjustment = z.infer<typeof RawStockAdjustment>;

export const RawInventoryLevel = z.object({
  outlet_id: PosId,
  product_id: PosId,
  average_cost: opt(PosDecimal),
  deleted_at: opt(Text),
});

// ---- gift cards, store credit ---------------------------------------------------------------------

export const RawGiftCardTransaction = z.object({
  id: PosId,
  type: Text,
  amount: PosDecimal,
  created_at: PosInstant,
  client_id: opt(Text),
  source: opt(Text),
  source_id: opt(Text),
});
export const RawGiftCard = z.object({
  id: PosId,
  number: z.union([Text, z.number()]).transform(String),
  balance: opt(PosDecimal),
  status: opt(Text),
  sale_id: opt(PosId),
  gift_card_transactions: opt(z.array(RawGiftCardTransaction)),
});
export type RawGiftCard = z.infer<typeof RawGiftCard>;

export const RawStoreCreditTransaction = z.object({
  id: PosId,
  type: Text,
  amount: PosDecimal,
  created_at: PosInstant,
  sale_id: opt(PosId),
  notes: opt(Text),
  client_id: opt(Text),
});
export const RawStoreCreditCustomer = z.object({
  id: opt(PosId),
  customer_id: PosId,
  balance: opt(PosDecimal),
  customer: opt(z.unknown()),
  store_credit_transactions: opt(z.array(RawStoreCreditTransaction)),
});
export type RawStoreCreditCustomer = z.infer<typeof RawStoreCreditCustomer>;

// ---- webhooks -------------------------------------------------------------------------------------

export const WEBHOOK_TYPES = ["register_closure.create", "sale.update", "consignment.receive"] as const;
export type PosWebhookType = (typeof WEBHOOK_TYPES)[number];

export const RawWebhook = z.object({ id: PosId, url: Text, type: opt(Text), active: opt(Flag) });
export type RawWebhook = z.infer<typeof RawWebhook>;
