#!/usr/bin/env node
// `npm run package -- --worker-url https://tillbridge.example-host.workers.dev`: the store packages.
// Builds and zips the extension for Chrome (Web Store) and Firefox (AMO, with its sources zip),
// Manifest V3, talking to the Worker at the given URL (fixed at build time). Output: .output/store/.
// The manifest is made store-ready here, not in wxt.config.ts, so local builds keep what the tests
// and `npm start` rely on: the development `key` (stores refuse it and assign their own id) and the
// 127.0.0.1 / localhost host permissions go; Firefox gets its add-on id and data-collection consent.
// The listing texts (EN, FR) are in docs/STORE-LISTING.md.
import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const OUT_DIR = ".output/store";
export const DEFAULT_GECKO_ID = "tillbridge@tillbridge.app";
const LOCAL_HOSTS = ["http://127.0.0.1/*", "http://localhost/*"];

/** The Worker URL a store build may use: https, public, no path. Returns its origin or throws. */
export function storeWorkerOrigin(value) {
  if (!value) throw new Error("the Worker URL is missing: --worker-url https://… or TILLBRIDGE_WORKER_URL");
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`the Worker URL is not a URL: ${value}`);
  }
  if (url.protocol !== "https:") throw new Error(`the Worker URL must be https: ${value}`);
  if (/^(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(url.hostname) || /[<>]/.test(value))
    throw new Error(`the Worker URL must be the deployed Worker, not ${value}`);
  if (url.pathname !== "/" || url.search || url.hash)
    throw new Error(`the Worker URL is an origin, without a path: ${value}`);
  return url.origin;
}

/** The generated manifest, made ready for a store (mutated in place, as WXT's hook expects). */
export function storeManifest(manifest, { browser, workerOrigin, geckoId = DEFAULT_GECKO_ID }) {
  delete manifest.key;
  manifest.host_permissions = (manifest.host_permissions ?? []).filter((p) => !LOCAL_HOSTS.includes(p));
  if (!manifest.host_permissions.includes(`${workerOrigin}/*`)) manifest.host_permissions.push(`${workerOrigin}/*`);
  // the back-office replica of `npm start` is served from 127.0.0.1; the stores' users have the real one
  for (const script of manifest.content_scripts ?? [])
    script.matches = (script.matches ?? []).filter((m) => !LOCAL_HOSTS.includes(m));
  if (browser === "firefox") {
    manifest.browser_specific_settings = {
      ...manifest.browser_specific_settings,
      gecko: {
        id: geckoId,
        // data_collection_permissions needs Firefox 140 (desktop); older versions refuse the key
        strict_min_version: "140.0",
        // sent to the merchant's own Tillbridge Worker: the session that signs it in, and the
        // back office's closure figures and object ids it reads to show and post them
        data_collection_permissions: { required: ["authenticationInfo", "financialAndPaymentInfo", "websiteContent"] },
      },
    };
  }
  return manifest;
}

function option(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv) {
  let workerOrigin;
  try {
    workerOrigin = storeWorkerOrigin(option(argv, "--worker-url") ?? process.env.TILLBRIDGE_WORKER_URL);
  } catch (e) {
    console.error(`✖ ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
  const geckoId = option(argv, "--gecko-id") ?? process.env.TILLBRIDGE_GECKO_ID ?? DEFAULT_GECKO_ID;
  // wxt.config.ts reads these when WXT loads it
  process.env.TILLBRIDGE_WORKER_URL = workerOrigin;
  process.env.TILLBRIDGE_EXT_OUTDIR = OUT_DIR;
  const { zip } = await import("wxt");
  for (const browser of ["chrome", "firefox"]) {
    console.log(`▶ ${browser}: building and zipping against ${workerOrigin}`);
    await zip({
      browser,
      manifestVersion: 3,
      mode: "production",
      // AMO reviews the sources zip: the code that builds the extension, not local test output
      zip: { excludeSources: ["test-results/**", "bench/**", ".output/**"] },
      hooks: {
        "build:manifestGenerated": (_wxt, manifest) => void storeManifest(manifest, { browser, workerOrigin, geckoId }),
      },
    });
  }
  const zips = readdirSync(OUT_DIR).filter((f) => f.endsWith(".zip"));
  console.log(
    `✔ Ready for the stores, in ${OUT_DIR}/:\n${zips.map((z) => `  ${z}`).join("\n")}\n  Listing texts: docs/STORE-LISTING.md`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main(process.argv.slice(2));
