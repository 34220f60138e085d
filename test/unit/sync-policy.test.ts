import { describe, expect, it } from "vitest";
import { TillbridgeError } from "../../shared/errors";
import { BACKOFF_CAP_SECONDS, backoffSeconds, MAX_ATTEMPTS, outcomeOf } from "../../worker/sync/policy";

const now = new Date("2026-11-28T12:00:00Z");

describe("retry policy", () => {
  it("backs off exponentially with jitter and a cap", () => {
    expect(backoffSeconds(1, 0.5)).toBe(30);
    expect(backoffSeconds(2, 0.5)).toBe(60);
    expect(backoffSeconds(5, 0.5)).toBe(480);
    expect(backoffSeconds(30, 0.5)).toBe(BACKOFF_CAP_SECONDS);
    expect(backoffSeconds(1, 0)).toBe(24);
    expect(backoffSeconds(1, 0.9999)).toBe(35);
  });

  it("keeps what a reason is about, for each language to word; none when the error says nothing of it", () => {
    const about = [{ thing: "paymentTypes", name: "Afterpay" }];
    const error = new TillbridgeError("needs_mapping", "payment type 'Afterpay'", {
      mappingKey: "paymentTypes.x",
      about,
    });
    expect(outcomeOf(error, 1, now, 0.5, "paymentTypes.x")).toEqual({
      state: "blocked",
      code: "needs_mapping",
      detail: "payment type 'Afterpay'",
      blockedOn: "mapping:paymentTypes.x",
      about,
    });
    const rejected = new TillbridgeError("qbo_validation", "Invalid", { about: [{ thing: "items.rounding" }] });
    expect(outcomeOf(rejected, 1, now, 0.5).about).toEqual([{ thing: "items.rounding" }]);
    expect(outcomeOf(new TillbridgeError("qbo_transient", "HTTP 503", { about: [] }), 1, now, 0.5)).not.toHaveProperty(
      "about",
    );
  });

  it("blocks items that wait for a fix, naming what heals them", () => {
    expect(
      outcomeOf(new TillbridgeError("needs_mapping", "payment type 'Afterpay'"), 1, now, 0.5, "paymentTypes.x"),
    ).toEqual({
      state: "blocked",
      code: "needs_mapping",
      detail: "payment type 'Afterpay'",
      blockedOn: "mapping:paymentTypes.x",
    });
    expect(outcomeOf(new TillbridgeError("qbo_needs_reconnect", "invalid_grant"), 1, now, 0.5)).toMatchObject({
      state: "blocked",
      blockedOn: "connection:qbo",
    });
    expect(outcomeOf(new TillbridgeError("closed_period", "2026-10-31"), 1, now, 0.5)).toMatchObject({
      state: "blocked",
      blockedOn: "period",
    });
    expect(outcomeOf(new TillbridgeError("needs_counted_totals"), 1, now, 0.5)).toMatchObject({
      state: "blocked",
      blockedOn: "counted",
    });
  });

  it("retries transient failures later and throttling after the wait QBO asks for", () => {
    const transient = outcomeOf(new TillbridgeError("qbo_transient", "HTTP 503"), 2, now, 0.5);
    expect(transient).toMatchObject({ state: "failed", nextAttemptAt: new Date(now.getTime() + 60_000) });
    const throttled = outcomeOf(
      new TillbridgeError("qbo_throttled", undefined, { retryAfterSeconds: 17 }),
      1,
      now,
      0.5,
    );
    expect(throttled).toMatchObject({ state: "failed", nextAttemptAt: new Date(now.getTime() + 17_000) });
  });

  it("rejects what needs a person, verbatim, and gives up visibly after the last attempt", () => {
    expect(outcomeOf(new TillbridgeError("qbo_validation", "Invalid Reference Id"), 1, now, 0.5)).toEqual({
      state: "rejected",
      code: "qbo_validation",
      detail: "Invalid Reference Id",
    });
    expect(outcomeOf(new TillbridgeError("qbo_transient", "HTTP 500"), MAX_ATTEMPTS, now, 0.5)).toMatchObject({
      state: "rejected",
      detail: expect.stringContaining(`gave up after ${MAX_ATTEMPTS} attempts`),
    });
  });
});
