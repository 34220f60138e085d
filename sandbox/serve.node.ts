/**
 * Runs the sandboxes under Node for `npm start`: the QBO sandbox (Intuit OAuth + Accounting API) on
 * one port, the POS sandbox (API + OAuth + webhooks) and the back-office replica on another. State is
 * saved to .tillbridge/ so a restart keeps the demo's companies, tokens and postings.
 *
 *   tsx sandbox/serve.node.ts --qbo-port 8788 --pos-port 8789 [--fresh] [--pos-defaults next|today]
 *
 * `--pos-defaults` picks what the POS's demo stores trade (sandbox/pos/defaults.ts): "next" = SPEC §4's
 * full activity and inventory activity in every store (what `npm start` shows), "today" = what the
 * product posts now; left out, SANDBOX_DEFAULTS decides (the tests' stacks).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { createBackofficeApp } from "./backoffice";
import { createPosSandbox, SANDBOX_DEFAULTS } from "./pos";
import { createQboSandbox, NETWORK_FAILURE_HEADER } from "./qbo";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i]!;
  if (!key.startsWith("--")) continue;
  const next = process.argv[i + 1];
  if (next && !next.startsWith("--")) {
    args.set(key.slice(2), next);
    i++;
  } else args.set(key.slice(2), "true");
}
const qboPort = Number(args.get("qbo-port") ?? 8788);
const posPort = Number(args.get("pos-port") ?? 8789);
const stateDir = ".tillbridge";
const fresh = args.get("fresh") === "true";
const posDefaults = args.get("pos-defaults") ?? SANDBOX_DEFAULTS;
if (posDefaults !== "next" && posDefaults !== "today")
  throw new Error(`--pos-defaults: next or today, not ${posDefaults}`);

const qbo = createQboSandbox({ baseUrl: `http://127.0.0.1:${qboPort}` });
const pos = createPosSandbox({
  baseUrl: `http://127.0.0.1:${posPort}`,
  stores: ["ca", "us", "au", "uk"],
  defaults: posDefaults,
});

function restore(name: string, target: { importState(s: string): void }) {
  const file = `${stateDir}/${name}.json`;
  if (fresh || !existsSync(file)) return;
  try {
    target.importState(readFileSync(file, "utf8"));
    console.log(`restored ${name} sandbox state from ${file}`);
  } catch (e) {
    console.warn(`could not restore ${file} (${e instanceof Error ? e.message : e}); starting fresh`);
  }
}
restore("qbo", qbo);
restore("pos", pos);

let dirty = true;
const save = () => {
  if (!dirty) return;
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(`${stateDir}/qbo.json`, qbo.exportState());
  writeFileSync(`${stateDir}/pos.json`, pos.exportState());
  dirty = false;
};
setInterval(save, 2000).unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    dirty = true;
    save();
    process.exit(0);
  });
}

/** Serves a fetch handler; an injected network failure destroys the socket, like a timeout would. */
function listen(port: number, handler: (req: Request) => Response | Promise<Response>, label: string) {
  const listener = getRequestListener(async (req, env: unknown) => {
    const { incoming } = env as { incoming: import("node:http").IncomingMessage };
    if (req.method !== "GET") dirty = true;
    const res = await handler(req);
    if (res.headers.get(NETWORK_FAILURE_HEADER)) {
      incoming.socket.destroy();
      return new Response(null, { status: 599 });
    }
    return res;
  });
  createServer(listener).listen(port, "127.0.0.1", () => console.log(`${label} on http://127.0.0.1:${port}`));
}

listen(qboPort, (req) => qbo.app.fetch(req), "QBO sandbox (Intuit OAuth + Accounting API v3)");

const posSite = new Hono();
posSite.route("/", createBackofficeApp(pos));
posSite.all("*", (c) => pos.app.fetch(c.req.raw));
listen(
  posPort,
  (req) => posSite.fetch(req),
  "POS sandbox + back-office replica (stores: demo, demo-us, demo-au, demo-uk)",
);
