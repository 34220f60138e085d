#!/usr/bin/env node
// `npm test`: lint, typecheck and build the extension (the e2e suite loads the built one) side by side,
// then every vitest project (unit, worker inside workerd, ext, e2e in Chromium). Extra args go to vitest.
//
// The checks run in parallel, each one's output held back and printed whole when it ends, so the log
// reads in order. The three typechecks keep incremental build info under node_modules/.cache (one folder
// per checkout), so a second run only re-checks what changed.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NODE_ENV: "test" };
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const started = Date.now();

/** Runs one check with its output captured; resolves with what to print and whether it passed. */
const check = (label, args) =>
  new Promise((done) => {
    const t = Date.now();
    const child = spawn(npx, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => out.push(d));
    child.on("error", (e) => out.push(Buffer.from(`${e.message}\n`)));
    child.on("close", (code, signal) => {
      const text = Buffer.concat(out).toString().trim();
      const ok = code === 0;
      const head = ok ? `✔ ${label} (${seconds(t)})` : `✖ ${label} failed (exit ${code ?? signal}, ${seconds(t)})`;
      done({ ok, text: `${head}\n${ok ? "" : `${text}\n`}` });
    });
  });

const cache = join(
  root,
  "node_modules/.cache/tillbridge-tsc",
  createHash("sha1").update(root).digest("hex").slice(0, 10),
);
mkdirSync(cache, { recursive: true });
const tsc = (project) => [
  "tsc",
  "--noEmit",
  "-p",
  project,
  "--incremental",
  "--tsBuildInfoFile",
  join(cache, `${project}.tsbuildinfo`),
];

if (!existsSync(join(root, "../shared/reference"))) {
  process.stdout.write(
    "ℹ ../shared/reference is absent (a clone outside the workspace): the checks that read it step aside, marked skipped.\n",
  );
}

process.stdout.write("\n▶ lint, typecheck and build the extension, side by side\n");
const checks = [
  check("format and lint (biome)", ["biome", "ci", "."]),
  check("typecheck (worker)", tsc("tsconfig.worker.json")),
  check("typecheck (extension)", tsc("tsconfig.json")),
  check("typecheck (node: unit, e2e, scripts)", tsc("tsconfig.node.json")),
  check("build the extension", ["wxt", "build"]),
];
let failed = false;
await Promise.all(
  checks.map((p) =>
    p.then((r) => {
      process.stdout.write(r.text);
      failed ||= !r.ok;
    }),
  ),
);
if (failed) process.exit(1);
process.stdout.write(`✔ checks (${seconds(started)})\n`);

process.stdout.write("\n▶ tests\n");
const t = Date.now();
const r = spawnSync(npx, ["vitest", "run", ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env });
if (r.status !== 0) {
  process.stdout.write(`✖ tests failed (exit ${r.status ?? r.signal})\n`);
  process.exit(r.status ?? 1);
}
process.stdout.write(`✔ tests (${seconds(t)}); npm test took ${seconds(started)}\n`);
