import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QboRefs } from "../../../shared/domain/qbo";
import { describeError, TillbridgeError } from "../../../shared/errors";
import { type Mappings as MappingsT, Mappings } from "../../../shared/mappings";
import { Blockers } from "../../../worker/ledger/blockers";
import { liability } from "../../../worker/ledger/liabilities";
import { ACCOUNT_TYPES, RefChecker } from "../../../worker/ledger/refs";
import type { LedgerContext } from "../../../worker/ledger/types";
import { mappingProblems, problemFields } from "../../../worker/mappings/validate";
import { ACCOUNTS, caMappings, caRefs } from "../ledger/fixtures";

/** The company of the ledger fixtures, with a few more things no posting can use. */
function refs(): QboRefs {
  const r = caRefs();
  return {
    ...r,
    items: [
      ...r.items,
      {
        id: "130",
        name: "No income",
        type: "Service",
        incomeAccountId: null,
        expenseAccountId: null,
        assetAccountId: null,
        active: true,
      },
    ],
    departments: [...r.departments, { id: "d2", name: "Old warehouse", active: false }],
  };
}

/**
 * What the ledger's own checks (RefChecker, the liability rule) say about each mapped id, keyed by the
 * request field, plus the class and location checks: the verdicts saving mappings gave before the
 * catalog (the same code), and that postings still give.
 */
