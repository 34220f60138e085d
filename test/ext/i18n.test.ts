import { describe, expect, it } from "vitest";
import { en } from "../../extension/i18n/en";
import { fr } from "../../extension/i18n/fr";
import { langOf, translator } from "../../extension/i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("UI strings", () => {
  it("French has every English key, none empty, with the same placeholders", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(fr[key].trim(), key).not.toBe("");
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("is actually translated (not English copied over) for the words a merchant sees most", () => {
    for (const key of ["po.send", "po.view", "map.reload", "map.save", "conn.connectQbo", "badge.posted"] as const)
      expect(fr[key]).not.toBe(en[key]);
  });

  it("picks French for fr-* UI languages, English otherwise, and fills placeholders", () => {
    expect(langOf("fr-CA")).toBe("fr");
    expect(langOf("FR")).toBe("fr");
    expect(langOf("en-US")).toBe("en");
    expect(langOf(undefined)).toBe("en");
    expect(translator("fr")("map.saved", { version: 7 })).toBe("Paramètres enregistrés (version 7).");
  });
});
