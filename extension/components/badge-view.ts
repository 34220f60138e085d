import type { Lang } from "../../shared/errors";
import { badgeTone, type BadgeTone, type ObjectStatus } from "../../shared/sync";
import type { Entry } from "../content/status-store";
import type { MessageKey, Translate } from "../i18n";
import type { ErrorBody } from "../messaging";
import { reasonView, whenText } from "./reason";

/**
 * What a row's control shows: a few words and a tone, never a reason (that is the popover's). Pure,
 * so the chip (plain DOM, painted hundreds of times a page) and the tests read the same thing.
 */
export interface ChipView {
  /** data-state: the sync state, or what the extension itself is doing */
  state: string;
  tone: BadgeTone;
  label: string;
  spinning: boolean;
  /** "send": the purchase order's Send button; "chip": a status that opens the popover */
  control: "chip" | "send";
}

/** What the page knows of one row besides its status: what the person is doing with it. */
export interface RowActivity {
  /** A send, retry, choice or "check now" in flight */
  busy?: "sending" | "retrying" | "resolving" | "checking" | undefined;
  /** The last "check now" found the same state (the popover says so) */
  checked?: boolean | undefined;
  /** The last send failed before the Worker took it (the popover says why) */
  sendError?: ErrorBody | undefined;
  /** A retry or choice that failed (the popover says why) */
  actionError?: ErrorBody | undefined;
  /** The popover asks whether to post on the first open day */
  asking?: boolean | undefined;
  /** The first open day a person just chose (before the status carries it) */
  openDay?: string | undefined;
}

export interface ViewContext {
  t: Translate;
  lang: Lang;
  signedIn: boolean;
  /** Purchase orders are sent by a click: unknown means "not sent yet, send it" */
  sendable: boolean;
}

const BLOCKED_WORDS: Partial<Record<string, MessageKey>> = {
  closed_period: "chip.booksClosed",
  waiting_for: "chip.waiting",
  not_live: "chip.notLive",
  needs_counted_totals: "chip.needsCounted",
};

/** "Oct 2, 2026" / "2 oct. 2026" from YYYY-MM-DD, read as a calendar day (no time zone shift). */
export function dayText(date: string, lang: Lang): string {
  const at = Date.parse(`${date.slice(0, 10)}T12:00:00Z`);
  if (!Number.isFinite(at)) return date;
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(at);
}

export const openDayOf = (s: ObjectStatus, activity: RowActivity): string | undefined => s.openDay ?? activity.openDay;

function statusChip(s: ObjectStatus, activity: RowActivity, vc: ViewContext): ChipView {
  const { t } = vc;
  const tone = badgeTone(s.state);
  const chip = (label: string, spinning = false): ChipView => ({
    state: s.state,
    tone,
    label,
    spinning,
    control: "chip",
  });
  switch (s.state) {
    case "posted": {
      const day = openDayOf(s, activity);
      return chip(day ? t("chip.postedOn", { date: dayText(day, vc.lang) }) : t("badge.posted"));
    }
    case "not_applicable":
      return chip(t("badge.notApplicable"));
    case "ready":
      return chip(t("chip.ready"), true);
    case "posting":
      return chip(t("chip.posting"), true);
    case "failed":
      return chip(t("badge.failedRetrySoon", { when: whenText(s.nextTryAt, t) }));
    case "blocked": {
      const key = (s.reason && BLOCKED_WORDS[s.reason.code]) ?? "chip.needsFix";
      return chip(t(key));
    }
    case "rejected":
      return chip(t("chip.needsAttention"));
    default:
      return vc.sendable
        ? { state: "unknown", tone: "grey", label: t("po.send"), spinning: false, control: "send" }
        : chip(t("chip.unknown"));
  }
}

/** The row control's view from the store's entry and what the person is doing. */
export function chipView(entry: Entry | undefined, activity: RowActivity, vc: ViewContext): ChipView {
  const { t } = vc;
  if (activity.busy === "sending")
    return { state: "sending", tone: "grey", label: t("po.sending"), spinning: true, control: "send" };
  if (activity.busy && activity.busy !== "checking")
    return { state: "retrying", tone: "grey", label: t("badge.retrying"), spinning: true, control: "chip" };
  if (!vc.signedIn || (entry && "error" in entry && entry.error.code === "unauthorized"))
    return { state: "signed_out", tone: "grey", label: t("chip.signIn"), spinning: false, control: "chip" };
  if (activity.sendError)
    return { state: "send_failed", tone: "red", label: t("chip.notSent"), spinning: false, control: "chip" };
  if (!entry || "loading" in entry)
    return { state: "loading", tone: "grey", label: t("chip.loading"), spinning: true, control: "chip" };
  if ("error" in entry)
    return { state: "error", tone: "grey", label: t("chip.unavailable"), spinning: false, control: "chip" };
  const view = statusChip(entry.status, activity, vc);
  // asking again keeps the row's words and tone: only the spinner says it is being checked
  return activity.busy === "checking" ? { ...view, spinning: true } : view;
}

/**
 * What the live region says when a row's state changes (issue 17.5): "Posted", "Queued",
 * "Failed: …". Nothing for states nobody needs to hear about (unknown, loading).
 */
export function liveWords(s: ObjectStatus, vc: Pick<ViewContext, "t" | "lang">): string | null {
  const { t } = vc;
  const reason = () => (s.reason ? reasonView(s.reason, vc.lang, t).message : "");
  switch (s.state) {
    case "ready":
      return t("live.queued");
    case "posting":
      return t("live.sending");
    case "posted":
      return t("live.posted");
    case "not_applicable":
      return t("live.nothing");
    case "failed":
      return t("live.failed", { reason: reason() || t("badge.failed") });
    case "blocked":
    case "rejected":
      return t("live.needsFix", { reason: reason() || t("badge.blocked") });
    default:
      return null;
  }
}
