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

export type PaymentKind =
  | "cash"
  | "card"
  | "integrated"
  | "gift_card"
  | "store_credit"
  | "on_account"
  | "loyalty"
  | "other";
export type ProductKind = "product" | "gift_card" | "discount";
export type SaleState = "parked" | "pending" | "voided" | "closed";
export type SaleAttribute = "onaccount" | "layby";

/** The demo stores: Québec (CA), New York (US), Sydney (AU, tax-inclusive) and London (UK, tax-inclusive). */
export type StoreProfile = "ca" | "us" | "au" | "uk";

/**
 * What the generated trading days contain: "classic" is the seed's activity (what the CA and US stores
 * have always traded, byte for byte); "full" adds SPEC §4's activity (tips, surcharges, fees, custom
 * charges, loyalty, voided sales and lines, exchanges, returns on account, cancelled laybys, late voids).
 */
export type Activity = "classic" | "full";

export interface StoreConfig {
  profile: StoreProfile;
  /** Set only for "full" (absent = classic), so a classic store's state is what it always was. */
  activity?: "full";
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
  /** Loyalty earned per unit of tax-inclusive price (e.g. "0.02"); absent = loyalty not enabled. */
  loyaltyRatio?: DecText;
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
  /** Tax-inclusive outlets say so; absent = "exclusive". */
  displayPrices?: "inclusive";
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
  /** Tax-inclusive stores: the price the merchant set, tax included (e.g. 49.95); `price` derives from it. */
  priceInclTax?: DecText;
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
  /** Loyalty members only (enable_loyalty); absent = not a member. */
  loyalty?: true;
  /** Loyalty balance earned before the sandbox's records begin, in cents. */
  loyaltyOpening?: Cents;
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
  /**
   * The expected totals as they stood at close, kept when a sale of this closure is voided later: the
   * POS's closure record is not altered by later voids (set only then, so other closures stay as they were).
   */
  expectedAtClose?: Record<string, Cents>;
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
  /** A line removed after it was rung up (`status: VOIDED`): shown, never counted. */
  voided?: true;
  /**
   * NOT in the API (a line has no time of its own there): when a line voided later than the sale was
   * made (`voidLine`, a pending on-account or layby sale's line) was voided; its stock came back then.
   * Absent on a voided line = voided as it was rung up: it never took stock.
   */
  voidedAt?: string;
  /**
   * NOT in the API: when a line was added to the sale after it was made (a cancelled layby's cancelling
   * lines); its stock moved then. Absent = with the sale, at its `date`.
   */
  addedAt?: string;
  /** Tax-inclusive lines only: see InclusiveLineRec (pricing.ts). */
  inclusive?: InclusiveLineRec;
  /** Loyalty the line earns per unit (`pricing.loyalty_amount`), 2 places; absent = none. */
  loyaltyUnit?: DecText;
  /** This line's share of each card surcharge (`surcharges[]`), one per surcharged payment. */
  surcharges?: LineSurchargeRec[];
}

/**
 * How a tax-inclusive outlet records a line: the customer pays `unitIncl` (whole cents) per unit; the
 * POS keeps the ex-tax unit price (`unitPrice`, `unitList`, `unitDiscount` of the line) and the unit
 * tax per rate at up to 5 decimals, and line totals as unit × quantity, unrounded.
 */
export interface InclusiveLineRec {
  /** Unit price incl. tax before the discount, and after it. */
  unitInclList: DecText;
  unitIncl: DecText;
  /** Unit tax per rate (5 places): unitIncl = unitPrice + Σ unit taxes, exactly. */
  unitTaxes: LineTaxRec[];
  /** unitList × quantity and unitPrice × quantity, unrounded (5 places for whole quantities). */
  listTotal: DecText;
  total: DecText;
  /** unitIncl × quantity: whole cents, what the customer pays for the line. */
  inclTotal: Cents;
}

export interface LineSurchargeRec {
  paymentId: string;
  /** Ex tax (`value`). */
  value: DecText;
  taxes: LineTaxRec[];
}

export type AdjustmentType = "TIP" | "SURCHARGE" | "NON_CASH_FEE" | "ECOM_CUSTOM_CHARGE";

/**
 * One piece of a sale-level charge: one type under one tax (a surcharge spread over lines of two taxes
 * is two pieces). The API compounds the pieces per type in `adjustments[]` and itemises custom charges
 * in `ecom_custom_charges[]`.
 */
export interface AdjustmentRec {
  type: AdjustmentType;
  name: string;
  /** Ex tax: cents-exact in tax-exclusive stores, up to 5 places in tax-inclusive ones. */
  total: DecText;
  /** Its tax per rate, unrounded (empty for tips). */
  taxes: LineTaxRec[];
  /** The tax of this piece (null for tips, which are never taxed). */
  taxId: string | null;
  /** The payment that carried it (tips, surcharges, fees); null for custom charges. */
  paymentId: string | null;
  /** Custom charges: the e-commerce charge type (`source_id`). */
  sourceId?: string;
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
  /** Part of `amount` that is a tip (TIP adjustment). */
  tip?: Cents;
  /** The card surcharge this payment carried, tax included (`surcharge.amount`), and its rule. */
  surcharge?: { amount: Cents; rule: string };
  /** Part of `amount` that is a non-cash fee (NON_CASH_FEE adjustment), tax included. */
  fee?: Cents;
  /** Lightspeed Payments: the terminal transaction behind the payment (full activity only). */
  lspay?: LspayRec;
}

export type TenderType = "SALE" | "REFUND" | "REVERSAL" | "TIP" | "SURCHARGE";

/** A Lightspeed Payments transaction (the spec's `LspayTransaction`): tenders add up to the payment. */
export interface LspayRec {
  transactionId: string;
  externalTransactionId: string;
  cardLast4: string;
  status: "COMPLETED" | "REVERSED" | "REFUNDED";
  createdAt: string;
  updatedAt: string;
  /** Amounts are magnitudes; the type says which way the money went. */
  tenders: { id: string; type: TenderType; amount: Cents; createdAt: string }[];
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
  /** Tips, surcharges, fees and custom charges (absent = none). */
  adjustments?: AdjustmentRec[];
  /** Tax-inclusive sales: totals as recorded, unrounded; totalPrice/totalTax/taxes are their cents views. */
  exact?: { price: DecText; tax: DecText; taxes: { rateId: string; tax: DecText }[] };
  /** An e-commerce order (`source.type` ECOMMERCE) and its order reference. */
  ecommerce?: { orderId: string };
  /** The API leaves `_metadata.complete_open_sequence_id` out of this sale, as the real one sometimes does. */
  omitSequenceId?: true;
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
    /** Full activity only. */
    events?: ScheduledEvent[];
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
  /** Full activity only: the days of SPEC §4's rarer events (seed/activity.ts). */
  full?: FullPlan;
}

export interface FullPlan {
  /** Days on which a card sale of an earlier, closed register sequence is voided. */
  lateVoidDays: number[];
  /** Days from which a return on account is made (once each, when an on-account sale qualifies). */
  accountReturnDays: number[];
  /** Laybys created on these days are cancelled `after` days later, the deposit refunded as said. */
  cancelledLaybys: { dayIndex: number; after: number; refund: "register" | "store_credit" }[];
}

/** Full activity's promised work for later days (cancel a layby, void a sale late, return on account). */
export interface ScheduledEvent {
  date: string;
  kind: "cancelLayby" | "lateVoid" | "accountReturn";
  saleId: string | null;
  refund?: "register" | "store_credit";
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
