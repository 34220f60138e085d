import { afterEach, describe, expect, it } from "vitest";
import type { MappingsDocument, PreviewResponse, SendResponse } from "../../../shared/api";
import type { z } from "zod";
import type { SavedEntity } from "../../../worker/qbo/client";
import { materialOf, viewOf } from "../../../worker/reports/doc-lines";
import { bookkeeper, docsOfItem, forgetEverything, itemsOf, trade, writesSince } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const preview = (stack: Stack, kind: string, posId: string) =>
  stack.api<PreviewResponse>(`/api/preview?kind=${kind}&posId=${encodeURIComponent(posId)}`);

/** Every line of the line-up ties out (tax_override is information: QBO's own rounding, overridden). */
function expectTiesOut(p: PreviewResponse, lines: string[]): void {
  expect(p.variance.map((v) => v.line)).toEqual(expect.arrayContaining(lines));
  for (const v of p.variance.filter((x) => x.line !== "tax_override"))
    expect(v.diffMinor, `${v.line} ${v.label}`).toBe(0);
}

/** The document QBO holds is the one the preview showed: same entity, number, date, and what goes where. */
async function expectPostedAsPreviewed(
  stack: Stack,
  shown: PreviewResponse["documents"],
  posted: { part: string; entity: string; id: string }[],
  ignore: RegExp = /^$/,
) {
  const client = await bookkeeper(stack);
  expect(posted.map((d) => [d.part, d.entity])).toEqual(shown.map((d) => [d.part, d.entity]));
  for (const d of shown) {
    const doc = await client.read(d.entity, posted.find((p) => p.part === d.part)!.id);
    expect(doc.DocNumber).toBe(d.docNumber);
    const mine = materialOf(viewOf(d.entity, d.body));
    const theirs = materialOf(viewOf(d.entity, doc));
    const keep = (m: typeof mine) => ({ ...m, byRef: m.byRef.filter(([ref]) => !ignore.test(ref)) });
    expect(keep(theirs)).toEqual(keep(mine));
  }
}

