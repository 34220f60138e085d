import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { QboRefs } from "../../../shared/domain/qbo";
import { TillbridgeError } from "../../../shared/errors";
import { QboClient } from "../../../worker/qbo/client";
import { QboError } from "../../../worker/qbo/faults";
import { qboDocUrl } from "../../../worker/qbo/links";
import { findDocumentByDocNumber, findOrCreateParty, findPaymentByMarker } from "../../../worker/qbo/lookup";
import { qboQuery } from "../../../worker/qbo/query";
import { RATE_LIMITS } from "../../../worker/qbo/rate";
import { invalidateRefs, loadRefs } from "../../../worker/qbo/refs";
import { createHarness, forgetConnections, type Harness } from "./harness";

async function failure(p: Promise<unknown>): Promise<QboError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof QboError) return e;
    throw e;
  }
  throw new Error("expected a QboError");
}

async function connected(tenant: string): Promise<{ h: Harness; client: QboClient; refs: QboRefs }> {
  const h = createHarness();
  await h.connect(tenant);
  const refs = await loadRefs(h.services, tenant);
  return { h, client: await QboClient.open(h.services, tenant), refs };
}

const idOf = (list: { id: string; name: string }[], name: string) => {
  const found = list.find((x) => x.name === name);
  if (!found) throw new Error(`no ${name} in the sandbox company`);
  return found.id;
};

function journal(refs: QboRefs, docNumber: string, marker: string, amount = 12.34) {
  return {
    TxnDate: "2026-03-05",
    DocNumber: docNumber,
    PrivateNote: `Tillbridge ${marker} closure 42`,
    Line: [
      {
        DetailType: "JournalEntryLineDetail",
        Amount: amount,
        JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: idOf(refs.accounts, "Chequing") } },
      },
      {
        DetailType: "JournalEntryLineDetail",
        Amount: amount,
        JournalEntryLineDetail: {
          PostingType: "Credit",
          AccountRef: { value: idOf(refs.accounts, "Uncategorized Income") },
        },
      },
    ],
  };
}

function saleLine(refs: QboRefs, amount: number) {
  return {
    DetailType: "SalesItemLineDetail",
    Amount: amount,
    SalesItemLineDetail: {
      ItemRef: { value: idOf(refs.items, "Sales") },
      Qty: 1,
      UnitPrice: amount,
      TaxCodeRef: { value: idOf(refs.taxCodes, "Exempt") },
    },
  };
}

const apiCount = (h: Harness) => h.apiCalls().length;

