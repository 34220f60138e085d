import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { hmacHex } from "../../../sandbox/pos/index";
import type { TillbridgeError } from "../../../shared/errors";
import { getClosureRecord } from "../../../worker/db/closures";
import { announcedClosure } from "../../../worker/pos/webhooks";
import { createPosHarness, forgetTenant, TENANT, type PosHarness } from "./harness";

/** POS webhook deliveries: the sandbox's own, and hand-made good and bad ones. */

const FORM = "application/x-www-form-urlencoded";

async function connected(opts: { webhookSigning?: boolean } = {}) {
  const h = createPosHarness({ days: 1, ...opts });
  const { session } = await h.connect();
  const url = Object.values(h.sandbox.store(TENANT).webhooks)[0]!.url;
  return { h, session, url };
}

function closurePayload(h: PosHarness, id = "seq-hand-1", counted = "100.00") {
  const store = h.sandbox.store(TENANT);
  const register = Object.values(store.registers)[0]!;
  const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash")!;
  return {
    id,
    register_id: register.id,
    outlet_id: register.outletId,
    sequence_number: 41,
    register_open_time: "2026-11-01T13:00:00+00:00",
    register_close_time: "2026-11-01T23:00:00+00:00",
    payments: [{ retailer_payment_type_id: cash.id, name: cash.name, expected: "100.00", counted }],
  };
}

const formBody = (payload: unknown, type = "register_closure.create") =>
  new URLSearchParams({ payload: JSON.stringify(payload), domain_prefix: TENANT, type }).toString();
const post = async (h: PosHarness, url: string, body: string, headers: Record<string, string> = {}) =>
  h.app.request(url, { method: "POST", headers: { "content-type": FORM, ...headers }, body }, env);
const signed = async (body: string, secret = env.POS_CLIENT_SECRET) => ({
  "x-signature": `signature=${await hmacHex(secret, body)}, algorithm=HMAC-SHA256`,
});
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeEach(forgetTenant);

