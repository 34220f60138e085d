import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Lang } from "../../shared/errors";
import { type OptionsTranslate, optionsTranslator } from "../i18n/options";

export interface UiContext {
  lang: Lang;
  /** The options page's words: the extension's own and every word shared with the Worker */
  t: OptionsTranslate;
}
export const Ui = createContext<UiContext>({ lang: "en", t: optionsTranslator("en") });
export const useUi = () => useContext(Ui);

/** Integer cents → "1,234.56" (string operations only). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return `${sign}${digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${digits.slice(-2)}`;
}

/** The plain words of a failed call (ExtensionError carries the shared ApiError body). */
export function errorText(e: unknown): string {
  const body = (e as { body?: { message?: string; action?: string } } | null)?.body;
  return body?.message ? `${body.message} ${body.action ?? ""}`.trim() : String(e);
}

/** An instant in the store's time zone, in the person's language: "Dec 7, 2026, 9:05 a.m." */
export function localTime(iso: string, timeZone: string, lang: Lang): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  try {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", {
      timeZone,
      dateStyle: "medium",
      timeStyle: "short",
    }).format(new Date(ms));
  } catch {
    return iso; // an unknown time zone
  }
}

/** An object as people know it: "Register 1 #31", "PO MTL-1003", "Sale #1042". */
export function objectName(t: OptionsTranslate, kind: string, posName: string | null, posId: string): string {
  if (kind === "closure" && !posName) return t("obj.closure.unnamed", { name: posId });
  const key = `obj.${kind}`;
  return t(key as Parameters<OptionsTranslate>[0], { name: posName ?? posId });
}
