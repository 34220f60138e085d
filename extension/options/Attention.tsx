import { useEffect, useRef, useState } from "preact/hooks";
import type { AttentionItem, AttentionResponse } from "../../shared/api";
import { callApi } from "../ask";
import { errorText, localTime, objectName, useUi } from "./context";
import { useSettingsChanged } from "./live";

const SECTION_OF_FIX: Record<
  string,
  "nav.setup" | "nav.mappings" | "nav.connections" | "nav.backfill" | "nav.closures"
> = {
  setup: "nav.setup",
  mappings: "nav.mappings",
  connections: "nav.connections",
  backfill: "nav.backfill",
  closures: "nav.closures",
};

/**
 * "Needs attention": every object that will not post without someone, its reason in plain words,
 * what to do, where it is in the back office and in QBO, and retry (one or all). Results are
 * announced in a live region; the focus stays on the control the person used (or the next row's).
 */
export function AttentionSection({ onCount }: { onCount?: (n: number) => void }) {
  const { t, lang } = useUi();
  const [data, setData] = useState<AttentionResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);

  const load = async (): Promise<AttentionResponse | null> => {
    setError(null);
    try {
      const next = await callApi("attention");
      setData(next);
      onCount?.(next.total);
      return next;
    } catch (e) {
      setError(errorText(e));
      return null;
    }
  };
  useEffect(() => void load(), []);
  useSettingsChanged(() => void load());

  const nameOf = (i: AttentionItem) => objectName(t, i.kind, i.posName, i.posId);

  const retryOne = async (item: AttentionItem, index: number) => {
    if (busy) return;
    setBusy(`${item.kind}:${item.posId}`);
    try {
      const { object } = await callApi("retry", { body: { kind: item.kind, posId: item.posId } });
      const state = object.state;
      setSaid(
        state === "blocked" || state === "failed" || state === "rejected"
          ? t("attention.retriedState", { name: nameOf(item), state: t(`attention.state.${state}`) })
          : t("attention.retried", { name: nameOf(item) }),
      );
      await load();
    } catch (e) {
      setSaid(errorText(e));
    } finally {
      setBusy(null);
    }
    // the row may be gone: the focus goes to the row now in its place, else to the list's heading
    requestAnimationFrame(() => {
      const buttons = list.current?.querySelectorAll<HTMLButtonElement>("[data-retry]") ?? [];
      (buttons[Math.min(index, buttons.length - 1)] ?? list.current?.querySelector<HTMLElement>("h3"))?.focus();
    });
  };
  const retryAll = async () => {
    if (busy) return;
    setBusy("all");
    try {
      const { retried } = await callApi("retryAll");
      setSaid(t("attention.retryAllDone", { n: retried }));
      const next = await load();
      // nothing left to retry: the button is disabled, so the focus goes to Refresh beside it
      if (next && next.total === 0)
        requestAnimationFrame(() =>
          list.current?.querySelector<HTMLElement>("[data-testid=attention-refresh]")?.focus(),
        );
    } catch (e) {
      setSaid(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div ref={list}>
      <p class="sr-only" role="status" aria-live="polite" data-testid="attention-live">
        {said}
      </p>
      <div class="toolbar">
        <button type="button" data-testid="attention-refresh" onClick={() => void load()}>
          {t("attention.refresh")}
        </button>
        <button
          type="button"
          class="primary"
          data-testid="attention-retry-all"
          disabled={!data?.total}
          aria-busy={busy === "all"}
          onClick={() => void retryAll()}
        >
          {t("attention.retryAll")}
        </button>
      </div>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {said ? (
        <p class="notice" aria-hidden="true">
          {said}
        </p>
      ) : null}
      {!data ? (
        error ? null : (
          <p>{t("common.loading")}</p>
        )
      ) : data.items.length === 0 ? (
        <p class="muted" data-testid="attention-none">
          {t("attention.none")}
        </p>
      ) : (
        <>
          <h3 tabIndex={-1} data-testid="attention-summary">
            {t("attention.summary", {
              n: data.total,
              blocked: data.counts.blocked,
              failed: data.counts.failed,
              rejected: data.counts.rejected,
            })}
          </h3>
          <p class="muted">{t("attention.timeZone", { tz: data.timeZone })}</p>
          <table class="grid" data-testid="attention-table">
            <thead>
              <tr>
                <th scope="col">{t("attention.object")}</th>
                <th scope="col">{t("attention.reason")}</th>
                <th scope="col">{t("attention.todo")}</th>
                <th scope="col">{t("attention.since")}</th>
                <th scope="col">{t("attention.links")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item, index) => {
                const name = nameOf(item);
                const fix = item.reason.fixAt ? SECTION_OF_FIX[item.reason.fixAt] : undefined;
                return (
                  <tr data-testid="attention-row" data-state={item.state} key={`${item.kind}:${item.posId}`}>
                    <th scope="row">
                      {name}
                      <div class={`state state-${item.state}`}>{t(`attention.state.${item.state}`)}</div>
                    </th>
                    <td>
                      {item.reason.message}
                      {item.reason.detail ? (
                        <details>
                          <summary>{t("attention.details")}</summary>
                          <code>
                            {item.reason.code}: {item.reason.detail}
                          </code>
                        </details>
                      ) : null}
                    </td>
                    <td>
                      {item.reason.action}
                      {item.state === "failed" && item.nextTryAt ? (
                        <div class="muted">
                          {t("attention.nextTry", { when: localTime(item.nextTryAt, data.timeZone, lang) })}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {localTime(item.since, data.timeZone, lang)}
                      {item.attempts ? (
                        <div class="muted">
                          {item.attempts === 1 ? t("attention.try") : t("attention.tries", { n: item.attempts })}
                        </div>
                      ) : null}
                    </td>
                    <td class="actions">
                      {item.backOfficeUrl ? (
                        <a href={item.backOfficeUrl} target="_blank" rel="noreferrer">
                          {t("attention.backOffice", { name })}
                        </a>
                      ) : null}
                      {item.docs.map((d) =>
                        d.url ? (
                          <a href={d.url} target="_blank" rel="noreferrer">
                            {t("badge.view", { entity: d.entity, doc: d.docNumber ?? d.id })}
                          </a>
                        ) : null,
                      )}
                      {fix ? <a href={`#${item.reason.fixAt}`}>{t("attention.fix", { section: t(fix) })}</a> : null}
                      <button
                        type="button"
                        data-retry
                        data-testid="attention-retry"
                        aria-label={`${t("attention.retry")}: ${name}`}
                        aria-busy={busy === `${item.kind}:${item.posId}`}
                        onClick={() => void retryOne(item, index)}
                      >
                        {t("attention.retry")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
