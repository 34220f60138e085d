import type { ComponentChildren } from "preact";
import type { ObjectRef, ObjectStatus, PostedDoc } from "../../shared/sync";
import type { Entry } from "../content/status-store";
import type { MessageKey } from "../i18n";
import type { ErrorBody, Section } from "../messaging";
import { type ChipView, dayText, openDayOf, type RowActivity, type ViewContext } from "./badge-view";
import { reasonView, whenText } from "./reason";

/**
 * A badge's details, opened from its chip on click or Enter/Space (issue 17.4): the state in a
 * sentence, every posted document linked, the reason in plain words with what to do, QBO's raw text
 * under "Details", and the actions — retry, fix in settings, post on the first open day (confirmed
 * first), backfill from a grey row's date, send again. A non-modal dialog: Escape or × closes it and
 * focus goes back to the chip (the board does that).
 */

export interface PopoverActions {
  close(): void;
  retry(): void;
  /** Asks the Worker for the state at once (a fix made in QBO, instead of waiting for the next look) */
  check(): void;
  send(): void;
  resolve(): void;
  /** Shows (true) or withdraws (false) the question before posting on the first open day */
  ask(asking: boolean): void;
  fix(section: Section): void;
  backfill(date: string | undefined): void;
}

export interface PopoverProps {
  titleId: string;
  view: ChipView;
  entry: Entry | undefined;
  activity: RowActivity;
  row: { object: ObjectRef; who?: string | undefined; date?: string | undefined };
  vc: ViewContext;
  on: PopoverActions;
}

const TITLES: Partial<Record<string, MessageKey>> = {
  posted: "badge.posted",
  not_applicable: "badge.notApplicable",
  unknown: "badge.unknown",
  ready: "badge.ready",
  posting: "badge.posting",
  failed: "badge.failed",
  blocked: "badge.blocked",
  rejected: "chip.needsAttention",
  error: "badge.error",
  signed_out: "badge.signIn",
  send_failed: "chip.notSent",
};

function title(view: ChipView, entry: Entry | undefined, vc: ViewContext): string {
  const state = view.state === "retrying" && entry && "status" in entry ? entry.status.state : view.state;
  const key = TITLES[state];
  return key ? vc.t(key) : view.label;
}

