import { describe, expect, it } from "vitest";
import { RegisterClosure } from "../../../shared/domain/pos";
import { type ClosureRecord, toClosure } from "../../../worker/pos/mappers/closure";
import { toSale } from "../../../worker/pos/mappers/sale";
import { ctx, IDS, sale2026, sale20 } from "./fixtures";

const outlet = { id: IDS.outlet, name: "Montréal — Plateau", timeZone: "America/Toronto", currency: "CAD" };
const register = { id: IDS.register, name: "Main Register" };
const record = (over: Partial<ClosureRecord> = {}): ClosureRecord => ({
  id: IDS.sequence,
  registerId: IDS.register,
  outletId: IDS.outlet,
  sequenceNumber: 12,
  openedAt: "2026-11-03T13:00:00Z",
  closedAt: "2026-11-04T01:30:00Z",
  payments: [
    { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 7110 + 2000, countedMinor: 9050 },
    { paymentTypeId: IDS.card, name: "Credit Card", expectedMinor: 0, countedMinor: 0 },
  ],
  countedSource: "webhook",
  discoveredVia: "webhook",
  ...over,
});

const pay = (id: string, type: string, amount: string, seq: string | null, date = "2026-11-03T20:00:00Z") => ({
  id,
  amount,
  date,
  type: { config_id: type },
  source: { register_id: IDS.register },
  _metadata: seq ? { register_open_sequence_id: seq } : {},
});
const simple = (id: string, over: Record<string, unknown>) =>
  sale2026({
    id,
    totals: { price: "10.00", tax: "0" },
    taxes: [],
    adjustments: [],
    line_items: [{ id: `${id}-l`, product: { id: IDS.mug }, quantity: 1, pricing: { price: "10", total: "10.00" } }],
    ...over,
  });

const regular = toSale(sale2026(), ctx());
const onAccountPaidHere = toSale(
  simple("acct-1", {
    state: "pending",
    attributes: ["onaccount"],
    _metadata: { version: 5, complete_open_sequence_id: IDS.otherSequence },
    payments: [pay("ap-1", IDS.cash, "20.00", IDS.sequence)],
    totals: { price: "40.00", tax: "0" },
    line_items: [{ id: "al", product: { id: IDS.mug }, quantity: 4, pricing: { price: "10", total: "40.00" } }],
  }),
  ctx(),
);
const elsewhere = toSale(
  simple("other-1", {
    _metadata: { version: 6, complete_open_sequence_id: IDS.otherSequence },
    payments: [pay("op", IDS.card, "10.00", IDS.otherSequence)],
  }),
  ctx(),
);
const voided = toSale(
  simple("void-1", { state: "voided", payments: [pay("vp", IDS.card, "10.00", IDS.sequence)] }),
  ctx(),
);

