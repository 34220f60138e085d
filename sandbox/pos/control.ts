import { Hono, type Context } from "hono";
import { z } from "zod";
import { inventoryControlRoutes } from "./control-inventory";
import type { PosSandbox } from "./index";
import type { Runtime } from "./runtime";
import { PosSandboxError } from "./store";
import { parseInstant } from "./time";

/**
 * `/_sandbox/...`: the control surface tests and the local demo drive the sandbox with. Never part of
 * the POS's API. Bodies are JSON and validated; answers are JSON.
 */

const Amount = z.union([z.string(), z.number()]);
const At = z.string().optional();
const Payment = z.object({
  paymentTypeId: z.string(),
  amount: Amount.optional(),
  giftCardNumber: z.string().optional(),
  tip: Amount.optional(),
  surchargePercent: Amount.optional(),
  surchargeRule: z.string().optional(),
  nonCashFeePercent: Amount.optional(),
});

const Line = z.object({
  productId: z.string(),
  quantity: Amount.optional(),
  unitPrice: Amount.optional(),
  discount: Amount.optional(),
  discountPercent: Amount.optional(),
  giftCardNumber: z.string().optional(),
  voided: z.boolean().optional(),
});

const SaleBody = z.object({
  registerId: z.string(),
  at: At,
  customerId: z.string().nullable().optional(),
  kind: z.enum(["regular", "onaccount", "layby", "parked"]).optional(),
  note: z.string().optional(),
  userId: z.string().optional(),
  lines: z.array(Line).min(1),
  saleDiscountPercent: Amount.optional(),
  payments: z.array(Payment).optional(),
  customCharges: z
    .array(
      z.object({
        name: z.string().min(1),
        amount: Amount,
        sourceId: z.string().optional(),
        taxId: z.string().optional(),
      }),
    )
    .optional(),
  ecommerceOrderId: z.string().optional(),
  omitSequenceId: z.boolean().optional(),
});

const ReturnBody = z.object({
  registerId: z.string(),
  at: At,
  lines: z.array(z.object({ lineId: z.string(), quantity: Amount.optional() })).optional(),
  refunds: z.array(Payment).optional(),
  onAccount: z.boolean().optional(),
  newLines: z.array(Line).optional(),
  note: z.string().optional(),
});

const CancelLaybyBody = z.object({
  registerId: z.string(),
  at: At,
  refunds: z.array(Payment).optional(),
  keepAsStoreCredit: z.boolean().optional(),
});

const PaymentTypeBody = z.object({
  name: z.string().min(1),
  kind: z
    .enum(["cash", "card", "integrated", "gift_card", "store_credit", "on_account", "loyalty", "other"])
    .optional(),
  typeId: z.number().int().positive().optional(),
  at: At,
});
const TaxBody = z.object({
  name: z.string().min(1),
  rates: z.array(z.object({ name: z.string().min(1), rate: Amount })).min(1),
});
const CategoryBody = z.object({ name: z.string().min(1), parentId: z.string().nullable().optional() });
const ProductBody = z.object({
  name: z.string().min(1),
  sku: z.string().optional(),
  price: Amount,
  supplyPrice: Amount.optional(),
  categoryId: z.string().nullable().optional(),
  taxId: z.string().optional(),
  supplierId: z.string().nullable().optional(),
  at: At,
});
const OutletBody = z.object({
  name: z.string().min(1),
  city: z.string().optional(),
  registers: z.array(z.string().min(1)).optional(),
});
const RegisterBody = z.object({ outletId: z.string(), name: z.string().min(1), invoicePrefix: z.string().optional() });

const AccountPaymentBody = z.object({ registerId: z.string(), at: At, payments: z.array(Payment).min(1) });

const Charge = z.object({ type: z.string().min(1), amount: Amount });
const ReceiveBody = z.object({
  at: At,
  lines: z.array(z.object({ productId: z.string(), quantity: Amount })).optional(),
  costs: z.array(Charge).optional(),
  discounts: z.array(Charge).optional(),
  supplierInvoice: z.string().nullable().optional(),
  final: z.boolean().optional(),
});

