import { checkReturnTo } from "../lib/return-to";
import { z } from "zod";
import { ErrorCode, TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import {
  ExternalIdTaken,
  findLiveByExternalId,
  getConnection,
  markDisconnected,
  saveConnected,
  type ConnectionRow,
} from "../db/connections";
import { liveSessionLabel } from "../db/sessions";
import { claimRealm, realmHolder, releaseRealms } from "../db/shards";
import { dbFor, servicesFor } from "../shards";
import { healBlocked } from "../db/sync-items";
import {
  claimOAuthState,
  createOAuthState,
  getOAuthState,
  purgeOAuthStates,
  recordOAuthResult,
  type OAuthStateRow,
} from "../db/oauth-states";
import { decryptSecret, randomToken, sha256Hex } from "../lib/crypto";
import { QboClient } from "./client";
import { authorizeUrl, exchangeCode, revokeToken, type TokenSet } from "./oauth";
import { invalidateRefs } from "./refs";
import { RawCompanyInfo } from "./schemas";
import { sealTokens, tokenAad, type QboServices } from "./tokens";

/**
 * Connecting a tenant to its QuickBooks Online company: the consent redirect, the callback
 * (state checked, code exchanged exactly once, outcome replayed to duplicate callbacks), status
 * and disconnect (revoked at Intuit). One company per tenant, one tenant per company.
 */

/** What a callback ended with; stored in oauth_states.result_json and replayed on duplicates. */
const CallbackResult = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: ErrorCode }),
]);
type CallbackResult = z.infer<typeof CallbackResult>;

/** Starts the consent: a single-use state bound to the session and tenant, and Intuit's URL. */
export async function startConnect(
  s: QboServices,
  session: { tenantId: string; tokenHash: string },
  returnTo: string,
): Promise<{ authorizeUrl: string }> {
  const target = checkReturnTo(s.env, returnTo);
  const state = randomToken(32);
  await purgeOAuthStates(s.homeDb, s.now());
  await createOAuthState(
    s.homeDb,
    {
      stateHash: await sha256Hex(state),
      provider: "qbo",
      tenantId: session.tenantId,
      sessionHash: session.tokenHash,
      returnTo: target,
    },
    s.now(),
  );
  return { authorizeUrl: authorizeUrl(s.env, state) };
}

const redirectFor = (row: OAuthStateRow, r: CallbackResult) =>
  `${row.return_to}#${r.ok ? "qbo=connected" : `qbo=error&code=${r.code}`}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function storedResult(row: OAuthStateRow): CallbackResult | null {
  if (!row.result_json) return null;
  const parsed = CallbackResult.safeParse(JSON.parse(row.result_json));
  return parsed.success ? parsed.data : { ok: false, code: "internal" };
}

export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  realmId?: string | undefined;
  error?: string | undefined;
}

/**
 * Handles Intuit's redirect. Returns where to send the browser: `return_to#qbo=connected` or
 * `return_to#qbo=error&code=…` (`#qbo=pending` if a first callback is still working). Throws
 * oauth_state_invalid only when the state is unknown, since then there is nowhere safe to go.
 */
export async function completeConnect(s: QboServices, q: CallbackQuery): Promise<string> {
  if (!q.state || q.state.length > 200) throw new TillbridgeError("oauth_state_invalid");
  const stateHash = await sha256Hex(q.state);
  let row = await getOAuthState(s.homeDb, stateHash, "qbo");
  if (!row?.tenant_id) throw new TillbridgeError("oauth_state_invalid");

  if (!(await claimOAuthState(s.homeDb, stateHash, "qbo", s.now()))) {
    if (!row.used_at && row.expires_at <= s.now().toISOString())
      return redirectFor(row, { ok: false, code: "oauth_state_invalid" });
    // A duplicate (reload, prefetch, double click): replay the first outcome, never exchange again.
    for (const ms of [0, 100, 200, 400, 800, 1500, 2000]) {
      await sleep(ms);
      row = (await getOAuthState(s.homeDb, stateHash, "qbo")) ?? row;
      const result = storedResult(row);
      if (result) return redirectFor(row, result);
    }
    return `${row.return_to}#qbo=pending`;
  }

  let result: CallbackResult;
  try {
    await connect(await servicesFor(s, row.tenant_id!), row, q);
    result = { ok: true };
  } catch (e) {
    if (!(e instanceof TillbridgeError))
      s.log.error("qbo callback failed", {
        error: e instanceof Error ? { name: e.name, message: e.message } : String(e),
      });
    result = { ok: false, code: e instanceof TillbridgeError ? e.code : "internal" };
    if (e instanceof TillbridgeError) s.log.warn("qbo connection refused", { fault: e.code, detail: e.detail });
  }
  await recordOAuthResult(s.homeDb, stateHash, result);
  return redirectFor(row, result);
}

