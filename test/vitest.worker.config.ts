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
          // a second database: a shard (test/worker/shards/) and a tenant move's target (test/worker/db/tenant-move.test.ts)
          d1Databases: { DB_SHARD_1: "tillbridge-test-shard-1" },
          bindings: {
            // new tenants stay at home unless a test opens shard 1 to them (its own env: SHARD_PLACEMENT "1")
            SHARD_PLACEMENT: "0",
            TEST_MIGRATIONS: migrations,
            QBO_CLIENT_ID: "tillbridge-test-qbo",
            QBO_CLIENT_SECRET: "test-qbo-secret",
            POS_CLIENT_ID: "tillbridge-test-pos",
            POS_CLIENT_SECRET: "test-pos-secret",
            TOKEN_KEYS:
              "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            QBO_WEBHOOK_VERIFIER: "test-qbo-verifier",
          },
        },
      }),
    ],
    resolve: { alias: { atob: at("../worker/qbo/atob-shim.cjs") } },
    test: {
      name: "worker",
      include: ["worker/**/*.test.ts"],
      // A test's time limit is a guard against a hang, never a speed check: on a loaded 2-core machine with a
      // test file per core, compute-heavy tests take several times their idle duration (vitest's default is 5 s).
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // One workerd per vitest worker (one per core), reused file after file: starting a workerd and
      // importing the Worker again for each of ~75 files cost more than their tests. Each file still starts
      // from empty D1 and KV (./worker/apply-migrations.ts clears them), and tests in a file share them.
      isolate: false,
      setupFiles: [at("./worker/apply-migrations.ts")],
    },
  };
});
