import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { buildExtension, ROOT } from "../../scripts/stack.mjs";

export const EXTENSION_ID = "mhbmaaggnhofaebpkcaglmcoecjgbegk";
export const EXTENSION_DIR = join(ROOT, ".output", "chrome-mv3");

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  Boolean,
) as string[];

/** Debian's Chromium; the e2e suite fails (never skips) when it is missing, saying how to install it. */
export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "Chromium is not installed, so the browser tests cannot run. Install it with:\n" +
        "  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "(or set CHROMIUM_PATH to a Chromium binary). .ci/run does this on CI.",
    );
  }
  return found;
}

/** Chromium with the built extension loaded, in a fresh profile. */
export async function launchWithExtension(
  opts: { locale?: string; extensionDir?: string } = {},
): Promise<BrowserContext> {
  const dir = opts.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new Error(`The extension is not built (${dir}); run \`npx wxt build\` (npm test does it first).`);
  }
  const profile = mkdtempSync(join(tmpdir(), "tillbridge-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    locale: opts.locale ?? "en-US",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(opts.locale ? [`--lang=${opts.locale}`] : []),
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
    ],
  });
  // The throwaway profile goes once the browser has exited (close() waits for that; its "close"
  // event does not, and Chromium writes into the profile until the end).
  const close = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext["close"]>) => {
    await close(...args);
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return context;
}

export async function serviceWorkerOf(context: BrowserContext) {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  return (
    existing ??
    (await context.waitForEvent("serviceworker", {
      predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    }))
  );
}

/**
 * Builds the extension against a given Worker URL into .output/<name>/chrome-mv3 (a few seconds);
 * returns that folder. Each suite uses its own name so one never loads another's build.
 */
export function buildExtensionFor(workerUrl: string, name = "e2e"): string {
  return buildExtension(workerUrl, join(ROOT, ".output", name));
}