/** The day after a books closing date (YYYY-MM-DD), as the Worker computes the first open day. */
export function dayAfter(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function Details({ text, t }: { text: string | undefined; t: ViewContext["t"] }) {
  if (!text) return null;
  return (
    <details data-testid="tillbridge-details">
      <summary>{t("pop.details")}</summary>
      <pre>{text}</pre>
    </details>
  );
}

function Notes({ notes }: { notes: string[] | undefined }) {
  return (
    <>
      {(notes ?? []).map((n) => (
        <p class="tb-note" data-testid="tillbridge-note">
          {n}
        </p>
      ))}
    </>
  );
}

function docName(d: PostedDoc, t: ViewContext["t"]): string {
  return `${t(`doc.${d.entity}` as MessageKey)} ${d.docNumber ?? d.id}`;
}

function Posted({ s, activity, vc }: { s: ObjectStatus; activity: RowActivity; vc: ViewContext }) {
  const { t } = vc;
  const day = openDayOf(s, activity);
  return (
    <>
      {day ? <p data-testid="tillbridge-open-day">{t("pop.openDay", { date: dayText(day, vc.lang) })}</p> : null}
      {s.docs.length ? <p>{t("pop.documents")}</p> : null}
      {s.docs.length ? (
        <ul>
          {s.docs.map((d) => (
            <li>
              {d.url ? (
                <a data-testid="tillbridge-view" href={d.url} target="_blank" rel="noopener noreferrer">
                  {docName(d, t)}
                  <span class="tb-sr"> ({t("pop.newTab")})</span>
                </a>
              ) : (
                docName(d, t)
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <Notes notes={s.notes} />
    </>
  );
}

function OpenPeriod({
  closedOn,
  asking,
  busy,
  vc,
  on,
}: {
  closedOn?: string | undefined;
  asking: boolean;
  busy: boolean;
  vc: ViewContext;
  on: PopoverActions;
}) {
  const { t } = vc;
  const day = closedOn ? dayAfter(closedOn) : undefined;
  if (!asking)
    return (
      <button type="button" class="tb-btn" data-testid="tillbridge-open-period" onClick={() => on.ask(true)}>
        {t("pop.openPeriodAsk")}
      </button>
    );
  return (
    <div data-testid="tillbridge-open-period-question">
      <p>{day ? t("pop.openPeriodConfirm", { date: dayText(day, vc.lang) }) : t("badge.openPeriodHint")}</p>
      <div class="tb-actions">
        <button
          type="button"
          class="tb-btn"
          aria-disabled={busy ? "true" : undefined}
          data-testid="tillbridge-open-period-confirm"
          onClick={on.resolve}
        >
          {day ? t("pop.openPeriodYes", { date: dayText(day, vc.lang) }) : t("badge.postInOpenPeriod")}
        </button>
        <button type="button" class="tb-link" data-testid="tillbridge-open-period-cancel" onClick={() => on.ask(false)}>
          {t("pop.cancel")}
        </button>
      </div>
    </div>
  );
}

function Reason({
  s,
  activity,
  vc,
  on,
}: {
  s: ObjectStatus;
  activity: RowActivity;
  vc: ViewContext;
  on: PopoverActions;
}) {
  const busy = !!activity.busy;
  const { t, lang } = vc;
  const r = s.reason
    ? reasonView(s.reason, lang, t)
    : { message: t(s.state === "failed" ? "badge.failed" : "badge.blocked"), action: "" };
  const closed = s.reason?.code === "closed_period";
  return (
    <>
      <p data-testid="tillbridge-reason">{r.message}</p>
      {r.action ? <p class="tb-sub">{r.action}</p> : null}
      {s.state === "failed" ? <p>{t("pop.retryLater", { when: whenText(s.nextTryAt, t) })}</p> : null}
      <div class="tb-actions">
        {closed ? (
          <OpenPeriod closedOn={s.reason?.detail} asking={!!activity.asking} busy={busy} vc={vc} on={on} />
        ) : (
          <button
            type="button"
            class="tb-btn"
            aria-disabled={busy ? "true" : undefined}
            data-testid="tillbridge-retry"
            onClick={on.retry}
          >
            {busy ? t("badge.retrying") : t("pop.retry")}
          </button>
        )}
        {s.state === "rejected" ? null : (
          <button
            type="button"
            class="tb-link"
            aria-disabled={busy ? "true" : undefined}
            data-testid="tillbridge-check"
            onClick={on.check}
          >
            {activity.busy === "checking" ? t("pop.checking") : t("pop.check")}
          </button>
        )}
        {!closed && "fixAt" in r && r.fixAt ? (
          <button
            type="button"
            class="tb-link"
            data-testid="tillbridge-fix"
            data-section={r.fixAt}
            onClick={() => r.fixAt && on.fix(r.fixAt)}
          >
            {t("badge.fixIt")}
          </button>
        ) : null}
      </div>
      {activity.checked ? (
        <p class="tb-sub" data-testid="tillbridge-checked">
          {t("pop.checked")}
        </p>
      ) : null}
      <Details text={"details" in r ? r.details : undefined} t={t} />
      <Notes notes={s.notes} />
    </>
  );
}

function Failure({ error, vc, children }: { error: ErrorBody; vc: ViewContext; children?: ComponentChildren }) {
  const r = reasonView(error, vc.lang, vc.t);
  return (
    <>
      <p data-testid="tillbridge-send-error">{r.message}</p>
      {r.action ? <p class="tb-sub">{r.action}</p> : null}
      {children}
      <Details text={r.details} t={vc.t} />
    </>
  );
}

function Body(props: PopoverProps) {
  const { view, entry, activity, row, vc, on } = props;
  const { t } = vc;
  const busy = !!activity.busy;
  if (view.state === "signed_out")
    return (
      <>
        <p>{t("pop.signIn")}</p>
        <div class="tb-actions">
          <button type="button" class="tb-btn" data-testid="tillbridge-fix" onClick={() => on.fix("connections")}>
            {t("pop.openSettings")}
          </button>
        </div>
      </>
    );
  if (activity.sendError && !busy)
    return (
      <Failure error={activity.sendError} vc={vc}>
        <div class="tb-actions">
          <button type="button" class="tb-btn" data-testid="tillbridge-send" onClick={on.send}>
            {t("pop.sendAgain")}
          </button>
        </div>
      </Failure>
    );
  if (!entry || "loading" in entry) return <p>{t("chip.loading")}</p>;
  if ("error" in entry) return <Failure error={entry.error} vc={vc} />;
  const s = entry.status;
  switch (s.state) {
    case "posted":
    case "not_applicable":
      return <Posted s={s} activity={activity} vc={vc} />;
    case "ready":
      return <p>{t("pop.ready")}</p>;
    case "posting":
      return <p>{t("pop.posting")}</p>;
    case "failed":
    case "blocked":
    case "rejected":
      return <Reason s={s} activity={activity} vc={vc} on={on} />;
    default:
      return (
        <>
          <p>{t("pop.unknown")}</p>
          <div class="tb-actions">
            <button
              type="button"
              class="tb-btn"
              data-testid="tillbridge-backfill"
              onClick={() => on.backfill(row.date)}
            >
              {t("pop.backfill")}
            </button>
          </div>
        </>
      );
  }
}

export function Popover(props: PopoverProps) {
  const { titleId, view, entry, row, vc, on, activity } = props;
  const who = row.who ? row.who.charAt(0).toUpperCase() + row.who.slice(1) : "";
  return (
    <>
      <button
        type="button"
        class="tb-x"
        aria-label={vc.t("pop.close")}
        data-testid="tillbridge-close"
        onClick={on.close}
      >
        ×
      </button>
      <p class="tb-title" id={titleId} tabIndex={-1} data-testid="tillbridge-pop-title">
        {title(view, entry, vc)}
      </p>
      {who || row.date ? (
        <p class="tb-sub">{[who, row.date ? dayText(row.date, vc.lang) : ""].filter(Boolean).join(" · ")}</p>
      ) : null}
      <Body {...props} />
      {activity.actionError ? (
        <p class="tb-error" data-testid="tillbridge-error">
          {reasonView(activity.actionError, vc.lang, vc.t).message}
        </p>
      ) : null}
    </>
  );
}
