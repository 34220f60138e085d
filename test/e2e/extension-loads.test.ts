import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTENSION_ID, launchWithExtension, serviceWorkerOf } from "../support/browser";

let server: Server;
let origin: string;
let context: BrowserContext;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>Back office</title><h1>Register closures</h1>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await launchWithExtension();
});

afterAll(async () => {
  await context?.close();
  await new Promise((r) => server?.close(r));
});

describe("the built extension in Chromium", () => {
  it("runs its background service worker under its fixed id", async () => {
    const sw = await serviceWorkerOf(context);
    expect(sw.url()).toBe(`chrome-extension://${EXTENSION_ID}/background.js`);
    const name = await sw.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): { name: string } } } }).chrome.runtime.getManifest().name);
    expect(name).toBe("Tillbridge for QuickBooks Online");
  });

  it("injects its content script into a back-office page", async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/register/closures`);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.tillbridge)).toBe("ready");
  });
});
