import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditResponse, MappingsDocument, SendResponse } from "../../../shared/api";
import type { z } from "zod";
import { audit } from "../../../worker/db/audit";
import { docsOfItem, forgetEverything, itemsOf, trade } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const entries = async (stack: Stack, query = "") => {
  const res = await stack.api<AuditResponse>(`/api/audit${query}`);
  expect(res.status).toBe(200);
  return res.body.entries;
};

/** RFC 4180 rows: quoted cells, "" for a quote, line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

/** A purchase order still to receive; `part` receives its first line only, the rest comes later. */
const receivable = (stack: Stack) =>
  Object.values(stack.pos.store(TENANT).purchaseOrders).find(
    (p) => ["OPEN", "SENT"].includes(p.status) && p.lines.length >= 2,
  )!;

describe("audit trail", () => {
  it("records every post, failure, block and mapping change with who, the payload hash and the QBO ids; filters by kind, action, object and date", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const cash = Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === "cash")!;
    const { [cash.id]: cashMapping, ...paymentTypes } = doc.mappings.paymentTypes;
    await stack.api("/api/mappings", {
      method: "PUT",
      body: { version: doc.version, mappings: { ...doc.mappings, paymentTypes } },
    });
    await trade(stack);
    const blocked = await itemsOf("closure", "blocked");
    const blocks = await entries(stack, "?action=block&kind=closure");
    expect(blocks.length).toBeGreaterThanOrEqual(blocked.length);
    for (const b of blocks)
      expect(b).toMatchObject({
        kind: "closure",
        actor: expect.stringMatching(/^(webhook|cron)$/),
        detail: expect.stringContaining("needs_mapping: payment type 'Cash'"),
      });
    // for people: the closure by its register and number, the reason in plain words, the store's time zone
    const forPeople = await stack.api<AuditResponse>("/api/audit?action=block&kind=closure", { lang: "fr" });
    expect(forPeople.body.timeZone).toBe("America/Toronto");
    for (const b of forPeople.body.entries) {
      expect(b.posName).toMatch(/^.+ #\d+$/);
      expect(b.reason).toMatchObject({ code: "needs_mapping", message: expect.stringContaining("Cash") });
      expect(b.reason?.message).not.toBe(blocks[0]!.detail);
    }

    const mark = stack.now().toISOString();
    stack.advance(60_000);
    const now = (await stack.api<MappingsDocument>("/api/mappings")).body;
    await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: now.version,
        mappings: { ...now.mappings, paymentTypes: { ...now.mappings.paymentTypes, [cash.id]: cashMapping } },
      },
    });
    await stack.settle();
    await stack.cron();

    // a click sends a purchase order's first delivery: the person's post, with the bill's QBO id and the payload hash
    const po = receivable(stack);
    stack.pos.receivePurchaseOrder(TENANT, po.id, {
      lines: [{ productId: po.lines[0]!.productId, quantity: po.lines[0]!.quantity }],
      costs: [{ type: "SHIPPING", amount: "10.00" }],
      supplierInvoice: "INV-AUDIT-1",
    });
    expect(
      (
        await stack.api<z.infer<typeof SendResponse>>("/api/sync/send", {
          body: { kind: "purchase_order", posId: po.id },
        })
      ).status,
    ).toBe(200);
    await stack.settle();
    const [order] = await itemsOf("purchase_order");
    const bill = docsOfItem(order!)[0]!;
    expect(await entries(stack, `?posId=${po.id}`)).toEqual([
      expect.objectContaining({
        action: "post",
        actor: "user:demo",
        kind: "purchase_order",
        posId: po.id,
        qboEntity: "Bill",
        qboId: bill.id,
        payloadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
      expect.objectContaining({ action: "send", actor: "user:demo", kind: "purchase_order", posId: po.id }),
    ]);

    // QBO fails the second delivery's bill: the failure is recorded; the person's retry posts it
    stack.qbo.injectFault({ realm: stack.realmId, match: { entity: "Bill", operation: "create" }, kind: "http503" });
    stack.pos.receivePurchaseOrder(TENANT, po.id, { supplierInvoice: "INV-AUDIT-2" });
    await stack.api("/api/sync/send", { body: { kind: "purchase_order", posId: po.id } });
    await stack.settle();
    await stack.api("/api/sync/retry", { body: { kind: "purchase_order", posId: po.id } });
    await stack.settle();
    const trail = (await entries(stack, `?posId=${po.id}`)).reverse();
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ["send", "user:demo"],
      ["post", "user:demo"],
      ["send", "user:demo"],
      ["fail", "user:demo"],
      ["retry", "user:demo"],
      ["post", "user:demo"],
    ]);
    expect(trail[3]!.detail).toMatch(/^qbo_transient: /);
    expect(trail[5]).toMatchObject({
      qboEntity: "Bill",
      qboId: expect.stringMatching(/^\d+$/),
      payloadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(trail[5]!.qboId).not.toBe(bill.id);

    // the blocked closures posted once their mapping came back, by the system or the cron, each document with its id
    for (const item of blocked) {
      const posted = (await itemsOf("closure")).find((r) => r.pos_id === item.pos_id)!;
      const rows = (await entries(stack, `?kind=closure&action=post&posId=${item.pos_id}`)).reverse();
      expect(rows.map((r) => [r.qboEntity, r.qboId])).toEqual(docsOfItem(posted).map((d) => [d.entity, d.id]));
      for (const r of rows) expect(r.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    }
    const mappingRows = await entries(stack, "?action=mapping");
    expect(mappingRows.map((r) => [r.actor, r.detail])).toEqual([
      ["user:demo", "version 3"],
      ["user:demo", "version 2"],
      ["user:demo", "version 1"],
    ]);

    // filters: every row matches; kind and action together; dates (a date-only `to` includes its day)
    for (const e of await entries(stack, "?kind=purchase_order")) expect(e.kind).toBe("purchase_order");
    expect((await entries(stack, "?kind=purchase_order&action=fail")).map((e) => e.posId)).toEqual([po.id]);
    const since = await entries(stack, `?from=${encodeURIComponent(mark)}`);
    expect(since.every((e) => e.at >= mark)).toBe(true);
    expect(since.some((e) => e.action === "block")).toBe(false);
    const until = await entries(stack, `?to=${encodeURIComponent(mark)}`);
    expect(until.every((e) => e.at < mark)).toBe(true);
    expect(until.some((e) => e.action === "block")).toBe(true);
    const day = mark.slice(0, 10);
    const all = await entries(stack, "?limit=1000");
    expect((await entries(stack, `?from=${day}&to=${day}&limit=1000`)).length).toBe(
      all.filter((e) => e.at.slice(0, 10) === day).length,
    );
    expect((await entries(stack, "?limit=2")).length).toBe(2);
    expect((await stack.api("/api/audit?kind=invoice")).status).toBe(400);
  });

  it("exports CSV with every cell quoted and nothing a spreadsheet would run as a formula", {
    timeout: 60_000,
  }, async () => {
    const stack = await createStack({ noMappings: true });
    const hostile = [
      '=HYPERLINK("http://evil","x")',
      "+1+2",
      "-2+3",
      "@SUM(A1)",
      "\t=1",
      "\r=2",
      "  =3",
      'a "quoted", multi\nline value',
    ];
    for (const [i, detail] of hostile.entries()) {
      await audit(
        env.DB,
        {
          tenantId: TENANT,
          actor: i === 0 ? "=cmd|' /C calc'!A0" : "system",
          action: "note",
          kind: "closure",
          posId: `p${i}`,
          detail,
        },
        stack.now(),
      );
    }
    const res = await stack.request("/api/audit.csv?action=note", {
      headers: { authorization: `Bearer ${stack.session}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="tillbridge-audit-${TENANT}.csv"`);
    const text = await res.text();
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      "at",
      "actor",
      "action",
      "kind",
      "pos_id",
      "pos_version",
      "qbo_entity",
      "qbo_id",
      "payload_hash",
      "detail",
    ]);
    expect(rows.length).toBe(hostile.length + 1);
    // every non-empty cell is quoted in the file itself
    for (const line of text.split("\r\n").slice(1, 2)) expect(line.split(",")[0]).toMatch(/^".*"$/);
    const details = rows
      .slice(1)
      .map((r) => r[9])
      .reverse();
    expect(details).toEqual([
      '\'=HYPERLINK("http://evil","x")',
      "'+1+2",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=2",
      "'  =3",
      'a "quoted", multi\nline value',
    ]);
    expect(rows.at(-1)![1]).toBe("'=cmd|' /C calc'!A0");
    for (const r of rows.slice(1)) for (const c of r) expect(c).not.toMatch(/^\s*[=+\-@]/);
    // the JSON answer keeps the values as they are
    const json = await entries(stack, "?action=note");
    expect(json.map((e) => e.detail).reverse()).toEqual(hostile);
    // another store's session sees none of it
    const other = await stack.request("/api/audit.csv?action=note", {
      headers: { authorization: "Bearer tbs_not-a-session" },
    });
    expect(other.status).toBe(401);
  });
});
