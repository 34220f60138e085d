/**
 * The sandbox's whole state: plain JSON so the Node runner can persist it (exportState/importState).
 * Entities are stored exactly as QBO answers them (its JSON shape, amounts as JSON numbers with at most
 * two decimals); everything derived (trial balance, invoice balances) is computed from them.
 */

import type { Tombstone } from "./changes";

// QBO documents are open-ended JSON; every rule reads them through the helpers in json.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

export interface RealmState {
  realmId: string;
  /** "global" = QBO's global tax model (CA, AU, NZ, UK: tax codes on lines), "us" = US sales tax.
   * States exported before the global companies said "ca" for the global model; importState reads it. */
  model: "global" | "us";
  companyInfo: Doc;
  preferences: Doc;
  /** entity name → id → stored document (voided ones included, deleted ones removed) */
  entities: Record<string, Record<string, Doc>>;
  nextId: number;
  /** requestid → the original response, replayed verbatim */
  requestIds: Record<string, StoredResponse>;
  /** Records deleted (not voided, not made inactive) in the last 31 days, for Change Data Capture */
  deleted?: Tombstone[];
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  realmId: string;
  scope: string;
  expiresAt: number;
  /** Set once exchanged: a second exchange revokes this grant */
  grantId?: string;
}

export interface Grant {
  clientId: string;
  realmId: string;
  scope: string;
  refreshToken: string;
  refreshExpiresAt: number;
  revoked: boolean;
}

export interface AccessToken {
  grantId: string;
  realmId: string;
  expiresAt: number;
  /** Forced expiry (fault injection `expireToken`) */
  expired?: boolean;
}

export interface OAuthState {
  codes: Record<string, AuthCode>;
  grants: Record<string, Grant>;
  accessTokens: Record<string, AccessToken>;
}

export interface SandboxState {
  version: 1;
  realms: Record<string, RealmState>;
  oauth: OAuthState;
}

export function emptyOAuth(): OAuthState {
  return { codes: {}, grants: {}, accessTokens: {} };
}

export function entityStore(realm: RealmState, entity: string): Record<string, Doc> {
  return (realm.entities[entity] ??= {});
}

export function allOf(realm: RealmState, entity: string): Doc[] {
  return Object.values(realm.entities[entity] ?? {});
}

export function getDoc(realm: RealmState, entity: string, id: string): Doc | undefined {
  return realm.entities[entity]?.[id];
}

export function nextId(realm: RealmState): string {
  const id = String(realm.nextId);
  realm.nextId += 1;
  return id;
}

/** A random opaque token (tokens, codes, intuit_tid). Uses WebCrypto, available in workerd and Node. */
export function randomToken(bytes = 24): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let out = "";
  for (const b of buf) out += b.toString(16).padStart(2, "0");
  return out;
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