describe("POST /webhooks/pos/:tenant/:secret", () => {
  it("records a closure the POS announces (counted totals from the webhook) and tells the engine", async () => {
    const { h } = await connected();
    const register = Object.values(h.sandbox.store(TENANT).registers)[0]!;
    const opened = h.sandbox.openRegister(TENANT, register.id, "2026-11-02T13:00:00Z");
    h.sandbox.addSale(TENANT, {
      registerId: register.id,
      at: "2026-11-02T14:00:00Z",
      lines: [{ productId: Object.values(h.sandbox.store(TENANT).products).find((p) => p.kind === "product")!.id }],
    });
    const cash = Object.values(h.sandbox.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    h.sandbox.closeRegister(TENANT, register.id, { [cash.id]: "0.00" }, "2026-11-02T22:00:00Z");
    await h.settle();

    const delivered = h.sandbox.webhookDeliveries().filter((d) => d.type === "register_closure.create");
    expect(delivered.map((d) => d.status)).toEqual([200]);
    expect(delivered[0]!.signature).toMatch(/^[0-9a-f]{64}$/);
    const rec = (await getClosureRecord(env.DB, TENANT, opened.id))!;
    expect(rec).toMatchObject({
      registerId: register.id,
      sequenceNumber: opened.sequenceNumber,
      countedSource: "webhook",
      discoveredVia: "webhook",
      openedAt: "2026-11-02T13:00:00Z",
      closedAt: "2026-11-02T22:00:00Z",
    });
    const figures = h.sandbox.closureFigures(TENANT, opened.id);
    for (const p of figures.payments)
      expect(rec.payments!.find((x) => x.paymentTypeId === p.paymentTypeId)).toMatchObject({
        expectedMinor: p.expectedMinor,
        countedMinor: p.countedMinor,
      });
    expect(h.hookCalls.filter((c) => c.hook === "onClosureAnnounced").map((c) => c.args)).toEqual([
      [TENANT, opened.id],
    ]);
    // the sale was a hint too
    expect(h.hookCalls.some((c) => c.hook === "onPosChange" && c.args[1] === "sale.update")).toBe(true);
  });

  it("answers a replayed delivery with {duplicate: true} and no effect", async () => {
    const { h, url } = await connected();
    const body = formBody(closurePayload(h));
    expect((await post(h, url, body, await signed(body))).status).toBe(200);
    const again = await post(h, url, body, await signed(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    await h.settle();
    expect(h.hookCalls.filter((c) => c.hook === "onClosureAnnounced")).toHaveLength(1);
  });

  it("never overwrites a closure's webhook counted totals with a later delivery", async () => {
    const { h, url } = await connected();
    const first = formBody(closurePayload(h, "seq-x", "100.00"));
    const later = formBody(closurePayload(h, "seq-x", "90.00"));
    await post(h, url, first, await signed(first));
    expect((await post(h, url, later, await signed(later))).status).toBe(200);
    expect((await getClosureRecord(env.DB, TENANT, "seq-x"))!.payments![0]!.countedMinor).toBe(10000);
  });

  it("accepts a delivery without X-Signature (the secret URL guards it) and reads the type from the payload's shape", async () => {
    const { h, url } = await connected({ webhookSigning: false });
    const body = new URLSearchParams({ payload: JSON.stringify(closurePayload(h, "seq-unsigned")) }).toString();
    expect((await post(h, url, body)).status).toBe(200);
    expect(await getClosureRecord(env.DB, TENANT, "seq-unsigned")).not.toBeNull();
  });

  it("refuses a wrong secret (401), an unknown tenant (404), a bad signature (401)", async () => {
    const { h, url } = await connected();
    const body = formBody(closurePayload(h));
    const wrongSecret = url.replace(/\/[^/]+$/, "/not-the-secret");
    expect(await codeOf(await post(h, wrongSecret, body, await signed(body)))).toBe("webhook_signature_invalid");
    const res404 = await post(h, url.replace(`/pos/${TENANT}/`, "/pos/nobody/"), body, await signed(body));
    expect(res404.status).toBe(404);
    expect(await codeOf(res404)).toBe("not_found");
    const forged = await post(h, url, body, await signed(body, "someone-elses-secret"));
    expect(forged.status).toBe(401);
    expect(await codeOf(forged)).toBe("webhook_signature_invalid");
    const garbled = await post(h, url, body, { "x-signature": "signature=zz, algorithm=HMAC-SHA256" });
    expect(garbled.status).toBe(401);
    expect(await getClosureRecord(env.DB, TENANT, "seq-hand-1")).toBeNull();
  });

  it("refuses a missing or non-JSON payload (400) and an oversized body (413)", async () => {
    const { h, url } = await connected();
    for (const body of ["domain_prefix=demo&type=sale.update", "payload=%7Bnot%20json", "payload=%5B1%2C2%5D"]) {
      const res = await post(h, url, body, await signed(body));
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe("bad_request");
    }
    const big = formBody({ id: "s", line_items: [], note: "x".repeat(600_000) }, "sale.update");
    expect((await post(h, url, big, await signed(big))).status).toBe(413);
  });

  it("refuses a closure payload it cannot read (400) and records nothing", async () => {
    const { h, url } = await connected();
    const body = formBody({ ...closurePayload(h), payments: [{ name: "Cash", expected: "lots" }] });
    const res = await post(h, url, body, await signed(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { detail: string } }).error.detail).toMatch(
      /register closure seq-hand-1: payments\[0\]\.expected/,
    );
    expect(await getClosureRecord(env.DB, TENANT, "seq-hand-1")).toBeNull();
  });

  it("passes other types on as hints with the object's id; ignores what it cannot place", async () => {
    const { h, url } = await connected();
    const po = formBody({ id: "po-9", type: "SUPPLIER", status: "RECEIVED", supplier_id: "s" }, "consignment.receive");
    expect((await post(h, url, po, await signed(po))).status).toBe(200);
    const odd = formBody({ hello: "world" }, "");
    expect(await (await post(h, url, odd, await signed(odd))).json()).toEqual({ ok: true, ignored: true });
    await h.settle();
    expect(h.hookCalls.filter((c) => c.hook === "onPosChange").map((c) => c.args)).toEqual([
      [TENANT, "consignment.receive", "po-9"],
    ]);
  });
});

describe("announcedClosure: the fields a closure webhook may spell two ways", () => {
  const base = {
    register_id: "reg-1",
    register_open_time: "2026-10-30T13:00:00Z",
    register_close_time: "2026-10-30T22:00:00Z",
    payments: [{ retailer_payment_type_id: "pt-cash", name: "Cash", expected: "10.00", counted: "9.50" }],
  };

  it("reads either spelling, and both when they agree", () => {
    const one = announcedClosure({ ...base, register_closure_id: "seq-9", register_closure_sequence_number: "31" });
    expect([one.id, one.sequenceNumber]).toEqual(["seq-9", 31]);
    const both = announcedClosure({
      ...base,
      id: "seq-9",
      register_closure_id: "seq-9",
      sequence_number: 31,
      register_closure_sequence_number: "31",
      payments: [{ retailer_payment_type_id: "pt-cash", payment_type_id: "pt-cash", expected: "10.00" }],
    });
    expect([both.id, both.sequenceNumber, both.payments[0]!.paymentTypeId]).toEqual(["seq-9", 31, "pt-cash"]);
    expect(both.payments[0]!.expectedMinor).toBe(1000);
  });

  it("refuses a payload whose two spellings name different things, saying which", () => {
    const refused = (payload: unknown) => {
      try {
        announcedClosure(payload);
      } catch (e) {
        return { code: (e as TillbridgeError).code, detail: (e as TillbridgeError).detail };
      }
      return null;
    };
    expect(refused({ ...base, id: "seq-9", register_closure_id: "seq-10" })).toEqual({
      code: "pos_payload_invalid",
      detail: "register closure: id / register_closure_id: its two spellings disagree (seq-9 ≠ seq-10)",
    });
    expect(refused({ ...base, id: "seq-9", sequence_number: 31, register_closure_sequence_number: 32 })).toMatchObject({
      code: "pos_payload_invalid",
      detail: expect.stringContaining("sequence_number / register_closure_sequence_number"),
    });
    expect(
      refused({
        ...base,
        id: "seq-9",
        payments: [{ retailer_payment_type_id: "pt-cash", payment_type_id: "pt-card", expected: "1.00" }],
      }),
    ).toMatchObject({ code: "pos_payload_invalid", detail: expect.stringContaining("payments[0]") });
  });
});