describe("preview: the exact QBO documents before they are sent", () => {
  it("shows a closure's and an on-account sale's documents while the books are closed, ties them out, and they post exactly so", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: "2026-12-31" });
    expect((await stack.api("/api/mappings/options?reload=1")).status).toBe(200);
    await trade(stack);
    const [closure] = await itemsOf("closure", "blocked");
    const [sale] = await itemsOf("sale", "blocked");
    expect(closure!.reason_code).toBe("closed_period");
    expect(sale!.reason_code).toBe("closed_period");

    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const c = (await preview(stack, "closure", closure!.pos_id)).body;
    const s = (await preview(stack, "sale", sale!.pos_id)).body;
    expect(writesSince(stack, logFrom)).toEqual([]);

    expect(c).toMatchObject({ kind: "closure", posId: closure!.pos_id, state: "blocked", blockers: [], posted: [] });
    expect(c.documents.map((d) => [d.part, d.entity])).toEqual([
      ["sales", "SalesReceipt"],
      ["payments", "JournalEntry"],
    ]);
    expect(c.txnDate).toBe((c.documents[0]!.body as { TxnDate: string }).TxnDate);
    expectTiesOut(c, ["net_sales", "tax", "payment"]);
    // the summary's total is the receipt's
    const total = c.summary.find((x) => /SalesReceipt total/.test(x.label))!;
    expect(total.amountMinor).toBe(viewOf("SalesReceipt", c.documents[0]!.body).totalMinor);
    // the figures are the POS's own
    const figures = stack.pos.closureFigures(TENANT, closure!.pos_id);
    expect(c.variance.find((v) => v.line === "net_sales")!.posMinor).toBe(figures.sales.netSalesExTaxMinor);

    expect(s).toMatchObject({ kind: "sale", posId: sale!.pos_id, state: "blocked", blockers: [] });
    expect(s.documents.map((d) => d.entity)).toEqual(["Invoice"]);
    expectTiesOut(s, ["invoice_lines", "invoice_tax"]);

    // the books reopen; a click sends them: QBO holds exactly what was previewed
    stack.qbo.setPreferences(stack.realmId, { BookCloseDate: null });
    expect((await stack.api("/api/mappings/options?reload=1")).status).toBe(200);
    for (const [kind, posId] of [
      ["closure", closure!.pos_id],
      ["sale", sale!.pos_id],
    ] as const) {
      expect((await stack.api<z.infer<typeof SendResponse>>("/api/sync/retry", { body: { kind, posId } })).status).toBe(
        200,
      );
    }
    await stack.settle();
    const postedClosure = (await itemsOf("closure")).find((r) => r.pos_id === closure!.pos_id)!;
    const postedSale = (await itemsOf("sale")).find((r) => r.pos_id === sale!.pos_id)!;
    await expectPostedAsPreviewed(stack, c.documents, docsOfItem(postedClosure));
    // the sale's customer is found or created only when it is sent: the preview shows a placeholder
    expect((s.documents[0]!.body as { CustomerRef: { value: string } }).CustomerRef.value).toBe("__customer__");
    await expectPostedAsPreviewed(stack, s.documents, docsOfItem(postedSale));
    // and the preview of a posted object names its documents
    expect((await preview(stack, "closure", closure!.pos_id)).body.posted.map((d) => d.id)).toEqual(
      docsOfItem(postedClosure).map((d) => d.id),
    );
  });

  it("shows a received purchase order's bill, split by shipping, duties and discount, before the click that sends it", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    const store = stack.pos.store(TENANT);
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT" && p.lines.length >= 2)!;
    stack.pos.receivePurchaseOrder(TENANT, po.id, {
      lines: [{ productId: po.lines[0]!.productId, quantity: po.lines[0]!.quantity }],
      costs: [
        { type: "SHIPPING", amount: "12.50" },
        { type: "DUTIES", amount: "4.20" },
      ],
      discounts: [{ type: "DISCOUNT", amount: "3.00" }],
      supplierInvoice: "INV-PREVIEW-1",
    });
    await stack.settle();

    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const res = await preview(stack, "purchase_order", po.id);
    expect(res.status).toBe(200);
    expect(writesSince(stack, logFrom)).toEqual([]);
    const p = res.body;
    expect(p).toMatchObject({ kind: "purchase_order", posId: po.id, state: "unknown", blockers: [], posted: [] });
    expect(p.documents.map((d) => [d.entity, d.docNumber])).toEqual([["Bill", "INV-PREVIEW-1"]]);
    expectTiesOut(p, ["bill_products", "bill_charge"]);
    const m = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    const bill = viewOf("Bill", p.documents[0]!.body);
    const charge = (account: string | undefined) =>
      bill.lines.filter((l) => l.ref.startsWith(`account:${account}|`)).reduce((s, l) => s + l.amountMinor, 0);
    expect([charge(m.accounts.shipping), charge(m.accounts.duties), charge(m.accounts.purchaseDiscount)]).toEqual([
      1250, 420, -300,
    ]);

    const sent = await stack.api<z.infer<typeof SendResponse>>("/api/sync/send", {
      body: { kind: "purchase_order", posId: po.id },
    });
    expect(sent.status).toBe(200);
    await stack.settle();
    const [item] = await itemsOf("purchase_order");
    // the vendor is matched or created at sending, and QBO computes the input tax credit (TaxExcluded):
    // everything else is as previewed
    await expectPostedAsPreviewed(
      stack,
      p.documents.map((d) => ({ ...d, part: `${docsOfItem(item!)[0]!.part}` })),
      docsOfItem(item!),
      /^taxRate:/,
    );
    const vendor = (
      await (
        await bookkeeper(stack)
      ).read<SavedEntity & { VendorRef: { value: string } }>("Bill", docsOfItem(item!)[0]!.id)
    ).VendorRef.value;
    expect((p.documents[0]!.body as { VendorRef: { value: string } }).VendorRef.value).toBe("__vendor__");
    expect(vendor).toMatch(/^\d+$/);
  });

  it("names what blocks a posting and posts nothing: an unmapped payment type, a purchase cost with no account", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const { [cash.id]: _gone, ...paymentTypes } = doc.mappings.paymentTypes;
    expect(
      (
        await stack.api("/api/mappings", {
          method: "PUT",
          body: { version: doc.version, mappings: { ...doc.mappings, paymentTypes } },
        })
      ).status,
    ).toBe(200);
    await trade(stack);
    const [closure] = await itemsOf("closure", "blocked");
    const receiptsBefore = stack.qbo.entities(stack.realmId, "SalesReceipt").length;

    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const c = (await preview(stack, "closure", closure!.pos_id)).body;
    expect(c.state).toBe("blocked");
    expect(c.documents).toEqual([]);
    expect(c.blockers).toEqual([
      {
        code: "needs_mapping",
        message: expect.stringContaining("payment type 'Cash'"),
        action: expect.stringContaining("Tillbridge settings"),
        mappingKey: `paymentTypes.${cash.id}`,
      },
    ]);
    const fr = (await stack.api<PreviewResponse>(`/api/preview?kind=closure&posId=${closure!.pos_id}`, { lang: "fr" }))
      .body;
    expect(fr.blockers[0]!.message).not.toBe(c.blockers[0]!.message);
    // what the blocker is about, worded whole in French (no English "payment type" inside)
    expect(fr.blockers[0]!.message).toBe(
      `Aucune correspondance n'est choisie pour le mode de paiement « ${cash.name} ».`,
    );

    const store = stack.pos.store(TENANT);
    const po = Object.values(store.purchaseOrders).find((p) => p.status === "SENT")!;
    stack.pos.receivePurchaseOrder(TENANT, po.id, { costs: [{ type: "INSURANCE", amount: "9.99" }] });
    const b = (await preview(stack, "purchase_order", po.id)).body;
    expect(b.documents).toEqual([]);
    expect(b.blockers.map((x) => x.code)).toEqual(["needs_mapping"]);
    expect(b.blockers[0]!.message).toContain("INSURANCE");
    expect(writesSince(stack, logFrom)).toEqual([]);
    expect(stack.qbo.entities(stack.realmId, "SalesReceipt").length).toBe(receiptsBefore);
    expect(stack.qbo.entities(stack.realmId, "Bill").length).toBe(0);
  });
});
