import type {
  GiftCardExpiry,
  PosCategory,
  PosOutlet,
  PosPaymentType,
  PosTax,
  PurchaseOrderReceipt,
  RegisterClosure,
  Sale,
  StockAdjustment,
  Stocktake,
  StockTransfer,
  StoreCreditIssue,
  SupplierReturn,
} from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { categoriesOnlyForNonPosting, getObjects } from "../db/pos-objects";
import { PosClient } from "./client";
import { loadClosure, loadSale, pollRegisters, type SequenceAnchor, sequenceAnchors, syncSales } from "./ingest";
import {
  type ChangedAdjustment,
  type ChangedConsignment,
  loadStockAdjustment,
  loadStocktake,
  loadStockTransfer,
  loadSupplierReturn,
  syncConsignments,
  syncStockAdjustments,
  valueStockAdjustment,
} from "./inventory";
import { classifySale } from "./mappers/sale-state";
import {
  type ChangedOrder,
  listGiftCardExpiries,
  listStoreCreditIssues,
  loadPurchaseOrderReceipts,
  syncPurchaseOrders,
} from "./orders";
import { loadReference, type PosReference, syncProducts } from "./reference";
import type { PosServices } from "./tokens";

/**
 * The POS side of one tenant as the sync engine and the object kinds see it: discovery for the
 * cron run, and loading each kind of object as a domain object. One PosClient serves the whole
 * run, so its request count is the run's and the sales cursor is caught up once.
 */

export interface ChangedSale {
  id: string;
  version: string;
  kind: Sale["kind"] | null;
  state: Sale["state"] | null;
  /** The register sequences (closures) it was completed or paid in, when known */
  sequenceIds?: string[];
}

export interface PosChanges {
  /** Closures found by register polling (webhook-announced ones arrive through the hooks) */
  closures: string[];
  sales: ChangedSale[];
  purchaseOrders: ChangedOrder[];
}

export interface PosPort {
  loadClosure(closureId: string): Promise<RegisterClosure>;
  loadSale(saleId: string): Promise<Sale>;
  loadPurchaseOrderReceipts(purchaseOrderId: string): Promise<PurchaseOrderReceipt[]>;
  /** A supplier return once sent (a conflict while open or cancelled) */
  loadSupplierReturn(returnId: string): Promise<SupplierReturn>;
  /** A stocktake once complete (a conflict before) */
  loadStocktake(stocktakeId: string): Promise<Stocktake>;
  /** A stock adjustment Tillbridge has seen, valued at the average cost read when first seen */
  loadStockAdjustment(adjustmentId: string): Promise<StockAdjustment>;
  /** Stock adjustments new since the cursor */
  stockAdjustments(): Promise<ChangedAdjustment[]>;
  /** Reads and keeps a seen adjustment's average cost now, unless it has one */
  valueStockAdjustment(adjustmentId: string): Promise<void>;
  /** Stocktakes changed since their cursor */
  stocktakes(): Promise<ChangedConsignment[]>;
  /** A transfer between outlets once received (a conflict before) */
  loadStockTransfer(transferId: string): Promise<StockTransfer>;
  /** Transfers changed since their cursor */
  transfers(): Promise<ChangedConsignment[]>;
  /** Supplier returns changed since their cursor */
  supplierReturns(): Promise<ChangedConsignment[]>;
  loadGiftCardExpiry(transactionId: string): Promise<GiftCardExpiry>;
  loadStoreCreditIssue(transactionId: string): Promise<StoreCreditIssue>;
  referenceLists(opts?: {
    reload?: boolean;
  }): Promise<{ paymentTypes: PosPaymentType[]; taxes: PosTax[]; categories: PosCategory[]; outlets: PosOutlet[] }>;
  /** The store's reference data (outlets and their time zones, registers, payment types…), cached */
  reference(): Promise<PosReference>;
  /** What changed since the cursors: sales (classified), closures found by polling, purchase orders. */
  discover(): Promise<PosChanges>;
  giftCardExpiries(): Promise<GiftCardExpiry[]>;
  /** Categories no sale line posts through (only gift cards or the discount product in them); the catalogue is synced first */
  categoriesNothingPostsThrough(): Promise<Set<string>>;
  /** Each register's latest sequence with the POS's number for it (one read per register) */
  sequenceAnchors(): Promise<SequenceAnchor[]>;
  storeCreditIssues(): Promise<StoreCreditIssue[]>;
}

