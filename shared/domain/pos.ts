import { z } from "zod";

/**
 * Tillbridge's own view of the Retail POS: what the POS connector's mappers produce from raw API
 * payloads and what the ledger consumes. Amounts are integer minor units (cents), already reconciled
 * by the connector to the POS's own totals (a sale's lines sum exactly to the sale's totals).
 * Quantities and unit figures that may carry more than two decimals are decimal strings.
 */

export const Cents = z.number().int().refine(Number.isSafeInteger, "not a safe integer");
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, "not a decimal string");
/** An ISO-8601 instant with offset, e.g. "2026-11-03T22:15:00Z" */
export const Instant = z.string().min(10);
/** A calendar date, YYYY-MM-DD */
export const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const TaxAmount = z.object({
  /** The POS tax-rate id (a component of a tax such as "GST + QST") */
  rateId: z.string(),
  taxMinor: Cents,
  /**
   * The amount as the POS recorded it, unrounded (up to 5 decimals in a tax-inclusive outlet); absent
   * when it is taxMinor. A closure adds these up and rounds once (SPEC §4.1).
   */
  exact: DecimalString.optional(),
});
export type TaxAmount = z.infer<typeof TaxAmount>;

export const SaleLineKind = z.enum([
  "product", // an ordinary product: counts in Sales – category
  "gift_card", // the Gift Card product: a card sold or reloaded (liability up)
  "sale_discount", // the retailer's discount product: a sale-level discount
]);

export const SaleLine = z.object({
  id: z.string(),
  kind: SaleLineKind,
  productId: z.string().nullable(),
  productName: z.string(),
  sku: z.string().nullable(),
  /** The product's (leaf) category id; null when the product has none */
  categoryId: z.string().nullable(),
  /** Negative on returned lines */
  quantity: DecimalString,
  /** Undiscounted unit price excluding tax, as the POS gives it (may have 5 decimals) */
  unitListPrice: DecimalString,
  /** list price × quantity, excluding tax, in cents. Negative on returns; 0 on sale-discount lines */
  listMinor: Cents,
  /** Discount on this line in cents (list − net). On a sale-discount line it is the discount itself */
  discountMinor: Cents,
  /** Net excluding tax: listMinor − discountMinor */
  netMinor: Cents,
  /** The POS tax (group) applied to the line: the key of the tax mapping; null when untaxed */
  taxId: z.string().nullable(),
  /** The line's tax per POS tax rate, in cents; sums with the other lines to the sale's tax per rate */
  taxes: z.array(TaxAmount),
  isReturn: z.boolean(),
  giftCardNumber: z.string().nullable(),
  /**
   * The POS's own cost of the line (its `cost_total`: average cost when sold × quantity, exact, up to
   * 5 places; negative on returns; 0 for gift cards, services and products without inventory).
   * Absent when the POS did not say (cost of goods sold then has nothing to post for the line).
   */
  costTotal: DecimalString.optional(),
  /** listMinor and netMinor as the POS recorded them, unrounded; absent when they are whole cents */
  listExact: DecimalString.optional(),
  netExact: DecimalString.optional(),
});
export type SaleLine = z.infer<typeof SaleLine>;

export const SalePayment = z.object({
  id: z.string(),
  /** The retailer's payment type id (the key of the payment-type mapping) */
  paymentTypeId: z.string(),
  paymentTypeName: z.string(),
  /** Negative for refunds paid out, store credit issued through a return, etc. */
  amountMinor: Cents,
  paidAt: Instant,
  registerId: z.string().nullable(),
  /** The register open sequence (= closure id) the payment was taken in */
  sequenceId: z.string().nullable(),
});
export type SalePayment = z.infer<typeof SalePayment>;

/**
 * A charge the POS adds to a sale besides its lines (its `adjustments[]`): a card surcharge
 * (`SURCHARGE`), a non-cash fee (`NON_CASH_FEE`), an e-commerce custom charge (`ECOM_CUSTOM_CHARGE`),
 * or a type the POS adds later (kept by its name, to wait for a mapping). One per type and POS tax,
 * excluding tax; its tax per rate sums with the lines' to the sale's.
 */
