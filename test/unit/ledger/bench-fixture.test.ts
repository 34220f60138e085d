import { describe, expect, it } from "vitest";
import { buildClosurePosting } from "../../../worker/ledger";
import { makeBenchClosure } from "../../../worker/ledger/bench-fixture";
import { expectSound, planOf } from "./helpers";

describe("the benchmark closure", () => {
  it("has exactly N sale lines (plus the on-account sale) and posts soundly", () => {
    const { closure, ctx } = makeBenchClosure(2_000);
    const regular = closure.sales.filter((s) => s.kind === "regular");
    expect(regular.reduce((n, s) => n + s.lines.length, 0)).toBe(2_000);
    const plan = planOf(buildClosurePosting(closure, ctx));
    expectSound(plan);
    expect(plan.documents.map((d) => d.entity)).toEqual(["SalesReceipt", "JournalEntry"]);
    expect(plan.variance.filter((r) => r.line !== "tax_override" && r.diffMinor !== 0)).toEqual([]);
  });

  it("is the same closure every time", () => {
    expect(JSON.stringify(makeBenchClosure(300))).toBe(JSON.stringify(makeBenchClosure(300)));
  });
});
