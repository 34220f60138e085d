import { z } from "zod";
import { isReasonKey, reasonWords } from "./i18n/reasons";
import { Lang } from "./i18n/translate";

/**
 * One error vocabulary, from the Worker's HTTP errors and the connectors' faults to the badge a
 * merchant reads. Each code carries its HTTP status and what the engine does about it; the words shown
 * to a person (a title and what to do, in English and French) are in shared/i18n under `error.<code>`.
 */
export const ErrorCode = z.enum([
  // HTTP / API
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "tenant_moving",
  "internal",
  // OAuth and connections
  "oauth_state_invalid",
  "oauth_denied",
  "qbo_not_connected",
  "pos_not_connected",
  "qbo_needs_reconnect",
  "pos_needs_reconnect",
  "qbo_token_expired",
  "webhook_signature_invalid",
  // What blocks a posting until someone fixes something
  "needs_mapping",
  "needs_counted_totals",
  "closed_period",
  "waiting_for",
  "credit_applied",
  "not_live",
  "unsupported_event",
  // POS faults
  "pos_throttled",
  "pos_transient",
  "pos_payload_invalid",
  "pos_not_found",
  "pos_not_read_yet",
  // QBO faults
  "qbo_throttled",
  "qbo_transient",
  "qbo_stale_object",
  "qbo_duplicate_name",
  "qbo_duplicate_doc_number",
  "qbo_invalid_reference",
  "qbo_validation",
  "qbo_subscription_lapsed",
  "qbo_forbidden",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What the sync engine does when a posting meets this error. Decided once, here. */
export type Decision =
  | "refresh_then_retry" // refresh the access token, retry once
  | "wait_then_retry" // throttled: wait for the window, then retry
  | "backoff" // transient: exponential backoff with jitter, capped
  | "after_fix" // blocked: retried by itself when the mapping/connection/data is fixed
  | "person" // rejected: needs a person; reason kept verbatim
  | "none"; // an API answer, not a sync outcome

/** The sync state an item lands in for this error (see shared/sync.ts). */
export type FailureState = "blocked" | "failed" | "rejected";

interface CodeInfo {
  status: number;
  decision: Decision;
  state?: FailureState;
  /** Where in the options page the fix lives (an anchor), if anywhere. */
  fixAt?: "setup" | "connections" | "mappings" | "closures" | "audit";
}

/** Each code's HTTP status and handling; its words are `error.<code>.title` / `.action` in shared/i18n. */
export const ERRORS: Record<ErrorCode, CodeInfo> = {
  bad_request: { status: 400, decision: "none" },
  unauthorized: { status: 401, decision: "none", fixAt: "connections" },
  forbidden: { status: 403, decision: "none" },
  not_found: { status: 404, decision: "none" },
  conflict: { status: 409, decision: "none" },
  payload_too_large: { status: 413, decision: "none" },
  unsupported_media_type: { status: 415, decision: "none" },
  rate_limited: { status: 429, decision: "none" },
  tenant_moving: { status: 503, decision: "none" },
  internal: { status: 500, decision: "backoff", state: "failed" },
  oauth_state_invalid: { status: 400, decision: "none", fixAt: "connections" },
  oauth_denied: { status: 400, decision: "none", fixAt: "connections" },
  qbo_not_connected: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
  pos_not_connected: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
  qbo_needs_reconnect: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
  pos_needs_reconnect: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
  qbo_token_expired: { status: 401, decision: "refresh_then_retry", state: "failed" },
  webhook_signature_invalid: { status: 401, decision: "none" },
  needs_mapping: { status: 409, decision: "after_fix", state: "blocked", fixAt: "mappings" },
  needs_counted_totals: { status: 409, decision: "after_fix", state: "blocked", fixAt: "closures" },
  closed_period: { status: 409, decision: "after_fix", state: "blocked", fixAt: "closures" },
  waiting_for: { status: 409, decision: "after_fix", state: "blocked" },
  /** A re-send refused: a credit on account Tillbridge applied links the document it would replace */
  credit_applied: { status: 409, decision: "none" },
  not_live: { status: 409, decision: "after_fix", state: "blocked", fixAt: "setup" },
  unsupported_event: { status: 422, decision: "person", state: "rejected" },
  pos_throttled: { status: 503, decision: "wait_then_retry", state: "failed" },
  pos_transient: { status: 502, decision: "backoff", state: "failed" },
  pos_payload_invalid: { status: 422, decision: "person", state: "rejected" },
  pos_not_found: { status: 404, decision: "person", state: "rejected" },
  /** Tillbridge has not read it from the POS yet (a closure still open, or not announced yet): an answer, not an outcome */
  pos_not_read_yet: { status: 404, decision: "none" },
  qbo_throttled: { status: 503, decision: "wait_then_retry", state: "failed" },
  qbo_transient: { status: 502, decision: "backoff", state: "failed" },
  qbo_stale_object: { status: 409, decision: "backoff", state: "failed" },
  qbo_duplicate_name: { status: 409, decision: "person", state: "rejected" },
  qbo_duplicate_doc_number: { status: 409, decision: "backoff", state: "failed" },
  qbo_invalid_reference: { status: 409, decision: "after_fix", state: "blocked", fixAt: "mappings" },
  qbo_validation: { status: 422, decision: "person", state: "rejected" },
  qbo_subscription_lapsed: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
  qbo_forbidden: { status: 409, decision: "after_fix", state: "blocked", fixAt: "connections" },
};

export { Lang };

/** A QBO thing a mapping names. */
export const QboThing = z.enum(["account", "item", "taxCode", "class", "location", "customer"]);
export type QboThing = z.infer<typeof QboThing>;

const Text = z.string().max(500);

/** What is wrong with the QBO thing a mapping names (worker/mappings/validate.ts; the ledger's checks). */
export const Problem = z.discriminatedUnion("kind", [
  /** The id names nothing in the company (deleted, or another company's) */
  z.object({ kind: z.literal("gone"), entity: QboThing, id: Text }),
  z.object({ kind: z.literal("inactive"), entity: QboThing, qboName: Text }),
  /** An account or item of a type the postings cannot use; `allowed` are QBO's type names */
  z.object({
    kind: z.literal("wrong_type"),
    entity: z.enum(["account", "item"]),
    qboName: Text,
    type: Text,
    allowed: z.array(Text).max(20),
  }),
  z.object({ kind: z.literal("no_income_account"), qboName: Text }),
  /** A tax code mapped where no tax may be charged, whose rates charge some */
  z.object({ kind: z.literal("charges_tax"), qboName: Text }),
  /** A liability service whose income account is not the mapped liability account (`account`, a catalog path) */
  z.object({ kind: z.literal("posts_elsewhere"), qboName: Text, postsTo: Text, account: Text, accountName: Text }),
]);
export type Problem = z.infer<typeof Problem>;

/**
 * What a reason is about, as data each language turns into its own sentence: the mapping (a catalog
 * path such as "items.rounding", or a per-POS-object family such as "paymentTypes" with the POS
 * object's name, "Afterpay") and, when it is mapped but unusable, what is wrong with it.
 */
export const About = z.object({
  thing: z.string().min(1).max(100),
  name: Text.optional(),
  /** The POS object is deleted (a deleted payment type still on old sales) */
  deleted: z.boolean().optional(),
  problem: Problem.optional(),
});
export type About = z.infer<typeof About>;

/** The error body every Worker route answers with, and the reason a badge shows. */
export const ApiError = z.object({
  error: z.object({
    code: ErrorCode,
    /** Plain-language message (in the request's language) */
    message: z.string(),
    /** What the person should do */
    action: z.string(),
    /** Machine detail: field names, the verbatim QBO message, ids; in English what `about` says, when set */
    detail: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional(),
    /** What the error is about, for a client to word in its own language */
    about: z.array(About).max(1000).optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** A QBO type name in one language ("Other Current Asset" → "Autres actifs à court terme"). */
function typeName(name: string, lang: Lang): string {
  const key = `qbo.type.${name}`;
  return isReasonKey(key) ? reasonWords(lang)(key) : name;
}

/** A mapped QBO thing's problem in one language: "QBO account 'Petty cash' is inactive". */
export function problemText(p: Problem, lang: Lang): string {
  const t = reasonWords(lang);
  switch (p.kind) {
    case "gone":
      return t(`problem.gone.${p.entity}`, { id: p.id });
    case "inactive":
      return t(`problem.inactive.${p.entity}`, { name: p.qboName });
    case "wrong_type":
      return t(`problem.wrongType.${p.entity}`, {
        name: p.qboName,
        type: typeName(p.type, lang),
        allowed: p.allowed.map((x) => typeName(x, lang)).join(t("list.or")),
      });
    case "no_income_account":
      return t("problem.noIncomeAccount", { name: p.qboName });
    case "charges_tax":
      return t("problem.chargesTax", { name: p.qboName });
    case "posts_elsewhere":
      return t("problem.postsElsewhere", {
        name: p.qboName,
        postsTo: p.postsTo,
        account: aboutText({ thing: p.account }, lang),
        accountName: p.accountName,
      });
  }
}

/** What a reason is about, in one language: "payment type 'Afterpay'", "the rounding item: …". */
export function aboutText(a: About, lang: Lang): string {
  const t = reasonWords(lang);
  const key = `mapping.${a.thing}.${a.deleted ? "thingDeleted" : "thing"}`;
  const thing = isReasonKey(key) ? t(key, { name: a.name ?? "" }) : (a.name ?? a.thing);
  return a.problem ? t("about.problem", { thing, problem: problemText(a.problem, lang) }) : thing;
}

/** Several things in one language, the first few named. */
export function aboutList(about: readonly About[], lang: Lang, most = 5): string {
  const t = reasonWords(lang);
  const shown = about.slice(0, most).map((a) => aboutText(a, lang));
  if (about.length > most) shown.push(t("list.more", { n: about.length - most }));
  return shown.join(t("list.separator"));
}

/**
 * An error's words in one language. `about`, when given, is worded in that language in place of
 * `detail` (which holds the English words, for clients and stored rows that carry no `about`).
 */
export function describeError(
  code: ErrorCode,
  detail: string | undefined,
  lang: Lang = "en",
  about?: readonly About[],
) {
  const t = reasonWords(lang);
  const filled = about?.length ? aboutList(about, lang) : (detail ?? "");
  return {
    message: t(`error.${code}.title`, { detail: filled })
      .replace(/\s*\(\)/, "")
      .replace(/:\s*$/, ""),
    action: t(`error.${code}.action`, { detail: filled }),
    fixAt: ERRORS[code].fixAt,
  };
}

/**
 * The one error class. Thrown by routes, connectors and the engine; turned into an ApiError body by
 * the Worker's single onError, and into a badge reason by the sync engine.
 */
export class TillbridgeError extends Error {
  override name = "TillbridgeError";
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: {
      fields?: Record<string, string>;
      retryAfterSeconds?: number;
      /** The mapping whose fix heals this (needs_mapping, qbo_invalid_reference), e.g. "paymentTypes.<id>" */
      mappingKey?: string;
      /** What it is about, worded by each language (`detail` then holds the English words) */
      about?: About[];
      /** A write whose outcome is unknown (timeout, 5xx): look the document up before sending again */
      unknownOutcome?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(`${code}${detail ? `: ${detail}` : ""}`);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
  get decision(): Decision {
    return ERRORS[this.code].decision;
  }
}
