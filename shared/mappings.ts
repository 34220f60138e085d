import { z } from "zod";

/**
 * A tenant's mappings from POS things to QBO things (SPEC §2). Stored per tenant in D1 with every
 * change kept; each posting records the mapping version it used. Ids are QBO ids (strings).
 */

const Id = z.string().min(1).max(64);

/** What a POS payment type is to the books. */
export const PaymentTypeMapping = z.discriminatedUnion("role", [
  /** Money: lands in this deposit / clearing account (Bank or Other Current Asset) */
  z.object({ role: z.literal("deposit"), accountId: Id }),
  /** Gift Card payment type: redemptions reduce the gift-card liability */
  z.object({ role: z.literal("gift_card") }),
  /** Store Credit payment type: redemptions reduce the store-credit liability */
  z.object({ role: z.literal("store_credit") }),
  /** On Account / layby charge: not money; the sale is its own invoice */
  z.object({ role: z.literal("on_account") }),
]);
export type PaymentTypeMapping = z.infer<typeof PaymentTypeMapping>;

/** A POS tax (group) → a QBO tax code (global tax model) or a taxable flag (US). */
export const TaxMapping = z.object({
  /** Global model: the QBO TaxCode id. US: the QBO TaxCode id used as TxnTaxCodeRef when taxable */
  taxCodeId: Id.optional(),
  /** US only: whether lines with this tax are TAX (true) or NON (false) */
  taxable: z.boolean().optional(),
});
export type TaxMapping = z.infer<typeof TaxMapping>;

export const OutletMapping = z.object({ classId: Id.optional(), departmentId: Id.optional() });

export const Mappings = z.object({
  /** POS product category id → QBO item (product/service) */
  categories: z.record(z.string(), Id).default({}),
  /** POS payment type id (deleted ones included) → role / account */
  paymentTypes: z.record(z.string(), PaymentTypeMapping).default({}),
  /** POS tax id → QBO tax code */
  taxes: z.record(z.string(), TaxMapping).default({}),
  /** POS outlet id → QBO class and/or location */
  outlets: z.record(z.string(), OutletMapping).default({}),
  items: z
    .object({
      discount: Id.optional(), // Discounts given (contra-income)
      giftCardLiability: Id.optional(), // the "gift card liability" service
      storeCreditLiability: Id.optional(), // the "store credit liability" service
      tillDiscrepancy: Id.optional(), // over/short
      rounding: Id.optional(),
    })
    .default({}),
  accounts: z
    .object({
      closureClearing: Id.optional(), // where a closure's sales document deposits before payments are split out
      giftCardLiability: Id.optional(),
      giftCardBreakage: Id.optional(), // income when a gift card expires
      storeCreditLiability: Id.optional(),
      storeCreditExpense: Id.optional(), // expense when store credit is issued by hand
      inventoryAsset: Id.optional(),
      shipping: Id.optional(),
      purchaseDiscount: Id.optional(),
      duties: Id.optional(),
      accountsPayable: Id.optional(),
    })
    .default({}),
  /** Tax code for lines that carry no POS tax (gift cards, liabilities, over/short, rounding); global model only */
  nonTaxableTaxCodeId: Id.optional(),
  /** Tax code on purchase-order bill lines (e.g. GST/QST where input tax credits are claimed, else Exempt) */
  purchaseTaxCodeId: Id.optional(),
  /** The QBO customer closures are posted to */
  closureCustomerId: Id.optional(),
  options: z
    .object({
      /** Send received purchase orders without a click */
      autoSendPurchaseOrders: z.boolean().default(false),
    })
    .default({ autoSendPurchaseOrders: false }),
});
export type Mappings = z.infer<typeof Mappings>;

export const emptyMappings = (): Mappings => Mappings.parse({});
