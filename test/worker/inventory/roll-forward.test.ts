import { afterEach, describe, expect, it } from "vitest";
import type { InventoryRollForwardResponse, MappingsDocument } from "../../../shared/api";
import { addDec, type Dec, formatDec, mulDec, parseDec, subDec, toMinor } from "../../../shared/money";
import { businessDate } from "../../../worker/ledger";
import { loadRefs } from "../../../worker/qbo/refs";
import { createStack, forgetAll, type Stack } from "../support/stack";

afterEach(forgetAll);

const ZONE = "America/Toronto";
const day = (at: string) => businessDate(at, ZONE);
const cents = (d: Dec) => toMinor(d, "half-up");
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Costs, the shrinkage account and bills by themselves: everything of SPEC §4.5 posts without a click but returns. */
async function mapInventory(stack: Stack) {
  const refs = await loadRefs(stack.services(), stack.tenant);
  const cogs = refs.accounts.find((a) => a.accountType === "Cost of Goods Sold" && a.name === "Cost of Goods Sold")!;
  const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
  const m = doc.mappings;
  const saved = await stack.api("/api/mappings", {
    method: "PUT",
    body: {
      version: doc.version,
      mappings: {
        ...m,
        accounts: { ...m.accounts, cogs: cogs.id },
        shrinkage: { default: cogs.id },
        options: { ...m.options, autoSendPurchaseOrders: true },
      },
    },
  });
  expect(saved.status).toBe(200);
}

/**
 * The inventory roll-forward (SPEC §4.5 / issue 15 item 7) over seeded days Tillbridge posts by
 * itself: each term of the books equals, to the cent, the sum of the POS's own figures for the
 * documents of those days (bills per delivery, COGS per closure category and per account sale,
 * supplier returns per line, stock adjustments at the average read); and the POS's own roll-forward
 * of the same days (sandbox/pos/inventory-figures.ts) moves by exactly the books' movement plus what
 * the books do not hold — each document's rounding to the cent, stock between outlets (one Inventory
 * Asset account), the averages' own revaluation, and each adjustment's average then against when read.
 */
