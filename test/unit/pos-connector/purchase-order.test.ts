import { describe, expect, it } from "vitest";
import { PurchaseOrderReceipt } from "../../../shared/domain/pos";
import { toConsignmentReceipt, toPurchaseOrderReceipts } from "../../../worker/pos/mappers/purchase-order";
import { IDS, products } from "./fixtures";

const supplier = { id: "sup-1", name: "Peak", companyName: "Peak Ltd", firstName: null, lastName: null, email: null };
const outlet = { id: IDS.outlet, name: "Main", timeZone: "America/Toronto", currency: "CAD" };
const poCtx = { supplier, outlet, product: (id: string) => products.find((p) => p.id === id) };

const po = {
  id: "po-1",
  version: 900,
  user_id: "u",
  order_number: "PO-0042",
  notes: null,
  delivery_outlet_id: IDS.outlet,
  allocation_outlet_ids: [],
  supplier_id: "sup-1",
  supplier_invoice: "INV-77",
  status: "PARTIALLY_RECEIVED",
  due_at: null,
  cost_price_total: "250.00",
  quantity_total: "30",
  created_at: "2026-10-01T12:00:00Z",
  updated_at: "2026-11-02T12:00:00Z",
  costs: [
    { id: "c1", purchase_order_delivery_id: "d1", type: "SHIPPING", amount: "15.00", created_at: "x", updated_at: "x" },
    { id: "c2", purchase_order_delivery_id: "d2", type: "DUTIES", amount: "7.25", created_at: "x", updated_at: "x" },
    { id: "c3", purchase_order_delivery_id: "d2", type: "INSURANCE", amount: "3.00", created_at: "x", updated_at: "x" },
  ],
  discounts: [
    { id: "x1", purchase_order_delivery_id: "d1", type: "DISCOUNT", amount: "5.00", created_at: "x", updated_at: "x" },
  ],
};
const delivery = (id: string, receivedAt: string | null, over: Record<string, unknown> = {}) => ({
  id,
  version: id === "d1" ? 901 : 905,
  purchase_order_id: "po-1",
  outlet_id: IDS.outlet,
  user_id: "u",
  notes: null,
  status: receivedAt ? "RECEIVED" : "OPEN",
  due_at: null,
  received_at: receivedAt,
  invoice_date: null,
  supplier_invoice: id === "d2" ? "INV-78" : null,
  cost_price_total: null,
  received_quantity_total: "0",
  created_at: "x",
  updated_at: "x",
  ...over,
});
const dl = (id: string, product: string, received: string, cost: string | null) => ({
  id,
  version: 1,
  purchase_order_delivery_id: "d",
  purchase_order_line_item_id: `pol-${product}`,
  product_id: product,
  expected_quantity: "10",
  received_quantity: received,
  cost_price: cost,
  allocations: [],
  created_at: "x",
  updated_at: "x",
});