function ledgerVerdicts(mappings: MappingsT, company: QboRefs): Record<string, string> {
  const blockers = new Blockers();
  const ctx = { mappings, refs: company } as LedgerContext;
  const check = new RefChecker(ctx, blockers);
  for (const [id, m] of Object.entries(mappings.paymentTypes))
    if (m.role === "deposit")
      check.account(m.accountId, "the deposit account", `paymentTypes.${id}`, ACCOUNT_TYPES.deposit);
  for (const [id, itemId] of Object.entries(mappings.categories))
    check.salesItem(itemId, "the item", `categories.${id}`);
  for (const [id, t] of Object.entries(mappings.taxes))
    if (t.taxCodeId) check.taxCode(t.taxCodeId, "the code", `taxes.${id}`);
  for (const [key, id] of Object.entries(mappings.items)) if (id) check.salesItem(id, "the item", `items.${key}`);
  const rules = {
    closureClearing: "clearing",
    giftCardLiability: "liability",
    storeCreditLiability: "liability",
    giftCardBreakage: "breakage",
    storeCreditExpense: "expense",
    inventoryAsset: "inventoryAsset",
    shipping: "purchaseCharge",
    duties: "purchaseCharge",
    purchaseDiscount: "purchaseDiscount",
    accountsPayable: "accountsPayable",
  } as const;
  for (const [key, rule] of Object.entries(rules)) {
    const id = mappings.accounts[key as keyof typeof rules];
    if (id) check.account(id, "the account", `accounts.${key}`, ACCOUNT_TYPES[rule]);
  }
  for (const which of ["giftCard", "storeCredit"] as const) {
    const key = `${which}Liability` as const;
    if (mappings.items[key] && mappings.accounts[key]) liability(check, blockers, which).itemNeeded();
  }
  if (mappings.nonTaxableTaxCodeId) check.taxCode(mappings.nonTaxableTaxCodeId, "the code", "nonTaxableTaxCodeId");
  if (mappings.purchaseTaxCodeId) check.taxCode(mappings.purchaseTaxCodeId, "the code", "purchaseTaxCodeId");
  const fields: Record<string, string> = {};
  const fieldOf = (k: string) =>
    k.startsWith("paymentTypes.") ? `${k}.accountId` : k.startsWith("taxes.") ? `${k}.taxCodeId` : k;
  for (const b of blockers.all())
    if (b.mappingKey) fields[`mappings.${fieldOf(b.mappingKey)}`] ??= b.detail.replace(/^[^:]*: /, "");
  // classes and locations: checked whether or not the company tracks them (the ledger reads them when it does)
  for (const [id, o] of Object.entries(mappings.outlets)) {
    for (const [field, list, what] of [
      ["classId", company.classes, "class"],
      ["departmentId", company.departments, "location"],
    ] as const) {
      const ref = o[field];
      const found = ref ? list.find((x) => x.id === ref) : undefined;
      if (ref && !found) fields[`mappings.outlets.${id}.${field}`] = `QBO ${what} ${ref} does not exist`;
      else if (found && !found.active)
        fields[`mappings.outlets.${id}.${field}`] = `QBO ${what} '${found.name}' is inactive`;
    }
  }
  return fields;
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const accountId = pick(...Object.values(ACCOUNTS), "999");
const itemId = pick("100", "101", "102", "110", "111", "112", "113", "114", "120", "121", "122", "130", "998");
const taxCodeId = pick("5", "6", "7", "9", "997");
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Any mappings document naming things of the company above, good or bad. */
const anyMappings = fc
  .record({
    paymentTypes: fc.dictionary(
      pick("pt-1", "pt-2", "pt-3"),
      fc.oneof(
        accountId.map((id) => ({ role: "deposit" as const, accountId: id })),
        pick({ role: "gift_card" as const }, { role: "store_credit" as const }, { role: "on_account" as const }),
      ),
    ),
    categories: fc.dictionary(pick("cat-1", "cat-2"), itemId),
    taxes: fc.dictionary(pick("tx-1", "tx-2"), fc.record({ taxCodeId: optional(taxCodeId) })),
    outlets: fc.dictionary(
      pick("out-1"),
      fc.record({ classId: optional(pick("c1", "c2", "c9")), departmentId: optional(pick("d1", "d2", "d9")) }),
    ),
    items: fc.record({
      discount: optional(itemId),
      giftCardLiability: optional(itemId),
      storeCreditLiability: optional(itemId),
      tillDiscrepancy: optional(itemId),
      rounding: optional(itemId),
    }),
    accounts: fc.record({
      closureClearing: optional(accountId),
      giftCardLiability: optional(accountId),
      giftCardBreakage: optional(accountId),
      storeCreditLiability: optional(accountId),
      storeCreditExpense: optional(accountId),
      inventoryAsset: optional(accountId),
      shipping: optional(accountId),
      purchaseDiscount: optional(accountId),
      duties: optional(accountId),
      accountsPayable: optional(accountId),
    }),
    nonTaxableTaxCodeId: optional(taxCodeId),
    purchaseTaxCodeId: optional(taxCodeId),
  })
  .map((raw) => Mappings.parse(JSON.parse(JSON.stringify(raw))));

describe("saving mappings checks what the ledger checks", () => {
  it("refuses exactly the fields the ledger would block, with the same English words", () => {
    const company = refs();
    const kinds = new Set<string>();
    fc.assert(
      fc.property(anyMappings, (m) => {
        const problems = mappingProblems(m, company);
        for (const p of problems) kinds.add(p.about.problem!.kind);
        expect(problemFields(problems, "en")).toEqual(ledgerVerdicts(m, company));
      }),
      { numRuns: 400 },
    );
    // every kind of problem came up, so the comparison covered them all
    expect([...kinds].sort()).toEqual(["gone", "inactive", "no_income_account", "posts_elsewhere", "wrong_type"]);
  });

  it("accepts the fixtures' good mappings", () => {
    expect(mappingProblems(caMappings(), refs())).toEqual([]);
  });

  it("words each problem in French, naming the POS object by its POS name", () => {
    const m = Mappings.parse({
      ...caMappings(),
      paymentTypes: { "pt-after": { role: "deposit", accountId: ACCOUNTS.clothingIncome } },
      accounts: { ...caMappings().accounts, giftCardLiability: ACCOUNTS.storeCreditLiability },
      outlets: { "out-1": { departmentId: "d2" } },
    });
    const names = { paymentTypes: new Map([["pt-after", { name: "Afterpay", deleted: true }]]) };
    const problems = mappingProblems(m, refs(), names);
    expect(problemFields(problems, "fr")).toEqual({
      "mappings.paymentTypes.pt-after.accountId":
        "le compte QBO « Sales – Clothing » est de type Revenus ; il doit être de type Banque ou Autres actifs à court terme",
      "mappings.items.giftCardLiability":
        "le produit/service QBO « Gift card liability » est imputé au compte « Gift card liability » ; il doit l'être à celui choisi comme le compte de passif des cartes-cadeaux (« Store credit liability »)",
      "mappings.outlets.out-1.departmentId": "l'emplacement QBO « Old warehouse » est inactif",
    });

    // the error a save answers: one sentence per language, the English kept as its detail
    const about = problems.map((p) => p.about);
    const error = new TillbridgeError("bad_request", undefined, { about });
    const fr = describeError(error.code, error.detail, "fr", about).message;
    expect(fr).toBe(
      "La requête n'est pas valide : le mode de paiement « Afterpay » (supprimé) : le compte QBO « Sales – Clothing » est de type Revenus ; il doit être de type Banque ou Autres actifs à court terme ; le point de vente « out-1 » : l'emplacement QBO « Old warehouse » est inactif ; le service de passif des cartes-cadeaux : le produit/service QBO « Gift card liability » est imputé au compte « Gift card liability » ; il doit l'être à celui choisi comme le compte de passif des cartes-cadeaux (« Store credit liability »)",
    );
    expect(fr).not.toMatch(/\b(payment type|outlet|the|is of type|must be)\b/);
    expect(describeError(error.code, error.detail, "en", about).message).toMatch(
      /^The request is not valid: payment type 'Afterpay' \(deleted\): QBO account 'Sales – Clothing' is of type Income; it must be Bank or Other Current Asset; outlet 'out-1': /,
    );
  });
});
