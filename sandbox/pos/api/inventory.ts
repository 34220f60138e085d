import { type Context, Hono } from "hono";
import { z } from "zod";
import type { StockLevelRec } from "../inventory-types";
import { checkAdjustment, createCustomReason, recordAdjustment, updateCustomReason } from "../ops/adjustments";
import { tracksInventory } from "../ops/stock";
import type { Runtime } from "../runtime";
import { must, PosSandboxError, type Ctx } from "../store";
import type { ApiEnv } from "./index";
import { pageSize, versionPage } from "./paging";
import { customReasonJson, inventoryJson, stockAdjustmentJson } from "./serialize-inventory";

/**
 * Inventory (2026-07): `POST /inventory` (the list: its filters are a JSON body) and
 * `GET /inventory/{product_id}`, both answering a bare array of `Inventory` records as the spec's
 * schemas say; `/stock_adjustments` (list, batch create) and `/custom_inventory_adjustment_reasons`
 * (list, create, update). Page sizes are the spec's: inventory 1000 (max 5000), stock adjustments
 * 100 (max 1000), custom reasons 100 (max 100).
 */

const Int = z.number().int().nonnegative();
const InventoryRequest = z.object({
  after: Int.optional(),
  before: Int.optional(),
  include_deleted: z.boolean().optional(),
  product_id: z.string().uuid().optional(),
  size: z.number().int().positive().max(5000).optional(),
  sort_direction: z.enum(["asc", "desc"]).optional(),
  variants: z.boolean().optional(),
});

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
const Id = z.string().min(1).max(36);
const CreateStockAdjustments = z.strictObject({
  stock_adjustments: z
    .array(
      z.strictObject({
        custom_inventory_adjustment_reason_id: Id.optional(),
        outlet_id: Id,
        product_id: Id,
        quantity: z
          .string()
          .max(32)
          .regex(/^[+-]?\d+(\.\d+)?$/, "a numeric string"),
        reason: z.enum(REASONS),
      }),
    )
    .min(1)
    .max(1000),
});
const CreateReason = z.object({
  name: z.string().max(30),
  enabled: z.boolean(),
  type: z.enum(["POSITIVE", "NEGATIVE"]),
});
const UpdateReason = z.object({ name: z.string().max(30).optional(), enabled: z.boolean().optional() });

async function body<S extends z.ZodType>(c: Context, schema: S, optional = false): Promise<z.output<S>> {
  const raw = await c.req.text();
  let parsed: unknown = {};
  if (raw.trim() || !optional) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new PosSandboxError(400, "the body is not JSON");
    }
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new PosSandboxError(
      400,
      result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "),
    );
  return result.data;
}

function intQuery(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new PosSandboxError(400, `${name} must be a non-negative integer`);
  return Number(value);
}

/** Levels of tracked products between the version bounds, sorted by version, at most `size`. */
function levelPage(
  levels: StockLevelRec[],
  o: { after?: number | undefined; before?: number | undefined; size: number; direction: "asc" | "desc" },
) {
  const sign = o.direction === "asc" ? 1 : -1;
  return levels
    .filter((l) => l.version > (o.after ?? 0) && (o.before === undefined || l.version < o.before))
    .sort((a, b) => sign * (a.version - b.version))
    .slice(0, o.size)
    .map(inventoryJson);
}

export function inventoryRoutes(rt: Runtime) {
  const app = new Hono<ApiEnv>();
  const opCtx = (c: Context<ApiEnv>): Ctx => rt.ctx(c.get("store").prefix);

  app.post("/inventory", async (c) => {
    const store = c.get("store");
    const q = await body(c, InventoryRequest, true);
    const levels = Object.values(store.inventory.levels).filter(
      (l) => tracksInventory(store.products[l.productId]) && (!q.product_id || l.productId === q.product_id),
    );
    return c.json(
      levelPage(levels, {
        after: q.after,
        before: q.before,
        size: q.size ?? 1000,
        direction: q.sort_direction ?? "desc",
      }),
    );
  });

  app.get("/inventory/:product_id", (c) => {
    const store = c.get("store");
    const product = must(store.products[c.req.param("product_id")], "product");
    const q = c.req.query();
    if (q.order_direction && q.order_direction !== "asc" && q.order_direction !== "desc")
      throw new PosSandboxError(400, "order_direction is asc or desc");
    const levels = Object.values(store.inventory.levels).filter(
      (l) => l.productId === product.id && tracksInventory(product),
    );
    return c.json(
      levelPage(levels, {
        after: intQuery("after", q.after),
        before: intQuery("before", q.before),
        size: pageSize(q.page_size, 1000, 5000),
        direction: q.order_direction === "desc" ? "desc" : "asc",
      }),
    );
  });

  app.get("/stock_adjustments", (c) => {
    const page = versionPage(Object.values(c.get("store").inventory.adjustments), (a) => a.version, c.req.query(), {
      def: 100,
      max: 1000,
    });
    return c.json({ data: page.data.map(stockAdjustmentJson), version: page.version });
  });

  // A batch is all or nothing: every item is checked before any is recorded.
  app.post("/stock_adjustments", async (c) => {
    const ctx = opCtx(c);
    const items = (await body(c, CreateStockAdjustments)).stock_adjustments.map((i) => ({
      outletId: i.outlet_id,
      productId: i.product_id,
      quantity: i.quantity,
      reason: i.reason,
      customReasonId: i.custom_inventory_adjustment_reason_id ?? null,
    }));
    for (const item of items) {
      try {
        checkAdjustment(ctx.store, item);
      } catch (e) {
        // an unknown outlet or product in a batch is an unprocessable item, not a missing resource
        if (e instanceof PosSandboxError && e.status === 404) throw new PosSandboxError(422, e.message);
        throw e;
      }
    }
    return c.json({ data: items.map((i) => stockAdjustmentJson(recordAdjustment(ctx, i))) }, 201);
  });

  app.get("/custom_inventory_adjustment_reasons", (c) => {
    const page = versionPage(Object.values(c.get("store").inventory.customReasons), (r) => r.version, c.req.query(), {
      def: 100,
      max: 100,
    });
    return c.json({ data: page.data.map(customReasonJson), version: page.version });
  });

  app.post("/custom_inventory_adjustment_reasons", async (c) => {
    const b = await body(c, CreateReason);
    const rec = createCustomReason(opCtx(c), { ...b, fromExternalSource: true });
    return c.json({ data: customReasonJson(rec) }, 200);
  });

  app.put("/custom_inventory_adjustment_reasons/:id", async (c) => {
    const b = await body(c, UpdateReason);
    return c.json({ data: customReasonJson(updateCustomReason(opCtx(c), c.req.param("id"), b)) });
  });

  return app;
}
