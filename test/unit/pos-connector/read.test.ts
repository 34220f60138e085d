import { describe, expect, it } from "vitest";
import { TillbridgeError } from "../../../shared/errors";
import { formatDec } from "../../../shared/money";
import { PosDecimal, PosId, PosInstant, PosName, readObject, toIsoInstant } from "../../../worker/pos/read";
import { RawClosureWebhook } from "../../../worker/pos/schemas";
import { z } from "zod";

const dec = (v: unknown) => formatDec(PosDecimal.parse(v));

describe("reading POS field types", () => {
  it("reads money and quantities exactly from JSON numbers and decimal strings alike", () => {
    expect(dec(25.3)).toBe("25.3");
    expect(dec("25.30")).toBe("25.3");
    expect(dec(0.1)).toBe("0.1");
    expect(dec("-0.00001")).toBe("-0.00001");
    expect(dec("9.0909090909")).toBe("9.0909090909");
    expect(dec(1e-7)).toBe("0.0000001");
  });

  it("refuses what is not money: text, booleans, absurd precision and absurd magnitudes", () => {
    for (const bad of ["12,50", "abc", "", true, null, {}, [], "1.0000000000001", 1e15, "-1e13", Number.NaN]) {
      expect(PosDecimal.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    const issue = PosDecimal.safeParse("1.0000000000001").error!.issues[0]!;
    expect(issue.message).toMatch(/too many decimal places/);
  });

  it("takes ids as strings or integers, and names as any Unicode text up to a sane length", () => {
    expect(PosId.parse(118)).toBe("118");
    expect(PosId.parse("  abc ")).toBe("abc");
    expect(PosId.safeParse("").success).toBe(false);
    // NFD "é" is stored as NFC so equal names compare equal
    expect(PosName.parse("Cafe\u0301 ☕ 北京")).toBe("Café ☕ 北京");
    expect(PosName.safeParse("x".repeat(2001)).success).toBe(false);
    expect(PosName.parse("x".repeat(2000))).toHaveLength(2000);
  });

  it("normalises the POS's date-time spellings to UTC instants", () => {
    expect(PosInstant.parse("2015-03-16T22:21:50+00:00")).toBe("2015-03-16T22:21:50Z");
    expect(PosInstant.parse("2026-11-03 22:15:00")).toBe("2026-11-03T22:15:00Z");
    expect(PosInstant.parse("2026-11-03T18:15:00-04:00")).toBe("2026-11-03T22:15:00Z");
    expect(PosInstant.parse("2026-11-03T22:15:00.250Z")).toBe("2026-11-03T22:15:00.250Z");
    expect(toIsoInstant("yesterday")).toBeNull();
    expect(PosInstant.safeParse("2026-13-45T99:00:00Z").success).toBe(false);
  });

  it("names the object, its id and the first bad field when a payload cannot be read", () => {
    const S = z.object({ id: PosId, lines: z.array(z.object({ qty: PosDecimal })) });
    const err = (() => {
      try {
        readObject(S, { id: "s-1", lines: [{ qty: 1 }, { qty: "two" }] }, "sale");
      } catch (e) {
        return e as TillbridgeError;
      }
    })();
    expect(err).toBeInstanceOf(TillbridgeError);
    expect(err!.code).toBe("pos_payload_invalid");
    expect(err!.detail).toBe('sale s-1: lines[1].qty: not a decimal number: "two"');
    expect(() => readObject(S, { id: "s-2" }, "sale")).toThrow("sale s-2: lines: missing");
  });
});

describe("the closure webhook payload (the one assumption, in one schema)", () => {
  const payload = {
    id: "seq-1",
    register_id: "reg-1",
    outlet_id: "out-1",
    sequence_number: 12,
    register_open_time: "2026-11-03T13:00:00+00:00",
    register_close_time: "2026-11-04T01:30:00+00:00",
    payments: [
      { retailer_payment_type_id: "pt-cash", name: "Cash", expected: "255.00", counted: "250.05" },
      { retailer_payment_type_id: "pt-card", name: "Credit Card", expected: "1038.77", counted: "1038.77" },
    ],
  };

  it("reads the documented convention, money as decimal strings", () => {
    const c = RawClosureWebhook.parse(payload);
    expect(c.id).toBe("seq-1");
    expect(formatDec(c.payments[0]!.counted!)).toBe("250.05");
  });

  it("accepts the register_closure_* synonyms, payments_summary spellings and numbers", () => {
    const c = RawClosureWebhook.parse({
      register_closure_id: "seq-1",
      register_closure_sequence_number: "12",
      register_id: "reg-1",
      register_open_time: "2026-11-03 13:00:00",
      register_close_time: "2026-11-04 01:30:00",
      payments: [{ payment_type_id: "pt-cash", payment_type_name: "Cash", expected: 255, counted: 250.05 }],
    });
    expect(c.register_closure_id).toBe("seq-1");
    expect(c.register_closure_sequence_number).toBe(12);
    expect(formatDec(c.payments[0]!.expected)).toBe("255");
  });

  it("refuses a payload without its register or with unreadable money", () => {
    expect(RawClosureWebhook.safeParse({ ...payload, register_id: undefined }).success).toBe(false);
    expect(RawClosureWebhook.safeParse({ ...payload, payments: [{ name: "Cash", expected: "lots" }] }).success).toBe(
      false,
    );
  });
});
