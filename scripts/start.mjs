#!/usr/bin/env node
// `npm start`: the whole of Tillbridge locally, nothing reaching the internet. The sandboxes (QBO +
// Intuit OAuth; the POS with its demo stores and the back-office replica), the Worker under
// `wrangler dev` with local D1/KV (migrations applied first; it reloads when worker/ changes), and
// the extension built against that Worker. Ctrl+C stops everything. The demo shows everything: every
// store trades SPEC §4's full activity and inventory activity (the POS sandbox's "next" defaults).
//
//   npm start               fresh sandboxes and a fresh Worker database every time
//   npm start -- --keep     keep both in .tillbridge/ between runs (the extension's session stays valid)
//
// Ports: 8787 (Worker), 8788 (QBO), 8789 (POS + replica); TILLBRIDGE_WORKER_PORT, TILLBRIDGE_QBO_PORT
// and TILLBRIDGE_POS_PORT move them.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCronTicker } from "./cron.mjs";
import { buildExtension, DEFAULT_PORTS, EXTENSION_ID, ROOT, startStack } from "./stack.mjs";

const keep = process.argv.includes("--keep");
const port = (name, fallback) => Number(process.env[name] ?? fallback);
const ports = {
  worker: port("TILLBRIDGE_WORKER_PORT", DEFAULT_PORTS.worker),
  qbo: port("TILLBRIDGE_QBO_PORT", DEFAULT_PORTS.qbo),
  pos: port("TILLBRIDGE_POS_PORT", DEFAULT_PORTS.pos),
};
const workerUrl = `http://127.0.0.1:${ports.worker}`;
// What `npm run browser` reads to find this demo (and to know whether its saved session still means anything)
const STACK_FILE = join(ROOT, ".tillbridge", "stack.json");

const say = (line) => process.stdout.write(`${line}\n`);

