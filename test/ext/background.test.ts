import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createBackground } from "../../extension/background";
import { sha256Hex } from "../../extension/background/connect";
import { pendingConnectItem, selectorReportsItem, sessionItem } from "../../extension/background/store";

const WORKER = "http://worker.test";
const EXT = "chrome-extension://test-extension-id/";
const page = { id: "test-extension-id", url: `${EXT}options.html` };
const content = {
  id: "test-extension-id",
  url: "https://acme.retail.lightspeed.app/register/closures",
  tab: { id: 3 },
};
const SESSION = { token: "tbs_secret_token_123", tenantId: "t1", storeName: "Acme", expiresAt: "2099-01-01T00:00:00Z" };

type Handler = (req: Request) => Response | Promise<Response>;
function worker(routes: Record<string, Handler>) {
  const seen: Request[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push(req.clone());
    const url = new URL(req.url);
    const h = routes[`${req.method} ${url.pathname}`];
    return h ? h(req) : Response.json({ error: { code: "not_found", message: "nf", action: "x" } }, { status: 404 });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}
const ok = (body: unknown) => () => Response.json(body);
const closure = { kind: "closure", posId: "c1" } as const;
const postedClosure = {
  ...closure,
  state: "posted",
  docs: [{ part: "sales", entity: "SalesReceipt", id: "9", url: "https://qbo/x" }],
  attempts: 1,
};

beforeEach(() => {
  fakeBrowser.reset();
});

describe("the background's message handling", () => {
  it("answers a content script's status request with the Worker's validated answer, using the stored session", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({ "POST /api/status": ok({ objects: [postedClosure] }) });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    const reply = await handle({ type: "status", objects: [closure] }, content);
    expect(reply).toEqual({ ok: true, data: { objects: [postedClosure] } });
    const req = w.seen[0]!;
    expect(req.url).toBe(`${WORKER}/api/status`);
    expect(req.headers.get("authorization")).toBe(`Bearer ${SESSION.token}`);
    expect(await req.json()).toEqual({ objects: [closure] });
  });

  it("refuses messages from other extensions, from web pages, and page-only messages from content scripts", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({ "GET /api/me": ok({}) });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    const strangers = [
      [
        { type: "status", objects: [closure] },
        { id: "other-extension", url: content.url },
      ],
      [
        { type: "status", objects: [closure] },
        { id: "test-extension-id", url: "https://evil.example/" },
      ],
      [{ type: "state" }, content],
      [{ type: "api", route: "me" }, content],
      [{ type: "disconnect", system: "pos" }, content],
      [{ type: "connectPos" }, content],
    ] as const;
    for (const [msg, sender] of strangers) {
      const reply = await handle(msg, sender);
      expect(reply, JSON.stringify(msg)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(w.fetch).not.toHaveBeenCalled();
  });

  it("never hands the session token to anyone, even the extension's own pages", async () => {
    await sessionItem.setValue(SESSION);
    const { handle } = createBackground({ workerUrl: WORKER, fetch: worker({}).fetch });
    const reply = await handle({ type: "state" }, page);
    expect(reply).toMatchObject({ ok: true, data: { session: { tenantId: "t1", storeName: "Acme" } } });
    expect(JSON.stringify(reply)).not.toContain(SESSION.token);
  });

  it("rejects malformed messages with bad_request, before any network call", async () => {
    const w = worker({});
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    for (const msg of [
      null,
      "status",
      { type: "nope" },
      { type: "status", objects: [] },
      { type: "send", object: { kind: "invoice", posId: "x" } },
    ]) {
      expect(await handle(msg, content)).toMatchObject({ ok: false, error: { code: "bad_request" } });
    }
    expect(w.fetch).not.toHaveBeenCalled();
  });

  it("passes the Worker's ApiError through, and turns an answer that breaks the contract into an error", async () => {
    await sessionItem.setValue(SESSION);
    const apiError = {
      error: {
        code: "needs_mapping",
        message: "payment type 'Afterpay' is not mapped.",
        action: "Map it",
        detail: "payment type 'Afterpay'",
      },
    };
    const w = worker({
      "POST /api/sync/send": () => Response.json(apiError, { status: 409 }),
      "POST /api/sync/retry": ok({ object: { kind: "closure" } }),
    });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "send", object: closure }, content)).toEqual({ ok: false, error: apiError.error });
    expect(await handle({ type: "retry", object: closure }, content)).toMatchObject({
      ok: false,
      error: { code: "internal" },
    });
  });

  it("passes a content script's closed-period choice to the Worker's resolve route, and refuses an unknown choice", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({
      "POST /api/sync/resolve": ok({
        object: { ...closure, state: "ready", docs: [], attempts: 1 },
        txnDate: "2026-11-01",
      }),
    });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "resolve", object: closure, action: "post_in_open_period" }, content)).toMatchObject({
      ok: true,
      data: { object: { state: "ready" }, txnDate: "2026-11-01" },
    });
    expect(await w.seen[0]!.json()).toEqual({ ...closure, action: "post_in_open_period" });
    expect(await handle({ type: "resolve", object: closure, action: "delete_it" }, content)).toMatchObject({
      ok: false,
      error: { code: "bad_request" },
    });
    expect(w.seen).toHaveLength(1);
  });

  it("forgets a session the Worker no longer accepts", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({
      "POST /api/status": () =>
        Response.json({ error: { code: "unauthorized", message: "m", action: "a" } }, { status: 401 }),
    });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "status", objects: [closure] }, content)).toMatchObject({
      ok: false,
      error: { code: "unauthorized" },
    });
    expect(await sessionItem.getValue()).toBeNull();
    expect(await handle({ type: "prefs" }, content)).toMatchObject({ ok: true, data: { signedIn: false } });
  });

  it("treats an expired session as none (unauthorized, without calling the Worker)", async () => {
    await sessionItem.setValue({ ...SESSION, expiresAt: "2000-01-01T00:00:00Z" });
    const w = worker({});
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "status", objects: [closure] }, content)).toMatchObject({
      ok: false,
      error: { code: "unauthorized" },
    });
    expect(w.fetch).not.toHaveBeenCalled();
  });

  it("fills path parameters and checks request bodies against the route table", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({ "POST /api/closures/c%2F1/counted": ok({ ok: true, counted: "2" }) });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    const totals = { payments: [{ name: "Cash", countedMinor: 12345 }] };
    expect(await handle({ type: "counted", closureId: "c/1", totals }, content)).toEqual({
      ok: true,
      data: { ok: true, counted: "2" },
    });
    // The API relay validates bodies with the route's own request schema before sending.
    expect(
      await handle({ type: "api", route: "saveMappings", body: { version: -1, mappings: {} } }, page),
    ).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(w.seen).toHaveLength(1);
  });

  it("keeps selector reports, newest first and without duplicates", async () => {
    const { handle } = createBackground({ workerUrl: WORKER, fetch: worker({}).fetch });
    const report = (selector: string, at: string) => ({
      type: "selectorReport",
      report: { selector, feature: "closure-badges", path: "/register/closures", at },
    });
    await handle(report("closureLink", "2026-11-01T00:00:00Z"), content);
    await handle(report("pageTitle", "2026-11-01T00:01:00Z"), content);
    await handle(report("closureLink", "2026-11-02T00:00:00Z"), content);
    const kept = await selectorReportsItem.getValue();
    expect(kept.map((r) => [r.selector, r.at])).toEqual([
      ["closureLink", "2026-11-02T00:00:00Z"],
      ["pageTitle", "2026-11-01T00:01:00Z"],
    ]);
  });

  it("opens the settings at a section, with a grey badge's day for the backfill in the query", async () => {
    const { handle } = createBackground({ workerUrl: WORKER, fetch: worker({}).fetch });
    const opened: string[] = [];
    vi.spyOn(fakeBrowser.tabs, "create").mockImplementation(async (p) => {
      opened.push(p.url ?? "");
      return {} as never;
    });
    await handle({ type: "openOptions", section: "mappings" }, content);
    await handle({ type: "openOptions", section: "backfill", backfillFrom: "2026-10-09" }, content);
    expect(opened.map((u) => u.replace(/^chrome-extension:\/\/[^/]+/, ""))).toEqual([
      "/options.html#mappings",
      "/options.html?backfillFrom=2026-10-09#backfill",
    ]);
  });
});

