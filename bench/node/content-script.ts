import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { StatusRequest } from "../../shared/api";
import type { ObjectStatus } from "../../shared/sync";
import { renderSnapshot } from "../../sandbox/backoffice/index";
import { PAGE_SIZE } from "../../sandbox/backoffice/views";
import { createPosSandbox } from "../../sandbox/pos/index";
import { EXTENSION_ID, launchWithExtension, serviceWorkerOf } from "../../test/support/browser";
import { emit, median } from "./report";

/**
 * The content script: its size gzipped (built by `wxt build` exactly as shipped, into a folder of
 * its own), and what it costs a 500-row Register closures page in Chromium. The page is the
 * back-office replica's own markup with 500 rows; a stand-in Worker answers the one status request
 * with 500 posted closures. Chrome's Performance domain gives the page's main-thread script time
 * (content script included: the static page runs no script of its own); `performance.now` in the
 * page gives when the first row's badge (in view) and the 500th (drawn last) showed their final state.
 * `--source=DIR` builds the extension from another checkout (a baseline commit) for the same page.
 */
const ROWS = 500;
const quick = process.argv.includes("--quick");
const LOADS = quick ? 3 : 11;

const listen = (fetch: (req: Request) => Response | Promise<Response>): Promise<[ServerType, string]> =>
  new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve([server, `http://127.0.0.1:${info.port}`]),
    );
  });

/**
 * The replica's closures page with `rows` rows: page 1's markup, its tbody filled with the replica's
 * rows of a 30-day store, repeated under fresh closure ids until there are `rows` (a longer store
 * would do too, but the POS sandbox generates days in quadratic time: see docs/BENCHMARKS.md).
 */