async function connect(s: QboServices, state: OAuthStateRow, q: CallbackQuery): Promise<void> {
  const tenantId = state.tenant_id!;
  const label = await liveSessionLabel(s.homeDb, state.session_hash, s.now());
  if (label === null)
    throw new TillbridgeError("oauth_state_invalid", "the session that started this connection has ended");
  if (q.error || !q.code) throw new TillbridgeError("oauth_denied", q.error ?? "no authorization code");
  if (!q.realmId || !/^\d{1,32}$/.test(q.realmId))
    throw new TillbridgeError("oauth_denied", "no company (realmId) in the answer");
  const realmId = q.realmId;

  // one tenant per company across every shard (the home database's realm map), and in this shard
  const holder = await findLiveByExternalId(s.db, "qbo", realmId);
  if ((holder && holder.tenant_id !== tenantId) || (await otherHolder(s, realmId, tenantId)))
    throw new TillbridgeError("conflict", "this QuickBooks Online company is connected to another store");

  let tokens: TokenSet;
  try {
    tokens = await exchangeCode(s, q.code);
  } catch (e) {
    // A dead code is a refused consent from the merchant's point of view: start again.
    if (e instanceof TillbridgeError && e.code === "qbo_needs_reconnect")
      throw new TillbridgeError("oauth_denied", e.detail);
    throw e;
  }

  let companyName: string | null = null;
  try {
    const info = RawCompanyInfo.parse(
      await QboClient.withAccessToken(s, tenantId, realmId, tokens.accessToken, tokens.accessExpiresAt).companyInfo(),
    );
    companyName = info.CompanyName ?? info.LegalName ?? null;
  } catch (e) {
    // Transient: keep the (spent) code's tokens and read the name later. Anything else means
    // this connection cannot work (wrong environment, not an admin…): give the grant back.
    if (!(e instanceof TillbridgeError) || e.code !== "qbo_transient") {
      await revokeQuietly(s, tokens.refreshToken);
      throw e;
    }
    s.log.warn("qbo company name unavailable at connect", { fault: e.code });
  }

  const previous = await getConnection(s.db, tenantId, "qbo");
  try {
    const stale = await realmHolder(s.homeDb, realmId);
    if (!(await claimRealm(s.homeDb, realmId, tenantId, s.now(), stale !== tenantId ? stale : null)))
      throw new ExternalIdTaken(realmId);
    await saveConnected(
      s.db,
      {
        tenantId,
        provider: "qbo",
        externalId: realmId,
        environment: s.env.QBO_ENVIRONMENT,
        displayName: companyName,
        tokens: await sealTokens(s.env, tenantId, tokens),
      },
      s.now(),
    );
  } catch (e) {
    if (!(e instanceof ExternalIdTaken)) throw e;
    await revokeQuietly(s, tokens.refreshToken);
    throw new TillbridgeError("conflict", "this QuickBooks Online company is connected to another store");
  }
  await releaseRealms(s.homeDb, tenantId, realmId); // the company it held before, if another, is free
  await invalidateRefs(s, tenantId);
  await healBlocked(s.db, tenantId, "connection:qbo", s.now()); // items waiting on this connection retry by themselves
  if (previous?.refresh_token_enc && previous.external_id !== realmId) await revokeStored(s, tenantId, previous);
  await audit(
    s.db,
    {
      tenantId,
      actor: `user:${label || tenantId}`,
      action: "connect",
      detail: `qbo ${s.env.QBO_ENVIRONMENT} company ${realmId}${companyName ? ` (${companyName})` : ""}`,
    },
    s.now(),
  );
}

/**
 * Another tenant connected to this company, whatever its shard: the home database's realm map
 * names it, and its own connection (in its shard) still holds the company. A map entry whose
 * tenant no longer holds it (disconnected, gone) is stale and gives way.
 */
async function otherHolder(s: QboServices, realmId: string, tenantId: string): Promise<string | null> {
  const named = await realmHolder(s.homeDb, realmId);
  if (!named || named === tenantId) return null;
  let live: ConnectionRow | null;
  try {
    live = await findLiveByExternalId(await dbFor(s, named), "qbo", realmId);
  } catch {
    return named; // its shard cannot be read now (being moved): taken
  }
  return live?.tenant_id === named ? named : null;
}

async function revokeQuietly(s: QboServices, token: string): Promise<boolean> {
  try {
    await revokeToken(s, token);
    return true;
  } catch (e) {
    s.log.warn("qbo revoke failed", { fault: e instanceof TillbridgeError ? e.code : "unknown" });
    return false;
  }
}

async function revokeStored(s: QboServices, tenantId: string, row: ConnectionRow): Promise<boolean> {
  if (!row.refresh_token_enc) return false;
  let token: string;
  try {
    token = await decryptSecret(s.env.TOKEN_KEYS, row.refresh_token_enc, tokenAad(tenantId, "refresh"));
  } catch {
    return false;
  }
  return revokeQuietly(s, token);
}

/** Revokes at Intuit (best effort), then forgets the tokens whatever Intuit said. */
export async function disconnect(
  home: QboServices,
  tenantId: string,
  actor: string,
): Promise<{ status: "disconnected" | "not_connected"; revoked: boolean }> {
  const s = await servicesFor(home, tenantId);
  const row = await getConnection(s.db, tenantId, "qbo");
  if (!row) return { status: "not_connected", revoked: false };
  if (row.status === "disconnected") return { status: "disconnected", revoked: false };
  const revoked = await revokeStored(s, tenantId, row);
  await markDisconnected(s.db, tenantId, "qbo", `disconnected by ${actor}`, s.now());
  await releaseRealms(s.homeDb, tenantId);
  await invalidateRefs(s, tenantId);
  await audit(
    s.db,
    {
      tenantId,
      actor,
      action: "disconnect",
      detail: `qbo company ${row.external_id ?? "?"}${revoked ? "" : " (not revoked at Intuit)"}`,
    },
    s.now(),
  );
  return { status: "disconnected", revoked };
}
