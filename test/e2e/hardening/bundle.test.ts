import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { storeManifest } from "../../../scripts/package.mjs";
import { buildExtensionFor } from "../../support/browser";

/**
 * The extension as the stores receive it: built against a deployed Worker's URL, its manifest made
 * store-ready by scripts/package.mjs. Minimal permissions (storage; the back office and the Worker),
 * no way for web pages to message it, no remote or generated code, and a content script that holds no
 * token and talks to no server (only the background does, with the session it alone keeps).
 */
const WORKER = "https://tillbridge.example-host.workers.dev";
let dir = "";
let files: { path: string; text: string }[] = [];
type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  content_scripts?: { matches: string[]; js: string[] }[];
  web_accessible_resources?: { resources: string[]; matches: string[] }[];
};
let manifest: Manifest;

function walk(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

beforeAll(() => {
  dir = buildExtensionFor(WORKER, "e2e-hardening");
  files = walk(dir).map((p) => ({ path: relative(dir, p), text: readFileSync(p, "utf8") }));
  manifest = storeManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest, {
    browser: "chrome",
    workerOrigin: WORKER,
  }) as Manifest;
}, 120_000);

const scripts = () => files.filter((f) => f.path.endsWith(".js"));
const contentScripts = () => files.filter((f) => f.path.startsWith("content-scripts/"));

describe("the store manifest asks for as little as it can", () => {
  it("permissions: storage only", () => {
    expect(manifest.permissions).toEqual(["storage"]);
    for (const risky of [
      "optional_permissions",
      "optional_host_permissions",
      "externally_connectable",
      "content_security_policy",
      "sandbox",
      "declarative_net_request",
      "update_url",
    ])
      expect(manifest, risky).not.toHaveProperty(risky);
  });

  it("hosts: the back office and the Worker, nothing else", () => {
    expect([...manifest.host_permissions!].sort()).toEqual(["https://*.retail.lightspeed.app/*", `${WORKER}/*`]);
    expect(manifest.content_scripts!.map((c) => c.matches)).toEqual([["https://*.retail.lightspeed.app/*"]]);
    expect(JSON.stringify(manifest)).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it("only the connect flow's landing page is reachable from the web, and it runs only its own bundled script", () => {
    expect(manifest.web_accessible_resources).toEqual([{ resources: ["connected.html"], matches: ["<all_urls>"] }]);
    const page = files.find((f) => f.path === "connected.html")!.text;
    const sources = [...page.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src).toMatch(/^\/(chunks|assets)\/[\w.-]+\.js$/);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
  });
});

describe("no remote or generated code", () => {
  it("no eval, Function constructor, string timers, remote imports or importScripts in any bundle", () => {
    expect(scripts().length).toBeGreaterThan(3);
    for (const f of scripts()) {
      expect(f.text, f.path).not.toMatch(
        /\beval\(|\bnew Function\(|\bimportScripts\(|\bimport\(\s*["'`]https?:|set(Timeout|Interval)\(\s*["'`]/,
      );
    }
  });

  it("every page loads scripts from the package only", () => {
    for (const f of files.filter((x) => x.path.endsWith(".html"))) {
      for (const m of f.text.matchAll(/<(script|link)[^>]*\b(src|href)="([^"]+)"/g))
        expect(m[3], `${f.path}: ${m[0]}`).not.toMatch(/^(https?:)?\/\//);
    }
  });

  it("the only server any bundle talks to is the Worker", () => {
    // Vite's modulepreload polyfill fetches the package's own chunks (<link rel=modulepreload>): not a server
    const preload = /if\(\w+\.ep\)return;\w+\.ep=!0;let \w+=\w+\(\w+\);fetch\(\w+\.href,\w+\)/g;
    const fetchers = scripts()
      .filter((f) => /\bfetch\(|XMLHttpRequest|new WebSocket|EventSource\(/.test(f.text.replace(preload, "")))
      .map((f) => f.path);
    expect(fetchers).toEqual(["background.js"]);
    expect(files.find((f) => f.path === "background.js")!.text).toContain(WORKER);
  });
});

describe("content scripts hold no token and trust no page", () => {
  it("the content script never touches the stored session, storage, or the network", () => {
    expect(contentScripts().length).toBeGreaterThan(0);
    for (const f of contentScripts()) {
      expect(f.text, f.path).not.toMatch(
        /local:session|storage\.local|storage\.session|\btbs_|\bfetch\(|XMLHttpRequest|authorization/i,
      );
    }
    // the session lives in the background's storage item, and nowhere else
    const holders = scripts()
      .filter((f) => f.text.includes("local:session"))
      .map((f) => f.path);
    expect(holders).toEqual(["background.js"]);
  });

  it("the content script listens to no page messages (window.postMessage), only to its own background", () => {
    for (const f of contentScripts())
      expect(f.text, f.path).not.toMatch(/addEventListener\(\s*["'`]message["'`]|onmessage\s*=|onMessageExternal/);
    expect(scripts().some((f) => /onMessageExternal|onConnectExternal/.test(f.text))).toBe(false);
  });
});
