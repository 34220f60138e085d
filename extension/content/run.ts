import type { Lang } from "../../shared/errors";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import { ask } from "../ask";
import { BadgeBoard } from "../components/board";
import type { Feature, FeatureContext, PagePrefs } from "../features/feature";
import type { Section } from "../messaging";
import { type BackOfficePage, detectPage } from "../host/urls";
import type { SelectorName } from "../host/selectors";
import { translator } from "../i18n";
import { StatusStore } from "./status-store";

/**
 * Runs the features that apply to the current page, each with the page's AbortSignal. On an SPA
 * navigation the previous page's signal aborts (removing everything injected) and the features of
 * the new page start; a failure in one feature never stops the others.
 */

export interface RunOptions {
  features: readonly Feature[];
  /** The content script's lifetime (WXT ctx.signal) */
  signal: AbortSignal;
  url: () => string;
  /**
   * Calls back with each new URL (WXT's wxt:locationchange, bound to `signal`). The new URL is passed
   * in because the Navigation API announces a pushState before location.href changes.
   */
  onNavigate: (cb: (url: string) => void) => void;
  /** Calls back when the background says settings changed (broadcast.ts): the page starts again. */
  onSettingsChanged?: (cb: () => void) => void;
  messenger?: typeof ask;
  log?: (...args: unknown[]) => void;
}

type Send = typeof ask;

/** Reports a selector that found nothing, once per page path (kept by the background for the popup). */
function selectorReporter(send: Send, log: (...a: unknown[]) => void) {
  const reported = new Set<string>();
  return (selector: SelectorName, feature: string, path: string) => {
    const key = `${selector}|${path}`;
    if (reported.has(key)) return;
    reported.add(key);
    log(`selector "${selector}" found nothing on ${path} (feature ${feature})`);
    void send("selectorReport", { report: { selector, feature, path, at: new Date().toISOString() } }).catch(
      () => undefined,
    );
  };
}

/** What every feature on one page shares: the status store, the background's actions, the badges. */
function pageContext(
  send: Send,
  page: { detected: BackOfficePage; prefs: Promise<PagePrefs>; signal: AbortSignal },
): Omit<FeatureContext, "report"> {
  const { prefs, signal } = page;
  const status = new StatusStore(async (objects: ObjectRef[]) => (await send("status", { objects })).objects, signal);
  const actions = {
    send: async (ref: ObjectRef) => (await send("send", { object: ref })).object as ObjectStatus,
    retry: async (ref: ObjectRef) => (await send("retry", { object: ref })).object as ObjectStatus,
    resolve: async (ref: ObjectRef, action: "post_in_open_period") => {
      const reply = await send("resolve", { object: ref, action });
      return { object: reply.object as ObjectStatus, txnDate: reply.txnDate };
    },
    openOptions: (section?: Section, params: { backfillFrom?: string } = {}) =>
      void send("openOptions", { ...(section ? { section } : {}), ...params }).catch(() => undefined),
  };
  let board: BadgeBoard | undefined;
  const deps = { status, prefs, ...actions };
  const resolve = (ref: ObjectRef) => actions.resolve(ref, "post_in_open_period");
  return {
    page: page.detected,
    ...deps,
    counted: async (closureId, payments) => {
      await send("counted", { closureId, totals: { payments } });
    },
    get badges() {
      board ??= new BadgeBoard({ ...deps, resolve }, signal);
      return board;
    },
  };
}

/** The person's language and session, asked of the background once per page. */
async function askPrefs(send: Send): Promise<PagePrefs> {
  const { lang, signedIn } = await send("prefs", {}).catch(() => ({ lang: "en" as Lang, signedIn: false }));
  return { lang, signedIn, t: translator(lang) };
}

export function runFeatures(opts: RunOptions): { current: () => string[] } {
  const send = opts.messenger ?? ask;
  const log = opts.log ?? ((...a: unknown[]) => console.warn("[Tillbridge]", ...a));
  const report = selectorReporter(send, log);
  let page: AbortController | undefined;
  let running: string[] = [];
  let currentUrl = "";

  async function start(url: string, firstLoad = false) {
    currentUrl = url;
    page?.abort();
    running = [];
    const detected = detectPage(url);
    if (!detected || opts.signal.aborted) return;
    const controller = new AbortController();
    page = controller;
    const signal = AbortSignal.any([opts.signal, controller.signal]);
    const applicable = opts.features.filter((f) => f.include(detected));
    if (!applicable.length) return;
    // Asked on every page (the person may have connected or switched language in another tab), while
    // the features already look at the page and ask for its states: one round trip, not two in a row.
    const prefs = askPrefs(send);
    // After an SPA navigation the old rows may linger while the new page renders: the features look
    // once the prefs are back, as before. A page's first load shows its own rows: no need to wait.
    if (!firstLoad) await prefs;
    if (signal.aborted) return;
    const shared = pageContext(send, { detected, prefs, signal });
    running = applicable.map((f) => f.id);
    for (const feature of applicable) {
      // the getter (the page's badges, made on first use) is kept, not read, by this copy
      const ctx = Object.defineProperties(
        { report: (selector: SelectorName) => report(selector, feature.id, detected.path) },
        Object.getOwnPropertyDescriptors(shared),
      ) as FeatureContext;
      // Not awaited in turn: one feature's failure or wait must not hold up the others.
      void (async () => {
        try {
          await feature.init(signal, ctx);
        } catch (e) {
          if (!signal.aborted) log(`feature ${feature.id} failed`, e);
        }
      })();
    }
  }

  opts.onNavigate((url) => void start(url));
  // A new connection, mappings or language: ask the prefs and every state again (one request).
  opts.onSettingsChanged?.(() => void start(currentUrl));
  void start(opts.url(), true);
  return { current: () => running };
}
