import type { AppEnv } from "../env";
import type { Logger } from "../lib/log";
import { bumpCounter, type HttpCounter } from "../db/counters";
import { errorFromNoAnswer, interpretResponse, QboError, type CallContext, type ResponseFacts } from "./faults";

/**
 * One HTTP exchange with the Accounting API: URL, headers, timeout, body read, classification.
 * No retries and no token logic here (client.ts decides those).
 */

/** Pinned: Intuit ignores anything below 75, and payloads must not change under us (§1). */
export const MINOR_VERSION = "75";
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface QboRequest {
  method: "GET" | "POST";
  /** Path under /v3/company/{realmId}/, e.g. "salesreceipt", "query", "companyinfo/123" */
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  write: boolean;
  expectedKey?: string;
  docNumber?: string;
}

export interface HttpDeps {
  env: Pick<AppEnv, "QBO_API_BASE">;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
  /** Where the operator's counters go (QBO 429s, 5xx, answers that never came) */
  db?: D1Database;
}

/** The operator counter an answer (or its absence) falls under; ordinary faults are not counted here. */
export function counterFor(httpStatus: number | undefined): HttpCounter | null {
  if (httpStatus === undefined) return "qbo_no_answer";
  if (httpStatus === 429) return "qbo_429";
  return httpStatus >= 500 ? "qbo_5xx" : null;
}

export function apiUrl(
  env: Pick<AppEnv, "QBO_API_BASE">,
  realmId: string,
  req: Pick<QboRequest, "path" | "params">,
): string {
  // encodeURIComponent (not URLSearchParams) so spaces travel as %20, which every parser reads alike.
  const params = { minorversion: MINOR_VERSION, ...req.params };
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return `${env.QBO_API_BASE.replace(/\/+$/, "")}/v3/company/${encodeURIComponent(realmId)}/${req.path}?${query}`;
}

/**
 * Resolves with `work`, or rejects with `onTimeout()` after `ms` (aborting `controller`). The timer
 * is raced, not only the abort signal: an in-process fetch (tests, the sandbox) may ignore signals.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  controller: AbortController,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(onTimeout());
    }, ms);
  });
  work.catch(() => {}); // after a timeout the abandoned call may still fail: already reported
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The status, headers and full text of one answer; no answer (or a broken body) is classified. */
async function exchange(deps: HttpDeps, url: string, init: RequestInit, ctx: CallContext): Promise<ResponseFacts> {
  let res: Response;
  try {
    res = await deps.fetch(url, init);
  } catch (e) {
    throw errorFromNoAnswer(e, ctx);
  }
  const intuitTid = res.headers.get("intuit_tid") ?? undefined;
  try {
    return {
      status: res.status,
      body: await res.text(),
      retryAfter: res.headers.get("retry-after"),
      ...(intuitTid ? { intuitTid } : {}),
    };
  } catch (e) {
    // The status arrived but the body broke off: as ambiguous as no answer at all.
    throw errorFromNoAnswer(e, ctx);
  }
}

export async function sendQbo(
  deps: HttpDeps,
  realmId: string,
  accessToken: string,
  req: QboRequest,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Record<string, unknown>> {
  const ctx: CallContext = {
    write: req.write,
    now: deps.now(),
    ...(req.expectedKey ? { expectedKey: req.expectedKey } : {}),
    ...(req.docNumber ? { docNumber: req.docNumber } : {}),
  };
  const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, accept: "application/json" };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  const controller = new AbortController();
  const init: RequestInit = {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  };
  const started = deps.now().getTime();
  const what = { method: req.method, path: req.path.split("/")[0] };
  let facts: ResponseFacts | undefined;
  try {
    facts = await withTimeout(exchange(deps, apiUrl(deps.env, realmId, req), init, ctx), timeoutMs, controller, () =>
      errorFromNoAnswer(new Error("timeout"), { ...ctx, timedOutAfterMs: timeoutMs }),
    );
    const json = interpretResponse(facts, ctx);
    deps.log.debug("qbo call", {
      ...what,
      status: facts.status,
      intuitTid: facts.intuitTid,
      ms: deps.now().getTime() - started,
    });
    return json;
  } catch (e) {
    if (e instanceof QboError) {
      deps.log.warn("qbo call failed", {
        ...what,
        status: facts?.status ?? 0,
        fault: e.code,
        intuitTid: e.info.intuitTid,
        outcomeUnknown: e.info.outcomeUnknown,
        ms: deps.now().getTime() - started,
      });
      const counter = counterFor(e.info.httpStatus);
      if (counter && deps.db) await bumpCounter(deps.db, realmId, counter, deps.now());
    }
    throw e;
  }
}
