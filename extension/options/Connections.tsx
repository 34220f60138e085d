import { useState } from "preact/hooks";
import type { MeResponse } from "../../shared/api";
import { ask } from "../ask";
import type { SessionInfo } from "../messaging";
import { errorText, useUi } from "./context";

/**
 * Connect / disconnect the POS and QuickBooks Online. QBO's button follows Intuit's "Connect to
 * QuickBooks" style (a green button with that text); once connected, a Disconnect link instead.
 */
export function ConnectionsSection({
  session,
  me,
  onChange,
}: {
  session: SessionInfo | null;
  me: MeResponse | null;
  onChange: () => void;
}) {
  const { t } = useUi();
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (fn: () => Promise<unknown>, opensTab: boolean) => {
    setError(null);
    try {
      await fn();
      if (opensTab) setWaiting(true);
      else onChange();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const disconnect = (system: "pos" | "qbo", name: string) => {
    if (!confirm(t("conn.confirmDisconnect", { name }))) return;
    void act(() => ask("disconnect", { system }), false);
  };
  const statusLine = (c: MeResponse["pos"] | undefined, fallback?: string) => {
    if (!c) return fallback ? t("conn.connected", { name: fallback }) : t("conn.notConnected");
    if (c.status === "connected") return t("conn.connected", { name: c.displayName ?? c.externalId ?? "" });
    if (c.status === "needs_reconnect") return t("conn.needsReconnect", { reason: c.reason ?? "" });
    return t("conn.notConnected");
  };
  const qboConnected = me?.qbo.status === "connected";
  const posName = me?.pos.displayName ?? session?.storeName ?? "";

  return (
    <div class="connections">
      <div class="conn" data-testid="conn-pos">
        <h3>{t("conn.pos")}</h3>
        <p data-testid="conn-pos-status">{session ? statusLine(me?.pos, session.storeName) : t("conn.notConnected")}</p>
        {session && me?.pos.status !== "needs_reconnect" ? (
          <button type="button" class="link" data-testid="disconnect-pos" onClick={() => disconnect("pos", posName)}>
            {t("conn.disconnect")}
          </button>
        ) : (
          <button
            type="button"
            class="primary"
            data-testid="connect-pos"
            onClick={() => void act(() => ask("connectPos", {}), true)}
          >
            {t("conn.connectPos")}
          </button>
        )}
      </div>
      <div class="conn" data-testid="conn-qbo">
        <h3>{t("conn.qbo")}</h3>
        <p data-testid="conn-qbo-status">{session ? statusLine(me?.qbo) : t("conn.posFirst")}</p>
        {session && qboConnected ? (
          <button
            type="button"
            class="link"
            data-testid="disconnect-qbo"
            onClick={() => disconnect("qbo", me?.qbo.displayName ?? "QuickBooks Online")}
          >
            {t("conn.disconnect")}
          </button>
        ) : (
          <button
            type="button"
            class="intuit-connect"
            data-testid="connect-qbo"
            disabled={!session}
            onClick={() => void act(() => ask("connectQbo", {}), true)}
          >
            {t("conn.connectQbo")}
          </button>
        )}
      </div>
      {waiting ? <p class="muted">{t("conn.waiting")}</p> : null}
      {error ? (
        <p class="notice notice-error" data-testid="conn-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
