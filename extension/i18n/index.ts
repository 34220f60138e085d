import { type Lang, SHARED_WORDS, type SharedKey, translators, type Translator } from "../../shared/i18n";
import { en, type ExtensionKey } from "./en";
import { fr } from "./fr";

/**
 * The extension's words: its own (./en.ts, ./fr.ts) over the words it shares with the Worker
 * (shared/i18n: error reasons, the mapping catalog's labels and help), through the one translator.
 */
export type MessageKey = ExtensionKey | SharedKey;
export type Translate = Translator<MessageKey>;

const TABLES: Record<Lang, Record<MessageKey, string>> = {
  en: { ...SHARED_WORDS.en, ...en },
  fr: { ...SHARED_WORDS.fr, ...fr },
};

/** The UI language from a BCP-47 tag (the browser's UI language, or the person's choice). */
export function langOf(tag: string | undefined | null): Lang {
  return tag?.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export const translator: (lang: Lang) => Translate = translators(TABLES);
