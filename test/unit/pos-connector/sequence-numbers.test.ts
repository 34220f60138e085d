import { describe, expect, it } from "vitest";
import { localDateTime } from "../../../worker/ledger/dates";
import { countSequenceNumbers, type TimelineEntry } from "../../../worker/pos/sequence-numbers";

const e = (seq: string, at: string, number: number | null = null, registerId = "r1"): TimelineEntry => ({
  seq,
  registerId,
  at,
  number,
});

describe("numbering past sequences from a known one", () => {
  it("counts back from the register's latest number, each register on its own", () => {
    const n = countSequenceNumbers([
      e("s28", "2026-10-28T13:00:00Z"),
      e("s29", "2026-10-29T13:00:00Z"),
      e("s30", "2026-10-30T13:00:00Z", 30),
      e("t5", "2026-10-29T13:00:00Z", null, "r2"),
      e("t6", "2026-10-30T13:00:00Z", 6, "r2"),
    ]);
    expect(Object.fromEntries(n)).toEqual({ s28: 28, s29: 29, t5: 5 });
  });

  it("counts forward from an earlier number when no later one is known", () => {
    expect(Object.fromEntries(countSequenceNumbers([e("a", "1", 7), e("b", "2"), e("c", "3")]))).toEqual({
      b: 8,
      c: 9,
    });
  });

  it("leaves a number unknown when counting back and forward disagree (a sequence left no trace)", () => {
    const n = countSequenceNumbers([e("a", "1", 10), e("b", "2"), e("c", "3", 13)]);
    expect(n.has("b")).toBe(false);
  });

  it("knows nothing without a number on the register, and never counts below 1", () => {
    expect(countSequenceNumbers([e("a", "1"), e("b", "2")]).size).toBe(0);
    expect(countSequenceNumbers([e("a", "1"), e("b", "2"), e("c", "3", 2)]).has("a")).toBe(false);
  });
});

describe("a closure's times as the back office shows them", () => {
  it("is the local wall clock of the outlet's zone, across a DST change", () => {
    expect(localDateTime("2026-10-30T13:05:00Z", "America/Toronto")).toBe("2026-10-30 09:05");
    expect(localDateTime("2026-11-02T14:05:00Z", "America/Toronto")).toBe("2026-11-02 09:05");
    expect(localDateTime("2026-10-30T13:05:00", "America/Toronto")).toBeNull(); // no offset: not pure
    expect(localDateTime("2026-10-30T13:05:00Z", "Mars/Olympus")).toBeNull();
  });
});
