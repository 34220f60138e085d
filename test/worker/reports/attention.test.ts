import { afterEach, describe, expect, it } from "vitest";
import type { AttentionResponse } from "../../../shared/api";
import { forgetEverything, itemsOf, trade, unmapCash } from "../drift/helpers";
import { createStack, TENANT } from "../support/stack";

afterEach(forgetEverything);

describe("needs attention", () => {
  it("lists every stuck object with its POS name, reason, what to do and links; counts them; retries all", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    // Cash unmapped: the day's closures block on it.
    const [cashId] = await unmapCash(stack);
    await trade(stack);
    const blocked = await itemsOf("closure", "blocked");
    expect(blocked.length).toBeGreaterThan(0);

    const res = await stack.api<AttentionResponse>("/api/attention");
    expect(res.status).toBe(200);
    const closures = res.body.items.filter((i) => i.kind === "closure");
    expect(closures.map((i) => i.posId).sort()).toEqual(blocked.map((b) => b.pos_id).sort());
    expect(res.body.counts.blocked).toBe(res.body.items.filter((i) => i.state === "blocked").length);
    expect(res.body.total).toBe(res.body.items.length);
    expect(res.body.timeZone).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+$/);
    for (const item of closures) {
      expect(item).toMatchObject({
        state: "blocked",
        reason: {
          code: "needs_mapping",
          message: expect.stringContaining("Cash"),
          action: expect.any(String),
          fixAt: "mappings",
          blockedOn: `mapping:paymentTypes.${cashId}`,
        },
        backOfficeUrl: `http://127.0.0.1:8789/${TENANT}/register/closure/summary/${item.posId}`,
      });
      // the register's name and the closure's number, as the back office shows them
      expect(item.posName).toMatch(/^.+ #\d+$/);
    }
    // oldest stuck first
    const since = res.body.items.map((i) => i.since);
    expect(since).toEqual([...since].sort());

    const fr = await stack.api<AttentionResponse>("/api/attention", { lang: "fr" });
    expect(fr.body.items[0]!.reason.message).not.toBe(res.body.items[0]!.reason.message);

    const count = await stack.api<Pick<AttentionResponse, "counts" | "total">>("/api/attention/count");
    expect(count.body).toEqual({ counts: res.body.counts, total: res.body.total });

    // retry all: every stuck item is due again; the cause is still there, so they block again
    const retried = await stack.api<{ retried: number }>("/api/attention/retry-all", { method: "POST" });
    expect(retried.body.retried).toBe(res.body.total);
    await stack.settle();
    await stack.cron();
    const again = await stack.api<AttentionResponse>("/api/attention");
    expect(again.body.counts.blocked).toBe(res.body.counts.blocked);

    // and nothing without the extension's session
    expect((await stack.request("/api/attention")).status).toBe(401);
    expect((await stack.request("/api/attention/retry-all", { method: "POST" })).status).toBe(401);
  });
});
