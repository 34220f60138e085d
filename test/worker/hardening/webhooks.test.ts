import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hmacHex } from "../../../sandbox/pos/index";
import { getClosureRecord } from "../../../worker/db/closures";
import { expectRefusal, type Refusal } from "./expect";
import { expectUnchanged, othersOnly, picture } from "./snapshot";
import { createWorld, type World } from "./world";

/**
 * Hostile and broken POS webhooks: strangers, wrong secrets, forged or mangled signatures, bodies
 * that are not the POS's form, payloads that are not JSON objects, closures whose figures cannot be
 * money, and a store announcing itself as another. Refused ones change nothing anywhere; accepted
 * ones record exactly what was announced, for that store only, once.
 */
let world: World;
const heard: { hook: string; args: string[] }[] = [];
beforeAll(async () => {
  world = await createWorld({
    hooks: {
      onClosureAnnounced: async (tenant, id) => void heard.push({ hook: "closure", args: [tenant, id] }),
      onPosChange: async (tenant, type, id) => void heard.push({ hook: "change", args: [tenant, type, id] }),
    },
  });
}, 120_000);
beforeEach(() => void (heard.length = 0));

const FORM = "application/x-www-form-urlencoded";
const urlOf = (prefix: string) => new URL(Object.values(world.pos.store(prefix).webhooks)[0]!.url).pathname;
const secretOf = (prefix: string) => urlOf(prefix).split("/").at(-1)!;

