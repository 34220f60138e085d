import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { ObjectRef } from "../../../shared/sync";
import { ExtensionError, type ask } from "../../../extension/ask";
import { createBackground } from "../../../extension/background";
import { sessionItem } from "../../../extension/background/store";
import { runFeatures } from "../../../extension/content/run";
import { FEATURES } from "../../../extension/features";
import { mounts, REPLICA, settle, showFixture } from "../helpers";

/**
 * Back-office pages the extension does not recognise, and pages that try to fool it. Each page runs
 * every feature through the REAL background (its message validation) against a fake Worker: nothing
 * is injected where nothing is recognised, the selector that failed is reported once, the page's own
 * DOM is left exactly as it was, and nothing reaches the Worker that should not.
 */
const SESSION = {
  token: "tbs_secret_token_123",
  tenantId: "demo",
  storeName: "Demo",
  expiresAt: "2099-01-01T00:00:00Z",
};

interface Wire {
  messenger: typeof ask;
  /** Messages the content scripts sent, as the background received them */
  messages: { type: string; payload: Record<string, unknown> }[];
  /** Calls that reached the (fake) Worker */
  worker: { path: string; body: unknown }[];
}

function wire(pageUrl: string): Wire {
  const worker: Wire["worker"] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    const body = req.method === "GET" ? null : ((await req.json()) as Record<string, unknown>);
    worker.push({ path, body });
    if (path === "/api/status")
      return Response.json({
        objects: (body!.objects as ObjectRef[]).map((o) => ({ ...o, state: "unknown", docs: [], attempts: 0 })),
      });
    if (path.endsWith("/counted")) return Response.json({ ok: true, counted: "backoffice" });
    return Response.json({ error: { code: "not_found", message: "Not found", action: "Reload" } }, { status: 404 });
  };
  const { handle } = createBackground({ workerUrl: "http://worker.test", fetch: fetch as typeof globalThis.fetch });
  const messages: Wire["messages"] = [];
  const messenger = (async (type: string, payload: Record<string, unknown>) => {
    messages.push({ type, payload });
    const reply = await handle({ type, ...payload }, {
      id: fakeBrowser.runtime.id,
      url: pageUrl,
      tab: { id: 1 },
    } as never);
    if (!reply.ok) throw new ExtensionError(reply.error);
    return reply.data;
  }) as unknown as typeof ask;
  return { messenger, messages, worker };
}

let life: AbortController;
beforeEach(async () => {
  fakeBrowser.reset();
  await sessionItem.setValue(SESSION);
  life = new AbortController();
  document.body.innerHTML = "";
});
afterEach(() => {
  life.abort();
  vi.useRealTimers();
});

function run(url: string, w: Wire) {
  runFeatures({
    features: FEATURES,
    signal: life.signal,
    url: () => url,
    onNavigate: () => undefined,
    messenger: w.messenger,
    log: () => undefined,
  });
}

