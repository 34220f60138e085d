import { type Lang, SHARED_WORDS, type SharedKey, translators, type Translator } from "../../shared/i18n";
import { type ExtensionKey, en } from "./en";
import { fr } from "./fr";

/**
 * The options page's words: the extension's own and every word it shares with the Worker, the
 * mapping catalog's labels and help included (kept out of the content script's bundle).
 */
export type OptionsKey = ExtensionKey | SharedKey;
export type OptionsTranslate = Translator<OptionsKey>;

const TABLES: Record<Lang, Record<OptionsKey, string>> = {
  en: { ...SHARED_WORDS.en, ...en },
  fr: { ...SHARED_WORDS.fr, ...fr },
};

export const optionsTranslator: (lang: Lang) => OptionsTranslate = translators(TABLES);