let ip = 0;
async function deliver(
  path: string,
  body: string,
  headers: Record<string, string> = {},
  sign: string | null = world.env.POS_CLIENT_SECRET,
) {
  const signature: Record<string, string> =
    sign === null ? {} : { "x-signature": `signature=${await hmacHex(sign, body)}, algorithm=HMAC-SHA256` };
  const res = await world.request(path, {
    method: "POST",
    headers: { "content-type": FORM, ...signature, ...headers },
    body,
    ip: `203.0.113.${++ip}`,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function closure(over: Record<string, unknown> = {}, payment: Record<string, unknown> = {}) {
  const store = world.pos.store("demo");
  const register = Object.values(store.registers)[0]!;
  const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
  return {
    id: `seq-${crypto.randomUUID()}`,
    register_id: register.id,
    outlet_id: register.outletId,
    sequence_number: 77,
    register_open_time: "2026-10-30T13:00:00Z",
    register_close_time: "2026-10-30T22:00:00Z",
    payments: [
      { retailer_payment_type_id: cash.id, name: cash.name, expected: "100.00", counted: "99.50", ...payment },
    ],
    ...over,
  };
}
const form = (payload: unknown, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    type: "register_closure.create",
    domain_prefix: "demo",
    ...extra,
  }).toString();

interface Refused extends Refusal {
  name: string;
  path?: () => string;
  body: () => string;
  headers?: Record<string, string>;
  /** The key that signs it; null: sent unsigned */
  sign?: () => string | null;
}

const BAD = { status: 400, code: "bad_request" } as const;
const SIGNATURE = {
  status: 401,
  code: "webhook_signature_invalid",
  words: /The webhook signature does not match\./,
} as const;

const REFUSED: Refused[] = [
  {
    name: "a store Tillbridge does not know",
    path: () => `/webhooks/pos/no-such-store/${secretOf("demo")}`,
    body: () => form(closure()),
    status: 404,
    code: "not_found",
    words: /Not found: webhook endpoint/,
  },
  {
    name: "the right store, a wrong secret",
    path: () => `/webhooks/pos/demo/${"x".repeat(43)}`,
    body: () => form(closure()),
    ...SIGNATURE,
  },
  {
    name: "the other store's secret on this store's URL",
    path: () => `/webhooks/pos/demo/${secretOf("demo-us")}`,
    body: () => form(closure()),
    ...SIGNATURE,
  },
  { name: "signed with another key", body: () => form(closure()), sign: () => "not-the-client-secret", ...SIGNATURE },
  {
    name: "a signature by another algorithm",
    body: () => form(closure()),
    sign: () => null,
    headers: { "x-signature": `signature=${"ab".repeat(32)}, algorithm=HMAC-SHA1` },
    ...SIGNATURE,
  },
  {
    name: "a signature that is not hex",
    body: () => form(closure()),
    sign: () => null,
    headers: { "x-signature": "signature=not-hex-at-all, algorithm=HMAC-SHA256" },
    ...SIGNATURE,
  },
  {
    name: "an empty signature header",
    body: () => form(closure()),
    sign: () => null,
    headers: { "x-signature": "" },
    ...SIGNATURE,
  },
  {
    name: "the payload field missing",
    body: () => new URLSearchParams({ type: "sale.update" }).toString(),
    ...BAD,
    words: /webhook: the payload field is missing/,
  },
  {
    name: "a payload that is not JSON",
    body: () => form("{not json"),
    ...BAD,
    words: /webhook: the payload is not JSON/,
  },
  {
    name: "a payload that is a JSON array",
    body: () => form("[1,2,3]"),
    ...BAD,
    words: /webhook: the payload is not a JSON object/,
  },
  { name: "a payload that is JSON null", body: () => form("null"), ...BAD, words: /not a JSON object/ },
  {
    name: "a JSON body instead of the POS's form",
    body: () => JSON.stringify(closure()),
    headers: { "content-type": "application/json" },
    ...BAD,
    words: /the payload field is missing/,
  },
  { name: "an empty body", body: () => "", ...BAD, words: /the payload field is missing/ },
  {
    name: "a delivery naming another store",
    body: () => form(closure(), { domain_prefix: "demo-us" }),
    ...BAD,
    words: /domain_prefix is another store's/,
  },
  {
    name: "600 KB",
    body: () => form({ ...closure(), filler: "x".repeat(600 * 1024) }),
    status: 413,
    code: "payload_too_large",
    words: /too large/,
  },
  {
    name: "a closure without its register",
    body: () => form(closure({ register_id: undefined })),
    ...BAD,
    words: /register_id: missing/,
  },
  {
    name: "money with absurd precision",
    body: () => form(closure({}, { expected: "100.0000000000000000000001" })),
    ...BAD,
    words: /payments\[0\]\.expected/,
  },
  {
    name: "money in words",
    body: () => form(closure({}, { expected: "one hundred" })),
    ...BAD,
    words: /payments\[0\]\.expected/,
  },
  {
    name: "money as a boolean",
    body: () => form(closure({}, { counted: true })),
    ...BAD,
    words: /payments\[0\]\.counted: expected a number or a decimal string, got boolean true/,
  },
  {
    name: "money beyond any till",
    body: () => form(closure({}, { expected: 1e15 })),
    ...BAD,
    words: /payments\[0\]\.expected: .* is out of range/,
  },
  {
    name: "a closing time in words",
    body: () => form(closure({ register_close_time: "yesterday" })),
    ...BAD,
    words: /register_close_time: not a date-time/,
  },
  {
    name: "payments that are not a list",
    body: () => form(closure({ payments: { cash: "100.00" } })),
    ...BAD,
    words: /payments/,
  },
  {
    name: "a payment without its payment type",
    body: () => form(closure({}, { retailer_payment_type_id: undefined })),
    ...BAD,
    words: /payments\[0\]\.retailer_payment_type_id: missing/,
  },
  {
    name: "a payment type name of 3000 characters",
    body: () => form(closure({}, { name: "N".repeat(3000) })),
    ...BAD,
    words: /longer than 2000 characters/,
  },
];

describe("refused deliveries: a clear error, nothing recorded, nothing told to the engine", () => {
  it.each(REFUSED)("$name", async (c) => {
    const before = await picture(world);
    const res = await deliver(
      c.path?.() ?? urlOf("demo"),
      c.body(),
      c.headers,
      c.sign ? c.sign() : world.env.POS_CLIENT_SECRET,
    );
    expectRefusal(res, c);
    await world.settle();
    expect(heard).toEqual([]);
    expectUnchanged(before, await picture(world));
  });
});

describe("accepted deliveries: exactly what was announced, for that store only, once", () => {
  async function accepted(payload: Record<string, unknown>) {
    const before = await picture(world);
    const body = form(payload);
    const res = await deliver(urlOf("demo"), body);
    expect(res.status).toBe(200);
    await world.settle();
    expect(heard).toEqual([{ hook: "closure", args: ["demo", payload.id] }]);
    expectUnchanged(before, await picture(world), othersOnly(world, "demo"));
    return { body, record: (await getClosureRecord(world.env.DB, "demo", String(payload.id)))! };
  }

  it("money as JSON numbers reads exactly like decimal strings", async () => {
    const { record } = await accepted(closure({}, { expected: 100.5, counted: 0.1 }));
    expect(record.payments![0]).toMatchObject({ expectedMinor: 10050, countedMinor: 10 });
  });

  it("a refund day's negative takings", async () => {
    const { record } = await accepted(closure({}, { expected: "-25.00", counted: "-25.00" }));
    expect(record.payments![0]).toMatchObject({ expectedMinor: -2500, countedMinor: -2500 });
  });

  it("a Unicode payment type name, kept as written (composed)", async () => {
    const decomposed = "Carte-cadeau \u00e9te\u0301 🎁 Ünïcødé";
    const { record } = await accepted(closure({}, { name: decomposed }));
    expect(record.payments![0]!.name).toBe(decomposed.normalize("NFC"));
  });

  it("the same delivery again: answered as a duplicate, nothing recorded twice, the engine not told again", async () => {
    const { body } = await accepted(closure());
    heard.length = 0;
    const before = await picture(world);
    const again = await deliver(urlOf("demo"), body);
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    await world.settle();
    expect(heard).toEqual([]);
    expectUnchanged(before, await picture(world));
  });

  it("an event type Tillbridge does not know: a hint the engine may ignore, nothing recorded but the delivery", async () => {
    const before = await picture(world);
    const res = await deliver(
      urlOf("demo"),
      new URLSearchParams({
        payload: JSON.stringify({ id: "prod-1", name: "Kettle" }),
        type: "product.update",
      }).toString(),
    );
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { ok: true } });
    await world.settle();
    expect(heard).toEqual([{ hook: "change", args: ["demo", "product.update", "prod-1"] }]);
    expectUnchanged(before, await picture(world), (w) => w === "webhook_events/demo");
  });

  it("a shape nobody knows, without a type: ignored", async () => {
    const before = await picture(world);
    const res = await deliver(
      urlOf("demo"),
      new URLSearchParams({ payload: JSON.stringify({ something: "else" }) }).toString(),
    );
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { ok: true, ignored: true } });
    await world.settle();
    expect(heard).toEqual([]);
    expectUnchanged(before, await picture(world), (w) => w === "webhook_events/demo");
  });
});
