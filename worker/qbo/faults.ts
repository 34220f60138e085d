import { z } from "zod";
import { TillbridgeError, type ErrorCode } from "../../shared/errors";

/**
 * Every way QuickBooks Online says "no", turned into ONE TillbridgeError code (whose decision —
 * refresh, wait, back off, wait for a fix, ask a person — lives in shared/errors.ts). Pure: no
 * Workers APIs, so it is tested table-driven in plain Node.
 *
 * Shapes handled (qbo-api-notes §5.1, §4): Intuit's `Fault.Error[]`, the gateway's lowercase
 * `fault.error[]`, XML `<Fault>` bodies (the 429 ThrottleExceeded comes as XML even with
 * Accept: application/json), HTML error pages, truncated JSON, a 200 carrying a Fault, a 200
 * without the entity asked for.
 */

/** One error as Intuit reported it, whatever the casing or format. */
export interface IntuitError {
  code: string;
  message: string;
  detail: string;
  element?: string;
}

export interface QboFaultInfo {
  /** HTTP status, when an answer came at all */
  httpStatus?: number;
  intuitTid?: string;
  faultType?: string;
  errors: IntuitError[];
  /**
   * A write whose effect is unknown (timeout, network error, 5xx, unreadable or entity-less 200):
   * QBO may have recorded it, so the engine must look the document up before sending it again.
   */
  outcomeUnknown: boolean;
}

/** A QBO failure: a TillbridgeError (one vocabulary) that also carries what Intuit said. */
export class QboError extends TillbridgeError {
  constructor(
    code: ErrorCode,
    detail: string | undefined,
    readonly info: QboFaultInfo,
    extra: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(code, detail, extra);
  }
  get outcomeUnknown(): boolean {
    return this.info.outcomeUnknown;
  }
}

/** True when a write may have been applied although it failed: look the document up first. */
export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof QboError && err.info.outcomeUnknown;
}

// --- body parsing -----------------------------------------------------------------------------

export type ParsedBody =
  | { kind: "json"; value: unknown }
  | { kind: "xml"; text: string }
  | { kind: "html" }
  | { kind: "empty" }
  | { kind: "unreadable"; snippet: string };

export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (!trimmed) return { kind: "empty" };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { kind: "json", value: JSON.parse(trimmed) };
    } catch {
      return { kind: "unreadable", snippet: trimmed.slice(0, 120) };
    }
  }
  if (/^<!doctype html|^<html[\s>]/i.test(trimmed)) return { kind: "html" };
  if (trimmed.startsWith("<"))
    return /<Fault[\s>]/i.test(trimmed) || /<\?xml|<IntuitResponse/i.test(trimmed)
      ? { kind: "xml", text: trimmed }
      : { kind: "html" };
  return { kind: "unreadable", snippet: trimmed.slice(0, 120) };
}

const codeText = z.union([z.string(), z.number()]).transform(String);
const UpperError = z.object({
  code: codeText.optional(),
  Message: z.string().optional(),
  Detail: z.string().optional(),
  element: z.string().optional(),
});
const LowerError = z.object({
  code: codeText.optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
  element: z.string().optional(),
});
const FaultBody = z.union([
  z.object({ Fault: z.object({ Error: z.array(UpperError), type: z.string().optional() }) }),
  z.object({ fault: z.object({ error: z.array(LowerError), type: z.string().optional() }) }),
]);

/** "003200", "3200" and "message=…; errorCode=003200; …" all give "3200". */
function normalizeCode(code: string | undefined, message: string): string {
  const raw = code?.trim() || /errorCode=(\d+)/.exec(message)?.[1] || "";
  return raw.replace(/^0+(?=\d)/, "");
}

