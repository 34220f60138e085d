import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { api, connect, control } from "./helpers";

/** The rate limit (300 × registers + 50 per 300 s, per store) and injected faults, inside workerd. */

let now: Date;
let sb: PosSandbox;
let token: string;

beforeEach(async () => {
  now = new Date("2026-11-20T12:00:00Z");
  sb = createPosSandbox({ days: 1, stores: ["ca", "us"], autoApprove: true, now: () => now });
  token = (await connect(sb)).access_token;
});

describe("the rate limit", () => {
  it("allows 950 requests per 300 s for three registers, then answers 429 with Retry-After until the window ends", async () => {
    for (let i = 1; i <= 950; i++) {
      const res = await api(sb, token, "/outlets");
      if (i === 1 || i === 950) {
        expect(res.status).toBe(200);
        expect(res.headers.get("x-ratelimit-limit")).toBe("950");
        expect(res.headers.get("x-ratelimit-remaining")).toBe(String(950 - i));
      }
      await res.body?.cancel();
    }
    const limited = await api(sb, token, "/outlets");
    expect(limited.status).toBe(429);
    const retryAfter = limited.headers.get("retry-after")!;
    expect(retryAfter).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(new Date(retryAfter).toISOString()).toBe("2026-11-20T12:05:00.000Z");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await limited.json()).toMatchObject({ error: "Too Many Requests" });

    const us = await connect(sb, "demo-us");
    expect((await api(sb, us.access_token, "/outlets", {}, "demo-us")).status).toBe(200);

    now = new Date("2026-11-20T12:05:00Z");
    expect((await api(sb, token, "/outlets")).status).toBe(200);
  });

  it("can be lowered for a store through the control surface", async () => {
    expect((await control(sb, "/demo/rate_limit", { limit: 2 })).status).toBe(200);
    expect((await api(sb, token, "/retailer")).status).toBe(200);
    expect((await api(sb, token, "/retailer")).status).toBe(200);
    expect((await api(sb, token, "/retailer")).status).toBe(429);
    await control(sb, "/demo/rate_limit", { limit: null });
    const res = await api(sb, token, "/retailer");
    expect(res.headers.get("x-ratelimit-limit")).toBe("950");
  });
});

describe("injected faults", () => {
  it("answers 500 for the next N calls, then recovers", async () => {
    sb.injectFault({ kind: "http500", count: 2 });
    expect((await api(sb, token, "/sales")).status).toBe(500);
    expect((await api(sb, token, "/outlets")).status).toBe(500);
    expect((await api(sb, token, "/outlets")).status).toBe(200);
  });

  it("only hits calls whose path matches", async () => {
    sb.injectFault({ path: "/payments_summary", kind: "http429" });
    const reg = Object.keys(sb.store("demo").registers)[0]!;
    expect((await api(sb, token, "/registers")).status).toBe(200);
    const res = await api(sb, token, `/registers/${reg}/payments_summary`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect((await api(sb, token, `/registers/${reg}/payments_summary`)).status).toBe(200);
  });

  it("sends malformed JSON or a truncated body with a 200", async () => {
    await control(sb, "/faults", { kind: "malformed" });
    const malformed = await api(sb, token, "/sales");
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    const whole = await (await api(sb, token, "/products")).text();
    sb.injectFault({ kind: "truncated", path: "/products" });
    const truncated = await api(sb, token, "/products");
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(text.length).toBeLessThan(whole.length);
    expect(whole.startsWith(text)).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("lists and clears faults over HTTP", async () => {
    await control(sb, "/faults", { kind: "http500", count: 3, path: "/sales" });
    expect(await (await control(sb, "/faults", undefined, "GET")).json()).toEqual([
      { kind: "http500", remaining: 3, path: "/sales" },
    ]);
    await control(sb, "/faults", undefined, "DELETE");
    expect((await api(sb, token, "/sales?page_size=1")).status).toBe(200);
    expect((await control(sb, "/faults", { kind: "explode" })).status).toBe(400);
  });
});
