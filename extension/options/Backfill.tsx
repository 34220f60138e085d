import { useEffect, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import { type Backfill, isCalendarDate } from "../../shared/api";
import { callApi } from "../ask";
import type { MessageKey } from "../i18n";
import { errorText, useUi } from "./context";

type BackfillT = z.infer<typeof Backfill>;
export const BACKFILL_REFRESH_MS = 3_000;

function eta(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

/** A grey badge's "Backfill from here" opens `options.html?backfillFrom=YYYY-MM-DD#backfill`: that day, when it is one. */
export function backfillFromQuery(search: string): string {
  const day = new URLSearchParams(search).get("backfillFrom") ?? "";
  return isCalendarDate(day) ? day : "";
}

/** Backfill by date range, with progress (done / remaining / failed / ETA) and pause / resume. */
export function BackfillSection() {
  const { t } = useUi();
  const [backfill, setBackfill] = useState<BackfillT | null>(null);
  const [from, setFrom] = useState(() => backfillFromQuery(location.search));
  const [to, setTo] = useState("");
  const toInput = useRef<HTMLInputElement>(null);
  const [counted, setCounted] = useState<"expected" | "wait">("expected");
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<{ backfill: BackfillT | null }>) => {
    setError(null);
    try {
      setBackfill((await fn()).backfill);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void run(() => callApi("backfillGet")), []);
  // Arrived with the start day filled in: the end day is what is left to choose.
  useEffect(() => {
    if (from) toInput.current?.focus();
  }, []);
  useEffect(() => {
    if (backfill?.status !== "running") return;
    // Progress comes from the Worker's cron: refresh while it runs.
    const timer = setInterval(() => void run(() => callApi("backfillGet")), BACKFILL_REFRESH_MS);
    return () => clearInterval(timer);
  }, [backfill?.status]);

  return (
    <div>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => callApi("backfillStart", { body: { from, to, counted } }));
        }}
      >
        <label>
          {t("audit.from")}{" "}
          <input
            type="date"
            required
            data-testid="backfill-from"
            value={from}
            onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t("audit.to")}{" "}
          <input
            ref={toInput}
            type="date"
            required
            data-testid="backfill-to"
            value={to}
            onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <fieldset class="choice">
          <legend>{t("backfill.counted.label")}</legend>
          {(["expected", "wait"] as const).map((value) => (
            <label>
              <input
                type="radio"
                name="counted"
                value={value}
                checked={counted === value}
                data-testid={`backfill-counted-${value}`}
                onChange={() => setCounted(value)}
              />{" "}
              {t(`backfill.counted.${value}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" data-testid="backfill-start" disabled={backfill?.status === "running"}>
          {t("backfill.start")}
        </button>
      </form>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {backfill ? (
        <div data-testid="backfill">
          <p>
            {backfill.from} → {backfill.to} · {t(`backfill.status.${backfill.status}` as MessageKey)}
          </p>
          <progress value={backfill.done + backfill.failed} max={Math.max(backfill.total, 1)} />
          <p>
            {t("backfill.progress", { done: backfill.done, remaining: backfill.remaining, failed: backfill.failed })}
            {backfill.etaSeconds !== null && backfill.status === "running"
              ? ` · ${t("backfill.eta", { eta: eta(backfill.etaSeconds) })}`
              : ""}
          </p>
          {backfill.status === "running" ? (
            <button type="button" data-testid="backfill-pause" onClick={() => void run(() => callApi("backfillPause"))}>
              {t("backfill.pause")}
            </button>
          ) : null}
          {backfill.status === "paused" ? (
            <button
              type="button"
              data-testid="backfill-resume"
              onClick={() => void run(() => callApi("backfillResume"))}
            >
              {t("backfill.resume")}
            </button>
          ) : null}
        </div>
      ) : (
        <p class="muted">{t("backfill.none")}</p>
      )}
    </div>
  );
}
