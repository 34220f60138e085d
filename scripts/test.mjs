#!/usr/bin/env node
// `npm test`: typecheck, build the extension (the e2e suite loads the built one), then every
// vitest project (unit, worker inside workerd, ext, e2e in Chromium). Extra args go to vitest.
import { spawnSync } from "node:child_process";

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NODE_ENV: "test" };
const run = (label, cmd, args) => {
  const started = Date.now();
  process.stdout.write(`\n▶ ${label}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) {
    process.stdout.write(`✖ ${label} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
};

const extra = process.argv.slice(2);
run("format and lint (biome)", "npx", ["biome", "ci", "."]);
run("typecheck", "npx", ["tsc", "--noEmit", "-p", "tsconfig.worker.json"]);
run("typecheck (extension)", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
run("typecheck (node: unit, e2e, scripts)", "npx", ["tsc", "--noEmit", "-p", "tsconfig.node.json"]);
run("build the extension", "npx", ["wxt", "build"]);
run("tests", "npx", ["vitest", "run", ...extra]);
