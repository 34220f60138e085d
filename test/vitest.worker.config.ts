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
          // a second database, for moving a tenant between databases (test/worker/db/tenant-move.test.ts)
          d1Databases: { DB_SHARD_1: "tillbridge-test-shard-1" },
          bindings: {
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
      setupFiles: [at("./worker/apply-migrations.ts")],
    },
  };
});
