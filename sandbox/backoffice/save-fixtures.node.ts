/**
 * Saves the replica's pages, as rendered, into extension/host/fixtures/ — the evidence the
 * extension's selectors are tested against (extension/host/selectors.ts lists the expected counts):
 * closures, purchase orders and sales from a store with today's defaults, and the stock control pages
 * for supplier returns, transfers, inventory counts and stock adjustments from one with inventory.
 *
 *   npx tsx sandbox/backoffice/save-fixtures.node.ts [--check]
 *
 * --check exits 1 when a saved fixture differs from what the replica renders now.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPosSandbox } from "../pos/index";
import { renderSnapshot } from "./index";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "../../extension/host/fixtures");
const check = process.argv.includes("--check");

// A fixed demo store: seed 42, ten trading days (30 closures: two pages of the closures list), today's
// defaults whatever SANDBOX_DEFAULTS says (these fixtures are the extension's evidence: they must not move).
const pos = createPosSandbox({ seed: 42, days: 10, defaults: "today", now: () => new Date("2026-10-12T12:00:00Z") });
const prefix = "demo";
const store = pos.store(prefix);
const closures = pos.closures(prefix);
const newest = closures.at(-1)!;
// A closure whose counted totals never arrived (lost webhook): the summary shows no counted figures.
const uncounted = closures.at(-2)!;
const seq = store.sequences[uncounted.id];
if (seq) seq.counted = null;
const po = (status: string) => Object.values(store.purchaseOrders).find((o) => o.status === status)!;

const pages: [file: string, path: string][] = [
  ["closures-list.html", "/register/closures"],
  ["closures-list-page-2.html", "/register/closures?page=2"],
  ["closure-summary.html", `/register/closure/summary/${newest.id}`],
  ["closure-summary-uncounted.html", `/register/closure/summary/${uncounted.id}`],
  ["stock-control.html", "/consignment"],
  ["stock-control-received.html", "/consignment?status=RECEIVED"],
  ["consignment-received.html", `/consignment/${po("RECEIVED").id}`],
  ["consignment-sent.html", `/consignment/${po("SENT").id}`],
  ["sales-history.html", "/history"],
  ["sales-history-on-account.html", "/history?status=on_account"],
  ["sales-history-layby.html", "/history?status=layby"],
];

// The stock control pages of a store with inventory documents (the next defaults: SPEC §4.5): sixteen
// days take in the first stocktake (the 15th) and leave the week's transfer in transit; one return is
// left open and one count stopped before completion, so every state a badge meets is on file.
const inv = createPosSandbox({
  seed: 42,
  days: 16,
  defaults: "next",
  stores: ["ca"],
  now: () => new Date("2026-10-17T12:00:00Z"),
});
const invStore = inv.store(prefix);
const consignment = (type: string, status: string) =>
  Object.values(invStore.inventory.consignments).find((c) => c.type === type && c.status === status)!;
const quebec = Object.values(invStore.outlets).at(-1)!;
const tee = Object.values(invStore.products).find((p) => p.sku === "TOP-100")!;
const openReturn = inv.inventory.createSupplierReturn(prefix, {
  supplierId: tee.supplierId!,
  outletId: quebec.id,
  at: "2026-10-17T13:00:00Z",
  name: "Wrong size delivered",
  lines: [{ productId: tee.id, quantity: 2 }],
});
const inReview = inv.inventory.runStocktake(prefix, {
  outletId: quebec.id,
  at: "2026-10-17T13:30:00Z",
  name: "Spot count – tees",
  productIds: [tee.id],
  counts: [{ productId: tee.id, counted: 1 }],
  complete: false,
});
// In fixtures/inventory/: the extension's selector test requires every fixture at the top level to be
// some selector's evidence; these become evidence when the extension reads these pages.
const inventoryPages: [file: string, path: string][] = [
  ["inventory/stock-control-inventory.html", "/consignment"],
  ["inventory/stock-control-returns.html", "/consignment?type=RETURN"],
  ["inventory/stock-control-transfers.html", "/consignment?type=OUTLET"],
  ["inventory/supplier-return-sent.html", `/consignment/${consignment("RETURN", "SENT").id}`],
  ["inventory/supplier-return-open.html", `/consignment/${openReturn.id}`],
  ["inventory/supplier-return-cancelled.html", `/consignment/${consignment("RETURN", "CANCELLED").id}`],
  ["inventory/transfer-received.html", `/consignment/${consignment("OUTLET", "RECEIVED").id}`],
  ["inventory/transfer-sent.html", `/consignment/${consignment("OUTLET", "SENT").id}`],
  ["inventory/inventory-counts.html", "/inventory_count"],
  ["inventory/inventory-count-complete.html", `/inventory_count/${consignment("STOCKTAKE", "STOCKTAKE_COMPLETE").id}`],
  ["inventory/inventory-count-in-review.html", `/inventory_count/${inReview.id}`],
  ["inventory/stock-adjustments.html", "/inventory/stock-adjustments"],
];

let stale = 0;
const all: [source: typeof pos, file: string, path: string][] = [
  ...pages.map(([file, path]) => [pos, file, path] as [typeof pos, string, string]),
  ...inventoryPages.map(([file, path]) => [inv, file, path] as [typeof pos, string, string]),
];
for (const [source, file, path] of all) {
  const { status, html } = renderSnapshot(source, prefix, path);
  if (status !== 200) throw new Error(`${path} rendered ${status}`);
  const body = `<!-- Rendered by sandbox/backoffice/save-fixtures.node.ts from ${path} (replica of the back office) -->\n${html}`;
  const target = join(OUT, file);
  if (check) {
    let saved = "";
    try {
      saved = readFileSync(target, "utf8");
    } catch {}
    if (saved !== body) {
      stale++;
      console.error(`stale: ${file}`);
    }
  } else {
    writeFileSync(target, body);
    console.log(`saved ${file}`);
  }
}
if (stale) process.exit(1);