export const SaleCharge = z.object({
  type: z.string().min(1),
  name: z.string(),
  /** The POS tax (group) of this part of the charge; null when untaxed */
  taxId: z.string().nullable(),
  amountMinor: Cents,
  amountExact: DecimalString.optional(),
  taxes: z.array(TaxAmount),
});
export type SaleCharge = z.infer<typeof SaleCharge>;

export const Customer = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  companyName: z.string().nullable(),
  email: z.string().nullable(),
  customerCode: z.string().nullable(),
});
export type Customer = z.infer<typeof Customer>;

export const SaleKind = z.enum(["regular", "on_account", "layby"]);
export type SaleKind = z.infer<typeof SaleKind>;

export const Sale = z.object({
  id: z.string(),
  /** The POS's version number of this sale (monotonic) */
  version: z.string(),
  outletId: z.string(),
  registerId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  saleDate: Instant,
  state: z.enum(["parked", "pending", "closed", "voided"]),
  kind: SaleKind,
  customer: Customer.nullable(),
  /** The open sequence the sale was completed in; its lines count in that closure */
  completedSequenceId: z.string().nullable(),
  returnForSaleId: z.string().nullable(),
  lines: z.array(SaleLine),
  /** Sale totals as the POS reports them */
  totalExTaxMinor: Cents,
  totalTaxMinor: Cents,
  totalMinor: Cents,
  /** Tax per POS rate for the whole sale (sums to totalTaxMinor) */
  taxes: z.array(TaxAmount),
  /** Cash rounding: amount paid − sale total (e.g. −0.02 when 10.02 is paid as 10.00 cash) */
  roundingMinor: Cents,
  /**
   * Surcharges, fees, custom charges (SPEC §4.2): part of totalExTaxMinor; their tax is in `taxes`.
   * Absent: none.
   */
  charges: z.array(SaleCharge).optional(),
  /** Tips (`TIP` adjustments): part of totalExTaxMinor, never taxed, owed to staff. Absent: none. */
  tipsMinor: Cents.optional(),
  payments: z.array(SalePayment),
  note: z.string().nullable(),
  /**
   * A voided sale: when it was voided (its last update; the POS lets a closed sale move only to
   * VOIDED). Absent on other sales, and null when the POS did not say.
   */
  voidedAt: Instant.nullable().optional(),
});
export type Sale = z.infer<typeof Sale>;

export const ClosurePayment = z.object({
  paymentTypeId: z.string(),
  name: z.string(),
  /** What the POS expected for this payment type in the closure (its payments summary) */
  expectedMinor: Cents,
  /** What was counted at close; null while unknown (lost webhook, not yet read from the back office) */
  countedMinor: Cents.nullable(),
});
export type ClosurePayment = z.infer<typeof ClosurePayment>;

export const RegisterClosure = z.object({
  /** The closure id = the register's open-sequence id */
  id: z.string(),
  registerId: z.string(),
  registerName: z.string(),
  outletId: z.string(),
  outletName: z.string(),
  /** IANA time zone of the outlet, e.g. "America/Toronto" */
  timeZone: z.string(),
  sequenceNumber: z.number().int(),
  openedAt: Instant,
  closedAt: Instant,
  payments: z.array(ClosurePayment),
  /**
   * Every sale with lines completed in this sequence or a payment taken in it, on-account and layby
   * sales included (the ledger excludes their lines and posts their payments against their invoices).
   */
  sales: z.array(Sale),
});
export type RegisterClosure = z.infer<typeof RegisterClosure>;

export const Supplier = z.object({
  id: z.string(),
  name: z.string(),
  companyName: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
});
export type Supplier = z.infer<typeof Supplier>;

export const PurchaseOrderLine = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string(),
  sku: z.string().nullable(),
  receivedQuantity: DecimalString,
  /** Unit cost excluding tax as the POS gives it */
  unitCost: DecimalString,
  /** received quantity × unit cost, in cents, reconciled to the POS's cost total */
  totalMinor: Cents,
});
export type PurchaseOrderLine = z.infer<typeof PurchaseOrderLine>;

export const PurchaseOrderCharge = z.object({
  /** SHIPPING, DUTIES (costs) or DISCOUNT (discounts); any other type is surfaced, never dropped */
  type: z.string(),
  /** Positive amount; discounts are positive here and reduce the bill */
  amountMinor: Cents,
});