describe("the connect flows", () => {
  it("POS: sends the nonce's hash, opens the authorize page, and exchanges the returned code with the nonce", async () => {
    const w = worker({
      "POST /auth/pos/start": ok({ authorizeUrl: "http://pos.test/connect?state=abc" }),
      "POST /auth/session": ok({
        session: "tbs_new",
        tenantId: "t9",
        storeName: "Demo store",
        expiresAt: "2099-01-01T00:00:00Z",
      }),
    });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    const tabs = vi.spyOn(fakeBrowser.tabs, "create");

    expect(await handle({ type: "connectPos" }, page)).toEqual({
      ok: true,
      data: { authorizeUrl: "http://pos.test/connect?state=abc" },
    });
    const start = (await w.seen[0]!.json()) as { returnTo: string; nonceHash: string };
    expect(start.returnTo).toBe(`${EXT}connected.html`);
    const pending = await pendingConnectItem.getValue();
    expect(start.nonceHash).toBe(await sha256Hex(pending!.nonce));
    expect(tabs).toHaveBeenCalledWith({ url: "http://pos.test/connect?state=abc" });
    expect(w.seen[0]!.headers.get("authorization")).toBeNull();

    const code = "c".repeat(32);
    const done = await handle(
      { type: "completeConnect", hash: `#code=${code}` },
      { id: "test-extension-id", url: `${EXT}connected.html` },
    );
    expect(done).toEqual({ ok: true, data: { system: "pos", storeName: "Demo store" } });
    expect(await w.seen[1]!.json()).toEqual({ code, nonce: pending!.nonce, reviewFirst: true });
    expect(await sessionItem.getValue()).toMatchObject({ token: "tbs_new", tenantId: "t9" });
    expect(await pendingConnectItem.getValue()).toBeNull();
  });

  it("POS: refuses a returned code when no connect was started here", async () => {
    const w = worker({});
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "completeConnect", hash: `#code=${"c".repeat(32)}` }, page)).toMatchObject({
      ok: false,
      error: { code: "oauth_state_invalid" },
    });
    expect(w.fetch).not.toHaveBeenCalled();
  });

  it("QBO: starts with the session and reports the outcome the Worker sends back", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({ "POST /api/qbo/connect": ok({ authorizeUrl: "http://qbo.test/authorize" }) });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "connectQbo" }, page)).toMatchObject({ ok: true });
    expect(await w.seen[0]!.json()).toEqual({ returnTo: `${EXT}connected.html` });
    expect(w.seen[0]!.headers.get("authorization")).toBe(`Bearer ${SESSION.token}`);
    expect(await handle({ type: "completeConnect", hash: "#qbo=connected" }, page)).toEqual({
      ok: true,
      data: { system: "qbo" },
    });
    expect(await handle({ type: "completeConnect", hash: "#qbo=error&code=qbo_forbidden" }, page)).toMatchObject({
      ok: false,
      error: { code: "qbo_forbidden" },
    });
  });

  it("disconnecting the POS forgets the session even when the Worker already had", async () => {
    await sessionItem.setValue(SESSION);
    const w = worker({
      "POST /api/pos/disconnect": () =>
        Response.json({ error: { code: "unauthorized", message: "m", action: "a" } }, { status: 401 }),
    });
    const { handle } = createBackground({ workerUrl: WORKER, fetch: w.fetch });
    expect(await handle({ type: "disconnect", system: "pos" }, page)).toEqual({ ok: true, data: { ok: true } });
    expect(await sessionItem.getValue()).toBeNull();
  });
});
