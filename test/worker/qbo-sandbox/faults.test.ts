import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { REDIRECT, api, authorizeCode, caReceipt, connect, makeSandbox, testClock, tokenRequest } from "./helpers";

let sb: QboSandbox;

let realmId: string;
let token: string;
let q: ReturnType<typeof api>;

beforeEach(async () => {
  ({ sb } = makeSandbox());
  ({ realmId, token } = await connect(sb, "ca"));
  q = api(sb, realmId, token);
});

const receipts = () => sb.entities(realmId, "SalesReceipt").length;

describe("injected faults", () => {
  it("http500 and http503 answer SystemFault without performing the write", async () => {
    sb.injectFault({ kind: "http500", match: { entity: "SalesReceipt" } });
    sb.injectFault({ kind: "http503" });
    const a = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(a.status).toBe(500);
    expect(a.body.Fault.type).toBe("SystemFault");
    const b = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(b.status).toBe(503);
    expect(receipts()).toBe(0);
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10))).status).toBe(200);
  });

  it("http502html answers an HTML error page", async () => {
    sb.injectFault({ kind: "http502html" });
    const res = await q.query("select * from Item");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.body).toBeUndefined();
  });

  it("throttle and throttleXml answer 429 in JSON or in Intuit's XML", async () => {
    sb.injectFault({ kind: "throttle" });
    sb.injectFault({ kind: "throttleXml" });
    const j = await q.query("select * from Item");
    expect(j.status).toBe(429);
    expect(j.body.fault.error[0]).toMatchObject({
      code: "3001",
      message: "message=ThrottleExceeded; errorCode=003001; statusCode=429",
      detail: "The request limit was reached.",
    });
    expect(j.body.fault.type).toBe("SERVICE");
    const x = await q.query("select * from Item");
    expect(x.status).toBe(429);
    expect(x.headers.get("content-type")).toBe("application/xml");
    expect(x.text).toMatch(/^<\?xml/);
    expect(x.text).toContain(
      '<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>',
    );
  });

  it("truncatedJson performs the write and cuts the body", async () => {
    sb.injectFault({ kind: "truncatedJson", match: { operation: "create" } });
    const res = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
    expect(() => JSON.parse(res.text)).toThrow();
    expect(receipts()).toBe(1);
  });

  it("okWithoutEntity performs the write and answers only the time", async () => {
    sb.injectFault({ kind: "okWithoutEntity" });
    const res = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["time"]);
    expect(receipts()).toBe(1);
  });

  it("fault answers the QBO fault given", async () => {
    sb.injectFault({
      kind: "fault",
      fault: { status: 400, code: "6190", message: "Invalid Company Status", detail: "Subscription period has ended" },
    });
    const res = await q.post("SalesReceipt", caReceipt(sb, realmId, 10));
    expect(res.status).toBe(400);
    expect(res.body.Fault.Error[0]).toMatchObject({
      code: "6190",
      Message: "Invalid Company Status",
      Detail: "Subscription period has ended",
    });
    expect(receipts()).toBe(0);
  });

  it("fault with a gateway type (SERVICE, AUTHENTICATION) answers in the gateway's lowercase shape", async () => {
    sb.injectFault({
      kind: "fault",
      fault: {
        status: 401,
        code: "3200",
        type: "AUTHENTICATION",
        message: "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        detail: "Token revoked",
      },
    });
    const res = await q.query("select * from Item");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      fault: {
        error: [
          {
            message: "message=AuthenticationFailed; errorCode=003200; statusCode=401",
            detail: "Token revoked",
            code: "3200",
          },
        ],
        type: "AUTHENTICATION",
      },
    });
    expect(res.headers.get("www-authenticate")).toContain("invalid_token");
  });

  it("timeoutBeforeCommit: fetch rejects like a network timeout and nothing is stored", async () => {
    sb.injectFault({ kind: "timeoutBeforeCommit" });
    await expect(q.post("SalesReceipt", caReceipt(sb, realmId, 10), "requestid=to-1")).rejects.toBeInstanceOf(
      TypeError,
    );
    expect(receipts()).toBe(0);
    const retry = await q.post("SalesReceipt", caReceipt(sb, realmId, 10), "requestid=to-1");
    expect(retry.status).toBe(200);
    expect(receipts()).toBe(1);
  });

  it("commitThenTimeout: the write is stored and its requestid remembered, then fetch rejects", async () => {
    sb.injectFault({ kind: "commitThenTimeout" });
    await expect(q.post("SalesReceipt", caReceipt(sb, realmId, 10), "requestid=ct-1")).rejects.toThrow(TypeError);
    expect(receipts()).toBe(1);
    const retry = await q.post("SalesReceipt", caReceipt(sb, realmId, 10), "requestid=ct-1");
    expect(retry.status).toBe(200);
    expect(retry.body.SalesReceipt.Id).toBe((sb.entities(realmId, "SalesReceipt")[0] as { Id: string }).Id);
    expect(receipts()).toBe(1);
  });

  it("expireToken treats the presented access token as expired from then on", async () => {
    sb.injectFault({ kind: "expireToken" });
    const res = await q.query("select * from Item");
    expect(res.status).toBe(401);
    expect(res.body.fault.error[0].code).toBe("3200");
    expect((await q.query("select * from Item")).status).toBe(401);
  });

  it("matches by realm, method, entity, operation and path, consumes in order, and honours count", async () => {
    sb.injectFault({ kind: "http500", realm: sb.realms.us });
    sb.injectFault({ kind: "http503", match: { method: "GET", pathIncludes: "/query" }, count: 2 });
    sb.injectFault({ kind: "http500", match: { entity: "invoice", operation: "create" } });
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 10))).status).toBe(200);
    expect((await q.query("select * from Item")).status).toBe(503);
    expect((await q.query("select * from Item")).status).toBe(503);
    expect((await q.query("select * from Item")).status).toBe(200);
    sb.clearFaults();
    expect((await q.post("Invoice", caReceipt(sb, realmId, 10, { CustomerRef: { value: "1" } }))).status).not.toBe(500);
  });

  it("reaches the OAuth token endpoint too", async () => {
    const { code } = await authorizeCode(sb);
    sb.injectFault({ kind: "http503", match: { operation: "token" } });
    expect((await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })).status).toBe(
      503,
    );
    expect((await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })).status).toBe(
      200,
    );
  });

  it("the request log records each API call with its outcome", async () => {
    await q.post("SalesReceipt", caReceipt(sb, realmId, 10), "requestid=log-1");
    await q.query("select * from Item");
    const log = sb.requestLog(realmId);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      realmId,
      method: "POST",
      entity: "SalesReceipt",
      operation: "create",
      write: true,
      status: 200,
      requestId: "log-1",
    });
    expect(log[1]).toMatchObject({
      method: "GET",
      entity: "Item",
      operation: "query",
      write: false,
      status: 200,
      query: "select * from Item",
    });
    expect(log[0]!.query).toBeUndefined();
    expect(sb.requestLog(sb.realms.us)).toHaveLength(0);
  });
});

