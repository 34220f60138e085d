import { browser } from "wxt/browser";
import type { RouteName } from "../../shared/api";
import { describeError, type Lang } from "../../shared/errors";
import type { WorkerClient } from "../api/client";
import { WorkerError } from "../api/client";
import { langOf } from "../i18n";
import { isBackOfficeUrl } from "../host/urls";
import {
  Message,
  PAGE_ONLY,
  type ErrorBody,
  type MessageType,
  type Replies,
  type Reply,
  type SelectorReport,
} from "../messaging";
import type { ConnectFlows } from "./connect";
import { langItem, MAX_SELECTOR_REPORTS, selectorReportsItem, sessionItem } from "./store";

/**
 * The background's side of the message contract. Every message is validated; a message is only
 * taken from this extension (sender.id), and page-only messages (the session, connections, the
 * generic API relay) only from the extension's own pages — never from a content script, which
 * runs inside a web page.
 */

export interface Sender {
  id?: string;
  url?: string;
  tab?: unknown;
}

export interface HandlerDeps {
  client: WorkerClient;
  connect: ConnectFlows;
  extensionId: string;
  /** chrome-extension://<id>/ */
  extensionOrigin: string;
  workerUrl: string;
  openTab: (url: string) => Promise<unknown>;
  /** The options page's URL; `backfillFrom` goes in its query (`?backfillFrom=YYYY-MM-DD#backfill`) */
  optionsUrl: (section?: string, params?: { backfillFrom?: string }) => string;
  uiLanguage: () => string;
  /** Tells the open back-office tabs that settings changed (broadcast.ts); best effort */
  notifyBackOffice?: () => Promise<void>;
  /** Told of every message handled successfully (the toolbar icon's count follows them) */
  onHandled?: (msg: Message) => void;
}

/** Messages after which the badges on open back-office pages may read differently. */
function changesSettings(msg: Message): boolean {
  if (msg.type === "api") return ["saveMappings", "createStandard", "goLive"].includes(msg.route);
  return msg.type === "setLang" || msg.type === "completeConnect" || msg.type === "disconnect";
}

export type Trust = "page" | "content" | "none";

export function trustOf(sender: Sender, deps: Pick<HandlerDeps, "extensionId" | "extensionOrigin">): Trust {
  if (sender.id !== deps.extensionId) return "none";
  if (sender.url?.startsWith(deps.extensionOrigin)) return "page";
  if (isBackOfficeUrl(sender.url)) return "content";
  return "none";
}

function errorOf(e: unknown, lang: Lang): ErrorBody {
  if (e instanceof WorkerError) return e.body;
  const words = describeError("internal", e instanceof Error ? e.message : String(e), lang);
  return { code: "internal", message: words.message, action: words.action };
}

type Handlers = { [T in MessageType]: (msg: Extract<Message, { type: T }>) => Promise<Replies[T]> };
type Lang_ = () => Promise<Lang>;
/** The messages of PAGE_ONLY (which is what enforces it); here they only sort the handlers. */
type PageOnlyType =
  | "state"
  | "setLang"
  | "connectPos"
  | "connectQbo"
  | "completeConnect"
  | "disconnect"
  | "auditCsv"
  | "api";

async function keepReport(report: SelectorReport): Promise<Replies["selectorReport"]> {
  const kept = (await selectorReportsItem.getValue()).filter(
    (r) => !(r.selector === report.selector && r.path === report.path),
  );
  const next = [report, ...kept].slice(0, MAX_SELECTOR_REPORTS);
  await selectorReportsItem.setValue(next);
  return { stored: next.length };
}

