import { describe, expect, it } from "vitest";
import { reasonWords } from "../../extension/components/reason";
import { langOf, translator } from "../../extension/i18n";
import { optionsTranslator } from "../../extension/i18n/options";
import { en } from "../../extension/i18n/en";
import { fr } from "../../extension/i18n/fr";
import { pageEn } from "../../extension/i18n/pages/en";
import { pageFr } from "../../extension/i18n/pages/fr";
import { ErrorCode } from "../../shared/errors";
import { SHARED_WORDS } from "../../shared/i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Both languages of a dictionary carry the same keys, none empty, with the same placeholders. */
function expectSameKeys(a: Record<string, string>, b: Record<string, string>) {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const key of Object.keys(a)) {
    expect(b[key]!.trim(), key).not.toBe("");
    expect(placeholders(b[key]!), key).toEqual(placeholders(a[key]!));
  }
}

describe("UI strings", () => {
  it("French has every English key, none empty, with the same placeholders", () => {
    expectSameKeys(en, fr);
    expectSameKeys(pageEn, pageFr);
  });

  it("keeps the pages' words apart from the badges': no key in both", () => {
    expect(Object.keys(pageEn).filter((k) => k in en)).toEqual([]);
  });

  it("the words shared with the Worker exist in both languages too, and no key means two things", () => {
    expectSameKeys(SHARED_WORDS.en, SHARED_WORDS.fr);
    expect(Object.keys({ ...en, ...pageEn }).filter((k) => k in SHARED_WORDS.en)).toEqual([]);
    for (const code of ErrorCode.options) {
      expect(SHARED_WORDS.en[`error.${code}.title`], code).toBeTruthy();
      expect(SHARED_WORDS.fr[`error.${code}.action`], code).not.toBe(SHARED_WORDS.en[`error.${code}.action`]);
    }
  });

  it("is actually translated (not English copied over) for the words a merchant sees most", () => {
    for (const key of ["po.send", "po.view", "badge.posted"] as const) expect(fr[key]).not.toBe(en[key]);
    for (const key of ["map.reload", "map.save", "conn.connectQbo"] as const) expect(pageFr[key]).not.toBe(pageEn[key]);
  });

  it("picks French for fr-* UI languages, English otherwise, and fills placeholders", () => {
    expect(langOf("fr-CA")).toBe("fr");
    expect(langOf("FR")).toBe("fr");
    expect(langOf("en-US")).toBe("en");
    expect(langOf(undefined)).toBe("en");
    expect(translator("fr")("badge.posted")).toBe("Dans QuickBooks En ligne");
    expect(translator("en")("mapping.paymentTypes.thing", { name: "$1 {x}" })).toBe("payment type '$1 {x}'");
    expect(optionsTranslator("fr")("mapping.items.rounding.label")).toBe("Arrondi");
    expect(optionsTranslator("fr")("map.saved", { version: 7 })).toBe("Paramètres enregistrés (version 7).");
  });
});

describe("a reason on a badge", () => {
  const blocked = {
    code: "needs_mapping" as const,
    message: "payment type 'Afterpay' is not mapped.",
    action: "Map it in Tillbridge settings; this will then be sent by itself.",
    detail: "payment type 'Afterpay'",
    fixAt: "mappings",
  };

  it("is worded in the page's language from what it is about, when the Worker says", () => {
    const about = [{ thing: "paymentTypes", name: "Afterpay", deleted: true }];
    expect(reasonWords({ ...blocked, about }, "fr").message).toBe(
      "Aucune correspondance n'est choisie pour le mode de paiement « Afterpay » (supprimé).",
    );
    expect(reasonWords({ ...blocked, about }, "en").message).toBe("payment type 'Afterpay' (deleted) is not mapped.");
    const invalid = {
      code: "qbo_invalid_reference" as const,
      message: "m",
      action: "a",
      detail: "the rounding item: QBO product/service 'Old' is inactive",
      about: [
        { thing: "items.rounding", problem: { kind: "inactive" as const, entity: "item" as const, qboName: "Old" } },
      ],
    };
    expect(reasonWords(invalid, "fr").message).toBe(
      "Un élément associé est inactif ou supprimé dans QuickBooks En ligne : l'article d'arrondi : le produit/service QBO « Old » est inactif",
    );
  });

  it("falls back to the Worker's detail when it carries nothing more", () => {
    expect(reasonWords(blocked, "en")).toEqual({
      message: "payment type 'Afterpay' is not mapped.",
      action: "Map it in Tillbridge settings; this will then be sent by itself.",
      fixAt: "mappings",
    });
    expect(reasonWords(blocked, "fr").message).toBe(
      "Aucune correspondance n'est choisie pour payment type 'Afterpay'.",
    );
  });
});