describe("toPurchaseOrderReceipts (2026-07 purchase orders)", () => {
  const receipts = toPurchaseOrderReceipts(
    po,
    [
      { delivery: delivery("d2", "2026-11-02T15:00:00Z"), lines: [dl("l3", IDS.shirt, "4", "8.00")] },
      {
        delivery: delivery("d1", "2026-10-20T15:00:00Z"),
        lines: [
          dl("l1", IDS.shirt, "6", "8.00"),
          dl("l2", IDS.mug, "10", "3.33333"),
          dl("l0", IDS.mug, "0", "3.33333"),
        ],
      },
      { delivery: delivery("d3", null), lines: [dl("l9", IDS.shirt, "5", "8.00")] },
    ],
    poCtx,
  );

  it("makes one receipt per received delivery, oldest first, with only what it received", () => {
    for (const r of receipts) expect(PurchaseOrderReceipt.parse(r)).toEqual(r);
    expect(receipts.map((r) => [r.deliveryId, r.version])).toEqual([
      ["d1", "901"],
      ["d2", "905"],
    ]);
    expect(receipts[0]!.lines.map((l) => [l.productName, l.receivedQuantity, l.unitCost, l.totalMinor])).toEqual([
      ["Chemise à carreaux — Érable 🍁", "6", "8", 4800],
      ["Mug", "10", "3.33333", 3333],
    ]);
    expect(receipts[0]!.linesTotalMinor).toBe(8133);
    expect(receipts[1]!.lines.map((l) => l.totalMinor)).toEqual([3200]);
  });

  it("carries each delivery's own costs and discounts (positive), and any type the POS names", () => {
    expect(receipts[0]!.costs).toEqual([{ type: "SHIPPING", amountMinor: 1500 }]);
    expect(receipts[0]!.discounts).toEqual([{ type: "DISCOUNT", amountMinor: 500 }]);
    expect(receipts[1]!.costs).toEqual([
      { type: "DUTIES", amountMinor: 725 },
      { type: "INSURANCE", amountMinor: 300 },
    ]);
  });

  it("keeps order number, the delivery's supplier invoice (else the order's), and the received time", () => {
    expect(receipts[0]).toMatchObject({
      orderNumber: "PO-0042",
      supplierInvoice: "INV-77",
      receivedAt: "2026-10-20T15:00:00Z",
      timeZone: "America/Toronto",
    });
    expect(receipts[1]!.supplierInvoice).toBe("INV-78");
  });

  it("reconciles lines to the POS's received cost total when it gives one, and refuses one that does not add up", () => {
    const lines = [dl("a", IDS.mug, "3", "3.33333")];
    const [r] = toPurchaseOrderReceipts(
      po,
      [{ delivery: delivery("d1", "2026-10-20T15:00:00Z", { cost_price_total: "10.00" }), lines }],
      poCtx,
    );
    expect(r!.linesTotalMinor).toBe(1000);
    expect(r!.lines[0]!.totalMinor).toBe(1000);
    expect(() =>
      toPurchaseOrderReceipts(
        po,
        [{ delivery: delivery("d1", "2026-10-20T15:00:00Z", { cost_price_total: "12.00" }), lines }],
        poCtx,
      ),
    ).toThrow("purchase order delivery d1: cost_price_total: 12 is not the sum of received quantity × cost (9.99999)");
  });

  it("puts order-level charges (no delivery) on the first received delivery only", () => {
    const withOrderCost = {
      ...po,
      costs: [{ id: "c9", purchase_order_delivery_id: null, type: "shipping", amount: "9.99" }],
      discounts: [],
    };
    const rs = toPurchaseOrderReceipts(
      withOrderCost,
      [
        { delivery: delivery("d1", "2026-10-20T15:00:00Z"), lines: [] },
        { delivery: delivery("d2", "2026-11-02T15:00:00Z"), lines: [] },
      ],
      poCtx,
    );
    expect(rs.map((r) => r.costs)).toEqual([[{ type: "SHIPPING", amountMinor: 999 }], []]);
  });

  it("refuses negative received quantities, missing costs and unknown products, naming the line", () => {
    const one = (line: unknown) => () =>
      toPurchaseOrderReceipts(po, [{ delivery: delivery("d1", "2026-10-20T15:00:00Z"), lines: [line] }], poCtx);
    expect(one(dl("l1", IDS.shirt, "-2", "8"))).toThrow(
      "purchase order delivery d1: line_items[0].received_quantity: negative (-2)",
    );
    expect(one({ ...dl("l1", IDS.shirt, "2", null), purchase_order_line_item_id: null })).toThrow(
      "purchase order delivery d1: line_items[0].cost_price: missing",
    );
    expect(one(dl("l1", "ghost", "2", "8"))).toThrow(
      "purchase order delivery d1: line_items[0].product_id: unknown product ghost",
    );
    expect(() => toPurchaseOrderReceipts({ ...po, version: undefined }, [], poCtx)).toThrow(
      "purchase order po-1: version: missing",
    );
  });

  it("takes a missing delivery cost from the order line", () => {
    const [r] = toPurchaseOrderReceipts(
      po,
      [{ delivery: delivery("d1", "2026-10-20T15:00:00Z"), lines: [dl("l1", IDS.shirt, "2", null)] }],
      poCtx,
      [{ id: `pol-${IDS.shirt}`, product_id: IDS.shirt, quantity: "10", cost_price: "7.50" }],
    );
    expect(r!.lines[0]).toMatchObject({ unitCost: "7.5", totalMinor: 1500 });
  });
});

describe("toConsignmentReceipt (the 2.0 fallback)", () => {
  const consignment = {
    id: "cons-1",
    type: "SUPPLIER",
    status: "RECEIVED",
    outlet_id: IDS.outlet,
    supplier_id: "sup-1",
    name: "Fall order",
    reference: "PO-0007",
    supplier_invoice: "INV-5",
    received_at: "2026-10-05T14:00:00+00:00",
    version: 77,
  };
  it("maps a received supplier consignment's received products at cost", () => {
    const r = toConsignmentReceipt(
      consignment,
      [
        { product_id: IDS.shirt, count: "10.00000", received: "8.00000", cost: "8.00000" },
        { product_id: IDS.mug, count: "5.00000", received: "0.00000", cost: "3.00000" },
      ],
      poCtx,
    )!;
    expect(PurchaseOrderReceipt.parse(r)).toEqual(r);
    expect(r).toMatchObject({
      purchaseOrderId: "cons-1",
      deliveryId: null,
      version: "77",
      orderNumber: "PO-0007",
      supplierInvoice: "INV-5",
      receivedAt: "2026-10-05T14:00:00Z",
      linesTotalMinor: 6400,
      costs: [],
      discounts: [],
    });
    expect(r.lines.map((l) => [l.receivedQuantity, l.totalMinor])).toEqual([["8", 6400]]);
  });

  it("ignores what is not a received supplier order, and refuses negative received counts", () => {
    expect(toConsignmentReceipt({ ...consignment, status: "SENT" }, [], poCtx)).toBeNull();
    expect(toConsignmentReceipt({ ...consignment, type: "OUTLET" }, [], poCtx)).toBeNull();
    expect(() =>
      toConsignmentReceipt(consignment, [{ product_id: IDS.shirt, received: "-1", cost: "8" }], poCtx),
    ).toThrow("consignment cons-1: products[0].received: negative (-1)");
  });
});
