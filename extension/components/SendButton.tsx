import { useRef, useState } from "preact/hooks";
import type { ObjectRef } from "../../shared/sync";
import type { FeatureContext } from "../features/feature";
import { Badge, useEntry } from "./Badge";
import { QboLogo, Spinner } from "./Logo";
import { reasonWords } from "./reason";

/**
 * "Send to QuickBooks Online" on a received purchase order; "View on QuickBooks Online" once its
 * Bill exists. A second click while the first is in flight does nothing (the Worker's idempotency
 * key makes a repeated send harmless too); anything in progress or failed shows as the badge.
 */
export function SendButton({ ctx, object }: { ctx: FeatureContext; object: ObjectRef }) {
  const entry = useEntry(ctx, object);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const { t } = ctx;

  const send = async (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    if (inFlight.current) return; // the button is disabled on the next render; this covers the same tick
    inFlight.current = true;
    setSending(true);
    setError(null);
    try {
      ctx.status.set(await ctx.send(object));
    } catch (err) {
      const body = (err as { body?: { code: never; detail?: string; message: string; action: string } }).body;
      setError(body ? `${reasonWords(body, ctx.lang).message} ${reasonWords(body, ctx.lang).action}` : String(err));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  const status = entry && "status" in entry ? entry.status : undefined;
  if (!sending && status && status.state !== "unknown") {
    if (status.state === "posted") {
      const bill = status.docs.find((d) => d.entity === "Bill" && d.url) ?? status.docs.find((d) => d.url);
      if (bill?.url)
        return (
          <span class="tb">
            <a
              class="tb-btn tb-btn--view"
              data-testid="tillbridge-view"
              data-state="posted"
              href={bill.url}
              target="_blank"
              rel="noopener noreferrer"
              onClick={(e) => e.stopPropagation()}
            >
              <QboLogo tone="green" />
              {t("po.view")}
            </a>
          </span>
        );
    }
    return <Badge ctx={ctx} object={object} />;
  }
  if (!sending && (!ctx.signedIn || (entry && "error" in entry))) return <Badge ctx={ctx} object={object} />;
  if (!sending && (!entry || "loading" in entry))
    return (
      <span class="tb tb-grey" data-testid="tillbridge-badge" data-state="loading">
        <Spinner />
      </span>
    );

  return (
    <span class="tb">
      <button
        type="button"
        class="tb-btn"
        data-testid="tillbridge-send"
        data-object={`${object.kind}:${object.posId}`}
        disabled={sending}
        aria-busy={sending}
        onClick={send}
      >
        {sending ? <Spinner /> : <QboLogo tone="green" />}
        {sending ? t("po.sending") : t("po.send")}
      </button>
      {error ? (
        <span class="tb-error" data-testid="tillbridge-send-error">
          {error}
        </span>
      ) : null}
    </span>
  );
}
