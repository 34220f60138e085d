import type { Lang } from "../../shared/errors";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import { ask } from "../ask";
import type { Feature, FeatureContext } from "../features/feature";
import { detectPage } from "../host/urls";
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

export function runFeatures(opts: RunOptions): { current: () => string[] } {
  const send = opts.messenger ?? ask;
  const log = opts.log ?? ((...a: unknown[]) => console.warn("[Tillbridge]", ...a));
  let page: AbortController | undefined;
  let running: string[] = [];
  let currentUrl = "";

  const reported = new Set<string>();
  const report = (selector: SelectorName, feature: string, path: string) => {
    const key = `${selector}|${path}`;
    if (reported.has(key)) return;
    reported.add(key);
    log(`selector "${selector}" found nothing on ${path} (feature ${feature})`);
    void send("selectorReport", { report: { selector, feature, path, at: new Date().toISOString() } }).catch(
      () => undefined,
    );
  };

  async function start(url: string) {
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
    // Asked on every page: the person may have connected or switched language in another tab.
    const { lang, signedIn } = await send("prefs", {}).catch(() => ({ lang: "en" as Lang, signedIn: false }));
    if (signal.aborted) return;
    const status = new StatusStore(async (objects: ObjectRef[]) => (await send("status", { objects })).objects, signal);
    running = applicable.map((f) => f.id);
    for (const feature of applicable) {
      const ctx: FeatureContext = {
        page: detected,
        status,
        lang,
        t: translator(lang),
        signedIn,
        send: async (ref) => (await send("send", { object: ref })).object as ObjectStatus,
        retry: async (ref) => (await send("retry", { object: ref })).object as ObjectStatus,
        resolve: async (ref, action) => (await send("resolve", { object: ref, action })).object as ObjectStatus,
        counted: async (closureId, payments) => {
          await send("counted", { closureId, totals: { payments } });
        },
        openOptions: (section) => void send("openOptions", section ? { section } : {}).catch(() => undefined),
        report: (selector) => report(selector, feature.id, detected.path),
      };
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
  void start(opts.url());
  return { current: () => running };
}
