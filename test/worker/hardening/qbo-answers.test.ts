import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "../../../shared/errors";
import { expectUnchanged, othersOnly, picture, readingOf } from "./snapshot";
import { booked, statusOf, trade } from "./trade";
import { createWorld, type World } from "./world";

/**
 * QuickBooks Online answers a create in ways its sandbox does not play (faults/qbo-answers.test.ts
 * covers the ones it does): error codes Tillbridge has never seen, in JSON and XML and the gateway's
 * lowercase shape, HTML and plain-text pages, a 200 that is empty, a list, or another entity. Merchant
 * a closes two registers at once and only one closure's sales document meets the answer. Each case:
 * that closure's badge says what happened in words a person understands; the other closure posts
 * once; merchant b's data and books do not move; and after the retry the closure is in QBO exactly
 * once (a transient answer) or still waits for a person with nothing posted (a refusal).
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
  await world.cron();
}, 120_000);

const xml = (code: string, message: string, detail: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2026-10-31T06:00:00.000-07:00"><Fault type="ValidationFault"><Error code="${code}"><Message>${message}</Message><Detail>${detail}</Detail></Error></Fault></IntuitResponse>`;
const jsonFault = (status: number, code: string, message: string, detail: string) =>
  Response.json(
    {
      Fault: { Error: [{ Message: message, Detail: detail, code }], type: "ValidationFault" },
      time: "2026-10-31T06:00:00.000-07:00",
    },
    { status, headers: { intuit_tid: "1-hardening-tid" } },
  );
const page = (status: number, type: string, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": type, ...headers } });

interface Case {
  name: string;
  answer: () => Response;
  state: "failed" | "rejected";
  code: ErrorCode;
  words: RegExp;
  /** seconds until the next try, when the answer says */
  waitSeconds?: number;
}

