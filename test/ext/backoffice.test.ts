import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../sandbox/pos/index";
import { createBackofficeApp } from "../../sandbox/backoffice/index";
import { CLIENT_JS } from "../../sandbox/backoffice/client";
import { selectAll, selectFirst } from "../../extension/host/selectors";
import { cellText, detailStatus, parseMoney, rowOf, rowStatus } from "../../extension/host/read";
import { fixtureDoc, settle } from "./helpers";

let pos: PosSandbox;
let app: ReturnType<typeof createBackofficeApp>;
const ORIGIN = "http://127.0.0.1:8789";

beforeAll(() => {
  pos = createPosSandbox({ seed: 7, days: 10, defaults: "today" });
  app = createBackofficeApp(pos);
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

async function view(path: string, search = "") {
  const res = await app.request(`/demo/_backoffice/view?${new URLSearchParams({ path, search })}`);
  const body = (await res.json()) as { title: string; html: string };
  const doc = new DOMParser().parseFromString(`<main>${body.html}</main>`, "text/html");
  return { status: res.status, title: body.title, doc };
}

describe("the back-office replica's server", () => {
  it("serves the SPA shell at the real page paths, and 404 for an unknown store", async () => {
    for (const path of [
      "/register/closures",
      "/register/closure/summary/x",
      "/consignment",
      "/consignment/x",
      "/history",
    ]) {
      const res = await app.request(`/demo${path}`);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain('<main id="app"');
      expect(html).toContain('src="/demo/_backoffice/app.js"');
    }
    expect((await app.request("/nosuchstore/register/closures")).status).toBe(404);
    const js = await app.request("/demo/_backoffice/app.js");
    expect(js.headers.get("content-type")).toContain("javascript");
  });

  it("renders the closures from the POS sandbox, 25 a page, newest first, with the extension's selectors matching", async () => {
    const closures = pos.closures("demo");
    const first = await view("/register/closures");
    const links = selectAll("closureLink", first.doc);
    expect(links).toHaveLength(25);
    expect(links[0]!.getAttribute("href")).toBe(`/demo/register/closure/summary/${closures.at(-1)!.id}`);
    expect(first.doc.querySelector('a[href="/demo/register/closures.csv"]')?.textContent).toBe("Export CSV");
    const second = await view("/register/closures", "page=2");
    expect(selectAll("closureLink", second.doc)).toHaveLength(closures.length - 25);
  });

  it("shows a closure's expected, counted and differences per payment type", async () => {
    const c = pos.closures("demo")[0]!;
    const { doc } = await view(`/register/closure/summary/${c.id}`);
    const table = selectAll("closurePaymentsTable", doc)[0]!;
    const cash = [...table.querySelectorAll("tbody tr")].find((r) => r.children[0]?.textContent === "Cash")!;
    const p = c.payments.find((x) => x.name === "Cash")!;
    expect(cash.children[1]!.textContent).toBe(`$${p.expected.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`);
    expect((await view("/register/closure/summary/nope")).status).toBe(404);
  });

  it("filters stock control by status and lists sales with their status", async () => {
    const received = await view("/consignment", "status=RECEIVED");
    const statuses = selectAll("consignmentLink", received.doc).map((a) => rowStatus(rowOf(a)!));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === "Received")).toBe(true);
    const all = await view("/consignment");
    expect(all.doc.querySelectorAll("[data-action=receive]").length).toBeGreaterThan(0);
    const history = await view("/history");
    expect(selectAll("saleLink", history.doc)).toHaveLength(25);
  });

  it("exports the closures as CSV", async () => {
    const res = await app.request("/demo/register/closures.csv");
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\n");
    expect(lines[0]).toBe("outlet,register,sequence,opened_at,closed_at,payment_type,expected,counted");
    expect(lines.length).toBeGreaterThan(pos.closures("demo").length);
  });
});

