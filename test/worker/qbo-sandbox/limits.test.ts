import { describe, expect, it } from "vitest";
import { api, caReceipt, connect, expectFault, type J, makeSandbox, testClock } from "./helpers";

/** A sleep on the test clock: it returns at once with the clock moved by its length. */
function clockSleep(clock: ReturnType<typeof testClock>, asked: number[] = []) {
  return (ms: number) => {
    asked.push(ms);
    clock.advance(ms / 1000);
    return Promise.resolve();
  };
}

describe("round-trip latency", () => {
  it("every request takes latencyMs: half on the way in (when QBO sees it), half on the way back", async () => {
    const clock = testClock();
    const asked: number[] = [];
    const { sb } = makeSandbox({ latencyMs: 250, sleep: clockSleep(clock, asked) }, clock);
    const c = await connect(sb, "ca"); // the token request takes its round trip too
    expect(asked).toEqual([250]);
    const q = api(sb, c.realmId, c.token);
    const sent = clock.now.getTime();
    expect((await q.query("select * from Term")).status).toBe(200);
    expect(clock.now.getTime() - sent).toBe(250);
    expect(Date.parse(sb.requestLog(c.realmId).at(-1)!.at) - sent).toBe(125);
    expect(asked).toEqual([250, 125, 125]);
    // Changed at run time, also over HTTP.
    const set = await sb.fetch(
      new Request("http://qbo.test/_sandbox/latency", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms: 0 }),
      }),
    );
    expect(set.status).toBe(200);
    await q.query("select * from Term");
    expect(asked).toHaveLength(3);
  });

  it("at most 10 requests of a company in flight: the 11th arriving while ten are open gets 429", async () => {
    const held: (() => void)[] = [];
    let holding = false;
    // Latency 201: 100 ms in (at once), 101 ms back (held until released), so answers pile up in flight.
    const sleep = (ms: number) => (holding && ms === 101 ? new Promise<void>((r) => held.push(r)) : Promise.resolve());
    const { sb } = makeSandbox({
      latencyMs: 201,
      sleep,
      throttle: { perMinute: 500, perSecond: 100, batchPerMinute: 40, maxConcurrent: 10 },
    });
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    holding = true;
    const calls = Array.from({ length: 11 }, () => q.query("select * from Term"));
    while (held.length < 11) await new Promise((r) => setTimeout(r, 0));
    for (const release of held) release();
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    // Once they are answered, there is room again.
    const again = q.query("select * from Term");
    while (held.length < 12) await new Promise((r) => setTimeout(r, 0));
    held[11]!();
    expect((await again).status).toBe(200);
  });

  it("CDC reads count against the per-second limit like any request", async () => {
    const clock = testClock();
    const { sb } = makeSandbox({ throttle: undefined }, clock);
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    const since = encodeURIComponent(clock.now.toISOString());
    for (let i = 0; i < 10; i++)
      expect((await q.call("GET", `cdc?entities=Customer&changedSince=${since}`)).status).toBe(200);
    expect((await q.call("GET", `cdc?entities=Customer&changedSince=${since}`)).status).toBe(429);
  });
});

describe("batch limits", () => {
  const customers = (n: number, bId = (i: number) => `b${i}`) =>
    Array.from({ length: n }, (_, i) => ({
      bId: bId(i),
      operation: "create",
      Customer: { DisplayName: `Limit ${n}-${i}` },
    }));

  it("takes 30 items (the documented maximum; 10 is only a recommendation) and refuses 31 with 1040", async () => {
    const { sb } = makeSandbox();
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    const ok = await q.post("batch", { BatchItemRequest: customers(30) });
    expect(ok.body.BatchItemResponse).toHaveLength(30);
    const over = expectFault(await q.post("batch", { BatchItemRequest: customers(31) }), 400, "1040");
    expect(over.Detail).toMatch(/31/);
  });

  it("with a requestid: the batch's id is at most 36 characters and each bId at most 10", async () => {
    const { sb } = makeSandbox();
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    const rid = (n: number, ch = "r") => `minorversion=75&requestid=${ch.repeat(n)}`;
    expectFault(await q.post("batch", { BatchItemRequest: customers(1) }, rid(37)), 400, "2050");
    const longBid = customers(2, (i) => `item-${i}-abcdef`);
    const fault = expectFault(await q.post("batch", { BatchItemRequest: longBid }, rid(36)), 400, "2050");
    expect(fault.element).toBe("bId");
    expect(sb.entities(c.realmId, "Customer").some((x) => (x as J).DisplayName === "Limit 2-0")).toBe(false);
    // Without a requestid a long bId is fine.
    expect((await q.post("batch", { BatchItemRequest: longBid })).body.BatchItemResponse[1].bId).toBe("item-1-abcdef");
    const replayed = await q.post("batch", { BatchItemRequest: customers(3) }, rid(36, "s"));
    expect(replayed.status).toBe(200);
    expect((await q.post("batch", { BatchItemRequest: customers(3) }, rid(36, "s"))).text).toBe(replayed.text);
  });

  it("an injected fault can answer one item of a batch while the others are posted", async () => {
    const { sb } = makeSandbox();
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    sb.injectFault({
      realm: c.realmId,
      match: { entity: "SalesReceipt", operation: "create", inBatch: true },
      kind: "fault",
      fault: { status: 400, code: "6000", message: "A business validation error has occurred", detail: "injected" },
    });
    const item = (n: number) => ({ bId: `s${n}`, operation: "create", SalesReceipt: caReceipt(sb, c.realmId, n) });
    const res = await q.post("batch", { BatchItemRequest: [item(1), item(2), item(3)] });
    expect(res.status).toBe(200);
    const [a, b, d] = res.body.BatchItemResponse;
    expect(a).toMatchObject({ bId: "s1", Fault: { Error: [{ code: "6000", Detail: "injected" }] } });
    expect(b.SalesReceipt.TotalAmt).toBe(2.3);
    expect(d.SalesReceipt.TotalAmt).toBe(3.45);
    expect(sb.entities(c.realmId, "SalesReceipt")).toHaveLength(2);
    // A whole-request fault spec does not touch batch items, and an item spec not whole requests.
    const http = (body: unknown) =>
      sb.fetch(
        new Request("http://qbo.test/_sandbox/faults", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    expect((await http({ match: { inBatch: true, entity: "Customer" }, kind: "http500" })).status).toBe(200);
    expect((await q.post("Customer", { DisplayName: "Single" })).status).toBe(200);
    const sys = await q.post("batch", { BatchItemRequest: customers(2) });
    expect(sys.body.BatchItemResponse[0].Fault).toMatchObject({ type: "SystemFault", Error: [{ code: "10000" }] });
    expect(sys.body.BatchItemResponse[1].Customer).toBeDefined();
    expect((await http({ match: { inBatch: true }, kind: "commitThenTimeout" })).status).toBe(400);
  });
});
