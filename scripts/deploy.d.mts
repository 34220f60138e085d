// Types of scripts/deploy.mjs for the TypeScript callers (test/unit/deploy-check.test.ts).

export const REQUIRED_SECRETS: string[];
export const OPTIONAL_SECRETS: string[];
export const URL_VARS: string[];
export const TEMPLATE_VARS: string[];
export const DEV_EXTENSION_ORIGIN: string;

/** The parts of wrangler's resolved configuration (unstable_readConfig) the check reads. */
export interface DeployConfig {
  name?: string;
  targetEnvironment?: string;
  d1_databases?: { binding: string; database_id?: string; database_name?: string }[];
  kv_namespaces?: { binding: string; id?: string }[];
  vars?: Record<string, unknown>;
  triggers?: { crons?: string[] };
  /** False when wrangler.toml has no [env.<name>] for the environment asked (wrangler then reads the top level) */
  envSectionFound?: boolean;
}

export function deployProblems(config: DeployConfig, secrets: readonly string[]): string[];
/** The shard bindings (DB_SHARD_<n>) of a resolved configuration, by number. */
export function shardBindings(
  config: DeployConfig,
): { binding: string; database_id?: string; database_name?: string; n: number }[];
export function readDeployConfig(configPath: string, env?: string): Promise<DeployConfig>;
export function createdId(output: string, key: string): string | null;
export function newTokenKeys(kid?: string): string;
export function newOpsToken(): string;
/** The [env.<name>] block the setup prints, with the created ids (or placeholders). */
export function envBlock(env: string, ids: { db?: string | null; kv?: string | null }): string;
