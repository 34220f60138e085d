import { z } from "zod";
import { en, type SharedKey } from "./en";
import { fr } from "./fr";

/**
 * The one translation mechanism of both programs: a dictionary per language (keys → sentences with
 * `{name}` placeholders) and a translator that fills them. The Worker reads the shared dictionaries
 * (./en.ts, ./fr.ts); the extension merges its own words over them (extension/i18n).
 */
export const Lang = z.enum(["en", "fr"]);
export type Lang = z.infer<typeof Lang>;

export type { SharedKey };
export type Vars = Record<string, string | number>;
export type Translator<K extends string> = (key: K, vars?: Vars) => string;

/** Fills `{name}` placeholders; a placeholder without a value stays as it is. */
export function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A translator per language over a set of dictionaries (English fills any gap). */
export function translators<K extends string>(tables: Record<Lang, Record<K, string>>) {
  return (lang: Lang): Translator<K> =>
    (key, vars) =>
      fill(tables[lang][key] ?? tables.en[key] ?? key, vars);
}

export const SHARED_WORDS: Record<Lang, Record<SharedKey, string>> = { en, fr };

/** The shared words in one language: `words("fr")("error.not_found.title", { detail })`. */
export const words = translators<SharedKey>(SHARED_WORDS);

/** Whether a key names a shared word (for keys built from data, such as a catalog path). */
export const isSharedKey = (key: string): key is SharedKey => Object.hasOwn(en, key);