describe("toClosure", () => {
  const closure = toClosure(record(), [regular, onAccountPaidHere, elsewhere, voided], register, outlet);

  it("is a valid domain RegisterClosure with the register's and outlet's names and time zone", () => {
    expect(RegisterClosure.parse(closure)).toEqual(closure);
    expect(closure).toMatchObject({
      registerName: "Main Register",
      outletName: "Montréal — Plateau",
      timeZone: "America/Toronto",
      sequenceNumber: 12,
    });
  });

  it("holds the sales completed in the sequence and those with a payment in it, not others, not voided ones", () => {
    expect(closure.sales.map((s) => s.id).sort()).toEqual([regular.id, "acct-1"].sort());
  });

  it("takes expected and counted figures from the record as announced", () => {
    expect(closure.payments).toEqual([
      { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: 9050 },
      { paymentTypeId: IDS.card, name: "Credit Card", expectedMinor: 0, countedMinor: 0 },
    ]);
  });

  it("takes a sale voided after close out of the record's expected and counted figures (SPEC §4.4)", () => {
    const voidedAt = (id: string, at: string) =>
      toSale(
        simple(id, { state: "voided", updated_at: at, payments: [pay(`${id}-p`, IDS.card, "10.00", IDS.sequence)] }),
        ctx(),
      );
    const late = voidedAt("void-late", "2026-11-04T15:00:00Z");
    const early = voidedAt("void-early", "2026-11-03T21:00:00Z");
    expect(late.voidedAt).toBe("2026-11-04T15:00:00Z");
    const base = record({
      payments: [
        { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: 9050 },
        // the record, as announced at close, still holds the late-voided sale's 10.00 (not the early one's)
        { paymentTypeId: IDS.card, name: "Credit Card", expectedMinor: 1000, countedMinor: 1000 },
      ],
    });
    const c = toClosure(base, [regular, onAccountPaidHere, late, early], register, outlet);
    expect(c.payments).toEqual([
      { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: 9050 },
      { paymentTypeId: IDS.card, name: "Credit Card", expectedMinor: 0, countedMinor: 0 },
    ]);
    expect(c.sales.map((x) => x.id)).not.toContain("void-late");
  });

  it("does not take a late void out twice from the figures a backfill assumed (read from this mapping, void already out)", () => {
    const late = toSale(
      simple("void-late", {
        state: "voided",
        updated_at: "2026-11-04T15:00:00Z",
        payments: [pay("void-late-p", IDS.cash, "10.00", IDS.sequence)],
      }),
      ctx(),
    );
    const rebuilt = record({ payments: null, countedSource: null, discoveredVia: "backfill" });
    const read = toClosure(rebuilt, [regular, onAccountPaidHere, late], register, outlet).payments;
    expect(read).toEqual([{ paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: null }]);
    const assumed = read.map((p) => ({ ...p, countedMinor: p.expectedMinor }));
    const again = toClosure(
      { ...rebuilt, payments: assumed, countedSource: "assumed" },
      [regular, onAccountPaidHere, late],
      register,
      outlet,
    );
    expect(again.payments).toEqual(assumed);
  });

  it("computes expected from the sequence's payments when the record has none (found by polling), counted unknown", () => {
    const polled = toClosure(
      record({ payments: null, countedSource: null, discoveredVia: "poll", sequenceNumber: null }),
      [regular, onAccountPaidHere, voided],
      register,
      outlet,
    );
    expect(polled.payments).toEqual([
      { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: null },
    ]);
    expect(polled.sequenceNumber).toBe(0);
  });

  it("fills expected from the sales for counted totals read from the back office (expected not announced)", () => {
    const counted = toClosure(
      record({
        payments: [{ paymentTypeId: IDS.cash, name: "Cash", expectedMinor: null, countedMinor: 9100 }],
        countedSource: "backoffice",
        discoveredVia: "poll",
      }),
      [regular, onAccountPaidHere],
      register,
      outlet,
    );
    expect(counted.payments).toEqual([
      { paymentTypeId: IDS.cash, name: "Cash", expectedMinor: 9110, countedMinor: 9100 },
    ]);
  });

  it("falls back to the register and the open→close window for payloads without sequence ids (2.0)", () => {
    const old = toSale(sale20(), ctx());
    const late = toSale(
      sale20({
        id: "late",
        sale_date: "2026-11-04T03:00:00Z",
        payments: [
          {
            ...(sale20().payments as object[])[0],
            id: "lp",
            payment_date: "2026-11-04T03:00:00Z",
            register_open_sequence_id: undefined,
          },
        ],
      }),
      ctx(),
    );
    const c = toClosure(
      record(),
      [{ ...old, payments: old.payments.map((p) => ({ ...p, sequenceId: null })) }, late],
      register,
      outlet,
    );
    expect(c.sales.map((s) => s.id)).toEqual([old.id]);
  });

  it("refuses a register or outlet that is not the closure's, and a closure without its times", () => {
    expect(() => toClosure(record(), [], { id: "r-x", name: "X" }, outlet)).toThrow(
      /closure .*: register_id: register r-x is not the closure's register/,
    );
    expect(() => toClosure(record(), [], register, { ...outlet, id: "o-x" })).toThrow(
      /outlet_id: outlet o-x is not the closure's outlet/,
    );
    expect(() => toClosure(record({ closedAt: null }), [], register, outlet)).toThrow(/register_close_time: unknown/);
  });
});