say("▶ Building the extension against the local Worker");
let extensionDir;
try {
  extensionDir = buildExtension(workerUrl);
} catch (e) {
  console.error(`✖ ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

say(
  `▶ Starting the sandboxes and the Worker${keep ? " (keeping state in .tillbridge/)" : " (fresh state; --keep keeps it between runs)"}`,
);
let stack;
let cron;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  cron?.stop();
  say("\n■ Stopping the sandboxes and the Worker");
  rmSync(STACK_FILE, { force: true });
  await stack?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  stack = await startStack({
    ports,
    keep,
    posDefaults: "next",
    log: (label, line) => {
      // wrangler logs every request; the health checks are noise here
      if (!line.includes("GET /health ")) say(`[${label}] ${line}`);
    },
    onExit: (label, code) => {
      if (!stopping) {
        console.error(`✖ ${label} exited (${code})`);
        void shutdown(1);
      }
    },
  });
} catch (e) {
  console.error(`✖ ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

mkdirSync(join(ROOT, ".tillbridge"), { recursive: true });
writeFileSync(
  STACK_FILE,
  JSON.stringify(
    {
      urls: stack.urls,
      extensionDir,
      extensionId: EXTENSION_ID,
      stateId: keep ? "kept" : randomUUID(),
      pid: process.pid,
    },
    null,
    2,
  ),
);

const stores = await (await fetch(`${stack.urls.pos}/_sandbox/stores`)).json();
const demo = stores.find((s) => s.prefix === "demo") ?? stores[0];
// On a machine whose clock is earlier than the end of the demo's seeded history, today's trading
// would sort below that history in the back office: the POS's clock then starts where it ends.
const seededUntil = demo ? Date.parse(`${demo.nextTradingDate}T14:00:00Z`) : 0;
if (Date.now() < seededUntil) {
  await fetch(`${stack.urls.pos}/_sandbox/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ now: new Date(seededUntil).toISOString() }),
  });
  say(`(the POS sandbox's clock starts at ${new Date(seededUntil).toISOString()}, after its demo history)`);
}
const register = demo?.registers[0];
const cash = demo?.paymentTypes.find((t) => t.name === "Cash");
const control = `${stack.urls.pos}/_sandbox/${demo?.prefix ?? "demo"}`;
const state = await (await fetch(`${stack.urls.pos}/_sandbox/state`)).json();
const demoState = state.stores?.[demo?.prefix] ?? {};
const stocked = Object.values(demoState.products ?? {}).filter((p) => p.kind === "product" && p.hasInventory !== false);
const product = stocked[0];
// the stocktake counts another product than the sale and the return move, so "one short" stays one short
const counted = stocked[1] ?? product;
const [mainOutlet, otherOutlet] = demo?.outlets ?? [];
const onHand = (productId, outletId) => Number(demoState.inventory?.levels?.[`${productId}/${outletId}`]?.onHand ?? 0);
const supplier = Object.values(demoState.suppliers ?? {}).find((x) => x.id === product?.supplierId);
const activity = (s) =>
  `${s.activity === "full" ? "full SPEC §4 activity" : "classic activity"}${s.inventory ? " + inventory" : ""}`;
const storeLines = stores
  .map(
    (s) =>
      `    ${s.prefix.padEnd(8)}  ${s.name} (${s.country}, ${s.currency}, ${s.taxInclusive ? "tax-inclusive" : "tax-exclusive"}, ${activity(s)})\n` +
      `              ${stack.urls.pos}/${s.prefix}/register/closures · ${stack.urls.pos}/${s.prefix}/consignment`,
  )
  .join("\n");
const post = (path, body) =>
  `curl -s -XPOST ${control}${path} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;

say(`
Tillbridge is running locally.

  Worker (wrangler dev, local D1/KV)   ${stack.urls.worker}        health: /health · run the cron now: /__scheduled
  Cron                                 fires by itself at the start of every minute, as in production
                                       (wrangler dev does not): each run prints a [cron] line
  QBO sandbox + Intuit OAuth           ${stack.urls.qbo}        the books: /_sandbox/companies, /_sandbox/<realmId>/trial-balance
  POS sandbox + back-office replica    ${stack.urls.pos}/demo/register/closures
  Extension (built for this Worker)    ${extensionDir}

  Demo stores (pick one on the POS's consent page when you connect). Their 30 seeded days show everything
  the POS records: tips, surcharges, custom charges, loyalty, voids, exchanges, returns on account,
  cancelled laybys, and inventory (restocks, supplier returns, stocktakes, transfers, stock adjustments):
${storeLines}

What to do:
  1. Load the extension: run \`npm run browser\` (opens Chromium with it, on a machine with a display), or in
     Chromium open chrome://extensions, turn on Developer mode, "Load unpacked" and pick the folder above.
  2. In its options page (chrome-extension://${EXTENSION_ID}/options.html), the guided setup at the top:
     Connect your store, Connect to QuickBooks, "Use the standard setup", then close a register (step 4
     below): its debits and credits appear in the setup by themselves; check them and choose "Go live".
  3. Open ${stack.urls.pos}/demo/register/closures, Stock control (${stack.urls.pos}/demo/consignment: purchase
     orders, supplier returns, transfers), Inventory counts (${stack.urls.pos}/demo/inventory_count), Stock
     adjustments (${stack.urls.pos}/demo/inventory/stock-adjustments) and Sales history: the badges and buttons
     are the extension's.
  4. Trade and close a register in the POS sandbox, then reload the closures page; once live, a new closure
     posts by itself (before going live it waits, "Not live yet"):
       ${post(`/registers/${register?.id}/open`, {})}
       ${post("/sales", { registerId: register?.id, lines: [{ productId: product?.id, quantity: 2 }], payments: [{ paymentTypeId: cash?.id }] })}
       ${post(`/registers/${register?.id}/close`, {})}
  5. Move stock in the back office's place (each shows up in Stock control, its figures at
     ${control}/consignments/<id>/figures):
       a supplier return, sent:
       ${post("/supplier_returns", { supplierId: supplier?.id, outletId: mainOutlet?.id, lines: [{ productId: product?.id, quantity: 1 }], send: true })}
       a stocktake of one product, counted one short and completed:
       ${post("/stocktakes", { outletId: mainOutlet?.id, productIds: [counted?.id], counts: [{ productId: counted?.id, counted: Math.max(0, onHand(counted?.id, mainOutlet?.id) - 1) }] })}
       a transfer between outlets, sent (then receive it: POST ${control}/consignments/<id>/receive):
       ${post("/transfers", { sourceOutletId: mainOutlet?.id, outletId: (otherOutlet ?? mainOutlet)?.id, lines: [{ productId: product?.id, quantity: 2 }], send: true })}
     More control routes (receive a purchase order, on-account sales, tips and surcharges, cancel a layby,
     void a sale after close, stock adjustments, add a payment type, advance a day): sandbox/pos/control.ts
     and sandbox/pos/control-inventory.ts; the inventory roll-forward: ${control}/inventory/roll_forward?from=&to=

Ctrl+C stops everything.
`);

// Queued items, healing and backfills move on with nobody calling /__scheduled.
cron = startCronTicker({ trigger: () => stack.runCron({ timeoutMs: 55_000 }), say });
say(
  "▶ The cron fires every minute by itself (as Cloudflare's does in production); the first run is at the next minute",
);
