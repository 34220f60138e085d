import { z } from "zod";

/**
 * The one translation mechanism of both programs: a dictionary per language (keys → sentences with
 * `{name}` placeholders) and a translator that fills them. The shared dictionaries are ./en.ts and
 * ./fr.ts; the extension merges its own words over them (extension/i18n).
 */
export const Lang = z.enum(["en", "fr"]);
export type Lang = z.infer<typeof Lang>;

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
