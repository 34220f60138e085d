import { z } from "zod";

/**
 * The Worker's bindings and vars, validated at the entry. A bad deploy fails with a message naming
 * the variable, instead of failing later inside a request.
 */
const url = (name: string) => z.string({ error: `${name} is missing` }).url(`${name} must be a URL`);
const template = (name: string) =>
  url(name).refine((v) => v.includes("{domain_prefix}"), `${name} must contain {domain_prefix}`);
const secret = (name: string) => z.string({ error: `secret ${name} is missing` }).min(1, `secret ${name} is empty`);

const binding = <T>(name: string, method: string) =>
  z.custom<T>(
    (v) => typeof v === "object" && v !== null && typeof (v as Record<string, unknown>)[method] === "function",
    {
      message: `binding ${name} is missing (check wrangler.toml)`,
    },
  );

export const EnvSchema = z.object({
  DB: binding<D1Database>("DB", "prepare"),
  KV: binding<KVNamespace>("KV", "get"),
  /** Optional: with it, a cron run over many tenants fans out one queue message per tenant */
  SYNC_QUEUE: binding<Queue<{ tenantId: string; scheduledTime: string }>>("SYNC_QUEUE", "sendBatch").optional(),
  /** Optional: Cloudflare's send_email binding, for the merchant's daily digest (none: no digest is sent) */
  DIGEST_EMAIL: binding<SendEmail>("DIGEST_EMAIL", "send").optional(),
  /** The digest's sender address (an address of a domain onboarded to Cloudflare Email Service) */
  DIGEST_FROM: z.string().email("DIGEST_FROM must be an email address").optional(),
  PUBLIC_URL: url("PUBLIC_URL"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  EXTENSION_ORIGINS: z
    .string({ error: "EXTENSION_ORIGINS is missing" })
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^(chrome-extension|moz-extension|https?):\/\/[^/]+$/,
              "EXTENSION_ORIGINS holds origins like chrome-extension://<id>",
            ),
        )
        .min(1, "EXTENSION_ORIGINS is empty"),
    ),
  QBO_ENVIRONMENT: z.enum(["sandbox", "production"], { error: "QBO_ENVIRONMENT must be sandbox or production" }),
  QBO_AUTHORIZE_URL: url("QBO_AUTHORIZE_URL"),
  QBO_TOKEN_URL: url("QBO_TOKEN_URL"),
  QBO_REVOKE_URL: url("QBO_REVOKE_URL"),
  QBO_API_BASE: url("QBO_API_BASE"),
  QBO_APP_URL: url("QBO_APP_URL"),
  POS_AUTHORIZE_URL: url("POS_AUTHORIZE_URL"),
  POS_TOKEN_URL_TEMPLATE: template("POS_TOKEN_URL_TEMPLATE"),
  POS_API_BASE_TEMPLATE: template("POS_API_BASE_TEMPLATE"),
  POS_BACKOFFICE_URL_TEMPLATE: template("POS_BACKOFFICE_URL_TEMPLATE"),
  QBO_CLIENT_ID: secret("QBO_CLIENT_ID"),
  QBO_CLIENT_SECRET: secret("QBO_CLIENT_SECRET"),
  POS_CLIENT_ID: secret("POS_CLIENT_ID"),
  POS_CLIENT_SECRET: secret("POS_CLIENT_SECRET"),
  /** "kid:base64(32 bytes)" entries, comma-separated; the first encrypts, all decrypt (rotation) */
  TOKEN_KEYS: secret("TOKEN_KEYS").refine(
    (v) => v.split(",").every((e) => /^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=$/.test(e.trim())),
    "secret TOKEN_KEYS must be kid:base64key entries of 32-byte keys",
  ),
  /** Intuit's webhook verifier token; webhooks from Intuit are refused without it */
  QBO_WEBHOOK_VERIFIER: z.string().optional(),
  /** The operator's bearer token for /ops/* and the detailed /health; the ops routes are closed without it */
  OPS_TOKEN: z.string().min(32, "secret OPS_TOKEN must be at least 32 characters").optional(),
  /**
   * The shards a new tenant may be placed on ("0,1,2"; 0 is the home DB), the one with the fewest
   * tenants first. Default: every bound database. Shards left out keep their tenants but get no new one.
   */
  SHARD_PLACEMENT: z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, "SHARD_PLACEMENT lists shard numbers like 0,1,2")
    .transform((v) => [...new Set(v.split(",").map((n) => Number(n.trim())))])
    .optional(),
});

/**
 * The databases tenants live in (docs/SCALE.md, "Past one database"): shard 0 is the home `DB`,
 * shard n the binding `DB_SHARD_<n>`, numbered 1, 2, … without a gap.
 */
function shardsOf(raw: unknown, db: D1Database, problems: string[]): D1Database[] {
  const record = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const numbers = Object.keys(record)
    .map((k) => /^DB_SHARD_(\d+)$/.exec(k)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const shards = [db];
  for (const [i, n] of numbers.entries()) {
    if (n !== i + 1) {
      problems.push(
        `- DB_SHARD_${i + 1}: binding DB_SHARD_${i + 1} is missing: shards are numbered 1, 2, … without a gap (DB_SHARD_${n} is bound)`,
      );
      return shards;
    }
    const bound = binding<D1Database>(`DB_SHARD_${n}`, "prepare").safeParse(record[`DB_SHARD_${n}`]);
    if (!bound.success) {
      problems.push(`- DB_SHARD_${n}: binding DB_SHARD_${n} is not a D1 database`);
      return shards;
    }
    shards.push(bound.data);
  }
  return shards;
}

export type AppEnv = z.infer<typeof EnvSchema> & {
  /** The tenants' databases: [0] the home `DB`, [n] `DB_SHARD_<n>` */
  shards: D1Database[];
  /** The shards new tenants are placed on (SHARD_PLACEMENT, default all) */
  placement: number[];
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: { raw: unknown; env: AppEnv } | undefined;

/** Validates the raw Worker env once per isolate (per distinct env object). */
export function loadEnv(raw: unknown): AppEnv {
  if (cached && cached.raw === raw) return cached.env;
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ConfigError(`Tillbridge is misconfigured:\n${lines.join("\n")}`);
  }
  const problems: string[] = [];
  const shards = shardsOf(raw, parsed.data.DB, problems);
  const placement = parsed.data.SHARD_PLACEMENT ?? shards.map((_, i) => i);
  for (const n of placement)
    if (n >= shards.length)
      problems.push(`- SHARD_PLACEMENT: SHARD_PLACEMENT names shard ${n}, but DB_SHARD_${n} is not bound`);
  if (problems.length > 0) throw new ConfigError(`Tillbridge is misconfigured:\n${problems.join("\n")}`);
  const env: AppEnv = { ...parsed.data, shards, placement };
  cached = { raw, env };
  return env;
}