describe("the inventory roll-forward", () => {
  it("ties the books to the POS's inventory figures over three seeded days", { timeout: 300_000 }, async () => {
    const stack = await createStack({ inventory: true });
    await mapInventory(stack);
    await stack.cron(); // the month before is a backfill's: nothing of it posts
    const start = stack.now().toISOString();
    const store = () => stack.pos.store(stack.tenant);

    let adjustmentsRead: { minor: number; exact: Dec; moment: Dec }[] = [];
    const days: string[] = [];
    for (let i = 0; i < 3; i++) {
      const before = stack.now().toISOString();
      stack.pos.advanceDay(stack.tenant, 1);
      await stack.settle();
      stack.advance(24 * 3600 * 1000);
      await stack.cron();
      // a supplier return is sent on a click, as in the back office
      for (const c of Object.values(store().inventory.consignments))
        if (c.type === "RETURN" && c.status === "SENT" && c.sentAt && c.sentAt > before)
          expect((await stack.api("/api/sync/send", { body: { kind: "supplier_return", posId: c.id } })).status).toBe(
            200,
          );
      await stack.cron(); // payments wait for their invoice in the first run
      await stack.settle();
      // what GET /inventory answered when the adjustments were read, right after the day
      for (const a of stack.pos.inventory.adjustmentFigures(stack.tenant, before, stack.now().toISOString())
        .adjustments) {
        const read = mulDec(parseDec(a.quantity), parseDec(a.currentAverage));
        adjustmentsRead.push({ minor: cents(read), exact: read, moment: parseDec(a.exact) });
        days.push(day(a.createdAt));
      }
    }
    const end = stack.now().toISOString();
    const states = await stack
      .services()
      .db.prepare("SELECT kind, state, reason_detail FROM sync_items WHERE state NOT IN ('posted', 'not_applicable')")
      .all();
    expect(states.results).toEqual([]);

    const closures = stack.pos.closures(stack.tenant).filter((c) => c.openedAt > start);
    const from = day(closures.map((c) => c.openedAt).sort()[0]!);
    const to = day(
      closures
        .map((c) => c.openedAt)
        .sort()
        .at(-1)!,
    );
    const inWindow = (at: string | null) => at !== null && day(at) >= from && day(at) <= to;
    adjustmentsRead = adjustmentsRead.filter((_, i) => days[i]! >= from && days[i]! <= to);

    // the POS's own figures for the documents of those days
    const deliveries = Object.values(store().purchaseOrders).flatMap((po) =>
      po.deliveries.filter((d) => inWindow(d.receivedAt)),
    );
    const billExact = deliveries.map((d) =>
      d.lines.reduce((s, l) => addDec(s, mulDec(parseDec(l.received), parseDec(l.costPrice))), parseDec("0")),
    );
    const closureCogs = closures
      .filter((c) => inWindow(c.openedAt))
      .map((c) => stack.pos.inventory.closureCogs(stack.tenant, c.id));
    const accountSales = Object.values(store().sales).filter(
      (s) => s.attributes.length > 0 && s.completeSequenceId !== null && inWindow(s.date),
    );
    const saleCogs = accountSales.map((s) => stack.pos.inventory.saleCogs(stack.tenant, s.id));
    const returns = Object.values(store().inventory.consignments)
      .filter((c) => c.type === "RETURN" && c.status === "SENT" && inWindow(c.sentAt))
      .map((c) => stack.pos.inventory.supplierReturnFigures(stack.tenant, c.id));
    const stocktakes = Object.values(store().inventory.consignments)
      .filter((c) => c.type === "STOCKTAKE" && c.status === "STOCKTAKE_COMPLETE" && inWindow(c.completedAt))
      .map((c) => stack.pos.inventory.stocktakeFigures(stack.tenant, c.id));
    expect(deliveries.length + returns.length + adjustmentsRead.length).toBeGreaterThan(0);

    const report = await stack.api<InventoryRollForwardResponse>(`/api/reports/inventory?from=${from}&to=${to}`);
    expect(report.status).toBe(200);
    const b = report.body.books;
    expect(b).toMatchObject({
      billsMinor: sum(billExact.map(cents)),
      cogsMinor: sum([...closureCogs, ...saleCogs].map((c) => c.minor)),
      supplierReturnsMinor: sum(returns.map((r) => r.minor)),
      stocktakesMinor: sum(stocktakes.map((s) => s.net.minor)),
      adjustmentsMinor: sum(adjustmentsRead.map((a) => a.minor)),
      otherMinor: 0,
      waiting: 0,
    });
    expect(b.cogsMinor).toBeGreaterThan(0);
    expect(b.closingMinor - b.openingMinor).toBe(
      b.billsMinor - b.cogsMinor - b.supplierReturnsMinor + b.stocktakesMinor + b.adjustmentsMinor,
    );
    expect(report.body.qbo.balanceMinor).toBe(b.closingMinor); // nothing posted after `to`

    // The POS's own roll-forward of the same days, exact: its movement is the books' movement plus what
    // the books do not hold, each named.
    const rf = stack.pos.inventory.rollForward(stack.tenant, start, end);
    const total = (
      k:
        | "receipts"
        | "cogs"
        | "supplierReturns"
        | "adjustments"
        | "stocktakes"
        | "transfersIn"
        | "transfersOut"
        | "revaluation"
        | "opening"
        | "closing",
    ) => rf.outlets.reduce((s, o) => addDec(s, parseDec(o[k].exact)), parseDec("0"));
    const posMoved = subDec(total("closing"), total("opening"));
    const rounding = [...billExact.map((e) => subDec(e, parseDec(formatDec(e)))).map(() => parseDec("0"))];
    void rounding;
    const residue = (exact: Dec, minor: number) => subDec(exact, parseDec((minor / 100).toFixed(2)));
    const notHeld = [
      ...billExact.map((e) => residue(e, cents(e))),
      ...[...closureCogs, ...saleCogs].map((c) => subDec(parseDec("0"), residue(parseDec(c.exact), c.minor))),
      ...returns.map((r) => subDec(parseDec("0"), residue(parseDec(r.exact), r.minor))),
      ...stocktakes.map((s) => residue(parseDec(s.net.exact), s.net.minor)),
      ...adjustmentsRead.map((a) => addDec(residue(a.exact, a.minor), subDec(a.moment, a.exact))),
      subDec(total("transfersIn"), total("transfersOut")),
      total("revaluation"),
    ].reduce((s, d) => addDec(s, d), parseDec("0"));
    const booksMoved = parseDec(((b.closingMinor - b.openingMinor) / 100).toFixed(2));
    expect(formatDec(posMoved, 5)).toBe(formatDec(addDec(booksMoved, notHeld), 5));
    // and the difference now between the account and the POS's own value is shown, not hidden
    const value = stack.pos.inventory
      .value(stack.tenant, stack.now().toISOString())
      .outlets.reduce((s, o) => addDec(s, parseDec(o.exact)), parseDec("0"));
    expect(report.body.pos.valueNowMinor).toBe(cents(value));
    expect(report.body.differences).toEqual([
      {
        line: "balance",
        label: expect.any(String),
        posMinor: cents(value),
        otherMinor: b.closingMinor,
        diffMinor: b.closingMinor - cents(value),
      },
    ]);
  });
});
