import {
  customReasonJson,
  inventoryConsignmentJson,
  inventoryJson,
  stockAdjustmentJson,
} from "./api/serialize-inventory";
import {
  adjustmentFigures,
  closureCogs,
  inventoryRollForward,
  inventoryValue,
  revaluations,
  saleCogs,
  stocktakeFigures,
  supplierReturnFigures,
  transferFigures,
} from "./inventory-figures";
import { createCustomReason, type NewStockAdjustment, recordAdjustment } from "./ops/adjustments";
import {
  cancelConsignment,
  completeStocktake,
  createSupplierReturn,
  createTransfer,
  inventoryConsignment,
  type NewStocktake,
  type NewSupplierReturn,
  type NewTransfer,
  receiveTransfer,
  runStocktake,
  sendConsignment,
} from "./ops/consignments";
import { levelOf } from "./ops/stock";
import type { Runtime } from "./runtime";
import { parseInstant } from "./time";

/**
 * `sb.inventory.*`: the direct methods tests and the local demo drive inventory with (the same
 * operations the generator uses, announced to webhooks like the POS does: `consignment.send`,
 * `consignment.receive`, `inventory.update`), and the POS's own inventory figures (inventory-figures.ts).
 * Answers are the API's JSON shapes. Times default to the sandbox clock.
 */

type ConsignmentJson = ReturnType<typeof inventoryConsignmentJson>;
type At = string | undefined;
export type StocktakeSpec = NewStocktake & {
  counts: { productId: string; counted: string | number }[];
  complete?: boolean | undefined;
};

export interface InventorySandbox {
  createSupplierReturn(prefix: string, spec: NewSupplierReturn & { send?: boolean | undefined }): ConsignmentJson;
  createTransfer(prefix: string, spec: NewTransfer & { send?: boolean | undefined }): ConsignmentJson;
  sendConsignment(prefix: string, id: string, at?: At): ConsignmentJson;
  cancelConsignment(prefix: string, id: string, at?: At): ConsignmentJson;
  receiveTransfer(
    prefix: string,
    id: string,
    spec?: { at?: At; lines?: { productId: string; quantity: string | number }[] | undefined },
  ): ConsignmentJson;
  /** Schedules, counts, processes and (unless `complete: false`) completes a stocktake at `at`. */
  runStocktake(prefix: string, spec: StocktakeSpec): ConsignmentJson;
  completeStocktake(prefix: string, id: string, at?: At): ConsignmentJson;
  recordAdjustment(prefix: string, spec: NewStockAdjustment): ReturnType<typeof stockAdjustmentJson>;
  createCustomReason(
    prefix: string,
    spec: { name: string; type: "POSITIVE" | "NEGATIVE"; enabled?: boolean | undefined },
  ): ReturnType<typeof customReasonJson>;
  /** The product's `Inventory` record at the outlet, as GET /inventory/{product_id} shows it now. */
  level(prefix: string, productId: string, outletId: string): ReturnType<typeof inventoryJson>;
  closureCogs(prefix: string, closureId: string): ReturnType<typeof closureCogs>;
  saleCogs(prefix: string, saleId: string): ReturnType<typeof saleCogs>;
  supplierReturnFigures(prefix: string, id: string): ReturnType<typeof supplierReturnFigures>;
  stocktakeFigures(prefix: string, id: string): ReturnType<typeof stocktakeFigures>;
  transferFigures(prefix: string, id: string): ReturnType<typeof transferFigures>;
  adjustmentFigures(prefix: string, from?: At, to?: At): ReturnType<typeof adjustmentFigures>;
  value(prefix: string, at: string): ReturnType<typeof inventoryValue>;
  rollForward(prefix: string, from: string, to: string): ReturnType<typeof inventoryRollForward>;
  revaluations(prefix: string, from: string, to: string): ReturnType<typeof revaluations>;
}

export function inventorySandbox(rt: Runtime): InventorySandbox {
  const json = inventoryConsignmentJson;
  return {
    createSupplierReturn: (prefix, spec) => {
      const c = createSupplierReturn(rt.ctx(prefix), spec);
      return json(spec.send ? sendConsignment(rt.ctx(prefix), c.id, spec.at) : c);
    },
    createTransfer: (prefix, spec) => {
      const c = createTransfer(rt.ctx(prefix), spec);
      return json(spec.send ? sendConsignment(rt.ctx(prefix), c.id, spec.at) : c);
    },
    sendConsignment: (prefix, id, at) => json(sendConsignment(rt.ctx(prefix), id, at)),
    cancelConsignment: (prefix, id, at) => json(cancelConsignment(rt.ctx(prefix), id, at)),
    receiveTransfer: (prefix, id, spec) => json(receiveTransfer(rt.ctx(prefix), id, spec)),
    runStocktake: (prefix, spec) => json(runStocktake(rt.ctx(prefix), spec)),
    completeStocktake: (prefix, id, at) => json(completeStocktake(rt.ctx(prefix), id, at)),
    recordAdjustment: (prefix, spec) => stockAdjustmentJson(recordAdjustment(rt.ctx(prefix), spec)),
    createCustomReason: (prefix, spec) =>
      customReasonJson(
        createCustomReason(rt.ctx(prefix), {
          name: spec.name,
          type: spec.type,
          enabled: spec.enabled ?? true,
          fromExternalSource: false,
        }),
      ),
    level: (prefix, productId, outletId) => inventoryJson(levelOf(rt.store(prefix), productId, outletId)),
    closureCogs: (prefix, id) => closureCogs(rt.store(prefix), id),
    saleCogs: (prefix, id) => saleCogs(rt.store(prefix), id),
    supplierReturnFigures: (prefix, id) => supplierReturnFigures(rt.store(prefix), id),
    stocktakeFigures: (prefix, id) => stocktakeFigures(rt.store(prefix), id),
    transferFigures: (prefix, id) => transferFigures(rt.store(prefix), id),
    adjustmentFigures: (prefix, from, to) =>
      adjustmentFigures(rt.store(prefix), from && parseInstant(from), to && parseInstant(to)),
    value: (prefix, at) => inventoryValue(rt.store(prefix), parseInstant(at)),
    rollForward: (prefix, from, to) => inventoryRollForward(rt.store(prefix), parseInstant(from), parseInstant(to)),
    revaluations: (prefix, from, to) => revaluations(rt.store(prefix), parseInstant(from), parseInstant(to)),
  };
}

/** The figures of any inventory consignment, by its type. */
export function consignmentFigures(rt: Runtime, prefix: string, id: string) {
  const store = rt.store(prefix);
  const c = inventoryConsignment(store, id);
  if (c.type === "RETURN") return supplierReturnFigures(store, id);
  if (c.type === "STOCKTAKE") return stocktakeFigures(store, id);
  return transferFigures(store, id);
}
