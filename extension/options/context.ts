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
