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
});

export type AppEnv = z.infer<typeof EnvSchema>;

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
  cached = { raw, env: parsed.data };
  return parsed.data;
}