/** Waits for the client to finish rendering (it marks #app busy from navigation to render): a condition, not a race. */
async function rendered(): Promise<void> {
  await settle(1);
  for (let i = 0; i < 1000 && document.querySelector("#app")?.hasAttribute("aria-busy"); i++) await settle(1);
  expect(document.querySelector("#app")?.hasAttribute("aria-busy")).toBe(false);
}

describe("the replica's single-page client", () => {
  async function boot(path: string, server = app) {
    (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${ORIGIN}${path}`);
    const shell = await (await server.request(path)).text();
    document.body.innerHTML = /<body[^>]*>([\s\S]*)<\/body>/.exec(shell)![1]!.replace(/<script[\s\S]*?<\/script>/g, "");
    const fetches: string[] = [];
    vi.stubGlobal("fetch", async (input: string) => {
      const url = new URL(input, `${ORIGIN}${path}`);
      fetches.push(url.pathname + url.search);
      return server.request(url.pathname + url.search);
    });
    new Function(CLIENT_JS)();
    await settle(10);
    return fetches;
  }

  it("fetches the view after load, then navigates with pushState without reloading", async () => {
    const fetches = await boot("/demo/register/closures");
    expect(document.querySelector("#app")!.getAttribute("aria-busy")).toBeNull();
    const firstPage = selectAll("closureLink").map((a) => a.getAttribute("href"));
    expect(firstPage).toHaveLength(25);
    const marker = document.body; // the same document survives: no reload
    (document.querySelector('a[rel="next"]') as HTMLAnchorElement).click();
    await settle(10);
    expect(location.search).toBe("?page=2");
    expect(document.body).toBe(marker);
    expect(selectAll("closureLink")).toHaveLength(pos.closures("demo").length - 25);
    expect(fetches.filter((f) => f.startsWith("/demo/_backoffice/view"))).toHaveLength(2);

    (selectAll("closureLink")[0] as HTMLAnchorElement).click();
    await settle(10);
    expect(location.pathname).toMatch(/^\/demo\/register\/closure\/summary\//);
    expect(document.querySelector("h1")!.textContent).toBe("Register Closure Summary");
  });

  it("re-renders stock control when the status filter changes", async () => {
    await boot("/demo/consignment");
    const select = document.querySelector<HTMLSelectElement>('select[name="status"]')!;
    select.value = "RECEIVED";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await settle(10);
    expect(location.search).toBe("?status=RECEIVED");
    const statuses = selectAll("consignmentLink").map((a) => rowStatus(rowOf(a)!));
    expect(statuses.every((s) => s === "Received")).toBe(true);
  });

  it("re-renders stock control by type, and renders inventory counts on navigation", async () => {
    await boot("/demo/consignment", invApp);
    const select = document.querySelector<HTMLSelectElement>('select[name="type"]')!;
    select.value = "OUTLET";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await rendered();
    expect(location.search).toBe("?type=OUTLET");
    const types = selectAll("consignmentLink").map((a) => cellText(rowOf(a)!, /^type$/i));
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => t === "Transfer")).toBe(true);
    expect(document.querySelector('a[href="/demo/inventory_count"]')?.textContent).toBe("Inventory counts");
    // (earlier tests' clients still listen on this document and would take a click: go back and forth instead)
    history.pushState({}, "", "/demo/inventory_count");
    dispatchEvent(new PopStateEvent("popstate"));
    await rendered();
    expect(document.querySelector("h1")!.textContent).toBe("Inventory counts");
  });
});

let inv: PosSandbox;
let invApp: ReturnType<typeof createBackofficeApp>;

beforeAll(() => {
  // a store with inventory documents: 16 days take in the stocktake of the 15th
  inv = createPosSandbox({ seed: 7, days: 16, stores: ["ca"], defaults: "next" });
  invApp = createBackofficeApp(inv);
}, 60_000);

async function invView(path: string, search = "") {
  const res = await invApp.request(`/demo/_backoffice/view?${new URLSearchParams({ path, search })}`);
  const body = (await res.json()) as { title: string; html: string };
  return { status: res.status, doc: new DOMParser().parseFromString(`<main>${body.html}</main>`, "text/html") };
}

const rowsOf = (doc: Document) => [...doc.querySelectorAll("table.vd-table tbody tr")];
const cells = (row: Element) => [...row.children].map((c) => c.textContent?.trim() ?? "");
const footTotal = (doc: Document) => parseMoney(doc.querySelector("tfoot td")?.textContent);

describe("the replica's stock control pages for supplier returns, transfers, counts and adjustments", () => {
  it("serves the SPA shell at the inventory counts and stock adjustments paths", async () => {
    for (const path of ["/inventory_count", "/inventory_count/x", "/inventory/stock-adjustments"]) {
      const res = await invApp.request(`/demo${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<main id="app"');
    }
  });

  it("lists supplier returns and transfers beside the orders, each row linking to its consignment", async () => {
    const store = inv.store("demo");
    const returns = Object.values(store.inventory.consignments).filter((c) => c.type === "RETURN");
    const transfers = Object.values(store.inventory.consignments).filter((c) => c.type === "OUTLET");
    expect(returns.length).toBeGreaterThan(1);
    const byType = async (type: string) => {
      const { doc } = await invView("/consignment", `type=${type}`);
      return selectAll("consignmentLink", doc).map((a) => ({
        id: a.getAttribute("href")!.split("/").at(-1)!,
        type: cellText(rowOf(a)!, /^type$/i),
        status: rowStatus(rowOf(a)!),
      }));
    };
    const listedReturns = await byType("RETURN");
    expect(listedReturns.map((r) => r.id).sort()).toEqual(returns.map((c) => c.id).sort());
    expect(listedReturns.every((r) => r.type === "Supplier return")).toBe(true);
    expect(new Set(listedReturns.map((r) => r.status))).toEqual(new Set(["Sent", "Cancelled"]));
    const listedTransfers = await byType("OUTLET");
    expect(listedTransfers.map((r) => r.id).sort()).toEqual(transfers.map((c) => c.id).sort());
    const { doc: all } = await invView("/consignment");
    const types = new Set(selectAll("consignmentLink", all).map((a) => cellText(rowOf(a)!, /^type$/i)));
    expect(types).toEqual(new Set(["Supplier order", "Supplier return", "Transfer"]));
    const inTransit = transfers.find((c) => c.status === "SENT")!;
    const row = rowOf(all.querySelector(`a[href="/demo/consignment/${inTransit.id}"]`)!)!;
    expect(row.querySelector("[data-action=receive]")?.textContent).toBe("Receive transfer");
  });

  it("shows a supplier return with its status, supplier and the credit it is worth", async () => {
    const store = inv.store("demo");
    const sent = Object.values(store.inventory.consignments).find((c) => c.type === "RETURN" && c.status === "SENT")!;
    const { status, doc } = await invView(`/consignment/${sent.id}`);
    expect(status).toBe(200);
    expect(selectFirst("pageTitle", doc)!.textContent).toBe(`Return ${sent.reference}`);
    expect(detailStatus(doc)).toBe("Sent");
    expect(rowsOf(doc)).toHaveLength(sent.products.length);
    const figures = inv.inventory.supplierReturnFigures("demo", sent.id);
    expect(footTotal(doc)).toBe(figures.minor);
    expect(doc.body.textContent).toContain(store.suppliers[sent.supplierId!]!.name);
  });

  it("shows a transfer's source and destination, what was sent and received, at the cost it was sent at", async () => {
    const store = inv.store("demo");
    const done = Object.values(store.inventory.consignments).find(
      (c) => c.type === "OUTLET" && c.status === "RECEIVED",
    )!;
    const { doc } = await invView(`/consignment/${done.id}`);
    expect(detailStatus(doc)).toBe("Received");
    const dd = (label: string) =>
      [...doc.querySelectorAll("dt")].find((dt) => dt.textContent === label)?.nextElementSibling?.textContent;
    expect(dd("Source outlet")).toBe(store.outlets[done.sourceOutletId!]!.name);
    expect(dd("Destination outlet")).toBe(store.outlets[done.outletId]!.name);
    expect(footTotal(doc)).toBe(inv.inventory.transferFigures("demo", done.id).received.minor);
    for (const row of rowsOf(doc)) expect(cells(row)[2]).toBe(cells(row)[3]); // sent = received
  });

  it("lists inventory counts and shows each product's expected and counted, and the cost gained and lost", async () => {
    const store = inv.store("demo");
    const count = Object.values(store.inventory.consignments).find((c) => c.type === "STOCKTAKE")!;
    const { doc: list } = await invView("/inventory_count");
    const links = [...list.querySelectorAll('table a[href*="/inventory_count/"]')];
    expect(links.map((a) => a.getAttribute("href"))).toEqual([`/demo/inventory_count/${count.id}`]);
    expect(rowStatus(rowOf(links[0]!)!)).toBe("Completed");

    const { doc } = await invView(`/inventory_count/${count.id}`);
    expect(detailStatus(doc)).toBe("Completed");
    const figures = inv.inventory.stocktakeFigures("demo", count.id);
    const dd = (label: string) =>
      [...doc.querySelectorAll("dt")].find((dt) => dt.textContent === label)?.nextElementSibling?.textContent;
    expect(parseMoney(dd("Cost gained"))).toBe(figures.gain.minor);
    expect(parseMoney(dd("Cost lost"))).toBe(figures.loss.minor);
    expect(rowsOf(doc)).toHaveLength(count.products.length);
    const changed = rowsOf(doc).filter((r) => cells(r)[4] !== "0");
    expect(changed.length).toBe(figures.lines.filter((l) => l.diff !== "0").length);
    expect((await invView("/inventory_count/nope")).status).toBe(404);
    expect((await invView(`/consignment/${count.id}`)).status).toBe(404);
  });

  it("lists stock adjustments newest first, 25 a page, filtered by reason", async () => {
    const store = inv.store("demo");
    const adjustments = Object.values(store.inventory.adjustments);
    const { doc } = await invView("/inventory/stock-adjustments");
    const ids = rowsOf(doc).map((r) => r.getAttribute("data-stock-adjustment-id"));
    const newest = [...adjustments].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, 25);
    expect(ids).toEqual(newest.map((a) => a.id));
    const { doc: thefts } = await invView("/inventory/stock-adjustments", "reason=THEFT");
    const reasons = rowsOf(thefts).map((r) => cells(r)[4]);
    expect(reasons).toHaveLength(adjustments.filter((a) => a.reason === "THEFT").length);
    expect(reasons.every((x) => x === "Theft")).toBe(true);
  });

  it("leaves a store without inventory documents' stock control as it was: orders only, no type filter", async () => {
    const { doc } = await view("/consignment");
    expect(doc.querySelector('select[name="type"]')).toBeNull();
    expect(doc.querySelector('a[href="/demo/inventory_count"]')).toBeNull();
    const { doc: inventoried } = await invView("/consignment");
    expect(inventoried.querySelector('select[name="type"]')).not.toBeNull();
  });

  it("matches the saved fixtures with the extension's selectors where they already apply", () => {
    const doc = (name: string) => fixtureDoc(`inventory/${name}`);
    expect(selectAll("consignmentLink", doc("stock-control-returns.html")).length).toBeGreaterThan(0);
    expect(selectAll("statusHeader", doc("stock-control-inventory.html"))).toHaveLength(1);
    for (const [name, status] of [
      ["supplier-return-sent.html", "Sent"],
      ["supplier-return-open.html", "Open"],
      ["supplier-return-cancelled.html", "Cancelled"],
      ["transfer-received.html", "Received"],
      ["transfer-sent.html", "Sent"],
      ["inventory-count-complete.html", "Completed"],
      ["inventory-count-in-review.html", "In review"],
    ] as const) {
      expect(selectAll("pageTitle", doc(name)), name).toHaveLength(1);
      expect(detailStatus(doc(name)), name).toBe(status);
    }
  });
});
