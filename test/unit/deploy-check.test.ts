import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  createdId,
  deployProblems,
  envBlock,
  newOpsToken,
  newTokenKeys,
  readDeployConfig,
  REQUIRED_SECRETS,
} from "../../scripts/deploy.mjs";
import { storeManifest, storeWorkerOrigin } from "../../scripts/package.mjs";

/**
 * The check `npm run deploy` runs before touching Cloudflare, on configurations wrangler itself
 * reads: the repository's wrangler.toml plus an environment block like the setup prints.
 */
process.env.WRANGLER_SEND_METRICS = "false";
const ROOT_TOML = readFileSync(fileURLToPath(new URL("../../wrangler.toml", import.meta.url)), "utf8");
const DB_ID = "6f1c2a9e-1111-4e2b-9f00-1234567890ab";
const KV_ID = "0123456789abcdef0123456789abcdef";

function configWith(block: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tb-deploy-"));
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, `${ROOT_TOML}\n${block}`);
  return path;
}

const production = (patch: (block: string) => string = (b) => b) =>
  patch(envBlock("production", { db: DB_ID, kv: KV_ID }))
    .replace(/PUBLIC_URL = ".*"/, 'PUBLIC_URL = "https://tillbridge.acme-retail.workers.dev"')
    .replace(/EXTENSION_ORIGINS = ".*"/, 'EXTENSION_ORIGINS = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"');

describe("the deploy check", () => {
  it("passes a complete production environment with every secret set", async () => {
    const config = await readDeployConfig(configWith(production()), "production");
    expect(deployProblems(config, REQUIRED_SECRETS)).toEqual([]);
  }, 30_000);

  it("refuses missing secrets, naming each and how to set it", async () => {
    const config = await readDeployConfig(configWith(production()), "production");
    const problems = deployProblems(
      config,
      REQUIRED_SECRETS.filter((s) => s !== "TOKEN_KEYS" && s !== "OPS_TOKEN"),
    );
    expect(problems).toEqual([
      "secret TOKEN_KEYS is not set (wrangler secret put TOKEN_KEYS --env production)",
      "secret OPS_TOKEN is not set (wrangler secret put OPS_TOKEN --env production)",
    ]);
  }, 30_000);

  it("refuses the local top level: placeholder binding ids and 127.0.0.1 URLs, each named", async () => {
    const config = await readDeployConfig(configWith(""));
    const problems = deployProblems(config, REQUIRED_SECRETS);
    expect(problems).toContain(
      "D1 binding DB: database_id is the local placeholder 00000000-0000-0000-0000-000000000000",
    );
    expect(problems).toContain("KV binding KV: id is the local placeholder 00000000000000000000000000000000");
    expect(problems).toContain("var PUBLIC_URL must be https (http://127.0.0.1:8787)");
    expect(problems).toContain(
      "var POS_API_BASE_TEMPLATE must be https (http://127.0.0.1:8789/{domain_prefix}/api/2026-07)",
    );
    expect(problems).toContain(
      `var EXTENSION_ORIGINS lists only the local development build (chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk); add the Chrome Web Store id`,
    );
    // asking for an environment the file does not have falls back to that same top level: refused first
    const missing = deployProblems(await readDeployConfig(configWith(""), "production"), REQUIRED_SECRETS);
    expect(missing[0]).toBe(
      "wrangler.toml has no [env.production]: run npm run deploy -- setup --env production (the top level is the local configuration)",
    );
    expect(missing).toContain(
      "D1 binding DB: database_id is the local placeholder 00000000-0000-0000-0000-000000000000",
    );
  }, 30_000);

  it("refuses the setup's block until its placeholders are replaced", async () => {
    const config = await readDeployConfig(configWith(envBlock("production", { db: null, kv: KV_ID })), "production");
    const problems = deployProblems(config, REQUIRED_SECRETS);
    expect(problems).toEqual([
      "D1 binding DB: database_id is a placeholder (<database_id from wrangler d1 create>)",
      "var PUBLIC_URL is a placeholder (https://<the Worker's host, e.g. tillbridge-production.<account>.workers.dev>)",
      "var EXTENSION_ORIGINS holds a placeholder (chrome-extension://<Chrome Web Store item id>)",
    ]);
  }, 30_000);

  it("refuses a missing binding, a secret kept as a plain var and mixed Intuit environments", async () => {
    const block = production((b) =>
      b
        .replace(/\[\[env\.production\.kv_namespaces\]\]\nbinding = "KV"\nid = ".*"\n/, "")
        .replace(
          'QBO_API_BASE = "https://quickbooks.api.intuit.com"',
          'QBO_API_BASE = "https://sandbox-quickbooks.api.intuit.com"',
        )
        .replace('LOG_LEVEL = "info"', 'LOG_LEVEL = "info"\nQBO_CLIENT_SECRET = "oops"'),
    );
    const config = await readDeployConfig(configWith(block), "production");
    expect(deployProblems(config, REQUIRED_SECRETS)).toEqual([
      'KV binding KV is missing (add [[env.<name>.kv_namespaces]] with binding = "KV")',
      "var QBO_API_BASE points at Intuit's sandbox while QBO_ENVIRONMENT is production (https://sandbox-quickbooks.api.intuit.com)",
      "QBO_CLIENT_SECRET is a plain var in wrangler.toml; it must be a secret (wrangler secret put QBO_CLIENT_SECRET)",
    ]);
  }, 30_000);

  it("checks shard databases: numbered without a gap, real ids, not the home database", async () => {
    const shard = (n: number, id: string) =>
      `\n[[env.production.d1_databases]]\nbinding = "DB_SHARD_${n}"\ndatabase_name = "tillbridge-production-shard-${n}"\ndatabase_id = "${id}"\nmigrations_dir = "migrations"\n`;
    const SHARD_ID = "6f1c2a9e-2222-4e2b-9f00-1234567890ab";
    const withShards = (extra: string) =>
      production((b) => b.replace("[[env.production.kv_namespaces]]", `${extra}\n[[env.production.kv_namespaces]]`));
    const good = await readDeployConfig(configWith(withShards(shard(1, SHARD_ID))), "production");
    expect(deployProblems(good, REQUIRED_SECRETS)).toEqual([]);
    const bad = await readDeployConfig(
      configWith(withShards(shard(1, DB_ID) + shard(3, "00000000-0000-0000-0000-000000000000"))),
      "production",
    );
    expect(deployProblems(bad, REQUIRED_SECRETS)).toEqual([
      "D1 binding DB_SHARD_1 is the DB database itself",
      "D1 binding DB_SHARD_2 is missing: shards are numbered 1, 2, … without a gap",
    ]);
  }, 30_000);

  it("an environment pointed at Intuit's sandbox companies passes as sandbox", async () => {
    const block = envBlock("staging", { db: DB_ID, kv: KV_ID })
      .replace(/PUBLIC_URL = ".*"/, 'PUBLIC_URL = "https://tillbridge-staging.acme-retail.workers.dev"')
      .replace(/EXTENSION_ORIGINS = ".*"/, 'EXTENSION_ORIGINS = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"');
    const config = await readDeployConfig(configWith(block), "staging");
    expect(config.vars).toMatchObject({
      QBO_ENVIRONMENT: "sandbox",
      QBO_API_BASE: "https://sandbox-quickbooks.api.intuit.com",
    });
    expect(deployProblems(config, REQUIRED_SECRETS)).toEqual([]);
  }, 30_000);
});

