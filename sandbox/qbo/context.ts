/** What every route of the sandbox shares: the state, the clock, the options, faults and logs. */
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
  limits: ThrottleLimits | false;
}

export const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;

export function timeOf(ctx: SandboxContext): string {
  return ctx.now().toISOString().replace("Z", "-00:00");
}