/** What a content script may ask: its page's states and actions, the counted totals it read, settings. */
function contentHandlers(deps: HandlerDeps, lang: Lang_): Pick<Handlers, Exclude<MessageType, PageOnlyType>> {
  const c = deps.client;
  return {
    prefs: async () => ({ lang: await lang(), signedIn: (await sessionItem.getValue()) !== null }),
    status: (msg) => c.call("status", { body: { objects: msg.objects } }),
    send: (msg) => c.call("send", { body: msg.object }),
    retry: (msg) => c.call("retry", { body: msg.object }),
    resolve: (msg) => c.call("resolve", { body: { ...msg.object, action: msg.action } }),
    counted: (msg) => c.call("counted", { params: { id: msg.closureId }, body: msg.totals }),
    selectorReport: (msg) => keepReport(msg.report),
    openOptions: async (msg) => {
      await deps.openTab(
        deps.optionsUrl(msg.section, msg.backfillFrom ? { backfillFrom: msg.backfillFrom } : undefined),
      );
      return { opened: true };
    },
  };
}

/** What only the extension's own pages may ask: the session's state, connections, the API relay. */
function pageHandlers(deps: HandlerDeps, lang: Lang_): Pick<Handlers, PageOnlyType> {
  const c = deps.client;
  return {
    state: async () => {
      const s = await sessionItem.getValue();
      return {
        session: s ? { tenantId: s.tenantId, storeName: s.storeName, expiresAt: s.expiresAt } : null,
        lang: await lang(),
        selectorReports: await selectorReportsItem.getValue(),
        workerUrl: deps.workerUrl,
      };
    },
    setLang: async (msg) => {
      await langItem.setValue(msg.lang);
      return { lang: msg.lang };
    },
    connectPos: () => deps.connect.connectPos(),
    connectQbo: () => deps.connect.connectQbo(),
    completeConnect: (msg) => deps.connect.complete(msg.hash),
    disconnect: (msg) => deps.connect.disconnect(msg.system),
    auditCsv: async (msg) => ({ csv: await c.auditCsv(msg.query ?? {}) }),
    api: (msg) => c.call(msg.route as RouteName, { params: msg.params, query: msg.query, body: msg.body as never }),
  };
}

export function createHandler(deps: HandlerDeps) {
  async function lang(): Promise<Lang> {
    return (await langItem.getValue()) ?? langOf(deps.uiLanguage());
  }
  const handlers: Handlers = { ...contentHandlers(deps, lang), ...pageHandlers(deps, lang) };
  const run = (msg: Message): Promise<unknown> => (handlers[msg.type] as (m: Message) => Promise<unknown>)(msg);

  /** Handle one runtime message; always answers with a Reply (never throws). */
  return async function handle(raw: unknown, sender: Sender): Promise<Reply<unknown>> {
    const l = await lang();
    const trust = trustOf(sender, deps);
    const refuse = (): Reply<unknown> => {
      const words = describeError("forbidden", undefined, l);
      return {
        ok: false,
        error: { code: "forbidden", message: words.message, action: words.action, detail: "sender not trusted" },
      };
    };
    if (trust === "none") return refuse();
    const parsed = Message.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join(".") || "message"}: ${i.message}`)
        .join("; ")
        .slice(0, 300);
      const words = describeError("bad_request", detail, l);
      return { ok: false, error: { code: "bad_request", message: words.message, action: words.action, detail } };
    }
    if (PAGE_ONLY.has(parsed.data.type) && trust !== "page") return refuse();
    try {
      const data = await run(parsed.data);
      if (changesSettings(parsed.data)) void deps.notifyBackOffice?.().catch(() => undefined);
      deps.onHandled?.(parsed.data);
      return { ok: true, data };
    } catch (e) {
      const error = errorOf(e, l);
      // The Worker no longer knows this session: forget it so every page offers to connect again.
      if (error.code === "unauthorized" && e instanceof WorkerError && e.status === 401)
        await sessionItem.setValue(null);
      return { ok: false, error };
    }
  };
}

/** The extension's own origin, e.g. chrome-extension://<id>/ */
export const extensionOrigin = () => browser.runtime.getURL("/");