describe("the setup's helpers", () => {
  it("read the ids wrangler prints, in TOML or JSON", () => {
    expect(
      createdId(
        `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "tillbridge-production"\ndatabase_id = "${DB_ID}"`,
        "database_id",
      ),
    ).toBe(DB_ID);
    expect(createdId(`{\n  "d1_databases": [{ "binding": "DB", "database_id": "${DB_ID}" }]\n}`, "database_id")).toBe(
      DB_ID,
    );
    expect(createdId(`[[kv_namespaces]]\nbinding = "tillbridge_production_kv"\nid = "${KV_ID}"`, "id")).toBe(KV_ID);
    expect(createdId("✘ [ERROR] A request to the Cloudflare API failed.", "id")).toBeNull();
  });

  it("generate secrets the Worker accepts", () => {
    expect(newTokenKeys()).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
    expect(newTokenKeys()).not.toBe(newTokenKeys());
    expect(newOpsToken().length).toBeGreaterThanOrEqual(32);
  });
});

describe("the store packages (npm run package)", () => {
  it("need the deployed Worker's https origin", () => {
    expect(storeWorkerOrigin("https://tillbridge.acme-retail.workers.dev")).toBe(
      "https://tillbridge.acme-retail.workers.dev",
    );
    expect(() => storeWorkerOrigin(undefined)).toThrow(/Worker URL is missing/);
    expect(() => storeWorkerOrigin("http://127.0.0.1:8787")).toThrow(/must be https/);
    expect(() => storeWorkerOrigin("https://localhost:8787")).toThrow(/deployed Worker/);
    expect(() => storeWorkerOrigin("https://<worker>.workers.dev")).toThrow();
    expect(() => storeWorkerOrigin("https://tillbridge.acme-retail.workers.dev/api")).toThrow(/without a path/);
  });

  it("drop the development key and local hosts; Firefox gets its id and data-collection consent", () => {
    const local = () => ({
      key: "MIIBIjANBg…",
      host_permissions: [
        "https://*.retail.lightspeed.app/*",
        "http://127.0.0.1/*",
        "http://localhost/*",
        "http://127.0.0.1:8787/*",
      ],
      content_scripts: [
        {
          matches: ["http://127.0.0.1/*", "http://localhost/*", "https://*.retail.lightspeed.app/*"],
          js: ["content-scripts/backoffice.js"],
        },
      ],
    });
    const workerOrigin = "https://tillbridge.acme-retail.workers.dev";
    const chrome = storeManifest(local(), { browser: "chrome", workerOrigin });
    expect(chrome).toEqual({
      host_permissions: ["https://*.retail.lightspeed.app/*", "http://127.0.0.1:8787/*", `${workerOrigin}/*`],
      content_scripts: [{ matches: ["https://*.retail.lightspeed.app/*"], js: ["content-scripts/backoffice.js"] }],
    });
    const firefox = storeManifest(local(), { browser: "firefox", workerOrigin, geckoId: "tillbridge@acme.test" });
    expect(firefox.browser_specific_settings?.gecko).toEqual({
      id: "tillbridge@acme.test",
      strict_min_version: "140.0",
      data_collection_permissions: { required: ["authenticationInfo", "financialAndPaymentInfo", "websiteContent"] },
    });
    expect(firefox.key).toBeUndefined();
  });
});
