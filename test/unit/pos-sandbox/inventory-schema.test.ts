import { beforeAll, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { tracksInventory } from "../../../sandbox/pos/ops/stock";
import type { StoreState } from "../../../sandbox/pos/types";
import { api, connect } from "../../worker/pos-sandbox/helpers";
import { responseErrors, schemaErrors } from "./openapi-schema";
import { describeWithReference } from "../../support/reference";

/**
 * Every inventory object the sandbox emits, read over its HTTP API, against the OpenAPI 2026-07
 * schemas (openapi-schema.ts): the bodies each path declares, and each item's component schema.
 */

let sb: PosSandbox;
let token: string;
let store: StoreState;

async function call(path: string, init: RequestInit = {}, status = 200): Promise<any> {
  const res = await api(sb, token, path, init);
  const text = await res.text();
  expect(res.status, `${init.method ?? "GET"} ${path}: ${text}`).toBe(status);
  return JSON.parse(text);
}

// Everything here reads ../shared/reference/lightspeed-x-series-openapi.json, which only the workspace has.
describeWithReference(
  "lightspeed-x-series-openapi.json",
  "inventory objects against Lightspeed's OpenAPI 2026-07",
  () => {
    beforeAll(async () => {
      sb = createPosSandbox({
        seed: 42,
        inventory: true,
        autoApprove: true,
        now: () => new Date("2026-11-02T15:00:00Z"),
      });
      store = sb.store("demo");
      token = (await connect(sb)).access_token;
    }, 60_000);

    describe("inventory records", () => {
      it("POST /inventory answers the spec's bare array of Inventory, newest version first, paged by size and after", async () => {
        const all = await call("/inventory", { method: "POST", body: "{}" });
        expect(responseErrors("POST", "/inventory", 200, all)).toEqual([]);
        expect(all).toHaveLength(Object.keys(store.inventory.levels).length);
        const versions = all.map((r: { version: number }) => r.version);
        expect(versions).toEqual([...versions].sort((a, b) => b - a));

        const asc = await call("/inventory", {
          method: "POST",
          body: JSON.stringify({ size: 10, sort_direction: "asc" }),
        });
        expect(asc).toHaveLength(10);
        const next = await call("/inventory", {
          method: "POST",
          body: JSON.stringify({ size: 10, sort_direction: "asc", after: asc[9].version }),
        });
        expect(next[0].version).toBeGreaterThan(asc[9].version);
        expect(next.map((r: { id: string }) => r.id)).toEqual(
          [...all]
            .reverse()
            .slice(10, 20)
            .map((r: { id: string }) => r.id),
        );
        const product = Object.values(store.products).find(tracksInventory)!;
        const one = await call("/inventory", { method: "POST", body: JSON.stringify({ product_id: product.id }) });
        expect(one).toHaveLength(2);
        await call("/inventory", { method: "POST", body: JSON.stringify({ size: 5001 }) }, 400);
        await call("/inventory", { method: "POST", body: JSON.stringify({ product_id: "not-a-uuid" }) }, 400);
      });

      it("GET /inventory/{product_id} answers one record per outlet; none for a product without inventory", async () => {
        const product = Object.values(store.products).find(tracksInventory)!;
        const records = await call(`/inventory/${product.id}`);
        expect(responseErrors("GET", "/inventory/{product_id}", 200, records)).toEqual([]);
        expect(records.map((r: { outlet_id: string }) => r.outlet_id).sort()).toEqual(
          Object.keys(store.outlets).sort(),
        );
        expect(records.every((r: { average_cost: number }) => r.average_cost > 0)).toBe(true);
        const service = Object.values(store.products).find((p) => p.hasInventory === false)!;
        expect(await call(`/inventory/${service.id}`)).toEqual([]);
        expect(await call(`/inventory/${store.retailer.giftCardProductId}`)).toEqual([]);
        await call("/inventory/00000000-0000-4000-8000-000000000000", {}, 404);
        await call("/inventory", {}, 404); // the list is a POST in 2026-07
      });

      it("shows has_inventory false on the service product", async () => {
        const service = Object.values(store.products).find((p) => p.hasInventory === false)!;
        const { data } = await call(`/products/${service.id}`);
        expect(data).toMatchObject({ has_inventory: false, sku: "SRV-900" });
      });
    });

    describe("stock adjustments and custom reasons", () => {
      it("lists adjustments in the StockAdjustment shape (the custom reason id only on CUSTOM), 100 a page", async () => {
        const page = await call("/stock_adjustments");
        expect(responseErrors("GET", "/stock_adjustments", 200, page)).toEqual([]);
        expect(page.data.length).toBe(Math.min(100, Object.keys(store.inventory.adjustments).length));
        for (const a of page.data)
          expect("custom_inventory_adjustment_reason_id" in a, a.reason).toBe(a.reason === "CUSTOM");
        const small = await call("/stock_adjustments?page_size=3");
        const rest = await call(`/stock_adjustments?after=${small.version.max}`);
        expect(rest.data.length).toBe(page.data.length - 3);
        const reasons = await call("/custom_inventory_adjustment_reasons");
        expect(responseErrors("GET", "/custom_inventory_adjustment_reasons", 200, reasons)).toEqual([]);
        expect(reasons.data).toHaveLength(2);
      });

      it("creates a batch (all or nothing) and custom reasons, refusing what the spec refuses", async () => {
        const product = Object.values(store.products).find(tracksInventory)!;
        const outlet = Object.keys(store.outlets)[0]!;
        const item = { product_id: product.id, outlet_id: outlet, quantity: "-1", reason: "DAMAGE" };
        const before = Object.keys(store.inventory.adjustments).length;
        const post = (body: unknown, status: number) =>
          call("/stock_adjustments", { method: "POST", body: JSON.stringify(body) }, status);

        await post({ stock_adjustments: [item, { ...item, quantity: "2" }] }, 422);
        await post({ stock_adjustments: [{ ...item, note: "x" }] }, 400);
        await post({ stock_adjustments: [] }, 400);
        await post({ stock_adjustments: [{ ...item, quantity: "one" }] }, 400);
        expect(Object.keys(store.inventory.adjustments)).toHaveLength(before);

        const reason = await call("/custom_inventory_adjustment_reasons", {
          method: "POST",
          body: JSON.stringify({ name: "Vitrine", enabled: true, type: "NEGATIVE" }),
        });
        expect(responseErrors("POST", "/custom_inventory_adjustment_reasons", 200, reason)).toEqual([]);
        expect(reason.data.is_from_external_source).toBe(true);
        await call(
          "/custom_inventory_adjustment_reasons",
          { method: "POST", body: JSON.stringify({ name: "vitrine", enabled: true, type: "NEGATIVE" }) },
          409,
        );
        const created = await post(
          {
            stock_adjustments: [
              item,
              { ...item, reason: "CUSTOM", custom_inventory_adjustment_reason_id: reason.data.id, quantity: "-2" },
            ],
          },
          201,
        );
        expect(responseErrors("POST", "/stock_adjustments", 201, created)).toEqual([]);
        expect(created.data.map((a: { reason: string }) => a.reason)).toEqual(["DAMAGE", "CUSTOM"]);
        const updated = await call(`/custom_inventory_adjustment_reasons/${reason.data.id}`, {
          method: "PUT",
          body: JSON.stringify({ enabled: false }),
        });
        expect(responseErrors("PUT", "/custom_inventory_adjustment_reasons/{custom_reason_id}", 200, updated)).toEqual(
          [],
        );
        expect(updated.data.version).toBeGreaterThan(reason.data.version);
        await post(
          { stock_adjustments: [{ ...item, reason: "CUSTOM", custom_inventory_adjustment_reason_id: reason.data.id }] },
          422,
        );
      });
    });

    describe("consignments of every type", () => {
      it("lists and answers each in the Consignment shape, with products and totals in theirs", async () => {
        const list = await call("/consignments?page_size=10000");
        expect(responseErrors("GET", "/consignments", 200, list)).toEqual([]);
        const types = new Set(list.data.map((c: { type: string }) => c.type));
        expect(types).toEqual(new Set(["SUPPLIER", "RETURN", "STOCKTAKE", "OUTLET"]));
        for (const c of list.data) {
          const one = await call(`/consignments/${c.id}`);
          expect(responseErrors("GET", "/consignments/{consignment_id}", 200, one), c.type).toEqual([]);
          const products = await call(`/consignments/${c.id}/products`);
          for (const p of products.data) expect(schemaErrors("ConsignmentProduct", p), c.type).toEqual([]);
          if (c.type === "STOCKTAKE") {
            await call(`/consignments/${c.id}/totals`, {}, 400);
            continue;
          }
          const totals = await call(`/consignments/${c.id}/totals`);
          expect(responseErrors("GET", "/consignments/{consignment_id}/totals", 200, totals), c.type).toEqual([]);
        }
        const returns = await call("/consignments?type=RETURN&status=SENT");
        expect(returns.data.length).toBeGreaterThan(0);
        expect(
          returns.data.every((c: { type: string; status: string }) => c.type === "RETURN" && c.status === "SENT"),
        ).toBe(true);
        const quebec = Object.values(store.outlets)[1]!.id;
        const inbound = await call(`/consignments?type=OUTLET&outlet_id=${quebec}`);
        expect(inbound.data.length).toBeGreaterThan(0);
      });

      it("gives every sale line its cost in the LineItemResponsePricing shape", async () => {
        const { data } = await call("/sales?page_size=200");
        for (const sale of data)
          for (const line of sale.line_items) expect(schemaErrors("LineItemResponsePricing", line.pricing)).toEqual([]);
      });
    });

    describe("the schema checker", () => {
      it("catches an invented field, a wrong type, a null, a bad enum, a missing required field and a bad uuid", () => {
        const good = {
          id: "5e1f0c2a-9d3e-4a5b-8c7d-0123456789ab",
          user_id: "5e1f0c2a-9d3e-4a5b-8c7d-0123456789ab",
          product_id: "5e1f0c2a-9d3e-4a5b-8c7d-0123456789ab",
          outlet_id: "5e1f0c2a-9d3e-4a5b-8c7d-0123456789ab",
          quantity: "-1",
          reason: "DAMAGE",
          created_at: "2026-10-01T14:00:00Z",
          updated_at: "2026-10-01T14:00:00Z",
          version: 3,
        };
        expect(schemaErrors("StockAdjustment", good)).toEqual([]);
        const bad = (patch: Record<string, unknown>) => schemaErrors("StockAdjustment", { ...good, ...patch });
        expect(bad({ cost: 9.5 })).toEqual(["StockAdjustment.cost: not declared by the schema"]);
        expect(bad({ quantity: -1 })[0]).toMatch(/quantity: -1 is not a string/);
        expect(bad({ reason: "LOST" })[0]).toMatch(/is not one of/);
        expect(bad({ reason: null })[0]).toMatch(/null is not allowed/);
        expect(bad({ outlet_id: "x" })[0]).toMatch(/is not a uuid/);
        const { version: _, ...missing } = good;
        expect(schemaErrors("StockAdjustment", missing)).toEqual(["StockAdjustment.version: required, missing"]);
        expect(schemaErrors("Inventory", { average_cost: null, version: 1.5 })).toEqual([
          "Inventory.version: 1.5 is not an integer",
        ]);
      });
    });
  },
);
