/** What every route of the sandbox shares: the state, the clock, the options, faults and logs. */
import type { Change } from "./changes";
import type { FaultSpec } from "./inject";
import type { SandboxState } from "./state";
import type { ThrottleLimits } from "./throttle";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; the built-in clients accept any http://127.0.0.1 or http://localhost URI */
  redirectUris?: string[];
}

export interface RequestLogEntry {
  at: string;
  realmId: string | null;
  method: string;
  path: string;
  entity?: string | undefined;
  operation: string;
  write: boolean;
  status: number;
  requestId?: string | undefined;
  /** A query's statement (its first 300 characters), for telling lookups from read-backs */
  query?: string | undefined;
}

/** The seeded companies: Canada (Québec), the US (New York), Australia, New Zealand, the UK. */
export type CompanyKey = "ca" | "us" | "au" | "nz" | "uk";

/** How the consent page answers: show it, or approve a company / deny at once (tests). */
export type ConsentMode = "page" | CompanyKey | "deny";

export interface SandboxContext {
  state: SandboxState;
  now: () => Date;
  clients: OAuthClient[];
  baseUrl: string;
  accessTokenTtlSeconds: number;
  consent: ConsentMode;
  realms: Record<CompanyKey, string>;
  faults: FaultSpec[];
  log: RequestLogEntry[];
  /** realm → timestamps (ms) of counted requests, for the throttle windows */
  throttle: Map<string, { all: number[]; batch: number[] }>;
  /** realm → Accounting API requests between their arrival and their answer's departure */
  inFlight: Map<string, number>;
  limits: ThrottleLimits | false;
  /** Round-trip latency of every Intuit request, in ms (half on the way in, half on the way out) */
  latencyMs: number;
  /** Waits (latency, webhook aggregation and retries); injectable so tests and the bench stay deterministic */
  sleep: (ms: number) => Promise<void>;
  /** Every change a write makes, API or control route (webhooks listen) */
  onChange: (c: Change) => void;
}

export const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;

export function timeOf(ctx: SandboxContext): string {
  return ctx.now().toISOString().replace("Z", "-00:00");
}
