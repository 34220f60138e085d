/** Shared steps for the QBO sandbox tests: a sandbox on a test clock, a connected company, API calls. */
import { expect } from "vitest";
import { type CompanyKey, createQboSandbox, type QboSandbox, type QboSandboxOptions } from "../../../sandbox/qbo/index";

export const CLIENT = { id: "tillbridge-test-qbo", secret: "test-qbo-secret" };
export const REDIRECT = "http://127.0.0.1:8787/auth/qbo/callback";
export const BASE = "http://qbo.test";

export interface Clock {
  now: Date;
  advance(seconds: number): void;
}

export function testClock(start = "2026-11-28T15:00:00Z"): Clock {
  const clock = {
    now: new Date(start),
    advance(seconds: number) {
      clock.now = new Date(clock.now.getTime() + seconds * 1000);
    },
  };
  return clock;
}

export function makeSandbox(opts: QboSandboxOptions = {}, clock = testClock()) {
  // Tests that are not about throttling run without it: the test clock does not move by itself.
  const sb = createQboSandbox({ now: () => clock.now, autoApprove: true, throttle: false, ...opts });
  return { sb, clock };
}

export const basic = (id = CLIENT.id, secret = CLIENT.secret) => `Basic ${btoa(`${id}:${secret}`)}`;

export async function authorizeCode(
  sb: QboSandbox,
  state = "st-1",
): Promise<{ code: string; realmId: string; location: URL }> {
  const url = `${BASE}/connect/oauth2?client_id=${CLIENT.id}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=${encodeURIComponent(REDIRECT)}&state=${state}`;
  const res = await sb.fetch(new Request(url, { redirect: "manual" }));
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  return { code: location.searchParams.get("code")!, realmId: location.searchParams.get("realmId")!, location };
}

export async function tokenRequest(sb: QboSandbox, params: Record<string, string>, auth = basic()): Promise<Response> {
  return sb.fetch(
    new Request(`${BASE}/oauth2/v1/tokens/bearer`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  x_refresh_token_expires_in: number;
  token_type: string;
}

export async function connect(
  sb: QboSandbox,
  realm: CompanyKey = "ca",
): Promise<{ token: string; realmId: string; tokens: Tokens }> {
  sb.setConsent(realm);
  const { code, realmId } = await authorizeCode(sb);
  const res = await tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as Tokens;
  return { token: tokens.access_token, realmId, tokens };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = any;

/** A client for one connected company, answering { status, body } with the parsed JSON. */
export function api(sb: QboSandbox, realmId: string, token: string) {
  const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const res = await sb.fetch(
      new Request(`${BASE}/v3/company/${realmId}/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body !== undefined ? { "content-type": contentType } : {}),
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
    );
    const text = await res.text();
    let json: J;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json as J, text, headers: res.headers };
  };
  return {
    call,
    post: (entity: string, body: unknown, query = "minorversion=75") =>
      call("POST", `${entity.toLowerCase()}?${query}`, body),
    get: (entity: string, id: string) => call("GET", `${entity.toLowerCase()}/${id}?minorversion=75`),
    query: (q: string) => call("GET", `query?query=${encodeURIComponent(q)}&minorversion=75`),
  };
}

/** Ids of seeded records by name. */
export function ids(sb: QboSandbox, realmId: string) {
  const find = (entity: string, name: string) => {
    const rec = (sb.entities(realmId, entity) as J[]).find((e) => (e.Name ?? e.DisplayName) === name);
    if (!rec) throw new Error(`no ${entity} ${name}`);
    return rec.Id as string;
  };
  return {
    account: (name: string) => find("Account", name),
    item: (name: string) => find("Item", name),
    taxCode: (name: string) => find("TaxCode", name),
    taxRate: (name: string) => find("TaxRate", name),
    customer: (name: string) => find("Customer", name),
    vendor: (name: string) => find("Vendor", name),
    find,
  };
}

/** Balance in cents of the named account in the trial balance (Dr positive). */
export function balanceOf(sb: QboSandbox, realmId: string, name: string): number {
  const row = sb.trialBalance(realmId).find((r) => r.name === name);
  if (!row) throw new Error(`no account ${name}`);
  return row.balanceMinor;
}

export function expectFault(res: { status: number; body: J }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body?.Fault?.Error?.[0]?.code, JSON.stringify(res.body)).toBe(code);
  expect(typeof res.body.time).toBe("string");
  return res.body.Fault.Error[0] as { Message: string; Detail: string; code: string; element?: string };
}

/** A minimal valid CA sales receipt: one GST+QST line of the "Sales" item. */
export function caReceipt(sb: QboSandbox, realmId: string, amount = 100, extra: J = {}): J {
  const id = ids(sb, realmId);
  return {
    TxnDate: "2026-11-27",
    GlobalTaxCalculation: "TaxExcluded",
    Line: [
      {
        DetailType: "SalesItemLineDetail",
        Amount: amount,
        SalesItemLineDetail: {
          ItemRef: { value: id.item("Sales") },
          Qty: 1,
          UnitPrice: amount,
          TaxCodeRef: { value: id.taxCode("GST/QST QC - 9.975") },
        },
      },
    ],
    ...extra,
  };
}
