#!/usr/bin/env node
// `npm run browser`: Chromium with the Tillbridge extension loaded, on the back-office replica of a
// running `npm start` (and the extension's options page, to connect). Needs a display; on a machine
// without one: `xvfb-run -a npm run browser`, or `npm run browser -- --check` for a headless smoke
// check that the extension draws its badges on the replica.
//
// The profile lives in .tillbridge/browser-profile so the extension's session survives a browser
// restart; it is wiped when `npm start` started afresh (the session would name a tenant that no longer exists).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { DEFAULT_PORTS, EXTENSION_ID, ROOT } from "./stack.mjs";

const check = process.argv.includes("--check");
const lang = process.argv.find((a) => a.startsWith("--lang="))?.slice("--lang=".length);
const fail = (message) => {
  console.error(`✖ ${message}`);
  process.exit(1);
};

const stackFile = join(ROOT, ".tillbridge", "stack.json");
const running = existsSync(stackFile) ? JSON.parse(readFileSync(stackFile, "utf8")) : null;
const urls = running?.urls ?? {
  worker: `http://127.0.0.1:${DEFAULT_PORTS.worker}`,
  pos: `http://127.0.0.1:${DEFAULT_PORTS.pos}`,
};
const extensionDir = running?.extensionDir ?? join(ROOT, ".output", "chrome-mv3");
const replica = `${urls.pos}/demo/register/closures`;

const answers = async (url) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
};
if (!(await answers(`${urls.worker}/health`)) || !(await answers(replica)))
  fail(`Tillbridge is not running at ${urls.worker} and ${urls.pos}: start it with \`npm start\` first.`);
if (!existsSync(join(extensionDir, "manifest.json")))
  fail(`The extension is not built in ${extensionDir}: \`npm start\` builds it.`);
if (!check && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail(
    "No display here (DISPLAY is not set). Run it on a desktop, under `xvfb-run -a npm run browser`, or check headless with `npm run browser -- --check`.",
  );
}
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p && existsSync(p),
);
if (!executablePath) fail("Chromium is not installed: sudo apt-get install -y chromium (or set CHROMIUM_PATH).");

const profile = join(ROOT, ".tillbridge", "browser-profile");
const marker = join(profile, "tillbridge-stack-id");
const stateId = running?.stateId ?? "unknown";
if (existsSync(marker) && readFileSync(marker, "utf8") !== stateId) rmSync(profile, { recursive: true, force: true });
mkdirSync(profile, { recursive: true });
writeFileSync(marker, stateId);

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: check,
  viewport: null,
  ...(lang ? { locale: lang } : {}),
  args: [
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    ...(lang ? [`--lang=${lang}`] : []),
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ],
});
const stop = async (code) => {
  await context.close().catch(() => undefined);
  process.exit(code);
};
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

const page = context.pages()[0] ?? (await context.newPage());
await page.goto(replica);

if (check) {
  // The content script marks the page and draws one badge per closure row.
  const badges = page.locator('[data-testid="tillbridge-badge"]');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (await badges.count()) === 0) await page.waitForTimeout(250);
  const count = await badges.count();
  const marked = await page.evaluate(() => document.documentElement.dataset.tillbridge);
  console.log(
    count > 0 && marked === "ready"
      ? `✔ the extension drew ${count} badges on ${replica}`
      : `✖ no badges on ${replica}`,
  );
  await stop(count > 0 ? 0 : 1);
} else {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  console.log(
    `Chromium is open with the extension on ${replica} and its options page. Close the browser (or Ctrl+C) to end.`,
  );
  context.on("close", () => process.exit(0));
}
