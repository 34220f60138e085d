import type { InventoryState } from "./inventory-types";
import type { PrngState } from "./prng";

/**
 * The sandbox's raw records. A store is one plain JSON object, so exportState/importState is
 * JSON.stringify/parse and the same seed gives byte-identical state. Money is integer cents;
 * quantities, unit prices, rates and unrounded tax are exact decimal strings (shared/money.ts Dec text).
 * The API layer (api/serialize.ts) turns these into the 2026-07 JSON shapes; figures.ts reads these
 * records directly, never the API JSON.
 */

export type Cents = number;
export type DecText = string;

export type PaymentKind = "cash" | "card" | "integrated" | "gift_card" | "store_credit" | "on_account" | "other";
export type ProductKind = "product" | "gift_card" | "discount";
export type SaleState = "parked" | "pending" | "voided" | "closed";
export type SaleAttribute = "onaccount" | "layby";

export interface StoreConfig {
  profile: "ca" | "us";
  /** Cash is rounded to 0.05 (Canada); a ROUNDING adjustment records paid − total. */
  cashRounding: boolean;
  /** Rate limit per 300 s window; null = the POS's 300 × registers + 50. */
  rateLimitOverride: number | null;
}

export interface RetailerRec {
  id: string;
  name: string;
  domainPrefix: string;
  country: string;
  currency: string;
  currencySymbol: string;
  culture: string;
  timezone: string;
  taxExclusive: boolean;
  discountProductId: string;
  giftCardProductId: string;
  noTaxGroupId: string;
  createdAt: string;
  version: number;
}

export interface TaxRateRec {
  id: string;
  name: string;
  rate: DecText;
}

export interface TaxRec {
  id: string;
  name: string;
  isDefault: boolean;
  rates: TaxRateRec[];
  deletedAt: string | null;
  version: number;
}

export interface OutletRec {
  id: string;
  name: string;
  timeZone: string;
  defaultTaxId: string;
  address: { line1: string; city: string; state: string; postcode: string; country: string };
  email: string;
  phone: string;
  orderPrefix: string;
  version: number;
}

export interface RegisterRec {
  id: string;
  name: string;
  outletId: string;
  invoicePrefix: string;
  invoiceSuffix: string;
  invoiceSequence: number;
  isOpen: boolean;
  openTime: string | null;
  closeTime: string | null;
  /** The current (or, once closed, the last) open-sequence id = closure id. */
  openSequenceId: string | null;
  sequenceCount: number;
  cashManagedPaymentTypeId: string;
  version: number;
}

export interface CategoryRec {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
}

export interface ProductRec {
  id: string;
  kind: ProductKind;
  name: string;
  handle: string;
  sku: string;
  /** List price excluding tax; up to 5 decimals (e.g. 9.09091). */
  price: DecText;
  supplyPrice: DecText;
  categoryId: string | null;
  taxId: string;
  supplierId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** false for a service or a product without inventory tracking (absent = tracked when kind is "product"). */
  hasInventory?: boolean;
}

export interface PaymentTypeRec {
  id: string;
  name: string;
  typeId: number;
  kind: PaymentKind;
  createdAt: string;
  deletedAt: string | null;
  version: number;
}

