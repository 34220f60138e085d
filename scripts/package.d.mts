// Types of scripts/package.mjs for the TypeScript callers (test/unit/deploy-check.test.ts).

export const OUT_DIR: string;
export const DEFAULT_GECKO_ID: string;

export interface StoreManifest {
  key?: string;
  host_permissions?: string[];
  content_scripts?: { matches?: string[]; [field: string]: unknown }[];
  browser_specific_settings?: { gecko?: Record<string, unknown>; [field: string]: unknown };
  [field: string]: unknown;
}

export function storeWorkerOrigin(value: string | undefined): string;
export function storeManifest(
  manifest: StoreManifest,
  opts: { browser: string; workerOrigin: string; geckoId?: string },
): StoreManifest;
