import { describe, expect, it } from "vitest";
import type { QboSandboxOptions } from "../../../sandbox/qbo/index";
import { RETRY_SCHEDULE_MS } from "../../../sandbox/qbo/index";
import { api, caReceipt, connect, ids, type J, makeSandbox } from "./helpers";

const URL_ = "https://tillbridge.test/webhooks/qbo";
const TOKEN = "verifier-token-123";

interface Received {
  url: string;
  headers: Headers;
  body: string;
}

/** A receiver that answers each delivery with the next status of `answers` (then 200); throws on "throw". */
function receiver(answers: (number | "throw")[] = []) {
  const got: Received[] = [];
  const deliver = async (url: string, init: RequestInit) => {
    got.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    const next = answers.shift() ?? 200;
    if (next === "throw") throw new TypeError("connection refused");
    return new Response(null, { status: next });
  };
  return { got, deliver, json: (i: number) => JSON.parse(got[i]!.body) as J };
}

/** Sleeps that return at once and are remembered (the sandbox never waits for real in these tests). */
function recordedSleeps() {
  const asked: number[] = [];
  const sleep = (ms: number) => {
    asked.push(ms);
    return Promise.resolve();
  };
  return { asked, sleep };
}

async function setup(
  webhook: Partial<NonNullable<QboSandboxOptions["webhook"]>>,
  extra: QboSandboxOptions = {},
  answers: (number | "throw")[] = [],
) {
  const r = receiver(answers);
  const sleeps = recordedSleeps();
  const { sb, clock } = makeSandbox({
    sleep: sleeps.sleep,
    webhook: { url: URL_, verifierToken: TOKEN, deliver: r.deliver, retryDelaysMs: [], ...webhook },
    ...extra,
  });
  const c = await connect(sb, "ca");
  return { sb, clock, r, sleeps, realmId: c.realmId, q: api(sb, c.realmId, c.token), id: ids(sb, c.realmId) };
}

async function verify(body: string, signature: string | null): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(TOKEN),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const mac = Uint8Array.from(atob(signature ?? ""), (ch) => ch.charCodeAt(0));
  return crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(body));
}

