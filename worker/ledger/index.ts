/**
 * The ledger: pure posting rules from POS domain objects + mappings to exact QBO document drafts
 * (docs/DESIGN.md §1–2). No I/O, no clock, no randomness; imports nothing but shared/.
 */
export type { Blocker, Effect, LedgerContext, PostingNeeds, PostingPlan, PostingResult, VarianceRow } from "./types";
export { PLACEHOLDER } from "./types";
export { buildClosurePosting } from "./closure/posting";
export { buildPurchaseOrderPosting, receivedSince } from "./purchase-order";
export { withClosureCogs, withSaleCogs } from "./cogs";
export { buildSupplierReturnPosting } from "./supplier-return";
export { buildStockAdjustmentPosting, buildStocktakePosting } from "./shrinkage";
export { buildStockTransferPosting } from "./transfer";
export { buildCancellationPosting, buildSaleInvoicePosting } from "./sale-invoice";
export { buildSalePaymentPosting } from "./sale-payment";
export { buildAccountCreditPosting, creditOnAccount } from "./account-credit";
export { cancelledParts } from "./sale-parts";
export { buildGiftCardExpiryPosting, buildStoreCreditIssuePosting } from "./events";
export { customerDisplayName, vendorDisplayName } from "./names";
export { idempotencyKey, keyTag, requestIdFor } from "./keys";
export { businessDate } from "./dates";
export { docNumber } from "./doc-number";