export interface CustomerRec {
  id: string;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  customerCode: string;
  customerGroupId: string;
  onAccountLimit: Cents | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SupplierRec {
  id: string;
  name: string;
  description: string;
  companyName: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  version: number;
}

/** One register open→close sequence: a closure once closed. */
export interface SequenceRec {
  id: string;
  registerId: string;
  outletId: string;
  sequenceNumber: number;
  openedAt: string;
  closedAt: string | null;
  /** Counted per payment type id, in cents, as given at close. */
  counted: Record<string, Cents> | null;
}

export interface LineTaxRec {
  rateId: string;
  /** The line's tax for this rate at full precision (unit price × quantity × rate, unrounded). */
  exact: DecText;
}

export interface SaleLineRec {
  id: string;
  productId: string;
  kind: ProductKind;
  /** Category at the time of sale (null for gift-card and discount lines). */
  categoryId: string | null;
  quantity: DecText;
  /** Undiscounted unit price ex tax. On a discount line it is the (negative) discount. */
  unitList: DecText;
  unitDiscount: DecText;
  /** unitList − unitDiscount: what the spec calls `pricing.price`. */
  unitPrice: DecText;
  /** round_half_up(unitList × quantity): the undiscounted line, in cents. */
  listTotal: Cents;
  /** round_half_up(unitPrice × quantity): the line as sold, in cents. */
  total: Cents;
  taxId: string;
  taxes: LineTaxRec[];
  isReturn: boolean;
  giftCardNumber: string | null;
  /** On a return line: the line of the original sale it returns. */
  originalLineId: string | null;
  /** The POS's unit cost of the line (ops/stock.ts): its average cost when sold; 0 without inventory. */
  cost?: DecText;
}

export interface SalePaymentRec {
  id: string;
  paymentTypeId: string;
  /** The payment type's name when taken (a later rename or delete does not change history). */
  name: string;
  amount: Cents;
  at: string;
  registerId: string;
  outletId: string;
  /** The register open sequence (closure) the payment was taken in. */
  sequenceId: string;
  giftCardNumber: string | null;
}

export interface SaleRec {
  id: string;
  outletId: string;
  registerId: string;
  userId: string;
  customerId: string | null;
  invoiceNumber: string;
  receiptNumber: string;
  shortCode: string;
  state: SaleState;
  attributes: SaleAttribute[];
  createdAt: string;
  /** The sale date (when it was rung up). */
  date: string;
  updatedAt: string;
  /** The open sequence the sale was completed (committed) in; null while parked. */
  completeSequenceId: string | null;
  note: string;
  lines: SaleLineRec[];
  payments: SalePaymentRec[];
  /** Cash rounding: amount paid − sale total, cents (0 when no cash rounding happened). */
  rounding: Cents;
  /** Per rate: round_half_up(Σ lines' exact tax for the rate). */
  taxes: { rateId: string; tax: Cents }[];
  totalPrice: Cents;
  totalTax: Cents;
  returnFor: string | null;
  returnSaleIds: string[];
  voidedAt: string | null;
  version: number;
}

export type GiftCardTxnType =
  | "ACTIVATION"
  | "REDEEMING"
  | "IMPORTING"
  | "VOIDING"
  | "EXPIRING"
  | "REVERSING"
  | "RELOADING";

export interface GiftCardTxnRec {
  id: string;
  type: GiftCardTxnType;
  /** Signed: ACTIVATION/RELOADING/IMPORTING positive, REDEEMING/EXPIRING/VOIDING negative. */
  amount: Cents;
  clientId: string;
  source: string;
  sourceId: string | null;
  userId: string;
  createdAt: string;
}

export interface GiftCardRec {
  id: string;
  number: string;
  createdAt: string;
  expiresAt: string | null;
  saleId: string | null;
  status: "ACTIVE" | "INACTIVE" | "REDEEMED" | "VOIDED" | "EXPIRED";
  transactions: GiftCardTxnRec[];
}

export interface StoreCreditTxnRec {
  id: string;
  type: "ISSUE" | "REDEMPTION" | "REVERSE";
  /** Signed: ISSUE positive, REDEMPTION negative. */
  amount: Cents;
  clientId: string;
  notes: string;
  /** The sale that issued or redeemed it; null for a manual issue in the back office. */
  saleId: string | null;
  userId: string;
  createdAt: string;
}

export interface StoreCreditRec {
  id: string;
  customerId: string;
  createdAt: string;
  transactions: StoreCreditTxnRec[];
}

export interface PoLineRec {
  id: string;
  productId: string;
  quantity: DecText;
  costPrice: DecText;
  createdAt: string;
  version: number;
}

export interface PoChargeRec {
  id: string;
  deliveryId: string;
  type: string;
  /** Positive decimal text with 2 places. */
  amount: DecText;
  createdAt: string;
}

export interface DeliveryLineRec {
  id: string;
  poLineId: string;
  productId: string;
  expected: DecText;
  received: DecText;
  costPrice: DecText;
  version: number;
}

export interface DeliveryRec {
  id: string;
  status: "RECEIVED";
  receivedAt: string;
  supplierInvoice: string | null;
  notes: string | null;
  userId: string;
  lines: DeliveryLineRec[];
  costs: PoChargeRec[];
  discounts: PoChargeRec[];
  version: number;
}

export type PoStatus = "OPEN" | "SENT" | "PARTIALLY_RECEIVED" | "RECEIVED" | "CANCELLED";

export interface PurchaseOrderRec {
  id: string;
  orderNumber: string;
  name: string;
  supplierId: string;
  outletId: string;
  userId: string;
  status: PoStatus;
  supplierInvoice: string | null;
  notes: string | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  lines: PoLineRec[];
  deliveries: DeliveryRec[];
  version: number;
}

export interface WebhookRec {
  id: string;
  url: string;
  type: string;
  active: boolean;
  /** The OAuth client that registered it: its secret signs the deliveries. */
  clientId: string;
}

/** Work the trading generator has promised for a later day (on-account and layby payments). */
export interface ScheduledPayment {
  date: string;
  saleId: string;
  /** Cents to pay that day; null = the whole remaining balance. */
  amount: Cents | null;
  paymentKind: PaymentKind;
}

/** A purchase-order receipt the generator will make on a later day. */
export interface ScheduledReceipt {
  date: string;
  purchaseOrderId: string;
  /** Partial receipt: [productId, quantity]; null = everything outstanding. */
  lines: [string, string][] | null;
  costs: { type: string; amount: string }[];
  discounts: { type: string; amount: string }[];
  supplierInvoice: string | null;
}

export interface StoreState {
  prefix: string;
  seed: number;
  config: StoreConfig;
  rng: PrngState;
  /** The store's global version counter: every change takes the next, never +1 apart. */
  versionCounter: number;
  counters: { giftCard: number; orderNumber: number; shortCode: number };
  retailer: RetailerRec;
  users: { id: string; name: string }[];
  taxes: Record<string, TaxRec>;
  outlets: Record<string, OutletRec>;
  registers: Record<string, RegisterRec>;
  categories: Record<string, CategoryRec>;
  products: Record<string, ProductRec>;
  paymentTypes: Record<string, PaymentTypeRec>;
  customers: Record<string, CustomerRec>;
  suppliers: Record<string, SupplierRec>;
  sequences: Record<string, SequenceRec>;
  sales: Record<string, SaleRec>;
  giftCards: Record<string, GiftCardRec>;
  storeCredits: Record<string, StoreCreditRec>;
  purchaseOrders: Record<string, PurchaseOrderRec>;
  webhooks: Record<string, WebhookRec>;
  /** Stock, average costs and the inventory documents (inventory-types.ts). */
  inventory: InventoryState;
  /** Generated trading so far: the next day advanceDay() will trade, and promised payments. */
  trading: {
    startDate: string;
    nextDate: string;
    dayIndex: number;
    scheduled: ScheduledPayment[];
    receipts: ScheduledReceipt[];
    plan: TradingPlan;
  };
}

/** Which generated day carries which special event (chosen from the seed at creation). */
export interface TradingPlan {
  /** The day one register refunds more than it takes (a net-negative closure). */
  netNegative: { dayIndex: number; registerId: string } | null;
  /** The day one register closes after local midnight. */
  afterMidnight: { dayIndex: number; registerId: string } | null;
  /** Days with a manual store-credit issue (no sale). */
  manualCreditDays: number[];
  /** The day a completed sale is voided within its open sequence. */
  voidDay: number;
  /** The day a payment of the (later deleted) payment type is certainly taken. */
  deletedTypeDay: number;
}

/** A closure as the sandbox knows it (ClosureRecord in the brief). Money as decimal strings. */
export interface ClosureRecord {
  id: string;
  registerId: string;
  registerName: string;
  outletId: string;
  outletName: string;
  timeZone: string;
  sequenceNumber: number;
  openedAt: string;
  closedAt: string | null;
  payments: { payment_type_id: string; name: string; expected: string; counted: string | null }[];
}
