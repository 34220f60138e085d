import { checkReturnTo } from "../lib/return-to";
import { z } from "zod";
import type { ConnectionStatus } from "../../shared/api";
import { type ErrorCode, TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import { getConnection, markDisconnected, saveConnected, statusOf } from "../db/connections";
import { consumeHandoff, createHandoff, getHandoff } from "../db/oauth-handoffs";
import { healBlocked } from "../db/sync-items";
import { holdUntilLive } from "../db/setup";
import { claimOAuthState, createOAuthState, getOAuthState, recordOAuthResult } from "../db/oauth-states";
import { createSession, revokeTenantSessions } from "../db/sessions";
import { ensureTenant, getTenant, setWebhookSecretHash } from "../db/tenants";
import { dbFor, placeTenant, servicesFor } from "../shards";
import { decryptSecret, encryptSecret, randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { fixedToken, PosClient } from "./client";
import { authorizeUrl, DOMAIN_PREFIX, exchangeCode } from "./oauth";
import { readObject } from "./read";
import { forgetReference } from "./reference";
import { RawRetailer } from "./schemas";
import { type PosServices, sealPosTokens } from "./tokens";
import { newWebhookSecret, registerWebhooks, removeWebhooks } from "./webhooks";

/**
 * Connecting a store: the POS OAuth consent started by the extension (bound to its nonce), the
 * callback that names the tenant (the store's domain_prefix), stores the encrypted tokens and
 * subscribes the webhooks, and the one-time handoff that gives the extension its session.
 */

export async function startPosConnect(
  s: PosServices,
  req: { returnTo: string; nonceHash: string },
): Promise<{ authorizeUrl: string }> {
  const returnTo = checkReturnTo(s.env, req.returnTo);
  const state = randomToken(32);
  await createOAuthState(
    s.homeDb,
    { stateHash: await sha256Hex(state), provider: "pos", nonceHash: req.nonceHash, returnTo },
    s.now(),
  );
  return { authorizeUrl: authorizeUrl(s.env, state) };
}

export interface PosCallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  domain_prefix?: string | undefined;
  error?: string | undefined;
}

/** The first callback's outcome, kept (encrypted: it names a handoff code) and replayed on a duplicate. */
const Outcome = z.object({ location: z.string() });
const PENDING_WAIT_MS = [100, 200, 300, 500, 800, 1000, 1500, 2000];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const outcomeAad = (stateHash: string) => `pos-oauth-outcome:${stateHash}`;

/** Handles the callback; returns where to send the browser (`returnTo#code=…` or `#error=<code>`). */
export async function completePosConnect(s: PosServices, q: PosCallbackQuery): Promise<string> {
  if (!q.state) throw new TillbridgeError("oauth_state_invalid", "no state");
  const stateHash = await sha256Hex(q.state);
  const row = await getOAuthState(s.homeDb, stateHash, "pos");
  if (!row) throw new TillbridgeError("oauth_state_invalid", "unknown state");
  const fail = (code: ErrorCode) => `${row.return_to}#error=${code}`;

  if (!(await claimOAuthState(s.homeDb, stateHash, "pos", s.now()))) {
    // A duplicate (reload, prefetch) answers the first outcome; the code is never exchanged twice.
    for (let i = 0; ; i++) {
      const again = await getOAuthState(s.homeDb, stateHash, "pos");
      if (again?.result_json) {
        const sealed = Outcome.parse(JSON.parse(again.result_json));
        return decryptSecret(s.env.TOKEN_KEYS, sealed.location, outcomeAad(stateHash));
      }
      if (!again?.used_at || i >= PENDING_WAIT_MS.length) return fail("oauth_state_invalid");
      await sleep(PENDING_WAIT_MS[i]!);
    }
  }

  let location: string;
  try {
    const tenantId = await connect(s, q, row.nonce_hash);
    const handoff = randomToken(32);
    await createHandoff(
      s.homeDb,
      { codeHash: await sha256Hex(handoff), tenantId, nonceHash: row.nonce_hash! },
      s.now(),
    );
    location = `${row.return_to}#code=${handoff}`;
  } catch (e) {
    const code: ErrorCode = e instanceof TillbridgeError ? e.code : "internal";
    if (!(e instanceof TillbridgeError))
      s.log.error("pos connect failed", {
        error: e instanceof Error ? { name: e.name, message: e.message } : String(e),
      });
    else s.log.warn("pos connect refused", { code, detail: e.detail });
    location = fail(code);
  }
  await recordOAuthResult(s.homeDb, stateHash, {
    location: await encryptSecret(s.env.TOKEN_KEYS, location, outcomeAad(stateHash)),
  });
  return location;
}

async function connect(home: PosServices, q: PosCallbackQuery, nonceHash: string | null): Promise<string> {
  let s = home;
  if (!nonceHash) throw new TillbridgeError("oauth_state_invalid", "the state is not bound to an extension");
  if (q.error) throw new TillbridgeError("oauth_denied", q.error.slice(0, 100));
  if (!q.code) throw new TillbridgeError("oauth_denied", "no authorization code");
  const prefix = q.domain_prefix ?? "";
  if (!DOMAIN_PREFIX.test(prefix))
    throw new TillbridgeError("bad_request", "domain_prefix is not a store's domain prefix");

  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode(s, prefix, q.code);
  } catch (e) {
    // A refused code is a refused connection, not a connection to repair.
    if (e instanceof TillbridgeError && e.code === "pos_needs_reconnect")
      throw new TillbridgeError("oauth_denied", e.detail);
    throw e;
  }
  if (tokens.domainPrefix && tokens.domainPrefix !== prefix)
    throw new TillbridgeError("oauth_denied", "the token is for another store");
  if (!tokens.refreshToken) throw new TillbridgeError("oauth_denied", "the Retail POS gave no refresh token");

  const direct = new PosClient({
    env: s.env,
    fetch: s.fetch,
    now: s.now,
    log: s.log,
    tokens: fixedToken(prefix, tokens.accessToken),
  });
  const retailer = readObject(RawRetailer, await direct.getOne("/retailer"), "retailer");
  if (retailer.domain_prefix && retailer.domain_prefix !== prefix)
    throw new TillbridgeError("oauth_denied", "the token opens another store");

  // the store's shard: where it is already, or (a new store) the one with the fewest tenants
  s = await placeTenant(s, prefix);
  await ensureTenant(s.db, prefix, retailer.name, s.now());
  const sealed = await sealPosTokens(s.env, prefix, {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: tokens.accessExpiresAt,
  });
  await saveConnected(
    s.db,
    {
      tenantId: prefix,
      provider: "pos",
      externalId: prefix,
      environment: null,
      displayName: retailer.name,
      tokens: sealed,
    },
    s.now(),
  );
  await forgetReference(s.kv, prefix);
  await healBlocked(s.db, prefix, "connection:pos", s.now()); // items waiting on this connection retry by themselves

  // Webhooks are hints: a store whose subscriptions fail still works by polling.
  const { secret, hash } = await newWebhookSecret();
  await setWebhookSecretHash(s.db, prefix, hash, s.now());
  let webhooks = "webhooks registered";
  try {
    await registerWebhooks(PosClient.forTenant(s, prefix), s.env, prefix, secret);
  } catch (e) {
    webhooks = `webhooks not registered (${e instanceof TillbridgeError ? e.code : "error"}); polling only`;
    s.log.warn("pos webhooks not registered", { error: e instanceof TillbridgeError ? e.detail : String(e) });
  }
  await audit(
    s.db,
    {
      tenantId: prefix,
      actor: "system",
      action: "connect",
      detail: `Retail POS ${retailer.name} connected; ${webhooks}`,
    },
    s.now(),
  );
  return prefix;
}

