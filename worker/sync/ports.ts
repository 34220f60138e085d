import type {
  GiftCardExpiry,
  PosCategory,
  PosOutlet,
  PosPaymentType,
  PosTax,
  PurchaseOrderReceipt,
  RegisterClosure,
  Sale,
  StoreCreditIssue,
  Customer,
  Supplier,
} from "../../shared/domain/pos";
import type { QboRefs } from "../../shared/domain/qbo";
import type { QboEntity } from "../../shared/sync";

/**
 * What the engine needs from the two connectors, for one tenant. The engine speaks only these, so
 * its state machine is independent of how the POS and QBO clients are built.
 */
export interface PosPort {
  loadClosure(closureId: string): Promise<RegisterClosure>;
  loadSale(saleId: string): Promise<Sale>;
  loadPurchaseOrderReceipts(purchaseOrderId: string): Promise<PurchaseOrderReceipt[]>;
  loadGiftCardExpiry(transactionId: string): Promise<GiftCardExpiry>;
  loadStoreCreditIssue(transactionId: string): Promise<StoreCreditIssue>;
  referenceLists(): Promise<{
    paymentTypes: PosPaymentType[];
    taxes: PosTax[];
    categories: PosCategory[];
    outlets: PosOutlet[];
  }>;
}

export interface CreatedDoc {
  id: string;
  docNumber?: string;
}

export interface QboPort {
  realmId: string;
  refs(opts?: { reload?: boolean }): Promise<QboRefs>;
  /** Creates a document with its requestid. Errors are TillbridgeErrors; an unknown outcome is flagged. */
  create(entity: QboEntity, body: Record<string, unknown>, requestId: string): Promise<CreatedDoc>;
  /** Finds a document this posting may already have created (after an ambiguous outcome). */
  findExisting(
    entity: QboEntity,
    draft: { docNumber?: string; body: Record<string, unknown>; marker: string },
  ): Promise<CreatedDoc | null>;
  findOrCreateCustomer(customer: Customer, displayName: string): Promise<string>;
  findOrCreateVendor(supplier: Supplier, displayName: string): Promise<string>;
  docUrl(entity: QboEntity, id: string): string;
}
