import { beforeEach, describe, expect, it } from "vitest";
import type { QboSandbox } from "../../../sandbox/qbo/index";
import { api, caReceipt, type Clock, connect, expectFault, ids, type J, makeSandbox } from "./helpers";

let sb: QboSandbox;
let clock: Clock;
let realmId: string;
let q: ReturnType<typeof api>;
let id: ReturnType<typeof ids>;

beforeEach(async () => {
  ({ sb, clock } = makeSandbox());
  const c = await connect(sb, "ca");
  realmId = c.realmId;
  q = api(sb, realmId, c.token);
  id = ids(sb, realmId);
  clock.advance(1800); // the seeded records are half an hour old (the token lasts an hour)
});

const cdc = (entities: string, changedSince: string) =>
  q.call("GET", `cdc?entities=${entities}&changedSince=${encodeURIComponent(changedSince)}&minorversion=75`);
const iso = () => clock.now.toISOString();
const responses = (res: { body: J }) => res.body.CDCResponse[0].QueryResponse as J[];
const http = (method: string, path: string, body?: unknown) =>
  sb.fetch(
    new Request(`http://qbo.test${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

describe("Change Data Capture", () => {
  it("answers Intuit's CDCResponse shape: one QueryResponse per entity asked, changes oldest first, deletions last", async () => {
    const since = iso();
    clock.advance(60);
    const a = (await q.post("SalesReceipt", caReceipt(sb, realmId, 10, { DocNumber: "A" }))).body.SalesReceipt;
    clock.advance(60);
    const b = (await q.post("SalesReceipt", caReceipt(sb, realmId, 20, { DocNumber: "B" }))).body.SalesReceipt;
    clock.advance(60);
    await q.post("SalesReceipt", { Id: a.Id, SyncToken: a.SyncToken, sparse: true, PrivateNote: "edited" });
    clock.advance(60);
    await q.post("SalesReceipt", { Id: b.Id, SyncToken: b.SyncToken }, "operation=delete");
    const res = await cdc("SalesReceipt,Customer", since);
    expect(res.status).toBe(200);
    expect(typeof res.body.time).toBe("string");
    const [receipts, customers] = responses(res);
    expect(customers).toEqual({});
    expect(receipts.startPosition).toBe(1);
    expect(receipts.maxResults).toBe(2);
    expect(receipts.SalesReceipt[0]).toMatchObject({ Id: a.Id, SyncToken: "1", PrivateNote: "edited", TotalAmt: 11.5 });
    expect(receipts.SalesReceipt[1]).toEqual({
      status: "Deleted",
      domain: "QBO",
      Id: b.Id,
      MetaData: { LastUpdatedTime: expect.any(String) },
    });
    // Only what changed since: a later changedSince sees nothing.
    clock.advance(60);
    expect(responses(await cdc("SalesReceipt", iso()))).toEqual([{}]);
  });

  it("returns voided documents as updated ones, and inactive records with Active false", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 10))).body.SalesReceipt;
    const since = iso();
    clock.advance(1);
    await q.post("SalesReceipt", { Id: r.Id, SyncToken: r.SyncToken, sparse: true }, "operation=void");
    sb.setActive(realmId, "Account", id.account("Bank charges"), false);
    const [receipts, accounts] = responses(await cdc("SalesReceipt,Account", since));
    expect(receipts.SalesReceipt[0]).toMatchObject({ Id: r.Id, TxnStatus: "Voided", TotalAmt: 0 });
    expect(accounts.Account).toEqual([
      expect.objectContaining({ Name: "Bank charges", Active: false, SyncToken: "1" }),
    ]);
  });

  it("looks back 30 days at most, and refuses the entities CDC does not cover", async () => {
    const thirty = new Date(clock.now.getTime() - 30 * 24 * 3600 * 1000).toISOString();
    expect((await cdc("Customer", thirty)).status).toBe(200);
    const older = new Date(clock.now.getTime() - 30 * 24 * 3600 * 1000 - 1000).toISOString();
    const tooOld = expectFault(await cdc("Customer", older), 400, "500");
    expect(tooOld.Detail).toMatch(/changedSince date .* which is older than fixed days is not supported/);
    for (const entity of ["TaxCode", "TaxRate", "TaxAgency"])
      expectFault(await cdc(`Customer,${entity}`, iso()), 400, "500");
    expectFault(await q.call("GET", `cdc?changedSince=${iso()}`), 400, "2020");
    expectFault(await q.call("GET", "cdc?entities=Customer"), 400, "2020");
    expectFault(await cdc("Customer", "yesterday"), 400, "2010");
    // A date alone is a changedSince too; so is a local time with its offset.
    expect((await cdc("customer", clock.now.toISOString().slice(0, 10))).status).toBe(200);
    expect((await cdc("Customer", "2026-11-28T11:00:00-04:00")).status).toBe(200);
  });

  it("answers at most 1000 objects, saying how many there were", async () => {
    const since = iso();
    clock.advance(1);
    for (let n = 0; n < 34; n++) {
      const items = Array.from({ length: 30 }, (_, i) => ({
        bId: `c${i}`,
        operation: "create",
        Customer: { DisplayName: `Customer ${n}-${i}` },
      }));
      expect((await q.post("batch", { BatchItemRequest: items })).status).toBe(200);
    }
    const res = await cdc("Customer,Vendor", since);
    const [customers, vendors] = responses(res);
    expect(customers.Customer).toHaveLength(1000);
    expect(customers).toMatchObject({ maxResults: 1000, totalCount: 1020 });
    expect(vendors).toEqual({});
  });

  it("is a metered read in the request log, and a batch can carry it as a CDCQuery", async () => {
    await cdc("Customer", iso());
    const entry = sb.requestLog(realmId).at(-1)!;
    expect(entry).toMatchObject({ operation: "cdc", write: false, status: 200, entity: "cdc" });
    expect(entry.query).toMatch(/^entities=Customer&changedSince=/);
    const since = iso();
    clock.advance(1);
    await q.post("Customer", { DisplayName: "Late customer" });
    const batch = await q.post("batch", {
      BatchItemRequest: [{ bId: "cdc1", CDCQuery: { Entities: "Customer", ChangedSince: since } }],
    });
    const item = batch.body.BatchItemResponse[0];
    expect(item.bId).toBe("cdc1");
    expect(item.CDCResponse[0].QueryResponse[0].Customer.map((c: J) => c.DisplayName)).toEqual(["Late customer"]);
  });
});

describe("changes a merchant makes in QBO", () => {
  it("deactivating and reactivating an account: new SyncToken, change time, refused meanwhile, in CDC", async () => {
    const account = id.account("Cash on hand");
    const toCash = () => caReceipt(sb, realmId, 10, { DepositToAccountRef: { value: account } });
    const since = iso();
    clock.advance(5);
    const off = await http("POST", `/_sandbox/${realmId}/entities/account/${account}`, { action: "deactivate" });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ Active: false, SyncToken: "1" });
    const refused = await q.post("SalesReceipt", toCash());
    expect(expectFault(refused, 400, "2500").Detail).toMatch(/inactive/);
    clock.advance(5);
    await http("POST", `/_sandbox/${realmId}/entities/Account/${account}`, { action: "reactivate" });
    expect((await q.post("SalesReceipt", toCash())).status).toBe(200);
    const [accounts] = responses(await cdc("Account", since));
    expect(accounts.Account).toEqual([
      expect.objectContaining({
        Id: account,
        Active: true,
        SyncToken: "2",
        MetaData: expect.objectContaining({ LastUpdatedTime: "2026-11-28T15:30:10-00:00" }),
      }),
    ]);
  });

  it("editing, voiding and deleting a posted document, and setting then clearing the closing date", async () => {
    const r = (await q.post("SalesReceipt", caReceipt(sb, realmId, 100, { DocNumber: "Z9" }))).body.SalesReceipt;
    const since = iso();
    clock.advance(5);
    const edit = await http("POST", `/_sandbox/${realmId}/entities/salesreceipt/${r.Id}`, {
      action: "edit",
      patch: { PrivateNote: "fixed by the bookkeeper" },
    });
    expect(await edit.json()).toMatchObject({ SyncToken: "1", PrivateNote: "fixed by the bookkeeper" });
    const closed = await http("POST", `/_sandbox/${realmId}/closing-date`, { date: "2026-11-30" });
    expect(closed.status).toBe(200);
    const blocked = await http("POST", `/_sandbox/${realmId}/entities/salesreceipt/${r.Id}`, { action: "delete" });
    expect(blocked.status).toBe(400);
    expect(((await blocked.json()) as J).Fault.Error[0].code).toBe("6210");
    await http("POST", `/_sandbox/${realmId}/closing-date`, { date: null });
    expect(
      (await http("POST", `/_sandbox/${realmId}/entities/salesreceipt/${r.Id}`, { action: "delete" })).status,
    ).toBe(200);
    const [receipts, prefs] = responses(await cdc("SalesReceipt,Preferences", since));
    expect(receipts.SalesReceipt).toEqual([expect.objectContaining({ Id: r.Id, status: "Deleted" })]);
    expect(prefs.Preferences[0].SyncToken).toBe("2");
    expect(prefs.Preferences[0].AccountingInfoPrefs.BookCloseDate).toBeUndefined();
    expect((await http("POST", `/_sandbox/${realmId}/entities/salesreceipt/999`, { action: "void" })).status).toBe(404);
    expect((await http("POST", `/_sandbox/${realmId}/entities/account/1`, { action: "explode" })).status).toBe(400);
  });
});
