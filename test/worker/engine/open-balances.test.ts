import { afterEach, describe, expect, it } from "vitest";
import { saleBalance } from "../../../sandbox/pos/ops/sales";
import { docsOf, type SyncItemRow } from "../../../worker/db/sync-items";
import { createStack, forgetAll } from "../support/stack";

afterEach(forgetAll);

/**
 * SPEC §4.4's promise over seeded days of full activity (returns on account, cancelled laybys, late
 * voids, refunds at a register): after the cron has posted them, each QBO invoice's open balance
 * equals what the POS says the customer still owes on that sale.
 */
describe("open invoices after full-activity days", () => {
  it("each invoice's open balance in QBO is what the POS says the customer still owes", {
    timeout: 600_000,
  }, async () => {
    // three days seeded before Tillbridge connects (Oct 1–3), then days 4–17 traded live: laybys made
    // on days 4 and 10 are cancelled on days 9 and 16, returns on account come on day 12
    const stack = await createStack({ seed: 42, store: "ca", days: 3, at: "2026-10-04T05:00:00Z", activity: "full" });
    const store = stack.pos.store(stack.tenant);
    stack.pos.advanceDay(stack.tenant, 14);
    await stack.settle();
    stack.advance(15 * 24 * 3600 * 1000);
    for (let i = 0; i < 6; i++) await stack.cron({ budgetMs: 120_000 });

    const syncFrom = "2026-10-04";
    const account = Object.values(store.sales).filter(
      (s) =>
        (s.attributes.includes("onaccount") || s.attributes.includes("layby")) &&
        s.returnFor === null &&
        s.state !== "voided" &&
        s.state !== "parked" &&
        s.date.slice(0, 10) >= syncFrom,
    );
    const cancelled = account.filter((s) => s.lines.some((l) => l.isReturn));
    const returned = account.filter((s) => s.returnSaleIds.length > 0 && !s.attributes.includes("layby"));
    expect(cancelled.length, "cancelled laybys in the days").toBeGreaterThanOrEqual(1);
    expect(returned.length, "returns on account in the days").toBeGreaterThanOrEqual(1);

    const { results } = await stack
      .services()
      .db.prepare(
        "SELECT * FROM sync_items WHERE tenant_id = ?1 AND kind IN ('sale', 'sale_payment', 'account_credit') AND state != 'superseded'",
      )
      .bind(stack.tenant)
      .all<SyncItemRow>();
    const stuck = results.filter((r) => r.state !== "posted" && r.state !== "not_applicable");
    expect(stuck.map((r) => [r.kind, r.pos_id, r.state, r.reason_detail])).toEqual([]);
    const invoices = stack.qbo.entities(stack.realmId, "Invoice") as { Id: string; Balance: number }[];
    const rows = account.map((s) => {
      const item = results.find((r) => r.kind === "sale" && r.pos_id === s.id);
      const invoiceId = item ? docsOf(item).find((d) => d.entity === "Invoice")?.id : undefined;
      const invoice = invoices.find((i) => i.Id === invoiceId);
      return {
        sale: s.invoiceNumber,
        pos: saleBalance(s, store),
        qbo: invoice ? Math.round(invoice.Balance * 100) : null,
      };
    });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.qbo !== r.pos)).toEqual([]);
  });
});
