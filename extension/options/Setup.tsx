import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { MeResponse, PreviewResponse, SetupResponse } from "../../shared/api";
import { ask, callApi } from "../ask";
import type { SyncState } from "../../shared/sync";
import type { OptionsKey } from "../i18n/options";
import type { SessionInfo } from "../messaging";
import { errorText, localTime, useUi } from "./context";
import { JournalTable } from "./Journal";
import { useSettingsChanged } from "./live";

/** While the setup waits on something outside this page (a closure, a tab), it looks again this often. */
const POLL_MS = 4_000;

/** A notice of the setup, worded when shown (in the page's language of the moment). */
type Notice = { key: "setup.map.standardDone" | "setup.live.released"; n?: number };

interface Facts {
  setup: SetupResponse | null;
  /** Required mappings not chosen yet; null while QBO cannot be read */
  missing: number | null;
  preview: PreviewResponse | null;
}

/** What the setup shows, read from the Worker; looked at again while it waits on something elsewhere. */
function useSetupFacts(session: SessionInfo | null, me: MeResponse | null) {
  const { lang } = useUi();
  const [facts, setFacts] = useState<Facts>({ setup: null, missing: null, preview: null });
  const [error, setError] = useState<string | null>(null);
  // the last preview and what it was built for: a poll builds it again only when that changed
  const previewed = useRef<{ key: string; preview: PreviewResponse | null }>({ key: "", preview: null });
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
      const key = first && qboOk ? `${first.posId}:${first.state}:${missing}:${lang}` : "";
      if (key !== previewed.current.key) {
        const preview = key
          ? await callApi("preview", { query: { kind: "closure", posId: first!.posId } }).catch(() => null)
          : null;
        previewed.current = { key, preview };
      }
      setFacts({ setup, missing, preview: previewed.current.preview });
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  // the interval and the listener call the latest `load`, never one that closed over old props
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => void latest.current(), [session?.tenantId, qboOk, me?.pos.status, lang]);
  useSettingsChanged(() => void latest.current());

  const { setup, missing } = facts;
  const posOk = !!session && me?.pos.status !== "needs_reconnect";
  const live = !!setup && (!setup.held || setup.liveAt !== null);
  const mapped = qboOk && missing === 0;
  const complete = posOk && qboOk && mapped && live;
  // a closure closing in the POS, a go-live's postings: looked at again until the setup is complete
  const waiting = !!session && (!complete || (!!setup?.firstClosure && setup.firstClosure.state !== "posted"));
  useEffect(() => {
    if (!waiting) return;
    const id = setInterval(() => void latest.current(), POLL_MS);
    return () => clearInterval(id);
  }, [waiting]);

  return { facts, setFacts, error, setError, reload: () => latest.current(), posOk, qboOk, live, mapped, complete };
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
  const f = useSetupFacts(session, me);
  const [busy, setBusy] = useState<"standard" | "live" | null>(null);
  // kept as words to say, not said: a language switch words it again
  const [notice, setNotice] = useState<Notice | null>(null);
  const { setup, missing, preview } = f.facts;

  const act = async (what: "standard" | "live", run: () => Promise<Notice | null>, focus?: HTMLElement) => {
    setBusy(what);
    setNotice(null);
    try {
      setNotice(await run());
      await f.reload();
    } catch (e) {
      f.setError(errorText(e));
    } finally {
      setBusy(null);
      focus?.focus();
    }
  };
  const standard = () =>
    act("standard", async () => {
      await callApi("createStandard");
      onMappingsChanged();
      return { key: "setup.map.standardDone" };
    });
  const goLive = (e: Event) => {
    if (!confirm(t("setup.live.confirm"))) return;
    void act(
      "live",
      async () => {
        const after = await callApi("goLive");
        f.setFacts((x) => ({ ...x, setup: after }));
        return after.released > 0 ? { key: "setup.live.released", n: after.released } : null;
      },
      e.currentTarget as HTMLElement,
    );
  };

  const when = (iso: string) => localTime(iso, setup?.timeZone ?? "UTC", lang);
  if (f.complete && setup)
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
  const ready = f.posOk && f.qboOk && f.mapped;
  return (
    <div class="setup" data-testid="setup">
      <p class="muted">{t("setup.intro")}</p>
      <ol class="steps">
        <Step n={1} id="store" done={f.posOk} title={t("setup.store.title")} help={t("setup.store.help")}>
          {f.posOk ? (
            <p data-testid="setup-store">
              {t("conn.connected", { name: me?.pos.displayName ?? session?.storeName ?? "" })}
            </p>
          ) : (
            <ConnectButton system="pos" onError={f.setError} />
          )}
        </Step>
        <Step n={2} id="qbo" done={f.qboOk} title={t("setup.qbo.title")} help={t("setup.qbo.help")}>
          {f.qboOk ? (
            <p data-testid="setup-qbo">{t("conn.connected", { name: me?.qbo.displayName ?? "" })}</p>
          ) : (
            <ConnectButton system="qbo" disabled={!f.posOk} onError={f.setError} />
          )}
        </Step>
        <Step n={3} id="mappings" done={f.mapped} title={t("setup.map.title")} help={t("setup.map.help")}>
          {f.qboOk ? (
            <MappingsStep missing={missing} busy={busy !== null} onStandard={() => void standard()} />
          ) : (
            <p class="muted">{t("setup.map.needsQbo")}</p>
          )}
        </Step>
        <Step
          n={4}
          id="preview"
          done={!!preview && f.live}
          title={t("setup.preview.title")}
          help={t("setup.preview.help")}
        >
          {first ? (
            <FirstPreview name={first.name ?? first.posId} preview={preview} />
          ) : f.posOk && f.qboOk ? (
            <p class="muted" data-testid="setup-waiting">
              {t("setup.preview.waiting")}
            </p>
          ) : null}
        </Step>
        <Step n={5} id="live" done={f.live} title={t("setup.live.title")} help={t("setup.live.help")}>
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
                disabled={!ready || busy !== null}
                onClick={goLive}
              >
                {t("setup.live.button")}
              </button>
              {ready ? null : <span class="muted"> {t("setup.live.notYet")}</span>}
            </>
          )}
        </Step>
      </ol>
      <div aria-live="polite" data-testid="setup-notice">
        {notice ? <p class="notice notice-ok">{t(notice.key, { n: notice.n ?? 0 })}</p> : null}
      </div>
      {f.error ? (
        <p class="notice notice-error" role="alert" data-testid="setup-error">
          {f.error}
        </p>
      ) : null}
    </div>
  );
}