const CASES: Case[] = [
  {
    name: "a JSON Fault with a code Tillbridge has never seen",
    answer: () => jsonFault(400, "9999", "A brand new error", "Something Intuit added last week"),
    state: "rejected",
    code: "qbo_validation",
    words: /^QuickBooks Online refused this: A brand new error: Something Intuit added last week \[9999\]$/,
  },
  {
    name: "an XML Fault with an unknown code",
    answer: () => page(400, "application/xml", xml("7777", "Unexpected &amp; unknown", "Detail in &lt;XML&gt;")),
    state: "rejected",
    code: "qbo_validation",
    words: /refused this: Unexpected & unknown: Detail in <XML> \[7777\]/,
  },
  {
    name: "the gateway's lowercase fault",
    answer: () =>
      Response.json(
        {
          fault: {
            error: [
              {
                message: "message=ValidationFault; errorCode=006000",
                detail: "Business Validation Error: gateway says no",
                code: "6000",
              },
            ],
            type: "ValidationFault",
          },
        },
        { status: 400 },
      ),
    state: "rejected",
    code: "qbo_validation",
    words: /refused this: .*gateway says no \[6000\]/,
  },
  {
    name: "a 400 whose JSON is not a Fault",
    answer: () => Response.json({ message: "bad things" }, { status: 400 }),
    state: "rejected",
    code: "qbo_validation",
    words: /refused this: HTTP 400: \{"message":"bad things"\}/,
  },
  {
    name: "an HTML 404 page",
    answer: () => page(404, "text/html", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"),
    state: "failed",
    code: "qbo_transient",
    words: /did not answer properly \(unreadable answer \(HTTP 404, html\)\)/,
  },
  {
    name: "a plain-text 200",
    answer: () => page(200, "text/plain", "Service temporarily unavailable"),
    state: "failed",
    code: "qbo_transient",
    words: /did not answer properly \(unreadable answer \(HTTP 200, unreadable\)\)/,
  },
  {
    name: "JSON cut off mid-answer",
    answer: () => page(200, "application/json", '{"SalesReceipt":{"Id":"1","TotalAmt":12.3'),
    state: "failed",
    code: "qbo_transient",
    words: /unreadable answer \(HTTP 200, unreadable\)/,
  },
  {
    name: "an empty 200",
    answer: () => page(200, "application/json", ""),
    state: "failed",
    code: "qbo_transient",
    words: /unreadable answer \(HTTP 200, empty\)/,
  },
  {
    name: "a 200 that is a JSON list",
    answer: () => Response.json([]),
    state: "failed",
    code: "qbo_transient",
    words: /unreadable answer \(HTTP 200, not an object\)/,
  },
  {
    name: "a 200 carrying another entity",
    answer: () => Response.json({ Invoice: { Id: "999" }, time: "2026-10-31" }),
    state: "failed",
    code: "qbo_transient",
    words: /HTTP 200 without SalesReceipt/,
  },
  {
    name: "a 503 HTML page",
    answer: () => page(503, "text/html", "<html><body>Down for maintenance</body></html>"),
    state: "failed",
    code: "qbo_transient",
    words: /did not answer properly \(HTTP 503 \(HTML page\)\)/,
  },
  {
    name: "a 429 HTML page with Retry-After",
    answer: () => page(429, "text/html", "<html><body>Slow down</body></html>", { "retry-after": "120" }),
    state: "failed",
    code: "qbo_throttled",
    words: /asked Tillbridge to slow down/,
    waitSeconds: 120,
  },
];

let n = 0;
describe("one closure's sales document meets a strange answer; its twin does not", () => {
  it.each(CASES)("$name", { timeout: 120_000 }, async (c) => {
    const store = world.pos.store("demo");
    const regs = Object.values(store.registers);
    const product = Object.values(store.products).filter((p) => p.kind === "product")[n % 5]!.id;
    const [r1, r2] = [regs[n % regs.length]!, regs[(n + 1) % regs.length]!];
    n++;
    const before = await picture(world);
    let victim = "";
    let answered = 0;
    world.intercept = (url, method, body) => {
      if (
        method !== "POST" ||
        !url.pathname.endsWith(`/v3/company/${world.a.realmId}/salesreceipt`) ||
        !victim ||
        !body.includes(victim) ||
        answered > 0
      )
        return undefined;
      answered++;
      return c.answer();
    };
    try {
      const bad = trade(world, "demo", r1.id, product);
      victim = bad.closure;
      const twin = trade(world, "demo", r2.id, product);
      const startedAt = world.now().getTime();
      await world.settle();
      expect(answered).toBe(1);

      const st = await statusOf(world, world.a, "closure", bad.closure);
      expect({ state: st.state, code: st.reason?.code }).toEqual({ state: c.state, code: c.code });
      expect(st.reason!.message).toMatch(c.words);
      expect(st.reason!.action.length).toBeGreaterThan(10);
      expect(booked(world, world.a, bad.closure).filter((d) => d.part === "sales")).toEqual([]);
      if (c.waitSeconds)
        expect(Math.round((Date.parse(st.nextTryAt!) - startedAt) / 1000)).toBeGreaterThanOrEqual(c.waitSeconds - 2);
      if (c.state === "failed") expect(st.nextTryAt).toBeDefined();

      // the twin posts at once — unless QBO asked the whole company to slow down, then it waits its turn
      const twinSt = await statusOf(world, world.a, "closure", twin.closure);
      if (c.code === "qbo_throttled")
        expect([twinSt.state, twinSt.state === "failed" ? twinSt.reason?.code : "qbo_throttled"]).toEqual([
          expect.stringMatching(/^(posted|failed)$/),
          "qbo_throttled",
        ]);
      else expect(twinSt.state, JSON.stringify(twinSt.reason)).toBe("posted");

      // the retry comes: a transient answer ends with the closure in QBO once; a refusal waits for a person
      world.advance(90 * 60_000);
      await world.cron();
      const parts = (await statusOf(world, world.a, "closure", twin.closure)).docs.map((d) => d.part).sort();
      expect(parts.length).toBeGreaterThan(0);
      expect(booked(world, world.a, twin.closure).map((d) => d.part)).toEqual(parts);
      const after = await statusOf(world, world.a, "closure", bad.closure);
      if (c.state === "failed") {
        expect(after.state, JSON.stringify(after.reason)).toBe("posted");
        expect(booked(world, world.a, bad.closure).map((d) => d.part)).toEqual(parts);
        expect(booked(world, world.a, bad.closure).map((d) => d.total)).toEqual(
          booked(world, world.a, twin.closure).map((d) => d.total),
        );
      } else {
        expect({ state: after.state, code: after.reason?.code }).toEqual({ state: "rejected", code: c.code });
        expect(booked(world, world.a, bad.closure)).toEqual([]);
      }
    } finally {
      world.intercept = null;
    }
    expectUnchanged(
      before,
      await picture(world),
      (w) => othersOnly(world, "demo")(w) || readingOf(world, "demo-us")(w),
    );
  });
});
