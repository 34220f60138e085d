import * as en from "./en";
import type { SharedKey } from "./en";
import * as fr from "./fr";
import { type Lang, translators } from "./translate";

export type { ReasonKey, SettingKey, SharedKey } from "./en";
export { isReasonKey, REASON_WORDS, reasonWords } from "./reasons";
export { fill, Lang, type Translator, translators, type Vars } from "./translate";

/** Every word both programs say, by language: reasons and settings. */
export const SHARED_WORDS: Record<Lang, Record<SharedKey, string>> = {
  en: { ...en.reasons, ...en.settings },
  fr: { ...fr.reasons, ...fr.settings },
};

/** The shared words in one language: `words("fr")("suggest.cash", { name })`. */
export const words = translators<SharedKey>(SHARED_WORDS);
