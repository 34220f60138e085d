/**
 * The QuickBooks Online sandbox: Intuit OAuth 2.0 + the Accounting API v3 + /_sandbox control routes,
 * as one runtime-agnostic Hono app (workerd in tests, Node under `npm start`). State is in memory and
 * exportable. See docs/DESIGN.md §3 and ../shared/reference/qbo-api-notes.md for what it reproduces.
 */
import { Hono } from "hono";
import { apiRoutes } from "./api/gateway";
import type { CompanyKey, ConsentMode, OAuthClient, RequestLogEntry, SandboxContext } from "./context";
import { PreferencesPatch, controlRoutes } from "./control";
import { entityInfo } from "./entities";
import { BATCH_ITEM_KINDS, COMMITTING, type FaultSpec, NETWORK_FAILURE_HEADER, takeFault } from "./inject";
import { type TrialBalanceRow, trialBalance } from "./ledger";
import { oauthRoutes, revokeRealm } from "./oauth";
import { merchantChange, setActive, setClosingDate, touchPreferences } from "./merchant";
import { type OpContext, timestamp } from "./operations";
import { AU_REALM, seedAu } from "./seed-au";
import { CA_REALM, seedCa } from "./seed-ca";
import { NZ_REALM, seedNz } from "./seed-nz";
import { UK_REALM, seedUk } from "./seed-uk";
import { US_REALM, seedUs } from "./seed-us";
import { type Doc, type RealmState, type SandboxState, clone, emptyOAuth } from "./state";
import { QBO_LIMITS, type ThrottleLimits } from "./throttle";
import { type Deliver, QboWebhooks, type QboWebhookOptions, type WebhookAttempt } from "./webhooks";

export type { FaultSpec, FaultKind } from "./inject";
export type { RequestLogEntry, OAuthClient, ConsentMode, CompanyKey } from "./context";
export type { TrialBalanceRow } from "./ledger";
export type { QboWebhookOptions, WebhookAttempt } from "./webhooks";
export type { Change, ChangeOperation } from "./changes";
export { intuitSignature, RETRY_SCHEDULE_MS } from "./webhooks";
export { NETWORK_FAILURE_HEADER } from "./inject";

export interface QboSandboxOptions {
  /** Sandbox clock (token expiry, throttle windows, default dates); default real time */
  now?: (() => Date) | undefined;
  /** Default 3600 */
  accessTokenTtlSeconds?: number | undefined;
  /** Added to the two Tillbridge clients (tillbridge-local-qbo, tillbridge-test-qbo) */
  clients?: OAuthClient[] | undefined;
  /** The consent page redirects at once, approving the CA company (tests); default false (a page) */
  autoApprove?: boolean | undefined;
  /** Its own public origin, for the discovery document; default http://127.0.0.1:8788 */
  baseUrl?: string | undefined;
  /** QBO's per-company limits (default 500/min, 10/s, 10 in flight, 40 batches/min); false turns throttling off */
  throttle?: ThrottleLimits | false | undefined;
  /** Round trip of every Intuit request in ms (API and token endpoints), e.g. 250; default 0 */
  latencyMs?: number | undefined;
  /** How the sandbox waits (latency, webhook aggregation and retries); default setTimeout. Inject to stay deterministic */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Intuit's webhooks to the app (entity change notifications); default none */
  webhook?: QboWebhookOptions | undefined;
  /** How webhooks configured without a `deliver` (over HTTP) are sent, e.g. to the Worker in-process; default fetch */
  deliverWebhook?: Deliver | undefined;
}

export interface QboSandbox {
  app: Hono;
  /** Dispatches to the app; rejects with a TypeError where a network failure is injected */
  fetch(req: Request): Promise<Response>;
  /** The seeded companies' realm ids: CA (GST/QST), US (sales tax), AU (GST 10%), NZ (GST 15%), UK (VAT) */
  realms: Record<CompanyKey, string>;
  companies(): { realmId: string; name: string; country: string }[];
  trialBalance(realmId: string): TrialBalanceRow[];
  /** Everything stored for an entity, voided included (deleted ones are gone) */
  entities(realmId: string, entity: string): unknown[];
  requestLog(realmId?: string): RequestLogEntry[];
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  setClock(now: () => Date): void;
  /** How the consent page answers: "page", or approve "ca" / "us" / "au" / "nz" / "uk", or "deny" at once */
  setConsent(mode: ConsentMode): void;
  setPreferences(realmId: string, patch: PreferencesPatch): void;
  /** The merchant makes a name-list record (account, item, tax code, customer…) inactive or active again */
  setActive(realmId: string, entity: string, id: string, active: boolean): unknown;
  /** The merchant edits (a sparse patch), voids or deletes a document in QBO */
  changeDocument(
    realmId: string,
    entity: string,
    id: string,
    action: "edit" | "void" | "delete",
    patch?: object,
  ): unknown;
  /** The merchant sets (YYYY-MM-DD) or clears (null) the books' closing date */
  setClosingDate(realmId: string, date: string | null): void;
  /** The user disconnects the app from QBO's side */
  revokeAll(realmId: string): void;
  /** Configures (or, with undefined, stops) Intuit's webhooks to the app */
  setWebhook(options: QboWebhookOptions | undefined): void;
  /** Every webhook delivery attempt so far */
  webhookDeliveries(): WebhookAttempt[];
  /** Resolves when every webhook gathered so far is delivered or given up, retries included */
  flushWebhooks(): Promise<void>;
  setLatency(ms: number): void;
  exportState(): string;
  importState(s: string): void;
  reset(): void;
}

