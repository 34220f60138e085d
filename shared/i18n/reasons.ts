import { type ReasonKey, reasons as en } from "./en";
import { reasons as fr } from "./fr";
import { type Lang, translators } from "./translate";

/**
 * The words of reasons only (errors and what they are about): what shared/errors.ts needs, without
 * the settings' words, so the content script that draws badges bundles only these.
 */
export const REASON_WORDS: Record<Lang, Record<ReasonKey, string>> = { en, fr };

export const reasonWords = translators<ReasonKey>(REASON_WORDS);

/** Whether a key names a reason word (for keys built from data, such as a catalog path). */
export const isReasonKey = (key: string): key is ReasonKey => Object.hasOwn(en, key);