export function createPosConnector(
  s: PosServices,
  tenantId: string,
  client = PosClient.forTenant(s, tenantId),
): PosPort {
  return {
    loadClosure: (id) => loadClosure(s, tenantId, id, client),
    loadSale: (id) => loadSale(s, tenantId, id, client),
    loadPurchaseOrderReceipts: (id) => loadPurchaseOrderReceipts(s, tenantId, id, client),
    loadSupplierReturn: (id) => loadSupplierReturn(s, tenantId, id, client),
    loadStocktake: (id) => loadStocktake(s, tenantId, id, client),
    loadStockAdjustment: (id) => loadStockAdjustment(s, tenantId, id, client),
    stockAdjustments: () => syncStockAdjustments(s, tenantId, client),
    valueStockAdjustment: async (id) => void (await valueStockAdjustment(s, tenantId, id, client)),
    stocktakes: () => syncConsignments(s, tenantId, "STOCKTAKE", client),
    loadStockTransfer: (id) => loadStockTransfer(s, tenantId, id, client),
    transfers: () => syncConsignments(s, tenantId, "OUTLET", client),
    supplierReturns: () => syncConsignments(s, tenantId, "RETURN", client),
    async loadGiftCardExpiry(transactionId) {
      const found = (await listGiftCardExpiries(s, tenantId, client)).find((e) => e.transactionId === transactionId);
      if (!found) throw new TillbridgeError("pos_not_found", `gift card transaction ${transactionId}`);
      return found;
    },
    async loadStoreCreditIssue(transactionId) {
      const found = (await listStoreCreditIssues(s, tenantId, client)).find((e) => e.transactionId === transactionId);
      if (!found) throw new TillbridgeError("pos_not_found", `store credit transaction ${transactionId}`);
      return found;
    },
    reference: () => loadReference(s, tenantId, client),
    async referenceLists(opts = {}) {
      const ref = await loadReference(s, tenantId, client, { force: opts.reload ?? false });
      return { paymentTypes: ref.paymentTypes, taxes: ref.taxes, categories: ref.categories, outlets: ref.outlets };
    },
    async discover() {
      const closures = await pollRegisters(s, tenantId, client);
      const synced = await syncSales(s, tenantId, client);
      const stored = await getObjects(s.db, tenantId, "sale", synced.ids);
      const sales = stored.map((o) => {
        const r = (o.json ?? {}) as { state?: unknown; attributes?: unknown; status?: unknown };
        const c = classifySale(
          typeof r.state === "string" ? r.state : null,
          Array.isArray(r.attributes) ? r.attributes.filter((a): a is string => typeof a === "string") : null,
          typeof r.status === "string" ? r.status : null,
        );
        return "error" in c
          ? { id: o.id, version: o.version, kind: null, state: null }
          : { id: o.id, version: o.version, kind: c.kind, state: c.state };
      });
      const purchaseOrders = await syncPurchaseOrders(s, tenantId, client);
      return { closures, sales, purchaseOrders };
    },
    giftCardExpiries: () => listGiftCardExpiries(s, tenantId, client),
    sequenceAnchors: () => sequenceAnchors(s, tenantId, client),
    async categoriesNothingPostsThrough() {
      const ref = await loadReference(s, tenantId, client);
      await syncProducts(s, tenantId, client);
      return categoriesOnlyForNonPosting(s.db, tenantId, ref.retailer.discountProductId);
    },
    storeCreditIssues: () => listStoreCreditIssues(s, tenantId, client),
  };
}
