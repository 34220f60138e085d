import { aboutList, describeError, type ErrorCode, type Lang } from "../../shared/errors";
import type { ObjectStatus } from "../../shared/sync";
import type { MessageKey, Translate } from "../i18n";
import type { ErrorBody, Section } from "../messaging";

const SECTIONS: readonly string[] = [
  "setup",
  "connections",
  "mappings",
  "closures",
  "audit",
  "backfill",
] satisfies Section[];

/**
 * A failed object's reason in the page's language (shared/errors.ts words), with where to fix it.
 * What it is about (`about`) is worded in that language when the Worker sent it; else its `detail`.
 */
export function reasonWords(
  reason: NonNullable<ObjectStatus["reason"]> | ErrorBody,
  lang: Lang,
): { message: string; action: string; fixAt?: Section } {
  const words = describeError(reason.code, reason.detail, lang, reason.about);
  const raw = ("fixAt" in reason ? reason.fixAt : undefined) ?? words.fixAt;
  const section = raw?.split(/[#./]/)[0];
  return {
    message: words.message || reason.message,
    action: words.action || reason.action,
    ...(section && SECTIONS.includes(section) ? { fixAt: section as Section } : {}),
  };
}

/** "in 40 s", "in 3 min" */
export function whenText(iso: string | undefined, t: Translate, now = Date.now()): string {
  if (!iso) return t("when.later");
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return t("when.later");
  if (ms <= 1_000) return t("when.now");
  if (ms < 90_000) return t("when.inSeconds", { n: Math.ceil(ms / 1000) });
  return t("when.inMinutes", { n: Math.ceil(ms / 60_000) });
}

// --- the badge popover's words (issue 17.4): plain words first, raw text only under "details" ---

type ReasonLike = (NonNullable<ObjectStatus["reason"]> | ErrorBody) & {
  /** Structured details (shared/errors.ts is gaining them): the POS or QBO thing's own name */
  name?: string;
};

/** Details that read the same in every language: a date, a document number, a name, a reference. */
const NEUTRAL: ReadonlySet<ErrorCode> = new Set([
  "closed_period",
  "qbo_duplicate_doc_number",
  "qbo_duplicate_name",
  "internal",
  "unsupported_media_type",
]);
/** Details Tillbridge writes itself, naming what is meant ("payment type 'Afterpay'"), in English. */
const PROSE: ReadonlySet<ErrorCode> = new Set([
  "needs_mapping",
  "qbo_invalid_reference",
  "waiting_for",
  "unsupported_event",
]);
/** The words a sentence takes where its detail is left out and the detail was its subject or object. */
const STAND_IN: Partial<Record<ErrorCode, MessageKey>> = {
  needs_mapping: "reason.something",
  waiting_for: "reason.dependency",
};

/** QBO's own words as describeIntuitErrors keeps them: "Message: Detail [code]" (an Intuit code in brackets). */
const looksLikeQbo = (detail: string) => /\[[\w-]{1,12}\](?:\s*\([^)]*\))?\s*(?:;|$)/.test(detail);

/** The part of a detail the primary message may carry in `lang`, or undefined when none may. */
function messageDetail(reason: ReasonLike, lang: Lang): string | undefined {
  const { code, detail } = reason;
  // what the Worker says it is about, as data: whole words of `lang` ("le mode de paiement « Afterpay »")
  if ("about" in reason && reason.about?.length) return aboutList(reason.about, lang);
  if (reason.name) return lang === "fr" ? `« ${reason.name} »` : `'${reason.name}'`;
  if (!detail) return undefined;
  if (NEUTRAL.has(code)) return detail;
  if (!PROSE.has(code) || looksLikeQbo(detail)) return undefined;
  if (lang === "en") return detail;
  // A French page never carries Tillbridge's English phrasing: only the names quoted in it.
  const names = [...detail.matchAll(/'([^'\n]{1,80})'/g)].map((m) => `« ${m[1]} »`);
  return names.length ? names.join(", ") : undefined;
}

export interface ReasonView {
  /** What happened, in plain words of the page's language */
  message: string;
  /** What to do */
  action: string;
  /** The raw text (QBO's own words, Tillbridge's English detail) when the message does not carry it whole */
  details?: string;
  fixAt?: Section;
}

/**
 * A reason as the badge's popover shows it, from the error code and its details (never from the
 * server's pre-rendered message, which embeds the detail in one language): QBO's raw fault text and
 * English details go under "details" only, so "Invalid Reference Id … [2500]" reads as "Something
 * mapped is inactive or deleted in QuickBooks Online" and a French page stays French.
 */
export function reasonView(reason: ReasonLike, lang: Lang, t: Translate): ReasonView {
  const shown = messageDetail(reason, lang);
  const standIn = STAND_IN[reason.code];
  const words = describeError(reason.code, shown ?? (standIn ? t(standIn) : undefined), lang);
  const where = reasonWords(reason, lang).fixAt;
  const text = words.message.replace(/[\s:]+$/, ""); // French puts a space before the colon left dangling
  const message = text.charAt(0).toUpperCase() + text.slice(1);
  return {
    message: /[.!?…]$/.test(message) ? message : `${message}.`,
    action: words.action,
    ...(reason.detail && shown !== reason.detail ? { details: reason.detail } : {}),
    ...(where ? { fixAt: where } : {}),
  };
}