const DEFAULT_CLIENTS: OAuthClient[] = [
  { clientId: "tillbridge-local-qbo", clientSecret: "local-qbo-secret" },
  { clientId: "tillbridge-test-qbo", clientSecret: "test-qbo-secret" },
];

const REALMS: Record<CompanyKey, string> = { ca: CA_REALM, us: US_REALM, au: AU_REALM, nz: NZ_REALM, uk: UK_REALM };

function seeded(now: Date): SandboxState {
  const at = timestamp(now);
  const realms = [seedCa(at), seedUs(at), seedAu(at), seedNz(at), seedUk(at)];
  return { version: 1, realms: Object.fromEntries(realms.map((r) => [r.realmId, r])), oauth: emptyOAuth() };
}

/** Looked up at each call, so a test's or the bench's own setTimeout is the one used. */
const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function connectedTo(ctx: SandboxContext, realmId: string, clientId?: string): boolean {
  return Object.values(ctx.state.oauth.grants).some(
    (g) => g.realmId === realmId && !g.revoked && (clientId === undefined || g.clientId === clientId),
  );
}

export function createQboSandbox(opts: QboSandboxOptions = {}): QboSandbox {
  const clock = {
    offsetMs: 0,
    custom: opts.now,
    set(offsetMs: number | null) {
      this.custom = undefined;
      this.offsetMs = offsetMs ?? 0;
    },
  };
  const now = () => (clock.custom ? clock.custom() : new Date(Date.now() + clock.offsetMs));
  const sleep = opts.sleep ?? timerSleep;
  const webhooks = new QboWebhooks({
    now,
    sleep,
    connected: (realmId, clientId) => connectedTo(ctx, realmId, clientId),
    deliver: opts.deliverWebhook,
  });
  webhooks.configure(opts.webhook);
  const ctx: SandboxContext = {
    now,
    state: undefined as unknown as SandboxState,
    clients: [...DEFAULT_CLIENTS, ...(opts.clients ?? [])],
    baseUrl: (opts.baseUrl ?? "http://127.0.0.1:8788").replace(/\/$/, ""),
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
    consent: opts.autoApprove ? "ca" : "page",
    realms: REALMS,
    faults: [],
    log: [],
    throttle: new Map(),
    inFlight: new Map(),
    limits: opts.throttle ?? QBO_LIMITS,
    latencyMs: opts.latencyMs ?? 0,
    sleep,
    onChange: (c) => webhooks.emit(c),
  };
  ctx.state = seeded(ctx.now());

  const realmOf = (realmId: string) => {
    const realm = ctx.state.realms[realmId];
    if (!realm) throw new Error(`no company ${realmId} in the QBO sandbox`);
    return realm;
  };
  const merchantOp = () => ({ now: ctx.now(), allowDuplicateDocNumber: false, changed: ctx.onChange });

  const app = new Hono();
  // Injected faults also reach the OAuth endpoints (a token refresh that times out, a 503).
  app.use("/oauth2/*", oauthLatency(ctx), oauthFaults(ctx, "token"));
  app.use("/v2/oauth2/*", oauthLatency(ctx), oauthFaults(ctx, "revoke"));
  app.route("/", oauthRoutes(ctx));
  app.route("/", apiRoutes(ctx));

  const sandbox: QboSandbox = {
    app,
    async fetch(req) {
      const res = await app.fetch(req);
      if (res.headers.get(NETWORK_FAILURE_HEADER))
        throw new TypeError("fetch failed: the connection to the QBO sandbox timed out (injected)");
      return res;
    },
    realms: ctx.realms,
    companies: () =>
      Object.values(ctx.state.realms).map((r) => ({
        realmId: r.realmId,
        name: String(r.companyInfo.CompanyName),
        country: String(r.companyInfo.Country),
      })),
    trialBalance: (realmId) => trialBalance(realmOf(realmId)),
    entities: (realmId, entity) =>
      clone(Object.values(realmOf(realmId).entities[entityInfo(entity)?.name ?? entity] ?? {})),
    requestLog: (realmId) => clone(realmId === undefined ? ctx.log : ctx.log.filter((l) => l.realmId === realmId)),
    injectFault: (f) => {
      if (f.match?.inBatch && !BATCH_ITEM_KINDS.has(f.kind))
        throw new Error(`a batch item can only be answered with ${[...BATCH_ITEM_KINDS].join(", ")}, not ${f.kind}`);
      ctx.faults.push({ ...f });
    },
    clearFaults: () => void ctx.faults.splice(0),
    setClock: (now) => {
      clock.custom = now;
    },
    setConsent: (mode) => {
      ctx.consent = mode;
    },
    setPreferences: (realmId, patch) =>
      void patchPreferences(realmOf(realmId), PreferencesPatch.parse(patch), merchantOp()),
    setActive: (realmId, entity, id, active) => setActive(realmOf(realmId), entity, id, active, merchantOp()),
    changeDocument: (realmId, entity, id, action, patch) =>
      merchantChange(realmOf(realmId), entity, id, action, patch as Doc | undefined, merchantOp()),
    setClosingDate: (realmId, date) => void setClosingDate(realmOf(realmId), date, merchantOp()),
    revokeAll: (realmId) => revokeRealm(ctx, realmId),
    setWebhook: (options) => webhooks.configure(options),
    webhookDeliveries: () => [...webhooks.log],
    flushWebhooks: () => webhooks.flush(),
    setLatency: (ms) => {
      ctx.latencyMs = Math.max(0, ms);
    },
    exportState: () => JSON.stringify(ctx.state),
    importState(s) {
      const parsed = JSON.parse(s) as SandboxState;
      if (parsed?.version !== 1 || typeof parsed.realms !== "object" || typeof parsed.oauth !== "object")
        throw new Error("not a QBO sandbox state (version 1)");
      // States saved before the global companies named the global tax model "ca".
      for (const realm of Object.values(parsed.realms)) if ((realm.model as string) === "ca") realm.model = "global";
      ctx.state = parsed;
      ctx.throttle.clear();
    },
    reset() {
      ctx.state = seeded(ctx.now());
      ctx.faults.splice(0);
      ctx.log.splice(0);
      ctx.throttle.clear();
      webhooks.reset();
    },
  };
  app.route(
    "/",
    controlRoutes(() => sandbox, {
      get offsetMs() {
        return clock.offsetMs;
      },
      set: (o) => clock.set(o),
      now: ctx.now,
    }),
  );
  return sandbox;
}