function closuresPage(rows: number): string {
  const pos = createPosSandbox({ seed: 42, days: 30 });
  const real: string[] = [];
  for (let p = 1; p <= Math.ceil(pos.closures("demo").length / PAGE_SIZE); p++) {
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(
      renderSnapshot(pos, "demo", `/register/closures?page=${p}`).html,
    )?.[1];
    if (!body) throw new Error(`the replica's closures page ${p} has no table body`);
    real.push(
      ...body
        .split("</tr>")
        .filter((r) => r.includes("/register/closure/summary/"))
        .map((r) => `${r}</tr>`),
    );
  }
  const all = Array.from({ length: rows }, (_, i) =>
    real[i % real.length]!.replace(/(\/register\/closure\/summary\/)[^"]+/, `$1${crypto.randomUUID()}`),
  );
  const first = renderSnapshot(pos, "demo", "/register/closures?page=1").html;
  const page = first.replace(/<tbody>[\s\S]*?<\/tbody>/, `<tbody>${all.join("")}</tbody>`);
  const count = (page.match(/\/register\/closure\/summary\//g) ?? []).length;
  if (count !== rows) throw new Error(`built a closures page with ${count} rows, not ${rows}`);
  return page;
}

/** Just enough of the Worker's API for badges: a signed-in session and the status of every object. */
function fakeWorker(origin: () => string) {
  const app = new Hono();
  let statusCalls = 0;
  app.post("/api/status", async (c) => {
    statusCalls++;
    const { objects } = StatusRequest.parse(await c.req.json());
    const posted = (posId: string, i: number): ObjectStatus => ({
      kind: "closure",
      posId,
      state: "posted",
      attempts: 1,
      docs: [
        {
          part: "sales",
          entity: "SalesReceipt",
          id: String(1000 + i),
          docNumber: `Z${i}-R1-7KQ2M9XA`,
          url: `${origin()}/qbo/SalesReceipt/${1000 + i}`,
        },
      ],
    });
    return c.json({ objects: objects.map((o, i) => posted(o.posId, i)) });
  });
  app.get("/api/me", (c) =>
    c.json({
      tenantId: "demo",
      storeName: "Boutique Démo",
      pos: { status: "connected", displayName: "Boutique Démo", externalId: "demo" },
      qbo: { status: "connected", displayName: "Bench" },
      counts: {},
    }),
  );
  return { app, statusCalls: () => statusCalls };
}

const source = process.argv.find((a) => a.startsWith("--source="))?.slice("--source=".length);

function build(outDir: string, workerUrl: string): string {
  const r = spawnSync("npx", ["wxt", "build"], {
    ...(source ? { cwd: source } : {}),
    env: { ...process.env, TILLBRIDGE_WORKER_URL: workerUrl, TILLBRIDGE_EXT_OUTDIR: outDir },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wxt build failed:\n${r.stdout}\n${r.stderr}`);
  return join(outDir, "chrome-mv3");
}

async function signIn(context: BrowserContext): Promise<void> {
  const sw = await serviceWorkerOf(context);
  await sw.evaluate(async () => {
    const chromeApi = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } })
      .chrome;
    await chromeApi.storage.local.set({
      session: { token: "tbs_bench", tenantId: "demo", storeName: "Boutique Démo", expiresAt: "2099-01-01T00:00:00Z" },
    });
  });
}

/** One more load under V8's sampling profiler: the content script's self time and its busiest functions. */
async function profileLoad(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await page.goto(url);
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-tillbridge="badge"]')]
        .at(-1)
        ?.shadowRoot?.querySelector('[data-testid="tillbridge-badge"][data-state="posted"]') != null,
    undefined,
    { polling: "raf", timeout: 30_000 },
  );
  const { profile } = (await cdp.send("Profiler.stop")) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  await page.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byUrl = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url.includes("content-scripts/")
      ? "content script"
      : frame.url
        ? frame.url.replace(/^.*\//, "")
        : frame.functionName.startsWith("(")
          ? frame.functionName
          : "(native)";
    byUrl.set(where, (byUrl.get(where) ?? 0) + us / 1000);
    if (where === "content script") {
      const name = `${frame.functionName || "(anonymous)"}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us / 1000);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => ({ k, ms: Math.round(ms * 10) / 10 }));
  return { selfMsByOrigin: top(byUrl, 8), contentScriptTop: top(byFunction, 8) };
}

/**
 * When the first row's badge (in view) and the last row's (drawn last, in idle time) showed their
 * final state, in the page's clock: the poll runs each frame and notes the moment itself, so no
 * round trip to this process is counted. The poll is kept cheap (its script time counts too).
 * Badges live in open shadow roots, one per host span marked data-tillbridge="badge".
 */
async function badgedTimes(page: Page, statusRequests: () => number) {
  try {
    await page.waitForFunction(
      (n) => {
        const w = window as unknown as { __tbFirst?: number; __tbAll?: number };
        const hosts = document.querySelectorAll('[data-tillbridge="badge"]');
        const posted = '[data-testid="tillbridge-badge"][data-state="posted"]';
        if (w.__tbFirst === undefined && hosts[0]?.shadowRoot?.querySelector(posted)) w.__tbFirst = performance.now();
        if (hosts.length < n || !hosts[hosts.length - 1]?.shadowRoot?.querySelector(posted)) return false;
        w.__tbAll = performance.now();
        return true;
      },
      ROWS,
      { polling: "raf", timeout: 30_000 },
    );
  } catch (e) {
    const states = await page.evaluate(() =>
      [...document.querySelectorAll('[data-tillbridge="badge"]')].slice(0, 3).map((h) => {
        const b = h.shadowRoot?.querySelector('[data-testid="tillbridge-badge"]');
        return `${b?.getAttribute("data-state")}: ${b?.textContent}`;
      }),
    );
    throw new Error(
      `the badges never all showed "posted" (status requests: ${statusRequests()}; first badges: ${JSON.stringify(states)})`,
      { cause: e },
    );
  }
  return page.evaluate(() => {
    const w = window as unknown as { __tbFirst: number; __tbAll: number };
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { firstFinal: w.__tbFirst, allFinal: w.__tbAll, domContentLoaded: nav.domContentLoadedEventEnd };
  });
}

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), "tillbridge-bench-ext-"));
  let workerOrigin = "";
  const worker = fakeWorker(() => workerOrigin);
  const [workerServer, origin] = await listen(worker.app.fetch);
  workerOrigin = origin;
  const pageStarted = performance.now();
  const page500 = closuresPage(ROWS);
  const pageMs = performance.now() - pageStarted;
  const replica = new Hono().get("/demo/register/closures", (c) => c.html(page500));
  const [replicaServer, replicaOrigin] = await listen(replica.fetch);
  let context: BrowserContext | undefined;
  try {
    const started = performance.now();
    const extensionDir = build(outDir, workerOrigin);
    const buildMs = performance.now() - started;
    const launched = performance.now();
    const js = readFileSync(join(extensionDir, "content-scripts", "backoffice.js"));
    const bundle = { bytes: js.length, gzipBytes: gzipSync(js).length };

    context = await launchWithExtension({ extensionDir });
    await signIn(context);
    const launchMs = performance.now() - launched;
    const loads = [];
    for (let i = 0; i < LOADS + 1; i++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      const callsBefore = worker.statusCalls();
      await page.goto(`${replicaOrigin}/demo/register/closures`);
      const timing = await badgedTimes(page, () => worker.statusCalls() - callsBefore);
      const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
      const badges = await page.evaluate(
        () =>
          [...document.querySelectorAll('[data-tillbridge="badge"]')].filter((h) =>
            h.shadowRoot?.querySelector('[data-testid="tillbridge-badge"][data-state="posted"]'),
          ).length,
      );
      await page.close();
      if (i === 0) continue; // the first load warms the extension's service worker and the HTTP cache
      loads.push({
        scriptMs: metric("ScriptDuration"),
        taskMs: metric("TaskDuration"),
        layoutMs: metric("LayoutDuration") + metric("RecalcStyleDuration"),
        afterDomContentLoadedMs: timing.allFinal - timing.domContentLoaded,
        firstFinalMs: timing.firstFinal - timing.domContentLoaded,
        badges,
        statusRequests: worker.statusCalls() - callsBefore,
      });
    }
    emit("contentScript", {
      rows: ROWS,
      pageMs,
      buildMs,
      launchMs,
      profile: await profileLoad(context, `${replicaOrigin}/demo/register/closures`),
      bundle,
      loads: loads.length,
      median: {
        scriptMs: median(loads.map((l) => l.scriptMs)),
        taskMs: median(loads.map((l) => l.taskMs)),
        layoutMs: median(loads.map((l) => l.layoutMs)),
        afterDomContentLoadedMs: median(loads.map((l) => l.afterDomContentLoadedMs)),
        firstFinalMs: median(loads.map((l) => l.firstFinalMs)),
      },
      runs: loads,
      extensionId: EXTENSION_ID,
    });
  } finally {
    await context?.close();
    workerServer.close();
    replicaServer.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
