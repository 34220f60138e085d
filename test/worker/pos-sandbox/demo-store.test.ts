import { describe, expect, it } from "vitest";
import { parseMinor } from "../../../shared/money";
import { createPosSandbox } from "../../../sandbox/pos/index";

/**
 * The demo store generated inside workerd (the runtime the Worker's tests use): local trading hours
 * come out right through workerd's Intl time zones, generation is deterministic, and the month's
 * closures hold every payment. The full invariants run in test/unit/pos-sandbox (Node).
 */

describe("the demo store in workerd", () => {
  const sb = createPosSandbox({ stores: ["ca", "us"], defaults: "today" });

  it("opens registers at 9–10 a.m. Eastern (UTC−4 in October 2026) and closes one after midnight", () => {
    for (const prefix of ["demo", "demo-us"]) {
      const closures = sb.closures(prefix);
      expect(closures.length).toBe(prefix === "demo" ? 90 : 60);
      for (const c of closures) {
        expect(c.openedAt.slice(0, 10) >= "2026-10-01" && c.openedAt.slice(0, 10) <= "2026-10-30").toBe(true);
        expect(["13", "14"]).toContain(c.openedAt.slice(11, 13));
        expect(c.timeZone).toBe(prefix === "demo" ? "America/Toronto" : "America/New_York");
      }
      // 00:35 local = 04:35Z: the closure that ends after midnight
      expect(closures.filter((c) => c.closedAt!.slice(11, 16) === "04:35")).toHaveLength(1);
    }
  });

  it("is deterministic and its closures hold exactly the sales' payments", () => {
    expect(createPosSandbox({ stores: ["ca", "us"], defaults: "today" }).exportState()).toBe(sb.exportState());
    const store = sb.store("demo");
    const payments = Object.values(store.sales)
      .filter((s) => s.state !== "voided")
      .flatMap((s) => s.payments)
      .reduce((a, p) => a + p.amount, 0);
    const expected = sb
      .closures("demo")
      .flatMap((c) => c.payments)
      .reduce((a, p) => a + parseMinor(p.expected), 0);
    expect(expected).toBe(payments);
    expect(
      sb.closures("demo").filter((c) => c.payments.reduce((a, p) => a + parseMinor(p.expected), 0) < 0),
    ).toHaveLength(1);
  });
});
