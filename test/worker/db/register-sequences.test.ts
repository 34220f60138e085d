import { describe, expect, it } from "vitest";
import { upsertObjectStatement } from "../../../worker/db/pos-objects";
import {
  accountSales,
  openSequenceIds,
  seenOpenSequences,
  sequenceSpans,
  ungroupedPayments,
} from "../../../worker/db/register-sequences";
import { db, freshTenant, t0 } from "./helpers";

/** A stored sale in the 2026-07 shape: payments name their register sequence in `_metadata`. */
const sale = (id: string, payments: { seq?: string; at: string; amount?: string }[], extra: object = {}) => ({
  id,
  version: "1",
  sequenceIds: payments.map((p) => p.seq ?? "").filter(Boolean),
  json: {
    id,
    state: "closed",
    date: payments[0]?.at,
    source: { register_id: "reg-1", outlet_id: "out-1" },
    payments: payments.map((p, i) => ({
      id: `${id}-p${i}`,
      amount: p.amount ?? "10.00",
      date: p.at,
      ...(p.seq ? { _metadata: { register_open_sequence_id: p.seq } } : {}),
    })),
    ...extra,
  },
});

async function store(
  tenantId: string,
  kind: "sale" | "register" | "open_sequence",
  o: Parameters<typeof upsertObjectStatement>[3],
) {
  await upsertObjectStatement(db, tenantId, kind, o, t0).run();
}

describe("register sequences as the stored sales show them", () => {
  it("spans each sequence by its payments (voided sales aside), between text bounds or by id", async () => {
    const t = await freshTenant();
    await store(
      t,
      "sale",
      sale("s1", [
        { seq: "q1", at: "2026-10-02T15:00:00Z" },
        { seq: "q2", at: "2026-10-03T09:00:00Z" },
      ]),
    );
    await store(t, "sale", sale("s2", [{ seq: "q1", at: "2026-10-02T18:30:00Z" }]));
    await store(t, "sale", sale("s3", [{ seq: "q1", at: "2026-10-04T10:00:00Z" }], { state: "voided" }));
    await store(t, "sale", sale("s4", [{ at: "2026-10-02T12:00:00Z" }]));
    const spans = await sequenceSpans(db, t, { between: ["2026-10-01", "2026-10-02~"] });
    expect(spans).toEqual([
      {
        seq: "q1",
        first_at: "2026-10-02T15:00:00Z",
        last_at: "2026-10-02T18:30:00Z",
        register_id: "reg-1",
        outlet_id: "out-1",
      },
    ]);
    expect((await sequenceSpans(db, t, { ids: ["q2", "nope"] })).map((g) => g.seq)).toEqual(["q2"]);
    expect(await sequenceSpans(db, t, { ids: [] })).toEqual([]);
    expect(await ungroupedPayments(db, t, "2026-10-01", "2026-10-02~")).toBe(1);
    expect(await ungroupedPayments(db, t, "2026-10-03", "2026-10-05")).toBe(0);
  });

  it("knows the sequences registers have open, and what polling saw of sequences while open", async () => {
    const t = await freshTenant();
    await store(t, "register", { id: "reg-1", version: "1", json: { is_open: true, register_open_sequence_id: "q9" } });
    await store(t, "register", {
      id: "reg-2",
      version: "1",
      json: { is_open: false, register_open_sequence_id: "q8" },
    });
    await store(t, "open_sequence", {
      id: "q7",
      version: "1",
      json: { sequenceNumber: 41, openedAt: "2026-10-01T08:00:00Z" },
    });
    expect([...(await openSequenceIds(db, t))]).toEqual(["q9"]);
    expect(await seenOpenSequences(db, t)).toEqual(
      new Map([["q7", { sequenceNumber: 41, openedAt: "2026-10-01T08:00:00Z" }]]),
    );
    expect((await seenOpenSequences(db, t, ["q6"])).size).toBe(0);
  });

  it("lists the on-account and layby sales of either API generation with their payments", async () => {
    const t = await freshTenant();
    await store(
      t,
      "sale",
      sale("a1", [{ seq: "q1", at: "2026-10-02T15:00:00Z", amount: "0" }], { attributes: ["onaccount"] }),
    );
    await store(t, "sale", sale("l1", [], { attributes: ["layby"] }));
    await store(t, "sale", sale("o1", [], { status: "ONACCOUNT_CLOSED" }));
    await store(t, "sale", sale("r1", [{ at: "2026-10-02T15:00:00Z" }]));
    const rows = await accountSales(db, t);
    expect(rows.map((r) => r.id).sort()).toEqual(["a1", "l1", "o1"]);
    const a1 = rows.find((r) => r.id === "a1")!;
    expect(a1).toMatchObject({ state: "closed", sale_date: "2026-10-02T15:00:00Z", outlet_id: "out-1" });
    expect(JSON.parse(a1.payments)).toEqual([["a1-p0", "0", "2026-10-02T15:00:00Z", null]]);
    expect(JSON.parse(rows.find((r) => r.id === "l1")!.payments)).toEqual([]);
  });

  it("says which stored account sales return another and which take lines back, in either spelling", async () => {
    const t = await freshTenant();
    const line = (id: string, quantity: string, more: object = {}) => ({ id, quantity, price: "10.00", ...more });
    // 2026-07: `return.original_sale_id`, `return.is_return`; 2.0: `return_for`, `is_return`, or only a negative quantity
    await store(
      t,
      "sale",
      sale("ret7", [], {
        attributes: ["onaccount"],
        return: { original_sale_id: "orig" },
        line_items: [line("x", "-1", { return: { is_return: true } })],
      }),
    );
    await store(
      t,
      "sale",
      sale("ret2", [], { status: "ONACCOUNT_CLOSED", return_for: "orig", line_items: [line("y", "-2.00000")] }),
    );
    await store(
      t,
      "sale",
      sale(
        "lay",
        [
          { at: "2026-10-02T15:00:00Z", amount: "35.00" },
          { at: "2026-10-07T15:00:00Z", amount: "-35.00" },
        ],
        {
          attributes: ["layby"],
          line_items: [
            line("m1", "1"),
            line("m2", "2", { status: "VOIDED" }),
            line("c1", "-1", { is_return: true }),
            line("c2", "-2", { is_return: true, status: "VOIDED" }),
          ],
        },
      ),
    );
    const rows = new Map((await accountSales(db, t)).map((r) => [r.id, r]));
    expect(rows.get("ret7")).toMatchObject({ return_for: "orig", returning_lines: 1, selling_lines: 0 });
    expect(rows.get("ret2")).toMatchObject({ return_for: "orig", returning_lines: 1, selling_lines: 0 });
    expect(rows.get("lay")).toMatchObject({ return_for: null, returning_lines: 1, selling_lines: 1 });
    expect(JSON.parse(rows.get("lay")!.payments).map((p: unknown[]) => p[1])).toEqual(["35.00", "-35.00"]);
  });
});
