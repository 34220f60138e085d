/**
 * The Accounting API's front door, in the order Intuit's gateway applies it: the bearer token
 * (401 3200 / 403 3100), the per-company throttle (429 3001), injected faults, `requestid` replay, then
 * the operation; every request lands in the request log.
 */
import { Hono } from "hono";
import { timeOf, type SandboxContext } from "../context";
import { authenticationFailedBody, authorizationFailedBody, F, QboFault, throttleBody, throttleXml } from "../faults";
import { COMMITTING, type FaultSpec, NETWORK_FAILURE_HEADER, takeFault } from "../inject";
import { randomToken } from "../state";
import { overLimit } from "../throttle";
import { type Answer, type Facts, describe, dispatch } from "./dispatch";

const JSON_TYPE = "application/json;charset=UTF-8";

function respond(status: number, body: string, contentType = JSON_TYPE, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": contentType, intuit_tid: `1-${randomToken(12)}`, ...extra },
  });
}

const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
  respond(status, JSON.stringify(body), JSON_TYPE, extra);

function authenticate(ctx: SandboxContext, header: string | undefined, realmId: string): Response | string {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const www = { "www-authenticate": 'Bearer realm="Intuit", error="invalid_token"' };
  if (!m) return json(401, authenticationFailedBody("Token invalid: no bearer token in the Authorization header"), www);
  const token = m[1]!;
  const t = ctx.state.oauth.accessTokens[token];
  const grant = t ? ctx.state.oauth.grants[t.grantId] : undefined;
  if (!t || !grant || grant.revoked) return json(401, authenticationFailedBody("Token revoked or invalid"), www);
  if (t.expired || t.expiresAt <= ctx.now().getTime())
    return json(401, authenticationFailedBody(`Token expired: ${token.slice(0, 8)}…`), www);
  if (t.realmId !== realmId)
    return json(403, authorizationFailedBody(`The token is not authorized for company ${realmId}`));
  return token;
}

/** Answers a non-committing injected fault (the operation does not run). */
function faultResponse(ctx: SandboxContext, f: FaultSpec): Response {
  switch (f.kind) {
    case "http500":
      return json(500, F.system().body(timeOf(ctx)));
    case "http503":
      return json(
        503,
        new QboFault(
          503,
          "10000",
          "Service Unavailable",
          "The service is temporarily unavailable",
          "",
          "SystemFault",
        ).body(timeOf(ctx)),
      );
    case "http502html":
      return respond(
        502,
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
        "text/html",
      );
    case "throttle":
      return json(429, throttleBody());
    case "throttleXml":
      return respond(429, throttleXml(timeOf(ctx)), "application/xml");
    case "fault": {
      const spec = f.fault ?? {
        status: 400,
        code: "6000",
        message: "A business validation error has occurred while processing your request",
      };
      if (spec.type === "SERVICE" || spec.type === "AUTHENTICATION") {
        // Gateway faults (authentication, authorization, throttling) come in Intuit's lowercase shape.
        const body = {
          fault: {
            error: [{ message: spec.message, detail: spec.detail ?? spec.message, code: spec.code }],
            type: spec.type,
          },
        };
        return json(
          spec.status,
          body,
          spec.status === 401 ? { "www-authenticate": 'Bearer realm="Intuit", error="invalid_token"' } : {},
        );
      }
      const fault = new QboFault(
        spec.status,
        spec.code,
        spec.message,
        spec.detail ?? spec.message,
        spec.element ?? "",
        (spec.type ?? "ValidationFault") as never,
      );
      return json(spec.status, fault.body(timeOf(ctx)));
    }
    default:
      // timeoutBeforeCommit: nothing happens and the caller's fetch fails.
      return respond(504, "", "text/plain", { [NETWORK_FAILURE_HEADER]: "timeout" });
  }
}

/** Answers a committing fault after the operation ran and its true response was remembered. */
function afterCommit(ctx: SandboxContext, f: FaultSpec, real: { status: number; body: string }): Response {
  if (f.kind === "truncatedJson")
    return respond(real.status, real.body.slice(0, Math.max(1, Math.floor(real.body.length / 2))));
  if (f.kind === "okWithoutEntity") return json(200, { time: timeOf(ctx) });
  return respond(504, "", "text/plain", { [NETWORK_FAILURE_HEADER]: "timeout" });
}

