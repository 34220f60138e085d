import type { PrngState } from "./prng";
import type { DecText } from "./types";

/**
 * The sandbox's raw inventory records (part of StoreState, plain JSON like the rest): stock on hand and
 * average cost per product and outlet, the stock ledger every change goes through (the POS's product
 * inventory history), supplier returns, stocktakes and outlet transfers (consignments other than
 * SUPPLIER, which are the purchase orders), stock adjustments and their custom reasons.
 * Quantities and costs are exact decimal texts. The API layer (api/serialize-inventory.ts) turns them
 * into the 2026-07 shapes; inventory-figures.ts reads them directly.
 */

/** One product at one outlet (the API's `Inventory` record). Products without inventory have none. */
export interface StockLevelRec {
  id: string;
  productId: string;
  outletId: string;
  onHand: DecText;
  /** Moving average cost, kept to 5 decimals (ops/stock.ts has the rule). */
  averageCost: DecText;
  /** From the inventory records' own counter (see InventoryState.versionCounter). */
  version: number;
}

export type StockMoveKind =
  | "opening"
  | "sale"
  | "return"
  | "void"
  | "receipt"
  | "supplier_return"
  | "stocktake"
  | "adjustment"
  | "transfer_out"
  | "transfer_in";

/** One change to one level, in the order the POS applied them. Never exposed over the API. */
export interface StockMoveRec {
  at: string;
  outletId: string;
  productId: string;
  kind: StockMoveKind;
  /** The sale, delivery, consignment or stock adjustment that moved the stock. */
  sourceId: string;
  /** The sale line, delivery line or consignment product, when there is one. */
  lineId: string | null;
  /** Signed: stock in is positive. */
  quantity: DecText;
  /** What each unit moved at: `quantity × unitCost` is the value the document says moved. */
  unitCost: DecText;
  averageBefore: DecText;
  onHandAfter: DecText;
  averageAfter: DecText;
}

export type InventoryConsignmentType = "RETURN" | "STOCKTAKE" | "OUTLET";

export type InventoryConsignmentStatus =
  | "OPEN"
  | "SENT"
  | "RECEIVED"
  | "CANCELLED"
  | "STOCKTAKE_SCHEDULED"
  | "STOCKTAKE_IN_PROGRESS"
  | "STOCKTAKE_IN_PROGRESS_PROCESSED"
  | "STOCKTAKE_COMPLETE";

export interface ConsignmentProductRec {
  id: string;
  productId: string;
  /** Returns and transfers: the quantity sent. Stocktakes: the expected quantity, set when processed. */
  count: DecText | null;
  /** Transfers: the quantity received. Stocktakes: the quantity counted. Returns: 0. */
  received: DecText | null;
  /** Unit cost: a return's credit price, a transfer's cost at sending, a stocktake's average when processed. */
  cost: DecText | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A supplier return, stocktake or transfer between outlets (API `Consignment` of that type). */
export interface ConsignmentRec {
  id: string;
  type: InventoryConsignmentType;
  status: InventoryConsignmentStatus;
  name: string;
  reference: string | null;
  /** Returns and stocktakes: the outlet. Transfers: the destination. */
  outletId: string;
  /** Transfers only: where the stock comes from. */
  sourceOutletId: string | null;
  supplierId: string | null;
  supplierInvoice: string | null;
  userId: string;
  createdAt: string;
  updatedAt: string;
  dueAt: string | null;
  /** When stock left (a return or transfer marked SENT). */
  sentAt: string | null;
  /** When a transfer was received. */
  receivedAt: string | null;
  /** When a stocktake's counts were processed (expected quantities and costs fixed). */
  processedAt: string | null;
  /** When a stocktake was completed (stock adjusted). */
  completedAt: string | null;
  cancelledAt: string | null;
  products: ConsignmentProductRec[];
  version: number;
}

export type StockAdjustmentReason =
  | "DAMAGE"
  | "EXPIRY"
  | "INTERNAL_USE"
  | "THEFT"
  | "DONATION"
  | "STOCK_FOUND"
  | "SAMPLE_FOR_SALE"
  | "CUSTOM";

export interface StockAdjustmentRec {
  id: string;
  outletId: string;
  productId: string;
  /** Signed quantity text, e.g. "-2". */
  quantity: DecText;
  reason: StockAdjustmentReason;
  customReasonId: string | null;
  userId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /**
   * NOT in the API: the outlet's average cost when the adjustment was recorded, i.e. what the stock
   * moved at. The API only answers the current average (GET /inventory/{product_id}); figures need this.
   */
  unitCost: DecText;
}

export interface CustomReasonRec {
  id: string;
  name: string;
  enabled: boolean;
  type: "POSITIVE" | "NEGATIVE";
  fromExternalSource: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface InventoryState {
  /** Generated days carry inventory activity (the store option `inventory`; see seed/inventory.ts). */
  enabled: boolean;
  /** The inventory's own PRNG stream: inventory never draws from the trading stream. */
  rng: PrngState;
  /**
   * Inventory records' versions come from this counter, in a range of their own: every sale moves
   * stock, and taking versions from the store's counter would renumber every later record.
   */
  versionCounter: number;
  levels: Record<string, StockLevelRec>;
  moves: StockMoveRec[];
  consignments: Record<string, ConsignmentRec>;
  adjustments: Record<string, StockAdjustmentRec>;
  customReasons: Record<string, CustomReasonRec>;
  /** Transfers the generator sent and will receive on a later day. */
  pendingTransfers: { date: string; consignmentId: string }[];
}