const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
const table = (headers: string[], rows: string[]) =>
  `<table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

interface Unknown {
  name: string;
  path: string;
  html: string;
  /** [feature, selector] reports expected, in any order */
  reports: [string, string][];
  /** What the features that DO recognise the page still add (a title badge), and ask the Worker about */
  recognised?: { mounts: number; asked: ObjectRef[] };
}

const UNKNOWN: Unknown[] = [
  {
    name: "closures as a grid of cards, no links",
    path: "/register/closures",
    html: `<main><h1>Register closures</h1><div class="grid"><div class="card">Main Register #41</div></div></main>`,
    reports: [["closure-badges", "closureLink"]],
  },
  {
    name: "closures linked by a new URL scheme",
    path: "/register/closures",
    html: `<main><h1>Register closures</h1>${table(["Register", "Closed"], [row([`<a href="/register/closures/view?id=abc">Main</a>`, "today"])])}</main>`,
    reports: [["closure-badges", "closureLink"]],
  },
  {
    name: "a closure summary without any heading or payments table",
    path: "/register/closure/summary/abc123",
    html: `<main><div class="title">Closure #41</div><div class="figures">Cash $10.00</div></main>`,
    reports: [
      ["closure-badges", "pageTitle"],
      ["closure-counted-totals", "closurePaymentsTable"],
    ],
  },
  {
    name: "a closure summary whose payments table lost its Counted column",
    path: "/register/closure/summary/abc123",
    html: `<main><h1>Closure #41</h1>${table(["Payment", "Expected", "Difference"], [row(["Cash", "$10.00", "$0.00"])])}</main>`,
    reports: [["closure-counted-totals", "closurePaymentsTable"]],
    recognised: { mounts: 1, asked: [{ kind: "closure", posId: "abc123" }] },
  },
  {
    name: "stock control as cards",
    path: "/consignment",
    html: `<main><h1>Stock control</h1><ul><li><span>PO-1 Received</span></li></ul></main>`,
    reports: [["purchase-order-send", "consignmentLink"]],
  },
  {
    name: "stock control without a Status column",
    path: "/consignment",
    html: `<main><h1>Stock control</h1>${table(["Order", "Supplier", "State"], [row([`<a href="/demo/consignment/po1">PO-1</a>`, "Acme", "Received"])])}</main>`,
    reports: [["purchase-order-send", "statusHeader"]],
  },
  {
    name: "an order page without its status list",
    path: "/consignment/po1",
    html: `<main><h1>PO-1</h1><p>Status: Received</p></main>`,
    reports: [["purchase-order-send", "detailStatus"]],
  },
  {
    name: "sales history as a list",
    path: "/history",
    html: `<main><h1>Sales history</h1><ol><li>#1001 On account</li></ol></main>`,
    reports: [["sale-badges", "saleLink"]],
  },
  {
    name: "sales history without a Status column",
    path: "/history",
    html: `<main><h1>Sales history</h1>${table(["Receipt", "Customer", "Kind"], [row([`<a href="#sale1">#1001</a>`, "Ada", "On account"])])}</main>`,
    reports: [["sale-badges", "statusHeader"]],
  },
];

describe("a back office Tillbridge does not recognise: nothing injected, the mismatch reported, the page unharmed", () => {
  it.each(UNKNOWN)("$name", async (c) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    document.body.innerHTML = c.html;
    const before = document.body.innerHTML;
    const w = wire(`${REPLICA}${c.path}`);
    run(`${REPLICA}${c.path}`, w);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(mounts()).toHaveLength(c.recognised?.mounts ?? 0);
    for (const { host } of mounts()) host.remove();
    expect(document.body.innerHTML).toBe(before);
    const reports = w.messages
      .filter((m) => m.type === "selectorReport")
      .map((m) => m.payload.report as { feature: string; selector: string; path: string });
    expect(reports.map((r) => [r.feature, r.selector]).sort()).toEqual([...c.reports].sort());
    for (const r of reports) expect(r.path).toBe(c.path);
    // the reports reached the background (kept for the popup), and the Worker heard of no object it cannot see
    expect(w.worker.filter((x) => x.path !== "/api/status")).toEqual([]);
    const asked = new Set(
      w.worker.flatMap((x) =>
        ((x.body as { objects?: ObjectRef[] } | null)?.objects ?? []).map((o) => JSON.stringify(o)),
      ),
    );
    expect([...asked]).toEqual((c.recognised?.asked ?? []).map((o) => JSON.stringify(o)));
  });
});

