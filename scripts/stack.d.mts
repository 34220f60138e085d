// Types of scripts/stack.mjs for the TypeScript callers (the e2e tests).

export const ROOT: string;
export const DEFAULT_PORTS: Ports;
export const EXTENSION_ID: string;
export const QUIET_ENV: Record<string, string>;

export interface Ports {
  worker: number;
  qbo: number;
  pos: number;
}
export interface StackUrls {
  worker: string;
  qbo: string;
  pos: string;
}

export interface StackOptions {
  /** "free": unused ports (tests); default 8787/8788/8789 */
  ports?: "free" | Partial<Ports>;
  /** Keep state between runs in .tillbridge/ (default: fresh, in a throwaway folder) */
  keep?: boolean;
  log?: (label: string, line: string) => void;
  logFile?: string;
  /** Called when a child ("sandbox", "worker") exits, including during stop() */
  onExit?: (label: string, code: number | string) => void;
  timeoutMs?: number;
  /** false: run a snapshot of the Worker bundled once, without reloading on edits (tests); default true */
  watch?: boolean;
}

export interface Stack {
  ports: Ports;
  urls: StackUrls;
  persistTo: string;
  stateDir: string;
  /** The children's last lines of output, "[label] line" */
  logs: string[];
  replica(prefix: string, path: string): string;
  /** Runs the Worker's scheduled handler once and resolves when that run has finished. */
  runCron(opts?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number>;
export function workerVars(urls: StackUrls): Record<string, string>;
export function ensureDevVars(): boolean;
export function buildExtension(workerUrl: string, outDir?: string): string;
export function startStack(options?: StackOptions): Promise<Stack>;