/** The Fault inside a JSON value (a whole response body or one batch item), or null. */
export function faultOfJson(value: unknown): { type?: string | undefined; errors: IntuitError[] } | null {
  const parsed = FaultBody.safeParse(value);
  if (!parsed.success) return null;
  if ("Fault" in parsed.data) {
    const f = parsed.data.Fault;
    return {
      type: f.type,
      errors: f.Error.map((e) => ({
        code: normalizeCode(e.code, e.Message ?? ""),
        message: e.Message ?? "",
        detail: e.Detail ?? "",
        ...(e.element ? { element: e.element } : {}),
      })),
    };
  }
  const f = parsed.data.fault;
  return {
    type: f.type,
    errors: f.error.map((e) => ({
      code: normalizeCode(e.code, e.message ?? ""),
      message: e.message ?? "",
      detail: e.detail ?? "",
      ...(e.element ? { element: e.element } : {}),
    })),
  };
}

function xmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/** The Fault of an XML IntuitResponse, or null. A regex reader: the shape is tiny and fixed. */
export function faultOfXml(text: string): { type?: string | undefined; errors: IntuitError[] } | null {
  const fault = /<Fault\b([^>]*)>([\s\S]*?)<\/Fault>/i.exec(text);
  if (!fault) return null;
  const type = /\btype="([^"]*)"/i.exec(fault[1] ?? "")?.[1];
  const errors: IntuitError[] = [];
  for (const m of (fault[2] ?? "").matchAll(/<Error\b([^>]*)>([\s\S]*?)<\/Error>/gi)) {
    const attrs = m[1] ?? "";
    const inner = m[2] ?? "";
    const message = xmlText(/<Message>([\s\S]*?)<\/Message>/i.exec(inner)?.[1] ?? "");
    const detail = xmlText(/<Detail>([\s\S]*?)<\/Detail>/i.exec(inner)?.[1] ?? "");
    const element = /\belement="([^"]*)"/i.exec(attrs)?.[1];
    errors.push({
      code: normalizeCode(/\bcode="([^"]*)"/i.exec(attrs)?.[1], message),
      message,
      detail,
      ...(element ? { element } : {}),
    });
  }
  return { ...(type ? { type } : {}), errors };
}

// --- classification ---------------------------------------------------------------------------

/** Intuit codes with a meaning of their own (qbo-api-notes §5.2); every other code is a validation error. */
const BY_CODE: Record<string, ErrorCode> = {
  "120": "qbo_needs_reconnect", // the user who connected is no longer an admin
  "3200": "qbo_token_expired",
  "3201": "qbo_needs_reconnect", // app not authorised for this company (Airbyte's table)
  "3100": "qbo_forbidden",
  "3001": "qbo_throttled",
  "6190": "qbo_subscription_lapsed",
  "6210": "closed_period", // Account Period Closed (the 2017 blog's "6210 duplicate" label is wrong)
  "5010": "qbo_stale_object",
  "6140": "qbo_duplicate_doc_number",
  "6240": "qbo_duplicate_name",
  "610": "qbo_invalid_reference",
  "2500": "qbo_invalid_reference",
};

/** When one Fault lists several errors, the one that decides what to do comes first. */
const PRIORITY: ErrorCode[] = [
  "qbo_needs_reconnect",
  "qbo_token_expired",
  "qbo_forbidden",
  "qbo_subscription_lapsed",
  "qbo_throttled",
  "closed_period",
  "qbo_stale_object",
  "qbo_duplicate_doc_number",
  "qbo_duplicate_name",
  "qbo_invalid_reference",
];

export const DEFAULT_THROTTLE_WAIT_SECONDS = 60;
const MAX_DETAIL = 1000;

/** Intuit's words, verbatim: "Message: Detail [code]" per error. */
export function describeIntuitErrors(errors: IntuitError[]): string {
  const text = errors
    .map((e) => {
      const words =
        e.detail && e.detail !== e.message ? (e.message ? `${e.message}: ${e.detail}` : e.detail) : e.message;
      return `${words || "(no message)"}${e.code ? ` [${e.code}]` : ""}${e.element ? ` (${e.element})` : ""}`;
    })
    .join("; ");
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); 60 s when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number {
  if (header) {
    const text = header.trim();
    if (/^\d+$/.test(text)) return Math.max(1, Number(text));
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
  }
  return DEFAULT_THROTTLE_WAIT_SECONDS;
}

