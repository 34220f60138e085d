import { describe, expect, it } from "vitest";
import { chipView, liveWords } from "../../extension/components/badge-view";
import { reasonView } from "../../extension/components/reason";
import { translator } from "../../extension/i18n";
import type { ErrorCode } from "../../shared/errors";

/** The words a badge's popover uses for a reason: one place (components/reason.ts), code + details. */
const en = translator("en");
const fr = translator("fr");
const reason = (code: ErrorCode, detail?: string) => ({
  code,
  message: "server words",
  action: "",
  ...(detail ? { detail } : {}),
});

describe("reasonView", () => {
  it("never leads with QBO's raw fault; keeps it whole under details", () => {
    const raw =
      "Invalid Reference Id: Invalid Reference Id : Account assigned to this transaction has been deleted [2500]";
    for (const [lang, t] of [
      ["en", en],
      ["fr", fr],
    ] as const) {
      const v = reasonView(reason("qbo_invalid_reference", raw), lang, t);
      expect(v.message).not.toContain("Invalid Reference");
      expect(v.message).not.toContain("[2500]");
      expect(v.details).toBe(raw);
      expect(v.fixAt).toBe("mappings");
    }
    expect(reasonView(reason("qbo_invalid_reference", raw), "en", en).message).toBe(
      "Something mapped is inactive or deleted in QuickBooks Online.",
    );
    expect(reasonView(reason("qbo_validation", "Amount is required [6000] (Line.Amount)"), "fr", fr).message).toBe(
      "QuickBooks En ligne a refusé ceci.",
    );
  });

  it("says Tillbridge's own English details on an English page, only the names they quote on a French one", () => {
    const detail = "payment type 'Cash': QBO account 'Old chequing' is inactive";
    const english = reasonView(reason("qbo_invalid_reference", detail), "en", en);
    expect(english.message).toBe(`Something mapped is inactive or deleted in QuickBooks Online: ${detail}.`);
    expect(english.details).toBeUndefined(); // all of it is in the message
    const french = reasonView(reason("qbo_invalid_reference", detail), "fr", fr);
    expect(french.message).toBe(
      "Un élément associé est inactif ou supprimé dans QuickBooks En ligne : « Cash », « Old chequing ».",
    );
    expect(french.details).toBe(detail);
  });

  it("writes a whole sentence where the detail was its subject or object and cannot be said", () => {
    expect(reasonView(reason("needs_mapping", "the closure customer"), "fr", fr).message).toBe(
      "Aucune correspondance n'est choisie pour un élément.",
    );
    expect(reasonView(reason("waiting_for", "the invoice of sale s-1"), "fr", fr).message).toBe(
      "En attente de la comptabilisation de l'écriture dont celle-ci dépend.",
    );
    expect(reasonView(reason("waiting_for", "the invoice of sale s-1"), "en", en).message).toBe(
      "Waiting for the invoice of sale s-1 to be posted first.",
    );
  });

  it("keeps details that read the same in any language: a date, a document number", () => {
    expect(reasonView(reason("closed_period", "2026-10-31"), "fr", fr).message).toBe(
      "Les livres sont fermés au 2026-10-31 dans QuickBooks En ligne.",
    );
    expect(reasonView(reason("qbo_duplicate_doc_number", "Z12-R1"), "en", en).message).toBe(
      "QuickBooks Online already has document number Z12-R1.",
    );
  });

  it("words what the reason is about in the page's language, the English detail under details only", () => {
    const detail = "payment type 'Cash': QBO account 'Old till' is inactive";
    const about = [
      {
        thing: "paymentTypes",
        name: "Cash",
        problem: { kind: "inactive" as const, entity: "account" as const, qboName: "Old till" },
      },
    ];
    const v = reasonView({ ...reason("qbo_invalid_reference", detail), about }, "fr", fr);
    expect(v.message).toBe(
      "Un élément associé est inactif ou supprimé dans QuickBooks En ligne : le mode de paiement « Cash » : le compte QBO « Old till » est inactif.",
    );
    expect(v.details).toBe(detail);
    const mapping = {
      ...reason("needs_mapping", "payment type 'Afterpay'"),
      about: [{ thing: "paymentTypes", name: "Afterpay" }],
    };
    expect(reasonView(mapping, "fr", fr).message).toBe(
      "Aucune correspondance n'est choisie pour le mode de paiement « Afterpay ».",
    );
    expect(reasonView(mapping, "en", en)).toMatchObject({ message: "Payment type 'Afterpay' is not mapped." });
    expect(reasonView(mapping, "en", en)).not.toHaveProperty("details"); // the English words are the message's own
  });

  it("uses a structured name when the reason carries one", () => {
    const v = reasonView({ ...reason("needs_mapping", "payment type 'Afterpay'"), name: "Afterpay" }, "fr", fr);
    expect(v.message).toBe("Aucune correspondance n'est choisie pour « Afterpay ».");
  });
});

describe("the row's words", () => {
  const vc = { t: en, lang: "en" as const, signedIn: true, sendable: false };
  const entry = (over: object) => ({
    status: { kind: "closure" as const, posId: "c", docs: [], attempts: 0, ...over },
  });

  it("stay short whatever the reason, so the host table keeps its columns", () => {
    const long = entry({
      state: "blocked",
      reason: { code: "qbo_invalid_reference", message: "x".repeat(400), action: "y".repeat(300) },
    });
    expect(chipView(long as never, {}, vc).label).toBe("Needs a fix");
    for (const state of ["posted", "not_applicable", "unknown", "ready", "posting", "failed", "blocked", "rejected"])
      expect(chipView(entry({ state }) as never, {}, vc).label.length, state).toBeLessThanOrEqual(24);
  });

  it("are the send button for a purchase order not sent yet, and say what the person is doing", () => {
    const po = { ...vc, sendable: true };
    expect(chipView(entry({ state: "unknown" }) as never, {}, po)).toMatchObject({
      control: "send",
      label: "Send to QuickBooks Online",
    });
    expect(chipView(entry({ state: "unknown" }) as never, { busy: "sending" }, po)).toMatchObject({
      control: "send",
      label: "Sending…",
      spinning: true,
    });
    expect(chipView(undefined, {}, { ...po, signedIn: false })).toMatchObject({
      state: "signed_out",
      label: "Connect Tillbridge",
    });
  });

  it("announce the change in words with the reason for failures", () => {
    expect(liveWords({ kind: "closure", posId: "c", state: "posted", docs: [], attempts: 1 }, vc)).toBe("Posted");
    expect(
      liveWords(
        {
          kind: "closure",
          posId: "c",
          state: "blocked",
          docs: [],
          attempts: 1,
          reason: { code: "qbo_not_connected", message: "m", action: "a" },
        },
        { t: fr, lang: "fr" },
      ),
    ).toBe("À corriger : QuickBooks En ligne n'est pas connecté.");
    expect(liveWords({ kind: "closure", posId: "c", state: "unknown", docs: [], attempts: 0 }, vc)).toBeNull();
  });
});