describe("Intuit webhooks from the QBO sandbox", () => {
  it("legacy format: one signed notification per request, with Intuit's headers", async () => {
    const { sb, r, q, realmId } = await setup({});
    const customer = (await q.post("Customer", { DisplayName: "Webhook Person" })).body.Customer;
    await sb.flushWebhooks();
    expect(r.got).toHaveLength(1);
    const d = r.got[0]!;
    expect(d.url).toBe(URL_);
    expect(d.headers.get("content-type")).toBe("application/json");
    expect(d.headers.get("intuit-notification-schema-version")).toBe("0.1");
    expect(d.headers.get("user-agent")).toBe("intuit_notification_server/0.1");
    expect(await verify(d.body, d.headers.get("intuit-signature"))).toBe(true);
    expect(await verify(`${d.body} `, d.headers.get("intuit-signature"))).toBe(false);
    expect(r.json(0)).toEqual({
      eventNotifications: [
        {
          realmId,
          dataChangeEvent: {
            entities: [
              { name: "Customer", id: customer.Id, operation: "Create", lastUpdated: "2026-11-28T15:00:00-0000" },
            ],
          },
        },
      ],
    });
    expect(Date.parse(r.json(0).eventNotifications[0].dataChangeEvent.entities[0].lastUpdated)).toBe(
      Date.parse(customer.MetaData.LastUpdatedTime),
    );
    expect(sb.webhookDeliveries()).toMatchObject([{ attempt: 1, status: 200, realmId, format: "legacy" }]);
  });

  it("CloudEvents format: an array of events typed qbo.<entity>.<created|updated|voided|deleted>.v1", async () => {
    const { sb, r, q, realmId } = await setup({ format: "cloudevents" });
    const receipt = (await q.post("SalesReceipt", caReceipt(sb, realmId, 10))).body.SalesReceipt;
    await q.post("SalesReceipt", { Id: receipt.Id, SyncToken: "0", sparse: true }, "operation=void");
    await q.post("SalesReceipt", { Id: receipt.Id, SyncToken: "1" }, "operation=delete");
    await sb.flushWebhooks();
    const events = r.got.flatMap((_, i) => r.json(i) as J[]);
    expect(events.map((e) => e.type)).toEqual([
      "qbo.salesreceipt.created.v1",
      "qbo.salesreceipt.voided.v1",
      "qbo.salesreceipt.deleted.v1",
    ]);
    expect(events[0]).toMatchObject({
      specversion: "1.0",
      datacontenttype: "application/json",
      intuitentityid: receipt.Id,
      intuitaccountid: realmId,
      data: {},
      time: "2026-11-28T15:00:00.000Z",
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    for (const d of r.got) expect(await verify(d.body, d.headers.get("intuit-signature"))).toBe(true);
  });

  it("a batch's changes go in one notification; the merchant's changes and Preferences updates notify too", async () => {
    const { sb, r, q, realmId, id } = await setup({});
    await q.post("batch", {
      BatchItemRequest: [
        { bId: "1", operation: "create", Customer: { DisplayName: "B1" } },
        { bId: "2", operation: "create", Vendor: { DisplayName: "B2" } },
      ],
    });
    await sb.flushWebhooks();
    expect(r.json(0).eventNotifications[0].dataChangeEvent.entities.map((e: J) => e.name)).toEqual([
      "Customer",
      "Vendor",
    ]);
    sb.setActive(realmId, "Account", id.account("Bank charges"), false);
    await sb.flushWebhooks();
    sb.setActive(realmId, "Account", id.account("Bank charges"), true);
    await sb.flushWebhooks();
    sb.setClosingDate(realmId, "2026-10-31");
    await sb.flushWebhooks();
    const ops = r.got.slice(1).map((_, i) => r.json(i + 1).eventNotifications[0].dataChangeEvent.entities[0]);
    expect(ops.map((e: J) => [e.name, e.operation])).toEqual([
      ["Account", "Delete"],
      ["Account", "Update"],
      ["Preferences", "Update"],
    ]);
  });

  it("only companies connected to the app are notified; tax entities are not", async () => {
    const { sb, r } = await setup({ clientId: "tillbridge-test-qbo" });
    sb.setActive(sb.realms.us, "Account", ids(sb, sb.realms.us).account("Bank charges"), false);
    sb.setActive(sb.realms.ca, "TaxCode", ids(sb, sb.realms.ca).taxCode("Exempt"), false);
    await sb.flushWebhooks();
    expect(r.got).toHaveLength(0);
    const other = await setup({ clientId: "someone-else" });
    other.sb.setActive(other.realmId, "Account", other.id.account("Bank charges"), false);
    await other.sb.flushWebhooks();
    expect(other.r.got).toHaveLength(0);
  });

  it("retries a failed delivery on Intuit's schedule, and holds the company's next notification until then", async () => {
    const { sb, q, sleeps } = await setup({ retryDelaysMs: RETRY_SCHEDULE_MS }, {}, [500, "throw", 200]);
    await q.post("Customer", { DisplayName: "First" });
    await q.post("Customer", { DisplayName: "Second" });
    await sb.flushWebhooks();
    expect(sleeps.asked).toEqual([10_000, 20_000]);
    const log = sb.webhookDeliveries();
    expect(log.map((a) => [a.deliveryId, a.attempt, a.status, a.error])).toEqual([
      ["w1", 1, 500, null],
      ["w1", 2, null, "connection refused"],
      ["w1", 3, 200, null],
      ["w2", 1, 200, null],
    ]);
    expect(log[3]!.changes[0]!.entity).toBe("Customer");
    expect(RETRY_SCHEDULE_MS.slice(0, 8)).toEqual([10e3, 20e3, 30e3, 300e3, 1200e3, 7200e3, 14400e3, 21600e3]);
  });

  it("gives up after the last retry; the next notification still goes", async () => {
    const { sb, r, q } = await setup({ retryDelaysMs: [0, 0] }, {}, [503, 503, 503]);
    await q.post("Customer", { DisplayName: "Lost" });
    await q.post("Customer", { DisplayName: "Kept" });
    await sb.flushWebhooks();
    expect(r.got).toHaveLength(4);
    expect(r.json(3).eventNotifications[0].dataChangeEvent.entities).toHaveLength(1);
  });

  it("aggregates a company's changes over the configured window", async () => {
    let release!: () => void;
    const window = new Promise<void>((resolve) => {
      release = resolve;
    });
    const asked: number[] = [];
    const sleep = (ms: number) => {
      asked.push(ms);
      return ms === 60_000 ? window : Promise.resolve();
    };
    const { sb, r, q } = await setup({ aggregationMs: 60_000 }, { sleep });
    await q.post("Customer", { DisplayName: "One" });
    await q.post("Customer", { DisplayName: "Two" });
    await q.post("Vendor", { DisplayName: "Three" });
    await Promise.resolve();
    expect(r.got).toHaveLength(0);
    release();
    await sb.flushWebhooks();
    expect(asked).toEqual([60_000]);
    expect(r.got).toHaveLength(1);
    expect(r.json(0).eventNotifications[0].dataChangeEvent.entities).toHaveLength(3);
  });

  it("is configured over HTTP too (sent with the sandbox's deliverWebhook), and stops when removed", async () => {
    const r = receiver();
    const { sb } = makeSandbox({ deliverWebhook: r.deliver, sleep: recordedSleeps().sleep });
    const c = await connect(sb, "ca");
    const q = api(sb, c.realmId, c.token);
    const control = (method: string, body?: unknown) =>
      sb.fetch(
        new Request("http://qbo.test/_sandbox/webhook", {
          method,
          headers: { "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
    expect((await control("POST", { url: URL_, verifierToken: TOKEN, format: "bogus" })).status).toBe(400);
    expect((await control("POST", { url: URL_, verifierToken: TOKEN, format: "cloudevents" })).status).toBe(200);
    await q.post("Customer", { DisplayName: "Over HTTP" });
    await sb.flushWebhooks();
    expect(r.got).toHaveLength(1);
    expect((r.json(0) as J[])[0].type).toBe("qbo.customer.created.v1");
    expect(await verify(r.got[0]!.body, r.got[0]!.headers.get("intuit-signature"))).toBe(true);
    const listed = (await (await sb.fetch(new Request("http://qbo.test/_sandbox/webhook/deliveries"))).json()) as J[];
    expect(listed).toHaveLength(1);
    await control("DELETE");
    await q.post("Customer", { DisplayName: "Unheard" });
    await sb.flushWebhooks();
    expect(r.got).toHaveLength(1);
  });
});
