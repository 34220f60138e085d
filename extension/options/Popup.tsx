import { useEffect, useState } from "preact/hooks";
import type { MeResponse, SetupResponse } from "../../shared/api";
import { ask, callApi } from "../ask";
import { type OptionsKey as MessageKey, optionsTranslator as translator } from "../i18n/options";
import type { Replies, Section } from "../messaging";
import { errorText } from "./context";

/** The toolbar popup: connection health, how many items failed / wait for a fix / are pending, and broken selectors. */
export function Popup() {
  const [state, setState] = useState<Replies["state"] | null>(null);
  const [me, setMe] = useState<MeResponse | null>(null);
  const [setup, setSetup] = useState<SetupResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      try {
        const s = await ask("state", {});
        setState(s);
        if (s.session) {
          const [m, su] = await Promise.all([callApi("me"), callApi("setup").catch(() => null)]);
          setMe(m);
          setSetup(su);
        }
      } catch (e) {
        setError(errorText(e));
      }
    })();
  }, []);

  const t = translator(state?.lang ?? "en");
  const open = (section?: Section) => void ask("openOptions", section ? { section } : {}).then(() => window.close());
  const count = (...states: (keyof MeResponse["counts"])[]) => states.reduce((n, s) => n + (me?.counts[s] ?? 0), 0);
  /** A connection's state: a symbol for the eye, and always the words beside it */
  const health = (c: MeResponse["pos"] | undefined) => (
    <>
      <span aria-hidden="true">{c?.status === "connected" ? "●" : c?.status === "needs_reconnect" ? "▲" : "○"}</span>{" "}
      {c?.status === "connected"
        ? t("popup.state.connected")
        : c?.status === "needs_reconnect"
          ? t("conn.needsReconnect", { reason: c.reason ?? "" })
          : t("conn.notConnected")}
    </>
  );
  const rows: [MessageKey, number, Section][] = [
    ["popup.failed", count("rejected", "failed"), "attention"],
    ["popup.blocked", count("blocked"), "attention"],
    ["popup.pending", count("ready", "posting"), "closures"],
    ["popup.posted", count("posted"), "audit"],
  ];

  return (
    <main style="font: 13px/1.5 -apple-system, 'Segoe UI', Roboto, sans-serif; padding: 12px 14px">
      <h1 style="font-size: 15px; margin: 0 0 8px">Tillbridge</h1>
      {error ? <p style="color: #8e1c12">{error}</p> : null}
      {state && !state.session ? <p data-testid="popup-signed-out">{t("popup.notSignedIn")}</p> : null}
      {me ? (
        <>
          <h2 style="font-size: 13px; margin: 8px 0 2px">{t("popup.health")}</h2>
          <p data-testid="popup-pos">
            {t("popup.line", { system: t("conn.pos"), name: me.pos.displayName ?? me.storeName })} — {health(me.pos)}
          </p>
          <p data-testid="popup-qbo">
            {me.qbo.displayName ? t("popup.line", { system: t("conn.qbo"), name: me.qbo.displayName }) : t("conn.qbo")}{" "}
            — {health(me.qbo)}
          </p>
          {setup?.held && !setup.liveAt ? (
            <p>
              <button type="button" class="link" data-testid="popup-not-live" onClick={() => open("setup")}>
                {t("popup.notLive")}
              </button>
            </p>
          ) : null}
          <ul style="list-style: none; padding: 0">
            {rows.map(([key, n, section]) => (
              <li>
                <button
                  type="button"
                  class="link"
                  data-testid={`popup-${key.split(".")[1]}`}
                  onClick={() => open(section)}
                >
                  {t(key)}: {n}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {state?.selectorReports.length ? (
        <p data-testid="popup-selectors" style="color: #6d4c00">
          {t("popup.selectorProblems", {
            names: [...new Set(state.selectorReports.map((r) => r.selector))].join(", "),
          })}
        </p>
      ) : null}
      <button type="button" onClick={() => open("connections")}>
        {t("popup.openSettings")}
      </button>
    </main>
  );
}