export interface CallContext {
  /** A create/update/void/delete/batch: failures whose effect is unknown are flagged as such */
  write: boolean;
  /** The JSON key a successful answer must carry ("SalesReceipt", "QueryResponse", …) */
  expectedKey?: string;
  /** The DocNumber sent, named in a duplicate-doc-number error */
  docNumber?: string;
  now: Date;
}

export interface ResponseFacts {
  status: number;
  body: string;
  intuitTid?: string;
  retryAfter?: string | null;
}

function codeFromErrors(errors: IntuitError[]): ErrorCode | undefined {
  const found = new Set(errors.map((e) => BY_CODE[e.code]).filter((c): c is ErrorCode => c !== undefined));
  return PRIORITY.find((c) => found.has(c));
}

/** The detail text each code's message slot expects (see ERRORS in shared/errors.ts). */
function detailFor(code: ErrorCode, errors: IntuitError[], ctx: CallContext): string {
  const verbatim = describeIntuitErrors(errors);
  if (code === "qbo_duplicate_doc_number") {
    const named = errors.map((e) => /DocNumber=([^\s,;]+)/.exec(`${e.message} ${e.detail}`)?.[1]).find(Boolean);
    return named ?? ctx.docNumber ?? verbatim;
  }
  if (code === "closed_period") {
    const date = errors.map((e) => /\b(\d{4}-\d{2}-\d{2})\b/.exec(`${e.message} ${e.detail}`)?.[1]).find(Boolean);
    return date ?? verbatim;
  }
  return verbatim;
}

/** Builds the error for a response that carried Intuit errors (whole response or one batch item). */
export function errorFromFault(
  fault: { type?: string | undefined; errors: IntuitError[] },
  facts: { status: number; intuitTid?: string; retryAfter?: string | null },
  ctx: CallContext,
): QboError {
  const info: QboFaultInfo = {
    httpStatus: facts.status,
    ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}),
    ...(fault.type ? { faultType: fault.type } : {}),
    errors: fault.errors,
    outcomeUnknown: false,
  };
  let code = codeFromErrors(fault.errors);
  if (!code || facts.status === 429) code = statusCode(facts.status) ?? code;
  if (!code) code = facts.status >= 500 ? "qbo_transient" : "qbo_validation";
  if (code === "qbo_transient") info.outcomeUnknown = ctx.write;
  const extra = code === "qbo_throttled" ? { retryAfterSeconds: retryAfterSeconds(facts.retryAfter, ctx.now) } : {};
  return new QboError(code, detailFor(code, fault.errors, ctx), info, extra);
}

/** What an HTTP status alone says, when the body names no decisive Intuit code. */
function statusCode(status: number): ErrorCode | undefined {
  if (status === 429) return "qbo_throttled";
  if (status === 401) return "qbo_token_expired";
  if (status === 403) return "qbo_forbidden";
  if (status >= 500 || status === 408) return "qbo_transient";
  return undefined;
}

function transient(detail: string, facts: ResponseFacts, ctx: CallContext, cause?: unknown): QboError {
  return new QboError(
    "qbo_transient",
    detail,
    {
      httpStatus: facts.status,
      ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}),
      errors: [],
      outcomeUnknown: ctx.write,
    },
    cause === undefined ? {} : { cause },
  );
}

/**
 * Reads one API answer: the parsed JSON object when it is a success carrying `expectedKey`, else
 * throws the classified QboError.
 */