function ConnectButton({
  system,
  disabled = false,
  onError,
}: {
  system: "pos" | "qbo";
  disabled?: boolean;
  onError: (text: string) => void;
}) {
  const { t } = useUi();
  const connect = () =>
    void ask(system === "pos" ? "connectPos" : "connectQbo", {}).catch((e) => onError(errorText(e)));
  return (
    <button
      type="button"
      class={system === "pos" ? "primary" : "intuit-connect"}
      data-testid={`setup-connect-${system}`}
      disabled={disabled}
      onClick={connect}
    >
      {system === "pos" ? t("conn.connectPos") : t("conn.connectQbo")}
    </button>
  );
}

function MappingsStep({
  missing,
  busy,
  onStandard,
}: {
  missing: number | null;
  busy: boolean;
  onStandard: () => void;
}) {
  const { t } = useUi();
  const words =
    missing === null
      ? t("common.loading")
      : missing === 0
        ? t("setup.map.complete")
        : missing === 1
          ? t("setup.map.missingOne")
          : t("setup.map.missing", { n: missing });
  return (
    <>
      <p data-testid="setup-missing">{words}</p>
      <div class="toolbar">
        {missing !== 0 ? (
          <button type="button" class="primary" data-testid="setup-standard" disabled={busy} onClick={onStandard}>
            {t("setup.map.standard")}
          </button>
        ) : null}
        <a href="#mappings">{t("setup.map.open")}</a>
      </div>
    </>
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

function FirstClosure({ state }: { state: SyncState }) {
  const { t } = useUi();
  if (state === "posted") return <span data-testid="setup-first-posted">{t("setup.firstPosted")}</span>;
  return <span>{t("setup.firstState", { state: t(`preview.stateWord.${state}` as OptionsKey) })}</span>;
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
