import { useState } from "preact/hooks";
import type { AuditResponse } from "../../shared/api";
import { ask, callApi } from "../ask";
import { errorText, localTime, objectName, useUi } from "./context";
import type { OptionsKey } from "../i18n/options";

/** The audit trail (who sent or retried what, when, payload hash, QBO ids) with its CSV export. */
export function AuditSection() {
  const { t, lang } = useUi();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [entries, setEntries] = useState<AuditResponse["entries"] | null>(null);
  const [timeZone, setTimeZone] = useState("UTC");
  const [error, setError] = useState<string | null>(null);
  const query = () => Object.fromEntries(Object.entries({ from, to }).filter(([, v]) => v)) as Record<string, string>;

  const load = async () => {
    setError(null);
    try {
      const res = await callApi("audit", { query: query() });
      setEntries(res.entries);
      setTimeZone(res.timeZone ?? "UTC");
    } catch (e) {
      setError(errorText(e));
    }
  };
  const exportCsv = async () => {
    setError(null);
    try {
      const { csv } = await ask("auditCsv", { query: query() });
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `tillbridge-audit${from ? `-${from}` : ""}${to ? `-${to}` : ""}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div>
      <div class="toolbar">
        <label>
          {t("audit.from")}{" "}
          <input type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t("audit.to")}{" "}
          <input type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" data-testid="audit-load" onClick={() => void load()}>
          {t("audit.load")}
        </button>
        <button type="button" data-testid="audit-export" onClick={() => void exportCsv()}>
          {t("audit.export")}
        </button>
      </div>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {entries ? (
        entries.length ? (
          <>
            <p class="muted">{t("audit.times", { tz: timeZone })}</p>
            <table class="grid" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t("audit.at")}</th>
                  <th scope="col">{t("audit.actor")}</th>
                  <th scope="col">{t("audit.action")}</th>
                  <th scope="col">{t("audit.object")}</th>
                  <th scope="col">{t("audit.reason")}</th>
                  <th scope="col">{t("audit.qbo")}</th>
                  <th scope="col">{t("audit.hash")}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr data-testid="audit-row">
                    <td>
                      <time dateTime={e.at}>{localTime(e.at, timeZone, lang)}</time>
                    </td>
                    <td>{actorName(t, e.actor)}</td>
                    <td>{word(t, `audit.action.${e.action}`, e.action)}</td>
                    <td>{e.kind && e.posId ? objectName(t, e.kind, e.posName ?? null, e.posId) : ""}</td>
                    <td>
                      {e.reason ? (
                        <>
                          {e.reason.message}
                          <div class="muted">{e.reason.action}</div>
                        </>
                      ) : (
                        (e.detail ?? "")
                      )}
                    </td>
                    <td>{[e.qboEntity, e.qboId].filter(Boolean).join(" ")}</td>
                    <td>
                      <code title={e.payloadHash ?? ""}>{e.payloadHash?.slice(0, 12) ?? ""}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p class="muted">{t("audit.empty")}</p>
        )
      ) : null}
    </div>
  );
}

/** A key's words when the page has them, else the raw value (an action added later). */
function word(t: ReturnType<typeof useUi>["t"], key: string, raw: string): string {
  const text = t(key as OptionsKey);
  return text === key ? raw : text;
}

/** "user:Marie Tremblay" → "Marie Tremblay"; the Worker's own actors in words. */
export function actorName(t: ReturnType<typeof useUi>["t"], actor: string): string {
  if (actor.startsWith("user:")) return actor.slice(5);
  return word(t, `audit.actor.${actor}`, actor);
}
