import { useEffect, useState } from "preact/hooks";
import type { PreviewResponse, RecentObjectsResponse } from "../../shared/api";
import { ObjectKind } from "../../shared/sync";
import { callApi } from "../ask";
import type { MessageKey } from "../i18n";
import type { OptionsKey } from "../i18n/options";
import { errorText, formatCents, useUi } from "./context";
import { JournalTable } from "./Journal";
import { fieldId } from "./mapping-keys";

/** A preview of any closure (or other object): the documents it becomes, its variance against the POS, and what blocks it. */
export function PreviewSection({ initialId }: { initialId?: string }) {
  const { t } = useUi();
  const [kind, setKind] = useState<ObjectKind>("closure");
  const [posId, setPosId] = useState(initialId ?? "");
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentObjectsResponse["objects"]>([]);
  useEffect(() => {
    callApi("recentObjects", { query: { kind } })
      .then((r) => setRecent(r.objects))
      .catch(() => setRecent([]));
  }, [kind]);

  const load = async (id: string) => {
    setError(null);
    try {
      setPreview(await callApi("preview", { query: { kind, posId: id.trim() } }));
    } catch (err) {
      setPreview(null);
      setError(errorText(err));
    }
  };
  const show = (e: Event) => {
    e.preventDefault();
    void load(posId);
  };
  const pick = (id: string) => {
    if (!id) return;
    setPosId(id);
    void load(id);
  };

  return (
    <div>
      <form class="toolbar" onSubmit={show}>
        <label>
          {t("preview.kind")}{" "}
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ObjectKind)}>
            {ObjectKind.options.map((k) => (
              <option value={k}>{t(`kind.${k}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        {recent.length ? (
          <label>
            {t("preview.recent")}{" "}
            <select
              data-testid="preview-recent"
              value={recent.some((r) => r.posId === posId) ? posId : ""}
              onChange={(e) => pick((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t("preview.pick")}</option>
              {recent.map((r) => (
                <option value={r.posId}>
                  {[r.name ?? r.posId, r.txnDate, t(`preview.stateWord.${r.state}` as OptionsKey)]
                    .filter(Boolean)
                    .join(" · ")}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t("preview.posId")}{" "}
          <input
            data-testid="preview-id"
            value={posId}
            onInput={(e) => setPosId((e.currentTarget as HTMLInputElement).value)}
            required
          />
        </label>
        <button type="submit">{t("preview.show")}</button>
      </form>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {preview ? (
        <div data-testid="preview">
          <p>
            {t("preview.state", { state: preview.state })} {preview.txnDate ? `· ${preview.txnDate}` : ""}
          </p>
          <h3>{t("preview.documents")}</h3>
          {preview.documents.map((d) => (
            <JournalTable doc={d} />
          ))}
          <h3>{t("preview.variance")}</h3>
          <table class="grid" data-testid="variance">
            <thead>
              <tr>
                <th>{t("preview.line")}</th>
                <th>{t("preview.pos")}</th>
                <th>{t("preview.posted")}</th>
                <th>{t("preview.diff")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.variance.map((v) => (
                <tr class={v.diffMinor !== 0 ? "diff" : ""}>
                  <td>{v.label}</td>
                  <td class="num">{formatCents(v.posMinor)}</td>
                  <td class="num">{formatCents(v.postedMinor)}</td>
                  <td class="num">{formatCents(v.diffMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("preview.blockers")}</h3>
          {preview.blockers.length ? (
            <ul data-testid="blockers">
              {preview.blockers.map((b) => (
                <li>
                  {b.message} — {b.action}{" "}
                  {b.mappingKey ? <a href={`#${fieldId(b.mappingKey)}`}>{b.mappingKey}</a> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t("preview.noBlockers")}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
