import type { Lang } from "../../shared/errors";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const TABLES: Record<Lang, Record<MessageKey, string>> = { en, fr };

/** The UI language from a BCP-47 tag (the browser's UI language, or the person's choice). */
export function langOf(tag: string | undefined | null): Lang {
  return tag?.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function translator(lang: Lang): Translate {
  const table = TABLES[lang];
  return (key, vars) => {
    let text = table[key] ?? en[key];
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}