/** POST /auth/session: the handoff code and the nonce whose hash started the flow → a session. */
export async function exchangeHandoff(
  s: PosServices,
  req: { code: string; nonce: string; reviewFirst?: boolean | undefined },
): Promise<{ session: string; tenantId: string; storeName: string; expiresAt: string }> {
  const invalid = () =>
    new TillbridgeError("oauth_state_invalid", "the handoff code is unknown, used, expired or not yours");
  const codeHash = await sha256Hex(req.code);
  const row = await getHandoff(s.homeDb, codeHash);
  if (!row || !timingSafeEqual(await sha256Hex(req.nonce), row.nonce_hash)) throw invalid();
  if (!(await consumeHandoff(s.homeDb, codeHash, s.now()))) throw invalid();
  const tenantDb = await dbFor(s, row.tenant_id);
  const tenant = await getTenant(tenantDb, row.tenant_id);
  if (!tenant) throw invalid();
  const { token, session } = await createSession(s.homeDb, row.tenant_id, "", s.now());
  const held = req.reviewFirst === true && (await holdUntilLive(tenantDb, row.tenant_id, s.now()));
  const detail = held
    ? "extension session issued; postings held until the first closure is reviewed and the store goes live"
    : "extension session issued";
  await audit(tenantDb, { tenantId: row.tenant_id, actor: "system", action: "session", detail }, s.now());
  return { session: token, tenantId: row.tenant_id, storeName: tenant.name, expiresAt: session.expiresAt };
}

/**
 * Disconnects the store: Tillbridge's webhooks deleted at the POS (best effort), tokens dropped,
 * the webhook secret forgotten (late deliveries are refused), every session of the tenant revoked.
 */
export async function disconnectPos(home: PosServices, tenantId: string, actor: string): Promise<ConnectionStatus> {
  const s = await servicesFor(home, tenantId);
  const row = await getConnection(s.db, tenantId, "pos");
  let removed = "webhooks not removed";
  if (row?.status === "connected") {
    try {
      removed = `${await removeWebhooks(PosClient.forTenant(s, tenantId), s.env)} webhooks removed`;
    } catch (e) {
      s.log.warn("pos webhooks not removed", { error: e instanceof TillbridgeError ? e.detail : String(e) });
    }
  }
  const reason = `disconnected by ${actor}`;
  if (row) await markDisconnected(s.db, tenantId, "pos", reason, s.now());
  await setWebhookSecretHash(s.db, tenantId, null, s.now());
  await revokeTenantSessions(s.homeDb, tenantId, s.now());
  await forgetReference(s.kv, tenantId);
  await audit(
    s.db,
    { tenantId, actor, action: "disconnect", detail: `Retail POS disconnected; ${removed}; sessions revoked` },
    s.now(),
  );
  return statusOf(await getConnection(s.db, tenantId, "pos"));
}