describe("throttling (rule 12)", () => {
  it("allows 10 requests a second per company, then 429 until the second passes", async () => {
    const c = testClock();
    const { sb: s } = makeSandbox({ throttle: undefined }, c);
    const conn = await connect(s, "ca");
    const t = api(s, conn.realmId, conn.token);
    for (let i = 0; i < 10; i++) expect((await t.query("select * from Term")).status).toBe(200);
    const over = await t.query("select * from Term");
    expect(over.status).toBe(429);
    expect(over.body.fault.error[0].code).toBe("3001");
    // Another company has its own limits.
    const us = await connect(s, "us");
    expect((await api(s, us.realmId, us.token).query("select * from Term")).status).toBe(200);
    c.advance(1);
    expect((await t.query("select * from Term")).status).toBe(200);
  });

  it("allows 500 requests a minute, and 40 batch requests a minute", async () => {
    const c = testClock();
    const { sb: s } = makeSandbox({ throttle: undefined }, c);
    const conn = await connect(s, "ca");
    const t = api(s, conn.realmId, conn.token);
    for (let i = 0; i < 500; i++) {
      if (i % 10 === 0) c.advance(1);
      expect((await t.query("select * from Term")).status).toBe(200);
    }
    c.advance(1);
    expect((await t.query("select * from Term")).status).toBe(429);
    c.advance(60);
    for (let i = 0; i < 40; i++) {
      if (i % 10 === 0) c.advance(1);
      expect(
        (await t.call("POST", "batch", { BatchItemRequest: [{ bId: "q", Query: "select * from Term" }] })).status,
      ).toBe(200);
    }
    c.advance(1);
    expect(
      (await t.call("POST", "batch", { BatchItemRequest: [{ bId: "q", Query: "select * from Term" }] })).status,
    ).toBe(429);
    expect((await t.query("select * from Term")).status).toBe(200);
  });
});
