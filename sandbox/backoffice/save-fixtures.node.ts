/**
 * Saves the replica's pages, as rendered, into extension/host/fixtures/ — the evidence the
 * extension's selectors are tested against (extension/host/selectors.ts lists the expected counts).
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

// A fixed demo store: seed 42, ten trading days (30 closures: two pages of the closures list).
const pos = createPosSandbox({ seed: 42, days: 10, now: () => new Date("2026-10-12T12:00:00Z") });
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

let stale = 0;
for (const [file, path] of pages) {
  const { status, html } = renderSnapshot(pos, prefix, path);
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