export function interpretResponse(facts: ResponseFacts, ctx: CallContext): Record<string, unknown> {
  const parsed = parseBody(facts.body);
  const fault =
    parsed.kind === "json" ? faultOfJson(parsed.value) : parsed.kind === "xml" ? faultOfXml(parsed.text) : null;
  if (fault && fault.errors.length > 0) throw errorFromFault(fault, facts, ctx);

  const ok = facts.status >= 200 && facts.status < 300;
  if (ok) {
    if (
      parsed.kind !== "json" ||
      typeof parsed.value !== "object" ||
      parsed.value === null ||
      Array.isArray(parsed.value)
    ) {
      throw transient(
        `unreadable answer (HTTP ${facts.status}, ${parsed.kind === "json" ? "not an object" : parsed.kind})`,
        facts,
        ctx,
      );
    }
    const value = parsed.value as Record<string, unknown>;
    if (ctx.expectedKey && !(ctx.expectedKey in value))
      throw transient(`HTTP ${facts.status} without ${ctx.expectedKey}`, facts, ctx);
    return value;
  }

  const byStatus = statusCode(facts.status);
  if (byStatus) {
    const info: QboFaultInfo = {
      httpStatus: facts.status,
      ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}),
      errors: [],
      outcomeUnknown: byStatus === "qbo_transient" && ctx.write,
    };
    const extra =
      byStatus === "qbo_throttled" ? { retryAfterSeconds: retryAfterSeconds(facts.retryAfter, ctx.now) } : {};
    throw new QboError(byStatus, `HTTP ${facts.status}${parsed.kind === "html" ? " (HTML page)" : ""}`, info, extra);
  }
  if (parsed.kind !== "json") throw transient(`unreadable answer (HTTP ${facts.status}, ${parsed.kind})`, facts, ctx);
  throw new QboError("qbo_validation", `HTTP ${facts.status}: ${facts.body.slice(0, 300)}`, {
    httpStatus: facts.status,
    ...(facts.intuitTid ? { intuitTid: facts.intuitTid } : {}),
    errors: [],
    outcomeUnknown: false,
  });
}

/** A call that got no answer: a timeout or a network failure. */
export function errorFromNoAnswer(cause: unknown, ctx: CallContext & { timedOutAfterMs?: number }): QboError {
  const ms = ctx.timedOutAfterMs;
  const within = ms === undefined ? "" : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  const detail =
    ms !== undefined
      ? `no answer within ${within}`
      : `network error: ${cause instanceof Error ? cause.message : String(cause)}`;
  return new QboError("qbo_transient", detail, { errors: [], outcomeUnknown: ctx.write }, { cause });
}

// --- the token endpoint -----------------------------------------------------------------------

/**
 * Intuit's token endpoint answers OAuth errors (`{"error":"invalid_grant"}`), not Faults.
 * invalid_grant: the refresh token (or code) is dead → reconnect; invalid_client: our app keys
 * are wrong → forbidden; anything unreadable or 5xx → transient.
 */
export function tokenEndpointError(status: number, body: string, now: Date): QboError {
  const parsed = parseBody(body);
  const oauth =
    parsed.kind === "json"
      ? z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(parsed.value)
      : null;
  const info: QboFaultInfo = { httpStatus: status, errors: [], outcomeUnknown: false };
  if (oauth?.success) {
    const words = oauth.data.error_description
      ? `${oauth.data.error}: ${oauth.data.error_description}`
      : oauth.data.error;
    if (oauth.data.error === "invalid_grant") return new QboError("qbo_needs_reconnect", words, info);
    if (oauth.data.error === "invalid_client" || oauth.data.error === "unauthorized_client")
      return new QboError("qbo_forbidden", words, info);
    if (status === 429)
      return new QboError("qbo_throttled", words, info, { retryAfterSeconds: DEFAULT_THROTTLE_WAIT_SECONDS });
    if (status < 500) return new QboError("qbo_validation", words, info);
  }
  if (status === 429)
    return new QboError("qbo_throttled", `token endpoint HTTP 429`, info, {
      retryAfterSeconds: retryAfterSeconds(null, now),
    });
  return new QboError("qbo_transient", `token endpoint HTTP ${status}`, info);
}
