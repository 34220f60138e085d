#!/usr/bin/env node
// `npm run deploy`: checks the target environment, applies the D1 migrations remotely, then
// deploys the Worker. `npm run deploy -- setup` is the first-time setup (D1 database, KV
// namespace, secrets). See docs/GOING-LIVE.md.
//
//   npm run deploy                         # [env.production] of wrangler.toml
//   npm run deploy -- --env staging        # another environment (e.g. pointed at Intuit's sandbox)
//   npm run deploy -- --check              # only the check, nothing deployed
//   npm run deploy -- setup [--env staging]
//
// The top level of wrangler.toml is the local configuration (npm start, tests): its placeholder
// ids and 127.0.0.1 URLs must never reach Cloudflare, so a deploy always names an environment and
// the check refuses placeholders, local URLs and missing secrets, naming each.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

export const REQUIRED_SECRETS = [
  "QBO_CLIENT_ID",
  "QBO_CLIENT_SECRET",
  "POS_CLIENT_ID",
  "POS_CLIENT_SECRET",
  "TOKEN_KEYS",
  "OPS_TOKEN",
];
/** Optional: set it once Intuit webhooks are subscribed (no route reads them yet). */
export const OPTIONAL_SECRETS = ["QBO_WEBHOOK_VERIFIER"];
export const URL_VARS = [
  "PUBLIC_URL",
  "QBO_AUTHORIZE_URL",
  "QBO_TOKEN_URL",
  "QBO_REVOKE_URL",
  "QBO_API_BASE",
  "QBO_APP_URL",
  "POS_AUTHORIZE_URL",
];
export const TEMPLATE_VARS = ["POS_TOKEN_URL_TEMPLATE", "POS_API_BASE_TEMPLATE", "POS_BACKOFFICE_URL_TEMPLATE"];
/** The unpacked development build's id (fixed by the manifest key in wxt.config.ts); stores assign their own. */
export const DEV_EXTENSION_ORIGIN = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KV_ID = /^[0-9a-f]{32}$/i;
const PLACEHOLDER = /[<>]|\b(todo|changeme|your[-_ ]|example\.(com|org|net))|xxx/i;
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|.+\.local|.+\.test)$/i;

const onlyZeros = (id) => /^[0-]+$/.test(id);

/** What is wrong with a binding id, or null: missing, all zeros, a placeholder, or not an id at all. */
function badId(id, shape) {
  if (!id) return "is missing";
  if (onlyZeros(id)) return `is the local placeholder ${id}`;
  if (PLACEHOLDER.test(id)) return `is a placeholder (${id})`;
  if (!shape.test(id)) return `is not an id (${id})`;
  return null;
}

function badUrl(name, value, { template = false } = {}) {
  if (typeof value !== "string" || !value) return `${name} is missing`;
  if (PLACEHOLDER.test(value.replaceAll("{domain_prefix}", "x"))) return `${name} is a placeholder (${value})`;
  let url;
  try {
    url = new URL(value.replaceAll("{domain_prefix}", "store"));
  } catch {
    return `${name} is not a URL (${value})`;
  }
  if (url.protocol !== "https:") return `${name} must be https (${value})`;
  if (LOCAL_HOST.test(url.hostname)) return `${name} points at a local address (${value})`;
  if (template && !value.includes("{domain_prefix}")) return `${name} must contain {domain_prefix} (${value})`;
  return null;
}

/**
 * Everything that makes a deploy of this resolved configuration wrong, each naming the binding,
 * variable or secret. `config` is wrangler's resolved environment (unstable_readConfig); `secrets`
 * the names `wrangler secret list` gives for that Worker.
 */
/** The shard bindings (DB_SHARD_<n>) of a resolved configuration, by number. */
export function shardBindings(config) {
  return (config.d1_databases ?? [])
    .map((d) => ({ ...d, n: Number(/^DB_SHARD_(\d+)$/.exec(d.binding ?? "")?.[1] ?? Number.NaN) }))
    .filter((d) => Number.isInteger(d.n))
    .sort((a, b) => a.n - b.n);
}