/** One received delivery of a supplier purchase order: what one Bill posts. */
export const PurchaseOrderReceipt = z.object({
  purchaseOrderId: z.string(),
  /** null when the order has no separate delivery (received as a whole) */
  deliveryId: z.string().nullable(),
  version: z.string(),
  outletId: z.string(),
  timeZone: z.string(),
  supplier: Supplier,
  orderNumber: z.string().nullable(),
  supplierInvoice: z.string().nullable(),
  receivedAt: Instant,
  lines: z.array(PurchaseOrderLine),
  costs: z.array(PurchaseOrderCharge),
  discounts: z.array(PurchaseOrderCharge),
  /** The POS's received cost total for the lines (excluding charges), for the tie-out */
  linesTotalMinor: Cents,
});
export type PurchaseOrderReceipt = z.infer<typeof PurchaseOrderReceipt>;

/** One product of a supplier return: `count` returned at `cost` (its unit credit price). */
export const SupplierReturnLine = z.object({
  productId: z.string(),
  productName: z.string(),
  sku: z.string().nullable(),
  quantity: DecimalString,
  unitCost: DecimalString,
  /** quantity × unit cost, rounded half-up to the cent per line (as the POS's own figures) */
  totalMinor: Cents,
});

/** A supplier return (consignment type RETURN) once SENT: what one VendorCredit posts. */
export const SupplierReturn = z.object({
  id: z.string(),
  version: z.string(),
  outletId: z.string(),
  timeZone: z.string(),
  supplier: Supplier,
  /** UI "Order number" and "Note" */
  reference: z.string().nullable(),
  name: z.string().nullable(),
  /** When it was sent (a SENT return cannot change, so its last update) */
  sentAt: Instant,
  lines: z.array(SupplierReturnLine),
});
export type SupplierReturn = z.infer<typeof SupplierReturn>;

/** One counted product of a stocktake: `expected` on hand, `counted`, at `unitCost` (the average when processed). */
export const StocktakeLine = z.object({
  productId: z.string(),
  productName: z.string(),
  sku: z.string().nullable(),
  expected: DecimalString,
  counted: DecimalString,
  unitCost: DecimalString,
});

/** A completed stocktake (consignment STOCKTAKE, STOCKTAKE_COMPLETE): its gains and losses move Inventory Asset. */
export const Stocktake = z.object({
  id: z.string(),
  version: z.string(),
  outletId: z.string(),
  timeZone: z.string(),
  name: z.string().nullable(),
  /** When it was completed (its last update) */
  completedAt: Instant,
  lines: z.array(StocktakeLine),
});
export type Stocktake = z.infer<typeof Stocktake>;

/** One product of a transfer between outlets: `sent` at `unitCost` (the source's average when sent), `received`. */
export const StockTransferLine = z.object({
  productId: z.string(),
  productName: z.string(),
  sku: z.string().nullable(),
  sent: DecimalString,
  received: DecimalString,
  unitCost: DecimalString,
});

/** A transfer between outlets (consignment OUTLET) once RECEIVED. */
export const StockTransfer = z.object({
  id: z.string(),
  version: z.string(),
  sourceOutletId: z.string(),
  /** The destination */
  outletId: z.string(),
  timeZone: z.string(),
  name: z.string().nullable(),
  receivedAt: Instant,
  lines: z.array(StockTransferLine),
});
export type StockTransfer = z.infer<typeof StockTransfer>;

export const STOCK_ADJUSTMENT_REASONS = [
  "DAMAGE",
  "EXPIRY",
  "INTERNAL_USE",
  "THEFT",
  "DONATION",
  "STOCK_FOUND",
  "SAMPLE_FOR_SALE",
  "CUSTOM",
] as const;

/** A stock adjustment (`GET /stock_adjustments`), valued at the product's average cost as the POS answers it. */
export const StockAdjustment = z.object({
  id: z.string(),
  outletId: z.string(),
  timeZone: z.string(),
  productId: z.string(),
  productName: z.string(),
  sku: z.string().nullable(),
  /** Negative for losses (damage, theft…), positive for gains (stock found…) */
  quantity: DecimalString,
  reason: z.enum(STOCK_ADJUSTMENT_REASONS),
  customReasonName: z.string().nullable(),
  /** `average_cost` of the product at the outlet from `GET /inventory/{product_id}` (the record has no cost) */
  unitCost: DecimalString,
  createdAt: Instant,
});
export type StockAdjustment = z.infer<typeof StockAdjustment>;