function run(ctx: SandboxContext, facts: Facts): { status: number; body: string } {
  const realm = ctx.state.realms[facts.realmId];
  let answer: Answer;
  try {
    if (!realm) throw F.notFound(`company ${facts.realmId}`);
    answer = dispatch(ctx, realm, facts);
  } catch (e) {
    if (!(e instanceof QboFault)) throw e;
    answer = { status: e.status, body: e.body(timeOf(ctx)) };
  }
  return { status: answer.status, body: JSON.stringify(answer.body) };
}

export function apiRoutes(ctx: SandboxContext): Hono {
  const app = new Hono();
  app.all("/v3/company/:realmId/*", async (c) => {
    const realmId = c.req.param("realmId");
    const url = new URL(c.req.url);
    const prefix = `/v3/company/${realmId}/`;
    const segments = url.pathname
      .slice(url.pathname.indexOf(prefix) + prefix.length)
      .split("/")
      .filter(Boolean)
      .map(decodeURIComponent);
    const query = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
    const bodyText = c.req.method === "POST" ? await c.req.text() : "";
    const facts: Facts = { realmId, ...describe(c.req.method, url.pathname, segments, query, bodyText) };
    const requestId = facts.write ? query.requestid : undefined;
    // Half the round trip on the way in; in flight from its arrival until its answer is back with the
    // caller (Intuit's concurrency rule counts the 11th request arriving while ten are open).
    const half = Math.floor(ctx.latencyMs / 2);
    if (half > 0) await ctx.sleep(half);
    ctx.inFlight.set(realmId, (ctx.inFlight.get(realmId) ?? 0) + 1);
    try {
      const res = await handle(ctx, facts, requestId, c.req.header("authorization"));
      logRequest(ctx, facts, url.pathname, res.status, requestId);
      if (ctx.latencyMs - half > 0) await ctx.sleep(ctx.latencyMs - half);
      return res;
    } finally {
      ctx.inFlight.set(realmId, (ctx.inFlight.get(realmId) ?? 1) - 1);
    }
  });
  return app;
}

function logRequest(ctx: SandboxContext, facts: Facts, path: string, status: number, requestId?: string): void {
  const { query, bodyText, realmId } = facts;
  const statement =
    facts.operation === "query"
      ? (query.query ?? bodyText).slice(0, 300)
      : facts.operation === "cdc"
        ? `entities=${query.entities ?? ""}&changedSince=${query.changedsince ?? ""}`
        : undefined;
  ctx.log.push({
    at: ctx.now().toISOString(),
    realmId,
    method: facts.method,
    path,
    entity: facts.entity,
    operation: facts.operation,
    write: facts.write,
    status,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(statement !== undefined ? { query: statement } : {}),
  });
}

async function handle(
  ctx: SandboxContext,
  facts: Facts,
  requestId: string | undefined,
  authorization: string | undefined,
): Promise<Response> {
  const auth = authenticate(ctx, authorization, facts.realmId);
  if (auth instanceof Response) return auth;
  if (overLimit(ctx, ctx.limits, facts.realmId, facts.operation === "batch")) return json(429, throttleBody());
  const fault = takeFault(ctx, {
    realmId: facts.realmId,
    method: facts.method,
    path: facts.path,
    entity: facts.entity,
    operation: facts.operation,
  });
  if (fault?.kind === "expireToken") {
    ctx.state.oauth.accessTokens[auth]!.expired = true;
    return json(401, authenticationFailedBody(`Token expired: ${auth.slice(0, 8)}…`), {
      "www-authenticate": 'Bearer realm="Intuit", error="invalid_token"',
    });
  }
  if (fault && !COMMITTING.has(fault.kind)) return faultResponse(ctx, fault);

  const realm = ctx.state.realms[facts.realmId];
  if (requestId !== undefined) {
    const max = facts.operation === "batch" ? 36 : 50;
    if (requestId.length > max) {
      return json(
        400,
        new QboFault(
          400,
          "2050",
          "String length is either shorter or longer than supported by specification",
          `requestid is ${requestId.length} characters long; the maximum is ${max}`,
          "requestid",
        ).body(timeOf(ctx)),
      );
    }
    const seen = realm?.requestIds[requestId];
    if (seen) return respond(seen.status, seen.body, seen.contentType);
  }
  const real = run(ctx, facts);
  if (requestId !== undefined && realm)
    realm.requestIds[requestId] = { status: real.status, body: real.body, contentType: JSON_TYPE };
  if (fault) return afterCommit(ctx, fault, real);
  return respond(real.status, real.body);
}
