import { describe, expect, it } from "vitest";
import {
  closureOpenings,
  getClosureRecord,
  rebuiltClosureStatement,
  recordPolledClosure,
  storeAssumedCounted,
} from "../../../worker/db/closures";
import { db, freshTenant, later, t0 } from "./helpers";

const rebuilt = {
  id: "q1",
  registerId: "reg-1",
  outletId: "out-1",
  sequenceNumber: null,
  openedAt: "2026-10-02T14:00:00Z",
  closedAt: "2026-10-02T23:00:00Z",
};

describe("closures rebuilt by a backfill", () => {
  it("records a closure rebuilt from its sales once, never over a known one, and lists when each opened and its number", async () => {
    const t = await freshTenant();
    await recordPolledClosure(db, t, { ...rebuilt, id: "q0", sequenceNumber: 5, openedAt: null }, t0);
    await db.batch([
      rebuiltClosureStatement(db, t, rebuilt, t0),
      rebuiltClosureStatement(db, t, { ...rebuilt, closedAt: "2026-10-03T01:00:00Z" }, later(5)),
      rebuiltClosureStatement(db, t, { ...rebuilt, id: "q0", openedAt: "2026-10-01T00:00:00Z" }, later(5)),
    ]);
    expect(await getClosureRecord(db, t, "q1")).toMatchObject({
      closedAt: "2026-10-02T23:00:00Z",
      discoveredVia: "backfill",
      payments: null,
      countedSource: null,
    });
    expect(await getClosureRecord(db, t, "q0")).toMatchObject({ discoveredVia: "poll", openedAt: null });
    const openings = await closureOpenings(db, t);
    expect(openings.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "q0", register_id: "reg-1", outlet_id: "out-1", opened_at: null, sequence_number: 5 },
      { id: "q1", register_id: "reg-1", outlet_id: "out-1", opened_at: "2026-10-02T14:00:00Z", sequence_number: null },
    ]);
  });

  it("assumes counted = expected only while the counted totals are unknown", async () => {
    const t = await freshTenant();
    await rebuiltClosureStatement(db, t, rebuilt, t0).run();
    const assumed = [{ paymentTypeId: "cash", name: "Cash", expectedMinor: 1000, countedMinor: 1000 }];
    expect(await storeAssumedCounted(db, t, "q1", assumed, later(1))).toBe(true);
    expect(await storeAssumedCounted(db, t, "q1", [{ ...assumed[0]!, countedMinor: 5 }], later(2))).toBe(false);
    expect(await getClosureRecord(db, t, "q1")).toMatchObject({ countedSource: "assumed", payments: assumed });
    expect(await storeAssumedCounted(db, t, "unknown", assumed, later(3))).toBe(false);
  });
});
