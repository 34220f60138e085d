import { browser } from "wxt/browser";
import { createWorkerClient } from "../api/client";
import { langOf } from "../i18n";
import { createConnectFlows } from "./connect";
import { createHandler, type Sender } from "./handler";
import { langItem, sessionItem } from "./store";

/**
 * Wires the background: the Worker client (with the session from storage), the connect flows and
 * the message handler. Kept apart from the entrypoint so tests build the same thing with WXT's
 * fake browser and a fake fetch.
 */
export function createBackground(opts: { workerUrl: string; fetch?: typeof fetch; now?: () => Date; uiLanguage?: () => string }) {
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
  const connect = createConnectFlows({ client, returnTo: browser.runtime.getURL("/connected.html"), openTab, lang: () => lang, now });
  const handle = createHandler({
    client,
    connect,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL("/"),
    workerUrl: opts.workerUrl,
    openTab,
    optionsUrl: (section) => browser.runtime.getURL(`/options.html${section ? `#${section}` : ""}`),
    uiLanguage,
  });
  return { client, connect, handle: (raw: unknown, sender: Sender) => handle(raw, sender) };
}
