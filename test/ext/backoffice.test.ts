import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../sandbox/pos/index";
import { createBackofficeApp } from "../../sandbox/backoffice/index";
import { CLIENT_JS } from "../../sandbox/backoffice/client";
import { selectAll } from "../../extension/host/selectors";
import { rowOf, rowStatus } from "../../extension/host/read";
import { settle } from "./helpers";

let pos: PosSandbox;
let app: ReturnType<typeof createBackofficeApp>;
const ORIGIN = "http://127.0.0.1:8789";

beforeAll(() => {
  pos = createPosSandbox({ seed: 7, days: 10 });
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

describe("the replica's single-page client", () => {
  async function boot(path: string) {
    (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${ORIGIN}${path}`);
    const shell = await (await app.request(path)).text();
    document.body.innerHTML = /<body[^>]*>([\s\S]*)<\/body>/.exec(shell)![1]!.replace(/<script[\s\S]*?<\/script>/g, "");
    const fetches: string[] = [];
    vi.stubGlobal("fetch", async (input: string) => {
      const url = new URL(input, `${ORIGIN}${path}`);
      fetches.push(url.pathname + url.search);
      return app.request(url.pathname + url.search);
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
});