/** A gift card's balance expiring (gift-card transaction EXPIRING): liability down, breakage up. */
export const GiftCardExpiry = z.object({
  transactionId: z.string(),
  giftCardId: z.string(),
  giftCardNumber: z.string(),
  /** The balance that expired, positive */
  amountMinor: Cents,
  occurredAt: Instant,
  timeZone: z.string(),
});
export type GiftCardExpiry = z.infer<typeof GiftCardExpiry>;

/** Store credit issued by hand (not through a return): expense up, liability up. */
export const StoreCreditIssue = z.object({
  transactionId: z.string(),
  customer: Customer,
  amountMinor: Cents,
  occurredAt: Instant,
  timeZone: z.string(),
  notes: z.string().nullable(),
});
export type StoreCreditIssue = z.infer<typeof StoreCreditIssue>;

/** Reference lists, for the options page drop-downs and the ledger's labels. */
export const PosPaymentType = z.object({
  id: z.string(),
  name: z.string(),
  typeId: z.number().int().nullable(),
  deleted: z.boolean(),
});
export type PosPaymentType = z.infer<typeof PosPaymentType>;

export const PosCategory = z.object({ id: z.string(), name: z.string(), path: z.string(), leaf: z.boolean() });
export type PosCategory = z.infer<typeof PosCategory>;

export const PosTax = z.object({
  id: z.string(),
  name: z.string(),
  rates: z.array(z.object({ id: z.string(), name: z.string(), rate: DecimalString })),
  deleted: z.boolean(),
});
export type PosTax = z.infer<typeof PosTax>;

export const PosOutlet = z.object({ id: z.string(), name: z.string(), timeZone: z.string(), currency: z.string() });
export type PosOutlet = z.infer<typeof PosOutlet>;

// ---- fast structural checks for the bulk of a closure -------------------------------------------
// A closure can carry thousands of sale lines; checking each with zod costs more than building the
// whole posting. These guards check the same shapes as SaleLine and SalePayment above with plain
// comparisons; on any doubt the caller falls back to the zod schema for a precise error.

const DECIMAL = /^-?\d+(\.\d+)?$/;
const isCents = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === "string";
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";
const LINE_KINDS = new Set(SaleLineKind.options);

export function isSaleLine(v: unknown): v is SaleLine {
  if (typeof v !== "object" || v === null) return false;
  const l = v as Record<string, unknown>;
  return (
    isText(l.id) &&
    LINE_KINDS.has(l.kind as SaleLine["kind"]) &&
    isTextOrNull(l.productId) &&
    isText(l.productName) &&
    isTextOrNull(l.sku) &&
    isTextOrNull(l.categoryId) &&
    isText(l.quantity) &&
    DECIMAL.test(l.quantity) &&
    isText(l.unitListPrice) &&
    DECIMAL.test(l.unitListPrice) &&
    isCents(l.listMinor) &&
    isCents(l.discountMinor) &&
    isCents(l.netMinor) &&
    isTextOrNull(l.taxId) &&
    Array.isArray(l.taxes) &&
    l.taxes.every(
      (t: unknown) =>
        typeof t === "object" &&
        t !== null &&
        isText((t as TaxAmount).rateId) &&
        isCents((t as TaxAmount).taxMinor) &&
        ((t as TaxAmount).exact === undefined || DECIMAL.test(String((t as TaxAmount).exact))),
    ) &&
    typeof l.isReturn === "boolean" &&
    isTextOrNull(l.giftCardNumber) &&
    (l.costTotal === undefined || (isText(l.costTotal) && DECIMAL.test(l.costTotal))) &&
    (l.listExact === undefined || (isText(l.listExact) && DECIMAL.test(l.listExact))) &&
    (l.netExact === undefined || (isText(l.netExact) && DECIMAL.test(l.netExact)))
  );
}

export function isSalePayment(v: unknown): v is SalePayment {
  if (typeof v !== "object" || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    isText(p.id) &&
    isText(p.paymentTypeId) &&
    isText(p.paymentTypeName) &&
    isCents(p.amountMinor) &&
    isText(p.paidAt) &&
    p.paidAt.length >= 10 &&
    isTextOrNull(p.registerId) &&
    isTextOrNull(p.sequenceId)
  );
}
