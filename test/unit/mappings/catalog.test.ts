import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SHARED_WORDS } from "../../../shared/i18n";
import {
  ACCOUNT_TYPES,
  type AccountEntry,
  CATALOG,
  entryOf,
  FAMILY_ENTRIES,
  FIXED_ENTRIES,
  MAPPING_ENTRIES,
  SALES_ITEM_TYPES,
} from "../../../shared/mapping-catalog";
import { emptyMappings, Mappings, mappingValue, withMapping } from "../../../shared/mappings";
import { ACCOUNT_TYPES as LEDGER_ACCOUNT_TYPES } from "../../../worker/ledger/refs";
import { caMappings } from "../ledger/fixtures";

/** Every path of a schema-shaped value: a group's keys one level down, a family or a fixed key itself. */
function pathsOf(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape).flatMap(([key, s]) => {
    let inner: z.core.$ZodType = s;
    while (inner instanceof z.ZodPrefault || inner instanceof z.ZodDefault || inner instanceof z.ZodOptional)
      inner = inner.def.innerType;
    return inner instanceof z.ZodObject ? Object.keys(inner.shape).map((k) => `${key}.${k}`) : [key];
  });
}

describe("the mapping catalog", () => {
  it("has an entry for every path of the Mappings document, and every entry is a path of it", () => {
    expect(MAPPING_ENTRIES.map((e) => e.path).sort()).toEqual(pathsOf(Mappings).sort());
    expect(new Set(MAPPING_ENTRIES.map((e) => e.path)).size).toBe(MAPPING_ENTRIES.length);
    // and a full document holds a value at each fixed path
    const shrinkage = Object.fromEntries(
      [
        "default",
        "stocktake",
        "damage",
        "expiry",
        "internalUse",
        "theft",
        "donation",
        "stockFound",
        "sampleForSale",
        "custom",
      ].map((k) => [k, "80"]),
    );
    const full = Mappings.parse(
      JSON.parse(
        JSON.stringify({
          ...caMappings(),
          accounts: { ...caMappings().accounts, accountsPayable: "70", cogs: "65" },
          shrinkage,
        }),
      ),
    );
    for (const e of FIXED_ENTRIES) expect(mappingValue(full, e.path), e.path).not.toBeUndefined();
  });

  it("gives every entry its words in English and French, with the same placeholders", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const e of MAPPING_ENTRIES) {
      const kinds = e.kind === "family" ? ["label", "thing", "thingDeleted", "help"] : ["label", "thing", "help"];
      for (const kind of kinds) {
        const key = `mapping.${e.path}.${kind}` as keyof typeof SHARED_WORDS.en;
        const [en, fr] = [SHARED_WORDS.en[key], SHARED_WORDS.fr[key]];
        expect(en?.trim(), `${key} (en)`).toBeTruthy();
        expect(fr?.trim(), `${key} (fr)`).toBeTruthy();
        expect(placeholders(fr), key).toEqual(placeholders(en));
        if (kind === "thing" || kind === "thingDeleted")
          expect(placeholders(en), key).toEqual(e.kind === "family" ? ["name"] : []);
        expect(fr, key).not.toBe(en);
      }
    }
  });

  it("accepts for each account and item exactly what the ledger posts to", () => {
    expect(ACCOUNT_TYPES).toEqual(LEDGER_ACCOUNT_TYPES);
    for (const e of MAPPING_ENTRIES)
      if (e.kind === "item" || (e.kind === "family" && e.picks === "item"))
        expect(e.itemTypes).toEqual(SALES_ITEM_TYPES);
  });

  it("creates standard accounts and items that its own checks accept", () => {
    for (const e of FIXED_ENTRIES) {
      if (e.kind === "account" && e.standard) expect(e.accountTypes, e.path).toContain(e.standard.type);
      if (e.kind === "item" && e.postsTo) {
        // a liability service posts to the very account the liability mapping gets
        const target = FIXED_ENTRIES.find((x) => x.path === e.postsTo) as AccountEntry;
        expect(e.standard?.incomeAccount, e.path).toEqual(target.standard);
      }
    }
    const deposit = FAMILY_ENTRIES.find((e) => e.path === "paymentTypes")!;
    expect(deposit.accountTypes).toContain((deposit.standard as AccountEntry["standard"])!.type);
  });

  it("finds the entry of any mapping key", () => {
    expect(entryOf("paymentTypes.abc-123")?.path).toBe("paymentTypes");
    expect(entryOf("items.rounding")?.path).toBe("items.rounding");
    expect(entryOf("nonsense")).toBeUndefined();
    expect(Object.keys(CATALOG)).toEqual(
      pathsOf(Mappings)
        .map((p) => p.split(".")[0])
        .filter((k, i, a) => a.indexOf(k) === i),
    );
  });
});

/**
 * The Mappings schema as it was written by hand before the catalog (shared/mappings.ts at 4f256ff),
 * plus issue 14's keys (tips, surcharges, custom charges, loyalty, later adjustment types).
 */
