import { useState } from "preact/hooks";
import type { AuditResponse } from "../../shared/api";
import { ask, callApi } from "../ask";
import { errorText, useUi } from "./context";

/** The audit trail (who sent or retried what, when, payload hash, QBO ids) with its CSV export. */
export function AuditSection() {
  const { t } = useUi();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [entries, setEntries] = useState<AuditResponse["entries"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = () => Object.fromEntries(Object.entries({ from, to }).filter(([, v]) => v)) as Record<string, string>;

  const load = async () => {
    setError(null);
    try {
      setEntries((await callApi("audit", { query: query() })).entries);
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
          <table class="grid" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t("audit.at")}</th>
                <th>{t("audit.actor")}</th>
                <th>{t("audit.action")}</th>
                <th>{t("audit.object")}</th>
                <th>{t("audit.qbo")}</th>
                <th>{t("audit.hash")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td>{e.at}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{[e.kind, e.posId, e.posVersion].filter(Boolean).join(" · ")}</td>
                  <td>{[e.qboEntity, e.qboId].filter(Boolean).join(" ")}</td>
                  <td>
                    <code>{e.payloadHash?.slice(0, 12) ?? ""}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{t("audit.empty")}</p>
        )
      ) : null}
    </div>
  );
}
