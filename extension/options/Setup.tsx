import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { MeResponse, PreviewResponse, SetupResponse } from "../../shared/api";
import { ask, callApi } from "../ask";
import type { MessageKey } from "../i18n";
import type { SessionInfo } from "../messaging";
import { errorText, localTime, useUi } from "./context";
import { JournalTable } from "./Journal";
import { useSettingsChanged } from "./live";

/** While the setup waits on something outside this page (a closure, a tab), it looks again this often. */
const POLL_MS = 4_000;

interface Facts {
  setup: SetupResponse | null;
  /** Required mappings not chosen yet; null while QBO cannot be read */
  missing: number | null;
  preview: PreviewResponse | null;
}

/**
 * The guided setup (issue 17.1): connect the store → connect QBO → mappings → the first real closure
 * as debits and credits → go live. Each step says whether it is done; the page follows connections
 * made in another tab and closures closing in the POS without a reload. Once the store is live and
 * mapped, the setup folds into one line.
 */
export function SetupSection({
  session,
  me,
  onMappingsChanged,
}: {
  session: SessionInfo | null;
  me: MeResponse | null;
  /** The mappings were changed from here (the standard setup): the editor below reloads */
  onMappingsChanged: () => void;
}) {
  const { t, lang } = useUi();
  const [facts, setFacts] = useState<Facts>({ setup: null, missing: null, preview: null });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"standard" | "live" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const previewed = useRef<string>("");
  const posOk = !!session && me?.pos.status !== "needs_reconnect";
  const qboOk = me?.qbo.status === "connected";

  const load = async () => {
    if (!session) return setFacts({ setup: null, missing: null, preview: null });
    try {
      const [setup, unmapped] = await Promise.all([
        callApi("setup"),
        qboOk ? callApi("unmapped").catch(() => null) : Promise.resolve(null),
      ]);
      const missing = unmapped ? unmapped.missing.filter((m) => m.required).length : null;
      const first = setup.firstClosure;
      // the preview is built again only when the closure or its state changed
      const key = first ? `${first.posId}:${first.state}:${missing}` : "";
      let preview = facts.preview;
      if (!first) preview = null;
      else if (key !== previewed.current && qboOk) {
        preview = await callApi("preview", { query: { kind: "closure", posId: first.posId } }).catch(() => null);
        previewed.current = key;
      }
      setFacts({ setup, missing, preview });
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void load(), [session?.tenantId, qboOk, me?.pos.status, lang]);
  useSettingsChanged(() => void load());
  const { setup, missing, preview } = facts;
  const live = !!setup && (!setup.held || setup.liveAt !== null);
  const mapped = qboOk && missing === 0;
  const complete = posOk && qboOk && mapped && live;
  // a closure closing in the POS, a go-live's postings: looked at again until the setup is complete
  const waiting = !!session && (!complete || (setup?.firstClosure && setup.firstClosure.state !== "posted"));
  useEffect(() => {
    if (!waiting) return;
    const id = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(id);
  }, [waiting, session?.tenantId, qboOk]);

  const standard = async () => {
    setBusy("standard");
    setNotice(null);
    try {
      await callApi("createStandard");
      onMappingsChanged();
      setNotice(t("setup.map.standardDone"));
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const goLive = async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    if (!confirm(t("setup.live.confirm"))) return;
    setBusy("live");
    try {
      const after = await callApi("goLive");
      setFacts((f) => ({ ...f, setup: after }));
      setNotice(after.released > 0 ? t("setup.live.released", { n: after.released }) : null);
      previewed.current = "";
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
      button.focus();
    }
  };

  const when = (iso: string) => localTime(iso, setup?.timeZone ?? "UTC", lang);
  if (complete && setup)
    return (
      <p class="setup-complete" data-testid="setup-complete">
        <span class="tick" aria-hidden="true">
          ✓
        </span>{" "}
        {setup.liveAt ? t("setup.complete", { when: when(setup.liveAt) }) : t("setup.completeNoDate")}{" "}
        {setup.firstClosure ? <FirstClosure state={setup.firstClosure.state} /> : null}
      </p>
    );

  const first = setup?.firstClosure ?? null;
  return (
    <div class="setup" data-testid="setup">
      <p class="muted">{t("setup.intro")}</p>
      <ol class="steps">
        <Step n={1} id="store" done={posOk} title={t("setup.store.title")} help={t("setup.store.help")}>
          {posOk ? (
            <p data-testid="setup-store">
              {t("conn.connected", { name: me?.pos.displayName ?? session?.storeName ?? "" })}
            </p>
          ) : (
            <button
              type="button"
              class="primary"
              data-testid="setup-connect-pos"
              onClick={() => void ask("connectPos", {}).catch((e) => setError(errorText(e)))}
            >
              {t("conn.connectPos")}
            </button>
          )}
        </Step>
        <Step n={2} id="qbo" done={qboOk} title={t("setup.qbo.title")} help={t("setup.qbo.help")}>
          {qboOk ? (
            <p data-testid="setup-qbo">{t("conn.connected", { name: me?.qbo.displayName ?? "" })}</p>
          ) : (
            <button
              type="button"
              class="intuit-connect"
              data-testid="setup-connect-qbo"
              disabled={!posOk}
              onClick={() => void ask("connectQbo", {}).catch((e) => setError(errorText(e)))}
            >
              {t("conn.connectQbo")}
            </button>
          )}
        </Step>
        <Step n={3} id="mappings" done={mapped} title={t("setup.map.title")} help={t("setup.map.help")}>
          {!qboOk ? (
            <p class="muted">{t("setup.map.needsQbo")}</p>
          ) : (
            <>
              <p data-testid="setup-missing">
                {missing === null
                  ? t("common.loading")
                  : missing === 0
                    ? t("setup.map.complete")
                    : missing === 1
                      ? t("setup.map.missingOne")
                      : t("setup.map.missing", { n: missing })}
              </p>
              <div class="toolbar">
                {missing !== 0 ? (
                  <button
                    type="button"
                    class="primary"
                    data-testid="setup-standard"
                    disabled={busy !== null}
                    onClick={() => void standard()}
                  >
                    {t("setup.map.standard")}
                  </button>
                ) : null}
                <a href="#mappings">{t("setup.map.open")}</a>
              </div>
            </>
          )}
        </Step>
        <Step
          n={4}
          id="preview"
          done={!!preview && live}
          title={t("setup.preview.title")}
          help={t("setup.preview.help")}
        >
          {!first ? (
            posOk && qboOk ? (
              <p class="muted" data-testid="setup-waiting">
                {t("setup.preview.waiting")}
              </p>
            ) : null
          ) : (
            <FirstPreview name={first.name ?? first.posId} preview={preview} />
          )}
        </Step>
        <Step n={5} id="live" done={live && !!setup} title={t("setup.live.title")} help={t("setup.live.help")}>
          {setup?.liveAt ? (
            <p data-testid="setup-live">
              {t("setup.live.since", { when: when(setup.liveAt) })}{" "}
              {first ? <FirstClosure state={first.state} /> : null}
            </p>
          ) : (
            <>
              <button
                type="button"
                class="primary"
                data-testid="setup-go-live"
                disabled={!(posOk && qboOk && mapped) || busy !== null}
                onClick={(e) => void goLive(e)}
              >
                {t("setup.live.button")}
              </button>
              {posOk && qboOk && mapped ? null : <span class="muted"> {t("setup.live.notYet")}</span>}
            </>
          )}
        </Step>
      </ol>
      <div aria-live="polite" data-testid="setup-notice">
        {notice ? <p class="notice notice-ok">{notice}</p> : null}
      </div>
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="setup-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Step({
  n,
  id,
  done,
  title,
  help,
  children,
}: {
  n: number;
  id: string;
  done: boolean;
  title: string;
  help: string;
  children: ComponentChildren;
}) {
  const { t } = useUi();
  return (
    <li class={`step ${done ? "step-done" : ""}`} data-testid={`setup-step-${id}`} data-done={String(done)}>
      <h3>
        <span class="step-mark" aria-hidden="true">
          {done ? "✓" : n}
        </span>{" "}
        {title} <span class={`chip-word ${done ? "ok" : ""}`}>{done ? t("setup.done") : t("setup.todo")}</span>
      </h3>
      <p class="muted">{help}</p>
      {children}
    </li>
  );
}

const STATE_WORDS: Record<string, MessageKey> = {
  ready: "chip.ready",
  posting: "chip.posting",
  blocked: "chip.needsFix",
  failed: "chip.needsAttention",
  rejected: "chip.needsAttention",
};

function FirstClosure({ state }: { state: string }) {
  const { t } = useUi();
  if (state === "posted") return <span data-testid="setup-first-posted">{t("setup.firstPosted")}</span>;
  return <span>{t("setup.firstState", { state: t(STATE_WORDS[state] ?? "chip.ready").toLowerCase() })}</span>;
}

function FirstPreview({ name, preview }: { name: string; preview: PreviewResponse | null }) {
  const { t, lang } = useUi();
  if (!preview) return <p>{t("common.loading")}</p>;
  const ties = preview.variance.filter((v) => v.line !== "tax_override").every((v) => v.diffMinor === 0);
  const day = preview.txnDate
    ? new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(`${preview.txnDate}T12:00:00Z`),
      )
    : "";
  return (
    <div data-testid="setup-preview">
      <p>
        <strong>{t("setup.preview.of", { name, day })}</strong>{" "}
        <span data-testid="setup-ties">{ties ? t("setup.preview.ties") : t("setup.preview.differs")}</span>
      </p>
      {preview.blockers.length ? (
        <ul class="notice notice-error" data-testid="setup-blockers">
          {preview.blockers.map((b) => (
            <li>
              {b.message} {b.action}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.documents.map((d) => (
        <JournalTable doc={d} />
      ))}
    </div>
  );
}
