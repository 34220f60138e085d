// not ../../shared/i18n itself: the content script must not bundle the settings' words
import type { ReasonKey } from "../../shared/i18n/en";
import { REASON_WORDS } from "../../shared/i18n/reasons";
import { type Lang, type Translator, translators } from "../../shared/i18n/translate";
import { type ExtensionKey, en } from "./en";
import { fr } from "./fr";

/**
 * The extension's words: its own (./en.ts, ./fr.ts) over the reasons it shares with the Worker
 * (shared/i18n), through the one translator. The options page adds the settings' shared words
 * (./options.ts); the content script bundles only these.
 */
export type MessageKey = ExtensionKey | ReasonKey;
export type Translate = Translator<MessageKey>;

const TABLES: Record<Lang, Record<MessageKey, string>> = {
  en: { ...REASON_WORDS.en, ...en },
  fr: { ...REASON_WORDS.fr, ...fr },
};

/** The UI language from a BCP-47 tag (the browser's UI language, or the person's choice). */
export function langOf(tag: string | undefined | null): Lang {
  return tag?.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export const translator: (lang: Lang) => Translate = translators(TABLES);