export function deployProblems(config, secrets) {
  const problems = [];
  if (config.envSectionFound === false) {
    problems.push(
      `wrangler.toml has no [env.${config.targetEnvironment}]: run npm run deploy -- setup --env ${config.targetEnvironment} (the top level is the local configuration)`,
    );
  }
  const db = (config.d1_databases ?? []).find((d) => d.binding === "DB");
  if (!db) problems.push('D1 binding DB is missing (add [[env.<name>.d1_databases]] with binding = "DB")');
  else {
    const why = badId(db.database_id, UUID);
    if (why) problems.push(`D1 binding DB: database_id ${why}`);
  }
  // shards (docs/SCALE.md): DB_SHARD_1, DB_SHARD_2, … without a gap, each a real database
  const shards = shardBindings(config);
  for (const [i, shard] of shards.entries()) {
    if (shard.n !== i + 1) {
      problems.push(`D1 binding DB_SHARD_${i + 1} is missing: shards are numbered 1, 2, … without a gap`);
      break;
    }
    const why = badId(shard.database_id, UUID);
    if (why) problems.push(`D1 binding ${shard.binding}: database_id ${why}`);
    if (db && shard.database_id === db.database_id)
      problems.push(`D1 binding ${shard.binding} is the DB database itself`);
  }
  const kv = (config.kv_namespaces ?? []).find((k) => k.binding === "KV");
  if (!kv) problems.push('KV binding KV is missing (add [[env.<name>.kv_namespaces]] with binding = "KV")');
  else {
    const why = badId(kv.id, KV_ID);
    if (why) problems.push(`KV binding KV: id ${why}`);
  }

  const vars = config.vars ?? {};
  for (const name of URL_VARS) {
    const why = badUrl(name, vars[name]);
    if (why) problems.push(`var ${why}`);
  }
  for (const name of TEMPLATE_VARS) {
    const why = badUrl(name, vars[name], { template: true });
    if (why) problems.push(`var ${why}`);
  }
  const environment = vars.QBO_ENVIRONMENT;
  if (environment !== "sandbox" && environment !== "production")
    problems.push(`var QBO_ENVIRONMENT must be sandbox or production (${environment ?? "missing"})`);
  const apiBase = String(vars.QBO_API_BASE ?? "");
  if (environment === "production" && /sandbox/i.test(apiBase))
    problems.push(`var QBO_API_BASE points at Intuit's sandbox while QBO_ENVIRONMENT is production (${apiBase})`);
  if (environment === "sandbox" && /^https:\/\/quickbooks\.api\.intuit\.com/i.test(apiBase))
    problems.push(`var QBO_API_BASE points at Intuit's production API while QBO_ENVIRONMENT is sandbox (${apiBase})`);
  const origins = String(vars.EXTENSION_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length === 0)
    problems.push("var EXTENSION_ORIGINS is missing (the store builds' chrome-extension://<id> origins)");
  else if (origins.every((o) => o === DEV_EXTENSION_ORIGIN))
    problems.push(
      `var EXTENSION_ORIGINS lists only the local development build (${DEV_EXTENSION_ORIGIN}); add the Chrome Web Store id`,
    );
  else
    for (const o of origins) if (PLACEHOLDER.test(o)) problems.push(`var EXTENSION_ORIGINS holds a placeholder (${o})`);

  const have = new Set(secrets);
  for (const name of [...REQUIRED_SECRETS, ...OPTIONAL_SECRETS]) {
    if (name in vars)
      problems.push(`${name} is a plain var in wrangler.toml; it must be a secret (wrangler secret put ${name})`);
    else if (!have.has(name) && REQUIRED_SECRETS.includes(name))
      problems.push(
        `secret ${name} is not set (wrangler secret put ${name}${config.targetEnvironment ? ` --env ${config.targetEnvironment}` : ""})`,
      );
  }
  if (!(config.triggers?.crons ?? []).length)
    problems.push("the cron trigger is missing: nothing would be posted automatically");
  return problems;
}

/**
 * wrangler's own reading of the configuration for one environment (inheritance rules included),
 * and whether the file has that [env.<name>] at all (without one, wrangler falls back to the top level).
 */
