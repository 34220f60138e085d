import { defineConfig } from "wxt";
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";

type Alias = { find: string | RegExp; replacement: string };
const toAliasArray = (a: unknown): Alias[] =>
  Array.isArray(a)
    ? (a as Alias[])
    : a && typeof a === "object"
      ? Object.entries(a as Record<string, string>).map(([find, replacement]) => ({ find, replacement }))
      : [];

// The Worker's public URL is fixed at build time (npm start builds against the local Worker).
const workerUrl = process.env.TILLBRIDGE_WORKER_URL ?? "http://127.0.0.1:8787";
const workerOrigin = new URL(workerUrl).origin;

export default defineConfig({
  srcDir: "extension",
  publicDir: "extension/public",
  // The e2e suite builds a copy against its own fake Worker into .output/e2e.
  outDir: process.env.TILLBRIDGE_EXT_OUTDIR ?? ".output",
  imports: false,
  hooks: {
    // The content script needs shared/'s words and badge tones, not its schemas (the background
    // validates): an inert zod keeps the injected bundle small (see extension/content/zod-stub.ts).
    "vite:build:extendConfig": (entrypoints, config) => {
      if (!entrypoints.every((e) => e.type === "content-script")) return;
      const stub = fileURLToPath(new URL("./extension/content/zod-stub.ts", import.meta.url));
      config.resolve = {
        ...config.resolve,
        alias: [...toAliasArray(config.resolve?.alias), { find: /^zod$/, replacement: stub }],
      };
    },
  },
  vite: () => ({
    plugins: [preact()],
    define: { __TILLBRIDGE_WORKER_URL__: JSON.stringify(workerUrl) },
  }),
  manifest: {
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    // Public key only: it fixes the unpacked extension's id (mhbmaaggnhofaebpkcaglmcoecjgbegk) so the
    // local Worker's CORS allow-list and the e2e tests know it. The stores assign their own id.
    key: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoWgTOgX4HL6YdisgphaTXsSi/ZLv8bx+8BsVRlEE3rsE3ocXXXv9LGUky448Rd01Q3uzb8WzOA5h1gaXNV1U/kZm9PhuUVTgXqpNHPs5X9vW/5VfvVnGSxqxFerCMHBKtYVoO9MYmk2Yw1hI4tQIY8b4GzlKiSQi/IAg0t0UX0QMmV2FIQpvndIoZuo3pDksN3JRkGYkm7xdhZjL7fZSxKJE80NoJ9a6uLU6E1i6CGuDx4N/TZFdGdTXF809K8NPBw4c7pKQCgNFo7C1hrojfGB1cKJY6/cwJ+OieUch+Imlj8hMkcoAPxwP7JhyUFh6pS+saJfensm0v1BCPAfjiwIDAQAB",
    permissions: ["storage"],
    // The connect flows end on connected.html, reached by a redirect from the Worker after the
    // provider's consent page, whose origin varies (Lightspeed, Intuit, the local sandboxes).
    web_accessible_resources: [{ resources: ["connected.html"], matches: ["<all_urls>"] }],
    host_permissions: [
      "https://*.retail.lightspeed.app/*",
      "http://127.0.0.1/*",
      "http://localhost/*",
      `${workerOrigin}/*`,
    ],
  },
});
