import { browser } from "wxt/browser";
import { createWorkerClient } from "../api/client";
import { SETTINGS_CHANGED } from "../broadcast";
import { isBackOfficeUrl } from "../host/urls";
import { langOf } from "../i18n";
import { optionsTranslator } from "../i18n/options";
import { ALARM_MINUTES, ALARM_NAME, createAttentionBadge, refreshAfter } from "./attention-badge";
import { createConnectFlows } from "./connect";
import { createHandler, type Sender } from "./handler";
import { langItem, sessionItem } from "./store";

/** Tells the open back-office tabs that settings changed. Tab URLs are visible for the hosts the
 * extension may run on, which is all a back office needs. */
async function notifyBackOffice(): Promise<void> {
  const tabs = await browser.tabs.query({});
  const backOffice = tabs.filter((tab) => tab.id !== undefined && isBackOfficeUrl(tab.url));
  await Promise.all([
    ...backOffice.map((tab) => browser.tabs.sendMessage(tab.id!, { type: SETTINGS_CHANGED }).catch(() => undefined)),
    // and the extension's own open pages (the options page shows a connection made in another tab)
    browser.runtime.sendMessage({ type: SETTINGS_CHANGED }).catch(() => undefined),
  ]);
}

/** The toolbar icon's calls; absent where the browser has no action API (tests, old browsers). */
function actionApi() {
  const action = (browser as unknown as { action?: typeof browser.action }).action;
  return {
    setText: async (text: string) => void (await action?.setBadgeText({ text })),
    setColor: async (color: string) => void (await action?.setBadgeBackgroundColor({ color })),
    setTitle: async (title: string) => void (await action?.setTitle({ title })),
  };
}

/**
 * The options page at a section. A grey badge's "Backfill from here" adds the row's day to the query:
 * `options.html?backfillFrom=2026-10-09#backfill` — the options page reads `backfillFrom` from
 * `location.search` to prefill the backfill's start.
 */
export function optionsUrl(section?: string, params?: { backfillFrom?: string }): string {
  const query = params?.backfillFrom ? `?backfillFrom=${encodeURIComponent(params.backfillFrom)}` : "";
  return browser.runtime.getURL(`/options.html${query}${section ? `#${section}` : ""}`);
}

/**
 * Wires the background: the Worker client (with the session from storage), the connect flows and
 * the message handler. Kept apart from the entrypoint so tests build the same thing with WXT's
 * fake browser and a fake fetch.
 */
export function createBackground(opts: {
  workerUrl: string;
  fetch?: typeof fetch;
  now?: () => Date;
  uiLanguage?: () => string;
  /** Keep the toolbar icon's count of what needs attention (the entrypoint; tests that look at it) */
  toolbarCount?: boolean;
}) {
  const now = opts.now ?? (() => new Date());
  const uiLanguage =
    opts.uiLanguage ??
    (() => {
      try {
        return browser.i18n.getUILanguage();
      } catch {
        return "en";
      }
    });
  let lang: "en" | "fr" = langOf(uiLanguage());
  void langItem.getValue().then((l) => {
    if (l) lang = l;
  });
  langItem.watch((l) => {
    lang = l ?? langOf(uiLanguage());
  });

  const client = createWorkerClient({
    baseUrl: opts.workerUrl,
    fetch: opts.fetch,
    lang: () => lang,
    session: async () => {
      const s = await sessionItem.getValue();
      return s && Date.parse(s.expiresAt) > now().getTime() ? s.token : null;
    },
  });
  const openTab = (url: string) => browser.tabs.create({ url });
  const connect = createConnectFlows({
    client,
    returnTo: browser.runtime.getURL("/connected.html"),
    openTab,
    lang: () => lang,
    now,
  });
  const badge = createAttentionBadge({
    ...actionApi(),
    count: async () => {
      const s = await sessionItem.getValue();
      if (!s || Date.parse(s.expiresAt) <= now().getTime()) return null;
      return (await client.call("attentionCount", {})).total;
    },
    title: async (n) => {
      const t = optionsTranslator(lang);
      return n ? t("attention.iconTitle", { n }) : t("options.title");
    },
    now: () => now().getTime(),
  });
  const alarms = (browser as unknown as { alarms?: typeof browser.alarms }).alarms;
  if (opts.toolbarCount) {
    sessionItem.watch(() => void badge.refresh("now"));
    void badge.refresh("now");
  }
  if (opts.toolbarCount && alarms) {
    void alarms.create(ALARM_NAME, { periodInMinutes: ALARM_MINUTES });
    alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === ALARM_NAME) void badge.refresh("now");
    });
  }

  const handle = createHandler({
    client,
    connect,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL("/"),
    workerUrl: opts.workerUrl,
    openTab,
    optionsUrl,
    uiLanguage,
    notifyBackOffice,
    onHandled: (msg) => {
      const when = opts.toolbarCount ? refreshAfter(msg) : null;
      if (when) void badge.refresh(when);
    },
  });
  return { client, connect, badge, handle: (raw: unknown, sender: Sender) => handle(raw, sender) };
}