export async function readDeployConfig(configPath, env) {
  const { unstable_readConfig, experimental_readRawConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
  const sections = experimental_readRawConfig({ config: configPath }).rawConfig?.env ?? {};
  return { ...config, envSectionFound: env === undefined || Object.hasOwn(sections, env) };
}

/** The id printed by `wrangler d1 create` / `wrangler kv namespace create` (TOML or JSON output). */
export function createdId(output, key) {
  const m = new RegExp(`"?${key}"?\\s*[:=]\\s*"([0-9a-f-]{32,36})"`, "i").exec(output);
  return m ? m[1] : null;
}

/** A TOKEN_KEYS value: one key id and 32 random bytes (worker/env.ts). */
export const newTokenKeys = (kid = "k1") => `${kid}:${randomBytes(32).toString("base64")}`;
export const newOpsToken = () => randomBytes(32).toString("base64url");

// ---- the command ------------------------------------------------------------------------------

function wrangler(args, opts = {}) {
  const r = spawnSync("npx", ["wrangler", ...args], {
    encoding: "utf8",
    stdio: opts.capture
      ? ["inherit", "pipe", "pipe"]
      : opts.input !== undefined
        ? ["pipe", "inherit", "inherit"]
        : "inherit",
    input: opts.input,
  });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function secretNames(env, configPath) {
  const r = wrangler(["secret", "list", "--env", env, "--config", configPath, "--format", "json"], { capture: true });
  if (!r.ok)
    return {
      names: [],
      error: (r.out.split("\n").find((l) => /ERROR/.test(l)) ?? r.out.trim().split("\n")[0] ?? "")
        .replace(/\x1b\[[0-9;]*m/g, "")
        .trim(),
    };
  const start = r.out.indexOf("[");
  try {
    return { names: JSON.parse(r.out.slice(start)).map((s) => s.name) };
  } catch {
    return { names: [], error: "could not read `wrangler secret list`" };
  }
}

function args(argv) {
  const out = { command: "deploy", env: "production", config: "wrangler.toml", check: false, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "setup") out.command = "setup";
    else if (a === "--env" || a === "-e") out.env = argv[++i];
    else if (a === "--config" || a === "-c") out.config = argv[++i];
    else if (a === "--check") out.check = true;
    else if (a === "--dry-run") out.dryRun = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

export function envBlock(env, ids) {
  const sandbox = env !== "production";
  return `[env.${env}]
# crons, main, compatibility settings and the atob alias are inherited from the top level

[[env.${env}.d1_databases]]
binding = "DB"
database_name = "tillbridge-${env}"
database_id = "${ids.db ?? "<database_id from wrangler d1 create>"}"
migrations_dir = "migrations"

[[env.${env}.kv_namespaces]]
binding = "KV"
id = "${ids.kv ?? "<id from wrangler kv namespace create>"}"

# past about a thousand tenants, more databases (docs/SCALE.md): new tenants go to the one with the
# fewest; uncomment, create the database (wrangler d1 create tillbridge-${env}-shard-1) and paste its id
# [[env.${env}.d1_databases]]
# binding = "DB_SHARD_1"
# database_name = "tillbridge-${env}-shard-1"
# database_id = "<database_id from wrangler d1 create>"
# migrations_dir = "migrations"

# beyond a few tenants, each tenant's minute of work runs in an invocation of its own
[[env.${env}.queues.producers]]
binding = "SYNC_QUEUE"
queue = "tillbridge-${env}-sync"

[[env.${env}.queues.consumers]]
queue = "tillbridge-${env}-sync"
max_batch_size = 1
max_batch_timeout = 1
max_retries = 2

[env.${env}.vars]
PUBLIC_URL = "https://<the Worker's host, e.g. tillbridge-${env}.<account>.workers.dev>"
LOG_LEVEL = "info"
EXTENSION_ORIGINS = "chrome-extension://<Chrome Web Store item id>"
QBO_ENVIRONMENT = "${sandbox ? "sandbox" : "production"}"
QBO_AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
QBO_TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
QBO_REVOKE_URL = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
QBO_API_BASE = "${sandbox ? "https://sandbox-quickbooks.api.intuit.com" : "https://quickbooks.api.intuit.com"}"
QBO_APP_URL = "${sandbox ? "https://app.sandbox.qbo.intuit.com/app" : "https://app.qbo.intuit.com/app"}"
POS_AUTHORIZE_URL = "https://secure.retail.lightspeed.app/connect"
POS_TOKEN_URL_TEMPLATE = "https://{domain_prefix}.retail.lightspeed.app/api/1.0/token"
POS_API_BASE_TEMPLATE = "https://{domain_prefix}.retail.lightspeed.app/api/2026-07"
POS_BACKOFFICE_URL_TEMPLATE = "https://{domain_prefix}.retail.lightspeed.app"
`;
}

async function setup(o) {
  console.log(`▶ First-time setup of environment "${o.env}"`);
  const ids = {};
  const d1 = wrangler(["d1", "create", `tillbridge-${o.env}`], { capture: true });
  process.stdout.write(d1.out);
  ids.db = createdId(d1.out, "database_id");
  const kv = wrangler(["kv", "namespace", "create", `tillbridge-${o.env}-kv`], { capture: true });
  process.stdout.write(kv.out);
  ids.kv = createdId(kv.out, "id");
  const queue = wrangler(["queues", "create", `tillbridge-${o.env}-sync`], { capture: true });
  process.stdout.write(queue.out);
  console.log(`\nAdd this block to ${o.config} (then replace the two <…> values):\n\n${envBlock(o.env, ids)}`);

  const { names } = secretNames(o.env, o.config);
  for (const name of REQUIRED_SECRETS.filter((n) => !names.includes(n))) {
    if (name === "TOKEN_KEYS" || name === "OPS_TOKEN") {
      const value = name === "TOKEN_KEYS" ? newTokenKeys() : newOpsToken();
      console.log(`▶ Setting ${name} to a freshly generated value`);
      if (!wrangler(["secret", "put", name, "--env", o.env, "--config", o.config], { input: `${value}\n` }).ok)
        process.exit(1);
      if (name === "OPS_TOKEN")
        console.log(`  OPS_TOKEN (keep it in your password manager; it opens /ops/*): ${value}`);
    } else {
      console.log(`▶ wrangler secret put ${name} (paste the value, then Enter)`);
      if (!wrangler(["secret", "put", name, "--env", o.env, "--config", o.config]).ok) process.exit(1);
    }
  }
  console.log(`\nThen: npm run deploy -- --env ${o.env}`);
}

async function deploy(o) {
  let config;
  try {
    config = await readDeployConfig(o.config, o.env);
  } catch (e) {
    console.error(
      `✖ ${o.config} has no usable [env.${o.env}]: ${e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : e}\n  Run: npm run deploy -- setup --env ${o.env}`,
    );
    process.exit(1);
  }
  const listed = secretNames(o.env, o.config);
  const problems = deployProblems(config, listed.names);
  if (listed.error)
    problems.push(`could not list the Worker's secrets (${listed.error}); run wrangler login, or the setup`);
  if (problems.length) {
    console.error(`✖ Not deploying environment "${o.env}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`✔ Environment "${o.env}" is ready: bindings, vars and ${REQUIRED_SECRETS.length} secrets`);
  if (o.check) return;
  if (!o.dryRun) {
    console.log("▶ Applying D1 migrations (remote)");
    // the home database and every shard get the same schema
    for (const binding of ["DB", ...shardBindings(config).map((d) => d.binding)])
      if (!wrangler(["d1", "migrations", "apply", binding, "--remote", "--env", o.env, "--config", o.config]).ok)
        process.exit(1);
  }
  console.log(`▶ Deploying the Worker${o.dryRun ? " (dry run)" : ""}`);
  if (!wrangler(["deploy", "--env", o.env, "--config", o.config, ...(o.dryRun ? ["--dry-run"] : [])]).ok)
    process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  let o;
  try {
    o = args(process.argv.slice(2));
  } catch (e) {
    console.error(
      `✖ ${e instanceof Error ? e.message : e}\n  Usage: npm run deploy [-- --env <name>] [--check] [--dry-run] | npm run deploy -- setup [--env <name>]`,
    );
    process.exit(2);
  }
  await (o.command === "setup" ? setup(o) : deploy(o));
}
