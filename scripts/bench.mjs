#!/usr/bin/env node
// `npm run bench`: what Tillbridge costs, measured against the limits that bound it. Runs the ledger
// and content-script benches in Node/Chromium, the engine scenarios inside workerd (vitest with
// bench/vitest.bench.config.ts, never part of `npm test`) and wrangler's dry-run bundle; prints the
// table and writes docs/BENCHMARKS.md.
//   --quick         smaller scenarios (a smoke run; does not write docs/BENCHMARKS.md unless --write)
//   --only=a,b      ledger, workerd, content, bundle
//   --no-write      print only
//   --from=FILE     re-render a results.json of an earlier run (no measuring)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { renderMarkdown, renderTable } from "../bench/render.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const write = args.includes("--write") || (!quick && !args.includes("--no-write"));
const QUICK_PARAMS = { backfillDays: 60, cronTenants: 10, cronRuns: 1, statusRepeats: 5, statusHistory: 1000 };
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  ...(quick ? { BENCH_PARAMS: JSON.stringify(QUICK_PARAMS) } : {}),
};
const logDir = mkdtempSync(join(tmpdir(), "tillbridge-bench-"));

/** Runs a command, its output to a log file; resolves with the output, the exit code and the time. */
function run(label, cmd, cmdArgs) {
  const started = Date.now();
  process.stdout.write(`▶ ${label} … `);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => {
      const seconds = (Date.now() - started) / 1000;
      const log = join(logDir, `${label.replace(/\W+/g, "-")}.log`);
      writeFileSync(log, out);
      process.stdout.write(
        `${code === 0 ? "done" : `FAILED (exit ${code}; log: ${log})`} in ${seconds.toFixed(1)} s\n`,
      );
      resolve({ out, code, seconds, log });
    });
  });
}

/** The BENCH_RESULT lines of a run, by name. */
function results(out) {
  const found = {};
  for (const line of out.replace(/\u001b\[[0-9;]*m/g, "").split("\n")) {
    const at = line.indexOf("BENCH_RESULT ");
    if (at < 0) continue;
    const r = JSON.parse(line.slice(at + "BENCH_RESULT ".length));
    found[r.name] = r;
  }
  return found;
}

async function workerBundle() {
  const outdir = mkdtempSync(join(tmpdir(), "tillbridge-bench-worker-"));
  try {
    const r = await run("worker bundle (wrangler deploy --dry-run)", "npx", [
      "wrangler",
      "deploy",
      "--dry-run",
      "--outdir",
      outdir,
    ]);
    if (r.code !== 0) return { error: `wrangler failed (log: ${r.log})` };
    const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
    const bytes = files.reduce((n, f) => n + statSync(join(outdir, f)).size, 0);
    const gzipBytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(outdir, f))).length, 0);
    const composition = bundleComposition(outdir, join(outdir, "index.js.map"));
    const reported = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(r.out);
    return {
      name: "workerBundle",
      files,
      bytes,
      gzipBytes,
      composition,
      wrangler: reported ? { kib: Number(reported[1]), gzipKib: Number(reported[2]) } : null,
      seconds: r.seconds,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** What the bundle is made of: source size by npm package (or our own folder), from the source map. */
function bundleComposition(outdir, mapFile) {
  try {
    const map = JSON.parse(readFileSync(mapFile, "utf8"));
    const by = new Map();
    map.sources.forEach((source, i) => {
      const file = relative(ROOT, resolve(outdir, source));
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? `${file.split("/")[0]}/`;
      by.set(pkg, (by.get(pkg) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
    });
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    return {
      sourceBytes: total,
      top: [...by]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([name, bytes]) => ({ name, bytes })),
    };
  } catch {
    return null;
  }
}

/** The commit measured (short), and whether the worktree had changes on top of it. */
function gitCommit() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=10", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return "unknown";
  }
}

const from = args.find((a) => a.startsWith("--from="))?.slice("--from=".length);
if (from) {
  const report = JSON.parse(readFileSync(from, "utf8"));
  process.stdout.write(`${renderTable(report)}\n`);
  if (!args.includes("--no-write")) writeFileSync(join(ROOT, "docs", "BENCHMARKS.md"), renderMarkdown(report));
  process.exit(0);
}

const wants = (step) => !only || only.includes(step);
const started = Date.now();
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  freeGiB: Math.round(freemem() / 2 ** 30),
  loadAtStart: loadavg()
    .map((l) => l.toFixed(2))
    .join(" "),
  os: `${platform()} ${release()}`,
  node: process.version,
  date: new Date().toISOString(),
  commit: gitCommit(),
  quick,
};

// the load average every 5 s while the bench runs: this machine is shared with other work
const loadSamples = [];
const sampler = setInterval(() => loadSamples.push(loadavg()[0]), 5_000);
sampler.unref();

const all = {};
const errors = {};
const quickFlag = quick ? ["--quick"] : [];
if (wants("ledger")) {
  const r = await run("ledger (Node)", "node", ["--import", "tsx", "bench/node/ledger.ts", ...quickFlag]);
  Object.assign(all, results(r.out));
  if (r.code !== 0) errors.ledger = r.log;
}
if (wants("workerd")) {
  const r = await run("engine scenarios (workerd: posting, backfill, throughput, cron, tenant cost, status)", "npx", [
    "vitest",
    "run",
    "-c",
    "bench/vitest.bench.config.ts",
  ]);
  Object.assign(all, results(r.out));
  if (r.code !== 0) errors.workerd = r.log;
}
if (wants("content")) {
  const r = await run("content script (wxt build + Chromium)", "node", [
    "--import",
    "tsx",
    "bench/node/content-script.ts",
    ...quickFlag,
  ]);
  Object.assign(all, results(r.out));
  if (r.code !== 0) errors.contentScript = r.log;
}
if (wants("bundle")) {
  const b = await workerBundle();
  if (b.error) errors.workerBundle = b.error;
  else all.workerBundle = b;
}
clearInterval(sampler);
machine.loadDuring = loadSamples.length
  ? {
      samples: loadSamples.length,
      mean: loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length,
      max: Math.max(...loadSamples),
    }
  : null;
machine.seconds = Math.round((Date.now() - started) / 1000);
machine.loadAtEnd = loadavg()
  .map((l) => l.toFixed(2))
  .join(" ");

const report = { machine, results: all, errors };
writeFileSync(join(logDir, "results.json"), JSON.stringify(report, null, 2));
process.stdout.write(`\n${renderTable(report)}\n\nRaw results: ${join(logDir, "results.json")}\n`);
if (write) {
  writeFileSync(join(ROOT, "docs", "BENCHMARKS.md"), renderMarkdown(report));
  process.stdout.write("Wrote docs/BENCHMARKS.md\n");
}
process.exit(Object.keys(errors).length ? 1 : 0);
