import { useEffect, useRef, useState } from "preact/hooks";
import { badgeTone, type ObjectRef, type ObjectStatus } from "../../shared/sync";
import type { Entry } from "../content/status-store";
import type { FeatureContext } from "../features/feature";
import { QboLogo, Spinner } from "./Logo";
import { reasonWords, whenText } from "./reason";

/** The entry for one object, kept current from the page's status store. */
export function useEntry(ctx: FeatureContext, object: ObjectRef): Entry | undefined {
  const [entry, setEntry] = useState<Entry | undefined>(() => ctx.status.get(object));
  useEffect(() => ctx.status.subscribe(object, setEntry), [ctx, object.kind, object.posId]);
  return entry;
}

function docLabel(s: ObjectStatus): { url?: string | undefined; label: string } {
  const doc = s.docs.find((d) => d.url) ?? s.docs[0];
  return { url: doc?.url, label: doc ? `${doc.entity} ${doc.docNumber ?? doc.id}` : "" };
}

/**
 * The sync badge (SPEC §1.7): green = in QBO (links to the document); grey = pending or sending
 * (spinner) or a transient failure retried by itself; red = blocked or rejected, with the reason in
 * plain words, what to do, a link to the settings section that fixes it, and a click to retry now.
 */
export function Badge({ ctx, object, compact = true }: { ctx: FeatureContext; object: ObjectRef; compact?: boolean }) {
  const entry = useEntry(ctx, object);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const { t, lang } = ctx;

  const act = (call: () => Promise<ObjectStatus>) => async (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    if (inFlight.current) return;
    inFlight.current = true;
    setRetrying(true);
    setRetryError(null);
    try {
      ctx.status.set(await call());
    } catch (err) {
      const body = (err as { body?: { code: never; detail?: string; message: string; action: string } }).body;
      setRetryError(body ? reasonWords(body, lang).message : String(err));
    } finally {
      inFlight.current = false;
      setRetrying(false);
    }
  };
  const retry = act(() => ctx.retry(object));
  // the books are closed on the item's date: the person may choose to date it the first open day
  const postInOpenPeriod = act(() => ctx.resolve(object, "post_in_open_period"));
  const fix = (section: Parameters<FeatureContext["openOptions"]>[0]) => (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    ctx.openOptions(section);
  };
  const attrs = (state: string, tone: string) => ({
    "data-testid": "tillbridge-badge",
    "data-state": state,
    "data-tone": tone,
    "data-object": `${object.kind}:${object.posId}`,
  });

  if (!ctx.signedIn || (entry && "error" in entry && entry.error.code === "unauthorized")) {
    return (
      <span class="tb tb-grey" {...attrs("signed_out", "grey")}>
        <button
          type="button"
          class="tb-main"
          data-testid="tillbridge-fix"
          onClick={fix("connections")}
          title={t("badge.signIn")}
        >
          <QboLogo tone="grey" />
          {t("badge.signIn")}
        </button>
      </span>
    );
  }
  if (!entry || "loading" in entry || retrying) {
    return (
      <span class="tb tb-grey" {...attrs(retrying ? "retrying" : "loading", "grey")}>
        <span class="tb-main">
          <Spinner />
          {retrying ? t("badge.retrying") : ""}
        </span>
      </span>
    );
  }
  if ("error" in entry) {
    const words = reasonWords(entry.error, lang);
    return (
      <span class="tb tb-grey" {...attrs("error", "grey")} title={`${words.message} ${words.action}`}>
        <span class="tb-main">
          <QboLogo tone="grey" />
          {t("badge.error")}
        </span>
      </span>
    );
  }

  const s = entry.status;
  const tone = badgeTone(s.state);
  const notes = (s.notes ?? []).map((n) => (
    <span class="tb-note" data-testid="tillbridge-note">
      {n}
    </span>
  ));

  if (s.state === "posted" || s.state === "not_applicable") {
    const doc = docLabel(s);
    const title =
      s.state === "posted"
        ? t("badge.view", { entity: doc.label.split(" ")[0] ?? "", doc: doc.label.split(" ").slice(1).join(" ") })
        : t("badge.notApplicable");
    return (
      <span class={`tb tb-${tone}`} {...attrs(s.state, tone)}>
        {doc.url ? (
          <a
            class="tb-main"
            href={doc.url}
            target="_blank"
            rel="noopener noreferrer"
            title={title}
            data-testid="tillbridge-view"
            onClick={(e) => e.stopPropagation()}
          >
            <QboLogo tone="green" />
            {compact ? t("badge.posted") : `${t("badge.posted")} · ${doc.label}`}
          </a>
        ) : (
          <span class="tb-main" title={title}>
            <QboLogo tone="green" />
            {s.state === "posted" ? t("badge.posted") : t("badge.notApplicable")}
          </span>
        )}
        {notes}
      </span>
    );
  }

  if (s.state === "blocked" || s.state === "rejected" || s.state === "failed") {
    const words = s.reason
      ? reasonWords(s.reason, lang)
      : {
          message: t(
            s.state === "failed" ? "badge.failed" : s.state === "blocked" ? "badge.blocked" : "badge.rejected",
          ),
          action: "",
        };
    const label = s.state === "failed" ? t("badge.failedRetrySoon", { when: whenText(s.nextTryAt, t) }) : words.message;
    return (
      <span class={`tb tb-${tone}`} {...attrs(s.state, tone)}>
        <button
          type="button"
          class="tb-main"
          data-testid="tillbridge-retry"
          onClick={retry}
          title={`${words.message} ${words.action} — ${t("badge.clickToRetry")}`}
        >
          <QboLogo tone={tone} />
          {label}
        </button>
        {!compact || tone === "red" ? <span class="tb-action">{words.action}</span> : null}
        {s.reason?.code === "closed_period" ? (
          <button
            type="button"
            class="tb-link"
            data-testid="tillbridge-open-period"
            onClick={postInOpenPeriod}
            title={t("badge.openPeriodHint")}
          >
            {t("badge.postInOpenPeriod")}
          </button>
        ) : tone === "red" && "fixAt" in words && words.fixAt ? (
          <button
            type="button"
            class="tb-link"
            data-testid="tillbridge-fix"
            data-section={words.fixAt}
            onClick={fix(words.fixAt)}
          >
            {t("badge.fixIt")}
          </button>
        ) : null}
        {retryError ? <span class="tb-error">{retryError}</span> : null}
        {notes}
      </span>
    );
  }

  // unknown, ready, posting
  const text = s.state === "posting" ? t("badge.posting") : s.state === "ready" ? t("badge.ready") : t("badge.unknown");
  return (
    <span class={`tb tb-${tone}`} {...attrs(s.state, tone)}>
      <span class="tb-main" title={text}>
        {s.state === "unknown" ? <QboLogo tone="grey" /> : <Spinner />}
        {text}
      </span>
      {notes}
    </span>
  );
}