/** The Preferences a control route or test sets, as the merchant would in QBO's settings. */
function patchPreferences(realm: RealmState, p: PreferencesPatch, op: OpContext): void {
  const prefs = clone(realm.preferences);
  const section = (name: string): Doc => (prefs[name] ??= {});
  if (p.BookCloseDate !== undefined) {
    if (p.BookCloseDate === null) delete section("AccountingInfoPrefs").BookCloseDate;
    else section("AccountingInfoPrefs").BookCloseDate = p.BookCloseDate;
  }
  for (const k of ["TrackDepartments", "ClassTrackingPerTxn", "ClassTrackingPerTxnLine"] as const)
    if (p[k] !== undefined) section("AccountingInfoPrefs")[k] = p[k];
  for (const k of ["CustomTxnNumbers", "AllowDiscount"] as const)
    if (p[k] !== undefined) section("SalesFormsPrefs")[k] = p[k];
  if (p.UsingSalesTax !== undefined) section("TaxPrefs").UsingSalesTax = p.UsingSalesTax;
  if (p.MultiCurrencyEnabled !== undefined) section("CurrencyPrefs").MultiCurrencyEnabled = p.MultiCurrencyEnabled;
  touchPreferences(realm, prefs, op);
}

/** The token and revoke endpoints take the same round trip as the API. */
function oauthLatency(ctx: SandboxContext) {
  return async (_c: import("hono").Context, next: () => Promise<void>) => {
    if (ctx.latencyMs > 0) await ctx.sleep(ctx.latencyMs);
    await next();
  };
}

function oauthFaults(ctx: SandboxContext, operation: string) {
  return async (c: import("hono").Context, next: () => Promise<void>) => {
    const url = new URL(c.req.url);
    // An access token only expires at the Accounting API; such a fault waits for an API request.
    const fault = takeFault(
      ctx,
      { realmId: null, method: c.req.method, path: url.pathname, operation },
      (f) => f.kind !== "expireToken",
    );
    if (!fault) return next();
    const network = { [NETWORK_FAILURE_HEADER]: "timeout" };
    if (COMMITTING.has(fault.kind)) {
      await next();
      if (fault.kind === "commitThenTimeout") c.res = new Response("", { status: 504, headers: network });
      else if (fault.kind === "truncatedJson") {
        const text = await c.res.text();
        c.res = new Response(text.slice(0, Math.floor(text.length / 2)), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      } else c.res = Response.json({}, { status: 200 });
      return;
    }
    switch (fault.kind) {
      case "http500":
      case "http503":
        return c.json({ error: "server_error" }, fault.kind === "http500" ? 500 : 503);
      case "http502html":
        return c.html("<html><body><h1>502 Bad Gateway</h1></body></html>", 502);
      case "throttle":
      case "throttleXml":
        return c.json({ error: "too_many_requests" }, 429);
      case "fault":
        return c.json(
          { error: fault.fault?.code ?? "invalid_grant", error_description: fault.fault?.message },
          (fault.fault?.status ?? 400) as 400,
        );
      default:
        return new Response("", { status: 504, headers: network });
    }
  };
}
