import { Hono, type Context } from "hono";
import { z } from "zod";
import { read } from "./control";
import type { PosSandbox } from "./index";
import { consignmentFigures } from "./inventory-sandbox";
import type { Runtime } from "./runtime";
import { PosSandboxError } from "./store";

/**
 * `/_sandbox/<prefix>/...` for inventory (never part of the POS): supplier returns, transfers,
 * stocktakes and stock adjustments as the back office makes them, and the POS's inventory figures
 * (inventory-figures.ts). Bodies are JSON and validated; answers are the API's JSON shapes.
 */

const Amount = z.union([z.string(), z.number()]);
const At = z.string().optional();
const Lines = z.array(z.object({ productId: z.string(), quantity: Amount })).min(1);
const REASONS = [
  "DAMAGE",
  "EXPIRY",
  "INTERNAL_USE",
  "THEFT",
  "DONATION",
  "STOCK_FOUND",
  "SAMPLE_FOR_SALE",
  "CUSTOM",
] as const;

const ReturnBody = z.object({
  supplierId: z.string(),
  outletId: z.string(),
  at: At,
  name: z.string().optional(),
  lines: z.array(z.object({ productId: z.string(), quantity: Amount, cost: Amount.optional() })).min(1),
  send: z.boolean().optional(),
});
const TransferBody = z.object({
  sourceOutletId: z.string(),
  outletId: z.string(),
  at: At,
  name: z.string().optional(),
  dueAt: z.string().optional(),
  lines: Lines,
  send: z.boolean().optional(),
});
const StocktakeBody = z.object({
  outletId: z.string(),
  at: At,
  name: z.string().optional(),
  productIds: z.array(z.string()).optional(),
  counts: z.array(z.object({ productId: z.string(), counted: Amount })),
  complete: z.boolean().optional(),
});
const AdjustmentBody = z.object({
  outletId: z.string(),
  productId: z.string(),
  quantity: Amount,
  reason: z.enum(REASONS),
  customReasonId: z.string().optional(),
  at: At,
});
const AtBody = z.object({ at: At });

function query(c: Context, name: string): string {
  const v = c.req.query(name);
  if (!v) throw new PosSandboxError(400, `the query needs ${name}=<ISO instant>`);
  return v;
}

export function inventoryControlRoutes(sb: PosSandbox, rt: Runtime) {
  const app = new Hono();
  const p = (c: Context) => c.req.param("prefix") ?? "";
  const inv = sb.inventory;

  app.post("/:prefix/supplier_returns", async (c) =>
    c.json(inv.createSupplierReturn(p(c), await read(c, ReturnBody)), 201),
  );
  app.post("/:prefix/transfers", async (c) => c.json(inv.createTransfer(p(c), await read(c, TransferBody)), 201));
  app.post("/:prefix/consignments/:id/send", async (c) =>
    c.json(inv.sendConsignment(p(c), c.req.param("id"), (await read(c, AtBody)).at)),
  );
  app.post("/:prefix/consignments/:id/cancel", async (c) =>
    c.json(inv.cancelConsignment(p(c), c.req.param("id"), (await read(c, AtBody)).at)),
  );
  app.post("/:prefix/consignments/:id/receive", async (c) =>
    c.json(inv.receiveTransfer(p(c), c.req.param("id"), await read(c, z.object({ at: At, lines: Lines.optional() })))),
  );
  app.post("/:prefix/stocktakes", async (c) => c.json(inv.runStocktake(p(c), await read(c, StocktakeBody)), 201));
  app.post("/:prefix/stocktakes/:id/complete", async (c) =>
    c.json(inv.completeStocktake(p(c), c.req.param("id"), (await read(c, AtBody)).at)),
  );
  app.post("/:prefix/stock_adjustments", async (c) =>
    c.json(inv.recordAdjustment(p(c), await read(c, AdjustmentBody)), 201),
  );

  app.get("/:prefix/inventory/value", (c) => c.json(inv.value(p(c), query(c, "at"))));
  app.get("/:prefix/inventory/roll_forward", (c) => c.json(inv.rollForward(p(c), query(c, "from"), query(c, "to"))));
  app.get("/:prefix/inventory/revaluations", (c) => c.json(inv.revaluations(p(c), query(c, "from"), query(c, "to"))));
  app.get("/:prefix/closures/:id/cogs", (c) => c.json(inv.closureCogs(p(c), c.req.param("id"))));
  app.get("/:prefix/sales/:id/cogs", (c) => c.json(inv.saleCogs(p(c), c.req.param("id"))));
  app.get("/:prefix/consignments/:id/figures", (c) => c.json(consignmentFigures(rt, p(c), c.req.param("id"))));
  app.get("/:prefix/stock_adjustments/figures", (c) =>
    c.json(inv.adjustmentFigures(p(c), c.req.query("from") || undefined, c.req.query("to") || undefined)),
  );
  return app;
}