describe("pages that try to fool it", () => {
  it("links whose ids carry markup, scripts or absurd lengths: skipped, the good row badged, nothing of theirs run", async () => {
    (window as unknown as { pwned?: boolean }).pwned = false;
    const hostile = [
      `<a href="/register/closure/summary/%22%3E%3Cimg%20src=x%20onerror=window.pwned=true%3E">Evil 1</a>`,
      `<a href="javascript:window.pwned=true//register/closure/summary/abc">Evil 2</a>`,
      `<a href="/register/closure/summary/${"x".repeat(300)}">Evil 3</a>`,
      `<a href="/register/closure/summary/../../api/mappings">Evil 4</a>`,
    ];
    document.body.innerHTML = `<main><h1>Register closures</h1>${table(["Register"], [...hostile.map((h) => row([h])), row([`<a href="/register/closure/summary/good-1">Main</a>`])])}</main>`;
    const w = wire(`${REPLICA}/register/closures`);
    run(`${REPLICA}/register/closures`, w);
    await settle(10);
    const asked = w.worker
      .filter((x) => x.path === "/api/status")
      .flatMap((x) => (x.body as { objects: ObjectRef[] }).objects);
    expect(asked).toEqual([{ kind: "closure", posId: "good-1" }]);
    expect(mounts()).toHaveLength(1);
    expect(document.querySelectorAll("img")).toHaveLength(0);
    expect((window as unknown as { pwned?: boolean }).pwned).toBe(false);
  });

  it("1,200 closures on one page: asked in requests of at most 500, every row badged", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) =>
      row([`<a href="/register/closure/summary/c-${i}">Register ${i}</a>`]),
    );
    document.body.innerHTML = `<main><h1>Register closures</h1>${table(["Register"], rows)}</main>`;
    const w = wire(`${REPLICA}/register/closures`);
    run(`${REPLICA}/register/closures`, w);
    await settle(40);
    const sizes = w.worker
      .filter((x) => x.path === "/api/status")
      .map((x) => (x.body as { objects: unknown[] }).objects.length);
    expect(sizes).toEqual([500, 500, 200]);
    expect(mounts()).toHaveLength(1200);
  });

  it("a closure summary with 60 payment types: the background refuses the counted totals, the Worker never gets them", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => row([`Type ${i}`, "$1.00", "$1.00"]));
    document.body.innerHTML = `<main><h1>Closure #41</h1>${table(["Payment", "Expected", "Counted"], rows)}</main>`;
    const before = document.body.innerHTML.length;
    const w = wire(`${REPLICA}/register/closure/summary/abc123`);
    run(`${REPLICA}/register/closure/summary/abc123`, w);
    await settle(20);
    expect(w.messages.filter((m) => m.type === "counted")).toHaveLength(1);
    expect(w.worker.filter((x) => x.path.endsWith("/counted"))).toEqual([]);
    expect(mounts("counted")).toHaveLength(0);
    // only the title's badge was added; the page's own content is as it was
    for (const { host } of mounts()) host.remove();
    expect(document.body.innerHTML.length).toBe(before);
  });

  it("counted figures no one could have typed (∞, NaN, 1e9, 12,34,56.7.8): nothing sent", async () => {
    const rows = ["∞", "NaN", "1e9", "12,34,56.7.8", "—"].map((v, i) => row([`Type ${i}`, "$1.00", v]));
    document.body.innerHTML = `<main><h1>Closure #41</h1>${table(["Payment", "Expected", "Counted"], rows)}</main>`;
    const w = wire(`${REPLICA}/register/closure/summary/abc123`);
    run(`${REPLICA}/register/closure/summary/abc123`, w);
    await settle(20);
    const sent = w.worker
      .filter((x) => x.path.endsWith("/counted"))
      .map((x) => x.body as { payments: { countedMinor: number }[] });
    for (const s of sent) for (const p of s.payments) expect(Number.isSafeInteger(p.countedMinor)).toBe(true);
    expect(sent.flatMap((s) => s.payments.map((p) => p.countedMinor)).every((n) => Math.abs(n) < 1e12)).toBe(true);
  });

  it("a page posting messages that pretend to be the extension's: none reaches the background", async () => {
    showFixture("stock-control-received.html");
    const w = wire(`${REPLICA}/consignment`);
    run(`${REPLICA}/consignment`, w);
    await settle(10);
    const before = w.messages.length;
    const forged = [
      { type: "send", object: { kind: "purchase_order", posId: "po-1" } },
      { type: "counted", closureId: "c1", totals: { payments: [{ name: "Cash", countedMinor: 1 }] } },
      { type: "api", route: "me" },
    ];
    for (const data of forged) {
      window.postMessage(data, "*");
      window.dispatchEvent(new MessageEvent("message", { data, origin: "https://evil.example" }));
      document.dispatchEvent(new CustomEvent("tillbridge", { detail: data }));
    }
    await settle(10);
    expect(w.messages.slice(before)).toEqual([]);
    expect(w.worker.filter((x) => x.path !== "/api/status")).toEqual([]);
  });
});
