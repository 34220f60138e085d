import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig(async () => {
  const migrations = await readD1Migrations(at("../migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: at("../worker/index.ts"),
        wrangler: { configPath: at("../wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            QBO_CLIENT_ID: "tillbridge-test-qbo",
            QBO_CLIENT_SECRET: "test-qbo-secret",
            POS_CLIENT_ID: "tillbridge-test-pos",
            POS_CLIENT_SECRET: "test-pos-secret",
            TOKEN_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            QBO_WEBHOOK_VERIFIER: "bench-qbo-verifier",
            // scenario sizes, from scripts/bench.mjs (defaults in bench/workerd/support/params.ts)
            BENCH_PARAMS: process.env.BENCH_PARAMS ?? "{}",
          },
        },
      }),
    ],
    resolve: { alias: { atob: at("../worker/qbo/atob-shim.cjs") } },
    // vite's cache with the project's, not in a node_modules/ of its own under bench/
    cacheDir: at("../node_modules/.vite/bench"),
    test: {
      name: "bench",
      root: at("."),
      include: ["workerd/**/*.scenario.ts"],
      setupFiles: [at("../test/worker/apply-migrations.ts")],
      testTimeout: 900_000,
      fileParallelism: false,
    },
  };
});