const Id = z.string().min(1).max(64);
const LegacyMappings = z.object({
  categories: z.record(z.string(), Id).default({}),
  paymentTypes: z
    .record(
      z.string(),
      z.discriminatedUnion("role", [
        z.object({ role: z.literal("deposit"), accountId: Id }),
        z.object({ role: z.literal("gift_card") }),
        z.object({ role: z.literal("store_credit") }),
        z.object({ role: z.literal("on_account") }),
        z.object({ role: z.literal("loyalty") }),
      ]),
    )
    .default({}),
  taxes: z.record(z.string(), z.object({ taxCodeId: Id.optional(), taxable: z.boolean().optional() })).default({}),
  outlets: z.record(z.string(), z.object({ classId: Id.optional(), departmentId: Id.optional() })).default({}),
  adjustmentTypes: z.record(z.string(), Id).default({}),
  items: z
    .object({
      discount: Id.optional(),
      giftCardLiability: Id.optional(),
      storeCreditLiability: Id.optional(),
      tillDiscrepancy: Id.optional(),
      tips: Id.optional(),
      surcharge: Id.optional(),
      customCharge: Id.optional(),
      rounding: Id.optional(),
    })
    .default({}),
  accounts: z
    .object({
      closureClearing: Id.optional(),
      giftCardLiability: Id.optional(),
      giftCardBreakage: Id.optional(),
      storeCreditLiability: Id.optional(),
      tipsPayable: Id.optional(),
      loyalty: Id.optional(),
      storeCreditExpense: Id.optional(),
      inventoryAsset: Id.optional(),
      shipping: Id.optional(),
      purchaseDiscount: Id.optional(),
      duties: Id.optional(),
      accountsPayable: Id.optional(),
      cogs: Id.optional(),
    })
    .default({}),
  shrinkage: z
    .object({
      default: Id.optional(),
      stocktake: Id.optional(),
      damage: Id.optional(),
      expiry: Id.optional(),
      internalUse: Id.optional(),
      theft: Id.optional(),
      donation: Id.optional(),
      stockFound: Id.optional(),
      sampleForSale: Id.optional(),
      custom: Id.optional(),
    })
    .default({}),
  nonTaxableTaxCodeId: Id.optional(),
  purchaseTaxCodeId: Id.optional(),
  closureCustomerId: Id.optional(),
  options: z
    .object({
      autoSendPurchaseOrders: z.boolean().default(false),
      postCogs: z.boolean().default(true),
      cogsPerCategory: z.boolean().default(false),
    })
    .default({ autoSendPurchaseOrders: false, postCogs: true, cogsPerCategory: false }),
});

const verdict = (schema: z.ZodType, raw: unknown) => {
  const r = schema.safeParse(raw);
  return r.success ? JSON.stringify(r.data) : "invalid";
};

describe("the Mappings schema derived from the catalog", () => {
  it("reads today's stored documents exactly as before, byte for byte", () => {
    const stored = [
      {},
      caMappings(),
      { options: {} },
      { items: { discount: "1", retired: "x" }, somethingOld: true },
      { paymentTypes: { a: { role: "deposit" } } },
      { accounts: null },
    ];
    for (const doc of stored) expect(verdict(Mappings, doc), JSON.stringify(doc)).toBe(verdict(LegacyMappings, doc));
    expect(JSON.stringify(emptyMappings())).toBe(JSON.stringify(LegacyMappings.parse({})));
  });

  it("agrees with the hand-written schema on any document, valid or not", () => {
    const id = fc.oneof(fc.constantFrom("1", "42", ""), fc.string({ maxLength: 3 }), fc.integer());
    const group = (keys: string[]) =>
      fc.option(fc.dictionary(fc.constantFrom(...keys, "junk"), id), { nil: undefined });
    const doc = fc.record(
      {
        categories: fc.dictionary(fc.string({ maxLength: 2 }), id),
        paymentTypes: fc.dictionary(
          fc.string({ maxLength: 2 }),
          fc.record(
            {
              role: fc.constantFrom("deposit", "gift_card", "store_credit", "on_account", "loyalty", "x"),
              accountId: id,
            },
            { requiredKeys: ["role"] },
          ),
        ),
        taxes: fc.dictionary(
          fc.string({ maxLength: 2 }),
          fc.record({ taxCodeId: id, taxable: fc.boolean() }, { requiredKeys: [] }),
        ),
        outlets: fc.dictionary(
          fc.string({ maxLength: 2 }),
          fc.record({ classId: id, departmentId: id }, { requiredKeys: [] }),
        ),
        adjustmentTypes: fc.dictionary(fc.string({ maxLength: 2 }), id),
        items: group(["discount", "giftCardLiability", "storeCreditLiability", "tillDiscrepancy", "rounding", "tips"]),
        accounts: group([
          "closureClearing",
          "giftCardLiability",
          "inventoryAsset",
          "accountsPayable",
          "cogs",
          "loyalty",
        ]),
        shrinkage: group(["default", "damage", "stockFound"]),
        nonTaxableTaxCodeId: id,
        purchaseTaxCodeId: id,
        closureCustomerId: id,
        options: fc.record(
          { autoSendPurchaseOrders: fc.oneof(fc.boolean(), fc.constant("yes")), postCogs: fc.boolean() },
          { requiredKeys: [] },
        ),
        legacyField: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(doc, (raw) => {
        const json = JSON.parse(JSON.stringify(raw));
        expect(verdict(Mappings, json)).toBe(verdict(LegacyMappings, json));
      }),
      { numRuns: 500 },
    );
  });

  it("sets and clears one mapping key on a copy, refusing what would make the document invalid", () => {
    const m = emptyMappings();
    const set = withMapping(m, "paymentTypes.pt.1", { role: "gift_card" })!;
    expect(set.paymentTypes).toEqual({ "pt.1": { role: "gift_card" } });
    expect(mappingValue(set, "paymentTypes.pt.1")).toEqual({ role: "gift_card" });
    expect(m.paymentTypes).toEqual({});
    expect(withMapping(set, "items.rounding", "7")!.items).toEqual({ rounding: "7" });
    expect(withMapping(set, "paymentTypes.pt.1", undefined)!.paymentTypes).toEqual({});
    expect(withMapping(set, "paymentTypes.pt.1", { role: "deposit" })).toBeNull();
    expect(withMapping(set, "closureCustomerId", "")).toBeNull();
  });
});
