#!/usr/bin/env node
// `npm start`: the whole local Tillbridge. Builds the extension, applies local D1 migrations, then
// runs the sandboxes (QBO + Intuit OAuth, the POS with its demo store and back-office replica) and
// the Worker under `wrangler dev` with local D1/KV. Nothing here reaches the internet.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const WORKER_PORT = Number(process.env.TILLBRIDGE_WORKER_PORT ?? 8787);
const QBO_PORT = 8788;
const POS_PORT = 8789;
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  TILLBRIDGE_WORKER_URL: `http://127.0.0.1:${WORKER_PORT}`,
};

function step(label, cmd, args) {
  process.stdout.write(`▶ ${label}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local sandbox credentials)");
}
step("Building the extension", "npx", ["wxt", "build"]);
step("Applying D1 migrations (local)", "npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

const children = [];
function start(label, cmd, args) {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => `[${label}] ${l}\n`)
      .join("");
  child.stdout.on("data", (c) => process.stdout.write(prefix(c)));
  child.stderr.on("data", (c) => process.stderr.write(prefix(c)));
  child.on("exit", (code) => {
    console.error(`[${label}] exited (${code}); stopping`);
    shutdown(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {}
  }
  setTimeout(() => process.exit(code), 500);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

if (existsSync("sandbox/serve.node.ts")) {
  start("sandbox", "npx", ["tsx", "sandbox/serve.node.ts", "--qbo-port", String(QBO_PORT), "--pos-port", String(POS_PORT), "--worker", env.TILLBRIDGE_WORKER_URL]);
}
start("worker", "npx", ["wrangler", "dev", "--local", "--test-scheduled", "--ip", "127.0.0.1", "--port", String(WORKER_PORT)]);

async function waitFor(url, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

if (await waitFor(`http://127.0.0.1:${WORKER_PORT}/health`)) {
  console.log(`
Tillbridge is running locally:
  Worker                 http://127.0.0.1:${WORKER_PORT}   (health: /health; cron: /__scheduled)
  QBO sandbox + OAuth    http://127.0.0.1:${QBO_PORT}
  POS sandbox + back office replica   http://127.0.0.1:${POS_PORT}/demo/register/closures
  Extension (built)      ${process.cwd()}/.output/chrome-mv3
Load the extension in Chromium: chrome://extensions → Developer mode → Load unpacked → the folder above,
or run \`npm run browser\` on a machine with a display. Ctrl+C stops everything.
`);
} else {
  console.error("The Worker did not answer /health within a minute");
  shutdown(1);
}