const FaultBody = z.object({
  path: z.string().optional(),
  kind: z.enum(["http500", "http429", "malformed", "truncated"]),
  count: z.number().int().positive().optional(),
});
const ClockBody = z.union([
  z.object({ now: z.string(), frozen: z.boolean().optional() }),
  z.object({ advanceSeconds: z.number() }),
  z.object({ real: z.literal(true) }),
]);

export async function read<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let raw: unknown = {};
  const text = await c.req.text();
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new PosSandboxError(400, "the body is not JSON");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new PosSandboxError(
      400,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

export function controlRoutes(sb: PosSandbox, rt: Runtime) {
  const app = new Hono();
  const p = (c: Context) => c.req.param("prefix") ?? "";

  app.get("/stores", (c) =>
    c.json(
      sb.prefixes().map((prefix) => {
        const s = sb.store(prefix);
        return {
          prefix,
          name: s.retailer.name,
          country: s.retailer.country,
          currency: s.retailer.currency,
          taxInclusive: !s.retailer.taxExclusive,
          activity: s.config.activity ?? "classic",
          inventory: s.inventory.enabled,
          apiBase: `${rt.baseUrl}/${prefix}/api/2026-07`,
          outlets: Object.values(s.outlets).map((o) => ({ id: o.id, name: o.name, timeZone: o.timeZone })),
          registers: Object.values(s.registers).map((r) => ({
            id: r.id,
            name: r.name,
            outletId: r.outletId,
            isOpen: r.isOpen,
          })),
          paymentTypes: Object.values(s.paymentTypes).map((t) => ({
            id: t.id,
            name: t.name,
            kind: t.kind,
            deleted: t.deletedAt !== null,
          })),
          nextTradingDate: s.trading.nextDate,
        };
      }),
    ),
  );

  app.get("/:prefix/closures", (c) => c.json(sb.closures(p(c))));
  app.get("/:prefix/closures/:id/figures", (c) => c.json(sb.closureFigures(p(c), c.req.param("id"))));

  app.post("/:prefix/registers/:id/open", async (c) => {
    const b = await read(c, z.object({ at: At }));
    return c.json(sb.openRegister(p(c), c.req.param("id"), b.at));
  });
  app.post("/:prefix/registers/:id/close", async (c) => {
    const b = await read(c, z.object({ counted: z.record(z.string(), Amount.transform(String)).optional(), at: At }));
    return c.json(sb.closeRegister(p(c), c.req.param("id"), b.counted, b.at));
  });

  app.post("/:prefix/sales", async (c) => c.json(sb.addSale(p(c), await read(c, SaleBody)), 201));
  app.post("/:prefix/sales/:id/void", async (c) =>
    c.json(sb.voidSale(p(c), c.req.param("id"), (await read(c, z.object({ at: At }))).at)),
  );
  app.post("/:prefix/sales/:id/return", async (c) =>
    c.json(sb.returnSale(p(c), c.req.param("id"), await read(c, ReturnBody)), 201),
  );
  app.post("/:prefix/sales/:id/payments", async (c) =>
    c.json(sb.payOnAccount(p(c), c.req.param("id"), await read(c, AccountPaymentBody))),
  );
  // SPEC §4: a layby cancelled, a line of a pending sale voided, the LS Pay transaction behind a payment
  app.post("/:prefix/sales/:id/cancel_layby", async (c) =>
    c.json(sb.cancelLayby(p(c), c.req.param("id"), await read(c, CancelLaybyBody))),
  );
  app.post("/:prefix/sales/:id/lines/:lineId/void", async (c) =>
    c.json(sb.voidLine(p(c), c.req.param("id"), c.req.param("lineId"), (await read(c, z.object({ at: At }))).at)),
  );
  app.get("/:prefix/lspay_transactions/:id", (c) => c.json(sb.lspayTransaction(p(c), c.req.param("id"))));

  // reference data a merchant adds after connecting
  app.post("/:prefix/payment_types", async (c) => {
    const { at, ...spec } = await read(c, PaymentTypeBody);
    return c.json(sb.addPaymentType(p(c), spec, at), 201);
  });
  app.post("/:prefix/taxes", async (c) => c.json(sb.addTax(p(c), await read(c, TaxBody)), 201));
  app.post("/:prefix/categories", async (c) => c.json(sb.addCategory(p(c), await read(c, CategoryBody)), 201));
  app.post("/:prefix/products", async (c) => {
    const { at, ...spec } = await read(c, ProductBody);
    return c.json(sb.addProduct(p(c), spec, at), 201);
  });
  app.post("/:prefix/outlets", async (c) => c.json(sb.addOutlet(p(c), await read(c, OutletBody)), 201));
  app.post("/:prefix/registers", async (c) => c.json(sb.addRegister(p(c), await read(c, RegisterBody)), 201));

  app.post("/:prefix/purchase_orders/:id/receive", async (c) =>
    c.json(sb.receivePurchaseOrder(p(c), c.req.param("id"), await read(c, ReceiveBody)), 201),
  );
  app.post("/:prefix/gift_cards/:number/expire", async (c) =>
    c.json(sb.expireGiftCard(p(c), c.req.param("number"), (await read(c, z.object({ at: At }))).at)),
  );
  app.post("/:prefix/customers/:id/store_credit", async (c) => {
    const b = await read(c, z.object({ amount: Amount.transform(String), notes: z.string().optional(), at: At }));
    return c.json(sb.issueStoreCredit(p(c), c.req.param("id"), b.amount, b.notes, b.at), 201);
  });

  app.post("/:prefix/advance_day", async (c) => {
    const b = await read(c, z.object({ days: z.number().int().positive().max(366).optional() }));
    sb.advanceDay(p(c), b.days ?? 1);
    return c.json({ nextTradingDate: sb.store(p(c)).trading.nextDate });
  });
  app.post("/:prefix/revoke", async (c) =>
    c.json({ revoked: sb.revokeGrants(p(c), (await read(c, z.object({ clientId: z.string().optional() }))).clientId) }),
  );
  app.post("/:prefix/rate_limit", async (c) => {
    const b = await read(c, z.object({ limit: z.number().int().positive().nullable() }));
    sb.setRateLimit(p(c), b.limit);
    return c.json({ limit: rt.rateLimit(sb.store(p(c))) });
  });

  app.get("/faults", (c) => c.json(rt.faults));
  app.post("/faults", async (c) => {
    sb.injectFault(await read(c, FaultBody));
    return c.json(rt.faults, 201);
  });
  app.delete("/faults", (c) => {
    sb.clearFaults();
    return c.json([]);
  });

  app.get("/clock", (c) => c.json({ now: sb.now().toISOString() }));
  app.post("/clock", async (c) => {
    const b = await read(c, ClockBody);
    if ("real" in b) sb.setClock(() => new Date());
    else if ("advanceSeconds" in b) {
      const base = sb.now().getTime() + b.advanceSeconds * 1000;
      const setAt = Date.now();
      sb.setClock(() => new Date(base + (Date.now() - setAt)));
    } else {
      const base = parseInstant(b.now).getTime();
      const setAt = Date.now();
      sb.setClock(b.frozen ? () => new Date(base) : () => new Date(base + (Date.now() - setAt)));
    }
    return c.json({ now: sb.now().toISOString() });
  });

  app.get("/webhooks/deliveries", (c) => c.json(sb.webhookDeliveries()));
  app.post("/webhooks/drop_next", async (c) => {
    sb.dropNextWebhooks((await read(c, z.object({ count: z.number().int().positive().optional() }))).count ?? 1);
    return c.json({ dropNext: rt.webhooks.dropNext });
  });
  app.post("/webhooks/flush", async (c) => {
    await sb.flushWebhooks();
    return c.json({ ok: true });
  });

  app.post("/reset", (c) => {
    sb.reset();
    return c.json({ ok: true });
  });
  app.route("/", inventoryControlRoutes(sb, rt));
  app.get("/state", (c) => c.body(sb.exportState(), 200, { "content-type": "application/json" }));
  app.put("/state", async (c) => {
    sb.importState(await c.req.text());
    return c.json({ ok: true });
  });

  return app;
}
