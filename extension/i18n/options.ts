import { type Lang, SHARED_WORDS, type SharedKey, translators, type Translator } from "../../shared/i18n";
import { type ExtensionKey, en } from "./en";
import { fr } from "./fr";
import { type PageKey, pageEn } from "./pages/en";
import { pageFr } from "./pages/fr";

/**
 * The pages' words (options, popup, connected.html): the badges', the pages' own and every word
 * shared with the Worker, the
 * mapping catalog's labels and help included (kept out of the content script's bundle).
 */
export type OptionsKey = ExtensionKey | PageKey | SharedKey;
export type OptionsTranslate = Translator<OptionsKey>;

const TABLES: Record<Lang, Record<OptionsKey, string>> = {
  en: { ...SHARED_WORDS.en, ...en, ...pageEn },
  fr: { ...SHARED_WORDS.fr, ...fr, ...pageFr },
};

export const optionsTranslator: (lang: Lang) => OptionsTranslate = translators(TABLES);
