import { browser } from "wxt/browser";
import type { RouteName } from "../../shared/api";
import { describeError, type Lang } from "../../shared/errors";
import type { WorkerClient } from "../api/client";
import { WorkerError } from "../api/client";
import { langOf } from "../i18n";
import { isBackOfficeUrl } from "../host/urls";
import { Message, PAGE_ONLY, type ErrorBody, type Replies, type Reply } from "../messaging";
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
  optionsUrl: (section?: string) => string;
  uiLanguage: () => string;
  /** Tells the open back-office tabs that settings changed (broadcast.ts); best effort */
  notifyBackOffice?: () => Promise<void>;
}

/** Messages after which the badges on open back-office pages may read differently. */
function changesSettings(msg: Message): boolean {
  if (msg.type === "api") return msg.route === "saveMappings" || msg.route === "createStandard";
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

export function createHandler(deps: HandlerDeps) {
  async function lang(): Promise<Lang> {
    return (await langItem.getValue()) ?? langOf(deps.uiLanguage());
  }

  async function run(msg: Message): Promise<Replies[Message["type"]]> {
    const c = deps.client;
    switch (msg.type) {
      case "prefs":
        return { lang: await lang(), signedIn: (await sessionItem.getValue()) !== null } satisfies Replies["prefs"];
      case "status":
        return c.call("status", { body: { objects: msg.objects } });
      case "send":
        return c.call("send", { body: msg.object });
      case "retry":
        return c.call("retry", { body: msg.object });
      case "resolve":
        return c.call("resolve", { body: { ...msg.object, action: msg.action } });
      case "counted":
        return c.call("counted", { params: { id: msg.closureId }, body: msg.totals });
      case "selectorReport": {
        const kept = (await selectorReportsItem.getValue()).filter(
          (r) => !(r.selector === msg.report.selector && r.path === msg.report.path),
        );
        const next = [msg.report, ...kept].slice(0, MAX_SELECTOR_REPORTS);
        await selectorReportsItem.setValue(next);
        return { stored: next.length } satisfies Replies["selectorReport"];
      }
      case "openOptions":
        await deps.openTab(deps.optionsUrl(msg.section));
        return { opened: true } satisfies Replies["openOptions"];
      case "state": {
        const s = await sessionItem.getValue();
        return {
          session: s ? { tenantId: s.tenantId, storeName: s.storeName, expiresAt: s.expiresAt } : null,
          lang: await lang(),
          selectorReports: await selectorReportsItem.getValue(),
          workerUrl: deps.workerUrl,
        } satisfies Replies["state"];
      }
      case "setLang":
        await langItem.setValue(msg.lang);
        return { lang: msg.lang } satisfies Replies["setLang"];
      case "connectPos":
        return deps.connect.connectPos();
      case "connectQbo":
        return deps.connect.connectQbo();
      case "completeConnect":
        return deps.connect.complete(msg.hash);
      case "disconnect":
        return deps.connect.disconnect(msg.system);
      case "auditCsv":
        return { csv: await c.auditCsv(msg.query ?? {}) } satisfies Replies["auditCsv"];
      case "api":
        return c.call(msg.route as RouteName, { params: msg.params, query: msg.query, body: msg.body as never });
    }
  }

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
