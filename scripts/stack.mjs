// The local Tillbridge stack as one object: the sandboxes (QBO + Intuit OAuth; the POS with its demo
// stores and the back-office replica) and the Worker under `wrangler dev` with local D1/KV, on ports
// that agree with the Worker's vars. Used by `npm start`, the full-stack e2e and the benchmarks.
//
//   const stack = await startStack({ ports: "free" });
//   ... stack.urls.worker, stack.urls.qbo, stack.urls.pos, await stack.runCron() ...
//   await stack.stop();
//
// Each child runs in its own process group (detached) and is stopped with its whole group: killing
// only the `wrangler` node process would leave workerd running.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_PORTS = { worker: 8787, qbo: 8788, pos: 8789 };
export const EXTENSION_ID = "mhbmaaggnhofaebpkcaglmcoecjgbegk";

const bin = (name) => join(ROOT, "node_modules", ".bin", name);
/** wrangler's two outbound calls (telemetry, Request.cf) are off: nothing here reaches the network. */
export const QUIET_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portTaken(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

/** The Worker's vars for sandboxes on these ports (wrangler.toml holds the same for 8787/8788/8789). */
export function workerVars(urls) {
  return {
    PUBLIC_URL: urls.worker,
    QBO_AUTHORIZE_URL: `${urls.qbo}/connect/oauth2`,
    QBO_TOKEN_URL: `${urls.qbo}/oauth2/v1/tokens/bearer`,
    QBO_REVOKE_URL: `${urls.qbo}/v2/oauth2/tokens/revoke`,
    QBO_API_BASE: urls.qbo,
    QBO_APP_URL: `${urls.qbo}/app`,
    POS_AUTHORIZE_URL: `${urls.pos}/connect`,
    POS_TOKEN_URL_TEMPLATE: `${urls.pos}/{domain_prefix}/api/1.0/token`,
    POS_API_BASE_TEMPLATE: `${urls.pos}/{domain_prefix}/api/2026-07`,
    POS_BACKOFFICE_URL_TEMPLATE: `${urls.pos}/{domain_prefix}`,
  };
}

/** Secrets come from .dev.vars (wrangler dev reads it); a fresh clone gets the local sandbox ones. */
export function ensureDevVars() {
  const file = join(ROOT, ".dev.vars");
  if (existsSync(file)) return false;
  copyFileSync(join(ROOT, ".dev.vars.example"), file);
  return true;
}

/** Builds the extension against a Worker URL into `<outDir>/chrome-mv3` (about 2-5 s); returns that folder. */
export function buildExtension(workerUrl, outDir = join(ROOT, ".output")) {
  const r = spawnSync(bin("wxt"), ["build"], {
    cwd: ROOT,
    env: { ...process.env, TILLBRIDGE_WORKER_URL: workerUrl, TILLBRIDGE_EXT_OUTDIR: outDir },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wxt build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return join(outDir, "chrome-mv3");
}

async function waitFor(url, { timeoutMs, exited, label }) {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    const code = exited();
    if (code !== undefined) throw new Error(`${label} exited (${code}) before it answered ${url}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${label} did not answer ${url} within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

/**
 * Starts the stack and resolves once the sandboxes and the Worker answer.
 *
 * options:
 *  - ports: "free" (pick unused ports: tests) or { worker, qbo, pos } (default 8787/8788/8789)
 *  - keep: keep state between runs (sandboxes in .tillbridge/, Worker D1/KV in .tillbridge/worker);
 *    default false: fresh sandboxes and a throwaway --persist-to dir, removed by stop()
 *  - log: (label, line) => void for the children's output (default: kept only in `stack.logs`)
 *  - logFile: also append every line to this file
 *  - timeoutMs: how long each part may take to answer (default 90 s; wrangler's first bundle is slow on 2 cores)
 *  - watch: false runs a snapshot of the Worker, bundled once (tests); default true: wrangler dev
 *    reloads the Worker when worker/ changes (npm start)
 *  - posDefaults: what the POS's demo stores trade (sandbox/pos/defaults.ts): "next" (SPEC §4's full
 *    activity and inventory in every store: npm start) or "today"; default the sandbox's SANDBOX_DEFAULTS
 */
export async function startStack(options = {}) {
  const picked = new Set();
  const unused = async () => {
    for (;;) {
      const port = await freePort();
      if (!picked.has(port)) {
        picked.add(port);
        return port;
      }
    }
  };
  const ports =
    options.ports === "free"
      ? { worker: await unused(), qbo: await unused(), pos: await unused() }
      : { ...DEFAULT_PORTS, ...(options.ports ?? {}) };
  for (const port of Object.values(ports)) picked.add(port);
  const inspectorPort = await unused();
  const keep = options.keep === true;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const urls = {
    worker: `http://127.0.0.1:${ports.worker}`,
    qbo: `http://127.0.0.1:${ports.qbo}`,
    pos: `http://127.0.0.1:${ports.pos}`,
  };

  for (const [name, port] of Object.entries(ports)) {
    if (await portTaken(port))
      throw new Error(`port ${port} (${name}) is already in use: is another \`npm start\` running?`);
  }

  const scratch = keep ? null : mkdtempSync(join(tmpdir(), "tillbridge-stack-"));
  // serve.node.ts saves the sandboxes to ./.tillbridge/ of its working directory: the repo's when
  // keeping state, the throwaway folder's otherwise (so a test never overwrites the demo's state).
  const sandboxCwd = keep ? ROOT : scratch;
  const stateDir = join(sandboxCwd, ".tillbridge");
  const persistTo = join(stateDir, "worker");
  mkdirSync(persistTo, { recursive: true });
  const env = { ...process.env, ...QUIET_ENV };
  const logs = [];
  const emit = (label, line) => {
    logs.push(`[${label}] ${line}`);
    if (logs.length > 20_000) logs.splice(0, logs.length - 20_000);
    if (options.logFile) appendFileSync(options.logFile, `[${label}] ${line}\n`);
    options.log?.(label, line);
  };

  const createdDevVars = ensureDevVars();
  if (createdDevVars) emit("stack", "created .dev.vars from .dev.vars.example (the local sandboxes' credentials)");

  emit("stack", "applying D1 migrations (local)");
  const migrate = spawnSync(
    bin("wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo],
    { cwd: ROOT, env, encoding: "utf8" },
  );
  for (const line of `${migrate.stdout}\n${migrate.stderr}`.split("\n")) if (line.trim()) emit("migrate", line);
  if (migrate.status !== 0) {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `wrangler d1 migrations apply failed (exit ${migrate.status ?? migrate.signal}):\n${logs.slice(-30).join("\n")}`,
    );
  }

  // A snapshot of the Worker, bundled once and run without watching: a test then runs the code it
  // started with, not whatever someone saves into worker/ halfway through.
  let workerEntry = [];
  if (options.watch === false) {
    const bundleDir = join(stateDir, "worker-bundle");
    const bundle = spawnSync(bin("wrangler"), ["deploy", "--dry-run", "--outdir", bundleDir], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    if (bundle.status !== 0) {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      throw new Error(
        `bundling the Worker failed (exit ${bundle.status ?? bundle.signal}):\n${bundle.stdout}\n${bundle.stderr}`,
      );
    }
    workerEntry = [join(bundleDir, "index.js"), "--no-bundle", "--config", join(ROOT, "wrangler.toml")];
  }

  const children = [];
  function start(label, cmd, args, cwd) {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const entry = { label, child, code: undefined };
    const partial = { out: "", err: "" };
    const pipe = (key) => (chunk) => {
      const lines = (partial[key] + chunk.toString()).split("\n");
      partial[key] = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) emit(label, l);
    };
    child.stdout.on("data", pipe("out"));
    child.stderr.on("data", pipe("err"));
    child.on("exit", (code, signal) => {
      entry.code = code ?? signal ?? "?";
      emit(label, `exited (${entry.code})`);
      options.onExit?.(label, entry.code);
    });
    children.push(entry);
    return entry;
  }

  // If the caller dies without stop() (an uncaught error, process.exit), its detached children
  // would outlive it: take their groups down synchronously on the way out.
  const onExit = () => {
    for (const c of children) {
      try {
        process.kill(-c.child.pid, "SIGKILL");
      } catch {}
    }
  };
  process.once("exit", onExit);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", onExit);
    const alive = children.filter((c) => c.code === undefined);
    const exited = alive.map(
      (c) => new Promise((resolve) => (c.code !== undefined ? resolve() : c.child.once("exit", () => resolve()))),
    );
    for (const c of alive) {
      try {
        process.kill(-c.child.pid, "SIGTERM");
      } catch {}
    }
    await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 5_000))]);
    // Whatever ignored SIGTERM, or a grandchild left behind in the group (workerd), goes now.
    for (const c of children) {
      try {
        process.kill(-c.child.pid, "SIGKILL");
      } catch {}
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }

  try {
    const sandbox = start(
      "sandbox",
      bin("tsx"),
      [
        join(ROOT, "sandbox", "serve.node.ts"),
        "--qbo-port",
        String(ports.qbo),
        "--pos-port",
        String(ports.pos),
        ...(keep ? [] : ["--fresh"]),
        ...(options.posDefaults ? ["--pos-defaults", options.posDefaults] : []),
      ],
      sandboxCwd,
    );
    const vars = Object.entries(workerVars(urls)).map(([k, v]) => `${k}:${v}`);
    const worker = start(
      "worker",
      bin("wrangler"),
      [
        "dev",
        ...workerEntry,
        "--local",
        "--test-scheduled",
        "--ip",
        "127.0.0.1",
        "--port",
        String(ports.worker),
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persistTo,
        "--show-interactive-dev-session=false",
        "--var",
        ...vars,
      ],
      ROOT,
    );
    await Promise.all([
      waitFor(`${urls.qbo}/_sandbox/companies`, { timeoutMs, exited: () => sandbox.code, label: "the QBO sandbox" }),
      waitFor(`${urls.pos}/_sandbox/stores`, { timeoutMs, exited: () => sandbox.code, label: "the POS sandbox" }),
      waitFor(`${urls.worker}/health`, { timeoutMs, exited: () => worker.code, label: "the Worker (wrangler dev)" }),
    ]);
  } catch (e) {
    await stop();
    const tail = logs.slice(-40).join("\n");
    throw new Error(`${e instanceof Error ? e.message : e}\n--- last output ---\n${tail}`);
  }

  return {
    ports,
    urls,
    persistTo,
    stateDir,
    logs,
    /** The back-office replica's page for a store, e.g. replica("demo", "/register/closures") */
    replica: (prefix, path) => `${urls.pos}/${prefix}${path}`,
    /**
     * Runs the Worker's scheduled handler once, as the cron would. The trigger answers before the
     * handler's waitUntil work is done; the run is over when /health reports it (cron:last-run is
     * written at its end).
     */
    async runCron({ timeoutMs: wait = 60_000 } = {}) {
      const lastCron = async () => (await (await fetch(`${urls.worker}/health`)).json()).lastCron ?? null;
      const before = await lastCron();
      // wrangler's own trigger: /__scheduled (--test-scheduled) is not there for a --no-bundle Worker
      const r = await fetch(`${urls.worker}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
      if (!r.ok) throw new Error(`the scheduled trigger answered ${r.status}: ${await r.text()}`);
      const until = Date.now() + wait;
      while (Date.now() < until) {
        if ((await lastCron()) !== before) return;
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error(`the cron run did not finish within ${Math.round(wait / 1000)} s`);
    },
    stop,
  };
}
