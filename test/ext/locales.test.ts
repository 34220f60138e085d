import { describe, expect, it } from "vitest";
import en from "../../extension/public/_locales/en/messages.json";
import fr from "../../extension/public/_locales/fr/messages.json";

describe("the extension's manifest strings", () => {
  it("exist in English and French with the same keys, none empty", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of [...Object.entries(en), ...Object.entries(fr)])
      expect(value.message.trim(), key).not.toBe("");
    expect(fr.extName.message).not.toBe(en.extName.message);
  });
});
