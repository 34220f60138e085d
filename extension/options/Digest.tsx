import { useEffect, useState } from "preact/hooks";
import type { DigestLast, DigestResponse } from "../../shared/api";
import { callApi } from "../ask";
import { errorText, localTime, useUi } from "./context";

/** An address a person means: something@domain.tld, no spaces (the Worker checks it again). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The daily email of what needs attention: opt in, the address it goes to, and how its last day went
 * (sent, not needed, or failed and why). It is written in the language of this page when saved.
 */
export function DigestSection() {
  const { t, lang } = useUi();
  const [doc, setDoc] = useState<DigestResponse | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [recipient, setRecipient] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const [busy, setBusy] = useState(false);

  const show = (d: DigestResponse) => {
    setDoc(d);
    setEnabled(d.settings.enabled);
    setRecipient(d.settings.recipient ?? "");
  };
  useEffect(() => {
    callApi("getDigest")
      .then(show)
      .catch((e) => setSaid(errorText(e)));
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    const address = recipient.trim();
    const bad = address ? !EMAIL.test(address) : enabled;
    setProblem(bad ? t(address ? "digest.badEmail" : "digest.needsEmail") : null);
    if (bad) return;
    setBusy(true);
    try {
      show(await callApi("saveDigest", { body: { enabled, recipient: address || null, lang } }));
      setSaid(t("digest.saved"));
    } catch (err) {
      setSaid(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (!doc) return <p role="status">{said || t("common.loading")}</p>;
  return (
    <form onSubmit={(e) => void save(e)} data-testid="digest" noValidate>
      <p class="muted">{t("digest.intro")}</p>
      {doc.available ? null : (
        <p class="notice notice-error" data-testid="digest-unavailable">
          {t("digest.unavailable")}
        </p>
      )}
      <p>
        <label>
          <input
            type="checkbox"
            data-testid="digest-enabled"
            checked={enabled}
            onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)}
          />{" "}
          {t("digest.enabled")}
        </label>
      </p>
      <p>
        <label for="digest-recipient">{t("digest.recipient")}</label>{" "}
        <input
          id="digest-recipient"
          type="email"
          autocomplete="email"
          data-testid="digest-recipient"
          value={recipient}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "digest-problem" : undefined}
          onInput={(e) => setRecipient((e.currentTarget as HTMLInputElement).value)}
        />
      </p>
      {problem ? (
        <p class="field-problem" id="digest-problem" data-testid="digest-problem">
          {problem}
        </p>
      ) : null}
      <p class="muted">{t("digest.language")}</p>
      <div class="toolbar">
        <button type="submit" class="primary" data-testid="digest-save" disabled={busy}>
          {t("digest.save")}
        </button>
        <span role="status" data-testid="digest-said">
          {said}
        </span>
      </div>
      <p data-testid="digest-last">{lastText(doc.last, t, lang)}</p>
    </form>
  );
}

function lastText(last: DigestLast | null, t: ReturnType<typeof useUi>["t"], lang: ReturnType<typeof useUi>["lang"]) {
  if (!last) return t("digest.never");
  const when = localTime(last.at, Intl.DateTimeFormat().resolvedOptions().timeZone, lang);
  switch (last.status) {
    case "sent":
      return t("digest.last.sent", { when, n: last.count });
    case "nothing":
      return t("digest.last.nothing", { when });
    default:
      return t("digest.last.failed", { when, error: last.error ?? "" });
  }
}