describe("the QBO client against the sandbox", () => {
  beforeEach(forgetConnections);

  it("loads the company's reference data once, includes inactive records, and serves it from KV", async () => {
    const h = createHarness();
    await h.connect("shop-refs");
    const before = apiCount(h);
    const refs = await loadRefs(h.services, "shop-refs");
    expect(apiCount(h) - before).toBe(9);
    expect(refs).toMatchObject({
      realmId: h.sandbox.realms.ca,
      companyName: "Boutique Tillbridge Démo Inc.",
      country: "CA",
      homeCurrency: "CAD",
      multiCurrency: false,
      bookCloseDate: null,
      classTracking: false,
      departmentTracking: true,
    });
    expect(refs.accounts.find((a) => a.name === "Petty cash (old)")).toMatchObject({
      active: false,
      accountType: "Bank",
      accountSubType: "CashOnHand",
    });
    expect(refs.items.find((i) => i.name === "Gift wrapping (discontinued)")?.active).toBe(false);
    const gstQst = refs.taxCodes.find((t) => t.name === "GST/QST QC - 9.975")!;
    expect(gstQst.salesRates.map((r) => r.ratePercent).sort()).toEqual(["5", "9.975"]);
    expect(gstQst.salesRates.every((r) => r.agencyId !== null)).toBe(true);
    expect(refs.paymentMethods.map((p) => p.name)).toContain("Debit (Interac)");
    expect(refs.departments.map((d) => d.name).sort()).toEqual(["Montréal", "Québec"]);
    expect(await env.KV.get("qbo-refs:shop-refs", "json")).toEqual(refs);

    // steady state: no QBO reads at all
    const cached = apiCount(h);
    expect(await loadRefs(h.services, "shop-refs")).toEqual(refs);
    expect(apiCount(h)).toBe(cached);

    // the settings page's "Reload QuickBooks options" reads again and sees changes
    h.sandbox.setPreferences(h.sandbox.realms.ca, { BookCloseDate: "2026-01-31" });
    const reloaded = await loadRefs(h.services, "shop-refs", { reload: true });
    expect(reloaded.bookCloseDate).toBe("2026-01-31");
    expect(apiCount(h)).toBe(cached + 9);
    await invalidateRefs(h.services, "shop-refs");
    expect(await env.KV.get("qbo-refs:shop-refs")).toBeNull();
  });

  it("reads the US company's country and fills a company name missing since connect", async () => {
    const h = createHarness();
    h.sandbox.setConsent("us");
    h.sandbox.injectFault({ realm: h.sandbox.realms.us, kind: "http503" });
    const { session } = await h.connect("shop-us");
    expect(
      ((await (await h.api("/api/qbo/connection", session)).json()) as { displayName?: string }).displayName,
    ).toBeUndefined();
    const refs = await loadRefs(h.services, "shop-us");
    expect(refs.country).toBe("US");
    expect(((await (await h.api("/api/qbo/connection", session)).json()) as { displayName?: string }).displayName).toBe(
      refs.companyName,
    );
  });

  it("creates, reads, updates sparsely, replays a requestid, and detects a stale update", async () => {
    const { h, client, refs } = await connected("shop-crud");
    const created = await client.create("JournalEntry", journal(refs, "TB-JE-1", "K1"), "req-je-1");
    expect(created.Id).toBeTruthy();
    expect(h.apiCalls().at(-1)!.url.searchParams.get("requestid")).toBe("req-je-1");
    expect(h.apiCalls().at(-1)!.headers.get("content-type")).toBe("application/json");

    // the same requestid again: QBO answers the first outcome, nothing new is stored
    const replay = await client.create("JournalEntry", journal(refs, "TB-JE-1", "K1"), "req-je-1");
    expect(replay.Id).toBe(created.Id);
    expect(h.sandbox.entities(h.sandbox.realms.ca, "JournalEntry")).toHaveLength(1);

    const read = await client.read("JournalEntry", created.Id);
    expect(read.DocNumber).toBe("TB-JE-1");
    const updated = await client.update(
      "JournalEntry",
      { Id: created.Id, SyncToken: String(read.SyncToken), PrivateNote: "Tillbridge K1 edited" },
      "req-je-1-u",
    );
    expect(updated.PrivateNote).toBe("Tillbridge K1 edited");
    expect(updated.Line).toHaveLength(2); // sparse: the lines were kept
    expect(updated.SyncToken).not.toBe(read.SyncToken);

    const stale = await failure(
      client.update(
        "JournalEntry",
        { Id: created.Id, SyncToken: String(read.SyncToken), PrivateNote: "late" },
        "req-je-1-u2",
      ),
    );
    expect(stale.code).toBe("qbo_stale_object");
    expect(stale.info.intuitTid).toBeTruthy();
    // the log line names the fault and Intuit's transaction id (what Intuit support asks for)
    expect(h.logs.some((l) => l.includes('"fault":"qbo_stale_object"') && l.includes(stale.info.intuitTid!))).toBe(
      true,
    );

    // a deep link the sandbox (like QBO) serves
    const page = await h.sandbox.fetch(new Request(qboDocUrl(env, "JournalEntry", created.Id, client.realmId)));
    expect(page.status).toBe(200);

    await client.delete("JournalEntry", { Id: created.Id, SyncToken: String(updated.SyncToken) }, "req-je-1-d");
    expect(h.sandbox.entities(h.sandbox.realms.ca, "JournalEntry")).toHaveLength(0);
  });

  it("voids a SalesReceipt by a sparse update with include=void", async () => {
    const { h, client, refs } = await connected("shop-void");
    const customer = await findOrCreateParty(client, "Customer", "Marie Tremblay", "req-sr-c");
    const sr = await client.create(
      "SalesReceipt",
      {
        TxnDate: "2026-03-05",
        DocNumber: "TB-SR-1",
        CustomerRef: { value: customer.id },
        GlobalTaxCalculation: "TaxExcluded",
        Line: [saleLine(refs, 10)],
      },
      "req-sr-1",
    );
    expect(sr.TotalAmt).toBe(10);
    const voided = await client.void("SalesReceipt", { Id: sr.Id, SyncToken: String(sr.SyncToken) }, "req-sr-1-v");
    const call = h.apiCalls().at(-1)!;
    expect(call.url.searchParams.get("operation")).toBe("update");
    expect(call.url.searchParams.get("include")).toBe("void");
    expect(voided.TotalAmt).toBe(0);
  });

  it("flags ambiguous writes as outcome unknown, and finds what was committed by DocNumber and marker", async () => {
    const { h, client, refs } = await connected("shop-amb");
    const realm = h.sandbox.realms.ca;
    const je = { entity: "JournalEntry", operation: "create" };

    h.sandbox.injectFault({ realm, match: je, kind: "timeoutBeforeCommit" });
    const lost = await failure(client.create("JournalEntry", journal(refs, "TB-A-1", "KA1"), "req-a-1"));
    expect([lost.code, lost.outcomeUnknown]).toEqual(["qbo_transient", true]);
    expect(await findDocumentByDocNumber(client, "JournalEntry", "TB-A-1", { marker: "KA1" })).toBeNull();

    h.sandbox.injectFault({ realm, match: je, kind: "commitThenTimeout" });
    const committed = await failure(client.create("JournalEntry", journal(refs, "TB-A-2", "KA2"), "req-a-2"));
    expect([committed.code, committed.outcomeUnknown]).toEqual(["qbo_transient", true]);
    const adopted = await findDocumentByDocNumber(client, "JournalEntry", "TB-A-2", { marker: "KA2" });
    expect(adopted).toMatchObject({ docNumber: "TB-A-2", txnDate: "2026-03-05" });
    expect(await findDocumentByDocNumber(client, "JournalEntry", "TB-A-2", { marker: "someone-else" })).toBeNull();

    for (const kind of ["truncatedJson", "okWithoutEntity"] as const) {
      h.sandbox.injectFault({ realm, match: je, kind });
      const err = await failure(client.create("JournalEntry", journal(refs, `TB-${kind}`, kind), `req-${kind}`));
      expect([err.code, err.outcomeUnknown]).toEqual(["qbo_transient", true]);
      expect(await findDocumentByDocNumber(client, "JournalEntry", `TB-${kind}`)).not.toBeNull();
    }

    // a read that fails is transient, but nothing is unknown about it
    h.sandbox.injectFault({ realm, match: { operation: "read" }, kind: "http502html" });
    const read = await failure(client.read("JournalEntry", adopted!.id));
    expect([read.code, read.outcomeUnknown, read.detail]).toEqual(["qbo_transient", false, "HTTP 502 (HTML page)"]);
  });

  it("gives up on a hung request after its timeout: unknown for a write, plain transient for a read", async () => {
    const h = createHarness();
    await h.connect("shop-hang");
    const refs = await loadRefs(h.services, "shop-hang");
    // A hung request waits out the whole timeout; every other request must answer inside it, on a loaded
    // machine too: the in-process sandbox answers in milliseconds, so 900 ms leave a wide margin.
    const client = await QboClient.open(h.services, "shop-hang", { timeoutMs: 900 });
    h.hangNext((u) => u.pathname.endsWith("/journalentry"));
    const write = await failure(client.create("JournalEntry", journal(refs, "TB-H-1", "KH1"), "req-h-1"));
    expect([write.code, write.detail, write.outcomeUnknown]).toEqual([
      "qbo_transient",
      "no answer within 900 ms",
      true,
    ]);
    h.hangNext((u) => u.pathname.endsWith("/query"));
    const read = await failure(client.query("select * from Class"));
    expect([read.code, read.outcomeUnknown]).toEqual(["qbo_transient", false]);
    // the connection itself is fine
    expect((await client.query("select * from Class")).length).toBe(2);
  });

  it("waits out a 429 for every caller of the company, without sending more", async () => {
    const { h, client } = await connected("shop-429");
    h.sandbox.injectFault({ realm: h.sandbox.realms.ca, kind: "throttleXml" });
    const throttled = await failure(client.query("select * from Class"));
    expect(throttled.code).toBe("qbo_throttled");
    expect(throttled.decision).toBe("wait_then_retry");
    expect(throttled.extra.retryAfterSeconds).toBe(60);
    const sent = apiCount(h);
    const local = await failure(client.query("select * from Class"));
    expect(local.code).toBe("qbo_throttled");
    expect(local.extra.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(apiCount(h)).toBe(sent);
  });

  it("stays inside its own budget: a spent minute raises qbo_throttled before sending", async () => {
    const { h, client } = await connected("shop-budget");
    const minute = h.now().toISOString().slice(0, 16);
    const next = new Date(h.now().getTime() + 60_000).toISOString().slice(0, 16);
    for (const m of [minute, next]) {
      await env.DB.prepare("INSERT OR REPLACE INTO qbo_rate (realm_id, window_start, count) VALUES (?1, ?2, ?3)")
        .bind(client.realmId, `m${m}`, RATE_LIMITS.perMinute)
        .run();
    }
    const sent = apiCount(h);
    const err = await failure(client.read("Account", "1"));
    expect(err.code).toBe("qbo_throttled");
    expect(err.detail).toMatch(/minute is spent/);
    expect(err.extra.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(err.extra.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(apiCount(h)).toBe(sent);
  });

  it("paces a burst under 10 requests a second, so QBO never answers 429", async () => {
    const { h, client } = await connected("shop-burst");
    const sent = apiCount(h);
    const results = await Promise.all(Array.from({ length: 14 }, () => client.read("Account", "1")));
    expect(results.every((r) => r.Id === "1")).toBe(true);
    const log = h.sandbox.requestLog(client.realmId).slice(-14);
    expect(apiCount(h) - sent).toBe(14);
    expect(log.every((l) => l.status === 200)).toBe(true);
    const times = log.map((l) => Date.parse(l.at));
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(10);
  });

  it("pages a query until a short page", async () => {
    const { h, client } = await connected("shop-pages");
    const all = await client.query("select * from Account where Active IN (true, false)");
    const before = h.apiCalls().filter((c) => c.url.pathname.endsWith("/query")).length;
    const paged = await client.query("select * from Account where Active IN (true, false)", undefined, { pageSize: 5 });
    expect(paged).toEqual(all);
    const pages = h.apiCalls().filter((c) => c.url.pathname.endsWith("/query")).length - before;
    expect(pages).toBe(Math.floor(all.length / 5) + 1);
    expect(h.apiCalls().at(-1)!.url.searchParams.get("query")).toMatch(
      new RegExp(`STARTPOSITION ${(pages - 1) * 5 + 1} MAXRESULTS 5$`),
    );
  });

  it("finds or creates customers and vendors by display name, safely quoted", async () => {
    const { h, client } = await connected("shop-party");
    const realm = h.sandbox.realms.ca;
    const made = await findOrCreateParty(client, "Customer", "L'Atelier d'Anne", "req-c-1");
    expect(made.created).toBe(true);
    expect(await findOrCreateParty(client, "Customer", "l'atelier D'ANNE", "req-c-2")).toEqual({
      id: made.id,
      displayName: "L'Atelier d'Anne",
      created: false,
    });

    // an inactive customer is reused and reactivated, not duplicated
    const old = await findOrCreateParty(client, "Customer", "Jean Gagnon (ancien)", "req-c-3");
    expect(old.created).toBe(false);
    const stored = (h.sandbox.entities(realm, "Customer") as { Id: string; Active: boolean }[]).find(
      (c) => c.Id === old.id,
    );
    expect(stored?.Active).toBe(true);

    // colons and newlines are not allowed in names: cleaned the same way for lookup and create
    const v = await findOrCreateParty(client, "Vendor", "Acme: West\nDepot", "req-v-1");
    expect(v.displayName).toBe("Acme West Depot");
    expect((await findOrCreateParty(client, "Vendor", "Acme West Depot", "req-v-2")).id).toBe(v.id);

    // a name held by another kind of record: a person must rename one of them
    const clash = await failure(findOrCreateParty(client, "Vendor", "Marie Tremblay", "req-v-3"));
    expect(clash.code).toBe("qbo_duplicate_name");
    expect(clash.detail).toBe("Marie Tremblay");
  });

  it("finds a Payment by customer, date and marker (DocNumber is not filterable on Payment)", async () => {
    const { client, refs } = await connected("shop-pay");
    const customer = await findOrCreateParty(client, "Customer", "Café Olimpico Inc.", "req-p-c");
    const invoice = await client.create(
      "Invoice",
      {
        TxnDate: "2026-03-05",
        DocNumber: "TB-INV-1",
        CustomerRef: { value: customer.id },
        GlobalTaxCalculation: "TaxExcluded",
        Line: [saleLine(refs, 25)],
      },
      "req-p-inv",
    );
    const payment = (note: string) => ({
      TxnDate: "2026-03-06",
      CustomerRef: { value: customer.id },
      TotalAmt: 10,
      PrivateNote: note,
      Line: [{ Amount: 10, LinkedTxn: [{ TxnId: invoice.Id, TxnType: "Invoice" }] }],
    });
    await client.create("Payment", payment("Tillbridge OTHER"), "req-p-1");
    const mine = await client.create("Payment", payment("Tillbridge KPAY1 sale 77"), "req-p-2");
    expect(
      (await findPaymentByMarker(client, { customerId: customer.id, txnDate: "2026-03-06", marker: "KPAY1" }))?.id,
    ).toBe(mine.Id);
    expect(
      await findPaymentByMarker(client, { customerId: customer.id, txnDate: "2026-03-07", marker: "KPAY1" }),
    ).toBeNull();
    expect(
      await findPaymentByMarker(client, { customerId: customer.id, txnDate: "2026-03-06", marker: "KPAY2" }),
    ).toBeNull();
    await expect(findDocumentByDocNumber(client, "Payment", "x")).rejects.toThrow(/cannot filter Payment/);
  });

  it("batches in requests of 10 with one classified result per item", async () => {
    const { h, client } = await connected("shop-batch");
    const names = Array.from({ length: 11 }, (_, i) => `Batch Customer ${i + 1}`);
    const items = [
      ...names.map((n) => ({ operation: "create" as const, entity: "Customer", body: { DisplayName: n } })),
      { operation: "create" as const, entity: "Customer", body: { DisplayName: "Marie Tremblay" } },
    ];
    const results = await client.batch(items, "req-batch-1");
    expect(results).toHaveLength(12);
    expect(
      results
        .slice(0, 11)
        .filter((r) => !r.ok)
        .map((r) => !r.ok && [r.bId, r.error.code, r.error.detail]),
    ).toEqual([]);
    const last = results[11]!;
    expect(!last.ok && last.error.code).toBe("qbo_duplicate_name");
    const batches = h.sandbox.requestLog(client.realmId).filter((l) => l.operation === "batch");
    expect(batches).toHaveLength(2);
    expect(batches.every((b) => b.requestId !== undefined && b.requestId.length <= 36)).toBe(true);
    const ids = new Set(results.flatMap((r) => (r.ok && r.entity ? [String(r.entity.Id)] : [])));
    expect(ids.size).toBe(11);

    // a batch answered 503 as a whole: every item failed, writes with an unknown outcome
    h.sandbox.injectFault({ realm: client.realmId, match: { operation: "batch" }, kind: "http503" });
    const failed = await client.batch(
      [
        { operation: "create", entity: "Customer", body: { DisplayName: "Z" } },
        { query: qboQuery`select * from Customer where DisplayName = ${"Z"}` },
      ],
      "req-batch-2",
    );
    expect(failed.map((r) => !r.ok && [r.error.code, r.error.outcomeUnknown])).toEqual([
      ["qbo_transient", true],
      ["qbo_transient", false],
    ]);
  });

  it("refuses to run on a connection that is not there", async () => {
    const h = createHarness();
    await expect(QboClient.open(h.services, "shop-none")).rejects.toBeInstanceOf(TillbridgeError);
    await expect(QboClient.open(h.services, "shop-none")).rejects.toMatchObject({ code: "qbo_not_connected" });
  });
});
