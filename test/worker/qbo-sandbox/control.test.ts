import { describe, expect, it } from "vitest";
import { createQboSandbox } from "../../../sandbox/qbo/index";
import { BASE, api, caReceipt, connect, makeSandbox, type J } from "./helpers";

const http = (sb: { fetch(r: Request): Promise<Response> }, method: string, path: string, body?: unknown) =>
  sb.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

describe("the /_sandbox control routes and the QuickBooks document view", () => {
  it("lists companies, trial balance, entities and the request log over HTTP", async () => {
    const { sb } = makeSandbox();
    const { token, realmId } = await connect(sb);
    await api(sb, realmId, token).post("SalesReceipt", caReceipt(sb, realmId, 100, { DocNumber: "Z1" }));
    expect(await (await http(sb, "GET", "/_sandbox/companies")).json()).toEqual([
      { realmId: sb.realms.ca, name: "Boutique Tillbridge Démo Inc.", country: "CA" },
      { realmId: sb.realms.us, name: "Tillbridge Demo Store LLC", country: "US" },
      { realmId: sb.realms.au, name: "Tillbridge Demo Pty Ltd", country: "AU" },
      { realmId: sb.realms.nz, name: "Tillbridge Demo Limited", country: "NZ" },
      { realmId: sb.realms.uk, name: "Tillbridge Demo Ltd", country: "GB" },
    ]);
    const tb = (await (await http(sb, "GET", `/_sandbox/${realmId}/trial-balance`)).json()) as J[];
    expect(tb.find((r) => r.name === "QST Payable")).toMatchObject({
      accountType: "Other Current Liability",
      balanceMinor: -998,
    });
    const receipts = (await (await http(sb, "GET", `/_sandbox/${realmId}/entities/salesreceipt`)).json()) as J[];
    expect(receipts.map((r) => r.DocNumber)).toEqual(["Z1"]);
    const log = (await (await http(sb, "GET", `/_sandbox/requests?realm=${realmId}`)).json()) as J[];
    expect(log).toHaveLength(1);
    expect((await http(sb, "GET", "/_sandbox/0000/trial-balance")).status).toBe(404);
  });

  it("injects and clears faults, moves the clock, patches preferences and revokes over HTTP", async () => {
    const { sb } = makeSandbox();
    const { token, realmId } = await connect(sb);
    const q = api(sb, realmId, token);
    expect(
      (await http(sb, "POST", "/_sandbox/faults", { kind: "http503", match: { operation: "query" } })).status,
    ).toBe(200);
    expect((await http(sb, "POST", "/_sandbox/faults", { kind: "nonsense" })).status).toBe(400);
    expect((await q.query("select * from Term")).status).toBe(503);
    await http(sb, "POST", "/_sandbox/faults", { kind: "http503" });
    await http(sb, "DELETE", "/_sandbox/faults");
    expect((await q.query("select * from Term")).status).toBe(200);
    expect((await http(sb, "POST", `/_sandbox/${realmId}/preferences`, { BookCloseDate: "2026-11-27" })).status).toBe(
      200,
    );
    expect((await q.post("SalesReceipt", caReceipt(sb, realmId, 1))).body.Fault.Error[0].code).toBe("6210");
    expect((await http(sb, "POST", `/_sandbox/${realmId}/preferences`, { Colour: "red" })).status).toBe(400);
    const moved = (await (await http(sb, "POST", "/_sandbox/clock", { advanceSeconds: 7200 })).json()) as J;
    expect(Date.parse(moved.now) - Date.now()).toBeGreaterThan(7_000_000);
    expect((await q.query("select * from Term")).status).toBe(401);
    await http(sb, "POST", "/_sandbox/clock", { real: true });
    const again = await connect(sb);
    await http(sb, "POST", `/_sandbox/${realmId}/revoke`);
    expect((await api(sb, realmId, again.token).query("select * from Term")).status).toBe(401);
  });

  it("exports and imports the whole state, and reset reseeds", async () => {
    const { sb } = makeSandbox();
    const { token, realmId } = await connect(sb);
    await api(sb, realmId, token).post("Customer", { DisplayName: "Persisted Person" });
    const saved = sb.exportState();
    const other = createQboSandbox({ throttle: false, now: () => new Date("2026-11-28T15:10:00Z") });
    other.importState(saved);
    expect((other.entities(realmId, "Customer") as J[]).some((c) => c.DisplayName === "Persisted Person")).toBe(true);
    expect(
      (await api(other, realmId, token).query("select * from Customer where DisplayName = 'Persisted Person'")).status,
    ).toBe(200);
    expect(() => other.importState("{}")).toThrow(/version 1/);
    other.reset();
    expect((other.entities(realmId, "Customer") as J[]).some((c) => c.DisplayName === "Persisted Person")).toBe(false);
    expect((await api(other, realmId, token).query("select * from Term")).status).toBe(401);
  });

  it("shows a document at /app/<entity>?txnId=&realm= for 'View on QuickBooks Online' links", async () => {
    const { sb } = makeSandbox();
    const { token, realmId } = await connect(sb);
    const r = (
      await api(sb, realmId, token).post("SalesReceipt", caReceipt(sb, realmId, 100, { DocNumber: "Z12-R1-7KQ2M9XA" }))
    ).body.SalesReceipt;
    const page = await http(sb, "GET", `/app/salesreceipt?txnId=${r.Id}&realm=${realmId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<span id="doc-number">Z12-R1-7KQ2M9XA</span>');
    expect(html).toContain('<b id="doc-total">114.98</b>');
    expect(html).toContain("2026-11-27");
    expect(html).toContain("Sales");
    expect((await http(sb, "GET", `/app/salesreceipt?txnId=999&realm=${realmId}`)).status).toBe(404);
  });
});
